/*-------------------------------------------------------------------------
 *
 * cc_instr_poll.c
 *		Step 6c: interrupt polls (ABI.md "Host calls and the interrupt
 *		poll").  A poll is
 *			p = load ptr @__tmebox_intr          (!invariant.load, once
 *			                                      per function, at entry)
 *			f = load volatile i32, ptr p
 *			if (f != 0) call __tmebox_poll_slow() (cold, preserve_all; it
 *			                                      makes host call interrupt)
 *		and it is placed only where the runtime's asynchronous interruption
 *		cannot act (runtime/rt_interrupt.c): at the entry of every function
 *		the runtime calls (external linkage: exports, rt_malloc, rt_free),
 *		for a signal that arrived in the runtime just before the call; and
 *		right after every host call that returns, for a signal that arrived
 *		while host code ran.  Loops carry no poll: a signal that arrives
 *		while the module's own code runs ends the call directly.
 *
 * Invariants kept:
 *	- A sandbox cannot run unboundedly without being interruptible: either
 *	  its PC is in the module's text (the signal handler ends the call) or
 *	  it is in a host call, after which it polls before running on.
 *	- __tmebox_intr is an external host global (a pointer, filled by the
 *	  runtime); the polls are host accesses and stay in address space 0.
 *
 *-------------------------------------------------------------------------
 */
#define CC_SANDBOX_INTERNAL
#include "cc_sandbox.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static LLVMValueRef
cc_intr_global(cc_sandbox *S)
{
	LLVMValueRef g = LLVMGetNamedGlobal(S->mod, TMEBOX_SYM_INTR);

	if (g == NULL)
	{
		g = LLVMAddGlobal(S->mod, S->ptr, TMEBOX_SYM_INTR);
		LLVMSetInitializer(g, LLVMConstNull(S->ptr));
		LLVMSetLinkage(g, LLVMExternalLinkage);
		LLVMSetAlignment(g, 8);
	}
	return g;
}

#define CC_POLL_STUB "__tmebox_poll_slow"

static void
cc_add_attr(cc_sandbox *S, LLVMValueRef fn, const char *name)
{
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
							LLVMCreateEnumAttribute(S->ctx,
													LLVMGetEnumAttributeKindForName(name, strlen(name)), 0));
}

/* The cold path of every poll: void __tmebox_poll_slow(void), preserve_all. */
static LLVMValueRef
cc_poll_stub(cc_sandbox *S)
{
	LLVMValueRef fn = LLVMGetNamedFunction(S->mod, CC_POLL_STUB);
	LLVMTypeRef fty;
	LLVMBuilderRef B;

	if (fn)
		return fn;
	fty = LLVMFunctionType(S->void_t, NULL, 0, 0);
	fn = LLVMAddFunction(S->mod, CC_POLL_STUB, fty);
	LLVMSetLinkage(fn, LLVMInternalLinkage);
	LLVMSetFunctionCallConv(fn, LLVMPreserveAllCallConv);
	cc_add_attr(S, fn, "cold");
	cc_add_attr(S, fn, "noinline");
	cc_add_attr(S, fn, "nounwind");
	LLVMAddTargetDependentFunctionAttr(fn, "probe-stack", "inline-asm");
	B = LLVMCreateBuilderInContext(S->ctx);
	LLVMPositionBuilderAtEnd(B, LLVMAppendBasicBlockInContext(S->ctx, fn, "entry"));
	cc_build_host_call(S, B, "interrupt", S->void_t, NULL, NULL, 0);
	LLVMBuildRetVoid(B);
	LLVMDisposeBuilder(B);
	return fn;
}

/* Load the interrupt-flag pointer at the very start of fn's entry block. */
static LLVMValueRef
cc_load_intr_ptr(cc_sandbox *S, LLVMValueRef intr, LLVMValueRef fn)
{
	LLVMValueRef first = LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(fn));
	LLVMBuilderRef B = cc_builder_before(S, first);
	unsigned	kind = LLVMGetMDKindIDInContext(S->ctx, "invariant.load", 14);
	LLVMValueRef p = LLVMBuildLoad2(B, S->ptr, intr, "tmebox.intr");

	LLVMSetAlignment(p, 8);
	LLVMSetMetadata(p, kind, LLVMMetadataAsValue(S->ctx, LLVMMDNodeInContext2(S->ctx, NULL, 0)));
	LLVMDisposeBuilder(B);
	return p;
}

/* Insert a poll of the flag `p` points to before `before`. */
static void
cc_poll_before(cc_sandbox *S, LLVMValueRef p, LLVMValueRef stub, LLVMValueRef before)
{
	LLVMBasicBlockRef head = LLVMGetInstructionParent(before);
	LLVMValueRef fn = LLVMGetBasicBlockParent(head);
	LLVMBuilderRef B = cc_builder_before(S, before);
	LLVMValueRef f,
				c,
				br,
				call;
	LLVMBasicBlockRef tail,
				cold;

	f = LLVMBuildLoad2(B, S->i32, p, "tmebox.flag");
	LLVMSetAlignment(f, 4);
	LLVMSetVolatile(f, 1);
	c = LLVMBuildICmp(B, LLVMIntNE, f, LLVMConstInt(S->i32, 0, 0), "");
	tail = cc_split_before(S, before);
	cold = LLVMAppendBasicBlockInContext(S->ctx, fn, "tmebox.interrupt");
	LLVMPositionBuilderAtEnd(B, head);
	br = LLVMBuildCondBr(B, c, cold, tail);
	cc_set_branch_weights(S, br, 1, 1048575);
	LLVMPositionBuilderAtEnd(B, cold);
	call = LLVMBuildCall2(B, LLVMGlobalGetValueType(stub), stub, NULL, 0, "");
	LLVMSetInstructionCallConv(call, LLVMPreserveAllCallConv);
	LLVMBuildBr(B, tail);
	LLVMDisposeBuilder(B);
}

/*
 * Does host call `inst` come back to sandboxed code?  Not trap and error
 * (they leave the sandbox) nor interrupt (the poll's own host call).
 */
static bool
cc_host_call_returns(LLVMValueRef inst)
{
	LLVMValueRef callee;
	const char *n;

	if (!cc_is_call(inst) || (callee = cc_called_function(inst)) == NULL)
		return false;
	n = cc_name(callee);
	if (!cc_starts_with(n, CC_HOST_PREFIX))
		return false;
	n += strlen(CC_HOST_PREFIX);
	return strcmp(n, "trap") != 0 && strcmp(n, "error") != 0 &&
		strcmp(n, "interrupt") != 0;
}

void
cc_instr_polls(cc_sandbox *S)
{
	LLVMValueRef intr = cc_intr_global(S);
	LLVMValueRef stub = cc_poll_stub(S);
	LLVMValueRef fn;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		LLVMValueRef *sites = NULL;
		int			nsites = 0,
					cap = 0;
		bool		entry;
		LLVMValueRef p;

		if (LLVMIsDeclaration(fn) || fn == stub)
			continue;
		/* the instructions to poll before: those after returning host calls */
		for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
			for (LLVMValueRef inst = LLVMGetFirstInstruction(bb); inst;
				 inst = LLVMGetNextInstruction(inst))
			{
				if (!cc_host_call_returns(inst))
					continue;
				if (nsites == cap)
				{
					cap = cap ? cap * 2 : 8;
					sites = realloc(sites, sizeof(LLVMValueRef) * cap);
					if (sites == NULL)
						abort();
				}
				sites[nsites++] = LLVMGetNextInstruction(inst);
			}
		entry = LLVMGetLinkage(fn) == LLVMExternalLinkage;
		if (entry || nsites > 0)
		{
			p = cc_load_intr_ptr(S, intr, fn);
			for (int i = 0; i < nsites; i++)
				cc_poll_before(S, p, stub, sites[i]);
			if (entry)
				cc_poll_before(S, p, stub, LLVMGetNextInstruction(p));
		}
		free(sites);
	}
}
