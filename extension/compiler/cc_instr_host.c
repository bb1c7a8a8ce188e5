/*-------------------------------------------------------------------------
 *
 * cc_instr_host.c
 *		Step 6d (last transformation): host calls.  Every call of a declared
 *		__tmebox_host_NAME (from the sandbox libc, or created by the earlier
 *		steps: memmove, memset, math, trap, interrupt) becomes
 *			call (load ptr, getelementptr @__tmebox_hosttab, 0, INDEX)(args)
 *		with INDEX from the TMEBOX_HOSTCALLS X-macro of tmebox_abi.h.
 *		__tmebox_hosttab is [TMEBOX_HOST_COUNT x ptr] zeroinitializer,
 *		external, protected and writable: the runtime fills it after
 *		loading; code reaches it %rip-relative, so each host call is one
 *		`call *SLOT(%rip)` (the only indirect call the verifier accepts:
 *		no invariant.load, so no slot is kept in a register).
 *		Last, every `unreachable` gets a `ud2` (llvm.trap) in front.
 *
 * Invariants kept:
 *	- After this step no host function is named by the module: the object
 *	  has no undefined symbol for them, and the sandbox reaches the host
 *	  only through the table, whose contents it cannot change (host memory).
 *	- The table loads are host accesses (address space 0), emitted after
 *	  the memory instrumentation.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <string.h>

static LLVMValueRef
cc_hosttab_global(cc_sandbox *S, LLVMTypeRef *ty)
{
	LLVMValueRef g = LLVMGetNamedGlobal(S->mod, TMEBOX_SYM_HOSTTAB);

	*ty = LLVMArrayType2(S->ptr, TMEBOX_HOST_COUNT);
	if (g == NULL)
	{
		g = LLVMAddGlobal(S->mod, *ty, TMEBOX_SYM_HOSTTAB);
		LLVMSetInitializer(g, LLVMConstNull(*ty));
		LLVMSetLinkage(g, LLVMExternalLinkage);
		LLVMSetAlignment(g, 16);
	}
	/* in .dynsym for the runtime, but reached %rip-relative, never
	 * through the GOT: the verifier accepts a host call only as
	 * `call *SLOT(%rip)` */
	LLVMSetVisibility(g, LLVMProtectedVisibility);
	return g;
}

/*
 * A `ud2` before every `unreachable`: after a call that does not return
 * (the trap host call, abort) LLVM emits nothing, so the code would fall
 * through into whatever function follows, which the verifier refuses.
 */
static void
cc_trap_before_unreachable(cc_sandbox *S)
{
	LLVMTypeRef fty = LLVMFunctionType(S->void_t, NULL, 0, 0);
	LLVMValueRef trap = LLVMGetNamedFunction(S->mod, "llvm.trap");
	cc_inst_iter it;

	if (trap == NULL)
		trap = LLVMAddFunction(S->mod, "llvm.trap", fty);
	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef term = it.inst;
		LLVMValueRef prev;
		LLVMBuilderRef B;

		/* `unreachable` is always its block's terminator */
		if (LLVMGetInstructionOpcode(term) != LLVMUnreachable)
			continue;
		prev = LLVMGetPreviousInstruction(term);
		if (prev != NULL && cc_is_call(prev) && cc_called_function(prev) == trap)
			continue;
		B = cc_builder_before(S, term);
		LLVMBuildCall2(B, fty, trap, NULL, 0, "");
		LLVMDisposeBuilder(B);
	}
}

void
cc_instr_hostcalls(cc_sandbox *S)
{
	LLVMTypeRef tabty;
	LLVMValueRef tab = cc_hosttab_global(S, &tabty);
	LLVMValueRef fn,
				next;
	cc_inst_iter it;

	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;
		LLVMValueRef callee,
					idxs[2],
					fp;
		LLVMBuilderRef B;
		const char *n;
		int			index;

		if (!cc_is_call(inst) || (callee = cc_called_function(inst)) == NULL)
			continue;
		n = cc_name(callee);
		if (!cc_starts_with(n, CC_HOST_PREFIX))
			continue;
		index = cc_host_index(n + strlen(CC_HOST_PREFIX));
		if (index < 0 || !LLVMIsDeclaration(callee))
		{
			cc_internal_error(S, inst, "call of unknown host function '%s'", n);
			continue;
		}
		/* the slot's load goes before the call, which now calls it */
		B = cc_builder_before(S, inst);
		idxs[0] = LLVMConstInt(S->i64, 0, 0);
		idxs[1] = LLVMConstInt(S->i64, index, 0);
		fp = LLVMBuildLoad2(B, S->ptr, LLVMBuildInBoundsGEP2(B, tabty, tab, idxs, 2, ""), "tmebox.host");
		LLVMSetAlignment(fp, 8);
		LLVMSetOperand(inst, LLVMGetNumOperands(inst) - 1, fp);
		LLVMDisposeBuilder(B);
	}
	cc_trap_before_unreachable(S);
	/* the declarations are now unused */
	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = next)
	{
		next = LLVMGetNextFunction(fn);
		if (LLVMIsDeclaration(fn) && cc_starts_with(cc_name(fn), CC_HOST_PREFIX))
		{
			if (LLVMGetFirstUse(fn) == NULL)
				LLVMDeleteFunction(fn);
			else
				cc_internal_error(S, NULL, "host function '%s' is still referenced", cc_name(fn));
		}
	}
}
