/*-------------------------------------------------------------------------
 *
 * cc_instr_byval.c
 *		Step 3a: remove `byval` arguments.  x86-64 passes byval aggregates in
 *		the caller's native stack frame, which sandboxed code must not
 *		address (all its accesses are %gs-relative).  Each byval argument is
 *		copied by the caller into a fresh alloca (which step 3d moves to the
 *		data stack) and passed as a plain pointer.
 *
 * Invariants kept:
 *	- After this step no call site and no defined function has a byval
 *	  parameter; the callee still receives a private copy, so the C
 *	  semantics of pass-by-value are unchanged.
 *	- Runs before the memory-intrinsic expansion (it creates llvm.memcpy)
 *	  and before the alloca pass (it creates allocas).
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

static unsigned
cc_byval_kind(void)
{
	return LLVMGetEnumAttributeKindForName("byval", 5);
}

static void
cc_byval_call(cc_sandbox *S, LLVMValueRef call, LLVMValueRef fn)
{
	unsigned	kind = cc_byval_kind();
	unsigned	nargs = LLVMGetNumArgOperands(call);
	unsigned	i;

	for (i = 0; i < nargs; i++)
	{
		LLVMAttributeRef a = LLVMGetCallSiteEnumAttribute(call, i + 1, kind);
		LLVMTypeRef ty;
		LLVMBuilderRef B;
		LLVMValueRef tmp,
					size;
		LLVMBasicBlockRef entry;
		LLVMValueRef first;

		if (a == NULL)
			continue;
		ty = LLVMGetTypeAttributeValue(a);
		/* the copy: a static alloca in the entry block of the caller */
		entry = LLVMGetEntryBasicBlock(fn);
		first = LLVMGetFirstInstruction(entry);
		B = LLVMCreateBuilderInContext(S->ctx);
		LLVMPositionBuilderBefore(B, first);
		tmp = LLVMBuildAlloca(B, ty, "byval.copy");
		LLVMSetAlignment(tmp, 16);
		LLVMPositionBuilderBefore(B, call);
		LLVMSetCurrentDebugLocation2(B, LLVMInstructionGetDebugLoc(call));
		size = LLVMConstInt(S->i64, LLVMABISizeOfType(S->td, ty), 0);
		LLVMBuildMemCpy(B, tmp, 16, LLVMGetOperand(call, i), 1, size);
		LLVMSetOperand(call, i, tmp);
		LLVMRemoveCallSiteEnumAttribute(call, i + 1, kind);
		LLVMDisposeBuilder(B);
	}
}

void
cc_instr_byval(cc_sandbox *S)
{
	unsigned	kind = cc_byval_kind();
	LLVMValueRef fn;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		cc_inst_iter it;
		unsigned	i,
					n;

		if (LLVMIsDeclaration(fn))
			continue;
		n = LLVMCountParams(fn);
		for (i = 0; i < n; i++)
			LLVMRemoveEnumAttributeAtIndex(fn, i + 1, kind);
		/* the copies go before the call and at the top of the entry block */
		cc_foreach_instruction_in_function(it, fn)
			if (cc_is_call(it.inst))
				cc_byval_call(S, it.inst, fn);
	}
}
