/*-------------------------------------------------------------------------
 *
 * cc_sandbox_test_main.c
 *		cc-sandbox-test: test driver for the sandboxing half of tmebox-cc.
 *		Reads LLVM IR text, runs cc_sandbox_module() on it with the same
 *		target machine tmebox-cc uses and writes the instrumented IR.
 *
 *		cc-sandbox-test IN.ll -o OUT.ll [--export NAME]...
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
	fprintf(f, "usage: %s IN.ll -o OUT.ll [--export NAME]...\n"
			"  -o FILE        write the instrumented IR to FILE\n"
			"  --export NAME  export function NAME (repeatable)\n"
			"  --help         show this help\n", progname);
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

int
main(int argc, char **argv)
{
	const char *in = NULL,
			   *out = NULL;
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
		else if (strcmp(argv[i], "--export") == 0 && i + 1 < argc)
			exports[nexports++] = argv[++i];
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
	if (in == NULL || out == NULL)
	{
		usage(stderr);
		return 2;
	}

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
	LLVMDisposeModule(mod);
	LLVMDisposeTargetMachine(tm);
	LLVMContextDispose(ctx);
	free(exports);
	return nerr ? 1 : 0;
}
