/*-------------------------------------------------------------------------
 *
 * test_native.c
 *		What sandboxed code finds on the native sandbox stack without
 *		writing it (rt_enter.c, rt_stack.c): the verifier lets a function
 *		read 256 bytes above its return address and any part of its frame
 *		before writing it.
 *
 *		usage: test_native BUILD_DIR
 *
 * With tests/mod_stack.c (bounded native stack: a tenant switch clears
 * with memset) and tests/mod_test.c (recursion, unbounded: madvise):
 *	- above the entry's return address: zeros only, on the fast path and
 *	  on the libffi path above the stack arguments (odd and even counts);
 *	- after a libffi-path call, the frame of the next call holds nothing of
 *	  libffi's or the runtime's frames: zeros and the runtime's return
 *	  addresses only;
 *	- tenant B's uninitialised frame does not show tenant A's secret
 *	  (different budgets, NULL budgets, a budget struct reused for a new
 *	  tenant, an instance freed and another created, maybe at the same
 *	  address); two instances of one budget share the stack and no clear
 *	  is done (rt_st.stack_clears);
 *	- the cost of a call and of a tenant switch, printed (not checked).
 *
 * Prints "ok N - ..." / "not ok N - ..." and "N passed, N failed"; exits 1
 * on a failure.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../rt_internal.h"
#include "mod_layout.h"
#include "test_tap.h"

#define SECRET	INT64_C(0x5ec2e75ec2e75ec2)
#define FRAME	2048			/* mod_stack's fill and dump */



static tmebox_module *
load(const char *dir, const char *name)
{
	char		path[4096],
				err[512];
	FILE	   *f;
	char	   *buf;
	long		len;
	tmebox_module *mod = NULL;

	snprintf(path, sizeof(path), "%s/%s.tmebox", dir, name);
	f = fopen(path, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0 ||
		fseek(f, 0, SEEK_SET) != 0 || (buf = malloc(len)) == NULL ||
		fread(buf, 1, len, f) != (size_t) len)
	{
		fprintf(stderr, "test_native: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	if (tmebox_module_load(buf, len, &mod, err, sizeof(err)) != 0)
	{
		fprintf(stderr, "test_native: %s: %s\n", path, err);
		exit(1);
	}
	free(buf);
	return mod;
}

static tmebox_instance *
instance(tmebox_module *mod, tmebox_budget *b)
{
	tmebox_instance *inst;
	char		err[512];

	if (tmebox_instance_create(mod, 1, b, &inst, err, sizeof(err)) != 0)
	{
		fprintf(stderr, "test_native: instance: %s\n", err);
		exit(1);
	}
	return inst;
}

/* Call export `name` of inst with n i64 arguments, all `v`: its result,
 * or -1 (printed) on a fault. */
static int64_t
call(tmebox_instance *inst, const char *name, int n, int64_t v)
{
	tmebox_value args[TMEBOX_MAX_ARGS],
				r;
	tmebox_fault f;
	int			idx = tmebox_module_find_export(inst->mod, name);

	memset(args, 0, sizeof(args));
	for (int i = 0; i < n; i++)
		args[i].v.i = v;
	if (idx < 0 || tmebox_call(inst, idx, args, &r, NULL, NULL, &f) != 0)
	{
		char		msg[512] = "no such export";

		if (idx >= 0)
			tmebox_fault_format(&f, msg, sizeof(msg));
		printf("# %s: %s\n", name, msg);
		if (idx >= 0)
		{
			char		err[512];

			tmebox_instance_reset(inst, err, sizeof(err));
		}
		return -1;
	}
	return r.v.i;
}

/* inst's dump: mod_stack's unwritten 2048-byte frame, from the view */
static const uint64_t *
dump(tmebox_instance *inst)
{
	static uint64_t w[FRAME / 8];

	memset(w, 0xee, sizeof(w));
	if (call(inst, "dump", 0, 0) != 0)
		return w;
	memcpy(w, (uint8_t *) tmebox_instance_view_base(inst) + G_BSS, sizeof(w));
	return w;
}

/* Is v a return address into one of the runtime's entry trampolines? */
static bool
runtime_return(uint64_t v)
{
	uintptr_t	e[] = {(uintptr_t) rt_fast_call, (uintptr_t) rt_fast_call_int,
	(uintptr_t) rt_clean_entry};

	for (int i = 0; i < 3; i++)
		if (v > e[i] && v < e[i] + 512)
			return true;
	return false;
}

/* Words of a dump that are neither zero nor `allowed` nor a return
 * address into the runtime; the first in *first. */
static int
foreign_words(const uint64_t *w, uint64_t allowed, uint64_t *first)
{
	int			n = 0;

	*first = 0;
	for (int i = 0; i < FRAME / 8; i++)
		if (w[i] != 0 && w[i] != allowed && !runtime_return(w[i]))
		{
			if (n++ == 0)
				*first = w[i];
		}
	return n;
}

/* How many words of a dump are `v`. */
static int
count_words(const uint64_t *w, uint64_t v)
{
	int			n = 0;

	for (int i = 0; i < FRAME / 8; i++)
		n += w[i] == v;
	return n;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per call of names[i] (no arguments), alternating over insts[0..n) */
static double
per_call(tmebox_instance **insts, const char **names, int n, long calls)
{
	tmebox_prepared p[4];
	uint64_t	r;
	tmebox_fault f;
	double		t0;

	for (int i = 0; i < n; i++)
		if (tmebox_prepare(insts[i], tmebox_module_find_export(insts[i]->mod, names[i]), &p[i]) != 0)
			return -1;
	t0 = now_ns();
	for (long i = 0; i < calls; i++)
		if (tmebox_call_prepared(&p[i % n], NULL, &r, &f) != 0)
			return -1;
	return (now_ns() - t0) / calls;
}

/*
 * ns per rt_stack_enter alternating between x and y (what a call adds when
 * it changes instance), without entering: with `touch`, one byte of the
 * stack's top page written after each, as the next call would.
 */
static double
switch_cost(tmebox_instance *x, tmebox_instance *y, bool touch, long n)
{
	double		t0 = now_ns();

	for (long i = 0; i < n; i++)
	{
		rt_stack_enter(i & 1 ? y : x);
		if (touch)
			*(volatile uint8_t *) (rt_entry_top - 8) = 0;
	}
	return (now_ns() - t0) / n;
}

int
main(int argc, char **argv)
{
	tmebox_module *ms,
			   *mt;
	tmebox_budget ba = {.limit = UINT64_MAX},
				bb = {.limit = UINT64_MAX},
				bc = {.limit = UINT64_MAX};
	tmebox_instance *a1,
			   *a2,
			   *b,
			   *n1,
			   *n2,
			   *x,
			   *y,
			   *ta;
	const uint64_t *w;
	uint64_t	first,
				clears;
	int			nforeign;
	int64_t		r;

	if (argc < 2)
	{
		fprintf(stderr, "usage: test_native BUILD_DIR\n");
		return 2;
	}
	ms = load(argv[1], "mod_stack");
	mt = load(argv[1], "mod_test");
	a1 = instance(ms, &ba);
	a2 = instance(ms, &ba);
	b = instance(ms, &bb);

	/* ---- above the entry's return address ---- */
	r = call(a1, "above", 0, 0);
	check(r == 0, "fast path: the 256 bytes above the return address are zero (OR 0x%llx)",
		  (unsigned long long) r);
	r = call(a1, "above7", 7, 0);
	check(r == 0, "libffi path, 1 stack argument: zeros above it up to 256 bytes (OR 0x%llx)",
		  (unsigned long long) r);
	r = call(a1, "above8", 8, 0);
	check(r == 0, "libffi path, 2 stack arguments: zeros above them up to 256 bytes (OR 0x%llx)",
		  (unsigned long long) r);
	r = call(a1, "above", 0, 0);
	check(r == 0, "fast path after the libffi path: still zero (OR 0x%llx)",
		  (unsigned long long) r);
	r = call(a1, "above7", 7, 0);
	check(r == 0, "libffi path after the fast path: still zero (OR 0x%llx)",
		  (unsigned long long) r);

	/* ---- what a libffi-path call leaves for the next call's frame ---- */
	call(a1, "above7", 7, 0);
	w = dump(a1);
	nforeign = foreign_words(w, 0, &first);
	check(nforeign == 0,
		  "after a libffi-path call, the next frame holds zeros and the runtime's return addresses only (%d other words, first 0x%llx)",
		  nforeign, (unsigned long long) first);

	/* ---- tenants ---- */
	call(a1, "fill", 1, SECRET);
	clears = rt_st.stack_clears;
	w = dump(a2);
	check(count_words(w, SECRET) == FRAME / 8 && rt_st.stack_clears == clears,
		  "same budget: the other instance sees the frame as left (%d words of the secret), no clear (%llu)",
		  count_words(w, SECRET), (unsigned long long) (rt_st.stack_clears - clears));
	call(a2, "fill", 1, SECRET);
	w = dump(b);
	nforeign = foreign_words(w, 0, &first);
	check(count_words(w, SECRET) == 0 && nforeign == 0,
		  "another budget: tenant A's secret is gone from B's frame (%d words of it, %d other)",
		  count_words(w, SECRET), nforeign);
	check(rt_st.stack_clears == clears + 1, "the switch to B cleared once (%llu)",
		  (unsigned long long) (rt_st.stack_clears - clears));
	call(b, "fill", 1, SECRET + 1);
	w = dump(a1);
	check(count_words(w, SECRET + 1) == 0, "and back: B's secret is gone from A's frame");

	/* NULL budget: a domain per instance */
	n1 = instance(ms, NULL);
	n2 = instance(ms, NULL);
	call(n1, "fill", 1, SECRET);
	w = dump(n2);
	check(count_words(w, SECRET) == 0, "no budget: one instance's secret is gone from another's frame");
	tmebox_instance_destroy(n1);
	tmebox_instance_destroy(n2);

	/* the budget struct serving a new tenant (domain zeroed): another domain */
	x = instance(ms, &bc);
	call(x, "fill", 1, SECRET);
	tmebox_instance_destroy(x);
	bc = (tmebox_budget)
	{
		.limit = UINT64_MAX
	};
	y = instance(ms, &bc);
	w = dump(y);
	check(count_words(w, SECRET) == 0,
		  "a budget reused for a new tenant (domain 0 again): the old tenant's secret is gone (instance at %s address)",
		  x == y ? "the same" : "another");
	tmebox_instance_destroy(y);

	/* an instance freed, another created (the allocator may reuse it) */
	x = instance(ms, &ba);
	call(x, "fill", 1, SECRET);
	tmebox_instance_destroy(x);
	y = instance(ms, &bb);
	w = dump(y);
	check(count_words(w, SECRET) == 0,
		  "an instance of A freed, one of B created (at %s address): A's secret is gone",
		  x == y ? "the same" : "another");
	tmebox_instance_destroy(y);

	/* an unbounded module (recursion): the whole stack, with madvise */
	ta = instance(mt, &ba);
	r = call(ta, "recurse", 1, 0);	/* down to the guard: a fault */
	clears = rt_st.stack_clears;
	w = dump(b);
	nforeign = foreign_words(w, 0, &first);
	check(r == -1 && nforeign == 0 && rt_st.stack_clears == clears + 1,
		  "after an unbounded module's recursion into the guard, the other tenant's frame is clean (%d other words, first 0x%llx)",
		  nforeign, (unsigned long long) first);

	/* ---- cost (printed only) ---- */
	{
		tmebox_instance *same[2] = {a1, a2},
				   *two[2] = {a1, b};
		const char *above[2] = {"above", "above"};
		long		calls = argc > 2 ? atol(argv[2]) : 20000;
		double		t1 = per_call(same, above, 1, calls),
					t2 = per_call(same, above, 2, calls),
					t3 = per_call(two, above, 2, calls);

		printf("# per call: one instance %.1f ns; alternating (each call writes %%gs) between "
			   "two instances of one tenant %.1f ns, of two tenants %.1f ns\n", t1, t2, t3);
		printf("# the switch alone: same tenant %.1f ns, two tenants (memset of %zu bytes) %.1f ns, "
			   "after an unbounded module (madvise, then one page touched) %.1f ns\n",
			   switch_cost(a1, a2, false, calls), (size_t) ms->stack_bound + RT_ENTRY_EXTRA,
			   switch_cost(a1, b, false, calls), switch_cost(ta, b, true, calls / 10));
	}

	tmebox_instance_destroy(ta);
	tmebox_instance_destroy(a1);
	tmebox_instance_destroy(a2);
	tmebox_instance_destroy(b);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
