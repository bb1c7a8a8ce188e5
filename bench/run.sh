#!/bin/bash
# bench/run.sh -- run every tmebox benchmark suite, print a summary table,
# write the results as CSV and plot them.  `make bench` = run.sh full,
# `make bench-quick` = run.sh quick.
#
#   bench/run.sh full    results in bench/results/latest.{csv,png}
#   bench/run.sh quick   reduced run (< 3 minutes here), results in
#                        bench/results/quick.{csv,png} (never overwrites
#                        the full results)
#
# Suites (see bench/README.md): kernel (native vs tmebox vs wasm2c, one
# process), scale (instances per process through the runtime library; the
# SQL part runs in the call suite's cluster), call and compile (SQL, in a
# private temporary cluster started by extension/scripts/tmebox-dev.sh).
#
# Invariants:
#   - Runs as root on Debian 12 (like tmebox-dev.sh): installs wabt and
#     gnuplot-nox with apt-get only when missing.
#   - vm.max_map_count is raised to 262144 only for the 32 000-instance part
#     of the scale suite and restored on every exit (trap); the limit under
#     the stock value 65530 is measured first, with that value in force.
#   - The CSV has exactly the columns suite,case,system,value,unit; every
#     row comes from this one run.  Nothing is written to results/ unless
#     every suite succeeded.
#   - No python: bash, awk, gnuplot.

set -euo pipefail

MODE=${1:-full}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$ROOT/bench/build
RESULTS=$ROOT/bench/results
OLD_MAP_COUNT=
TMP=

log() { printf '\nbench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

case "$MODE" in
	full)
		KRUNS=41; KSCALE=100; LEVELS=1,10,100,1000,10000,32000; SCALLS=2000000
		NAME=latest ;;
	quick)
		KRUNS=3; KSCALE=50; LEVELS=1,10,100,1000,10000,32000; SCALLS=200000
		NAME=quick ;;
	*)
		die "usage: bench/run.sh full|quick" ;;
esac

cleanup()
{
	if [ -n "$OLD_MAP_COUNT" ]; then
		sysctl -q -w vm.max_map_count="$OLD_MAP_COUNT" || true
	fi
	if [ -n "$TMP" ]; then
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || die "run as root (packages, sysctl, the temporary cluster)"

missing=""
for p in wabt gnuplot-nox; do
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing </dev/null
fi

TMP=$(mktemp -d /tmp/tmebox-bench.XXXXXX)
CSV=$TMP/rows.csv
: >"$CSV"
START=$(date +%s)

log "building (tmebox-cc, runtime, benchmark programs)"
make -C "$ROOT" -s >/dev/null
make -C "$ROOT/extension/runtime" -s >/dev/null
make -C "$ROOT/bench" -s

log "kernel suite: native vs tmebox vs wasm2c ($KRUNS runs, ${KSCALE}% work)"
"$B/kbench" "$B/kernels.tmbx" -r "$KRUNS" -s "$KSCALE" >>"$CSV"
"$B/gslat" >>"$CSV"

log "scale suite (runtime): limit under the stock vm.max_map_count"
OLD_MAP_COUNT=$(sysctl -n vm.max_map_count)
sysctl -q -w vm.max_map_count=65530
"$B/scalebench" "$B/tiny.tmbx" -l 1 -c 1000 --probe 40000 |
	sed -n 's/^scale,max_instances,/scale,max_instances_map_count_65530,/p' >>"$CSV"
log "scale suite (runtime): vm.max_map_count=262144 for this part only"
sysctl -q -w vm.max_map_count=262144
"$B/scalebench" "$B/tiny.tmbx" -l "$LEVELS" -c "$SCALLS" --probe 40000 |
	sed 's/^scale,max_instances,/scale,max_instances_map_count_262144,/' >>"$CSV"
sysctl -q -w vm.max_map_count="$OLD_MAP_COUNT"
OLD_MAP_COUNT=

log "SQL suites (call, scale, compile) in a temporary cluster"
# own port and cluster directory: other sessions may be running
# tmebox-dev.sh test in this checkout at the same time
export TMEBOX_PORT=${TMEBOX_PORT:-54391} TMEBOX_CLUSTER=${TMEBOX_CLUSTER:-bench-cluster}
"$ROOT/extension/scripts/tmebox-dev.sh" bench "$MODE" "$CSV" >&2

mkdir -p "$RESULTS"
{
	echo "suite,case,system,value,unit"
	grep -E '^(kernel|call|scale|compile),' "$CSV"
} >"$RESULTS/$NAME.csv"
"$ROOT/bench/summary.sh" "$RESULTS/$NAME.csv"
"$ROOT/bench/plot.sh" "$RESULTS/$NAME.csv" "$RESULTS/$NAME.png"
log "wrote $RESULTS/$NAME.csv and $RESULTS/$NAME.png ($(($(date +%s) - START)) s)"
