#!/bin/bash
# extension/scripts/test-standby.sh -- LANGUAGE tmebox functions on a hot
# standby (issue 11: "a hot standby must never recompile per session").
#
# A streaming replica of the running cluster is made with pg_basebackup
# and started as a hot standby whose tmebox.compiler_path points nowhere,
# so any compile there fails.  On it, module-bound and body functions
# must run in several sessions from the objects the primary stored; a
# module replaced on the primary must be what an already open standby
# session runs at its next statement; and the standby's log must hold no
# error (nothing tried to write or compile).
#
# Needs a running server reachable through PGHOST (a Unix socket
# directory), PGPORT, PGUSER (a superuser), allowing local replication
# connections (initdb's default), with tmebox installed; runs as root (the
# standby runs as the "postgres" user) or as that user.  tmebox-dev.sh
# test runs it.
# Invariants: Unix sockets only (the standby listens on no TCP port, in a
# private socket directory); the standby and its data directory are
# removed and the test database and roles (prefixed regress_standby)
# dropped on every exit (trap); it prints "N passed, N failed" with a
# non-zero exit status on any failure.
set -euo pipefail

DB=regress_standby
PG_BIN=$(pg_config --bindir)
base=
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"
TL_DATABASES=("$DB")
TL_ROLES=(regress_standby_a)

# the standby first: it streams from the primary
tl_cleanup_extra()
{
	if [ -n "$base" ]; then
		tl_stop_server "$base/data"
		rm -rf "$base"
	fi
	base=
}
tl_begin

# --- on the primary: a tenant, a module, a bound and a body function -----
psql_q -d postgres -c "CREATE ROLE regress_standby_a" -c "CREATE DATABASE $DB"
psql_q -d "$DB" >/dev/null <<'SQL'
CREATE EXTENSION tmebox;
GRANT USAGE ON LANGUAGE tmebox TO regress_standby_a;
SELECT tmebox.create_tenant('standby_a', owner => 'regress_standby_a');
SELECT tmebox.create_module('standby_a', 'm', 'int version(void) { return 1; }');
SET ROLE regress_standby_a;
CREATE FUNCTION standby_a.version() RETURNS int4 LANGUAGE tmebox AS 'm.version';
CREATE FUNCTION standby_a.fib(n int4) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS $$
	int64_t a = 0, b = 1;
	for (int32_t i = 0; i < n; i++) { int64_t t = a + b; a = b; b = t; }
	return a;
$$;
RESET ROLE;
SQL

# --- the standby ----------------------------------------------------------
base=$(mktemp -d /tmp/tmebox-standby.XXXXXX)
mkdir "$base/sock"
chown postgres: "$base" "$base/sock" 2>/dev/null || true
chmod 700 "$base" "$base/sock"
tl_as_pg "$PG_BIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" \
	-D "$base/data" -R -X stream -c fast
cat >>"$base/data/postgresql.conf" <<EOF

# test-standby.sh: a hot standby on a private socket, unable to compile
listen_addresses = ''
unix_socket_directories = '$base/sock'
hot_standby = on
tmebox.compiler_path = '/nonexistent/tmebox-cc'
EOF
tl_as_pg "$PG_BIN/pg_ctl" -D "$base/data" -l "$base/standby.log" -w -t 60 start >/dev/null \
	|| { cat "$base/standby.log"; exit 1; }

on_standby() { psql -X -At -v ON_ERROR_STOP=1 -h "$base/sock" -p "$PGPORT" -d "$DB" "$@"; }

r=$(on_standby -c "SELECT pg_is_in_recovery(), current_setting('tmebox.compiler_path')")
check "the standby is in recovery and cannot compile" "t|/nonexistent/tmebox-cc" "$r"

# Each psql is a new session: each loads the functions afresh.
for i in 1 2 3; do
	r=$(on_standby -c "SELECT standby_a.version(), standby_a.fib(50)" 2>&1 || true)
	check "standby session $i runs the module and body functions without compiling" \
		"1|12586269025" "$r"
done

# The module replaced on the primary: an open standby session runs the
# new object at its next statement.  The shell escape runs between two
# statements of the same session.
cat >"$base/replace.sh" <<EOF
#!/bin/bash
set -e
psql -X -q -At -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -d "$DB" \
	-c "SELECT tmebox.replace_module('standby_a', 'm', 'int version(void) { return 2; }')" >/dev/null
lsn=\$(psql -X -At -h "$PGHOST" -p "$PGPORT" -d "$DB" -c "SELECT pg_current_wal_lsn()")
for i in \$(seq 1 300); do
	done=\$(psql -X -At -h "$base/sock" -p "$PGPORT" -d "$DB" \
		-c "SELECT pg_last_wal_replay_lsn() >= '\$lsn'::pg_lsn")
	[ "\$done" = t ] && exit 0
	sleep 0.1
done
echo "the standby did not replay \$lsn" >&2
exit 1
EOF
chmod 755 "$base/replace.sh"
r=$(on_standby -c "SELECT standby_a.version()" -c "\\! $base/replace.sh" \
	-c "SELECT standby_a.version(), standby_a.fib(10)" 2>&1 | tr '\n' ' ' || true)
check "a module replaced on the primary reaches an open standby session at its next statement" \
	"1 2|55 " "$r"

r=$(grep -cE "ERROR|FATAL|PANIC" "$base/standby.log" || true)
check "no error in the standby's log (nothing tried to write or compile)" 0 "$r"
[ "$r" = 0 ] || grep -E -A2 "ERROR|FATAL|PANIC" "$base/standby.log" | head -20

tl_finish
