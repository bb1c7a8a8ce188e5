/*-------------------------------------------------------------------------
 *
 * cc_staticdata.c
 *		Refuses global variables aligned above the page size and static
 *		data beyond what a tenant could ever commit (cc_staticdata.h), as
 *		compile errors naming the variable's line, before the sandboxing
 *		pipeline, optimisation or code generation touch the module.
 *
 * Invariants kept here:
 *	- Sizes are summed as cc_instr_globals lays the image out (initialised
 *	  globals, then zero-initialised ones, each at its alignment, at least
 *	  64 bytes for globals of 64 bytes or more), so a module accepted here
 *	  is never refused there for size; an over-aligned global counts at the
 *	  page size.  Sums cannot overflow: a global above the bound stops the
 *	  count.
 *	- Nothing is modified.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_staticdata.h"

#include <llvm-c/DebugInfo.h>
#include <stdio.h>
#include <string.h>

typedef struct cc_sd
{
	const cc_sigs *sigs;
	const char *display;
	cc_report_fn report;
	void	   *arg;
	int			nerrors;
} cc_sd;

/* The line of the first instruction using `g` (directly or through a
 * constant expression), 0 when none has a location. */
static unsigned
cc_sd_first_use_line(LLVMValueRef v, int depth)
{
	for (LLVMUseRef u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u))
	{
		LLVMValueRef user = LLVMGetUser(u);
		unsigned	line = 0;

		if (LLVMIsAInstruction(user))
		{
			if (LLVMInstructionGetDebugLoc(user) != NULL)
				line = LLVMGetDebugLocLine(user);
		}
		else if (LLVMIsAConstantExpr(user) && depth < 4)
			line = cc_sd_first_use_line(user, depth + 1);
		if (line > 0)
			return line;
	}
	return 0;
}

static void
cc_sd_error(cc_sd *sd, LLVMValueRef g, const char *fmt, const char *name,
			unsigned long long a, unsigned long long b)
{
	char		msg[512];
	size_t		len;
	const char *irname = LLVMGetValueName2(g, &len);
	unsigned	line = cc_signature_var_line(sd->sigs, irname);

	if (line == 0)
		line = cc_sd_first_use_line(g, 0);
	snprintf(msg, sizeof(msg), fmt, name, a, b);
	sd->nerrors++;
	sd->report(sd->arg, line > 0 ? sd->display : NULL, line, msg);
}

/* The C name of a global: "x" for a static local "fn.x". */
static const char *
cc_sd_c_name(LLVMValueRef g)
{
	size_t		len;
	const char *n = LLVMGetValueName2(g, &len);
	const char *dot = strchr(n, '.');

	return dot != NULL && dot != n && dot[1] != '\0' ? dot + 1 : n;
}

int
cc_staticdata_check(LLVMModuleRef mod, LLVMTargetDataRef td, const cc_sigs *sigs,
					const char *display, cc_report_fn report, void *arg)
{
	cc_sd		sd = {.sigs = sigs,.display = display,.report = report,.arg = arg};
	uint64_t	pos[2] = {0, 0};	/* initialised, zero-initialised */
	bool		over[2] = {false, false};

	for (LLVMValueRef g = LLVMGetFirstGlobal(mod); g; g = LLVMGetNextGlobal(g))
	{
		size_t		len;
		const char *n = LLVMGetValueName2(g, &len);
		LLVMValueRef init = LLVMGetInitializer(g);
		LLVMTypeRef ty = LLVMGlobalGetValueType(g);
		uint64_t	size;
		uint64_t	align = LLVMGetAlignment(g);
		uint64_t	bound;
		int			k;

		if (init == NULL || strncmp(n, "llvm.", 5) == 0 || !LLVMTypeIsSized(ty))
			continue;
		size = LLVMABISizeOfType(td, ty);
		if (align < LLVMABIAlignmentOfType(td, ty))
			align = LLVMABIAlignmentOfType(td, ty);
		if (align < 64 && size >= 64)
			align = 64;
		if (align > CC_MAX_GLOBAL_ALIGN)
		{
			cc_sd_error(&sd, g, "variable '%s' is aligned to %llu bytes; sandboxed code "
						"allows at most %llu (the page size)",
						cc_sd_c_name(g), (unsigned long long) align,
						(unsigned long long) CC_MAX_GLOBAL_ALIGN);
			align = CC_MAX_GLOBAL_ALIGN;
		}
		k = LLVMIsNull(init) ? 1 : 0;
		if (over[k])
			continue;
		bound = k == 0 ? CC_MAX_INIT_DATA : CC_MAX_STATIC_DATA;
		/* the bss follows the image: it starts where the image may end */
		if (size > bound || ((pos[k] + align - 1) & ~(align - 1)) + size > bound ||
			(k == 1 && pos[0] + ((pos[1] + align - 1) & ~(align - 1)) + size > CC_MAX_STATIC_DATA))
		{
			over[k] = true;
			if (k == 0)
				cc_sd_error(&sd, g, "variable '%s' (%llu bytes) makes the initialised static "
							"data larger than %llu bytes, the most a module may carry",
							cc_sd_c_name(g), (unsigned long long) size,
							(unsigned long long) CC_MAX_INIT_DATA);
			else
				cc_sd_error(&sd, g, "variable '%s' (%llu bytes) makes the static data larger "
							"than %llu bytes, the most a tenant's memory limit (at most 3 GiB, "
							"data stack included) can hold",
							cc_sd_c_name(g), (unsigned long long) size,
							(unsigned long long) CC_MAX_STATIC_DATA);
			continue;
		}
		pos[k] = ((pos[k] + align - 1) & ~(align - 1)) + size;
	}
	return sd.nerrors;
}
