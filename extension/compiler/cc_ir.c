/*-------------------------------------------------------------------------
 *
 * cc_ir.c
 *		The helpers the steps of the sandboxing pipeline share (cc_ir.h):
 *		error reporting, the walk over instructions, names and calls, the
 *		intrinsic allow-lists, host calls and the trap, builders, block
 *		splitting and guards, %gs pointers, cc_opaque, ABI names.
 *
 * Invariants kept:
 *	- No helper depends on which step calls it or on the order of the
 *	  steps, and none calls a step.
 *	- The walk visits functions in module order, blocks in layout order
 *	  and instructions in block order, and fetches the next instruction
 *	  before the caller's loop body runs (cc_ir.h has the rules).
 *	- The two intrinsic allow-lists are the only ones: step 1 refuses what
 *	  is not on the input list, step 7 what is not on the final list.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Report one error located at `at` (instruction or function; may be NULL). */
static void
cc_report_v(cc_sandbox *S, LLVMValueRef at, const char *prefix, const char *fmt, va_list ap)
{
	char		msg[1024];
	char		file[512];
	const char *fname = NULL;
	unsigned	line = 0;
	size_t		n;

	n = snprintf(msg, sizeof(msg), "%s", prefix);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	/* an instruction without a location (clang's shared indirectbr block)
	 * is reported at its function */
	if (at != NULL && LLVMIsAInstruction(at) && LLVMInstructionGetDebugLoc(at) == NULL)
		at = LLVMGetBasicBlockParent(LLVMGetInstructionParent(at));
	if (at != NULL && (LLVMIsAInstruction(at) || LLVMIsAFunction(at)))
	{
		unsigned	len = 0;
		const char *f;

		f = LLVMGetDebugLocFilename(at, &len);
		if (f != NULL && len > 0)
		{
			if (len >= sizeof(file))
				len = sizeof(file) - 1;
			memcpy(file, f, len);
			file[len] = '\0';
			fname = file;
			line = LLVMGetDebugLocLine(at);
		}
	}
	S->nerrors++;
	if (S->report)
		S->report(S->report_arg, fname, line, msg);
}

void
cc_error(cc_sandbox *S, LLVMValueRef at, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	cc_report_v(S, at, "", fmt, ap);
	va_end(ap);
}

/* An invariant of the instrumentation does not hold: a bug, never the user's. */
void
cc_internal_error(cc_sandbox *S, LLVMValueRef at, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	cc_report_v(S, at, "internal error: sandbox verification failed: ", fmt, ap);
	va_end(ap);
}

/* Name of a value, "" when unnamed.  Valid until the value is renamed. */
const char *
cc_name(LLVMValueRef v)
{
	size_t		len;
	const char *s = LLVMGetValueName2(v, &len);

	return s ? s : "";
}

int
cc_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Index of host call `name` (without prefix) in TMEBOX_HOSTCALLS, or -1. */
int
cc_host_index(const char *name)
{
#define CC_HOST_ENTRY(idx, nm, ret, params) if (strcmp(name, #nm) == 0) return idx;
	TMEBOX_HOSTCALLS(CC_HOST_ENTRY)
#undef CC_HOST_ENTRY
		return -1;
}

/* The declaration of __tmebox_host_<name>, added with `fnty` if missing. */
LLVMValueRef
cc_host_decl(cc_sandbox *S, const char *name, LLVMTypeRef fnty)
{
	char		full[128];
	LLVMValueRef fn;

	snprintf(full, sizeof(full), CC_HOST_PREFIX "%s", name);
	fn = LLVMGetNamedFunction(S->mod, full);
	if (fn == NULL)
	{
		fn = LLVMAddFunction(S->mod, full, fnty);
		LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
								LLVMCreateEnumAttribute(S->ctx,
														LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
	}
	return fn;
}

/* Build a call of host function `name` at B's position. */
LLVMValueRef
cc_build_host_call(cc_sandbox *S, LLVMBuilderRef B, const char *name, LLVMTypeRef ret,
				   LLVMTypeRef *params, LLVMValueRef *args, unsigned n)
{
	LLVMTypeRef fnty = LLVMFunctionType(ret, params, n, 0);
	LLVMValueRef fn = cc_host_decl(S, name, fnty);

	return LLVMBuildCall2(B, fnty, fn, args, n, "");
}

int
cc_is_call(LLVMValueRef inst)
{
	return LLVMIsACallInst(inst) != NULL;
}

/* The Function a call calls directly, or NULL (indirect call, asm). */
LLVMValueRef
cc_called_function(LLVMValueRef call)
{
	LLVMValueRef callee = LLVMGetCalledValue(call);

	return LLVMIsAFunction(callee) ? callee : NULL;
}

/* A builder positioned before `inst`, carrying its debug location. */
LLVMBuilderRef
cc_builder_before(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMBuilderRef B = LLVMCreateBuilderInContext(S->ctx);

	LLVMPositionBuilderBefore(B, inst);
	LLVMSetCurrentDebugLocation2(B, LLVMInstructionGetDebugLoc(inst));
	return B;
}

/*
 * Move `inst` and everything after it in its block into a new block placed
 * after it and return that block.  The old block is left without a
 * terminator (the caller adds one).  PHIs of the successors that named the
 * old block as predecessor are rebuilt to name the new one.
 */
LLVMBasicBlockRef
cc_split_before(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMBasicBlockRef old = LLVMGetInstructionParent(inst);
	LLVMValueRef fn = LLVMGetBasicBlockParent(old);
	LLVMBasicBlockRef tail = LLVMAppendBasicBlockInContext(S->ctx, fn, "");
	LLVMBuilderRef B = LLVMCreateBuilderInContext(S->ctx);
	LLVMValueRef i,
				next,
				term;
	unsigned	nsucc,
				k,
				j;

	LLVMMoveBasicBlockAfter(tail, old);
	LLVMPositionBuilderAtEnd(B, tail);
	for (i = inst; i != NULL; i = next)
	{
		next = LLVMGetNextInstruction(i);
		LLVMInstructionRemoveFromParent(i);
		LLVMInsertIntoBuilderWithName(B, i, cc_name(i));
	}
	term = LLVMGetBasicBlockTerminator(tail);
	nsucc = term ? LLVMGetNumSuccessors(term) : 0;
	for (k = 0; k < nsucc; k++)
	{
		LLVMBasicBlockRef succ = LLVMGetSuccessor(term, k);
		LLVMValueRef phi,
					pnext;
		int			seen = 0;

		for (j = 0; j < k; j++)
			if (LLVMGetSuccessor(term, j) == succ)
				seen = 1;
		if (seen)
			continue;
		for (phi = LLVMGetFirstInstruction(succ); phi && LLVMIsAPHINode(phi); phi = pnext)
		{
			unsigned	nin = LLVMCountIncoming(phi),
						m;
			LLVMValueRef nphi;

			pnext = LLVMGetNextInstruction(phi);
			LLVMPositionBuilderBefore(B, phi);
			nphi = LLVMBuildPhi(B, LLVMTypeOf(phi), "");
			for (m = 0; m < nin; m++)
			{
				LLVMValueRef v = LLVMGetIncomingValue(phi, m);
				LLVMBasicBlockRef bb = LLVMGetIncomingBlock(phi, m);

				if (bb == old)
					bb = tail;
				LLVMAddIncoming(nphi, &v, &bb, 1);
			}
			LLVMReplaceAllUsesWith(phi, nphi);
			LLVMInstructionEraseFromParent(phi);
		}
	}
	LLVMDisposeBuilder(B);
	return tail;
}

void
cc_set_branch_weights(cc_sandbox *S, LLVMValueRef br, unsigned wtrue, unsigned wfalse)
{
	LLVMMetadataRef ops[3];
	unsigned	kind = LLVMGetMDKindIDInContext(S->ctx, "prof", 4);

	ops[0] = LLVMMDStringInContext2(S->ctx, "branch_weights", 14);
	ops[1] = LLVMValueAsMetadata(LLVMConstInt(S->i32, wtrue, 0));
	ops[2] = LLVMValueAsMetadata(LLVMConstInt(S->i32, wfalse, 0));
	LLVMSetMetadata(br, kind, LLVMMetadataAsValue(S->ctx, LLVMMDNodeInContext2(S->ctx, ops, 3)));
}

/*
 * Insert `if (cond) trap(trap_code)` before `before` (cond is an i1 computed
 * before it, in the same block).  Returns the block that now holds `before`.
 */
LLVMBasicBlockRef
cc_guard(cc_sandbox *S, LLVMValueRef before, LLVMValueRef cond, int trap_code)
{
	LLVMBasicBlockRef head = LLVMGetInstructionParent(before);
	LLVMValueRef fn = LLVMGetBasicBlockParent(head);
	LLVMMetadataRef loc = LLVMInstructionGetDebugLoc(before);
	LLVMBasicBlockRef tail = cc_split_before(S, before);
	LLVMBasicBlockRef trapbb = LLVMAppendBasicBlockInContext(S->ctx, fn, "tmebox.trap");
	LLVMBuilderRef B = LLVMCreateBuilderInContext(S->ctx);
	LLVMValueRef code = LLVMConstInt(S->i32, trap_code, 0);
	LLVMTypeRef pt = S->i32;
	LLVMValueRef br;

	LLVMSetCurrentDebugLocation2(B, loc);
	LLVMPositionBuilderAtEnd(B, head);
	br = LLVMBuildCondBr(B, cond, trapbb, tail);
	cc_set_branch_weights(S, br, 1, 1048575);
	LLVMPositionBuilderAtEnd(B, trapbb);
	cc_build_host_call(S, B, "trap", S->void_t, &pt, &code, 1);
	LLVMBuildUnreachable(B);
	LLVMDisposeBuilder(B);
	return tail;
}

/*
 * The %gs-relative pointer for sandbox pointer p:
 * inttoptr(ptrtoint(p to i64) to ptr addrspace(256)).  The truncation to
 * 32 bits is not in the IR: cc_mcode_emit gives every %gs operand 32-bit
 * address size, so the CPU computes (uint32_t) p whatever 64-bit
 * arithmetic LLVM folds into the operand (cc_mcode.h).
 * Constants fold to a constant: (int32_t) C, which always fits a
 * displacement (no 64-bit absolute form) and is C modulo 2^32.
 */
LLVMValueRef
cc_gs_pointer(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef p)
{
	if (LLVMIsAConstantExpr(p) && LLVMGetConstOpcode(p) == LLVMIntToPtr &&
		LLVMIsAConstantInt(LLVMGetOperand(p, 0)))
	{
		int32_t		c = (int32_t) (uint32_t) LLVMConstIntGetZExtValue(LLVMGetOperand(p, 0));

		return LLVMConstIntToPtr(LLVMConstInt(S->i64, (uint64_t) (int64_t) c, 1), S->gsptr);
	}
	return LLVMBuildIntToPtr(B, LLVMBuildPtrToInt(B, p, S->i64, ""), S->gsptr, "");
}

/*
 * v passed through an empty inline-assembly statement ("" with "=r,0"):
 * no instruction, but an integer LLVM knows nothing about.  A bounds check
 * on the result cannot be folded away by facts LLVM derived from
 * undefined behaviour the tenant can cause (a bool byte holding 200 under
 * `!range [0, 2)`, an overflow assumed not to happen, ...).  Used on the
 * index of every checked table dispatch (function pointers, jump tables).
 */
#define CC_OPAQUE_CONSTRAINTS "=r,0"

LLVMValueRef
cc_opaque(cc_sandbox *S, LLVMBuilderRef B, LLVMValueRef v, const char *name)
{
	LLVMTypeRef ty = LLVMTypeOf(v);
	LLVMTypeRef fty = LLVMFunctionType(ty, &ty, 1, 0);
	LLVMValueRef as = LLVMGetInlineAsm(fty, "", 0, CC_OPAQUE_CONSTRAINTS,
									   strlen(CC_OPAQUE_CONSTRAINTS), 0, 0,
									   LLVMInlineAsmDialectATT, 0);

	(void) S;
	return LLVMBuildCall2(B, fty, as, &v, 1, name);
}

/* Is v a call that cc_opaque built? */
int
cc_is_opaque(LLVMValueRef v)
{
	LLVMValueRef callee;
	const char *str;
	size_t		len;

	if (v == NULL || !LLVMIsACallInst(v))
		return 0;
	callee = LLVMGetCalledValue(v);
	if (!LLVMIsAInlineAsm(callee) || LLVMGetInlineAsmHasSideEffects(callee))
		return 0;
	str = LLVMGetInlineAsmAsmString(callee, &len);
	if (len != 0)
		return 0;
	str = LLVMGetInlineAsmConstraintString(callee, &len);
	return len == strlen(CC_OPAQUE_CONSTRAINTS) &&
		memcmp(str, CC_OPAQUE_CONSTRAINTS, len) == 0 &&
		LLVMGetNumArgOperands(v) == 1 &&
		LLVMGetTypeKind(LLVMTypeOf(v)) == LLVMIntegerTypeKind;
}

/* The sandbox pointer constant for view offset `offset`. */
LLVMValueRef
cc_const_addr(cc_sandbox *S, uint64_t offset)
{
	return LLVMConstIntToPtr(LLVMConstInt(S->i64, offset, 0), S->ptr);
}

/* Globals the instrumentation creates and the runtime knows (ABI.md). */
int
cc_is_abi_global_name(const char *name)
{
	return strcmp(name, TMEBOX_SYM_HOSTTAB) == 0 ||
		strcmp(name, TMEBOX_SYM_IMAGE) == 0 ||
		strcmp(name, TMEBOX_SYM_LAYOUT) == 0;
}

/*
 * Names a program may not define: the ABI globals, and the ones older
 * modules had (__tmebox_intr, which the runtime still fills when a module
 * defines it, and __tmebox_fntab).
 */
int
cc_is_reserved_global_name(const char *name)
{
	return cc_is_abi_global_name(name) ||
		strcmp(name, TMEBOX_SYM_INTR) == 0 ||
		strcmp(name, CC_FNTAB_NAME) == 0;
}


/* fn or the first definition after it, or NULL. */
static LLVMValueRef
cc_defined_from(LLVMValueRef fn)
{
	while (fn != NULL && LLVMIsDeclaration(fn))
		fn = LLVMGetNextFunction(fn);
	return fn;
}

/*
 * it->inst is the candidate (NULL: past the end of it->bb).  Move on to the
 * first instruction of the next block, and of the next defined function in
 * a walk of the module, until there is one or the scope ends; then fetch
 * the instruction after it, before the loop body runs.
 */
static void
cc_walk_settle(cc_inst_iter *it)
{
	while (it->inst == NULL && it->bb != NULL && it->scope != CC_WALK_BLOCK)
	{
		it->bb = LLVMGetNextBasicBlock(it->bb);
		while (it->bb == NULL && it->scope == CC_WALK_MODULE && it->fn != NULL)
		{
			it->fn = cc_defined_from(LLVMGetNextFunction(it->fn));
			it->bb = it->fn ? LLVMGetFirstBasicBlock(it->fn) : NULL;
		}
		it->inst = it->bb ? LLVMGetFirstInstruction(it->bb) : NULL;
	}
	it->next = it->inst ? LLVMGetNextInstruction(it->inst) : NULL;
}

/* Start a walk (cc_foreach_instruction*): of module `mod`, function `fn` or block `bb`. */
void
cc_walk_start(cc_inst_iter *it, cc_walk_scope scope, LLVMModuleRef mod, LLVMValueRef fn,
			  LLVMBasicBlockRef bb)
{
	it->scope = scope;
	switch (scope)
	{
		case CC_WALK_MODULE:
			it->fn = cc_defined_from(LLVMGetFirstFunction(mod));
			it->bb = it->fn ? LLVMGetFirstBasicBlock(it->fn) : NULL;
			break;
		case CC_WALK_FUNCTION:
			it->fn = fn;
			it->bb = LLVMIsDeclaration(fn) ? NULL : LLVMGetFirstBasicBlock(fn);
			break;
		case CC_WALK_BLOCK:
			it->fn = LLVMGetBasicBlockParent(bb);
			it->bb = bb;
			break;
	}
	it->inst = it->bb ? LLVMGetFirstInstruction(it->bb) : NULL;
	cc_walk_settle(it);
}

/* The next instruction of the walk (it->inst NULL at the end). */
void
cc_walk_next(cc_inst_iter *it)
{
	it->inst = it->next;
	cc_walk_settle(it);
}

/*
 * Does intrinsic `name` (full, "llvm.memcpy.p0.p0.i64") have base `base`
 * ("memcpy")?  The base must be followed by '.' or the end, so "exp" does
 * not match "llvm.exp2.f64" nor "llvm.expect.i1".
 */
int
cc_intrinsic_is(const char *name, const char *base)
{
	size_t		n = strlen(base);

	if (strncmp(name, "llvm.", 5) != 0)
		return 0;
	name += 5;
	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '.');
}

static int
cc_intrinsic_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (cc_intrinsic_is(name, *list))
			return 1;
	return 0;
}

/* Intrinsics that code generation lowers to plain instructions (no memory
 * access, no library call): they may stay in the final module. */
static const char *const cc_final_intrinsics[] = {
	"dbg", "assume", "expect", "abs", "smax", "smin", "umax", "umin",
	"fabs", "sqrt", "floor", "ceil", "trunc", "rint", "nearbyint",
	"roundeven", "lrint", "llrint", "copysign", "fmuladd",
	"minnum", "maxnum", "minimum", "maximum",
	"ctpop", "ctlz", "cttz", "bswap", "bitreverse", "fshl", "fshr",
	"sadd.with.overflow", "uadd.with.overflow", "ssub.with.overflow",
	"usub.with.overflow", "smul.with.overflow", "umul.with.overflow",
	"sadd.sat", "uadd.sat", "ssub.sat", "usub.sat", "sshl.sat", "ushl.sat",
	"vector.reduce", "is.constant", "is.fpclass", "experimental.noalias.scope.decl",
	"invariant.start", "invariant.end", "launder.invariant.group",
	"strip.invariant.group", "objectsize", "trap",
	NULL
};

/* Additionally allowed in the input: the pipeline rewrites each of these
 * (memory intrinsics, masked accesses, stack save/restore, traps, libm
 * lowering, prefetch, lifetime markers). */
static const char *const cc_input_intrinsics[] = {
	"memcpy", "memcpy.inline", "memmove", "memset", "memset.inline",
	"lifetime", "expect.with.probability",
	"masked.load", "masked.store", "masked.gather", "masked.scatter",
	"masked.expandload", "masked.compressstore",
	"stacksave", "stackrestore", "trap", "debugtrap", "ubsantrap",
	"fma", "powi", "sin", "cos", "exp", "exp2", "log", "log2", "log10",
	"pow", "round", "lround", "llround", "prefetch",
	NULL
};

int
cc_intrinsic_allowed_final(const char *name)
{
	return cc_intrinsic_in(name, cc_final_intrinsics);
}

int
cc_intrinsic_allowed_input(const char *name)
{
	return cc_intrinsic_in(name, cc_final_intrinsics) ||
		cc_intrinsic_in(name, cc_input_intrinsics);
}
