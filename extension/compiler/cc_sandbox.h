/*-------------------------------------------------------------------------
 *
 * cc_sandbox.h
 *		Public entry point of the sandboxing half of tmebox-cc: the IR checks
 *		(rejections), optimisation and the TME-Box instrumentation of one
 *		LLVM module (DESIGN.md section 5, ABI.md).
 *
 * Invariants kept:
 *	- After cc_sandbox_module() returns 0, every memory access of the module
 *	  is %gs-relative with a 32-bit offset, except loads of the host table
 *	  (__tmebox_hosttab) that are the callees of host calls; every call is
 *	  direct to a defined function or through the host table (function
 *	  pointers are switches of direct calls); no alloca, no sandbox global,
 *	  no interrupt poll and no inline assembly but cc_opaque's remain.
 *	  This is re-verified at the end on every run.
 *	- The module is only ever handed on for code generation when the
 *	  returned error count is 0.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_SANDBOX_H
#define CC_SANDBOX_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

typedef void (*cc_report_fn)(void *arg, const char *file, unsigned line, const char *message);

/* Reject what cannot be sandboxed, optimise (O2) and instrument `mod` in place.
 * mod: the user's translation unit as emitted by clang (flags below), already linked with the sandbox libc bitcode.
 * exports: names of user functions to export (renamed to __tmebox_export_NAME, kept external); everything else is
 *          internalised except the libc entry points __tmebox_rt_malloc/__tmebox_rt_free (kept external, names unchanged).
 * report(arg, file, line, message): once per rejection (file NULL / line 0 when unknown).
 * Returns the number of errors (0 = module ready for codegen by `tm`). */
int cc_sandbox_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, const char *const *exports, int nexports,
                      cc_report_fn report, void *arg);

#ifdef CC_SANDBOX_INTERNAL
/*
 * Internal interface between the cc_sandbox*.c / cc_check*.c / cc_instr*.c
 * files.  Only they define CC_SANDBOX_INTERNAL; the driver sees the public
 * part above.
 */
#include <stddef.h>
#include <stdint.h>
#include <llvm-c/Comdat.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>

#include "../abi/tmebox_abi.h"

/* Names of the ABI globals the instrumentation creates (ABI.md). */
#define CC_DSP_NAME			"__tmebox_dsp"
#define CC_FNTAB_NAME		"__tmebox_fntab"	/* reserved: no longer created */
#define CC_HOST_PREFIX		"__tmebox_host_"

typedef struct cc_sandbox
{
	LLVMModuleRef mod;
	LLVMContextRef ctx;
	LLVMTargetMachineRef tm;
	LLVMTargetDataRef td;
	cc_report_fn report;
	void	   *report_arg;
	int			nerrors;

	LLVMTypeRef void_t;
	LLVMTypeRef i1;
	LLVMTypeRef i8;
	LLVMTypeRef i32;
	LLVMTypeRef i64;
	LLVMTypeRef f32;
	LLVMTypeRef f64;
	LLVMTypeRef ptr;			/* ptr (addrspace 0) */
	LLVMTypeRef gsptr;			/* ptr addrspace(256) */

	/* function-pointer table, filled by cc_instr_fnptr_assign() */
	LLVMValueRef *fntab;		/* fntab[1..nfntab]; fntab[0] unused */
	int			nfntab;
	LLVMTypeRef *fntypes;		/* distinct function types; id = index+1 */
	int			nfntypes;
} cc_sandbox;

/* cc_sandbox.c: reporting and small IR helpers */
extern void cc_error(cc_sandbox *S, LLVMValueRef at, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern void cc_internal_error(cc_sandbox *S, LLVMValueRef at, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern const char *cc_name(LLVMValueRef v);
extern int	cc_starts_with(const char *s, const char *prefix);
extern int	cc_host_index(const char *name);
extern LLVMValueRef cc_host_decl(cc_sandbox *S, const char *name, LLVMTypeRef fnty);
extern LLVMValueRef cc_build_host_call(cc_sandbox *S, LLVMBuilderRef B, const char *name,
									   LLVMTypeRef ret, LLVMTypeRef *params, LLVMValueRef *args,
									   unsigned n);
extern LLVMValueRef cc_called_function(LLVMValueRef call);
extern int	cc_is_call(LLVMValueRef inst);
extern LLVMBasicBlockRef cc_split_before(cc_sandbox *S, LLVMValueRef inst);
extern LLVMBasicBlockRef cc_guard(cc_sandbox *S, LLVMValueRef before, LLVMValueRef cond,
								  int trap_code);
extern void cc_set_branch_weights(cc_sandbox *S, LLVMValueRef br, unsigned wtrue,
								  unsigned wfalse);
extern LLVMBuilderRef cc_builder_before(cc_sandbox *S, LLVMValueRef inst);
extern LLVMValueRef cc_gs_pointer(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef p);
extern int	cc_is_abi_global_name(const char *name);
extern int	cc_is_reserved_global_name(const char *name);
extern LLVMValueRef cc_const_addr(cc_sandbox *S, uint64_t offset);
extern LLVMValueRef cc_opaque(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef v, const char *name);
extern int	cc_is_opaque(LLVMValueRef v);

/* cc_check.c: step 1 */
extern void cc_check_module(cc_sandbox *S);
extern int	cc_intrinsic_allowed_input(const char *name);
extern int	cc_intrinsic_allowed_final(const char *name);
extern int	cc_intrinsic_is(const char *name, const char *base);

/* cc_sandbox_opt.c: step 2 */
extern void cc_sandbox_optimise(cc_sandbox *S, const char *const *exports, int nexports);
extern void cc_sandbox_codegen_attrs(cc_sandbox *S);	/* step 8 */

/* cc_instr_*.c: steps 3-6 */
extern void cc_instr_byval(cc_sandbox *S);
extern void cc_instr_memintr(cc_sandbox *S);
extern void cc_instr_math(cc_sandbox *S);
extern void cc_instr_alloca(cc_sandbox *S);
extern void cc_instr_fnptr_assign(cc_sandbox *S);
extern void cc_instr_globals(cc_sandbox *S);
extern void cc_instr_memory(cc_sandbox *S);
extern void cc_instr_fnptr_dispatch(cc_sandbox *S);
extern void cc_instr_traps(cc_sandbox *S);
extern void cc_instr_hostcalls(cc_sandbox *S);
extern void cc_instr_switches(cc_sandbox *S);
extern void cc_instr_codegen_forms(cc_sandbox *S);

/* cc_sandbox_verify.c: step 7 */
extern void cc_sandbox_verify(cc_sandbox *S);
#endif							/* CC_SANDBOX_INTERNAL */

#endif							/* CC_SANDBOX_H */
