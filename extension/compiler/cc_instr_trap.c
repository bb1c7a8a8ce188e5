/*-------------------------------------------------------------------------
 *
 * cc_instr_trap.c
 *		Step 6a: `unreachable` and the trap intrinsics.  LLVM emits nothing
 *		for `unreachable`, so control that reaches one (a missing return, a
 *		__builtin_unreachable() that is reachable, UB the optimiser
 *		exploited) would fall through into whatever code follows.  A call
 *		of host trap(TMEBOX_TRAP_UNREACHABLE) goes before each;
 *		llvm.trap / debugtrap / ubsantrap become trap(TMEBOX_TRAP_BUILTIN).
 *
 * Invariants kept:
 *	- Every `unreachable` of a defined function is directly preceded by a
 *	  call of host trap, which never returns (ABI.md).
 *	- No trap intrinsic remains.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <string.h>

static int
cc_is_host_trap_call(LLVMValueRef inst)
{
	LLVMValueRef callee;

	return inst && cc_is_call(inst) && (callee = cc_called_function(inst)) != NULL &&
		strcmp(cc_name(callee), CC_HOST_PREFIX "trap") == 0;
}

static void
cc_trap_before(cc_sandbox *S, LLVMValueRef inst, int code)
{
	LLVMBuilderRef B = cc_builder_before(S, inst);
	LLVMTypeRef pt = S->i32;
	LLVMValueRef arg = LLVMConstInt(S->i32, code, 0);

	cc_build_host_call(S, B, "trap", S->void_t, &pt, &arg, 1);
	LLVMDisposeBuilder(B);
}

void
cc_instr_traps(cc_sandbox *S)
{
	cc_inst_iter it;

	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;
		LLVMValueRef callee;

		if (LLVMIsAUnreachableInst(inst))
		{
			if (!cc_is_host_trap_call(LLVMGetPreviousInstruction(inst)))
				cc_trap_before(S, inst, TMEBOX_TRAP_UNREACHABLE);
		}
		else if (cc_is_call(inst) && (callee = cc_called_function(inst)) != NULL &&
				 (cc_intrinsic_is(cc_name(callee), "trap") ||
				  cc_intrinsic_is(cc_name(callee), "debugtrap") ||
				  cc_intrinsic_is(cc_name(callee), "ubsantrap")))
		{
			/* the walk has fetched the next instruction: erasing is safe */
			cc_trap_before(S, inst, TMEBOX_TRAP_BUILTIN);
			LLVMInstructionEraseFromParent(inst);
		}
	}
}
