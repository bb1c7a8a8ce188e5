/*-------------------------------------------------------------------------
 *
 * cc_sandbox.c
 *		cc_sandbox_module(): the sandboxing pipeline of tmebox-cc, plus the
 *		small IR helpers (error reporting, block splitting, guards, host-call
 *		declarations, %gs pointers) shared by the cc_check / cc_instr files.
 *
 * Invariants kept:
 *	- The steps run in the order of DESIGN.md section 5 / the issue: checks
 *	  on the unoptimised module, internalise + O2, transformations that still
 *	  create sandbox memory operations, globals into the image, memory
 *	  instrumentation, control flow and host access, final verification,
 *	  then (bounded) jump tables allowed for code generation.
 *	  Memory instrumentation runs after every step that creates sandbox
 *	  accesses and before every step that creates host accesses.
 *	- When the checks report an error nothing is transformed, and when any
 *	  step reports an error the later steps are skipped: a module with a
 *	  non-zero error count is never meant for code generation.
 *	- The final verification always runs on a module that reached it.
 *
 *-------------------------------------------------------------------------
 */
#define CC_SANDBOX_INTERNAL
#include "cc_sandbox.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>

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

int
cc_sandbox_module(LLVMModuleRef mod, LLVMTargetMachineRef tm, const char *const *exports, int nexports,
				  cc_report_fn report, void *arg)
{
	cc_sandbox	S;

	memset(&S, 0, sizeof(S));
	S.mod = mod;
	S.ctx = LLVMGetModuleContext(mod);
	S.tm = tm;
	S.td = LLVMCreateTargetDataLayout(tm);
	S.report = report;
	S.report_arg = arg;
	S.void_t = LLVMVoidTypeInContext(S.ctx);
	S.i1 = LLVMInt1TypeInContext(S.ctx);
	S.i8 = LLVMInt8TypeInContext(S.ctx);
	S.i32 = LLVMInt32TypeInContext(S.ctx);
	S.i64 = LLVMInt64TypeInContext(S.ctx);
	S.f32 = LLVMFloatTypeInContext(S.ctx);
	S.f64 = LLVMDoubleTypeInContext(S.ctx);
	S.ptr = LLVMPointerTypeInContext(S.ctx, 0);
	S.gsptr = LLVMPointerTypeInContext(S.ctx, 256);

	/* 1. checks on the linked, unoptimised module */
	cc_check_module(&S);
	/* 2. internalise, attributes, O2, scalarise masked intrinsics */
	if (S.nerrors == 0)
		cc_sandbox_optimise(&S, exports, nexports);
	/* 3. transformations that create sandbox memory operations */
	if (S.nerrors == 0)
	{
		cc_instr_byval(&S);
		cc_instr_memintr(&S);
		cc_instr_math(&S);
		cc_instr_alloca(&S);
	}
	/* 4. function indices (used by initialisers), then globals -> image */
	if (S.nerrors == 0)
		cc_instr_fnptr_assign(&S);
	if (S.nerrors == 0)
		cc_instr_globals(&S);
	/* 5. every remaining addrspace-0 access is a sandbox access */
	if (S.nerrors == 0)
		cc_instr_memory(&S);
	/* 6. control flow and host access */
	if (S.nerrors == 0)
	{
		cc_instr_traps(&S);
		cc_instr_fnptr_dispatch(&S);
		cc_instr_hostcalls(&S);
		cc_instr_switches(&S);
		cc_instr_codegen_forms(&S);
	}
	/* 7. defence in depth */
	if (S.nerrors == 0)
		cc_sandbox_verify(&S);
	/* 8. what code generation must produce for the object's verifier */
	if (S.nerrors == 0)
		cc_sandbox_codegen_attrs(&S);

	free(S.fntab);
	free(S.fntypes);
	LLVMDisposeTargetData(S.td);
	return S.nerrors;
}
