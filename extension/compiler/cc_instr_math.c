/*-------------------------------------------------------------------------
 *
 * cc_instr_math.c
 *		Step 3c: floating-point operations that code generation would lower
 *		to libm calls (sin, cos, exp, exp2, log, log2, log10, pow, powi,
 *		round, lround, llround, fma, frem).  The module is linked with
 *		--no-undefined and may not call the host's libm directly, so each
 *		becomes a host math call (__tmebox_host_NAME, through the host table
 *		in step 6).  Vectors are scalarised lane by lane.
 *
 * Invariants kept:
 *	- After this step none of these intrinsics and no frem remain.
 *	- Float versions use the ABI's float host call where one exists
 *	  (sinf, cosf, expf, logf, powf, fmodf, roundf), else the double one
 *	  with exact widening and one final rounding.
 *	- llvm.fma has no host call in ABI version 1: f32 is computed exactly
 *	  in double (product of two floats is exact) and rounded once; f64
 *	  falls back to fmul + fadd (not fused; see the report).
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <string.h>

typedef struct cc_mathmap
{
	const char *intrinsic;		/* base name after "llvm." */
	const char *host_d;			/* double host call */
	const char *host_f;			/* float host call or NULL */
	int			nargs;
} cc_mathmap;

static const cc_mathmap cc_math[] = {
	{"sin", "sin", "sinf", 1},
	{"cos", "cos", "cosf", 1},
	{"exp", "exp", "expf", 1},
	{"exp2", "exp2", NULL, 1},
	{"log", "log_", "logf", 1},
	{"log2", "log2", NULL, 1},
	{"log10", "log10", NULL, 1},
	{"pow", "pow", "powf", 2},
	{"round", "round", "roundf", 1},
	{"frem", "fmod", "fmodf", 2},	/* the frem instruction */
	{NULL, NULL, NULL, 0}
};

/* Scalar computation of one lane. */
static LLVMValueRef
cc_math_scalar(cc_sandbox *S, LLVMBuilderRef B, const cc_mathmap *m, const char *base,
			   LLVMValueRef *args, LLVMTypeRef ty)
{
	int			is_f = LLVMGetTypeKind(ty) == LLVMFloatTypeKind;
	LLVMTypeRef params[2];
	LLVMValueRef a[2],
				r;
	int			i;

	if (strcmp(base, "fma") == 0)
	{
		if (is_f)
		{
			LLVMValueRef x = LLVMBuildFPExt(B, args[0], S->f64, "");
			LLVMValueRef y = LLVMBuildFPExt(B, args[1], S->f64, "");
			LLVMValueRef z = LLVMBuildFPExt(B, args[2], S->f64, "");

			return LLVMBuildFPTrunc(B, LLVMBuildFAdd(B, LLVMBuildFMul(B, x, y, ""), z, ""), ty, "");
		}
		return LLVMBuildFAdd(B, LLVMBuildFMul(B, args[0], args[1], ""), args[2], "");
	}
	if (is_f && m->host_f)
	{
		for (i = 0; i < m->nargs; i++)
			params[i] = S->f32;
		return cc_build_host_call(S, B, m->host_f, S->f32, params, args, m->nargs);
	}
	for (i = 0; i < m->nargs; i++)
	{
		params[i] = S->f64;
		a[i] = is_f ? LLVMBuildFPExt(B, args[i], S->f64, "") : args[i];
	}
	r = cc_build_host_call(S, B, m->host_d, S->f64, params, a, m->nargs);
	return is_f ? LLVMBuildFPTrunc(B, r, S->f32, "") : r;
}

/* Replace `inst` (an intrinsic call or frem) computing `base`. */
static void
cc_math_one(cc_sandbox *S, LLVMValueRef inst, const char *base)
{
	LLVMBuilderRef B = cc_builder_before(S, inst);
	LLVMTypeRef rty = LLVMTypeOf(inst);
	int			is_vec = LLVMGetTypeKind(rty) == LLVMVectorTypeKind;
	unsigned	lanes = is_vec ? LLVMGetVectorSize(rty) : 1;
	LLVMValueRef result = is_vec ? LLVMGetUndef(rty) : NULL;
	const cc_mathmap *m = NULL;
	const char *lookup = base;
	int			nargs,
				i;
	unsigned	lane;

	/* powi -> pow; lround / llround -> round then convert */
	if (strcmp(base, "powi") == 0)
		lookup = "pow";
	else if (strcmp(base, "lround") == 0 || strcmp(base, "llround") == 0)
		lookup = "round";
	for (i = 0; cc_math[i].intrinsic; i++)
		if (strcmp(cc_math[i].intrinsic, lookup) == 0)
			m = &cc_math[i];
	nargs = strcmp(base, "fma") == 0 ? 3 : (m ? m->nargs : 1);

	for (lane = 0; lane < lanes; lane++)
	{
		LLVMValueRef args[3],
					r;
		LLVMTypeRef fty;
		LLVMValueRef lidx = LLVMConstInt(S->i32, lane, 0);

		for (i = 0; i < nargs; i++)
		{
			LLVMValueRef op = LLVMGetOperand(inst, i);

			args[i] = is_vec && LLVMGetTypeKind(LLVMTypeOf(op)) == LLVMVectorTypeKind
				? LLVMBuildExtractElement(B, op, lidx, "") : op;
		}
		fty = LLVMTypeOf(args[0]);
		if (strcmp(base, "powi") == 0)
			args[1] = LLVMBuildSIToFP(B, args[1], fty, "");
		r = cc_math_scalar(S, B, m, base, args, fty);
		if (strcmp(base, "lround") == 0 || strcmp(base, "llround") == 0)
			r = LLVMBuildFPToSI(B, r, is_vec ? LLVMGetElementType(rty) : rty, "");
		result = is_vec ? LLVMBuildInsertElement(B, result, r, lidx, "") : r;
	}
	LLVMReplaceAllUsesWith(inst, result);
	LLVMInstructionEraseFromParent(inst);
	LLVMDisposeBuilder(B);
}

static const char *const cc_math_intrinsics[] = {
	"sin", "cos", "exp", "exp2", "log", "log2", "log10", "pow", "powi",
	"round", "lround", "llround", "fma", NULL
};

void
cc_instr_math(cc_sandbox *S)
{
	cc_inst_iter it;

	/* cc_math_one replaces and erases the instruction the walk is on */
	cc_foreach_instruction(it, S->mod)
	{
		LLVMValueRef inst = it.inst;
		LLVMValueRef callee;
		int			i;

		if (LLVMGetInstructionOpcode(inst) == LLVMFRem)
		{
			cc_math_one(S, inst, "frem");
			continue;
		}
		if (!cc_is_call(inst) || (callee = cc_called_function(inst)) == NULL)
			continue;
		for (i = 0; cc_math_intrinsics[i]; i++)
			if (cc_intrinsic_is(cc_name(callee), cc_math_intrinsics[i]))
			{
				cc_math_one(S, inst, cc_math_intrinsics[i]);
				break;
			}
	}
}
