# shellcheck shell=bash
# extension/scripts/test-lib.sh -- what the shell tests (test-dump.sh,
# test-upgrade.sh, test-memory.sh, test-standby.sh, test-interrupt.sh)
# share: psql helpers, the pass/fail counters and check(), set-up and
# clean-up of their databases and roles, running as the postgres user
# and stopping a private server, the two-tenant fixture, and the
# closing "N passed, N failed" line.
#
# Sourced, never run: ". "$(dirname "$0")/test-lib.sh"" after
# "set -euo pipefail".  A script sets TL_DATABASES and TL_ROLES (what it
# creates), may define tl_cleanup_extra (run first on clean-up), calls
# tl_begin once before it creates anything and ends with tl_finish.
# Invariants: clean-up runs on every exit (trap) and before the test (what
# an interrupted run left is removed), never fails, and removes exactly
# the databases, roles and the $work directory named here; tl_finish's
# line is the script's last and its status is non-zero iff a check failed.

passed=0
failed=0
work=
TL_DATABASES=()
TL_ROLES=()

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

check()		# check NAME EXPECTED ACTUAL
{
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected [$2], got [$3]"
	fi
}

# Run a command as the "postgres" OS user when root (initdb and the server
# refuse root), else as the current user.
tl_as_pg()
{
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Stop the server of data directory $1 if one runs there (for clean-up:
# immediate, never fails).
tl_stop_server()
{
	if [ -f "$1/postmaster.pid" ]; then
		tl_as_pg "$(pg_config --bindir)/pg_ctl" -D "$1" -m immediate -w stop >/dev/null 2>&1 || true
	fi
}

# Drop TL_DATABASES (ending their sessions first) and TL_ROLES, remove
# $work; run the script's tl_cleanup_extra first if it has one.
tl_cleanup()
{
	local db role
	if declare -F tl_cleanup_extra >/dev/null; then
		tl_cleanup_extra || true
	fi
	for db in "${TL_DATABASES[@]}"; do
		psql_q -d postgres \
			-c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()" \
			-c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	done
	for role in "${TL_ROLES[@]}"; do
		psql_q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
	done
	[ -z "$work" ] || rm -rf "$work"
	work=
}

# Clean up now and on every exit; $work is a fresh private directory.
tl_begin()
{
	trap tl_cleanup EXIT
	tl_cleanup
	work=$(mktemp -d)
}

# The closing line and the exit status.
tl_finish()
{
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# The SQL of the two-tenant fixture shared by test-dump.sh and
# test-upgrade.sh, in a database with tmebox created: roles regress_P_a
# and regress_P_b (which must exist) own tenants P_a (32 MB) and P_b; P_a
# has module geo with dist(), and creates dist() (bound to geo.dist) and
# shout() (a body) in public; P_b creates fib() there.  Uses only the 0.1
# API, so it serves a 0.1 catalog as well.  (Unquoted here-document: the
# C bodies hold no $ but the SQL's escaped dollar quotes.)
tl_two_tenants_sql()	# tl_two_tenants_sql P
{
	cat <<SQL
GRANT USAGE ON LANGUAGE tmebox TO regress_$1_a, regress_$1_b;
GRANT CREATE ON SCHEMA public TO regress_$1_a, regress_$1_b;
SELECT tmebox.create_tenant('$1_a', owner => 'regress_$1_a', memory_limit => '32MB');
SELECT tmebox.create_tenant('$1_b', owner => 'regress_$1_b');
SELECT tmebox.create_module('$1_a', 'geo', \$\$
#include <math.h>
double dist(double x1, double y1, double x2, double y2)
{
	return sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
}
\$\$);
SET ROLE regress_$1_a;
CREATE FUNCTION dist(float8, float8, float8, float8) RETURNS float8
	LANGUAGE tmebox IMMUTABLE STRICT AS 'geo.dist';
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE tmebox IMMUTABLE STRICT AS \$\$
	tmebox_buf *r = tmebox_buf_new(t->len);
	for (uint32_t i = 0; i < t->len; i++)
		r->data[i] = (char) toupper((unsigned char) t->data[i]);
	return r;
\$\$;
RESET ROLE;
SET ROLE regress_$1_b;
CREATE FUNCTION fib(n int4) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS \$\$
	int64_t a = 0, b = 1;
	for (int32_t i = 0; i < n; i++) { int64_t t = a + b; a = b; b = t; }
	return a;
\$\$;
RESET ROLE;
SQL
}
