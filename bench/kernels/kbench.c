/*-------------------------------------------------------------------------
 *
 * kbench.c
 *		Kernel suite driver: runs every kernel of kernels.def natively,
 *		sandboxed by tmebox (module from tmebox-cc, run in-process through
 *		libtmebox_rt.a) and as wasm2c output (the RLBox way), checks that
 *		the three return the same checksum, and prints CSV rows
 *		"kernel,CASE,SYSTEM,VALUE,UNIT" on stdout (human summary on stderr).
 *
 *		usage: kbench MODULE.tmbx [-r RUNS] [-s PERCENT] [-k KERNEL]
 *		       kbench MODULE.tmbx --profile SYSTEM KERNEL CALLS
 *
 * Invariants:
 *	- Every timed call's result is compared with the native checksum of the
 *	  same n: a wrong or faulting sandboxed call aborts the run (exit 1), so
 *	  a broken build cannot produce a fast number.
 *	- Systems are interleaved: in each run, each kernel is timed once per
 *	  system, back to back, in an order rotated from run to run; a ratio is
 *	  the median over runs of the per-run ratio, so drift of the shared
 *	  machine hits both sides of a ratio alike.
 *	- Only the call is timed (module load, instance creation and the
 *	  kernels' one-time input generation happen in the untimed warm-up).
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tmebox_rt.h"
#include "wasm-rt.h"
#include "kernels_w2c.h"

/* native kernels (kernels.c compiled natively) */
#define KERNEL(name, n) extern int64_t k_##name(int32_t);
#include "kernels.def"
#undef KERNEL

typedef struct KbKernel
{
	const char *name;
	int32_t		n;
	int64_t		(*native) (int32_t);
	u64			(*w2c) (Z_kernels_instance_t *, u32);
	int			tidx;			/* export index in the tmebox module */
	int64_t		expect;			/* native checksum for the timed n */
} KbKernel;

static KbKernel kb_kernels[] = {
#define KERNEL(name, n) {#name, n, k_##name, Z_kernelsZ_k_##name, -1, 0},
#include "kernels.def"
#undef KERNEL
};
#define KB_NKERNELS ((int) (sizeof(kb_kernels) / sizeof(kb_kernels[0])))

enum
{
	SYS_NATIVE, SYS_TMEBOX, SYS_WASM2C, SYS_COUNT
};
static const char *const kb_sysname[SYS_COUNT] = {"native", "tmebox", "wasm2c"};

static tmebox_instance *kb_inst;
static Z_kernels_instance_t kb_w2c;

static double
kb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *
kb_read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		n;

	if (f == NULL)
	{
		fprintf(stderr, "kbench: could not open \"%s\"\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (buf == NULL || fread(buf, 1, n, f) != (size_t) n)
	{
		fprintf(stderr, "kbench: could not read \"%s\"\n", path);
		exit(1);
	}
	fclose(f);
	*len = n;
	return buf;
}

/* One call of kernel k on system sys with argument n; returns its result. */
static int64_t
kb_call(KbKernel *k, int sys, int32_t n)
{
	switch (sys)
	{
		case SYS_NATIVE:
			return k->native(n);
		case SYS_WASM2C:
			return (int64_t) k->w2c(&kb_w2c, (u32) n);
		default:
			{
				tmebox_value arg,
							res;
				tmebox_fault fault;

				memset(&arg, 0, sizeof(arg));
				arg.v.i = n;
				if (tmebox_call(kb_inst, k->tidx, &arg, &res, NULL, NULL, &fault) != 0)
				{
					char		msg[512];

					tmebox_fault_format(&fault, msg, sizeof(msg));
					fprintf(stderr, "kbench: tmebox %s faulted: %s\n", k->name, msg);
					exit(1);
				}
				return res.v.i;
			}
	}
}

static int
kb_cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static double
kb_median(double *v, int n)
{
	qsort(v, n, sizeof(double), kb_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
kb_setup(const char *modpath)
{
	char		err[512];
	size_t		len;
	void	   *file = kb_read_file(modpath, &len);
	tmebox_module *mod;

	/* wasm2c first: tmebox's fault handlers chain to the ones before them */
	wasm_rt_init();
	Z_kernels_init_module();
	Z_kernels_instantiate(&kb_w2c);

	if (tmebox_rt_init(0, err, sizeof(err)) != 0 ||
		tmebox_module_load(file, len, &mod, err, sizeof(err)) != 0 ||
		tmebox_instance_create(mod, 1, NULL, &kb_inst, err, sizeof(err)) != 0)
	{
		fprintf(stderr, "kbench: %s\n", err);
		exit(1);
	}
	free(file);
	for (int i = 0; i < KB_NKERNELS; i++)
	{
		char		name[128];

		snprintf(name, sizeof(name), "k_%s", kb_kernels[i].name);
		kb_kernels[i].tidx = tmebox_module_find_export(mod, name);
		if (kb_kernels[i].tidx < 0)
		{
			fprintf(stderr, "kbench: module has no export \"%s\"\n", name);
			exit(1);
		}
	}
}

int
main(int argc, char **argv)
{
	int			runs = 9,
				percent = 100;
	const char *only = NULL;
	double		logsum[SYS_COUNT] = {0};
	int			nk = 0;

	if (argc < 2)
	{
		fprintf(stderr, "usage: kbench MODULE.tmbx [-r RUNS] [-s PERCENT] [-k KERNEL]\n"
				"       kbench MODULE.tmbx --profile native|tmebox|wasm2c KERNEL CALLS\n");
		return 2;
	}
	kb_setup(argv[1]);

	if (argc == 6 && strcmp(argv[2], "--profile") == 0)
	{
		/* for perf record: CALLS calls of one kernel on one system */
		int			sys = -1;
		long		calls = atol(argv[5]);
		int64_t		acc = 0;

		for (int s = 0; s < SYS_COUNT; s++)
			if (strcmp(argv[3], kb_sysname[s]) == 0)
				sys = s;
		for (int i = 0; i < KB_NKERNELS && sys >= 0; i++)
			if (strcmp(kb_kernels[i].name, argv[4]) == 0)
			{
				double		t0 = kb_now_ns();

				for (long c = 0; c < calls; c++)
					acc += kb_call(&kb_kernels[i], sys, kb_kernels[i].n);
				fprintf(stderr, "%s %s: %.3f ms/call (sum %lld)\n", argv[3], argv[4],
						(kb_now_ns() - t0) / calls / 1e6, (long long) acc);
				return 0;
			}
		fprintf(stderr, "kbench: unknown system or kernel\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
	{
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			percent = atoi(argv[++i]);
		else if (strcmp(argv[i], "-k") == 0 && i + 1 < argc)
			only = argv[++i];
		else
		{
			fprintf(stderr, "kbench: bad argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if (runs < 1 || runs > 1000 || percent < 1)
	{
		fprintf(stderr, "kbench: bad -r or -s\n");
		return 2;
	}

	/* warm-up: inputs generated, checksums compared across systems */
	for (int i = 0; i < KB_NKERNELS; i++)
	{
		KbKernel   *k = &kb_kernels[i];

		k->n = k->n * percent / 100 > 0 ? k->n * percent / 100 : 1;
		k->expect = kb_call(k, SYS_NATIVE, k->n);
		for (int s = 1; s < SYS_COUNT; s++)
		{
			int64_t		r = kb_call(k, s, k->n);

			if (r != k->expect)
			{
				fprintf(stderr, "kbench: %s: %s returned %lld, native %lld\n",
						k->name, kb_sysname[s], (long long) r, (long long) k->expect);
				return 1;
			}
		}
	}
	fprintf(stderr, "kbench: %d kernels, checksums equal on native, tmebox, wasm2c; %d runs\n",
			KB_NKERNELS, runs);
	fprintf(stderr, "%-18s %10s %10s %10s %8s %8s\n", "kernel", "native ms",
			"tmebox ms", "wasm2c ms", "tmebox x", "wasm2c x");

	for (int i = 0; i < KB_NKERNELS; i++)
	{
		KbKernel   *k = &kb_kernels[i];
		double	   *t[SYS_COUNT],
				   *ratio[SYS_COUNT];
		double		med[SYS_COUNT],
					rmed[SYS_COUNT];

		if (only && strcmp(only, k->name) != 0)
			continue;
		for (int s = 0; s < SYS_COUNT; s++)
		{
			t[s] = calloc(runs, sizeof(double));
			ratio[s] = calloc(runs, sizeof(double));
		}
		for (int r = 0; r < runs; r++)
		{
			for (int j = 0; j < SYS_COUNT; j++)
			{
				int			s = (j + r) % SYS_COUNT;
				double		t0 = kb_now_ns();
				int64_t		res = kb_call(k, s, k->n);

				t[s][r] = kb_now_ns() - t0;
				if (res != k->expect)
				{
					fprintf(stderr, "kbench: %s: %s returned %lld in run %d\n",
							k->name, kb_sysname[s], (long long) res, r);
					return 1;
				}
			}
			for (int s = 0; s < SYS_COUNT; s++)
				ratio[s][r] = t[s][r] / t[SYS_NATIVE][r];
		}
		for (int s = 0; s < SYS_COUNT; s++)
		{
			med[s] = kb_median(t[s], runs);
			rmed[s] = kb_median(ratio[s], runs);
			printf("kernel,%s,%s,%.4f,ms\n", k->name, kb_sysname[s], med[s] / 1e6);
			if (s != SYS_NATIVE)
			{
				printf("kernel,%s,%s,%.4f,x_native\n", k->name, kb_sysname[s], rmed[s]);
				logsum[s] += log(rmed[s]);
			}
			free(t[s]);
			free(ratio[s]);
		}
		fprintf(stderr, "%-18s %10.3f %10.3f %10.3f %8.3f %8.3f\n", k->name,
				med[SYS_NATIVE] / 1e6, med[SYS_TMEBOX] / 1e6, med[SYS_WASM2C] / 1e6,
				rmed[SYS_TMEBOX], rmed[SYS_WASM2C]);
		fflush(stdout);
		nk++;
	}
	if (nk > 0)
	{
		for (int s = 1; s < SYS_COUNT; s++)
			printf("kernel,geomean,%s,%.4f,x_native\n", kb_sysname[s], exp(logsum[s] / nk));
		fprintf(stderr, "%-18s %10s %10s %10s %8.3f %8.3f\n", "geomean", "", "", "",
				exp(logsum[SYS_TMEBOX] / nk), exp(logsum[SYS_WASM2C] / nk));
	}
	return 0;
}
