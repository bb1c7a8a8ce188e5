/*-------------------------------------------------------------------------
 *
 * cc_codegen.c
 *		Target machine, bitcode loading and libc linking, verification and
 *		object emission through the LLVM-C API.
 *
 * Invariants kept here:
 *	- Nothing here changes what the sandboxed code may do: instrumentation
 *	  is cc_sandbox_module()'s job; this file only feeds it the linked
 *	  module and turns its result into machine code.
 *	- Debug info is stripped before emission (the object carries no source
 *	  paths), after the sandbox passes have used it for their reports.
 *	- Every char * LLVM returns is released with LLVMDisposeMessage.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_codegen.h"
#include "cc_frontend.h"
#include "cc_mcode.h"
#include "cc_util.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <stdio.h>
#include <string.h>

static bool cc_cg_verbose;

static void
cc_cg_diagnostic(LLVMDiagnosticInfoRef di, void *arg)
{
	LLVMDiagnosticSeverity sev = LLVMGetDiagInfoSeverity(di);
	char	   *desc;

	(void) arg;
	if (sev == LLVMDSRemark || sev == LLVMDSNote ||
		(sev == LLVMDSWarning && !cc_cg_verbose))
		return;
	desc = LLVMGetDiagInfoDescription(di);
	cc_msg("%s: %s", sev == LLVMDSError ? "error" : "warning", desc);
	LLVMDisposeMessage(desc);
}

LLVMContextRef
cc_codegen_context(bool verbose)
{
	LLVMContextRef ctx = LLVMContextCreate();

	cc_cg_verbose = verbose;
	LLVMContextSetDiagnosticHandler(ctx, cc_cg_diagnostic, NULL);
	return ctx;
}

LLVMTargetMachineRef
cc_codegen_target_machine(void)
{
	LLVMTargetRef target;
	char	   *err = NULL;

	LLVMInitializeX86TargetInfo();
	LLVMInitializeX86Target();
	LLVMInitializeX86TargetMC();
	LLVMInitializeX86AsmPrinter();
	if (LLVMGetTargetFromTriple(CC_TARGET_TRIPLE, &target, &err))
	{
		cc_msg("internal error: no target for %s: %s", CC_TARGET_TRIPLE, err);
		LLVMDisposeMessage(err);
		return NULL;
	}
	return LLVMCreateTargetMachine(target, CC_TARGET_TRIPLE, CC_TARGET_CPU, "",
								   LLVMCodeGenLevelDefault, LLVMRelocPIC,
								   LLVMCodeModelDefault);
}

/* Parse one bitcode file.  0 or -1. */
static int
cc_cg_parse(LLVMContextRef ctx, const char *path, LLVMModuleRef *out)
{
	LLVMMemoryBufferRef buf;
	char	   *err = NULL;
	LLVMBool	failed;

	if (LLVMCreateMemoryBufferWithContentsOfFile(path, &buf, &err))
	{
		cc_msg("error: cannot read \"%s\": %s", path, err);
		LLVMDisposeMessage(err);
		return -1;
	}
	/* the non-lazy parser does not take ownership of the buffer */
	failed = LLVMParseBitcodeInContext2(ctx, buf, out);
	LLVMDisposeMemoryBuffer(buf);
	if (failed)
	{
		cc_msg("error: \"%s\" is not valid LLVM bitcode", path);
		return -1;
	}
	return 0;
}

int
cc_codegen_load(LLVMContextRef ctx, const char *bc_path, const char *libc_path,
				LLVMModuleRef *out)
{
	LLVMModuleRef mod;
	LLVMModuleRef libc;
	char	   *err = NULL;

	*out = NULL;
	if (cc_cg_parse(ctx, bc_path, &mod) != 0)
		return -1;
	if (cc_cg_parse(ctx, libc_path, &libc) != 0)
	{
		LLVMDisposeModule(mod);
		return -1;
	}
	/*
	 * clang can emit IR that LLVM's own verifier refuses (an interrupt
	 * handler's byval of an incomplete type); every later pass would
	 * abort on it, so it ends here as a diagnostic.
	 */
	if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &err))
	{
		char	   *nl = err ? strchr(err, '\n') : NULL;

		if (nl)
			*nl = '\0';
		cc_msg("error: the program uses a construct tmebox cannot compile "
			   "(such as __attribute__((interrupt))): %s", err ? err : "invalid module");
		LLVMDisposeMessage(err);
		LLVMDisposeModule(mod);
		LLVMDisposeModule(libc);
		return -1;
	}
	LLVMDisposeMessage(err);
	/* LLVMLinkModules2 always consumes libc; its errors go to the handler */
	if (LLVMLinkModules2(mod, libc))
	{
		cc_msg("error: cannot link the program with the sandbox libc (\"%s\")", libc_path);
		LLVMDisposeModule(mod);
		return -1;
	}
	*out = mod;
	return 0;
}

bool
cc_codegen_has_definition(LLVMModuleRef mod, const char *name)
{
	LLVMValueRef fn = LLVMGetNamedFunction(mod, name);

	if (fn == NULL || LLVMIsDeclaration(fn))
		return false;
	switch (LLVMGetLinkage(fn))
	{
		case LLVMExternalLinkage:
		case LLVMWeakAnyLinkage:
		case LLVMWeakODRLinkage:
		case LLVMLinkOnceAnyLinkage:
		case LLVMLinkOnceODRLinkage:
			return true;
		default:
			return false;
	}
}

int
cc_codegen_finish(LLVMModuleRef mod)
{
	char	   *err = NULL;

	if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &err))
	{
		cc_msg("internal error: the instrumented module is invalid: %s", err ? err : "");
		LLVMDisposeMessage(err);
		return -1;
	}
	LLVMDisposeMessage(err);
	LLVMStripModuleDebugInfo(mod);
	return 0;
}

int
cc_codegen_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod, LLVMMemoryBufferRef *obj)
{
	char		err[512];

	if (cc_mcode_emit(tm, mod, obj, err, sizeof(err)) != 0)
	{
		cc_msg("internal error: %s", err);
		return -1;
	}
	return 0;
}
