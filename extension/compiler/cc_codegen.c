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
 *	- The module is named after its source file, never after the random
 *	  temp path it was read from.  Debug info is stripped before emission
 *	  (the object carries no source paths), after the sandbox passes have
 *	  used it for their reports; the source line of each function is kept
 *	  aside for the frame-size error.
 *	- No function's native stack frame exceeds CC_MAX_NATIVE_FRAME (the
 *	  verifier's 60 KiB, less than the 64 KiB guard below the sandbox's
 *	  native stack, so no frame needs stack probes): every function carries
 *	  "warn-stack-size", and LLVM's stack-size diagnostic fails the
 *	  emission with an error naming the function and its source line.
 *	- Every char * LLVM returns is released with LLVMDisposeMessage.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_codegen.h"
#include "cc_frontend.h"
#include "cc_mcode.h"
#include "cc_util.h"
#include "tmebox_abi.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/BitReader.h>
#include <llvm-c/DebugInfo.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool cc_cg_verbose;
static int	cc_cg_frame_errors;	/* frames over the limit seen by the handler */

/* Where each defined function starts in the source (for the frame error). */
typedef struct cc_fn_loc
{
	char	   *name;
	char	   *file;			/* NULL: unknown or not the user's file */
	unsigned	line;
} cc_fn_loc;

static cc_fn_loc *cc_cg_locs;
static int	cc_cg_nlocs;

static char *
cc_cg_strndup(const char *s, size_t n)
{
	char	   *r = cc_malloc(n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

static void
cc_cg_forget_locs(void)
{
	for (int i = 0; i < cc_cg_nlocs; i++)
	{
		free(cc_cg_locs[i].name);
		free(cc_cg_locs[i].file);
	}
	free(cc_cg_locs);
	cc_cg_locs = NULL;
	cc_cg_nlocs = 0;
}

/* Remember each defined function's file and line before debug info goes. */
static void
cc_cg_remember_locs(LLVMModuleRef mod)
{
	LLVMValueRef fn;
	int			n = 0;

	cc_cg_forget_locs();
	for (fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
		n++;
	cc_cg_locs = cc_malloc(sizeof(cc_fn_loc) * (n + 1));
	for (fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
	{
		LLVMMetadataRef sp = LLVMIsDeclaration(fn) ? NULL : LLVMGetSubprogram(fn);
		cc_fn_loc  *l = &cc_cg_locs[cc_cg_nlocs];
		size_t		len;
		unsigned	flen;
		const char *name = LLVMGetValueName2(fn, &len);

		if (sp == NULL)
			continue;
		l->name = cc_cg_strndup(name, len);
		l->file = NULL;
		l->line = LLVMDISubprogramGetLine(sp);
		name = LLVMDIFileGetFilename(LLVMDIScopeGetFile(sp), &flen);
		len = flen;
		/*
		 * The input is compiled by its display name (relative); an
		 * absolute name is the sandbox libc's, a server path that never
		 * goes into a message.
		 */
		if (name != NULL && len > 0 && name[0] != '/')
			l->file = cc_cg_strndup(name, len);
		cc_cg_nlocs++;
	}
}

/* "FILE:LINE: error: " for function `name`, or "tmebox-cc: error: ". */
static void
cc_cg_error_head(const char *name)
{
	const cc_fn_loc *loc = NULL;

	for (int i = 0; i < cc_cg_nlocs; i++)
		if (strcmp(cc_cg_locs[i].name, name) == 0)
			loc = &cc_cg_locs[i];
	fflush(stdout);
	if (loc != NULL && loc->file != NULL && loc->line > 0)
		fprintf(stderr, "%s:%u: error: ", loc->file, loc->line);
	else
		fprintf(stderr, CC_PROGNAME ": error: ");
}

/* The C name of an IR function name (exports carry a prefix). */
static const char *
cc_cg_c_name(const char *name)
{
	size_t		n = strlen(TMEBOX_EXPORT_PREFIX);

	return strncmp(name, TMEBOX_EXPORT_PREFIX, n) == 0 ? name + n : name;
}

/* The stack-argument area after one more value of `size` (<= 16) bytes. */
static unsigned long long
cc_cg_slot(unsigned long long bytes, unsigned long long size)
{
	unsigned long long slot = size > 8 ? 16 : 8;

	return (bytes + slot - 1) / slot * slot + slot;
}

/*
 * Bytes of fn's parameters that the x86-64 SysV convention passes on the
 * stack: six integer and eight vector registers, then 8 bytes per
 * integer, pointer, float or double, 16 per 16-byte value; an aggregate
 * or a vector over 16 bytes counts its size (rounded to 8).
 */
static unsigned long long
cc_cg_stack_arg_bytes(LLVMTargetDataRef td, LLVMValueRef fn)
{
	LLVMTypeRef fty = LLVMGlobalGetValueType(fn);
	unsigned	n = LLVMCountParamTypes(fty);
	LLVMTypeRef *p = cc_malloc(sizeof(LLVMTypeRef) * (n + 1));
	unsigned	gpr = 6,
				sse = 8;
	unsigned long long bytes = 0;

	LLVMGetParamTypes(fty, p);
	for (unsigned i = 0; i < n; i++)
	{
		LLVMTypeKind k = LLVMGetTypeKind(p[i]);
		unsigned long long size = LLVMABISizeOfType(td, p[i]);

		if (k == LLVMIntegerTypeKind || k == LLVMPointerTypeKind)
		{
			unsigned	need = size > 8 ? 2 : 1;

			if (gpr >= need)
				gpr -= need;
			else
				bytes = cc_cg_slot(bytes, size);
		}
		else if ((k == LLVMFloatTypeKind || k == LLVMDoubleTypeKind || k == LLVMHalfTypeKind ||
				  k == LLVMVectorTypeKind) && size <= 16)
		{
			if (sse > 0)
				sse--;
			else
				bytes = cc_cg_slot(bytes, size);
		}
		else
			bytes += (size + 7) / 8 * 8;
	}
	free(p);
	return bytes;
}

/*
 * A function reads its stack arguments above its return address, and the
 * verifier allows loads there up to CC_MAX_STACK_ARGS bytes: a function
 * with more is an error naming it, its line and the count, rather than a
 * refusal of the machine code.  0 or -1 (messages).
 */
static int
cc_cg_check_stack_args(LLVMModuleRef mod)
{
	LLVMTargetDataRef td = LLVMGetModuleDataLayout(mod);
	LLVMValueRef fn;
	int			rc = 0;

	for (fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
	{
		unsigned long long bytes;
		size_t		len;
		const char *name;
		char	   *nm;

		if (LLVMIsDeclaration(fn) || (bytes = cc_cg_stack_arg_bytes(td, fn)) <= CC_MAX_STACK_ARGS)
			continue;
		name = LLVMGetValueName2(fn, &len);
		nm = cc_cg_strndup(name, len);
		cc_cg_error_head(nm);
		fprintf(stderr, "function '%s' has %u parameters, %llu bytes of which are passed on "
				"the stack; sandboxed code may pass at most %d (pass a struct by pointer "
				"instead)\n", cc_cg_c_name(nm), LLVMCountParams(fn), bytes, CC_MAX_STACK_ARGS);
		free(nm);
		rc = -1;
	}
	return rc;
}

/*
 * LLVM's stack-size diagnostic (the "warn-stack-size" attribute):
 *	"...stack frame size (N) exceeds limit (M) in function 'NAME'".
 * Reported as an error naming the function (its C name) and its line.
 * Returns false when `desc` is not that diagnostic.
 */
static bool
cc_cg_frame_diagnostic(const char *desc)
{
	const char *p = strstr(desc, "stack frame size (");
	const char *q;
	unsigned long long size;
	char	   *name;

	if (p == NULL || strstr(p, "exceeds limit (") == NULL ||
		(q = strstr(p, "in function '")) == NULL)
		return false;
	size = strtoull(p + strlen("stack frame size ("), NULL, 10);
	q += strlen("in function '");
	name = cc_cg_strndup(q, strcspn(q, "'"));
	cc_cg_error_head(name);
	fprintf(stderr, "function '%s' needs a native stack frame of %llu bytes, more than "
			"the %d bytes (60 KiB) sandboxed code may use (a very large vector "
			"value, or too many values live at once); keep large data in memory "
			"(arrays, malloc) instead\n", cc_cg_c_name(name), size, CC_MAX_NATIVE_FRAME);
	free(name);
	cc_cg_frame_errors++;
	return true;
}

static void
cc_cg_diagnostic(LLVMDiagnosticInfoRef di, void *arg)
{
	LLVMDiagnosticSeverity sev = LLVMGetDiagInfoSeverity(di);
	char	   *desc;

	(void) arg;
	if (sev == LLVMDSRemark || sev == LLVMDSNote)
		return;
	desc = LLVMGetDiagInfoDescription(di);
	if (sev == LLVMDSWarning && cc_cg_frame_diagnostic(desc))
		;
	else if (sev == LLVMDSError || cc_cg_verbose)
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

/* Does a parameter of fn carry a type attribute (byval...) of an unsized type? */
static bool
cc_cg_unsized_param(LLVMValueRef fn)
{
	static const char *const kinds[] = {"byval", "sret", "byref", "inalloca", "preallocated", NULL};
	unsigned	n = LLVMCountParams(fn);

	for (unsigned i = 0; i < n; i++)
		for (int k = 0; kinds[k]; k++)
		{
			unsigned	kind = LLVMGetEnumAttributeKindForName(kinds[k], strlen(kinds[k]));
			LLVMAttributeRef a = LLVMGetEnumAttributeAtIndex(fn, i + 1, kind);

			if (a != NULL && LLVMIsTypeAttribute(a) &&
				!LLVMTypeIsSized(LLVMGetTypeAttributeValue(a)))
				return true;
		}
	return false;
}

/*
 * Function declarations alone (a lazily read module: no body is read, and
 * nothing is verified): refuse what makes the module invalid before the
 * full read.  clang emits IR for __attribute__((interrupt)) with an
 * incomplete frame type that LLVM's verifier refuses (byval of an unsized
 * type), and the full read's debug-info upgrade verifies the module and
 * ends with a fatal error ("Broken module found") instead of a message.
 * (An interrupt handler with a complete type reads fine and is refused by
 * the IR checks with its source line.)  0, or -1 after a message.
 */
static int
cc_cg_precheck(LLVMContextRef ctx, LLVMMemoryBufferRef buf)
{
	LLVMMemoryBufferRef copy;
	LLVMModuleRef lazy = NULL;
	LLVMValueRef fn;
	int			rc = 0;

	copy = LLVMCreateMemoryBufferWithMemoryRangeCopy(LLVMGetBufferStart(buf),
													 LLVMGetBufferSize(buf), "input");
	/* the lazy module owns `copy` */
	if (LLVMGetBitcodeModuleInContext2(ctx, copy, &lazy) != 0 || lazy == NULL)
		return 0;				/* the full read reports it */
	for (fn = LLVMGetFirstFunction(lazy); fn; fn = LLVMGetNextFunction(fn))
		if (cc_cg_unsized_param(fn))
		{
			size_t		len;
			const char *name = LLVMGetValueName2(fn, &len);

			if (LLVMGetFunctionCallConv(fn) == LLVMX86INTRCallConv)
				cc_msg("error: function '%.*s' is an interrupt handler "
					   "(__attribute__((interrupt))), which is not allowed in sandboxed code",
					   (int) len, name);
			else
				cc_msg("error: function '%.*s' passes a parameter of incomplete type "
					   "in memory, which LLVM cannot compile", (int) len, name);
			rc = -1;
		}
	LLVMDisposeModule(lazy);
	return rc;
}

/*
 * Parse one bitcode file (`what` names it in messages: never a path, which
 * is a temporary or a server path).  0 or -1.
 */
static int
cc_cg_parse(LLVMContextRef ctx, const char *path, const char *what,
			LLVMModuleRef *out)
{
	LLVMMemoryBufferRef buf;
	char	   *err = NULL;
	LLVMBool	failed;

	if (LLVMCreateMemoryBufferWithContentsOfFile(path, &buf, &err))
	{
		cc_msg("error: cannot read %s", what);
		LLVMDisposeMessage(err);
		return -1;
	}
	if (cc_cg_precheck(ctx, buf) != 0)
	{
		LLVMDisposeMemoryBuffer(buf);
		return -1;
	}
	/* the non-lazy parser does not take ownership of the buffer */
	failed = LLVMParseBitcodeInContext2(ctx, buf, out);
	LLVMDisposeMemoryBuffer(buf);
	if (failed)
	{
		cc_msg("error: %s is not valid LLVM bitcode", what);
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
	if (cc_cg_parse(ctx, bc_path, "the front end's output", &mod) != 0)
		return -1;
	if (cc_cg_parse(ctx, libc_path, "the sandbox libc", &libc) != 0)
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
	/*
	 * The reader names the module after the file it read (the private
	 * directory's input.bc, a random path): name it after the source
	 * instead, so that nothing of the temp directory is in the module.
	 */
	{
		size_t		len;
		const char *src = LLVMGetSourceFileName(mod, &len);

		LLVMSetModuleIdentifier(mod, src, len);
	}
	/*
	 * LLVMLinkModules2 always consumes libc; its errors go to the handler
	 * ("Linking globals named 'puts': symbol multiply defined!").  The
	 * message names no path (the libc's is a server path).
	 */
	if (LLVMLinkModules2(mod, libc))
	{
		cc_msg("error: the program cannot be linked with the sandbox libc "
			   "(it defines a function or variable the libc defines too)");
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

static void
cc_cg_set_attr(LLVMContextRef ctx, LLVMValueRef fn, const char *k, const char *v)
{
	LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, k, strlen(k));
	if (v != NULL)
		LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
								LLVMCreateStringAttribute(ctx, k, strlen(k), v, strlen(v)));
}

/*
 * The native frame the verifier accepts (extension/verify rules 5 and 6):
 * a static depth of at most 60 KiB, %rsp changed only by push/pop and
 * constant adjustments, %rsp-relative operands only.  So: no frame
 * pointer; no stack realignment (force_align_arg_pointer is dropped: the
 * runtime and every call keep the ABI's 16-byte alignment anyway; an
 * over-aligned spill slot is accessed unaligned instead); no stack probes
 * (their loop moves %rsp through a register, and a frame of at most 60
 * KiB cannot skip the 64 KiB guard); and the frame-size limit, which
 * LLVM reports as a diagnostic (cc_cg_frame_diagnostic).  Every alloca is
 * already on the data stack (cc_instr_alloca.c), so nothing of variable
 * size is left on the native stack.
 */
static void
cc_cg_frame_attrs(LLVMContextRef ctx, LLVMValueRef fn, const char *limit)
{
	unsigned	kind = LLVMGetEnumAttributeKindForName("stackrealign", 12);

	cc_cg_set_attr(ctx, fn, "frame-pointer", "none");
	cc_cg_set_attr(ctx, fn, "probe-stack", NULL);
	cc_cg_set_attr(ctx, fn, "stack-probe-size", NULL);
	cc_cg_set_attr(ctx, fn, "stackrealign", NULL);
	if (kind != 0)
		LLVMRemoveEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex, kind);
	cc_cg_set_attr(ctx, fn, "no-realign-stack", "true");
	cc_cg_set_attr(ctx, fn, "warn-stack-size", limit);
}

int
cc_codegen_finish(LLVMModuleRef mod)
{
	char	   *err = NULL;
	LLVMContextRef ctx = LLVMGetModuleContext(mod);
	char		limit[16];
	LLVMValueRef fn;

	if (LLVMVerifyModule(mod, LLVMReturnStatusAction, &err))
	{
		cc_msg("internal error: the instrumented module is invalid: %s", err ? err : "");
		LLVMDisposeMessage(err);
		return -1;
	}
	LLVMDisposeMessage(err);
	snprintf(limit, sizeof(limit), "%d", CC_MAX_NATIVE_FRAME);
	for (fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
		if (!LLVMIsDeclaration(fn))
			cc_cg_frame_attrs(ctx, fn, limit);
	cc_cg_remember_locs(mod);
	if (cc_cg_check_stack_args(mod) != 0)
	{
		cc_cg_forget_locs();
		return -1;
	}
	LLVMStripModuleDebugInfo(mod);
	return 0;
}

int
cc_codegen_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod, LLVMMemoryBufferRef *obj)
{
	char		err[512];
	int			rc = 0;

	cc_cg_frame_errors = 0;
	if (cc_mcode_emit(tm, mod, obj, err, sizeof(err)) != 0)
	{
		/* a frame error also fails the emission; it was reported */
		if (cc_cg_frame_errors == 0)
			cc_msg("internal error: %s", err);
		rc = -1;
	}
	else if (cc_cg_frame_errors > 0)
	{
		LLVMDisposeMemoryBuffer(*obj);
		*obj = NULL;
		rc = -1;
	}
	cc_cg_forget_locs();
	return rc;
}
