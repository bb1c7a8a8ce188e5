/*-------------------------------------------------------------------------
 *
 * gslat.c
 *		The price of the segment base, in isolation: a chain of dependent
 *		4-byte loads (each address depends on the value loaded before),
 *		once as a native load `(%base,%idx,4)` and once as a sandboxed load
 *		`%gs:(%ebase,%eidx,4)` (the form tmebox-cc emits: %gs override, 32-bit
 *		address size), over the same 16 KiB table in L1.  Latency-bound
 *		kernels (table-driven CRC, base64, hash probes, sorting's
 *		compare-and-branch on loaded values) pay this difference per load
 *		on the critical path.
 *
 *		usage: gslat [LOADS]   prints CSV rows on stdout
 *		  kernel,load_latency,native,NS,ns_per_load
 *		  kernel,load_latency,tmebox,NS,ns_per_load
 *
 * Invariants: both chains walk the same table the same number of steps and
 * must end on the same index (else exit 1); the two are timed alternately
 * over 7 rounds and the median of each is printed.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define GS_ENTRIES 4096
#define GS_ROUNDS 7

static double
gs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t
chase_native(const uint32_t *t, long n)
{
	uint64_t	i = 0;

	for (long k = 0; k < n; k++)
		__asm__ volatile ("movl (%1,%0,4), %k0":"+r" (i):"r" (t));
	return i;
}

/* %gs base = 0 offset of the table: the table is at view offset 0 here */
static uint64_t
chase_gs(long n)
{
	uint64_t	i = 0;
	uint64_t	zero = 0;

	for (long k = 0; k < n; k++)
		__asm__ volatile ("movl %%gs:(%k1,%k0,4), %k0":"+r" (i):"r" (zero));
	return i;
}

static int
gs_cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	long		n = argc > 1 ? atol(argv[1]) : 50000000L;
	uint32_t   *t = aligned_alloc(64, GS_ENTRIES * sizeof(uint32_t));
	double		tn[GS_ROUNDS],
				tg[GS_ROUNDS];
	uint64_t	rn = 0,
				rg = 0;

	if (t == NULL || n <= 0)
		return 2;
	/* one long cycle through the table */
	for (uint32_t i = 0; i < GS_ENTRIES; i++)
		t[i] = (i * 1237u + 1) % GS_ENTRIES;
	if (getauxval(AT_HWCAP2) & 2)	/* HWCAP2_FSGSBASE */
		__asm__ volatile ("wrgsbase %0"::"r" ((uint64_t) (uintptr_t) t):"memory");
	else if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long) (uintptr_t) t) != 0)
		return 2;

	for (int r = 0; r < GS_ROUNDS; r++)
	{
		double		t0 = gs_now_ns();

		rn = chase_native(t, n);
		tn[r] = (gs_now_ns() - t0) / n;
		t0 = gs_now_ns();
		rg = chase_gs(n);
		tg[r] = (gs_now_ns() - t0) / n;
	}
	if (rn != rg)
	{
		fprintf(stderr, "gslat: the chains disagree (%llu vs %llu)\n",
				(unsigned long long) rn, (unsigned long long) rg);
		return 1;
	}
	qsort(tn, GS_ROUNDS, sizeof(double), gs_cmp);
	qsort(tg, GS_ROUNDS, sizeof(double), gs_cmp);
	printf("kernel,load_latency,native,%.3f,ns_per_load\n", tn[GS_ROUNDS / 2]);
	printf("kernel,load_latency,tmebox,%.3f,ns_per_load\n", tg[GS_ROUNDS / 2]);
	fprintf(stderr, "gslat: dependent load %.3f ns native, %.3f ns through %%gs (+%.3f ns)\n",
			tn[GS_ROUNDS / 2], tg[GS_ROUNDS / 2], tg[GS_ROUNDS / 2] - tn[GS_ROUNDS / 2]);
	return 0;
}
