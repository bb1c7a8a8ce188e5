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
 *		cc_instr_fnptr_dispatch (step 6): rewrites every indirect call of
 *		function type T as a direct call of T's dispatcher, an internal
 *		function made once per called type:
 *			r = __tmebox_dispatch.T(ptrtoint callee, args)
 *			dispatch.T(idx, args):
 *				switch (opaque(idx))	(cc_opaque: no folding)
 *				{ case k: return f_k(args) ... default: trap(BAD_CALL) }
 *		with one case per function of the table whose type is exactly T;
 *		entry 0 (NULL) has no case.
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
#include "cc_ir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Copy fn's own attributes at `idx` (return or a parameter) onto call c. */
static void
cc_copy_callee_attrs(LLVMValueRef fn, LLVMValueRef c, LLVMAttributeIndex idx)
{
	unsigned	n = LLVMGetAttributeCountAtIndex(fn, idx);
	LLVMAttributeRef *a;

	if (n == 0)
		return;
	a = malloc(sizeof(LLVMAttributeRef) * n);
	LLVMGetAttributesAtIndex(fn, idx, a);
	for (unsigned k = 0; k < n; k++)
		LLVMAddCallSiteAttribute(c, idx, a[k]);
	free(a);
}

/*
 * The dispatcher of function type `fty` (created on first use), an
 * internal function
 *		RET dispatch(i64 idx, ARGS...)
 *		{
 *			switch (opaque(idx)) { case k: return f_k(ARGS...); ...
 *								   default: trap(BAD_CALL); }
 *		}
 * with one case per table entry of exactly type `fty`.  The calls inside
 * are direct and carry f_k's own parameter and return attributes (zeroext,
 * signext...: what its ABI needs); the dispatcher's own interface has
 * none (it is internal, and passes values through unchanged).
 */
static LLVMValueRef
cc_dispatcher(cc_sandbox *S, LLVMTypeRef fty, LLVMValueRef caller)
{
	int			tid = cc_type_id(S, fty);
	unsigned	nparams = LLVMCountParamTypes(fty);
	LLVMTypeRef rty = LLVMGetReturnType(fty);
	LLVMTypeRef *ptys = malloc(sizeof(LLVMTypeRef) * (nparams + 1));
	LLVMTypeRef dty;
	LLVMValueRef d,
				sw,
				idx,
				*args;
	LLVMBasicBlockRef entry,
				trapbb;
	LLVMBuilderRef B;
	LLVMValueRef code = LLVMConstInt(S->i32, TMEBOX_TRAP_BAD_CALL, 0);
	LLVMTypeRef pt = S->i32;
	char		name[64];
	const char *const copied[] = {"target-cpu", "target-features", NULL};
	int			ncases = 0;

	snprintf(name, sizeof(name), "__tmebox_dispatch.%d", tid);
	if ((d = LLVMGetNamedFunction(S->mod, name)) != NULL)
	{
		free(ptys);
		return d;
	}
	ptys[0] = S->i64;
	LLVMGetParamTypes(fty, ptys + 1);
	dty = LLVMFunctionType(rty, ptys, nparams + 1, 0);
	d = LLVMAddFunction(S->mod, name, dty);
	LLVMSetLinkage(d, LLVMInternalLinkage);
	LLVMAddAttributeAtIndex(d, LLVMAttributeFunctionIndex,
							LLVMCreateEnumAttribute(S->ctx,
													LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
	for (int k = 0; copied[k]; k++)
	{
		LLVMAttributeRef a = LLVMGetStringAttributeAtIndex(caller, LLVMAttributeFunctionIndex,
														   copied[k], (unsigned) strlen(copied[k]));

		if (a != NULL)
			LLVMAddAttributeAtIndex(d, LLVMAttributeFunctionIndex, a);
	}

	entry = LLVMAppendBasicBlockInContext(S->ctx, d, "entry");
	trapbb = LLVMAppendBasicBlockInContext(S->ctx, d, "tmebox.badcall");
	B = LLVMCreateBuilderInContext(S->ctx);
	LLVMPositionBuilderAtEnd(B, trapbb);
	cc_build_host_call(S, B, "trap", S->void_t, &pt, &code, 1);
	LLVMBuildUnreachable(B);

	for (int k = 1; k <= S->nfntab; k++)
		if (cc_type_id(S, LLVMGlobalGetValueType(S->fntab[k])) == tid)
			ncases++;
	LLVMPositionBuilderAtEnd(B, entry);
	idx = cc_opaque(S, B, LLVMGetParam(d, 0), "tmebox.fnidx");
	sw = LLVMBuildSwitch(B, idx, trapbb, (unsigned) ncases);

	args = malloc(sizeof(LLVMValueRef) * (nparams + 1));
	for (unsigned k = 0; k < nparams; k++)
		args[k] = LLVMGetParam(d, k + 1);
	for (int k = 1; k <= S->nfntab; k++)
	{
		LLVMValueRef f = S->fntab[k];
		LLVMBasicBlockRef bb;
		LLVMValueRef c;

		if (cc_type_id(S, LLVMGlobalGetValueType(f)) != tid)
			continue;
		bb = LLVMAppendBasicBlockInContext(S->ctx, d, "tmebox.fncall");
		LLVMAddCase(sw, LLVMConstInt(S->i64, (unsigned long long) k, 0), bb);
		LLVMPositionBuilderAtEnd(B, bb);
		c = LLVMBuildCall2(B, fty, f, args, nparams, "");
		LLVMSetInstructionCallConv(c, LLVMGetFunctionCallConv(f));
		cc_copy_callee_attrs(f, c, LLVMAttributeReturnIndex);
		for (unsigned p = 0; p < nparams; p++)
			cc_copy_callee_attrs(f, c, p + 1);
		if (LLVMGetTypeKind(rty) == LLVMVoidTypeKind)
			LLVMBuildRetVoid(B);
		else
			LLVMBuildRet(B, c);
	}
	LLVMDisposeBuilder(B);
	free(args);
	free(ptys);
	return d;
}

/*
 * Rewrite one indirect call `r = call T %p(args)` as
 *		r = call @__tmebox_dispatch.T(ptrtoint p, args)
 * The machine code has no indirect call for the verifier to refuse, and an
 * index outside 1..N or of another type has nowhere to go but the trap.
 */
static void
cc_dispatch_one(cc_sandbox *S, LLVMValueRef call)
{
	LLVMTypeRef fty = LLVMGetCalledFunctionType(call);
	unsigned	nargs = LLVMGetNumArgOperands(call);
	LLVMValueRef fn = LLVMGetBasicBlockParent(LLVMGetInstructionParent(call));
	LLVMValueRef d = cc_dispatcher(S, fty, fn);
	LLVMBuilderRef B = cc_builder_before(S, call);
	LLVMValueRef *args = malloc(sizeof(LLVMValueRef) * (nargs + 1));
	LLVMValueRef c;

	args[0] = LLVMBuildPtrToInt(B, LLVMGetCalledValue(call), S->i64, "tmebox.fnidx");
	for (unsigned k = 0; k < nargs; k++)
		args[k + 1] = LLVMGetOperand(call, k);
	c = LLVMBuildCall2(B, LLVMGlobalGetValueType(d), d, args, nargs + 1, "");
	if (LLVMGetTypeKind(LLVMGetReturnType(fty)) != LLVMVoidTypeKind)
		LLVMReplaceAllUsesWith(call, c);
	LLVMInstructionEraseFromParent(call);
	LLVMDisposeBuilder(B);
	free(args);
}

void
cc_instr_fnptr_dispatch(cc_sandbox *S)
{
	cc_inst_iter it;
	LLVMValueRef *calls = NULL;
	int			ncalls = 0,
				cap = 0,
				i;

	/* collect first: the rewrite adds functions (the dispatchers) */
	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;
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
	for (i = 0; i < ncalls; i++)
		cc_dispatch_one(S, calls[i]);
	free(calls);
}
