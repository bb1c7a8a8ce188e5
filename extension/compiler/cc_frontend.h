/*-------------------------------------------------------------------------
 *
 * cc_frontend.h
 *		The compile job and the clang front end: private temp directory,
 *		input copy, include overlay, the one list of flags used by every
 *		clang and libclang run, and C source -> LLVM bitcode.
 *
 * Invariants kept here:
 *	- clang only ever sees the private copy of the input (under
 *	  tmpdir/src, its cwd), -nostdinc, the sandbox include directory, the
 *	  canonical -I directories and the overlay from cc_includes.
 *	- cc_frontend_flags() is the single source of the language flags, so
 *	  the signatures (libclang) describe exactly the code that is compiled.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_FRONTEND_H
#define CC_FRONTEND_H

#include "cc_util.h"

#define CC_TARGET_TRIPLE	"x86_64-unknown-linux-gnu"
#define CC_TARGET_CPU		"x86-64-v2"
/* The feature string clang gives every function for CC_TARGET_CPU; a
 * function with any other was compiled with __attribute__((target)). */
#define CC_TARGET_FEATURES	"+cmov,+crc32,+cx16,+cx8,+fxsr,+mmx,+popcnt,+sahf,+sse,+sse2,+sse3,+sse4.1,+sse4.2,+ssse3,+x87"
/* Largest source file accepted (bytes). */
#define CC_MAX_SOURCE		(16u << 20)

typedef struct cc_job
{
	/* from the command line */
	char	   *sandbox_dir;	/* canonical */
	char	   *clang_path;
	char	   *lld_path;
	cc_strv		incdirs;		/* canonical -I directories */
	cc_strv		defines;		/* NAME or NAME=VALUE */
	bool		prelude;
	bool		verbose;
	cc_limits	limits;

	/* set by cc_frontend_prepare() */
	char	   *tmpdir;			/* private, mode 0700, removed at exit */
	char	   *srcdir;			/* tmpdir/src, the cwd of every clang run */
	char	   *display;		/* input name relative to srcdir, as shown */
	char	   *input_copy;		/* srcdir/display */
	char	   *overlay;		/* tmpdir/overlay.yaml */
	char	   *sandbox_include;	/* sandbox_dir/include */
} cc_job;

/*
 * Create the temp directory, copy `source` there under the display name
 * derived from `input_arg` ("-" = stdin) and write the overlay.
 * 0 or -1 (message printed).
 */
extern int	cc_frontend_prepare(cc_job *job, const char *input_arg, const cc_buf *source);

/* Append the language, target, include and overlay flags to `out`. */
extern void cc_frontend_flags(const cc_job *job, cc_strv *out);

/*
 * Compile the input to bitcode at tmpdir/input.bc (returned in *bc_path,
 * malloc'd).  Returns 0; 1 when clang reported errors (its diagnostics
 * are on stderr); -1 on any other failure (message printed).
 */
extern int	cc_frontend_run(const cc_job *job, char **bc_path);

/* Remove the temp directory and free what cc_frontend_prepare set. */
extern void cc_frontend_cleanup(cc_job *job);

#endif							/* CC_FRONTEND_H */
