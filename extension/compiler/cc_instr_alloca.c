/*-------------------------------------------------------------------------
 *
 * cc_instr_alloca.c
 *		Step 3d: every alloca moves to the data stack inside the view.
 *		x86 allocas live on the native stack, which sandboxed code must not
 *		address; the data stack is [DSTACK_LIMIT, DSTACK_TOP) of the view
 *		and its pointer is the i64 global __tmebox_dsp (laid out into the
 *		image by step 4; its offset is layout.dsp_slot).
 *
 *		Prologue of a function with a static frame of F bytes (F rounded to
 *		16, or to the largest alignment):
 *			old = dsp;  d = old - DSTACK_LIMIT;
 *			if (d > DSTACK_SIZE || d < F) trap(DSTACK_OVERFLOW);
 *			new = (old - F) & -ALIGN;  dsp = new;
 *		each static alloca becomes new + its offset, and `dsp = old` runs
 *		before every `ret`.  A dynamic alloca (VLA, alloca(), an alloca
 *		outside the entry block) does the same with its run-time size, with
 *		the element count bounded first so the size cannot wrap.
 *		llvm.stacksave / llvm.stackrestore become a load / store of dsp.
 *
 * Invariants kept:
 *	- After this step no alloca, stacksave, stackrestore or lifetime
 *	  marker remains in the module.
 *	- The data-stack pointer a function leaves in dsp on return is the one
 *	  it found; no frame extends below DSTACK_LIMIT (the unsigned compare on
 *	  d also catches a dsp the sandbox corrupted to below the limit or above
 *	  the top).  Since DSTACK_LIMIT is 64 KiB aligned, rounding new down to
 *	  ALIGN <= 64 KiB keeps it >= DSTACK_LIMIT.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdlib.h>

#define CC_MAX_ALIGN	65536

static LLVMValueRef
cc_dsp_global(cc_sandbox *S)
{
	LLVMValueRef g = LLVMGetNamedGlobal(S->mod, CC_DSP_NAME);

	if (g == NULL)
	{
		g = LLVMAddGlobal(S->mod, S->i64, CC_DSP_NAME);
		LLVMSetInitializer(g, LLVMConstInt(S->i64, TMEBOX_DSTACK_TOP, 0));
		LLVMSetLinkage(g, LLVMInternalLinkage);
		LLVMSetAlignment(g, 8);
	}
	return g;
}

static LLVMValueRef
cc_load_dsp(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef dsp)
{
	LLVMValueRef v = LLVMBuildLoad2(B, S->i64, dsp, "tmebox.dsp");

	LLVMSetAlignment(v, 8);
	return v;
}

static void
cc_store_dsp(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef dsp, LLVMValueRef v)
{
	LLVMValueRef st = LLVMBuildStore(B, v, dsp);

	(void) S;
	LLVMSetAlignment(st, 8);
}

/*
 * cond = (old - LIMIT > SIZE) || (old - LIMIT < bytes) [|| extra];
 * newraw = old - bytes, guarded; returns new = newraw & -align, stored.
 */
static LLVMValueRef
cc_dstack_alloc(cc_sandbox *S, LLVMValueRef before, LLVMValueRef dsp, LLVMValueRef old,
				LLVMValueRef bytes, LLVMValueRef extra, uint64_t align)
{
	LLVMBuilderRef B = cc_builder_before(S, before);
	LLVMValueRef d,
				c,
				newraw,
				nv;

	d = LLVMBuildSub(B, old, LLVMConstInt(S->i64, TMEBOX_DSTACK_LIMIT, 0), "");
	c = LLVMBuildOr(B,
					LLVMBuildICmp(B, LLVMIntUGT, d, LLVMConstInt(S->i64, TMEBOX_DSTACK_SIZE, 0), ""),
					LLVMBuildICmp(B, LLVMIntULT, d, bytes, ""), "");
	if (extra)
		c = LLVMBuildOr(B, c, extra, "");
	newraw = LLVMBuildSub(B, old, bytes, "");
	if (!LLVMIsAInstruction(newraw))
	{
		/* cannot happen: old is a load */
		cc_internal_error(S, before, "data-stack pointer folded to a constant");
		LLVMDisposeBuilder(B);
		return newraw;
	}
	cc_guard(S, newraw, c, TMEBOX_TRAP_DSTACK_OVERFLOW);
	LLVMPositionBuilderBefore(B, before);
	nv = LLVMBuildAnd(B, newraw, LLVMConstInt(S->i64, ~(align - 1), 0), "tmebox.frame");
	cc_store_dsp(S, B, dsp, nv);
	LLVMDisposeBuilder(B);
	return nv;
}

static void
cc_alloca_function(cc_sandbox *S, LLVMValueRef fn, LLVMValueRef dsp)
{
	LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(fn);
	cc_inst_iter it;
	LLVMValueRef first,
				old;
	LLVMValueRef *stat = NULL,
			   *dyn = NULL,
			   *saves = NULL,
			   *rets = NULL,
			   *addrs = NULL;
	int			nstat = 0,
				ndyn = 0,
				nsaves = 0,
				nrets = 0,
				cap = 0,
				i;
	uint64_t   *offs;
	uint64_t	frame = 0,
				maxalign = 16;
	LLVMBuilderRef B;

	/*
	 * count, then collect (arrays sized by the instruction count); the
	 * rewrite comes after the walk: it splits blocks (cc_guard)
	 */
	cc_foreach_instruction_in_function(it, fn)
		cap++;
	stat = malloc(sizeof(LLVMValueRef) * cap);
	dyn = malloc(sizeof(LLVMValueRef) * cap);
	saves = malloc(sizeof(LLVMValueRef) * cap);
	rets = malloc(sizeof(LLVMValueRef) * cap);
	offs = malloc(sizeof(uint64_t) * cap);
	addrs = malloc(sizeof(LLVMValueRef) * cap);
	cc_foreach_instruction_in_function(it, fn)
	{
		LLVMValueRef inst = it.inst;
		LLVMValueRef callee;

		if (LLVMIsAAllocaInst(inst))
		{
			if (it.bb == entry && LLVMIsAConstantInt(LLVMGetOperand(inst, 0)))
				stat[nstat++] = inst;
			else
				dyn[ndyn++] = inst;
		}
		else if (LLVMIsAReturnInst(inst))
			rets[nrets++] = inst;
		else if (cc_is_call(inst) && (callee = cc_called_function(inst)) != NULL)
		{
			const char *n = cc_name(callee);

			if (cc_intrinsic_is(n, "lifetime.start") || cc_intrinsic_is(n, "lifetime.end"))
				LLVMInstructionEraseFromParent(inst);
			else if (cc_intrinsic_is(n, "stacksave") || cc_intrinsic_is(n, "stackrestore"))
				saves[nsaves++] = inst;
		}
	}
	if (nstat + ndyn + nsaves == 0)
		goto done;

	/* static frame layout */
	for (i = 0; i < nstat; i++)
	{
		LLVMTypeRef t = LLVMGetAllocatedType(stat[i]);
		uint64_t	cnt = LLVMConstIntGetZExtValue(LLVMGetOperand(stat[i], 0));
		uint64_t	sz = LLVMABISizeOfType(S->td, t) * cnt;
		uint64_t	al = LLVMGetAlignment(stat[i]);

		if (al < LLVMABIAlignmentOfType(S->td, t))
			al = LLVMABIAlignmentOfType(S->td, t);
		if (al > CC_MAX_ALIGN)
		{
			cc_error(S, stat[i], "local variable alignment above %d bytes is not supported", CC_MAX_ALIGN);
			goto done;
		}
		if (al > maxalign)
			maxalign = al;
		frame = (frame + al - 1) & ~(al - 1);
		offs[i] = frame;
		frame += sz;
		if (frame > TMEBOX_DSTACK_SIZE)
		{
			cc_error(S, stat[i], "local variables of this function exceed the %u-byte data stack",
					 (unsigned) TMEBOX_DSTACK_SIZE);
			goto done;
		}
	}
	frame = (frame + maxalign - 1) & ~(maxalign - 1);

	/* prologue */
	first = LLVMGetFirstInstruction(entry);
	B = cc_builder_before(S, first);
	old = cc_load_dsp(S, B, dsp);
	LLVMDisposeBuilder(B);
	if (nstat > 0)
	{
		LLVMValueRef nv = cc_dstack_alloc(S, first, dsp, old, LLVMConstInt(S->i64, frame, 0),
										  NULL, maxalign);
		LLVMValueRef base;

		B = cc_builder_before(S, first);
		base = LLVMBuildIntToPtr(B, nv, S->ptr, "tmebox.fp");
		/* build every address first: `first` may be one of the allocas */
		for (i = 0; i < nstat; i++)
		{
			LLVMValueRef off = LLVMConstInt(S->i64, offs[i], 0);

			addrs[i] = offs[i] ? LLVMBuildGEP2(B, S->i8, base, &off, 1, "") : base;
		}
		LLVMDisposeBuilder(B);
		for (i = 0; i < nstat; i++)
		{
			LLVMReplaceAllUsesWith(stat[i], addrs[i]);
			LLVMInstructionEraseFromParent(stat[i]);
		}
	}

	/* dynamic allocas */
	for (i = 0; i < ndyn; i++)
	{
		LLVMValueRef a = dyn[i];
		LLVMTypeRef t = LLVMGetAllocatedType(a);
		uint64_t	al = LLVMGetAlignment(a);
		LLVMValueRef cnt,
					bytes,
					toobig,
					cur,
					nv;

		if (al < 16)
			al = 16;
		if (al > CC_MAX_ALIGN)
		{
			cc_error(S, a, "local variable alignment above %d bytes is not supported", CC_MAX_ALIGN);
			goto done;
		}
		B = cc_builder_before(S, a);
		cur = cc_load_dsp(S, B, dsp);
		cnt = LLVMBuildZExtOrBitCast(B, LLVMGetOperand(a, 0), S->i64, "");
		toobig = LLVMBuildICmp(B, LLVMIntUGT, cnt, LLVMConstInt(S->i64, TMEBOX_DSTACK_SIZE, 0), "");
		bytes = LLVMBuildMul(B, cnt, LLVMConstInt(S->i64, LLVMABISizeOfType(S->td, t), 0), "");
		LLVMDisposeBuilder(B);
		nv = cc_dstack_alloc(S, a, dsp, cur, bytes, toobig, al);
		B = cc_builder_before(S, a);
		LLVMReplaceAllUsesWith(a, LLVMBuildIntToPtr(B, nv, S->ptr, "tmebox.vla"));
		LLVMDisposeBuilder(B);
		LLVMInstructionEraseFromParent(a);
	}

	/* stacksave / stackrestore */
	for (i = 0; i < nsaves; i++)
	{
		LLVMValueRef c = saves[i];

		B = cc_builder_before(S, c);
		if (cc_intrinsic_is(cc_name(cc_called_function(c)), "stacksave"))
			LLVMReplaceAllUsesWith(c, LLVMBuildIntToPtr(B, cc_load_dsp(S, B, dsp), S->ptr, ""));
		else
			cc_store_dsp(S, B, dsp, LLVMBuildPtrToInt(B, LLVMGetOperand(c, 0), S->i64, ""));
		LLVMDisposeBuilder(B);
		LLVMInstructionEraseFromParent(c);
	}

	/* epilogues; no call may be emitted as a tail call past them */
	for (i = 0; i < nrets; i++)
	{
		B = cc_builder_before(S, rets[i]);
		cc_store_dsp(S, B, dsp, old);
		LLVMDisposeBuilder(B);
	}
	cc_foreach_instruction_in_function(it, fn)
		if (cc_is_call(it.inst) && LLVMGetTailCallKind(it.inst) != LLVMTailCallKindMustTail)
			LLVMSetTailCallKind(it.inst, LLVMTailCallKindNone);

done:
	free(stat);
	free(dyn);
	free(saves);
	free(rets);
	free(offs);
	free(addrs);
}

void
cc_instr_alloca(cc_sandbox *S)
{
	LLVMValueRef dsp = cc_dsp_global(S);
	LLVMValueRef fn;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
		if (!LLVMIsDeclaration(fn))
			cc_alloca_function(S, fn, dsp);
}
