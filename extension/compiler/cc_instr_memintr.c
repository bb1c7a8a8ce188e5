/*-------------------------------------------------------------------------
 *
 * cc_instr_memintr.c
 *		Step 3b: memory intrinsics.  llvm.memcpy / memmove / memset (and the
 *		.inline variants) cannot stay: on addrspace(256) LLVM cannot lower
 *		them for variable or large sizes, and a library call would run on
 *		host addresses.  Constant sizes up to CC_MEMINTR_INLINE_MAX bytes
 *		become plain loads and stores (instrumented in step 5); anything else
 *		becomes a call of host memmove / memset (through the host table in
 *		step 6; the host bounds-checks offset + n).  llvm.prefetch is dropped.
 *		llvm.load.relative (made by the O2 relative-lookup-table converter
 *		from constant pointer tables) becomes its definition,
 *		p + sext(load i32 (p + off)), so that its load is instrumented too.
 *
 * Invariants kept:
 *	- After this step no llvm.memcpy/memmove/memset/prefetch/load.relative
 *	  call remains.
 *	- The inline expansion loads every chunk before storing any, so it is
 *	  also correct for overlapping memmove.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdlib.h>

#define CC_MEMINTR_INLINE_MAX 64

/* Width in bytes of the chunk at offset `off` of an `n`-byte copy. */
static unsigned
cc_chunk(uint64_t n, uint64_t off)
{
	uint64_t	left = n - off;

	if (left >= 8)
		return 8;
	if (left >= 4)
		return 4;
	if (left >= 2)
		return 2;
	return 1;
}

static LLVMValueRef
cc_at(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef base, uint64_t off)
{
	LLVMValueRef idx = LLVMConstInt(S->i64, off, 0);

	return off ? LLVMBuildGEP2(B, S->i8, base, &idx, 1, "") : base;
}

static void
cc_expand_copy(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef dst, LLVMValueRef src,
			   uint64_t n, int vol)
{
	LLVMValueRef vals[CC_MEMINTR_INLINE_MAX];
	uint64_t	off;
	int			k = 0;

	for (off = 0; off < n; off += cc_chunk(n, off))
	{
		LLVMTypeRef t = LLVMIntTypeInContext(S->ctx, 8 * cc_chunk(n, off));

		vals[k] = LLVMBuildLoad2(B, t, cc_at(S, B, src, off), "");
		LLVMSetAlignment(vals[k], 1);
		LLVMSetVolatile(vals[k], vol);
		k++;
	}
	k = 0;
	for (off = 0; off < n; off += cc_chunk(n, off))
	{
		LLVMValueRef st = LLVMBuildStore(B, vals[k++], cc_at(S, B, dst, off));

		LLVMSetAlignment(st, 1);
		LLVMSetVolatile(st, vol);
	}
}

static void
cc_expand_set(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef dst, LLVMValueRef c,
			  uint64_t n, int vol)
{
	LLVMValueRef c64 = LLVMBuildMul(B, LLVMBuildZExt(B, c, S->i64, ""),
									LLVMConstInt(S->i64, UINT64_C(0x0101010101010101), 0), "");
	uint64_t	off;

	for (off = 0; off < n; off += cc_chunk(n, off))
	{
		LLVMTypeRef t = LLVMIntTypeInContext(S->ctx, 8 * cc_chunk(n, off));
		LLVMValueRef v = cc_chunk(n, off) == 8 ? c64 : LLVMBuildTrunc(B, c64, t, "");
		LLVMValueRef st = LLVMBuildStore(B, v, cc_at(S, B, dst, off));

		LLVMSetAlignment(st, 1);
		LLVMSetVolatile(st, vol);
	}
}

static void
cc_memintr_one(cc_sandbox *S, LLVMValueRef call, const char *name)
{
	LLVMBuilderRef B = cc_builder_before(S, call);
	int			is_set = cc_intrinsic_is(name, "memset") || cc_intrinsic_is(name, "memset.inline");
	LLVMValueRef dst = LLVMGetOperand(call, 0);
	LLVMValueRef val = LLVMGetOperand(call, 1);
	LLVMValueRef len = LLVMGetOperand(call, 2);
	LLVMValueRef volv = LLVMGetOperand(call, 3);
	int			vol = LLVMIsAConstantInt(volv) && LLVMConstIntGetZExtValue(volv) != 0;

	if (LLVMIsAConstantInt(len) && LLVMConstIntGetZExtValue(len) <= CC_MEMINTR_INLINE_MAX)
	{
		uint64_t	n = LLVMConstIntGetZExtValue(len);

		if (is_set)
			cc_expand_set(S, B, dst, val, n, vol);
		else
			cc_expand_copy(S, B, dst, val, n, vol);
	}
	else
	{
		LLVMValueRef n64 = LLVMBuildZExtOrBitCast(B, len, S->i64, "");

		if (is_set)
		{
			LLVMTypeRef params[3] = {S->ptr, S->i32, S->i64};
			LLVMValueRef args[3] = {dst, LLVMBuildZExt(B, val, S->i32, ""), n64};

			cc_build_host_call(S, B, "memset", S->void_t, params, args, 3);
		}
		else
		{
			LLVMTypeRef params[3] = {S->ptr, S->ptr, S->i64};
			LLVMValueRef args[3] = {dst, val, n64};

			cc_build_host_call(S, B, "memmove", S->void_t, params, args, 3);
		}
	}
	LLVMDisposeBuilder(B);
	LLVMInstructionEraseFromParent(call);
}

/* llvm.load.relative(p, off) = p + sext(*(i32 *)(p + off)) */
static void
cc_load_relative(cc_sandbox *S, LLVMValueRef call)
{
	LLVMBuilderRef B = cc_builder_before(S, call);
	LLVMValueRef p = LLVMGetOperand(call, 0);
	LLVMValueRef off = LLVMGetOperand(call, 1);
	LLVMValueRef rel,
				r;

	rel = LLVMBuildLoad2(B, S->i32, LLVMBuildGEP2(B, S->i8, p, &off, 1, ""), "");
	LLVMSetAlignment(rel, 4);
	rel = LLVMBuildSExt(B, rel, S->i64, "");
	r = LLVMBuildGEP2(B, S->i8, p, &rel, 1, "");
	LLVMReplaceAllUsesWith(call, r);
	LLVMDisposeBuilder(B);
	LLVMInstructionEraseFromParent(call);
}

void
cc_instr_memintr(cc_sandbox *S)
{
	cc_inst_iter it;

	/* each rewrite erases the call the walk is on */
	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;
		LLVMValueRef callee;
		const char *n;

		if (!cc_is_call(inst) || (callee = cc_called_function(inst)) == NULL)
			continue;
		n = cc_name(callee);
		if (cc_intrinsic_is(n, "memcpy") || cc_intrinsic_is(n, "memcpy.inline") ||
			cc_intrinsic_is(n, "memmove") || cc_intrinsic_is(n, "memset") ||
			cc_intrinsic_is(n, "memset.inline"))
			cc_memintr_one(S, inst, n);
		else if (cc_intrinsic_is(n, "load.relative"))
			cc_load_relative(S, inst);
		else if (cc_intrinsic_is(n, "prefetch"))
			LLVMInstructionEraseFromParent(inst);
	}
}
