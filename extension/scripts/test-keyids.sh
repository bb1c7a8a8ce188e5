#!/bin/bash
# extension/scripts/test-keyids.sh -- KeyIDs are unique across the
# cluster (issue 13 part 3; extension/pg/tpg_keyreg.c): two databases
# creating tenants at the same time never share a KeyID; a rolled-back
# create_tenant, a backend killed with SIGKILL in the middle of one (the
# server's crash restart) and a committed drop_tenant free their KeyIDs, a
# rolled-back drop does not; DROP DATABASE frees its KeyIDs; a restart
# keeps the registry; exhaustion is 53400 naming the databases holding
# KeyIDs; a database restored or copied into the cluster gets new KeyIDs
# for the ones another database holds; a corrupt registry is refused with
# XX001 and the server stays up.
#
# Runs its own private cluster (initdb, Unix socket only) because it kills
# backends and restarts the server; needs tmebox installed for the
# PostgreSQL found by pg_config; runs as root (the cluster runs as the
# "postgres" user) or as that user.  tmebox-dev.sh test runs it.
# Invariants: the private cluster and its directory are removed on every
# exit (trap); it prints "N passed, N failed" with a non-zero exit status
# on any failure.
set -euo pipefail

PG_BIN=$(pg_config --bindir)
base=
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"

tl_cleanup_extra()
{
	[ -z "$base" ] || tl_stop_server "$base/data"
	[ -z "$base" ] || rm -rf "$base"
	base=
}
tl_begin

base=$(mktemp -d /tmp/tmebox-keyids.XXXXXX)
mkdir "$base/sock"
chown postgres: "$base" "$base/sock" 2>/dev/null || true
chmod 700 "$base" "$base/sock"
tl_as_pg "$PG_BIN/initdb" -D "$base/data" -U postgres -A trust >/dev/null
cat >>"$base/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$base/sock'
port = 5432
EOF
tl_as_pg "$PG_BIN/pg_ctl" -D "$base/data" -l "$base/log" -w start >/dev/null
export PGHOST=$base/sock PGPORT=5432 PGUSER=postgres
registry=$base/data/pg_tmebox/keyids

q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
keyids() { q -d "$1" -c "SELECT string_agg(keyid::text, ',' ORDER BY keyid) FROM tmebox.tenant"; }
# every KeyID of the named databases, one per line, sorted
all_keyids()
{
	local db
	for db in "$@"; do
		q -d "$db" -c "SELECT keyid FROM tmebox.tenant"
	done | sort -n
}
# the number of KeyIDs held by more than one tenant of the named databases
shared() { all_keyids "$@" | uniq -d | wc -l; }
# the entries of database $1 in the registry file
entries() { tl_as_pg awk -v db="$(q -d postgres -c "SELECT oid FROM pg_database WHERE datname = '$1'")" 'NR > 1 && $2 == db' "$registry" | wc -l; }
wait_ready()
{
	local i
	for i in $(seq 1 600); do
		q -d postgres -c "SELECT 1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

for db in ka kb kc; do
	q -d postgres -c "CREATE DATABASE $db" >/dev/null
	q -d "$db" -c "CREATE EXTENSION tmebox" >/dev/null
done

# --- two databases, 2 x 50 create_tenant at the same time ----------------
for db in ka kb; do
	for i in $(seq 1 50); do
		echo "SELECT tmebox.create_tenant('${db}_$i');"
	done >"$work/$db.sql"
done
q -d ka -f "$work/ka.sql" >/dev/null & pa=$!
q -d kb -f "$work/kb.sql" >/dev/null & pb=$!
wait $pa && wait $pb && r=ok || r=failed
check "2 x 50 concurrent create_tenant succeed" ok "$r"
check "no KeyID is held by two databases" 0 "$(shared ka kb)"
check "the 100 tenants hold KeyIDs 1 to 100" "$(seq -s, 1 100)" "$(all_keyids ka kb | paste -sd,)"
check "the registry has 50 entries of each database" "50 50" "$(entries ka) $(entries kb)"
check "the registry file is the form tmebox writes" "tmebox keyids 1" "$(tl_as_pg head -1 "$registry")"

# --- a rolled-back create_tenant frees its KeyID -------------------------
k=$(q -d ka -c "BEGIN" -c "SELECT tmebox.create_tenant('rolled_back')" -c "ROLLBACK" | sed -n 1p)
check "a rolled-back create_tenant had KeyID 101" 101 "$k"
check "its KeyID goes to the next create_tenant, in another database" 101 \
	"$(q -d kb -c "SELECT tmebox.create_tenant('after_rollback')")"
# a savepoint rolled back inside a committed transaction frees it too
check "a create_tenant under a rolled-back savepoint frees its KeyID" 102 \
	"$(q -d ka -c "BEGIN" -c "SAVEPOINT s" -c "SELECT tmebox.create_tenant('sp')" \
		-c "ROLLBACK TO SAVEPOINT s" -c "COMMIT" >/dev/null; q -d kb -c "SELECT tmebox.create_tenant('after_savepoint')")"

# --- a backend killed in the middle of create_tenant ---------------------
q -d ka -c "SELECT pg_backend_pid()" -c "BEGIN" -c "SELECT tmebox.create_tenant('doomed')" \
	-c "SELECT pg_sleep(60)" >"$work/doomed.out" 2>&1 &
pd=$!
for i in $(seq 1 50); do
	[ "$(wc -l <"$work/doomed.out")" -ge 2 ] && break
	sleep 0.2
done
check "the doomed transaction took KeyID 103" 103 "$(sed -n 2p "$work/doomed.out")"
kill -9 "$(sed -n 1p "$work/doomed.out")"
wait $pd || true
wait_ready && r=up || r=down
check "the server is back after the crash restart" up "$r"
check "after the crash the doomed KeyID is free again, for another database" 103 \
	"$(q -d kb -c "SELECT tmebox.create_tenant('after_crash')")"
check "no KeyID is shared after the crash" 0 "$(shared ka kb)"

# --- drop_tenant: committed frees, rolled back keeps ---------------------
q -d ka -c "BEGIN" -c "SELECT tmebox.drop_tenant('ka_1')" -c "ROLLBACK" >/dev/null
check "a rolled-back drop_tenant frees nothing" 104 "$(q -d kb -c "SELECT tmebox.create_tenant('after_drop_rollback')")"
k=$(q -d ka -c "SELECT keyid FROM tmebox.tenant WHERE name = 'ka_1'")
q -d ka -c "SELECT tmebox.drop_tenant('ka_1')" >/dev/null
check "a committed drop_tenant frees its KeyID for another database" "$k" \
	"$(q -d kb -c "SELECT tmebox.create_tenant('after_drop')")"

# --- a restart keeps the registry -----------------------------------------
tl_as_pg "$PG_BIN/pg_ctl" -D "$base/data" -l "$base/log" -w restart >/dev/null
check "after a restart the next KeyID is 105" 105 "$(q -d kc -c "SELECT tmebox.create_tenant('kc_1')")"
check "no KeyID is shared after the restart" 0 "$(shared ka kb kc)"

# --- exhaustion names the databases ---------------------------------------
out=$(q -d kc -c "SET tmebox.max_keyids = 105" -c "\\set VERBOSITY verbose" \
	-c "SELECT tmebox.create_tenant('kc_2')" 2>&1 || true)
echo "$out" | grep -q "53400" && r=53400 || r="$out"
check "no free KeyID is 53400" 53400 "$r"
echo "$out" | grep 'KeyIDs 1 to 105 are all in use: ' | grep -q '49 by database "ka"' &&
	echo "$out" | grep -q '55 by database "kb"' && echo "$out" | grep -q '1 by this database' && r=named || r="$out"
check "the error names the databases that hold KeyIDs" named "$r"

# --- a restored database gets new KeyIDs where they are taken --------------
q -d postgres -c "CREATE DATABASE kd" >/dev/null
"$PG_BIN/pg_dump" -d kc -f "$work/kc.sql"
q -d kd -f "$work/kc.sql" >/dev/null 2>"$work/restore.err"
grep -q 'tmebox tenant "kc_1" gets KeyID 106 instead of 105' "$work/restore.err" && r=warned || r=$(cat "$work/restore.err")
check "a restore into the same cluster warns of the new KeyID" warned "$r"
check "the restored tenant has KeyID 106" 106 "$(keyids kd)"
check "no KeyID is shared after the restore" 0 "$(shared ka kb kc kd)"

# --- a copy made with CREATE DATABASE ... TEMPLATE -------------------------
q -d postgres -c "CREATE DATABASE ke TEMPLATE kc" >/dev/null
check "the copy's first create_tenant moves the copied tenant and takes the next" 108 \
	"$(q -d ke -c "SELECT tmebox.create_tenant('ke_1')" 2>/dev/null)"
check "the copied tenant now has KeyID 107" "107,108" "$(keyids ke)"
check "no KeyID is shared after the copy" 0 "$(shared ka kb kc kd ke)"

# --- DROP DATABASE frees its KeyIDs ----------------------------------------
q -d postgres -c "DROP DATABASE kb" >/dev/null
check "after DROP DATABASE its lowest KeyID is the next one" "$(seq 1 110 | grep -vxF -f <(all_keyids ka kc kd ke) | head -1)" \
	"$(q -d ka -c "SELECT tmebox.create_tenant('after_dropdb')")"
check "the registry holds only the KeyIDs of existing tenants" "$(all_keyids ka kc kd ke | paste -sd,)" \
	"$(tl_as_pg awk 'NR > 1 { print $1 }' "$registry" | paste -sd,)"

# --- a corrupt registry is refused, the server stays up --------------------
tl_as_pg cat "$registry" >"$work/keyids.good"
tl_as_pg sh -c "printf 'tmebox keyids 1\n1 1 a 0 0\n1 2 b 0 0\n' >'$registry'"
out=$(q -d ka -c "\\set VERBOSITY verbose" -c "SELECT tmebox.create_tenant('corrupt')" 2>&1 || true)
echo "$out" | grep -q 'XX001: tmebox.s KeyID registry "pg_tmebox/keyids" is corrupt' &&
	echo "$out" | grep -q "line 3: KeyID 1 is not above" && r=refused || r="$out"
check "a corrupt registry is refused with XX001 naming the line" refused "$r"
check "the server is still up" 1 "$(q -d postgres -c "SELECT 1")"
tl_as_pg sh -c "cat >'$registry'" <"$work/keyids.good"
q -d ka -c "SELECT tmebox.create_tenant('repaired')" >/dev/null && r=ok || r=failed
check "with the file put back create_tenant works again" ok "$r"
check "no KeyID is shared at the end" 0 "$(shared ka kc kd ke)"

tl_finish
