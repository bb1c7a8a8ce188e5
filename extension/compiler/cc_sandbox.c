/*-------------------------------------------------------------------------
 *
 * cc_sandbox.c
 *		cc_sandbox_module(): the sandboxing pipeline of tmebox-cc, the
 *		ordered list of its steps (DESIGN.md section 5).  The steps are in
 *		their own files and declared only here; the helpers they share are
 *		in cc_ir.c.
 *
 *		Stage and step, and why it sits where it does:
 *		1 check			reject what cannot be sandboxed, on the module as
 *						clang emitted it and linked with the libc: the debug
 *						locations still name the user's lines, and nothing
 *						later has to cope with a construct the checks refuse.
 *		2 optimise		internalise, function attributes, O2, scalarise
 *						masked accesses: the optimiser must see the code
 *						before the instrumentation (it would fold or drop
 *						guards, and loop-idiom would recreate memcpy calls).
 *		3 byval, memintr, math, alloca
 *						transformations that still create sandbox memory
 *						accesses: byval creates memcpy calls (memintr expands
 *						them) and allocas (alloca moves them to the data
 *						stack); math turns libm intrinsics into host calls.
 *		4 fnptr-assign, globals
 *						function indices first (initialisers of globals use
 *						them), then every global into the view image.
 *		5 memory		every remaining address-space-0 access is a sandbox
 *						access and goes through %gs: after every step that
 *						creates sandbox accesses (3, 4), before every step
 *						that creates host accesses (6).
 *		6 traps, fnptr-dispatch, hostcalls, switches, codegen-forms
 *						control flow and host access: traps before
 *						unreachable, function pointers as dispatchers (which
 *						call the trap), host calls through the table (last
 *						of the host accesses: it rewrites every host call the
 *						earlier steps made), switch conditions opaque, forms
 *						code generation would turn into refused operands.
 *		7 verify		defence in depth: the finished module re-checked,
 *						independent of how steps 1-6 worked.
 *		8 codegen-attrs	what code generation must produce for the object's
 *						verifier, also on the functions steps 4-6 created.
 *
 * Invariants kept:
 *	- The steps run in this order.  A stage runs only when no earlier stage
 *	  reported an error (the steps of one stage all run): when the checks
 *	  report an error nothing is transformed, and a module with a non-zero
 *	  error count is never meant for code generation.
 *	- The final verification always runs on a module that reached it.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdlib.h>
#include <string.h>

/*
 * The steps, each in its own file, all of type cc_step_fn.  They are
 * declared here and nowhere else: a step never calls another step, and
 * what steps share is in cc_ir.h.
 */
typedef void cc_step_fn(cc_sandbox *S);

/* cc_check.c: step 1 */
extern cc_step_fn cc_check_module;

/* cc_sandbox_opt.c: step 2 (uses S->exports) and step 8 */
extern cc_step_fn cc_sandbox_optimise;
extern cc_step_fn cc_sandbox_codegen_attrs;

/* cc_instr_*.c: steps 3-6 */
extern cc_step_fn cc_instr_byval;			/* cc_instr_byval.c */
extern cc_step_fn cc_instr_memintr;			/* cc_instr_memintr.c */
extern cc_step_fn cc_instr_math;			/* cc_instr_math.c */
extern cc_step_fn cc_instr_alloca;			/* cc_instr_alloca.c */
extern cc_step_fn cc_instr_fnptr_assign;	/* cc_instr_fnptr.c */
extern cc_step_fn cc_instr_globals;			/* cc_instr_globals.c */
extern cc_step_fn cc_instr_memory;			/* cc_instr_mem.c */
extern cc_step_fn cc_instr_traps;			/* cc_instr_trap.c */
extern cc_step_fn cc_instr_fnptr_dispatch;	/* cc_instr_fnptr.c */
extern cc_step_fn cc_instr_hostcalls;		/* cc_instr_host.c */
extern cc_step_fn cc_instr_switches;		/* cc_instr_switch.c */
extern cc_step_fn cc_instr_codegen_forms;	/* cc_instr_cgforms.c */

/* cc_sandbox_verify.c: step 7 */
extern cc_step_fn cc_sandbox_verify;

typedef struct cc_step
{
	int			stage;
	const char *name;
	cc_step_fn *run;
} cc_step;

static const cc_step cc_pipeline[] = {
	{1, "check", cc_check_module},
	{2, "optimise", cc_sandbox_optimise},
	{3, "byval", cc_instr_byval},
	{3, "memintr", cc_instr_memintr},
	{3, "math", cc_instr_math},
	{3, "alloca", cc_instr_alloca},
	{4, "fnptr-assign", cc_instr_fnptr_assign},
	{4, "globals", cc_instr_globals},
	{5, "memory", cc_instr_memory},
	{6, "traps", cc_instr_traps},
	{6, "fnptr-dispatch", cc_instr_fnptr_dispatch},
	{6, "hostcalls", cc_instr_hostcalls},
	{6, "switches", cc_instr_switches},
	{6, "codegen-forms", cc_instr_codegen_forms},
	{7, "verify", cc_sandbox_verify},
	{8, "codegen-attrs", cc_sandbox_codegen_attrs},
};

int
cc_sandbox_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, const char *const *exports, int nexports,
				  cc_report_fn report, void *arg)
{
	cc_sandbox	S;
	size_t		i;

	memset(&S, 0, sizeof(S));
	S.mod = mod;
	S.ctx = LLVMGetModuleContext(mod);
	S.tm = tm;
	S.td = LLVMCreateTargetDataLayout(tm);
	S.report = report;
	S.report_arg = arg;
	S.exports = exports;
	S.nexports = nexports;
	S.void_t = LLVMVoidTypeInContext(S.ctx);
	S.i1 = LLVMInt1TypeInContext(S.ctx);
	S.i8 = LLVMInt8TypeInContext(S.ctx);
	S.i32 = LLVMInt32TypeInContext(S.ctx);
	S.i64 = LLVMInt64TypeInContext(S.ctx);
	S.f32 = LLVMFloatTypeInContext(S.ctx);
	S.f64 = LLVMDoubleTypeInContext(S.ctx);
	S.ptr = LLVMPointerTypeInContext(S.ctx, 0);
	S.gsptr = LLVMPointerTypeInContext(S.ctx, 256);

	for (i = 0; i < sizeof(cc_pipeline) / sizeof(cc_pipeline[0]); i++)
	{
		/* a new stage starts only on a module without errors */
		if (i > 0 && cc_pipeline[i].stage != cc_pipeline[i - 1].stage && S.nerrors > 0)
			break;
		cc_pipeline[i].run(&S);
	}

	free(S.fntab);
	free(S.fntypes);
	LLVMDisposeTargetData(S.td);
	return S.nerrors;
}
