/*-------------------------------------------------------------------------
 *
 * cc_main.c
 *		tmebox-cc command line: options, and the compile pipeline
 *		source -> clang (bitcode) -> libclang (signatures) -> link sandbox
 *		libc -> linker pragmas, static data bounds -> cc_sandbox_module (checks +
 *		instrumentation) -> codegen ->
 *		ld.lld -> machine-code check -> verifier (extension/verify, the
 *		security boundary) -> module file.
 *
 * Invariants kept here:
 *	- Exit status 0 only when the output file was written; 1 on any
 *	  compile or internal failure, 2 on a usage error, 3 (CC_EXIT_OOM) when
 *	  the memory limit was reached.  On failure no
 *	  output file is left behind (outputs are written to a temporary file
 *	  and renamed at the very end) and the private temp directory is
 *	  removed, also when SIGINT/SIGTERM/SIGHUP arrives, when LLVM reports
 *	  a fatal error, and on a fatal signal (abort, crash).
 *	- Every LLVM object created here is disposed of on every path.
 *	- The process itself runs under the memory limit (cc_limit_self, set
 *	  before the compile starts): running out of memory in LLVM, libclang,
 *	  a child or tmebox-cc's own code ends with exit status CC_EXIT_OOM
 *	  and one message, never with an abort.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_codegen.h"
#include "cc_frontend.h"
#include "cc_includes.h"
#include "cc_link.h"
#include "cc_mcode.h"
#include "cc_modfile.h"
#include "cc_oom.h"
#include "cc_pragma.h"
#include "cc_sandbox.h"
#include "cc_signature.h"
#include "cc_staticdata.h"
#include "cc_util.h"
#include "tmebox_abi.h"
#include "tvf.h"

#include <llvm-c/ErrorHandling.h>

#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CC_DEFAULT_SANDBOX_DIR
#error "CC_DEFAULT_SANDBOX_DIR must be defined by the Makefile"
#endif
#ifndef CC_DEFAULT_CLANG
#define CC_DEFAULT_CLANG "/usr/lib/llvm-19/bin/clang"
#endif
#ifndef CC_DEFAULT_LLD
#define CC_DEFAULT_LLD "/usr/lib/llvm-19/bin/ld.lld"
#endif
#define CC_VERSION "0.1"

#define CC_DEFAULT_TIMEOUT	30	/* seconds */
#define CC_DEFAULT_MEMORY	2048	/* MB */

/* The job is global so that the signal handler can clean up after it. */
static cc_job cc_the_job;

static void
cc_usage(FILE *f)
{
	fprintf(f,
			"usage: " CC_PROGNAME " [options] FILE.c|-\n"
			"       " CC_PROGNAME " --print-info MODULE\n"
			"Compile C11 source into a tmebox sandbox module.\n"
			"\n"
			"  -o OUT               output file (default: input base name with .tmbx,\n"
			"                       a.tmbx for stdin; .ll with --emit-llvm)\n"
			"  -I DIR               add DIR to the include path (its files become readable)\n"
			"  -D NAME[=VALUE]      define a macro\n"
			"  --sandbox-dir DIR    sandbox headers and libc (default %s)\n"
			"  --clang PATH         clang binary (default %s)\n"
			"  --lld PATH           ld.lld binary (default %s)\n"
			"  --timeout SEC        wall-clock limit of each clang/ld.lld run (default %d)\n"
			"  --memory-limit MB    memory limit of tmebox-cc's own work and of each\n"
			"                       clang/ld.lld run (default %d)\n"
			"  --prelude            pre-include stdint.h stddef.h stdbool.h string.h\n"
			"                       stdlib.h math.h stdio.h ctype.h limits.h tmebox.h\n"
			"                       (function bodies written in SQL)\n"
			"  --emit-llvm          write the instrumented LLVM IR (text) instead of a module\n"
			"  --print-info MODULE  validate MODULE and print its metadata\n"
			"  -v, --verbose        show the commands run\n"
			"  -h, --help           show this help\n"
			"  --version            show the version\n"
			"\n"
			"Exit status: 0 success, 1 compile error or failure, 2 usage error,\n"
			"3 out of memory (--memory-limit).\n",
			CC_DEFAULT_SANDBOX_DIR, CC_DEFAULT_CLANG, CC_DEFAULT_LLD,
			CC_DEFAULT_TIMEOUT, CC_DEFAULT_MEMORY);
}

/*
 * SIGINT/SIGTERM/SIGHUP: kill the running child's group and remove the temp
 * directory with async-signal-safe calls only (fixed file names).
 */
/* The compiler's own process (forked helpers inherit the handlers). */
static pid_t cc_main_pid;

static void
cc_cleanup_async(void)
{
	static const char *const files[] = {
		"overlay.yaml", "input.bc", "module.o", "module.so", NULL
	};
	cc_job	   *job = &cc_the_job;
	char		path[PATH_MAX];

	if (getpid() != cc_main_pid)
		return;					/* a forked helper: the parent cleans up */
	if (cc_child_pgid > 0)
		kill(-cc_child_pgid, SIGKILL);
	if (job->tmpdir != NULL)
	{
		for (int i = 0; files[i]; i++)
		{
			if ((size_t) snprintf(path, sizeof(path), "%s/%s", job->tmpdir, files[i]) < sizeof(path))
				unlink(path);
		}
		if (job->input_copy != NULL && job->srcdir != NULL)
		{
			size_t		n = strlen(job->srcdir);

			if (strlen(job->input_copy) < sizeof(path))
			{
				strcpy(path, job->input_copy);
				unlink(path);
				/* remove the directories leading to the copy, then src */
				for (char *s = strrchr(path, '/'); s != NULL && (size_t) (s - path) >= n;
					 s = strrchr(path, '/'))
				{
					*s = '\0';
					rmdir(path);
				}
			}
		}
		rmdir(job->tmpdir);
	}
}

/*
 * Fatal signals (LLVM's abort(), a crash) and SIGINT/SIGTERM/SIGHUP: clean
 * up, then die of the same signal.
 */
static void
cc_on_signal(int sig)
{
	cc_cleanup_async();
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * LLVM's report_fatal_error (e.g. "Broken module found" from the bitcode
 * reader's verifier on IR clang emitted for __attribute__((interrupt))):
 * a diagnostic and exit status 1, never an abort that leaves the
 * tenant's source behind.
 */
static void
cc_on_llvm_fatal(const char *reason)
{
	static const char head[] = CC_PROGNAME ": error: LLVM cannot compile this program: ";
	const char *tmp = cc_the_job.tmpdir;
	const char *p = reason;
	const char *hit;

	if (write(STDERR_FILENO, head, sizeof(head) - 1) < 0)
		p = "";
	/* the reason may name a file of the private directory: never its path */
	while (tmp != NULL && tmp[0] != '\0' && (hit = strstr(p, tmp)) != NULL)
	{
		if (write(STDERR_FILENO, p, (size_t) (hit - p)) < 0 ||
			write(STDERR_FILENO, "<tmp>", 5) < 0)
			break;
		p = hit + strlen(tmp);
	}
	if (write(STDERR_FILENO, p, strlen(p)) >= 0)
		(void) !write(STDERR_FILENO, "\n", 1);
	cc_cleanup_async();
	_exit(1);
}

static void
cc_install_signals(void)
{
	struct sigaction sa;

	cc_main_pid = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cc_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	LLVMInstallFatalErrorHandler(cc_on_llvm_fatal);
}

/* Parse a positive decimal option value within [1, max]. */
static int
cc_parse_uint(const char *opt, const char *s, unsigned max, unsigned *out)
{
	char	   *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s < '0' || *s > '9' || *end != '\0' || v < 1 || v > max)
	{
		cc_msg("error: %s must be an integer between 1 and %u", opt, max);
		return -1;
	}
	*out = (unsigned) v;
	return 0;
}

/* -D NAME[=VALUE]: NAME must be an identifier. */
static bool
cc_define_ok(const char *d)
{
	const char *p = d;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		   (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	return *p == '\0' || *p == '=';
}

/* The default output: input base name with its .c replaced by `ext`. */
static char *
cc_default_output(const char *input, const char *ext)
{
	char	   *tmp;
	char	   *base;
	char	   *dot;
	char	   *res;

	if (strcmp(input, "-") == 0)
		return cc_asprintf("a%s", ext);
	tmp = cc_strdup(input);
	base = basename(tmp);
	dot = strrchr(base, '.');
	if (dot != NULL && strcmp(dot, ".c") == 0)
		*dot = '\0';
	res = cc_asprintf("%s%s", base[0] && strcmp(base, ".") && strcmp(base, "..") ? base : "a", ext);
	free(tmp);
	return res;
}

/* An absolute program path (execv needs one: the child's cwd differs). */
static char *
cc_program_path(const char *opt, const char *p)
{
	char	   *r;
	char	   *cwd;

	/*
	 * Not realpath(): ld.lld is a symlink to a multi-call binary that
	 * dispatches on its argv[0].
	 */
	if (p[0] == '/')
		r = cc_strdup(p);
	else if ((cwd = getcwd(NULL, 0)) != NULL)
	{
		r = cc_asprintf("%s/%s", cwd, p);
		free(cwd);
	}
	else
		r = NULL;
	if (r == NULL || access(r, X_OK) != 0)
	{
		cc_msg("error: %s \"%s\" is not an executable file", opt, p);
		free(r);
		return NULL;
	}
	return r;
}

typedef struct cc_report_state
{
	const cc_job *job;
	int			count;
} cc_report_state;

/* cc_report_fn: print one rejection as FILE:LINE: error: MESSAGE. */
static void
cc_report(void *arg, const char *file, unsigned line, const char *message)
{
	cc_report_state *st = arg;
	const char *srcdir = st->job->srcdir;
	size_t		n = strlen(srcdir);

	st->count++;
	/* show the input by its display name, never the private copy */
	if (file != NULL && strncmp(file, srcdir, n) == 0 && file[n] == '/')
		file += n + 1;
	fflush(stdout);
	if (file != NULL && line > 0)
		fprintf(stderr, "%s:%u: error: %s\n", file, line, message);
	else if (file != NULL)
		fprintf(stderr, "%s: error: %s\n", file, message);
	else
		fprintf(stderr, CC_PROGNAME ": error: %s\n", message);
}

/* The LLVM half: load, link libc, sandbox, verify, emit, link, write. */
static int
cc_compile_llvm(cc_job *job, const char *bc_path, cc_sigs *sigs,
				const char *output, bool emit_llvm)
{
	LLVMContextRef ctx = cc_codegen_context(job->verbose);
	LLVMTargetMachineRef tm = cc_codegen_target_machine();
	LLVMModuleRef mod = NULL;
	LLVMMemoryBufferRef obj = NULL;
	char	   *libc = cc_asprintf("%s/lib/libc.bc", job->sandbox_dir);
	const char **exports = cc_malloc(sizeof(char *) * (sigs->n + 1));
	int			nexports = 0;
	cc_report_state rs = {.job = job,.count = 0};
	int			rc = -1;

	if (tm == NULL || cc_codegen_load(ctx, bc_path, libc, &mod) != 0)
		goto done;

	for (int i = 0; i < sigs->n; i++)
	{
		if (!sigs->v[i].exported)
			continue;
		if (!cc_codegen_has_definition(mod, sigs->v[i].name))
			cc_signature_skip(&sigs->v[i],
							  "it has no external definition (C99 inline without extern)");
		else
			exports[nexports++] = sigs->v[i].name;
	}
	exports[nexports] = NULL;

	if (cc_pragma_check(job, mod, cc_report, &rs) != 0 ||
		cc_staticdata_check(mod, LLVMGetModuleDataLayout(mod), sigs, job->display,
							cc_report, &rs) != 0)
		goto done;
	if (cc_sandbox_module(mod, tm, exports, nexports, cc_report, &rs) != 0 || rs.count > 0)
	{
		if (rs.count == 0)
			cc_msg("error: the module cannot be sandboxed");
		goto done;
	}
	if (cc_codegen_finish(mod) != 0)
		goto done;

	if (emit_llvm)
	{
		char	   *ir = LLVMPrintModuleToString(mod);

		rc = cc_write_replace(output, ir, strlen(ir));
		LLVMDisposeMessage(ir);
	}
	else if (cc_codegen_emit(tm, mod, &obj) == 0)
	{
		cc_buf		so;
		cc_buf		meta;
		char		err[512];

		if (cc_link_shared(job, LLVMGetBufferStart(obj), LLVMGetBufferSize(obj), &so) != 0)
			;					/* message printed */
		else if (cc_mcode_check((const uint8_t *) so.data, so.len, err, sizeof(err)) != 0)
		{
			/* the linker added code the object did not have */
			cc_msg("internal error: %s", err);
			cc_buf_free(&so);
		}
		else if (tvf_verify_object((const uint8_t *) so.data, so.len, err, sizeof(err)) != 0)
		{
			/*
			 * The boundary (extension/verify): the object is refused
			 * whatever the passes above accepted.  The message names an
			 * address and an instruction, never a path.
			 */
			cc_msg("error: the module's machine code fails verification: %s", err);
			cc_buf_free(&so);
		}
		else
		{
			cc_buf_init(&meta);
			cc_modfile_metadata(sigs, &meta);
			rc = cc_modfile_write(output, &meta, so.data, so.len);
			cc_buf_free(&meta);
			cc_buf_free(&so);
		}
	}

done:
	if (obj != NULL)
		LLVMDisposeMemoryBuffer(obj);
	if (mod != NULL)
		LLVMDisposeModule(mod);
	if (tm != NULL)
		LLVMDisposeTargetMachine(tm);
	LLVMContextDispose(ctx);
	free(exports);
	free(libc);
	return rc;
}

/* The whole compile of `input` into `output`.  0 or -1. */
static int
cc_compile(cc_job *job, const char *input, const char *output, bool emit_llvm)
{
	cc_buf		source;
	char	   *bc_path = NULL;
	cc_sigs		sigs = {0};
	int			rc = -1;
	int			fe;

	if (cc_read_file(input, CC_MAX_SOURCE, &source) != 0)
		return -1;
	if (cc_frontend_prepare(job, input, &source) != 0)
		goto done;
	fe = cc_frontend_run(job, &bc_path);
	if (fe != 0)
		goto done;				/* clang's diagnostics are on stderr */
	if (cc_signature_collect(job, &sigs) != 0)
		goto done;
	rc = cc_compile_llvm(job, bc_path, &sigs, output, emit_llvm);

done:
	cc_signature_free(&sigs);
	free(bc_path);
	cc_buf_free(&source);
	{
		sigset_t	all;
		sigset_t	old;

		/* the signal handler reads the job: no signal while it is freed */
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, &old);
		cc_frontend_cleanup(job);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	enum
	{
		OPT_SANDBOX = 256, OPT_CLANG, OPT_LLD, OPT_TIMEOUT, OPT_MEMORY,
		OPT_PRELUDE, OPT_EMIT_LLVM, OPT_PRINT_INFO, OPT_VERSION
	};
	static const struct option longopts[] = {
		{"sandbox-dir", required_argument, NULL, OPT_SANDBOX},
		{"clang", required_argument, NULL, OPT_CLANG},
		{"lld", required_argument, NULL, OPT_LLD},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"memory-limit", required_argument, NULL, OPT_MEMORY},
		{"prelude", no_argument, NULL, OPT_PRELUDE},
		{"emit-llvm", no_argument, NULL, OPT_EMIT_LLVM},
		{"print-info", required_argument, NULL, OPT_PRINT_INFO},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0}
	};
	cc_job	   *job = &cc_the_job;
	const char *output = NULL;
	const char *sandbox = CC_DEFAULT_SANDBOX_DIR;
	const char *clang = CC_DEFAULT_CLANG;
	const char *lld = CC_DEFAULT_LLD;
	const char *print_info = NULL;
	bool		emit_llvm = false;
	char	   *out = NULL;
	int			c;
	int			rc;

	job->limits.timeout_sec = CC_DEFAULT_TIMEOUT;
	job->limits.memory_mb = CC_DEFAULT_MEMORY;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:I:D:vh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'o':
				output = optarg;
				break;
			case 'I':
				{
					char	   *d = cc_includes_resolve_dir(optarg);

					if (d == NULL)
						return 2;
					cc_strv_push(&job->incdirs, d);
					free(d);
				}
				break;
			case 'D':
				if (!cc_define_ok(optarg))
				{
					cc_msg("error: -D needs NAME or NAME=VALUE, got \"%s\"", optarg);
					return 2;
				}
				cc_strv_push(&job->defines, optarg);
				break;
			case 'v':
				job->verbose = true;
				break;
			case 'h':
				cc_usage(stdout);
				return 0;
			case OPT_VERSION:
				printf(CC_PROGNAME " %s (tmebox ABI %d, LLVM 19)\n", CC_VERSION, TMEBOX_ABI_VERSION);
				return 0;
			case OPT_SANDBOX:
				sandbox = optarg;
				break;
			case OPT_CLANG:
				clang = optarg;
				break;
			case OPT_LLD:
				lld = optarg;
				break;
			case OPT_TIMEOUT:
				if (cc_parse_uint("--timeout", optarg, 3600, &job->limits.timeout_sec) != 0)
					return 2;
				break;
			case OPT_MEMORY:
				if (cc_parse_uint("--memory-limit", optarg, 1u << 20, &job->limits.memory_mb) != 0)
					return 2;
				break;
			case OPT_PRELUDE:
				job->prelude = true;
				break;
			case OPT_EMIT_LLVM:
				emit_llvm = true;
				break;
			case OPT_PRINT_INFO:
				print_info = optarg;
				break;
			case ':':
				cc_msg("error: option '%s' needs an argument", argv[optind - 1]);
				cc_usage(stderr);
				return 2;
			default:
				cc_msg("error: unknown option '%s'", argv[optind - 1]);
				cc_usage(stderr);
				return 2;
		}
	}
	if (print_info != NULL)
	{
		if (optind != argc)
		{
			cc_msg("error: --print-info takes no input file");
			return 2;
		}
		return cc_modfile_print_info(print_info, job->verbose) == 0 ? 0 : 1;
	}
	if (optind != argc - 1)
	{
		cc_msg("error: %s", optind == argc ? "no input file" : "more than one input file");
		cc_usage(stderr);
		return 2;
	}

	job->sandbox_dir = cc_includes_resolve_dir(sandbox);
	job->clang_path = cc_program_path("--clang", clang);
	job->lld_path = cc_program_path("--lld", lld);
	if (job->sandbox_dir == NULL || job->clang_path == NULL || job->lld_path == NULL)
		return 2;
	out = output ? cc_strdup(output) : cc_default_output(argv[optind], emit_llvm ? ".ll" : ".tmbx");

	cc_install_signals();
	cc_fatal_cleanup = cc_cleanup_async;
	cc_oom_install();
	if (cc_limit_self(&job->limits) != 0)
		return 1;
	rc = cc_compile(job, argv[optind], out, emit_llvm);

	free(out);
	free(job->sandbox_dir);
	free(job->clang_path);
	free(job->lld_path);
	cc_strv_free(&job->incdirs);
	cc_strv_free(&job->defines);
	return rc == 0 ? 0 : 1;
}
