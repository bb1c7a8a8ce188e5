/*-------------------------------------------------------------------------
 *
 * cc_check.c
 *		Step 1 of the sandboxing pipeline: reject what cannot be sandboxed,
 *		on the linked but unoptimised module so that the debug locations
 *		still name the user's source lines.  The allow-list of input
 *		intrinsics it applies is in cc_ir.c, next to step 7's final one.
 *
 * Invariants kept:
 *	- Every construct of DESIGN.md section 5 "Reject ..." is refused here
 *	  with a message naming it, once per occurrence (all errors, not only
 *	  the first): inline assembly (calls and module level), indirectbr and
 *	  blockaddress, calls to or the address of any function that is neither
 *	  defined in the module, nor a host call of TMEBOX_HOSTCALLS, nor an
 *	  allowed intrinsic (setjmp/longjmp named specially), variadic
 *	  definitions, thread-locals, constructors/destructors, aliases/ifuncs,
 *	  atomics wider than 8 bytes, non-zero address spaces, intrinsics off the
 *	  allow-list, i128 division and conversions, multiplication and
 *	  variable shifts of integers wider than 128 bits, long double / half,
 *	  atomics below their natural alignment (the code generator would
 *	  lower them to an __atomic_* library call on a raw pointer), linker
 *	  directives (#pragma comment), other calling conventions, naked
 *	  functions, and functions compiled for another CPU or feature set.
 *	- Names the instrumentation or the runtime gives meaning to
 *	  (__tmebox_host_*, __tmebox_export_*, the ABI globals) cannot be
 *	  defined by the module.
 *	- Nothing is modified here.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"
#include "cc_frontend.h"

#include <string.h>

/* Non-zero address space anywhere in T?  Returns it, or 0. */
static unsigned
cc_bad_addrspace(LLVMTypeRef t, int depth)
{
	unsigned	n,
				i,
				as;

	if (depth > 32)
		return 0;
	switch (LLVMGetTypeKind(t))
	{
		case LLVMPointerTypeKind:
			return LLVMGetPointerAddressSpace(t);
		case LLVMArrayTypeKind:
		case LLVMVectorTypeKind:
			return cc_bad_addrspace(LLVMGetElementType(t), depth + 1);
		case LLVMStructTypeKind:
			n = LLVMCountStructElementTypes(t);
			for (i = 0; i < n; i++)
				if ((as = cc_bad_addrspace(LLVMStructGetTypeAtIndex(t, i), depth + 1)) != 0)
					return as;
			return 0;
		case LLVMFunctionTypeKind:
			if ((as = cc_bad_addrspace(LLVMGetReturnType(t), depth + 1)) != 0)
				return as;
			n = LLVMCountParamTypes(t);
			{
				LLVMTypeRef params[n ? n : 1];

				LLVMGetParamTypes(t, params);
				for (i = 0; i < n; i++)
					if ((as = cc_bad_addrspace(params[i], depth + 1)) != 0)
						return as;
			}
			return 0;
		default:
			return 0;
	}
}

/* Scalar kind of t (element kind for vectors). */
static LLVMTypeKind
cc_scalar_kind(LLVMTypeRef t)
{
	if (LLVMGetTypeKind(t) == LLVMVectorTypeKind)
		t = LLVMGetElementType(t);
	return LLVMGetTypeKind(t);
}

static unsigned
cc_scalar_int_width(LLVMTypeRef t)
{
	if (LLVMGetTypeKind(t) == LLVMVectorTypeKind)
		t = LLVMGetElementType(t);
	return LLVMGetTypeKind(t) == LLVMIntegerTypeKind ? LLVMGetIntTypeWidth(t) : 0;
}

static int
cc_is_setjmp_name(const char *n)
{
	static const char *const names[] = {
		"setjmp", "_setjmp", "__setjmp", "sigsetjmp", "__sigsetjmp",
		"longjmp", "_longjmp", "__longjmp", "siglongjmp", "__longjmp_chk",
		"savectx", "vfork", NULL
	};
	int			i;

	for (i = 0; names[i]; i++)
		if (strcmp(n, names[i]) == 0)
			return 1;
	return 0;
}

/* An instruction using v (directly or through constants), for a location. */
static LLVMValueRef
cc_first_user_inst(LLVMValueRef v, int depth)
{
	LLVMUseRef	u;

	if (depth > 4)
		return NULL;
	for (u = LLVMGetFirstUse(v); u; u = LLVMGetNextUse(u))
	{
		LLVMValueRef user = LLVMGetUser(u);
		LLVMValueRef r;

		if (LLVMIsAInstruction(user))
			return user;
		if (LLVMIsAConstant(user) && !LLVMIsAGlobalValue(user) &&
			(r = cc_first_user_inst(user, depth + 1)) != NULL)
			return r;
	}
	return NULL;
}

/* A declared (not defined, not intrinsic) function used other than as callee. */
static void
cc_check_fn_ref(cc_sandbox *S, LLVMValueRef fn, LLVMValueRef at)
{
	const char *n = cc_name(fn);

	if (!LLVMIsDeclaration(fn))
		return;
	if (cc_starts_with(n, "llvm."))
		cc_error(S, at, "the address of intrinsic '%s' cannot be taken", n);
	else if (cc_starts_with(n, CC_HOST_PREFIX))
		cc_error(S, at, "the address of host function '%s' cannot be taken", n);
	else if (cc_is_setjmp_name(n))
		cc_error(S, at, "setjmp/longjmp ('%s') is not supported in sandboxed code", n);
	else
		cc_error(S, at, "the address of external function '%s' is not allowed "
				 "(only the sandbox libc and the tmebox API are available)", n);
}

/* Scan a constant operand (not descending into other globals). */
static void
cc_check_const(cc_sandbox *S, LLVMValueRef c, LLVMValueRef at, int depth)
{
	int			n,
				i;

	if (depth > 64)
		return;
	if (LLVMIsAFunction(c))
	{
		cc_check_fn_ref(S, c, at);
		return;
	}
	if (LLVMIsABlockAddress(c))
	{
		cc_error(S, at, "taking the address of a label (blockaddress) is not allowed in sandboxed code");
		return;
	}
	if (LLVMIsAGlobalValue(c) || !LLVMIsAConstant(c))
		return;
	if (LLVMIsAConstantExpr(c) || LLVMIsAConstantStruct(c) ||
		LLVMIsAConstantArray(c) || LLVMIsAConstantVector(c))
	{
		n = LLVMGetNumOperands(c);
		for (i = 0; i < n; i++)
			cc_check_const(S, LLVMGetOperand(c, i), at, depth + 1);
	}
}

/* Types of an instruction: long double / half, address spaces. */
static void
cc_check_types(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMTypeRef types[64];
	int			nt = 0,
				n,
				i;
	unsigned	as;

	types[nt++] = LLVMTypeOf(inst);
	if (LLVMIsAAllocaInst(inst))
		types[nt++] = LLVMGetAllocatedType(inst);
	if (LLVMIsACallInst(inst))
		types[nt++] = LLVMGetCalledFunctionType(inst);
	n = LLVMGetNumOperands(inst);
	for (i = 0; i < n && nt < 64; i++)
	{
		LLVMValueRef op = LLVMGetOperand(inst, i);

		if (op && !LLVMIsABasicBlock(op) && LLVMGetValueKind(op) != LLVMMetadataAsValueValueKind)
			types[nt++] = LLVMTypeOf(op);
	}
	for (i = 0; i < nt; i++)
	{
		LLVMTypeKind k = cc_scalar_kind(types[i]);

		if ((as = cc_bad_addrspace(types[i], 0)) != 0)
		{
			cc_error(S, inst, "pointers in address space %u are not allowed in sandboxed code", as);
			return;
		}
		if (LLVMIsAAllocaInst(inst) || LLVMIsALoadInst(inst) || LLVMIsAStoreInst(inst))
			continue;			/* moving bytes is fine; arithmetic is not */
		if (k == LLVMX86_FP80TypeKind || k == LLVMFP128TypeKind || k == LLVMPPC_FP128TypeKind)
		{
			cc_error(S, inst, "long double is not supported");
			return;
		}
		if (k == LLVMHalfTypeKind || k == LLVMBFloatTypeKind)
		{
			cc_error(S, inst, "half-precision floating point (_Float16, __bf16) is not supported");
			return;
		}

	}

	/*
	 * The code generator lowers a shift of an integer wider than 128 bits
	 * by a run-time amount through a native-stack temporary indexed by
	 * that amount (`d(%rsp,%reg)`), and a multiplication of one into
	 * such code too: the verifier would refuse the result with a message
	 * about machine code, so say what it is, with the line (red team
	 * s8).  Constant shifts, masks and truncations of wide integers stay
	 * allowed: clang reads and writes runs of bit-fields that way.
	 */
	if (cc_scalar_int_width(LLVMTypeOf(inst)) > 128)
	{
		LLVMOpcode	op = LLVMGetInstructionOpcode(inst);

		if (op == LLVMMul ||
			((op == LLVMShl || op == LLVMLShr || op == LLVMAShr) &&
			 !LLVMIsAConstant(LLVMGetOperand(inst, 1))))
			cc_error(S, inst, "multiplication and variable shifts of integers wider than 128 bits (_BitInt(N) with N > 128) are not supported");
	}
}

static void
cc_check_call(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMValueRef callee = LLVMGetCalledValue(inst);
	const char *n;

	if (LLVMIsAInlineAsm(callee))
	{
		cc_error(S, inst, "inline assembly is not allowed in sandboxed code");
		return;
	}
	if (LLVMGetInstructionCallConv(inst) != LLVMCCallConv)
		cc_error(S, inst, "calls with a calling convention other than C's are not allowed in sandboxed code");
	if (!LLVMIsAFunction(callee))
		return;					/* indirect call: checked dispatch later */
	if (!LLVMIsDeclaration(callee))
		return;
	n = cc_name(callee);
	if (cc_starts_with(n, "llvm."))
	{
		if (!cc_intrinsic_allowed_input(n))
			cc_error(S, inst, "intrinsic '%s' is not allowed in sandboxed code", n);
		else if (strstr(n, "mul.with.overflow.i128") != NULL)
			cc_error(S, inst, "128-bit multiplication with overflow check is not supported");
	}
	else if (cc_starts_with(n, CC_HOST_PREFIX))
	{
		if (cc_host_index(n + strlen(CC_HOST_PREFIX)) < 0)
			cc_error(S, inst, "call to unknown host function '%s'", n);
	}
	else if (cc_is_setjmp_name(n))
		cc_error(S, inst, "setjmp/longjmp ('%s') is not supported in sandboxed code", n);
	else
		cc_error(S, inst, "call to external function '%s' is not allowed "
				 "(only the sandbox libc and the tmebox API are available)", n);
}

static void
cc_check_instruction(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMOpcode	op = LLVMGetInstructionOpcode(inst);
	int			n,
				i;
	LLVMTypeRef at = NULL;

	cc_check_types(S, inst);
	switch (op)
	{
		case LLVMCall:
			cc_check_call(S, inst);
			break;
		case LLVMInvoke:
		case LLVMCallBr:
		case LLVMLandingPad:
		case LLVMResume:
		case LLVMCleanupPad:
		case LLVMCatchPad:
		case LLVMCatchSwitch:
		case LLVMCatchRet:
		case LLVMCleanupRet:
			if (op == LLVMCallBr)
				cc_error(S, inst, "inline assembly (asm goto) is not allowed in sandboxed code");
			else
				cc_error(S, inst, "exception handling is not supported in sandboxed code");
			break;
		case LLVMIndirectBr:
			cc_error(S, inst, "computed goto (indirectbr) is not allowed in sandboxed code");
			break;
		case LLVMAtomicRMW:
			at = LLVMTypeOf(inst);
			break;
		case LLVMAtomicCmpXchg:
			at = LLVMTypeOf(LLVMGetOperand(inst, 1));
			break;
		case LLVMLoad:
			if (LLVMGetOrdering(inst) != LLVMAtomicOrderingNotAtomic)
				at = LLVMTypeOf(inst);
			break;
		case LLVMStore:
			if (LLVMGetOrdering(inst) != LLVMAtomicOrderingNotAtomic)
				at = LLVMTypeOf(LLVMGetOperand(inst, 0));
			break;
		case LLVMUDiv:
		case LLVMSDiv:
		case LLVMURem:
		case LLVMSRem:
			if (cc_scalar_int_width(LLVMTypeOf(inst)) > 64)
				cc_error(S, inst, "128-bit integer division is not supported");
			break;
		case LLVMFPToUI:
		case LLVMFPToSI:
			if (cc_scalar_int_width(LLVMTypeOf(inst)) > 64)
				cc_error(S, inst, "conversion between 128-bit integers and floating point is not supported");
			break;
		case LLVMUIToFP:
		case LLVMSIToFP:
			if (cc_scalar_int_width(LLVMTypeOf(LLVMGetOperand(inst, 0))) > 64)
				cc_error(S, inst, "conversion between 128-bit integers and floating point is not supported");
			break;
		default:
			break;
	}
	if (at != NULL && LLVMGetAlignment(inst) < LLVMStoreSizeOfType(S->td, at))
		cc_error(S, inst, "atomic access to an under-aligned object (%u-byte alignment "
				 "for %u bytes, e.g. a packed struct field) is not supported",
				 LLVMGetAlignment(inst), (unsigned) LLVMStoreSizeOfType(S->td, at));
	if (at != NULL && LLVMStoreSizeOfType(S->td, at) > 8)
	{
		if (LLVMStoreSizeOfType(S->td, at) == 16)
			cc_error(S, inst, "128-bit atomics are not supported");
		else
			cc_error(S, inst, "atomic operations wider than 8 bytes are not supported");
	}

	/* Function references and blockaddress among the operands. */
	n = LLVMGetNumOperands(inst);
	for (i = 0; i < n; i++)
	{
		LLVMValueRef v = LLVMGetOperand(inst, i);

		if (v == NULL || LLVMIsABasicBlock(v))
			continue;
		if (op == LLVMCall && i == n - 1)
			continue;			/* the callee: cc_check_call */
		if (LLVMIsAConstant(v))
			cc_check_const(S, v, inst, 0);
	}
}

/* The value of string attribute `key` of `fn`, or "" when it has none. */
static const char *
cc_fn_string_attr(LLVMValueRef fn, const char *key, unsigned *len)
{
	LLVMAttributeRef a = LLVMGetStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
													   key, (unsigned) strlen(key));

	*len = 0;
	return a ? LLVMGetStringAttributeValue(a, len) : "";
}

/*
 * Attributes that change how a function is compiled beyond what the
 * sandbox supports: another instruction set (target, target_clones,
 * target_version: AVX would touch register state the runtime does not
 * scrub and the verifier refuses), another calling convention
 * (interrupt, ms_abi, regcall, preserve_*), no prologue (naked), or
 * registers cleared on return (zero_call_used_regs: "all" clears the x87
 * stack with instructions the verifier refuses; the runtime clears the
 * registers when the sandbox returns anyway).
 */
static void
cc_check_codegen_attrs(cc_sandbox *S, LLVMValueRef fn, const char *n)
{
	unsigned	len;
	const char *v;

	if (LLVMGetFunctionCallConv(fn) != LLVMCCallConv)
		cc_error(S, fn, "function '%s' has a calling convention other than C's "
				 "(interrupt, ms_abi, regcall, preserve_*...), which is not allowed", n);
	if (LLVMGetEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
									LLVMGetEnumAttributeKindForName("naked", 5)) != NULL)
		cc_error(S, fn, "naked function '%s' is not allowed in sandboxed code", n);
	cc_fn_string_attr(fn, "zero-call-used-regs", &len);
	if (len > 0)
		cc_error(S, fn, "function '%s' has __attribute__((zero_call_used_regs)), which is "
				 "not allowed in sandboxed code", n);
	v = cc_fn_string_attr(fn, "target-cpu", &len);
	if (len > 0 && (len != strlen(CC_TARGET_CPU) || memcmp(v, CC_TARGET_CPU, len) != 0))
		cc_error(S, fn, "function '%s' is compiled for another CPU (__attribute__((target)) "
				 "and similar are not allowed: sandboxed code is " CC_TARGET_CPU " only)", n);
	v = cc_fn_string_attr(fn, "target-features", &len);
	if (len > 0 && (len != strlen(CC_TARGET_FEATURES) || memcmp(v, CC_TARGET_FEATURES, len) != 0))
		cc_error(S, fn, "function '%s' uses other instruction-set features "
				 "(__attribute__((target)), target_clones and similar are not allowed: "
				 "sandboxed code is " CC_TARGET_CPU " only)", n);
}

static int
cc_is_reserved_name(const char *n)
{
	return cc_starts_with(n, CC_HOST_PREFIX) ||
		cc_starts_with(n, TMEBOX_EXPORT_PREFIX) ||
		cc_is_reserved_global_name(n) ||
		strcmp(n, CC_DSP_NAME) == 0;
}

void
cc_check_module(cc_sandbox *S)
{
	size_t		len = 0;
	LLVMValueRef g,
				fn;

	if (LLVMGetNamedMetadataNumOperands(S->mod, "llvm.dependent-libraries") > 0)
		cc_error(S, NULL, "#pragma comment(lib, ...) is not allowed in sandboxed code "
				 "(the linker gets no input but the compiler's own)");
	if (LLVMGetNamedMetadataNumOperands(S->mod, "llvm.linker.options") > 0)
		cc_error(S, NULL, "#pragma comment(linker, ...) and linker options are not "
				 "allowed in sandboxed code");
	LLVMGetModuleInlineAsm(S->mod, &len);
	if (len > 0)
		cc_error(S, NULL, "module-level inline assembly is not allowed in sandboxed code");
	for (g = LLVMGetFirstGlobalAlias(S->mod); g; g = LLVMGetNextGlobalAlias(g))
		cc_error(S, cc_first_user_inst(g, 0), "aliases ('%s') are not supported in sandboxed code", cc_name(g));
	for (g = LLVMGetFirstGlobalIFunc(S->mod); g; g = LLVMGetNextGlobalIFunc(g))
		cc_error(S, cc_first_user_inst(g, 0), "ifuncs ('%s') are not allowed in sandboxed code", cc_name(g));

	for (g = LLVMGetFirstGlobal(S->mod); g; g = LLVMGetNextGlobal(g))
	{
		const char *n = cc_name(g);
		LLVMValueRef loc = cc_first_user_inst(g, 0);
		unsigned	as;

		if (strcmp(n, "llvm.global_ctors") == 0 || strcmp(n, "llvm.global_dtors") == 0)
		{
			LLVMValueRef init = LLVMGetInitializer(g);
			LLVMValueRef at = NULL;

			/* point at the first constructor function, if any */
			if (init && LLVMGetNumOperands(init) > 0)
			{
				LLVMValueRef e = LLVMGetOperand(init, 0);

				if (LLVMGetNumOperands(e) > 1 && LLVMIsAFunction(LLVMGetOperand(e, 1)))
					at = LLVMGetOperand(e, 1);
			}
			cc_error(S, at, "%s are not allowed in sandboxed code",
					 n[12] == 'c' ? "constructors (__attribute__((constructor)))"
					 : "destructors (__attribute__((destructor)))");
			continue;
		}
		if (cc_starts_with(n, "llvm."))
			continue;			/* llvm.used & co.: dropped in step 2 */
		if (LLVMIsThreadLocal(g))
			cc_error(S, loc, "thread-local variable '%s' is not allowed in sandboxed code", n);
		if (LLVMGetPointerAddressSpace(LLVMTypeOf(g)) != 0 ||
			(as = cc_bad_addrspace(LLVMGlobalGetValueType(g), 0)) != 0)
			cc_error(S, loc, "variable '%s' uses a non-zero address space, which is not allowed", n);
		if (LLVMGetInitializer(g) == NULL)
		{
			cc_error(S, loc, "external variable '%s' is not defined "
					 "(only the sandbox libc and the tmebox API are available)", n);
			continue;
		}
		if (cc_is_reserved_name(n))
			cc_error(S, loc, "the name '%s' is reserved for tmebox", n);
		if (LLVMGetSection(g) != NULL && LLVMGetSection(g)[0] != '\0')
			cc_error(S, loc, "variable '%s' has a section attribute, which is not allowed", n);
		cc_check_const(S, LLVMGetInitializer(g), loc, 0);
	}

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		const char *n = cc_name(fn);
		cc_inst_iter it;
		const char *sec;

		if (LLVMIsDeclaration(fn))
			continue;
		if (cc_is_reserved_name(n))
			cc_error(S, fn, "the name '%s' is reserved for tmebox", n);
		if (LLVMIsFunctionVarArg(LLVMGlobalGetValueType(fn)))
			cc_error(S, fn, "variadic function definitions ('%s') are not supported in sandboxed code", n);
		sec = LLVMGetSection(fn);
		if (sec != NULL && sec[0] != '\0')
			cc_error(S, fn, "function '%s' has a section attribute, which is not allowed", n);
		if (cc_bad_addrspace(LLVMGlobalGetValueType(fn), 0) != 0)
			cc_error(S, fn, "function '%s' has a parameter in a non-zero address space", n);
		cc_check_codegen_attrs(S, fn, n);
		if (LLVMHasPrefixData(fn))
			cc_error(S, fn, "function '%s' has prefix data, which is not allowed", n);
		if (LLVMHasPrologueData(fn))
			cc_error(S, fn, "function '%s' has prologue data, which is not allowed", n);
		cc_foreach_instruction_in_function(it, fn)
			cc_check_instruction(S, it.inst);
	}
}
