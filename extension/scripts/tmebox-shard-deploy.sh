#!/bin/bash
# extension/scripts/tmebox-shard-deploy.sh -- deploy tmebox tenants, modules
# and functions to every shard database in one step: afterwards either
# every shard has them, with the same compiled objects, or no shard
# changed at all (issue 15).
#
#   tmebox-shard-deploy.sh [--id ID] SCRIPT.sql SHARD...
#   tmebox-shard-deploy.sh --recover SHARD...
#
# SHARD is a libpq connection string of a superuser on one shard database
# ('host=/run/shard0 port=5432 dbname=app user=postgres'), the first one
# the shard that compiles.  SCRIPT.sql is what one would run in a single
# database: tmebox.create_tenant, create_module, replace_module,
# CREATE FUNCTION ... LANGUAGE tmebox (after SET ROLE to the tenant's
# owner, or as the superuser with SET tmebox.tenant = '...'), GRANTs.  It
# must not begin or end a transaction (checked: the tool fails), nor
# \connect.  Roles are cluster-wide: create them on every shard first.
# Every shard needs max_prepared_transactions > 0 and the same tmebox
# build installed (the compile cache key includes the compiler build).
#
# How (two-phase commit, PostgreSQL's prepared transactions):
#   phase 1, first shard: BEGIN; the script, which compiles every module
#     and body (through the compile cache tmebox.compiled_object); the
#     deploy's row in tmebox_deploy.deploy; read the cache rows the deploy
#     used (those it wrote, and those holding the object of a module or
#     body row it wrote); PREPARE TRANSACTION 'tmebox_deploy_ID'.
#   phase 1, each other shard: BEGIN; those cache rows inserted; the
#     script, whose compiles all hit the cache (so no shard compiles again
#     and each holds the first shard's bytes); its row; PREPARE.
#   a failure anywhere in phase 1: ROLLBACK PREPARED wherever prepared,
#     exit 1: nothing changed on any shard (the cache rows included).
#   phase 2: COMMIT PREPARED on every shard, the first shard first.
# The loader verifies every object each time it loads it, on every shard,
# so a shipped object is trusted no more than one compiled there.
#
# Recovery: if phase 2 is interrupted (a shard unreachable, the tool
# killed), the deploy stays prepared where it was not committed yet
# (pg_prepared_xacts lists 'tmebox_deploy_ID'; it holds its locks until
# resolved).  --recover looks at every shard: a deploy whose row is
# committed on any shard had reached phase 2, so it is committed
# everywhere it is still prepared; any other is rolled back everywhere.
# It needs every shard reachable (else it changes nothing) and must not
# run while a deploy is in progress.
#
# Invariants: nothing is committed anywhere before every shard has
# prepared; a deploy's id is used once (tmebox_deploy.deploy's primary
# key); Unix sockets or TCP as the connection strings say; the exit
# status is 0 only when every shard committed (2 when phase 2 or a
# recovery stopped half-way).
set -euo pipefail

PREFIX=tmebox_deploy_

say() { printf 'tmebox-shard-deploy: %s\n' "$*"; }
die() { printf 'tmebox-shard-deploy: error: %s\n' "$*" >&2; exit 1; }

usage()
{
	cat <<EOF
usage: $0 [--id ID] SCRIPT.sql SHARD...
       $0 --recover SHARD...
SHARD: a libpq connection string of a superuser on a shard database.
EOF
}

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" "${@:2}"; }

# The bookkeeping table, made by the first deploy (in its transaction).
DEPLOY_TABLE_SQL="CREATE SCHEMA IF NOT EXISTS tmebox_deploy;
CREATE TABLE IF NOT EXISTS tmebox_deploy.deploy (
	id text PRIMARY KEY,
	script_sha256 text NOT NULL,
	deployed_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
REVOKE ALL ON SCHEMA tmebox_deploy FROM PUBLIC;
REVOKE ALL ON tmebox_deploy.deploy FROM PUBLIC;"

# Is deploy ID committed on shard $1? (yes/no; fails if unreachable)
committed_on()
{
	local t
	t=$(q "$1" -c "SELECT to_regclass('tmebox_deploy.deploy') IS NOT NULL") || return 1
	if [ "$t" != t ]; then
		echo no
		return 0
	fi
	q "$1" -c "SELECT CASE WHEN count(*) > 0 THEN 'yes' ELSE 'no' END
		FROM tmebox_deploy.deploy WHERE id = '$2'"
}

prepared_on()	# prepared_on SHARD GID -> 1 or 0
{
	q "$1" -c "SELECT count(*) FROM pg_prepared_xacts
		WHERE gid = '$2' AND database = current_database()"
}

# --recover: finish or undo every deploy left prepared on these shards.
recover()
{
	local shards=("$@") s gids="" gid id decision rc=0 any=no
	local -a pending
	[ ${#shards[@]} -gt 0 ] || { usage >&2; exit 2; }
	for s in "${shards[@]}"; do
		gids+=$(q "$s" -c "SELECT gid FROM pg_prepared_xacts
			WHERE gid LIKE '${PREFIX//_/\\_}%' AND database = current_database()") \
			|| die "shard unreachable, nothing changed: $s"
		gids+=$'\n'
	done
	mapfile -t pending < <(grep . <<<"$gids" | sort -u)
	for gid in "${pending[@]}"; do
		any=yes
		id=${gid#"$PREFIX"}
		decision=rollback
		for s in "${shards[@]}"; do
			case $(committed_on "$s" "$id") in
				yes) decision=commit ;;
				no) ;;
				*) die "shard unreachable, nothing changed: $s" ;;
			esac
		done
		say "deploy $id: $decision (committed on some shard: $([ $decision = commit ] && echo yes || echo no))"
		for s in "${shards[@]}"; do
			[ "$(prepared_on "$s" "$gid")" = 1 ] || continue
			if [ $decision = commit ]; then
				q "$s" -c "COMMIT PREPARED '$gid'" || { rc=2; say "could not commit on: $s"; }
			else
				q "$s" -c "ROLLBACK PREPARED '$gid'" || { rc=2; say "could not roll back on: $s"; }
			fi
		done
	done
	[ $any = yes ] || say "no deploy left prepared"
	return $rc
}

# Roll deploy GID back wherever it is prepared (phase 1 failed).
undo_all()
{
	local gid=$1 s
	shift
	for s in "$@"; do
		if [ "$(prepared_on "$s" "$gid" 2>/dev/null || echo 0)" = 1 ]; then
			q "$s" -c "ROLLBACK PREPARED '$gid'" \
				|| say "could not roll back on: $s (run --recover)"
		fi
	done
}

# Phase 1 on one shard: psql runs BEGIN, [the shipped objects], the
# script, the row, [the export of the objects], PREPARE.
phase1()	# phase1 SHARD GID SCRIPT OBJECTS_FILE first|other LOG
{
	local s=$1 gid=$2 script=$3 objects=$4 role=$5 log=$6 id=${2#"$PREFIX"} sum
	sum=$(sha256sum "$script" | cut -d' ' -f1)
	{
		echo "BEGIN;"
		echo "SET LOCAL tmebox_deploy.gid = '$gid';"
		[ "$role" = other ] && echo "\\i $objects"
		echo "SET LOCAL client_min_messages = debug1;"
		echo "\\i $script"
		echo "RESET ROLE;"
		echo "SET LOCAL client_min_messages = notice;"
		# a script that committed or rolled back has left this transaction
		echo "DO \$\$BEGIN IF pg_catalog.current_setting('tmebox_deploy.gid', true) IS DISTINCT FROM '$gid' THEN
			RAISE EXCEPTION 'the deploy script ended the deploy''s transaction (no BEGIN, COMMIT or ROLLBACK in it)'; END IF; END\$\$;"
		echo "$DEPLOY_TABLE_SQL"
		echo "INSERT INTO tmebox_deploy.deploy (id, script_sha256) VALUES ('$id', '$sum');"
		if [ "$role" = first ]; then
			cat <<EOF
\\pset format unaligned
\\pset tuples_only on
SELECT pg_catalog.format('INSERT INTO tmebox.compiled_object (cache_key, object) VALUES (%L, %L) ON CONFLICT DO NOTHING;', c.cache_key, c.object)
  FROM tmebox.compiled_object c
 WHERE c.created_at = pg_catalog.now()
    OR c.object IN (SELECT object FROM tmebox.module WHERE created_at = pg_catalog.now()
                    UNION ALL
                    SELECT object FROM tmebox.body_object WHERE created_at = pg_catalog.now())
\\g $objects
EOF
		fi
		echo "PREPARE TRANSACTION '$gid';"
	} | psql -X -q -v ON_ERROR_STOP=1 -d "$s" >/dev/null 2>"$log"
}

deploy()
{
	local id=$1 script=$2 gid work s i n rc compiled reused
	shift 2
	local shards=("$@")
	[ ${#shards[@]} -gt 0 ] || { usage >&2; exit 2; }
	[ -r "$script" ] || die "cannot read $script"
	[[ $id =~ ^[A-Za-z0-9_]{1,40}$ ]] || die "a deploy id is 1 to 40 letters, digits or _: $id"
	gid=$PREFIX$id

	# Before anything: every shard reachable, a superuser, prepared
	# transactions enabled, tmebox there, the id unused.
	for s in "${shards[@]}"; do
		r=$(q "$s" -c "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)::text
			|| ' ' || (current_setting('max_prepared_transactions')::int > 0)::text
			|| ' ' || EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'tmebox')::text
			|| ' ' || EXISTS (SELECT 1 FROM pg_prepared_xacts WHERE gid = '$gid')::text") \
			|| die "cannot connect: $s"
		case $r in
			"true true true false") ;;
			false*) die "not a superuser on: $s" ;;
			"true false"*) die "max_prepared_transactions is 0 on: $s (set it > 0 and restart)" ;;
			"true true false"*) die "no tmebox extension in: $s" ;;
			*) die "deploy $id is already prepared on: $s (--recover)" ;;
		esac
		[ "$(committed_on "$s" "$id")" = no ] || die "deploy $id was done already on: $s (choose another --id)"
	done

	work=$(mktemp -d)
	# shellcheck disable=SC2064
	trap "rm -rf '$work'" EXIT
	: >"$work/objects.sql"

	# Phase 1.
	n=${#shards[@]}
	for ((i = 0; i < n; i++)); do
		s=${shards[$i]}
		if phase1 "$s" "$gid" "$script" "$work/objects.sql" \
			"$([ "$i" = 0 ] && echo first || echo other)" "$work/log.$i" \
			&& [ "$(prepared_on "$s" "$gid")" = 1 ]; then
			compiled=$(grep -c 'DEBUG:  tmebox: compiling' "$work/log.$i" || true)
			reused=$(grep -c 'DEBUG:  tmebox: reusing the compiled object' "$work/log.$i" || true)
			say "phase 1: shard $((i + 1)) prepared ($compiled compiled, $reused from the compile cache): $s"
			if [ "$i" = 0 ]; then
				say "shipping $(grep -c '^INSERT INTO tmebox.compiled_object' "$work/objects.sql" || true) compiled objects to the other shards"
			fi
		else
			grep -v 'DEBUG:  ' "$work/log.$i" >&2 || true
			say "phase 1 failed on shard $((i + 1)): $s"
			undo_all "$gid" "${shards[@]}"
			say "deploy $id rolled back on every shard: nothing changed"
			exit 1
		fi
	done

	# Phase 2: from here on the deploy must be committed everywhere.
	rc=0
	for ((i = 0; i < n; i++)); do
		s=${shards[$i]}
		if q "$s" -c "COMMIT PREPARED '$gid'"; then
			say "phase 2: shard $((i + 1)) committed: $s"
		else
			rc=2
			say "phase 2: could not commit on shard $((i + 1)): $s"
		fi
	done
	if [ $rc -ne 0 ]; then
		say "deploy $id is committed on some shards and still prepared on others:"
		say "run  $0 --recover SHARD...  (all shards) once they are reachable"
		exit $rc
	fi
	say "deploy $id committed on all $n shards"
}

main()
{
	local id
	id=$(date +%Y%m%d%H%M%S)_$$
	case ${1:-} in
		-h|--help) usage; exit 0 ;;
		--recover) shift; recover "$@"; exit $? ;;
		--id) [ $# -ge 2 ] || { usage >&2; exit 2; }; id=$2; shift 2 ;;
		"") usage >&2; exit 2 ;;
	esac
	[ $# -ge 2 ] || { usage >&2; exit 2; }
	deploy "$id" "$@"
}

main "$@"
