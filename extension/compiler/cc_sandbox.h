/*-------------------------------------------------------------------------
 *
 * cc_sandbox.h
 *		Public entry point of the sandboxing half of tmebox-cc: the IR checks
 *		(rejections), optimisation and the TME-Box instrumentation of one
 *		LLVM module (DESIGN.md section 5, ABI.md).  The pipeline, the
 *		ordered list of steps, is cc_sandbox.c; the steps share cc_ir.h.
 *		The driver (cc_main.c) sees only this header.
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

#endif							/* CC_SANDBOX_H */
