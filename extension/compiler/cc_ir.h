/*-------------------------------------------------------------------------
 *
 * cc_ir.h
 *		What the steps of the sandboxing pipeline share: the pass context
 *		(cc_sandbox), error reporting, the walk over a module's
 *		instructions, builders, block splitting and guards, the trap and
 *		host calls, %gs pointers, cc_opaque, ABI names and the intrinsic
 *		allow-lists (cc_ir.c).
 *
 *		Every step (cc_check.c, cc_sandbox_opt.c, cc_instr_*.c,
 *		cc_sandbox_verify.c) includes this header and no other of the
 *		pipeline's; the steps are declared only in the pipeline
 *		(cc_sandbox.c).  So a step knows the helpers, never another step,
 *		and the helpers know no step.
 *
 * Invariants kept:
 *	- Nothing here depends on the order of the steps: that is the
 *	  pipeline's (cc_sandbox.c).
 *	- Every walk over instructions is cc_foreach_instruction*, so the order
 *	  (module, layout, block order) and the rule for changing the code
 *	  while walking are the same in every step (see below).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_IR_H
#define CC_IR_H

#include <stddef.h>
#include <stdint.h>
#include <llvm-c/Comdat.h>
#include <llvm-c/Core.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>

#include "../abi/tmebox_abi.h"
#include "cc_sandbox.h"			/* cc_report_fn */

/* Names of the ABI globals the instrumentation creates (ABI.md). */
#define CC_DSP_NAME			"__tmebox_dsp"
#define CC_FNTAB_NAME		"__tmebox_fntab"	/* reserved: no longer created */
#define CC_HOST_PREFIX		"__tmebox_host_"

/* The context every step works on: one module, set up by cc_sandbox_module(). */
typedef struct cc_sandbox
{
	LLVMModuleRef mod;
	LLVMContextRef ctx;
	LLVMTargetMachineRef tm;
	LLVMTargetDataRef td;
	cc_report_fn report;
	void	   *report_arg;
	int			nerrors;

	/* the functions to export (step 2) */
	const char *const *exports;
	int			nexports;

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

/*
 * Walking instructions.  Every step that looks at instructions walks them
 * with one of these loops:
 *
 *		cc_inst_iter it;
 *
 *		cc_foreach_instruction(it, S->mod)				every defined function
 *		cc_foreach_instruction_in_function(it, fn)		one function
 *		cc_foreach_instruction_in_block(it, bb)			one block
 *		{
 *			... it.inst, in block it.bb of function it.fn ...
 *		}
 *
 * Order: functions in module order (declarations have no instructions),
 * blocks in layout order, instructions in block order.
 *
 * Changing the code while walking (as PostgreSQL's dlist_foreach_modify):
 * the instruction after it.inst is fetched before the body runs, so the
 * body may erase it.inst, replace its uses, change its operands or insert
 * instructions before it (those are not visited).  It must not erase or
 * move any other instruction, nor add, split, move or erase blocks of the
 * function walked: a step that must do that collects the instructions
 * first and rewrites them after the walk (cc_instr_alloca.c,
 * cc_instr_fnptr.c).  The next block and the next function are looked up
 * when the walk reaches them, so a function the body adds to the module
 * is walked in its turn if it is a definition.  `break` ends the walk,
 * `continue` goes on with the next instruction.
 */
typedef enum cc_walk_scope
{
	CC_WALK_BLOCK,
	CC_WALK_FUNCTION,
	CC_WALK_MODULE
} cc_walk_scope;

typedef struct cc_inst_iter
{
	LLVMValueRef inst;			/* the current instruction, NULL at the end */
	LLVMBasicBlockRef bb;		/* its block */
	LLVMValueRef fn;			/* its function */
	/* private to cc_walk_start / cc_walk_next */
	LLVMValueRef next;
	cc_walk_scope scope;
} cc_inst_iter;

extern void cc_walk_start(cc_inst_iter *it, cc_walk_scope scope, LLVMModuleRef mod,
						  LLVMValueRef fn, LLVMBasicBlockRef bb);
extern void cc_walk_next(cc_inst_iter *it);

#define cc_foreach_instruction(it, module) \
	for (cc_walk_start(&(it), CC_WALK_MODULE, (module), NULL, NULL); \
		 (it).inst != NULL; cc_walk_next(&(it)))
#define cc_foreach_instruction_in_function(it, function) \
	for (cc_walk_start(&(it), CC_WALK_FUNCTION, NULL, (function), NULL); \
		 (it).inst != NULL; cc_walk_next(&(it)))
#define cc_foreach_instruction_in_block(it, block) \
	for (cc_walk_start(&(it), CC_WALK_BLOCK, NULL, NULL, (block)); \
		 (it).inst != NULL; cc_walk_next(&(it)))

/* Reporting: at an instruction or function (its source line), or NULL. */
extern void cc_error(cc_sandbox *S, LLVMValueRef at, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern void cc_internal_error(cc_sandbox *S, LLVMValueRef at, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* Names and calls */
extern const char *cc_name(LLVMValueRef v);
extern int	cc_starts_with(const char *s, const char *prefix);
extern int	cc_is_call(LLVMValueRef inst);
extern LLVMValueRef cc_called_function(LLVMValueRef call);

/* Intrinsics: the name test and the two allow-lists (steps 1 and 7) */
extern int	cc_intrinsic_is(const char *name, const char *base);
extern int	cc_intrinsic_allowed_input(const char *name);
extern int	cc_intrinsic_allowed_final(const char *name);

/* Host calls (TMEBOX_HOSTCALLS); the trap is host call "trap" */
extern int	cc_host_index(const char *name);
extern LLVMValueRef cc_host_decl(cc_sandbox *S, const char *name, LLVMTypeRef fnty);
extern LLVMValueRef cc_build_host_call(cc_sandbox *S, LLVMBuilderRef B, const char *name,
									   LLVMTypeRef ret, LLVMTypeRef *params, LLVMValueRef *args,
									   unsigned n);

/* Builders, blocks and guards */
extern LLVMBuilderRef cc_builder_before(cc_sandbox *S, LLVMValueRef inst);
extern LLVMBasicBlockRef cc_split_before(cc_sandbox *S, LLVMValueRef inst);
extern LLVMBasicBlockRef cc_guard(cc_sandbox *S, LLVMValueRef before, LLVMValueRef cond,
								  int trap_code);
extern void cc_set_branch_weights(cc_sandbox *S, LLVMValueRef br, unsigned wtrue,
								  unsigned wfalse);

/* Sandbox pointers and opaque values */
extern LLVMValueRef cc_gs_pointer(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef p);
extern LLVMValueRef cc_const_addr(cc_sandbox *S, uint64_t offset);
extern LLVMValueRef cc_opaque(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef v, const char *name);
extern int	cc_is_opaque(LLVMValueRef v);

/* ABI names */
extern int	cc_is_abi_global_name(const char *name);
extern int	cc_is_reserved_global_name(const char *name);

#endif							/* CC_IR_H */
