#!/bin/bash
# bench/plot.sh -- draw one results CSV of bench/run.sh as a 2 x 2 PNG:
# kernel slowdown vs native (tmebox, wasm2c), ns per row of a SQL call per
# language, tenant-switch cost vs instance count, compile latency.
#
#   bench/plot.sh RESULTS.csv OUT.png
#
# Invariants: reads only the CSV; gnuplot (gnuplot-nox) and awk, no python;
# goal lines drawn where issue 6 sets one.

set -euo pipefail

CSV=${1:?usage: plot.sh RESULTS.csv OUT.png}
OUT=${2:?usage: plot.sh RESULTS.csv OUT.png}
D=$(mktemp -d /tmp/tmebox-plot.XXXXXX)
trap 'rm -rf "$D"' EXIT

awk -F, -v d="$D" '
NR == 1 { next }
$1 == "kernel" && $5 == "x_native" { x[$2 "|" $3] = $4; if (!($2 in s)) { s[$2] = 1; o[++n] = $2 } }
$1 == "call" && $5 == "ns_per_row" { c[$2 "|" $3] = $4 }
$1 == "scale" { v[$2] = $4 }
$1 == "compile" { cc[$2] = $4 }
END {
	for (i = 1; i <= n; i++)
		printf "%s %s %s\n", o[i], x[o[i] "|tmebox"], x[o[i] "|wasm2c"] > (d "/kernel.dat")
	split("c tmebox plpgsql plpython3u", sy, " ")
	for (i = 1; i <= 4; i++)
		printf "%s %s %s\n", sy[i], c["scalar|" sy[i]], c["text_reverse|" sy[i]] > (d "/call.dat")
	split("1 10 100 1000 10000 32000", ns, " ")
	for (i = 1; i <= 6; i++)
		if (("call_same_n" ns[i]) in v)
			printf "%s %s %s %s\n", ns[i], v["call_same_n" ns[i]], v["call_switch_n" ns[i]],
				v["create_n" ns[i]] > (d "/scale.dat")
	printf "\"small module\" %s\n\"CREATE FUNCTION body\" %s\n\"2000-line module\" %s\n",
		cc["create_module_small"], cc["create_function_body"], cc["create_module_2000_lines"] > (d "/compile.dat")
}' "$CSV"

gnuplot <<GP
set terminal pngcairo size 1500,1050 font "DejaVu Sans,11" noenhanced
set output "$OUT"
set multiplot layout 2,2 title "tmebox benchmarks ($(basename "$CSV"), $(date +%Y-%m-%d), $(nproc) CPUs)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set grid ytics

set title "Kernels: time relative to native (lower is better)"
set logscale y 2
set yrange [0.25:8]
set ylabel "x native"
set xtics rotate by -40 scale 0 font ",9"
set key top left
plot "$D/kernel.dat" using 2:xtic(1) title "tmebox" lc rgb "#1f77b4", \
	'' using 3 title "wasm2c (RLBox way)" lc rgb "#ff7f0e", \
	1.05 with lines dt 2 lc rgb "red" title "goal 1.05x", \
	1 with lines lc rgb "black" notitle
unset logscale y
set yrange [*:*]

set title "SQL: ns per row, SELECT sum(f(x)) (lower is better)"
set logscale y 10
set ylabel "ns per row (log)"
set xtics norotate font ",11"
plot "$D/call.dat" using 2:xtic(1) title "int4 -> int4 (x + 1)" lc rgb "#2ca02c", \
	'' using 3 title "text -> text (reverse)" lc rgb "#9467bd"
unset logscale y

set title "Instances in one process: call cost, same vs switching instance every call"
set style data linespoints
set logscale x 10
set logscale y 10
set xlabel "live instances"
set ylabel "ns per call (log)"
set xrange [0.7:50000]
set key top left
plot "$D/scale.dat" using 1:2 title "same instance" lw 2 pt 7, \
	'' using 1:3 title "switch every call" lw 2 pt 5, \
	'' using 1:(\$2 + 50) title "goal: same + 50 ns" dt 2 lc rgb "red" with lines
unset logscale x
unset logscale y
unset xlabel
set xrange [*:*]

set title "Compile latency in the server (median)"
set style data histograms
set ylabel "ms"
set yrange [0:*]
set key top left
plot "$D/compile.dat" using 2:xtic(1) title "wall-clock ms" lc rgb "#8c564b", \
	1000 with lines dt 2 lc rgb "red" title "goal for a small function: 1 s"
unset multiplot
GP
