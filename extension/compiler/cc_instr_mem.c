/*-------------------------------------------------------------------------
 *
 * cc_instr_mem.c
 *		Step 5: memory instrumentation.  After steps 3 and 4 every load,
 *		store, atomicrmw and cmpxchg (scalar or vector) whose pointer is in
 *		address space 0 is an access of sandboxed code to its view: its
 *		pointer operand becomes
 *			inttoptr(zext(trunc(p to i32) to i64) to ptr addrspace(256))
 *		so the machine code addresses %gs:[(uint32_t)p] (ABI.md "Pointers
 *		and views").
 *
 * Invariants kept:
 *	- Runs after every step that creates sandbox accesses (byval copies,
 *	  memory-intrinsic expansion, data stack, globals) and before every
 *	  step that creates host accesses (host table, function table,
 *	  interrupt flag), so the latter stay in address space 0.
 *	- Leaves no memory intrinsic behind: one found here is an internal
 *	  error (steps 2-3 must have removed them).
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

/* Operand index of the address of a memory instruction, or -1. */
static int
cc_pointer_operand(LLVMValueRef inst)
{
	switch (LLVMGetInstructionOpcode(inst))
	{
		case LLVMLoad:
		case LLVMAtomicRMW:
		case LLVMAtomicCmpXchg:
			return 0;
		case LLVMStore:
			return 1;
		default:
			return -1;
	}
}

void
cc_instr_memory(cc_sandbox *S)
{
	cc_inst_iter it;

	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;
		int			k = cc_pointer_operand(inst);
		LLVMValueRef p;
		LLVMBuilderRef B;

		if (k < 0)
		{
			LLVMValueRef callee;

			if (LLVMGetInstructionOpcode(inst) == LLVMVAArg)
				cc_internal_error(S, inst, "va_arg survived the checks");
			if (cc_is_call(inst) && (callee = cc_called_function(inst)) != NULL &&
				(cc_intrinsic_is(cc_name(callee), "memcpy") ||
				 cc_intrinsic_is(cc_name(callee), "memmove") ||
				 cc_intrinsic_is(cc_name(callee), "memset") ||
				 cc_intrinsic_is(cc_name(callee), "masked")))
				cc_internal_error(S, inst, "memory intrinsic '%s' survived step 3",
								  cc_name(callee));
			continue;
		}
		p = LLVMGetOperand(inst, k);
		if (LLVMGetPointerAddressSpace(LLVMTypeOf(p)) != 0)
			continue;
		/* the %gs pointer is built before the access */
		B = cc_builder_before(S, inst);
		LLVMSetOperand(inst, k, cc_gs_pointer(S, B, p));
		LLVMDisposeBuilder(B);
	}
}
