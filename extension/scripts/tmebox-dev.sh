#!/bin/bash
# extension/scripts/tmebox-dev.sh -- set up, build, install and run tmebox
#
#   tmebox-dev.sh demo    install what is missing, build, install, start a
#                         temporary cluster and run extension/scripts/demo.sql
#   tmebox-dev.sh test [SUITE...]
#                         the same set-up, then the test suites: the unit
#                         tests (units: make check-units), the SQL tests
#                         (regress, isolation: make installcheck), the
#                         dump/restore test (dump: test-dump.sh), the
#                         update from 0.1 (upgrade: test-upgrade.sh), the
#                         hot standby test (standby: test-standby.sh),
#                         PL/Proxy shards (shards: test-shards.sh),
#                         cluster-wide KeyIDs (keyids: test-keyids.sh), the
#                         cancel / timeout / termination test (interrupt:
#                         test-interrupt.sh) and the memory test (memory:
#                         test-memory.sh); only the SUITEs named, if any
#                         (extension/tests/README.md maps every test)
#   tmebox-dev.sh bench full|quick OUT.csv
#                         the same set-up, then the SQL benchmark suites
#                         (bench/sql/bench-sql.sh; `make bench` runs it)
#
# Runs as root on Debian 12 with nothing installed beforehand, from any
# directory.  Invariants it keeps:
#   - apt-get runs only when a required package is missing, and installs
#     exactly the packages listed in TMEBOX_PACKAGES.
#   - The cluster is private and temporary: a fresh initdb (as the
#     unprivileged "postgres" user; initdb refuses root) under
#     <checkout>/.tmp/cluster when that user can reach it, else in a
#     mktemp -d directory; a Unix socket in a private directory,
#     listen_addresses = '' (no TCP).  It is stopped on every exit (trap).
#     The system cluster is never touched.
#   - A second run works: the previous temporary cluster is stopped and
#     removed first.
#   - Exit status is non-zero on any failure; "test" prints the regression
#     diffs of a failed suite, and its last line, printed after the cluster
#     has stopped, is "tmebox tests: N suites passed, N failed[ (NAMES)],
#     N parts skipped (M min S s)", after a line per suite (and one for the
#     set-up: packages, build, install, cluster) with its wall time.  A
#     part skipped for a missing optional tool prints "SKIPPED: WHAT
#     (WHY)"; with CI=true a skip fails the run.
#   - Needs only bash and coreutils before apt has run (no python).

set -euo pipefail

TMEBOX_PACKAGES="postgresql-15 postgresql-server-dev-15 postgresql-plpython3-15
clang-19 llvm-19-dev lld-19 libclang-19-dev libffi-dev pkg-config make gcc
csmith libcsmith-dev libclang-rt-19-dev strace libzydis-dev libkeyutils-dev
postgresql-15-plproxy wabt"
PG_BIN=/usr/lib/postgresql/15/bin
PG_CONFIG_BIN=$PG_BIN/pg_config
PORT=${TMEBOX_PORT:-54329}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

DATADIR=
SOCKDIR=
CLUSTER_BASE=
CLUSTER_IS_TEMP=0
CLUSTER_STARTED=0

log() { printf 'tmebox-dev: %s\n' "$*"; }
die() { printf 'tmebox-dev: error: %s\n' "$*" >&2; exit 1; }

usage()
{
	cat <<EOF
usage: $0 demo|test [SUITE...]|bench full|quick OUT.csv

  demo   install missing packages, build, install, start a temporary
         PostgreSQL cluster and run extension/scripts/demo.sql
  test   the same set-up, then every test suite, or the SUITEs named:
         $SUITES
  bench  the same set-up, then the SQL benchmarks (bench/sql/bench-sql.sh)

Environment: TMEBOX_PORT (default 54329), TMEBOX_CLUSTER (directory under
.tmp/, default cluster), CI=true adds -Werror.
EOF
}

as_postgres() { runuser -u postgres -- "$@"; }

install_packages()
{
	local missing="" p status
	for p in $TMEBOX_PACKAGES; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		if [ "$status" != "install ok installed" ]; then
			missing="$missing $p"
		fi
	done
	if [ -z "$missing" ]; then
		log "all required packages are installed"
		return
	fi
	log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing </dev/null
}

build_and_install()
{
	local flags=()
	if [ "${CI:-}" = "true" ]; then
		flags+=("PG_CFLAGS=-Werror")
	fi
	log "building"
	make -C "$ROOT" -j2 PG_CONFIG="$PG_CONFIG_BIN" "${flags[@]}"
	log "installing"
	make -C "$ROOT" install PG_CONFIG="$PG_CONFIG_BIN" "${flags[@]}"
}

stop_cluster()
{
	if [ "$CLUSTER_STARTED" = 1 ] && [ -n "$DATADIR" ]; then
		log "stopping the temporary cluster"
		as_postgres "$PG_BIN/pg_ctl" -D "$DATADIR" -m fast -w stop \
			>/dev/null 2>&1 || true
		CLUSTER_STARTED=0
	fi
	if [ -n "$SOCKDIR" ]; then
		rm -rf "$SOCKDIR"
	fi
	# A mktemp cluster cannot be found again: remove it.  One under the
	# checkout stays for inspection until the next run.
	if [ "$CLUSTER_IS_TEMP" = 1 ] && [ -n "$CLUSTER_BASE" ]; then
		rm -rf "$CLUSTER_BASE"
	fi
}

# Stop a cluster left running in DIR by an earlier, interrupted run.
stop_stale()
{
	local dir=$1
	if [ -f "$dir/postmaster.pid" ]; then
		log "stopping a cluster left over in $dir"
		as_postgres "$PG_BIN/pg_ctl" -D "$dir" -m immediate -w stop \
			>/dev/null 2>&1 || true
	fi
}

start_cluster()
{
	id postgres >/dev/null 2>&1 || die "OS user \"postgres\" is missing (it comes with postgresql-15)"

	# Prefer <checkout>/.tmp/cluster if the postgres user can get there.
	mkdir -p "$ROOT/.tmp"
	chmod 755 "$ROOT/.tmp"
	if as_postgres test -x "$ROOT/.tmp"; then
		CLUSTER_BASE=$ROOT/.tmp/${TMEBOX_CLUSTER:-cluster}
		if [ -d "$CLUSTER_BASE/data" ]; then
			stop_stale "$CLUSTER_BASE/data"
		fi
		rm -rf "$CLUSTER_BASE"
		mkdir -p "$CLUSTER_BASE"
	else
		CLUSTER_BASE=$(mktemp -d /tmp/tmebox-cluster.XXXXXX)
		CLUSTER_IS_TEMP=1
	fi
	chown postgres: "$CLUSTER_BASE"
	chmod 700 "$CLUSTER_BASE"
	DATADIR=$CLUSTER_BASE/data
	SOCKDIR=$(mktemp -d /tmp/tmebox-sock.XXXXXX)
	chown postgres: "$SOCKDIR"
	chmod 700 "$SOCKDIR"

	log "initdb in $DATADIR"
	as_postgres "$PG_BIN/initdb" -D "$DATADIR" -U postgres -A trust \
		-E UTF8 --locale=C >"$CLUSTER_BASE/initdb.log" 2>&1 \
		|| { cat "$CLUSTER_BASE/initdb.log"; die "initdb failed"; }
	cat >>"$DATADIR/postgresql.conf" <<EOF

# tmebox-dev.sh: private temporary cluster
listen_addresses = ''
port = $PORT
unix_socket_directories = '$SOCKDIR'
fsync = off
EOF
	log "starting PostgreSQL (socket $SOCKDIR, port $PORT)"
	CLUSTER_STARTED=1
	as_postgres "$PG_BIN/pg_ctl" -D "$DATADIR" -l "$CLUSTER_BASE/server.log" \
		-w -t 60 start >/dev/null \
		|| { cat "$CLUSTER_BASE/server.log"; die "could not start PostgreSQL"; }

	export PGHOST=$SOCKDIR PGPORT=$PORT PGUSER=postgres PGDATABASE=postgres
}

# The demo's LANGUAGE C twin of a tmebox function, for timing side by side.
build_demo_native()
{
	local pkglibdir
	pkglibdir=$("$PG_CONFIG_BIN" --pkglibdir)
	log "building the demo's LANGUAGE C comparison function"
	gcc -O2 -fPIC -shared -I"$("$PG_CONFIG_BIN" --includedir-server)" \
		-o "$pkglibdir/tmebox_demo_native.so" "$ROOT/extension/scripts/demo_native.c" -lm
}

run_demo()
{
	build_demo_native
	log "running extension/scripts/demo.sql"
	"$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -f "$ROOT/extension/scripts/demo.sql"
}

# The SQL benchmark suites: the LANGUAGE C peer is installed with PGXS,
# then bench/sql/bench-sql.sh runs against the temporary cluster.
run_bench()
{
	log "installing the LANGUAGE C benchmark peer (bench/pgc)"
	make -C "$ROOT/bench/pgc" PG_CONFIG="$PG_CONFIG_BIN" install >/dev/null
	log "running bench/sql/bench-sql.sh $*"
	"$ROOT/bench/sql/bench-sql.sh" "$@"
}

# Print the diffs of a failed pg_regress run in directory $1.
show_diffs()
{
	if [ -f "$1/regression.diffs" ]; then
		printf '\n===== %s/regression.diffs =====\n' "$1"
		cat "$1/regression.diffs"
	fi
}

# The test suites, in the order "test" runs them: NAME, what the tally's
# log line says, the function that runs it (each returns non-zero on
# failure and prints its own "N passed, N failed").
SUITES="units regress isolation dump upgrade standby shards keyids interrupt memory"

suite_units()
{
	make -C "$ROOT" PG_CONFIG="$PG_CONFIG_BIN" check-units
}

# installcheck runs pg_regress, then the isolation tests; they run as two
# suites so that a regression failure does not hide the other.  pg_regress
# runs part of the files in a second database beside the others, with its
# results in output_side/ (the top Makefile, at REGRESS).
suite_regress()
{
	rm -f "$ROOT/regression.diffs" "$ROOT/output_side/regression.diffs"
	make -C "$ROOT" PG_CONFIG="$PG_CONFIG_BIN" installcheck ISOLATION= ||
		{ show_diffs "$ROOT"; show_diffs "$ROOT/output_side"; return 1; }
}

suite_isolation()
{
	rm -f "$ROOT/output_iso/regression.diffs"
	make -C "$ROOT" PG_CONFIG="$PG_CONFIG_BIN" installcheck REGRESS= ||
		{ show_diffs "$ROOT/output_iso"; return 1; }
}

suite_dump() { "$ROOT/extension/scripts/test-dump.sh"; }
suite_upgrade() { "$ROOT/extension/scripts/test-upgrade.sh"; }
suite_standby() { "$ROOT/extension/scripts/test-standby.sh"; }
suite_shards() { "$ROOT/extension/scripts/test-shards.sh"; }
suite_keyids() { "$ROOT/extension/scripts/test-keyids.sh"; }
suite_interrupt() { "$ROOT/extension/scripts/test-interrupt.sh"; }
suite_memory() { "$ROOT/extension/scripts/test-memory.sh"; }

suite_title()
{
	case $1 in
		units) echo "unit tests (make check-units)" ;;
		regress) echo "regression tests (make installcheck, pg_regress)" ;;
		isolation) echo "isolation tests (make installcheck, pg_isolation_regress)" ;;
		dump) echo "dump and restore (extension/scripts/test-dump.sh)" ;;
		upgrade) echo "ALTER EXTENSION tmebox UPDATE from 0.1 (extension/scripts/test-upgrade.sh)" ;;
		standby) echo "hot standby (extension/scripts/test-standby.sh)" ;;
		shards) echo "PL/Proxy shards, two-phase deploy (extension/scripts/test-shards.sh)" ;;
		keyids) echo "KeyIDs unique across the cluster (extension/scripts/test-keyids.sh)" ;;
		interrupt) echo "cancel, timeout, termination (extension/scripts/test-interrupt.sh)" ;;
		memory) echo "memory comes back (extension/scripts/test-memory.sh)" ;;
	esac
}

# Refuse an unknown suite name before anything is installed or built.
check_suites()
{
	local s
	for s in "$@"; do
		case " $SUITES " in
			*" $s "*) ;;
			*) die "no test suite \"$s\" (suites: $SUITES)" ;;
		esac
	done
}

# "N min S s" (or "S s") for a number of seconds.
duration()
{
	if [ "$1" -ge 60 ]; then
		echo "$(($1 / 60)) min $(($1 % 60)) s"
	else
		echo "$1 s"
	fi
}

# run_tests [SUITE...]: the named suites (default all), each one's output
# also kept in $TEST_LOG; sets TEST_TIMES (a line per suite with its result
# and wall time, after the set-up's) and TEST_TALLY (the closing line),
# both printed by main after the cluster is stopped, and returns non-zero
# on any failure (with CI=true also on any skipped part).
TEST_LOG=
TEST_TALLY=
TEST_TIMES=
run_tests()
{
	local passed=0 failed=0 skipped names="" s t0 result
	local suites=("$@")
	[ ${#suites[@]} -gt 0 ] || read -r -a suites <<<"$SUITES"

	TEST_LOG=$(mktemp /tmp/tmebox-test-log.XXXXXX)
	TEST_TIMES=$(printf '  %-10s %-7s %s' set-up done "$(duration "$SECONDS")")
	for s in "${suites[@]}"; do
		log "suite: $(suite_title "$s")"
		t0=$SECONDS
		if "suite_$s" 2>&1 | tee -a "$TEST_LOG"; then
			passed=$((passed + 1)); result=passed
		else
			failed=$((failed + 1)); names="$names $s"; result=FAILED
		fi
		TEST_TIMES+=$(printf '\n  %-10s %-7s %s' "$s" "$result" "$(duration $((SECONDS - t0)))")
	done

	# a part of a suite whose optional tool is missing says
	# "SKIPPED: WHAT (WHY)" (extension/sandbox/tests/run_all.sh)
	skipped=$(grep -c '^SKIPPED: ' "$TEST_LOG" || true)
	rm -f "$TEST_LOG"
	TEST_TALLY="tmebox tests: $passed suites passed, $failed failed${names:+ (${names# })}, $skipped parts skipped"
	if [ "$failed" -ne 0 ]; then
		return 1
	fi
	if [ "$skipped" -ne 0 ] && [ "${CI:-}" = "true" ]; then
		log "CI=true: skipped parts count as failures"
		return 1
	fi
	return 0
}

main()
{
	local cmd=${1:-}
	case "$cmd" in
		demo|test|bench) ;;
		-h|--help|help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
	esac
	[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages and the extension)"

	trap stop_cluster EXIT
	trap 'exit 130' INT TERM

	if [ "$cmd" = test ]; then
		check_suites "${@:2}"
	fi
	install_packages
	build_and_install
	start_cluster
	if [ "$cmd" = demo ]; then
		run_demo
	elif [ "$cmd" = bench ]; then
		run_bench "${@:2}"
	else
		# the closing tally is the last line: after the cluster stops
		local rc=0
		run_tests "${@:2}" || rc=$?
		stop_cluster
		printf 'tmebox-dev: time per suite:\n%s\n' "$TEST_TIMES"
		echo "$TEST_TALLY ($((SECONDS / 60)) min $((SECONDS % 60)) s)"
		return "$rc"
	fi
}

main "$@"
