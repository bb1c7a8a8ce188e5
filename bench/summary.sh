#!/bin/bash
# bench/summary.sh -- print the summary tables and the goal check of one
# results CSV (suite,case,system,value,unit) written by bench/run.sh.
#
#   bench/summary.sh bench/results/latest.csv
#
# Invariants: reads only the CSV (no re-measuring); prints "n/a" for a
# figure the CSV lacks; goals are those of issue 6 / DESIGN.md section 8.

set -euo pipefail

CSV=${1:?usage: summary.sh RESULTS.csv}

awk -F, '
NR == 1 { next }
{ v[$2 "|" $3 "|" $5] = $4; if ($1 == "kernel" && $2 != "geomean" && $2 != "load_latency") { if (!($2 in seen)) { seen[$2] = 1; order[++nk] = $2 } } }
function g(c, s, u) { return ((c "|" s "|" u) in v) ? v[c "|" s "|" u] : "n/a" }
function goal(name, ok, detail) { printf "  %-44s %-6s %s\n", name, ok ? "MET" : "MISSED", detail }
END {
	print "== kernel suite: ms per call (median) and ratio to native (median of per-run ratios)"
	printf "  %-18s %10s %10s %10s %9s %9s\n", "kernel", "native ms", "tmebox ms", "wasm2c ms", "tmebox x", "wasm2c x"
	slower = ""
	for (i = 1; i <= nk; i++) {
		k = order[i]
		printf "  %-18s %10s %10s %10s %9s %9s\n", k, g(k, "native", "ms"), g(k, "tmebox", "ms"),
			g(k, "wasm2c", "ms"), g(k, "tmebox", "x_native"), g(k, "wasm2c", "x_native")
		if (g(k, "tmebox", "x_native") + 0 >= g(k, "wasm2c", "x_native") + 0)
			slower = slower " " k
	}
	printf "  %-18s %10s %10s %10s %9s %9s\n", "geomean", "", "", "", g("geomean", "tmebox", "x_native"),
		g("geomean", "wasm2c", "x_native")
	printf "  dependent 4-byte load (gslat): %s ns native, %s ns through %%gs\n",
		g("load_latency", "native", "ns_per_load"), g("load_latency", "tmebox", "ns_per_load")

	print ""
	print "== call suite: SELECT sum(f(x)) over N rows"
	printf "  %-13s %-11s %11s %15s %10s\n", "case", "system", "ns per row", "ns per call net", "x C (row)"
	ncs = split("scalar text_reverse set_rows jsonb_field aggregate spi trigger numeric", cs, " ")
	split("none c tmebox plpgsql plpython3u", ss, " ")
	for (i = 1; i <= ncs; i++)
		for (j = 1; j <= 5; j++)
			printf "  %-13s %-11s %11s %15s %10s\n", cs[i], ss[j] == "none" ? "(no call)" : ss[j],
				g(cs[i], ss[j], "ns_per_row"), ss[j] == "none" ? "" : g(cs[i], ss[j], "ns_per_call_net"),
				(ss[j] == "none" || ss[j] == "c") ? "" : g(cs[i], ss[j], "x_c_per_row")

	print ""
	print "== scale suite (runtime library, one process, one KeyID per instance)"
	printf "  %9s %10s %9s %9s %7s %9s %10s %9s\n", "instances", "create us", "rss kB/i", "pss kB/i",
		"vmas/i", "same ns", "switch ns", "delta ns"
	split("1 10 100 1000 10000 32000", ns, " ")
	for (i = 1; i <= 6; i++) {
		n = ns[i]
		printf "  %9s %10s %9s %9s %7s %9s %10s %9s\n", n, g("create_n" n, "tmebox", "us"),
			g("rss_per_instance_n" n, "tmebox", "kB"), g("pss_per_instance_n" n, "tmebox", "kB"),
			g("vmas_per_instance_n" n, "tmebox", "count"), g("call_same_n" n, "tmebox", "ns"),
			g("call_switch_n" n, "tmebox", "ns"), g("switch_delta_n" n, "tmebox", "ns")
	}
	printf "  most instances: %s with vm.max_map_count=65530, %s with 262144\n",
		g("max_instances_map_count_65530", "tmebox", "count"), g("max_instances_map_count_262144", "tmebox", "count")
	print "  in a backend (SQL, per row; K tenants vs K functions of one tenant):"
	for (k = 10; k <= 100; k *= 10)
		if (("sql_switch_k" k "_stay|tmebox|ns_per_row") in v)
			printf "    K=%-4d stay %s ns, switch %s ns, delta %s ns; per instance: rss %s kB, pss %s kB, %s VMAs\n", k,
				g("sql_switch_k" k "_stay", "tmebox", "ns_per_row"), g("sql_switch_k" k "_switch", "tmebox", "ns_per_row"),
				g("sql_switch_k" k "_delta", "tmebox", "ns_per_row"),
				g("sql_backend_k" k "_rss_kB_per_instance", "tmebox", "kB"),
				g("sql_backend_k" k "_pss_kB_per_instance", "tmebox", "kB"),
				g("sql_backend_k" k "_vmas_per_instance", "tmebox", "count")
	for (sn = 200; sn <= 2000; sn *= 10)
		if (("sql_shared_s" sn "_instances|tmebox|count") in v)
			printf "    %s tenants sharing one function body: %s instances, first call %s us, per instance: rss %s kB, pss %s kB, %s VMAs\n", sn,
				g("sql_shared_s" sn "_instances", "tmebox", "count"), g("sql_shared_s" sn "_first_call_us", "tmebox", "us"),
				g("sql_shared_s" sn "_rss_kB", "tmebox", "kB"), g("sql_shared_s" sn "_pss_kB", "tmebox", "kB"),
				g("sql_shared_s" sn "_vmas", "tmebox", "count")

	print ""
	print "== compile suite (median wall-clock ms, in the server)"
	printf "  create_module small %s ms, CREATE FUNCTION with a body %s ms, create_module 2000 lines %s ms\n",
		g("create_module_small", "tmebox", "ms"), g("create_function_body", "tmebox", "ms"),
		g("create_module_2000_lines", "tmebox", "ms")
	printf "  compiled by another tenant before (shared compile cache): create_module small %s ms, CREATE FUNCTION with a body %s ms\n",
		g("create_module_small_cached", "tmebox", "ms"), g("create_function_body_cached", "tmebox", "ms")

	print ""
	print "== goals (issue 6)"
	gm = g("geomean", "tmebox", "x_native")
	goal("kernel geomean <= 1.05 x native", gm != "n/a" && gm + 0 <= 1.05, gm " x")
	goal("faster than wasm2c on every kernel", slower == "", slower == "" ? "" : "not faster on:" slower)
	r = g("scalar", "tmebox", "x_c_per_row")
	goal("scalar call <= 1.2 x LANGUAGE C per row", r != "n/a" && r + 0 <= 1.2, r " x")
	m = g("max_instances_map_count_262144", "tmebox", "count")
	goal(">= 32000 instances in one process", m != "n/a" && m + 0 >= 32000, m " (runtime, raised vm.max_map_count)")
	d = g("switch_delta_n32000", "tmebox", "ns")
	goal("tenant switch <= 50 ns (32000 instances)", d != "n/a" && d + 0 <= 50, d " ns")
	d = g("sql_switch_k10_delta", "tmebox", "ns_per_row")
	goal("tenant switch <= 50 ns (SQL, 10 tenants)", d != "n/a" && d + 0 <= 50, d " ns per row")
	c = g("create_function_body", "tmebox", "ms")
	goal("small function compiles in < 1 s", c != "n/a" && c + 0 < 1000, c " ms")
	c = g("create_function_body_cached", "tmebox", "ms")
	goal("CREATE FUNCTION from the compile cache < 150 ms (issue 11)", c != "n/a" && c + 0 < 150, c " ms")
}' "$CSV"
