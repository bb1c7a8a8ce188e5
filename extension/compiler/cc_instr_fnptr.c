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
 *		cc_instr_fnptr_dispatch (step 6): builds the internal constant
 *		__tmebox_fntab = [N+1 x {ptr fn, i64 type_id}] (entry 0 unused) and
 *		rewrites every indirect call as
 *			idx = opaque(ptrtoint callee);	(cc_opaque: no folding of the checks)
 *			if (idx - 1 >= N) trap(BAD_CALL);
 *			if (fntab[idx].type_id != id(call type)) trap(BAD_CALL);
 *			call fntab[idx].fn (same function type, attributes, arguments)
 *
 * Invariants kept:
 *	- No function address (host code address) is ever a value the sandbox
 *	  can see or store into its memory; only indices are.
 *	- Every call that does not name a Function directly goes through both
 *	  checks; a call whose type matches no table entry always traps.
 *	- fntab lives in host memory (not in the view): the sandbox cannot
 *	  change where an index leads.
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

static LLVMValueRef
cc_build_fntab(cc_sandbox *S, LLVMTypeRef *ety)
{
	LLVMTypeRef fields[2] = {S->ptr, S->i64};
	LLVMValueRef *ents = malloc(sizeof(LLVMValueRef) * (S->nfntab + 1));
	LLVMValueRef tab,
				init;
	int			i;

	*ety = LLVMStructTypeInContext(S->ctx, fields, 2, 0);
	for (i = 0; i <= S->nfntab; i++)
	{
		LLVMValueRef f[2];

		f[0] = i ? S->fntab[i] : LLVMConstNull(S->ptr);
		f[1] = LLVMConstInt(S->i64, i ? cc_type_id(S, LLVMGlobalGetValueType(S->fntab[i])) : 0, 0);
		ents[i] = LLVMConstStructInContext(S->ctx, f, 2, 0);
	}
	init = LLVMConstArray2(*ety, ents, S->nfntab + 1);
	tab = LLVMAddGlobal(S->mod, LLVMTypeOf(init), CC_FNTAB_NAME);
	LLVMSetInitializer(tab, init);
	LLVMSetGlobalConstant(tab, 1);
	LLVMSetLinkage(tab, LLVMInternalLinkage);
	LLVMSetAlignment(tab, 16);
	free(ents);
	return tab;
}

static void
cc_dispatch_one(cc_sandbox *S, LLVMValueRef call, LLVMValueRef tab, LLVMTypeRef ety)
{
	LLVMBuilderRef B = cc_builder_before(S, call);
	LLVMValueRef callee = LLVMGetCalledValue(call);
	LLVMValueRef idx,
				c,
				idxs[3],
				tid,
				target;
	LLVMTypeRef tabty = LLVMArrayType2(ety, S->nfntab + 1);

	idx = cc_opaque(S, B, LLVMBuildPtrToInt(B, callee, S->i64, ""), "tmebox.fnidx");
	c = LLVMBuildICmp(B, LLVMIntUGE, LLVMBuildSub(B, idx, LLVMConstInt(S->i64, 1, 0), ""),
					  LLVMConstInt(S->i64, S->nfntab, 0), "");
	cc_guard(S, call, c, TMEBOX_TRAP_BAD_CALL);
	LLVMPositionBuilderBefore(B, call);
	idxs[0] = LLVMConstInt(S->i64, 0, 0);
	idxs[1] = idx;
	idxs[2] = LLVMConstInt(S->i32, 1, 0);
	tid = LLVMBuildLoad2(B, S->i64, LLVMBuildGEP2(B, tabty, tab, idxs, 3, ""), "tmebox.typeid");
	LLVMSetAlignment(tid, 8);
	c = LLVMBuildICmp(B, LLVMIntNE, tid,
					  LLVMConstInt(S->i64, cc_type_id(S, LLVMGetCalledFunctionType(call)), 0), "");
	cc_guard(S, call, c, TMEBOX_TRAP_BAD_CALL);
	LLVMPositionBuilderBefore(B, call);
	idxs[2] = LLVMConstInt(S->i32, 0, 0);
	target = LLVMBuildLoad2(B, S->ptr, LLVMBuildGEP2(B, tabty, tab, idxs, 3, ""), "tmebox.fn");
	LLVMSetAlignment(target, 8);
	LLVMSetOperand(call, LLVMGetNumOperands(call) - 1, target);
	LLVMDisposeBuilder(B);
}

void
cc_instr_fnptr_dispatch(cc_sandbox *S)
{
	LLVMTypeRef ety;
	LLVMValueRef tab = cc_build_fntab(S, &ety);
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
		cc_dispatch_one(S, calls[i], tab, ety);
	free(calls);
}
