/*-------------------------------------------------------------------------
 *
 * bench_call.c
 *		Rough cost of one sandbox call: tmebox_call of mod_test's add(i32,
 *		i32) on one instance (the PostgreSQL per-row path), and the same
 *		alternating between two instances of one tenant (one budget: %gs
 *		is rewritten every time, the native stack is not cleared), against
 *		a plain indirect C call; and many(8 x i32, 10 x f64), whose
 *		stack arguments take the libffi path.  (The cost of a tenant
 *		switch: test_native.)
 *
 *		usage: bench_call BUILD_DIR [CALLS]
 *
 * Invariant: every sandboxed result is checked, so a broken call path
 * cannot produce a fast number.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tmebox_rt.h"

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int32_t
native_add(int32_t a, int32_t b)
{
	return a + b;
}

int32_t		(*volatile native_fn) (int32_t, int32_t) = native_add;

int
main(int argc, char **argv)
{
	char		path[4096],
				err[512];
	FILE	   *f;
	char	   *buf;
	long		len;
	long		n = argc > 2 ? atol(argv[2]) : 1000000;
	long		i;
	tmebox_module *mod;
	tmebox_instance *in[2];
	tmebox_budget budget = {.limit = UINT64_MAX};
	tmebox_value args[2],
				r;
	tmebox_fault fault;
	int			idx;
	double		t0,
				t_native,
				t_same,
				t_switch,
				t_prepared,
				t_ffi;
	tmebox_prepared prep;
	int64_t		sum = 0;

	if (argc < 2)
	{
		fprintf(stderr, "usage: bench_call BUILD_DIR [CALLS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/mod_test.tmebox", argv[1]);
	f = fopen(path, "rb");
	if (f == NULL)
	{
		fprintf(stderr, "bench_call: could not open \"%s\"\n", path);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len);
	if (fread(buf, 1, len, f) != (size_t) len)
		return 1;
	fclose(f);
	if (tmebox_module_load(buf, len, &mod, err, sizeof(err)) != 0 ||
		tmebox_instance_create(mod, 1, &budget, &in[0], err, sizeof(err)) != 0 ||
		tmebox_instance_create(mod, 2, &budget, &in[1], err, sizeof(err)) != 0)
	{
		fprintf(stderr, "bench_call: %s\n", err);
		return 1;
	}
	idx = tmebox_module_find_export(mod, "add");
	memset(args, 0, sizeof(args));

	t0 = now_ns();
	for (i = 0; i < n; i++)
		sum += native_fn((int32_t) i, 1);
	t_native = (now_ns() - t0) / n;

	t0 = now_ns();
	for (i = 0; i < n; i++)
	{
		args[0].v.i = i;
		args[1].v.i = 1;
		if (tmebox_call(in[0], idx, args, &r, NULL, NULL, &fault) != 0 ||
			r.v.i != (int32_t) (i + 1))
		{
			fprintf(stderr, "bench_call: wrong result at %ld\n", i);
			return 1;
		}
	}
	t_same = (now_ns() - t0) / n;

	t0 = now_ns();
	for (i = 0; i < n; i++)
	{
		args[0].v.i = i;
		args[1].v.i = 1;
		if (tmebox_call(in[i & 1], idx, args, &r, NULL, NULL, &fault) != 0 ||
			r.v.i != (int32_t) (i + 1))
		{
			fprintf(stderr, "bench_call: wrong result at %ld\n", i);
			return 1;
		}
	}
	t_switch = (now_ns() - t0) / n;

	if (tmebox_prepare(in[0], idx, &prep) != 0)
	{
		fprintf(stderr, "bench_call: add cannot be prepared\n");
		return 1;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++)
	{
		uint64_t	bits[2] = {(uint64_t) i, 1};
		uint64_t	rb;

		if (tmebox_call_prepared(&prep, bits, &rb, &fault) != 0 ||
			(int32_t) rb != (int32_t) (i + 1))
		{
			fprintf(stderr, "bench_call: wrong prepared result at %ld\n", i);
			return 1;
		}
	}
	t_prepared = (now_ns() - t0) / n;

	{
		tmebox_value margs[18];
		int			many = tmebox_module_find_export(mod, "many");

		memset(margs, 0, sizeof(margs));
		for (i = 0; i < 18; i++)
		{
			if (i < 8)
				margs[i].v.i = i + 1;
			else
				margs[i].v.d = i - 7;
		}
		t0 = now_ns();
		for (i = 0; i < n / 4; i++)
			if (tmebox_call(in[0], many, margs, &r, NULL, NULL, &fault) != 0)
			{
				fprintf(stderr, "bench_call: many failed at %ld\n", i);
				return 1;
			}
		t_ffi = (now_ns() - t0) / (n / 4);
		sum += (int64_t) r.v.d;
	}

	printf("native indirect call: %6.1f ns\n", t_native);
	printf("sandbox call (same instance): %6.1f ns\n", t_same);
	printf("sandbox call (switching instance of one tenant every call): %6.1f ns\n", t_switch);
	printf("prepared sandbox call (same instance): %6.1f ns\n", t_prepared);
	printf("libffi path, 18 arguments (4 on the stack): %6.1f ns\n", t_ffi);
	printf("(checksum %lld)\n", (long long) sum);
	return 0;
}
