/*-------------------------------------------------------------------------
 *
 * main.c
 *		Runs every native unit-test suite of the sandbox libc, then checks
 *		the bitcode library's undefined symbols, and prints
 *		"N passed, N failed" (exit status 1 if anything failed).
 *
 * Invariants: a suite that crashes ends the run with a non-zero status.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmb.h"

/*
 * lib/libc.bc may only leave host calls and LLVM intrinsics undefined:
 * everything else would be an external call tmb-cc refuses.
 */
static void
test_bitcode_symbols(const char *nm, const char *bc)
{
	char		cmd[512];
	char		line[512];
	FILE	   *p;
	int			n = 0,
				bad = 0;

	snprintf(cmd, sizeof cmd, "%s -u %s 2>&1", nm, bc);
	p = popen(cmd, "r");
	CHECK(p != NULL, "cannot run %s", cmd);
	if (p == NULL)
		return;
	while (fgets(line, sizeof line, p))
	{
		char	   *sym = strrchr(line, ' ');

		sym = sym ? sym + 1 : line;
		sym[strcspn(sym, "\n")] = '\0';
		n++;
		if (strncmp(sym, "__tmebox_host_", 14) != 0 &&
			strncmp(sym, "llvm.", 5) != 0)
		{
			bad++;
			fprintf(stderr, "libc.bc: unexpected undefined symbol: %s\n", line);
		}
	}
	CHECK(pclose(p) == 0, "%s failed", cmd);
	CHECK(n > 0 && bad == 0, "%d undefined symbols, %d not allowed", n, bad);
}

int
main(int argc, char **argv)
{
	test_format();
	test_strtol();
	test_strtod();
	test_qsort();
	test_malloc();
	test_string();
	test_ctype();
	test_math();
	test_misc();
	test_datetime();
	test_jsonb();
	test_numeric();
	if (argc == 3)
		test_bitcode_symbols(argv[1], argv[2]);
	else
	{
		tmb_failed++;
		fprintf(stderr, "FAIL: usage: run_tests LLVM-NM LIBC.BC\n");
	}
	printf("%d passed, %d failed\n", tmb_passed, tmb_failed);
	return tmb_failed ? 1 : 0;
}
