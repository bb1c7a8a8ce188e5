/*-------------------------------------------------------------------------
 *
 * cc_instr_fnptr.c
 *		Function pointers as checked table indices (ABI.md "Function
 *		pointers").
 *
 *		cc_instr_fnptr_assign (step 4, before the globals are laid out, so
 *		initialisers see indices): every defined function whose address is
 *		taken (any use but the callee of a direct call) gets an index
 *		1..N and every such use becomes the constant inttoptr(i64 index);
 *		direct calls keep calling the function.
 *
 *		cc_instr_fnptr_dispatch (step 6): rewrites every indirect call as
 *			idx = opaque(ptrtoint callee);	(cc_opaque: no folding)
 *			switch (idx) { case k: call f_k(args) ... default: trap(BAD_CALL) }
 *		with one case per function of the table whose type is the call's
 *		(same attributes, arguments); entry 0 (NULL) has no case.
 *
 * Invariants kept:
 *	- No function address (host code address) is ever a value the sandbox
 *	  can see or store into its memory; only indices are.
 *	- No indirect call remains: an index leads only to a function of the
 *	  call's own type, named in a direct call; any other index, 0 and a
 *	  call whose type matches no table entry trap.  Where an index leads
 *	  is in the module's code, out of the sandbox's reach.
 *
 *-------------------------------------------------------------------------
 */
#define CC_SANDBOX_INTERNAL
#include "cc_sandbox.h"

#include <stdlib.h>

/* Is fn used other than as the callee of a direct call? */
static int
cc_address_taken(LLVMValueRef fn)
{
	LLVMUseRef	u;

	for (u = LLVMGetFirstUse(fn); u; u = LLVMGetNextUse(u))
	{
		LLVMValueRef user = LLVMGetUser(u);
		unsigned	i,
					n;

		if (!LLVMIsACallInst(user) || LLVMGetCalledValue(user) != fn)
			return 1;
		n = LLVMGetNumArgOperands(user);
		for (i = 0; i < n; i++)
			if (LLVMGetOperand(user, i) == fn)
				return 1;
	}
	return 0;
}

static int
cc_type_id(cc_sandbox *S, LLVMTypeRef fnty)
{
	int			i;

	for (i = 0; i < S->nfntypes; i++)
		if (S->fntypes[i] == fnty)
			return i + 1;
	return 0;
}

void
cc_instr_fnptr_assign(cc_sandbox *S)
{
	LLVMValueRef fn;
	int			nfn = 0;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
		nfn++;
	S->fntab = calloc(nfn + 1, sizeof(LLVMValueRef));
	S->fntypes = calloc(nfn + 1, sizeof(LLVMTypeRef));
	S->nfntab = 0;
	S->nfntypes = 0;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		LLVMTypeRef fty;
		LLVMValueRef *direct;
		LLVMUseRef	u;
		int			ndirect = 0,
					nuses = 0,
					i;

		if (LLVMIsDeclaration(fn) || !cc_address_taken(fn))
			continue;
		S->fntab[++S->nfntab] = fn;
		fty = LLVMGlobalGetValueType(fn);
		if (cc_type_id(S, fty) == 0)
			S->fntypes[S->nfntypes++] = fty;

		/* remember the direct calls, replace every use, restore them */
		for (u = LLVMGetFirstUse(fn); u; u = LLVMGetNextUse(u))
			nuses++;
		direct = malloc(sizeof(LLVMValueRef) * (nuses + 1));
		for (u = LLVMGetFirstUse(fn); u; u = LLVMGetNextUse(u))
		{
			LLVMValueRef user = LLVMGetUser(u);

			if (LLVMIsACallInst(user) && LLVMGetCalledValue(user) == fn)
				direct[ndirect++] = user;
		}
		LLVMReplaceAllUsesWith(fn, cc_const_addr(S, S->nfntab));
		for (i = 0; i < ndirect; i++)
			LLVMSetOperand(direct[i], LLVMGetNumOperands(direct[i]) - 1, fn);
		free(direct);
	}
}

/*
 * Rewrite one indirect call `r = call T %p(args)` as
 *		idx = opaque(ptrtoint p)
 *		switch idx: case k (each table entry whose type is T): r = call T @f_k(args)
 *		            default: trap(BAD_CALL)
 * The calls are direct: the machine code has no indirect call for the
 * verifier to refuse, and an index outside 1..N or of another type has
 * nowhere to go but the trap.
 */
static void
cc_dispatch_one(cc_sandbox *S, LLVMValueRef call)
{
	LLVMTypeRef fty = LLVMGetCalledFunctionType(call);
	LLVMTypeRef rty = LLVMGetReturnType(fty);
	int			tid = cc_type_id(S, fty);
	LLVMBuilderRef B = cc_builder_before(S, call);
	LLVMValueRef idx = cc_opaque(S, B, LLVMBuildPtrToInt(B, LLVMGetCalledValue(call), S->i64, ""),
								 "tmebox.fnidx");
	LLVMBasicBlockRef head = LLVMGetInstructionParent(call);
	LLVMValueRef fn = LLVMGetBasicBlockParent(head);
	LLVMBasicBlockRef tail = cc_split_before(S, call);
	LLVMBasicBlockRef trapbb = LLVMAppendBasicBlockInContext(S->ctx, fn, "tmebox.badcall");
	LLVMValueRef code = LLVMConstInt(S->i32, TMEBOX_TRAP_BAD_CALL, 0);
	LLVMTypeRef pt = S->i32;
	LLVMValueRef sw,
				phi = NULL;
	int			k,
				ncases = 0;

	for (k = 1; k <= S->nfntab; k++)
		if (cc_type_id(S, LLVMGlobalGetValueType(S->fntab[k])) == tid)
			ncases++;
	LLVMPositionBuilderAtEnd(B, trapbb);
	cc_build_host_call(S, B, "trap", S->void_t, &pt, &code, 1);
	LLVMBuildUnreachable(B);
	LLVMPositionBuilderAtEnd(B, head);
	sw = LLVMBuildSwitch(B, idx, trapbb, (unsigned) ncases);
	if (LLVMGetTypeKind(rty) != LLVMVoidTypeKind)
	{
		LLVMPositionBuilderBefore(B, call);
		phi = LLVMBuildPhi(B, rty, "tmebox.fnret");
	}
	for (k = 1; k <= S->nfntab; k++)
	{
		LLVMBasicBlockRef bb;
		LLVMValueRef c;

		if (cc_type_id(S, LLVMGlobalGetValueType(S->fntab[k])) != tid)
			continue;
		bb = LLVMAppendBasicBlockInContext(S->ctx, fn, "tmebox.fncall");
		LLVMMoveBasicBlockBefore(bb, tail);
		LLVMAddCase(sw, LLVMConstInt(S->i64, (unsigned long long) k, 0), bb);
		LLVMPositionBuilderAtEnd(B, bb);
		c = LLVMInstructionClone(call);
		LLVMInsertIntoBuilder(B, c);
		LLVMSetOperand(c, LLVMGetNumOperands(c) - 1, S->fntab[k]);
		LLVMSetTailCallKind(c, LLVMTailCallKindNone);
		LLVMBuildBr(B, tail);
		if (phi != NULL)
			LLVMAddIncoming(phi, &c, &bb, 1);
	}
	if (phi != NULL)
		LLVMReplaceAllUsesWith(call, phi);
	LLVMInstructionEraseFromParent(call);
	LLVMDisposeBuilder(B);
}

void
cc_instr_fnptr_dispatch(cc_sandbox *S)
{
	LLVMValueRef fn;
	LLVMValueRef *calls = NULL;
	int			ncalls = 0,
				cap = 0,
				i;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		LLVMBasicBlockRef bb;
		LLVMValueRef inst;

		if (LLVMIsDeclaration(fn))
			continue;
		for (bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
			for (inst = LLVMGetFirstInstruction(bb); inst; inst = LLVMGetNextInstruction(inst))
			{
				LLVMValueRef callee;

				if (!cc_is_call(inst))
					continue;
				callee = LLVMGetCalledValue(inst);
				if (LLVMIsAFunction(callee))
					continue;
				if (LLVMIsAInlineAsm(callee))
				{
					if (cc_is_opaque(inst))
						continue;
					cc_internal_error(S, inst, "inline assembly survived the checks");
					continue;
				}
				if (ncalls == cap)
				{
					cap = cap ? cap * 2 : 64;
					calls = realloc(calls, sizeof(LLVMValueRef) * cap);
				}
				calls[ncalls++] = inst;
			}
	}
	for (i = 0; i < ncalls; i++)
		cc_dispatch_one(S, calls[i]);
	free(calls);
}
