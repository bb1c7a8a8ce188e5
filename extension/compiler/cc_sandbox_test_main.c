/*-------------------------------------------------------------------------
 *
 * cc_sandbox_test_main.c
 *		cc-sandbox-test: test driver for the sandboxing half of tmebox-cc.
 *		Reads LLVM IR text, runs cc_sandbox_module() on it with the same
 *		target machine tmebox-cc uses and writes the instrumented IR.
 *
 *		cc-sandbox-test IN.ll -o OUT.ll [--obj OUT.o] [--export NAME]...
 *		cc-sandbox-test --addr32 IN.s -o OUT.s
 *		cc-sandbox-test --check-object FILE.o
 *
 *		--obj also writes the machine code as tmebox-cc makes it
 *		(cc_mcode_emit: 32-bit address size on %gs operands, then the
 *		machine-code check).  --addr32 runs only the assembly rewrite,
 *		--check-object only the machine-code check (exit 1 and the reason
 *		on stderr when it refuses the object).
 *
 *		Each rejection is printed as "FILE:LINE: error: MSG" on stderr
 *		("cc-sandbox-test: error: MSG" without a location); the exit status
 *		is 1 when there was any, and then no output file is written.
 *
 * Invariants kept:
 *	- Same target as the driver: x86_64-unknown-linux-gnu, x86-64-v2, PIC.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_mcode.h"
#include "cc_sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/IRReader.h>
#include <llvm-c/Target.h>

static const char *progname = "cc-sandbox-test";

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s IN.ll -o OUT.ll [--obj OUT.o] [--export NAME]...\n"
			"       %s --addr32 IN.s -o OUT.s\n"
			"       %s --check-object FILE.o\n"
			"  -o FILE        write the instrumented IR to FILE\n"
			"  --obj FILE     also write the object file tmebox-cc would emit\n"
			"  --export NAME  export function NAME (repeatable)\n"
			"  --addr32       rewrite %%gs operands of assembly IN.s to OUT.s\n"
			"  --check-object run the machine-code check on FILE.o\n"
			"  --help         show this help\n", progname, progname, progname);
}

static void
report(void *arg, const char *file, unsigned line, const char *message)
{
	(void) arg;
	if (file)
		fprintf(stderr, "%s:%u: error: %s\n", file, line, message);
	else
		fprintf(stderr, "%s: error: %s\n", progname, message);
}

static int
write_file(const char *path, const void *p, size_t n)
{
	FILE	   *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
	{
		fprintf(stderr, "%s: could not write \"%s\"\n", progname, path);
		return 1;
	}
	return 0;
}

/* --addr32 and --check-object: one file in, no instrumentation. */
static int
file_mode(int mode, const char *in, const char *out)
{
	LLVMMemoryBufferRef buf;
	char	   *msg = NULL;
	char		err[512] = "";
	int			rc;

	if (LLVMCreateMemoryBufferWithContentsOfFile(in, &buf, &msg))
	{
		fprintf(stderr, "%s: could not read \"%s\": %s\n", progname, in, msg);
		return 1;
	}
	if (mode == 1)
	{
		char	   *text = cc_mcode_addr32(LLVMGetBufferStart(buf), LLVMGetBufferSize(buf),
										   err, sizeof(err));

		rc = text ? write_file(out, text, strlen(text)) : 1;
		free(text);
	}
	else
		rc = cc_mcode_check((const uint8_t *) LLVMGetBufferStart(buf), LLVMGetBufferSize(buf),
							err, sizeof(err)) != 0;
	if (rc != 0 && err[0])
		fprintf(stderr, "%s: error: %s\n", progname, err);
	LLVMDisposeMemoryBuffer(buf);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *in = NULL,
			   *out = NULL,
			   *obj = NULL;
	int			mode = 0;		/* 0 instrument, 1 --addr32, 2 --check-object */
	const char **exports = calloc(argc, sizeof(char *));
	int			nexports = 0,
				i,
				nerr;
	LLVMContextRef ctx;
	LLVMMemoryBufferRef buf;
	LLVMModuleRef mod;
	LLVMTargetRef target;
	LLVMTargetMachineRef tm;
	char	   *msg = NULL;

	for (i = 1; i < argc; i++)
	{
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--obj") == 0 && i + 1 < argc)
			obj = argv[++i];
		else if (strcmp(argv[i], "--export") == 0 && i + 1 < argc)
			exports[nexports++] = argv[++i];
		else if (strcmp(argv[i], "--addr32") == 0)
			mode = 1;
		else if (strcmp(argv[i], "--check-object") == 0)
			mode = 2;
		else if (strcmp(argv[i], "--help") == 0)
		{
			usage(stdout);
			return 0;
		}
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
		{
			usage(stderr);
			return 2;
		}
		else if (in == NULL)
			in = argv[i];
		else
		{
			usage(stderr);
			return 2;
		}
	}
	if (in == NULL || (out == NULL && mode != 2))
	{
		usage(stderr);
		return 2;
	}
	if (mode != 0)
		return file_mode(mode, in, out);

	LLVMInitializeX86TargetInfo();
	LLVMInitializeX86Target();
	LLVMInitializeX86TargetMC();
	LLVMInitializeX86AsmPrinter();

	ctx = LLVMContextCreate();
	if (LLVMCreateMemoryBufferWithContentsOfFile(in, &buf, &msg))
	{
		fprintf(stderr, "%s: could not read \"%s\": %s\n", progname, in, msg);
		return 1;
	}
	if (LLVMParseIRInContext(ctx, buf, &mod, &msg))
	{
		fprintf(stderr, "%s: could not parse \"%s\": %s\n", progname, in, msg);
		return 1;
	}
	if (LLVMGetTargetFromTriple("x86_64-unknown-linux-gnu", &target, &msg))
	{
		fprintf(stderr, "%s: %s\n", progname, msg);
		return 1;
	}
	tm = LLVMCreateTargetMachine(target, "x86_64-unknown-linux-gnu", "x86-64-v2", "",
								 LLVMCodeGenLevelDefault, LLVMRelocPIC, LLVMCodeModelDefault);

	nerr = cc_sandbox_module(mod, tm, exports, nexports, report, NULL);
	if (nerr == 0 && LLVMPrintModuleToFile(mod, out, &msg))
	{
		fprintf(stderr, "%s: could not write \"%s\": %s\n", progname, out, msg);
		nerr = 1;
	}
	if (nerr == 0 && obj != NULL)
	{
		LLVMMemoryBufferRef o;
		char		err[512];

		if (cc_mcode_emit(tm, mod, &o, err, sizeof(err)) != 0)
		{
			fprintf(stderr, "%s: error: %s\n", progname, err);
			nerr = 1;
		}
		else
		{
			nerr = write_file(obj, LLVMGetBufferStart(o), LLVMGetBufferSize(o));
			LLVMDisposeMemoryBuffer(o);
		}
	}
	LLVMDisposeModule(mod);
	LLVMDisposeTargetMachine(tm);
	LLVMContextDispose(ctx);
	free(exports);
	return nerr ? 1 : 0;
}
