/*-------------------------------------------------------------------------
 *
 * scalebench.c
 *		Scale suite against the runtime library: how many instances one
 *		process (one backend) holds, what creating one costs, what an idle
 *		one costs in memory and mappings, and what switching instance
 *		(= tenant, %gs base) on every call costs against staying in one.
 *		Prints CSV rows "scale,CASE,tmebox,VALUE,UNIT" on stdout.
 *
 *		usage: scalebench MODULE.tmbx [-l LEVELS] [-c CALLS] [--probe MAX]
 *		  -l 1,10,100,1000,10000,32000   instance counts to measure at
 *		  -c CALLS                        calls per switching measurement
 *		  --probe MAX                     afterwards, keep creating up to MAX
 *		                                  instances and report where and why
 *		                                  creation fails
 *
 * Invariants:
 *	- Each instance gets its own KeyID (1..32767, wrapping), as if every
 *	  instance belonged to a different tenant.
 *	- Every call's result is checked (inc(x) == x + 1).
 *	- Memory is read from /proc/self/smaps_rollup (Rss, Pss) and mappings
 *	  from /proc/self/maps, before and after each level; per-instance
 *	  figures are deltas divided by the instances added.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tmebox_rt.h"

static tmebox_module *sb_mod;
static int	sb_idx;

static double
sb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Rss and Pss of this process in kB. */
static void
sb_memory(long *rss, long *pss)
{
	FILE	   *f = fopen("/proc/self/smaps_rollup", "r");
	char		line[256];

	*rss = *pss = -1;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f))
	{
		if (strncmp(line, "Rss:", 4) == 0)
			*rss = atol(line + 4);
		else if (strncmp(line, "Pss:", 4) == 0)
			*pss = atol(line + 4);
	}
	fclose(f);
}

static long
sb_vmas(void)
{
	FILE	   *f = fopen("/proc/self/maps", "r");
	int			c;
	long		n = 0;

	if (f == NULL)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void
sb_call(tmebox_instance *inst, int32_t x)
{
	tmebox_value arg,
				res;
	tmebox_fault fault;

	memset(&arg, 0, sizeof(arg));
	arg.v.i = x;
	if (tmebox_call(inst, sb_idx, &arg, &res, NULL, NULL, &fault) != 0 ||
		res.v.i != (int64_t) x + 1)
	{
		fprintf(stderr, "scalebench: wrong result or fault\n");
		exit(1);
	}
}

static int
sb_cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	char		err[512];
	const char *levels_arg = "1,10,100,1000,10000,32000";
	long		calls = 2000000,
				probe = 0;
	long		levels[32];
	int			nlevels = 0;
	tmebox_instance **inst;
	long		have = 0,
				maxlevel = 0;
	FILE	   *f;
	char	   *buf;
	long		len;

	if (argc < 2)
	{
		fprintf(stderr, "usage: scalebench MODULE.tmbx [-l LEVELS] [-c CALLS] [--probe MAX]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
	{
		if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
			levels_arg = argv[++i];
		else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			calls = atol(argv[++i]);
		else if (strcmp(argv[i], "--probe") == 0 && i + 1 < argc)
			probe = atol(argv[++i]);
		else
		{
			fprintf(stderr, "scalebench: bad argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	for (const char *p = levels_arg; *p && nlevels < 32;)
	{
		levels[nlevels] = strtol(p, (char **) &p, 10);
		if (levels[nlevels] > maxlevel)
			maxlevel = levels[nlevels];
		nlevels++;
		if (*p == ',')
			p++;
	}
	if (probe > maxlevel)
		maxlevel = probe;

	f = fopen(argv[1], "rb");
	if (f == NULL)
	{
		fprintf(stderr, "scalebench: could not open \"%s\"\n", argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len);
	if (fread(buf, 1, len, f) != (size_t) len)
		return 1;
	fclose(f);
	if (tmebox_module_load(buf, len, &sb_mod, err, sizeof(err)) != 0)
	{
		fprintf(stderr, "scalebench: %s\n", err);
		return 1;
	}
	sb_idx = tmebox_module_find_export(sb_mod, "inc");
	inst = calloc(maxlevel + 1, sizeof(*inst));

	fprintf(stderr, "%9s %12s %10s %10s %8s %10s %10s %10s\n", "instances",
			"create us", "rss kB/i", "pss kB/i", "vmas/i", "same ns", "switch ns",
			"delta ns");
	for (int l = 0; l < nlevels; l++)
	{
		long		target = levels[l];
		long		rss0, pss0, rss1, pss1, vma0, vma1;
		long		added;
		double		t0, t_create, same[5], sw[5];
		long		ncalls;

		sb_memory(&rss0, &pss0);
		vma0 = sb_vmas();
		added = target - have;
		t0 = sb_now_ns();
		for (; have < target; have++)
		{
			if (tmebox_instance_create(sb_mod, (uint32_t) (have % 32767) + 1, NULL,
									   &inst[have], err, sizeof(err)) != 0)
			{
				fprintf(stderr, "scalebench: instance %ld: %s (errno %d: %s)\n",
						have + 1, err, errno, strerror(errno));
				printf("scale,max_instances,tmebox,%ld,count\n", have);
				return 1;
			}
			/* one call each: an instance that has run once, then idles */
			sb_call(inst[have], (int32_t) have);
		}
		t_create = added > 0 ? (sb_now_ns() - t0) / added : 0;
		sb_memory(&rss1, &pss1);
		vma1 = sb_vmas();

		/* same instance vs a different instance on every call; 5 rounds,
		 * interleaved, medians; at least 4 passes over all instances */
		ncalls = calls > 4 * target ? calls : 4 * target;
		for (int r = 0; r < 5; r++)
		{
			t0 = sb_now_ns();
			for (long i = 0; i < ncalls; i++)
				sb_call(inst[0], (int32_t) i);
			same[r] = (sb_now_ns() - t0) / ncalls;
			t0 = sb_now_ns();
			for (long i = 0, k = 0; i < ncalls; i++)
			{
				sb_call(inst[k], (int32_t) i);
				if (++k == target)
					k = 0;
			}
			sw[r] = (sb_now_ns() - t0) / ncalls;
		}
		qsort(same, 5, sizeof(double), sb_cmp_double);
		qsort(sw, 5, sizeof(double), sb_cmp_double);

		printf("scale,create_n%ld,tmebox,%.2f,us\n", target, t_create / 1e3);
		printf("scale,rss_per_instance_n%ld,tmebox,%.1f,kB\n", target,
			   added > 0 ? (double) (rss1 - rss0) / added : 0);
		printf("scale,pss_per_instance_n%ld,tmebox,%.1f,kB\n", target,
			   added > 0 ? (double) (pss1 - pss0) / added : 0);
		printf("scale,vmas_per_instance_n%ld,tmebox,%.2f,count\n", target,
			   added > 0 ? (double) (vma1 - vma0) / added : 0);
		printf("scale,vmas_total_n%ld,tmebox,%ld,count\n", target, vma1);
		printf("scale,committed_per_instance,tmebox,%.1f,kB\n",
			   tmebox_instance_committed(inst[0]) / 1024.0);
		printf("scale,call_same_n%ld,tmebox,%.1f,ns\n", target, same[2]);
		printf("scale,call_switch_n%ld,tmebox,%.1f,ns\n", target, sw[2]);
		printf("scale,switch_delta_n%ld,tmebox,%.1f,ns\n", target, sw[2] - same[2]);
		fflush(stdout);
		fprintf(stderr, "%9ld %12.2f %10.1f %10.1f %8.2f %10.1f %10.1f %10.1f\n",
				target, t_create / 1e3,
				added > 0 ? (double) (rss1 - rss0) / added : 0,
				added > 0 ? (double) (pss1 - pss0) / added : 0,
				added > 0 ? (double) (vma1 - vma0) / added : 0,
				same[2], sw[2], sw[2] - same[2]);
	}

	if (probe > 0)
	{
		for (; have < probe; have++)
		{
			if (tmebox_instance_create(sb_mod, (uint32_t) (have % 32767) + 1, NULL,
									   &inst[have], err, sizeof(err)) != 0)
			{
				fprintf(stderr, "scalebench: creating instance %ld failed: %s "
						"(errno %d: %s); %ld mappings\n", have + 1, err, errno,
						strerror(errno), sb_vmas());
				break;
			}
		}
		printf("scale,max_instances,tmebox,%ld,count\n", have);
		fprintf(stderr, "scalebench: %ld instances live (probe up to %ld), %ld mappings\n",
				have, probe, sb_vmas());
	}
	return 0;
}
