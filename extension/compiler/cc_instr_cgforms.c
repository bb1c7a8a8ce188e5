/*-------------------------------------------------------------------------
 *
 * cc_instr_cgforms.c
 *		Step 6f: IR forms that code generation would turn into memory
 *		operands the verifier of the final object (extension/verify)
 *		refuses, rewritten into forms it does not.
 *
 *		1. Vector elements at a variable index, without the native
 *		stack.  x86 has no instruction that reads or writes a vector
 *		register's element at a variable index, so code generation spills
 *		the vector to a stack temporary and uses `d(%rsp,%reg,s)`, an
 *		indexed %rsp operand that the verifier of the final object
 *		(extension/verify) refuses, and a temporary as large as the vector
 *		(C's `v[i]` on a `vector_size` type).  Instead:
 *			insertelement v, x, i  ->  select(splat(i) == <0..N-1>, splat(x), v)
 *			extractelement v, i    ->  select(i == N-1, v[N-1], ... select(i == 1, v[1], v[0]))
 *		(element k compared with i; every element index is a constant).
 *		An index out of range gives v unchanged / element 0, where LLVM's
 *		result is poison: any value will do.
 *
 *		2. A select between two floating-point constants
 *		(`x ? 1.5 : 2.5`): code generation loads the result from a
 *		constant-pool pair indexed by the condition, `(%rcx,%rax,8)` with
 *		%rcx the pool's address: not %gs, %rsp or %rip-relative.  The
 *		select is made on the constants' bits as integers (a cmov), and
 *		the result bitcast back.
 *
 * Invariants kept:
 *	- After this step no insertelement or extractelement of a defined
 *	  function has a non-constant index (step 7 refuses the module
 *	  otherwise), and no select has two floating-point constant arms.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdlib.h>

/* <0, 1, ..., n-1> of the index's integer type. */
static LLVMValueRef
cc_step_vector(LLVMTypeRef ity, unsigned n)
{
	LLVMValueRef *e = malloc(sizeof(LLVMValueRef) * n);
	LLVMValueRef v;

	for (unsigned k = 0; k < n; k++)
		e[k] = LLVMConstInt(ity, k, 0);
	v = LLVMConstVector(e, n);
	free(e);
	return v;
}

/* splat(x) as a vector of n elements. */
static LLVMValueRef
cc_splat(LLVMBuilderRef B, LLVMValueRef x, unsigned n)
{
	LLVMTypeRef vty = LLVMVectorType(LLVMTypeOf(x), n);
	LLVMTypeRef i32 = LLVMInt32TypeInContext(LLVMGetTypeContext(vty));
	LLVMValueRef one = LLVMBuildInsertElement(B, LLVMGetPoison(vty), x,
											  LLVMConstInt(i32, 0, 0), "tmebox.splat");

	return LLVMBuildShuffleVector(B, one, LLVMGetPoison(vty),
								  LLVMConstNull(LLVMVectorType(i32, n)), "tmebox.splat");
}

static void
cc_vecidx_insert(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMValueRef v = LLVMGetOperand(inst, 0);
	LLVMValueRef x = LLVMGetOperand(inst, 1);
	LLVMValueRef i = LLVMGetOperand(inst, 2);
	unsigned	n = LLVMGetVectorSize(LLVMTypeOf(v));
	LLVMBuilderRef B = cc_builder_before(S, inst);
	LLVMValueRef mask,
				r;

	mask = LLVMBuildICmp(B, LLVMIntEQ, cc_splat(B, i, n),
						 cc_step_vector(LLVMTypeOf(i), n), "tmebox.vecidx");
	r = LLVMBuildSelect(B, mask, cc_splat(B, x, n), v, "tmebox.vecins");
	LLVMReplaceAllUsesWith(inst, r);
	LLVMInstructionEraseFromParent(inst);
	LLVMDisposeBuilder(B);
}

static void
cc_vecidx_extract(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMValueRef v = LLVMGetOperand(inst, 0);
	LLVMValueRef i = LLVMGetOperand(inst, 1);
	LLVMTypeRef ity = LLVMTypeOf(i);
	unsigned	n = LLVMGetVectorSize(LLVMTypeOf(v));
	LLVMBuilderRef B = cc_builder_before(S, inst);
	LLVMValueRef r = LLVMBuildExtractElement(B, v, LLVMConstInt(ity, 0, 0), "tmebox.vecext");

	for (unsigned k = 1; k < n; k++)
	{
		LLVMValueRef e = LLVMBuildExtractElement(B, v, LLVMConstInt(ity, k, 0), "tmebox.vecext");
		LLVMValueRef c = LLVMBuildICmp(B, LLVMIntEQ, i, LLVMConstInt(ity, k, 0), "tmebox.vecidx");

		r = LLVMBuildSelect(B, c, e, r, "tmebox.vecext");
	}
	LLVMReplaceAllUsesWith(inst, r);
	LLVMInstructionEraseFromParent(inst);
	LLVMDisposeBuilder(B);
}

/* select c, FPCONST1, FPCONST2 -> bitcast(select c, INT1, INT2) */
static void
cc_fp_select(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMTypeRef fty = LLVMTypeOf(inst);
	LLVMTypeRef ity = LLVMIntTypeInContext(S->ctx, (unsigned) LLVMSizeOfTypeInBits(S->td, fty));
	LLVMBuilderRef B = cc_builder_before(S, inst);
	LLVMValueRef t = LLVMConstBitCast(LLVMGetOperand(inst, 1), ity);
	LLVMValueRef f = LLVMConstBitCast(LLVMGetOperand(inst, 2), ity);
	LLVMValueRef r = LLVMBuildSelect(B, LLVMGetOperand(inst, 0), t, f, "tmebox.fpsel");

	r = LLVMBuildBitCast(B, r, fty, "tmebox.fpsel");
	LLVMReplaceAllUsesWith(inst, r);
	LLVMInstructionEraseFromParent(inst);
	LLVMDisposeBuilder(B);
}

static int
cc_is_fp_scalar(LLVMTypeRef t)
{
	switch (LLVMGetTypeKind(t))
	{
		case LLVMHalfTypeKind:
		case LLVMBFloatTypeKind:
		case LLVMFloatTypeKind:
		case LLVMDoubleTypeKind:
			return 1;
		default:
			return 0;
	}
}

/* The floating-point selects of block bb (form 2). */
static void
cc_fp_selects(cc_sandbox *S, LLVMBasicBlockRef bb)
{
	cc_inst_iter it;

	cc_foreach_instruction_in_block(it, bb)
	{
		LLVMValueRef inst = it.inst;

		if (LLVMIsASelectInst(inst) && cc_is_fp_scalar(LLVMTypeOf(inst)) &&
			LLVMIsAConstantFP(LLVMGetOperand(inst, 1)) &&
			LLVMIsAConstantFP(LLVMGetOperand(inst, 2)))
			cc_fp_select(S, inst);
	}
}

void
cc_instr_codegen_forms(cc_sandbox *S)
{
	cc_inst_iter it;

	/* each rewrite replaces and erases the instruction the walk is on */
	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;

		if (LLVMIsAInsertElementInst(inst) && !LLVMIsAConstant(LLVMGetOperand(inst, 2)))
			cc_vecidx_insert(S, inst);
		else if (LLVMIsAExtractElementInst(inst) && !LLVMIsAConstant(LLVMGetOperand(inst, 1)))
			cc_vecidx_extract(S, inst);
		/*
		 * At the end of a block, its selects: after its vectors, because
		 * an element of a constant vector is a constant (a select the
		 * vector rewrite made can have two constant arms).
		 */
		else if (LLVMIsATerminatorInst(inst))
			cc_fp_selects(S, it.bb);
	}
}
