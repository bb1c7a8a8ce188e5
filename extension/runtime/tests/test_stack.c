/*-------------------------------------------------------------------------
 *
 * test_stack.c
 *		The verifier's native-stack bound against reality: a call into a
 *		module must not touch the native sandbox stack deeper below its
 *		return address than the bound of the export it enters, as the
 *		loader keeps it (rt_export.stack_bound, from tvf_verify_roots;
 *		tmebox_module.stack_bound is the maximum over the roots).
 *
 *		usage: test_stack MODULE [FUNCTION[:ARG[,ARG...]]...]
 *
 * Without FUNCTIONs, prints every export's bound.  For each FUNCTION (an
 * all-scalar export: integers, bool, f32, f64) it calls it once, then
 * twice more with the whole native stack filled with 0xa5 and with 0x5a,
 * finds the lowest byte either call changed and the slot of the entry's
 * return address (the one that points into rt_fast_call, wherever the
 * runtime puts its entry frame), and checks that the bytes touched below
 * that slot are at most the bound.  A call may fault: a fault leaves the
 * stack as far as the code reached, and the instance is reset.
 *
 * Prints "ok N - ..." / "not ok N - ..." per call and "N passed, N
 * failed"; exits 1 on a failure.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rt_internal.h"
#include "tvf.h"
#include "test_tap.h"



static char *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *b;
	long		n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		if (f)
			fclose(f);
		return NULL;
	}
	b = malloc(n);
	if (b == NULL || fread(b, 1, n, f) != (size_t) n)
	{
		free(b);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return b;
}

/* Argument text a of type t as tmebox_call_prepared wants it. */
static bool
parse_arg(tmebox_type t, const char *a, uint64_t *out)
{
	char	   *end;

	if (t == TMEBOX_T_F64)
	{
		double		d = strtod(a, &end);

		memcpy(out, &d, sizeof(d));
	}
	else if (t == TMEBOX_T_F32)
	{
		float		f = strtof(a, &end);
		uint32_t	bits;

		memcpy(&bits, &f, sizeof(f));
		*out = bits;
	}
	else
		*out = (uint64_t) strtoll(a, &end, 0);
	return *a != '\0' && *end == '\0';
}

/* Lowest address in the native stack whose byte is not `pattern`. */
static uint8_t *
lowest_touched(uint8_t pattern)
{
	uint8_t    *p = rt_st.stack_lo;

	while (p < rt_entry_top && *p == pattern)
		p++;
	return p;
}

/* The slot of the entry's return address: it points into rt_fast_call. */
static uint8_t *
entry_slot(void)
{
	uintptr_t	a = (uintptr_t) rt_fast_call,
				b = (uintptr_t) rt_fast_call_int;

	for (uint8_t *p = rt_entry_top - 8; p >= rt_entry_top - 4096; p -= 8)
	{
		uintptr_t	v;

		memcpy(&v, p, sizeof(v));
		if ((v > a && v < a + 512) || (v > b && v < b + 512))
			return p;
	}
	return NULL;
}

static void
run_call(tmebox_instance *inst, const char *spec)
{
	tmebox_module *mod = inst->mod;
	char	   *name = strdup(spec);
	char	   *args = strchr(name, ':');
	tmebox_prepared p;
	uint64_t	av[TMEBOX_PREPARED_MAX_ARGS];
	uint64_t	res;
	tmebox_fault f;
	char		err[512];
	uint8_t    *low = NULL,
			   *slot = NULL;
	uint32_t	bound;
	int			idx,
				nargs = 0;

	if (args != NULL)
		*args++ = '\0';
	idx = tmebox_module_find_export(mod, name);
	if (idx < 0 || tmebox_prepare(inst, idx, &p) != 0)
	{
		check(false, "%s: no all-scalar export of that name", name);
		free(name);
		return;
	}
	for (char *a = args ? strtok(args, ",") : NULL; a != NULL; a = strtok(NULL, ","))
	{
		if (nargs == p.nargs ||
			!parse_arg(tmebox_module_get_info(mod)->exports[idx].args[nargs], a, &av[nargs]))
		{
			check(false, "%s: bad argument \"%s\"", spec, a);
			free(name);
			return;
		}
		nargs++;
	}
	if (nargs != p.nargs)
	{
		check(false, "%s: %d arguments, the export takes %d", spec, nargs, p.nargs);
		free(name);
		return;
	}
	bound = mod->exports[idx].stack_bound;
	for (int k = 0; k < 3; k++)
	{
		uint8_t		pattern = k == 1 ? 0xa5 : 0x5a;
		uint8_t    *l;

		if (tmebox_instance_needs_reset(inst) &&
			tmebox_instance_reset(inst, err, sizeof(err)) != 0)
		{
			check(false, "%s: reset: %s", name, err);
			free(name);
			return;
		}
		if (k > 0)				/* all but the zero area and the saved values */
			memset(rt_st.stack_lo, pattern, rt_entry_top - rt_st.stack_lo);
		tmebox_call_prepared(&p, av, &res, &f);
		if (k == 0)
			continue;			/* the first call: whatever a runtime does once */
		l = lowest_touched(pattern);
		if (low == NULL || l < low)
			low = l;
		if (slot == NULL)
			slot = entry_slot();
	}
	if (slot == NULL)
		check(false, "%s: the entry's return address is not on the native stack", name);
	else
	{
		long		touched = low < slot ? (long) (slot - low) : 0;

		if (bound == TVF_STACK_UNBOUNDED)
			check(true, "%s: touched %ld bytes below the return address, no bound (recursion)",
				  spec, touched);
		else
			check(touched <= (long) bound,
				  "%s: touched %ld bytes below the return address, bound %u", spec, touched,
				  bound);
	}
	free(name);
}

int
main(int argc, char **argv)
{
	size_t		len;
	char	   *file;
	char		err[512];
	tmebox_module *mod;
	tmebox_instance *inst;

	if (argc < 2)
	{
		fprintf(stderr, "usage: test_stack MODULE [FUNCTION[:ARG[,ARG...]]...]\n");
		return 2;
	}
	file = read_file(argv[1], &len);
	if (file == NULL || tmebox_module_load(file, len, &mod, err, sizeof(err)) != 0 ||
		tmebox_instance_create(mod, 1, NULL, &inst, err, sizeof(err)) != 0)
	{
		check(false, "load %s: %s", argv[1], file ? err : "cannot read");
		printf("%d passed, %d failed\n", npass, nfail);
		return 1;
	}
	if (argc == 2)
	{
		const tmebox_module_info *info = tmebox_module_get_info(mod);

		printf("%s: module bound %u, allocator %u\n", argv[1], mod->stack_bound,
			   mod->mem_stack_bound);
		for (int i = 0; i < info->nexports; i++)
		{
			uint32_t	b = mod->exports[i].stack_bound;

			if (b == TVF_STACK_UNBOUNDED)
				printf("%s: unbounded\n", info->exports[i].name);
			else
				printf("%s: %u\n", info->exports[i].name, b);
		}
	}
	for (int i = 2; i < argc; i++)
		run_call(inst, argv[i]);
	tmebox_instance_destroy(inst);
	tmebox_module_unload(mod);
	free(file);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
