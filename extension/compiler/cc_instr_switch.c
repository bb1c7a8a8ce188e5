/*-------------------------------------------------------------------------
 *
 * cc_instr_switch.c
 *		Step 6e: every `switch` gets its condition through cc_opaque.
 *
 * Code generation may turn a switch into a jump table: an indirect jump
 * through a read-only table indexed by the condition minus the lowest
 * case, behind a range check against the default.  LLVM leaves that check
 * out when it believes the condition cannot be out of range, and its
 * beliefs rest on the program having no undefined behaviour, which a
 * tenant is free to have (a `bool` loaded from a byte holding 200 carries
 * `!range [0, 2)`).  Through cc_opaque the condition is a value LLVM
 * knows nothing about, so the check is always emitted; the default is
 * never `unreachable` at code generation (step 6a, checked in step 7), so
 * there is always a place for the check to go.
 *
 * Invariants kept:
 *	- After this step the condition of every switch of a defined function
 *	  is the result of cc_opaque (step 7 refuses the module otherwise).
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

void
cc_instr_switches(cc_sandbox *S)
{
	cc_inst_iter it;

	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef sw = it.inst;
		LLVMBuilderRef B;

		/* a switch is always its block's terminator */
		if (!LLVMIsASwitchInst(sw) || cc_is_opaque(LLVMGetOperand(sw, 0)))
			continue;
		B = cc_builder_before(S, sw);
		LLVMSetOperand(sw, 0, cc_opaque(S, B, LLVMGetOperand(sw, 0), "tmebox.case"));
		LLVMDisposeBuilder(B);
	}
}
