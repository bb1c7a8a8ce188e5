/*-------------------------------------------------------------------------
 *
 * cc_instr_poll.c
 *		Step 6c: interrupt polls (ABI.md "Host calls and the interrupt
 *		poll").  At every function entry and at the end of the source block
 *		of every DFS back-edge of the CFG:
 *			p = load ptr @__tmebox_intr          (!invariant.load)
 *			f = load volatile i32, ptr p
 *			if (f != 0) call host interrupt()     (cold block)
 *		Every cycle of a CFG contains an edge that a DFS from the entry
 *		classifies as a back-edge (its target is on the DFS stack), also for
 *		irreducible loops, so every loop iteration polls.
 *
 * Invariants kept:
 *	- A sandbox cannot run unboundedly without reaching a poll: each
 *	  function entry polls (recursion) and each cycle contains a poll.
 *	- __tmebox_intr is an external host global (a pointer, filled by the
 *	  runtime); the polls are host accesses and stay in address space 0.
 *
 *-------------------------------------------------------------------------
 */
#define CC_SANDBOX_INTERNAL
#include "cc_sandbox.h"

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
	LLVMAddTargetDependentFunctionAttr(fn, "no-jump-tables", "true");
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

typedef struct cc_bbidx
{
	LLVMBasicBlockRef bb;
	unsigned	idx;
} cc_bbidx;

static int
cc_bbidx_cmp(const void *a, const void *b)
{
	uintptr_t	x = (uintptr_t) ((const cc_bbidx *) a)->bb;
	uintptr_t	y = (uintptr_t) ((const cc_bbidx *) b)->bb;

	return x < y ? -1 : x > y;
}

/* Index of bb in the sorted map, or nb when absent. */
static unsigned
cc_bb_index(const cc_bbidx *map, unsigned nb, LLVMBasicBlockRef bb)
{
	cc_bbidx	key;
	const cc_bbidx *r;

	key.bb = bb;
	r = bsearch(&key, map, nb, sizeof(cc_bbidx), cc_bbidx_cmp);
	return r ? r->idx : nb;
}

/* Blocks that are the source of a DFS back-edge (iterative DFS). */
static int
cc_backedge_sources(LLVMValueRef fn, LLVMBasicBlockRef **out)
{
	unsigned	nb = LLVMCountBasicBlocks(fn);
	LLVMBasicBlockRef *blocks = malloc(sizeof(LLVMBasicBlockRef) * nb);
	cc_bbidx   *map = malloc(sizeof(cc_bbidx) * nb);
	char	   *state = calloc(nb, 1);	/* 0 new, 1 on the DFS stack, 2 done */
	unsigned   *stk = malloc(sizeof(unsigned) * nb);
	unsigned   *next = malloc(sizeof(unsigned) * nb);
	char	   *issrc = calloc(nb, 1);
	LLVMBasicBlockRef *srcs = malloc(sizeof(LLVMBasicBlockRef) * nb);
	int			sp = 0,
				ns = 0;
	unsigned	i;

	LLVMGetBasicBlocks(fn, blocks);
	for (i = 0; i < nb; i++)
	{
		map[i].bb = blocks[i];
		map[i].idx = i;
	}
	qsort(map, nb, sizeof(cc_bbidx), cc_bbidx_cmp);

	stk[sp++] = 0;
	state[0] = 1;
	next[0] = 0;
	while (sp > 0)
	{
		unsigned	b = stk[sp - 1];
		LLVMValueRef term = LLVMGetBasicBlockTerminator(blocks[b]);
		unsigned	nsucc = term ? LLVMGetNumSuccessors(term) : 0;

		if (next[b] < nsucc)
		{
			unsigned	s = cc_bb_index(map, nb, LLVMGetSuccessor(term, next[b]));

			next[b]++;
			if (s >= nb)
				continue;
			if (state[s] == 1)
			{
				/* b -> s closes a cycle: poll at the end of b */
				if (!issrc[b])
				{
					issrc[b] = 1;
					srcs[ns++] = blocks[b];
				}
			}
			else if (state[s] == 0)
			{
				state[s] = 1;
				next[s] = 0;
				stk[sp++] = s;
			}
		}
		else
		{
			state[b] = 2;
			sp--;
		}
	}
	free(blocks);
	free(map);
	free(state);
	free(stk);
	free(next);
	free(issrc);
	*out = srcs;
	return ns;
}

void
cc_instr_polls(cc_sandbox *S)
{
	LLVMValueRef intr = cc_intr_global(S);
	LLVMValueRef stub = cc_poll_stub(S);
	LLVMValueRef fn;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		LLVMBasicBlockRef *srcs;
		LLVMValueRef p;
		int			ns,
					i;

		if (LLVMIsDeclaration(fn) || fn == stub)
			continue;
		ns = cc_backedge_sources(fn, &srcs);
		p = cc_load_intr_ptr(S, intr, fn);
		for (i = 0; i < ns; i++)
			cc_poll_before(S, p, stub, LLVMGetBasicBlockTerminator(srcs[i]));
		free(srcs);
		cc_poll_before(S, p, stub, LLVMGetNextInstruction(p));
	}
}
