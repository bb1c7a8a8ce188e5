/*-------------------------------------------------------------------------
 *
 * cc_sandbox_verify.c
 *		Step 7: defence in depth.  Independent of how the earlier steps
 *		worked, walk the finished module and refuse it (internal error) if
 *		any instruction could leave the sandbox:
 *		- a load/store/atomic whose pointer is in address space 0, unless it
 *		  is a load of a host-table entry (@__tmebox_hosttab);
 *		- a call that is not direct to a defined function, not an
 *		  intrinsic of the final allow-list, and whose callee is not loaded
 *		  from the host table (function pointers are switches of direct
 *		  calls, cc_instr_fnptr.c; there is no function table);
 *		- an alloca, va_arg, exception handling, indirectbr or blockaddress;
 *		- a switch whose default destination starts with `unreachable`, or
 *		  whose condition is not opaque (cc_opaque): code generation could
 *		  drop the range check of its jump table;
 *		- inline assembly other than cc_opaque's empty statement;
 *		- an insertelement / extractelement with a variable index (code
 *		  generation would address a stack temporary with an index), a
 *		  select between two floating-point constants (an indexed
 *		  constant-pool load);
 *		- a global variable other than the ABI ones, or code referring to
 *		  any global but __tmebox_hosttab (no interrupt poll: there is no
 *		  __tmebox_intr).
 *		Unused declarations are deleted first; LLVMVerifyModule runs last.
 *
 * Invariants kept:
 *	- Always on; a module that fails here is never handed to codegen.
 *	- No clean-up pass that could reintroduce memory intrinsics
 *	  (loop-idiom) runs after the instrumentation.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <string.h>

#include <llvm-c/Analysis.h>

static int
cc_is_global_named(LLVMValueRef v, const char *name)
{
	return v && LLVMIsAGlobalVariable(v) && strcmp(cc_name(v), name) == 0;
}

/* Base global of a (constant or instruction) GEP chain, or v itself. */
static LLVMValueRef
cc_gep_base(LLVMValueRef v)
{
	int			depth;

	for (depth = 0; depth < 8 && v; depth++)
	{
		if (LLVMIsAGetElementPtrInst(v) ||
			(LLVMIsAConstantExpr(v) && LLVMGetConstOpcode(v) == LLVMGetElementPtr))
			v = LLVMGetOperand(v, 0);
		else
			break;
	}
	return v;
}

/* Is an address-space-0 load from p a permitted host access? */
static int
cc_host_load_ok(LLVMValueRef p)
{
	LLVMValueRef base = cc_gep_base(p);

	return cc_is_global_named(base, TMEBOX_SYM_HOSTTAB);
}

/* Globals and blockaddresses referenced by a constant operand. */
static void
cc_verify_const(cc_sandbox *S, LLVMValueRef inst, LLVMValueRef c, int depth)
{
	int			n,
				i;

	if (depth > 64 || c == NULL)
		return;
	if (LLVMIsAGlobalVariable(c))
	{
		const char *nm = cc_name(c);

		if (strcmp(nm, TMEBOX_SYM_HOSTTAB) != 0)
			cc_internal_error(S, inst, "code refers to global '%s'", nm);
		return;
	}
	if (LLVMIsABlockAddress(c))
	{
		cc_internal_error(S, inst, "blockaddress remains");
		return;
	}
	if (LLVMIsAGlobalValue(c) || !LLVMIsAConstant(c))
		return;
	n = LLVMGetNumOperands(c);
	for (i = 0; i < n; i++)
		cc_verify_const(S, inst, LLVMGetOperand(c, i), depth + 1);
}

static void
cc_verify_call(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMValueRef callee = LLVMGetCalledValue(inst);

	if (LLVMIsAInlineAsm(callee))
	{
		if (!cc_is_opaque(inst))
			cc_internal_error(S, inst, "inline assembly remains");
		return;
	}
	if (LLVMIsAFunction(callee))
	{
		const char *n = cc_name(callee);

		if (!LLVMIsDeclaration(callee))
			return;
		if (!cc_intrinsic_allowed_final(n))
			cc_internal_error(S, inst, "call of '%s' remains", n);
		return;
	}
	if (LLVMIsALoadInst(callee) &&
		LLVMGetPointerAddressSpace(LLVMTypeOf(LLVMGetOperand(callee, 0))) == 0 &&
		cc_is_global_named(cc_gep_base(LLVMGetOperand(callee, 0)), TMEBOX_SYM_HOSTTAB))
		return;
	cc_internal_error(S, inst, "indirect call remains (not a host call)");
}

static void
cc_verify_instruction(cc_sandbox *S, LLVMValueRef inst)
{
	LLVMOpcode	op = LLVMGetInstructionOpcode(inst);
	LLVMValueRef p = NULL;
	int			n,
				i;

	switch (op)
	{
		case LLVMAlloca:
			cc_internal_error(S, inst, "alloca remains");
			break;
		case LLVMSelect:
			if (LLVMIsAConstantFP(LLVMGetOperand(inst, 1)) && LLVMIsAConstantFP(LLVMGetOperand(inst, 2)))
				cc_internal_error(S, inst, "select between floating-point constants remains");
			break;
		case LLVMInsertElement:
		case LLVMExtractElement:
			if (!LLVMIsAConstant(LLVMGetOperand(inst, op == LLVMInsertElement ? 2 : 1)))
				cc_internal_error(S, inst, "vector element at a variable index remains");
			break;
		case LLVMLoad:
		case LLVMAtomicRMW:
		case LLVMAtomicCmpXchg:
			p = LLVMGetOperand(inst, 0);
			break;
		case LLVMStore:
			p = LLVMGetOperand(inst, 1);
			break;
		case LLVMCall:
			cc_verify_call(S, inst);
			break;
		case LLVMSwitch:
			{
				LLVMValueRef first = LLVMGetFirstInstruction(LLVMGetSwitchDefaultDest(inst));

				while (first && LLVMIsAPHINode(first))
					first = LLVMGetNextInstruction(first);
				if (first == NULL || LLVMIsAUnreachableInst(first))
					cc_internal_error(S, inst, "switch with an unreachable default (its jump table would have no range check)");
				if (!cc_is_opaque(LLVMGetOperand(inst, 0)))
					cc_internal_error(S, inst, "switch condition not made opaque (LLVM could drop its range check)");
			}
			break;
		case LLVMVAArg:
		case LLVMInvoke:
		case LLVMCallBr:
		case LLVMIndirectBr:
		case LLVMLandingPad:
		case LLVMResume:
		case LLVMCleanupPad:
		case LLVMCatchPad:
		case LLVMCatchSwitch:
		case LLVMCatchRet:
		case LLVMCleanupRet:
		case LLVMAddrSpaceCast:
			cc_internal_error(S, inst, "forbidden instruction (opcode %d) remains", (int) op);
			break;
		default:
			break;
	}
	if (p != NULL)
	{
		unsigned	as = LLVMGetPointerAddressSpace(LLVMTypeOf(p));

		if (as == 0)
		{
			if (op != LLVMLoad || !cc_host_load_ok(p))
				cc_internal_error(S, inst, "memory access outside the view (address space 0)");
		}
		else if (as != 256)
			cc_internal_error(S, inst, "memory access in address space %u", as);
	}
	n = LLVMGetNumOperands(inst);
	for (i = 0; i < n; i++)
	{
		LLVMValueRef v = LLVMGetOperand(inst, i);

		if (v && !LLVMIsABasicBlock(v) && LLVMIsAConstant(v))
			cc_verify_const(S, inst, v, 0);
	}
}

void
cc_sandbox_verify(cc_sandbox *S)
{
	LLVMValueRef fn,
				next,
				g;
	char	   *msg = NULL;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = next)
	{
		next = LLVMGetNextFunction(fn);
		if (LLVMIsDeclaration(fn) && LLVMGetFirstUse(fn) == NULL)
			LLVMDeleteFunction(fn);
	}
	if (LLVMGetFirstGlobalAlias(S->mod) || LLVMGetFirstGlobalIFunc(S->mod))
		cc_internal_error(S, NULL, "alias or ifunc remains");
	for (g = LLVMGetFirstGlobal(S->mod); g; g = LLVMGetNextGlobal(g))
	{
		if (!cc_is_abi_global_name(cc_name(g)))
			cc_internal_error(S, NULL, "global '%s' remains outside the image", cc_name(g));
		if (LLVMIsThreadLocal(g))
			cc_internal_error(S, NULL, "thread-local global '%s'", cc_name(g));
	}
	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		cc_inst_iter it;

		if (LLVMIsDeclaration(fn))
		{
			if (!cc_intrinsic_allowed_final(cc_name(fn)))
				cc_internal_error(S, NULL, "declaration of '%s' remains", cc_name(fn));
			continue;
		}
		cc_foreach_instruction_in_function(it, fn)
			cc_verify_instruction(S, it.inst);
	}
	if (LLVMVerifyModule(S->mod, LLVMReturnStatusAction, &msg))
		cc_internal_error(S, NULL, "LLVM module verification failed: %s", msg ? msg : "");
	if (msg)
		LLVMDisposeMessage(msg);
}
