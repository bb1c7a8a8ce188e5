/*-------------------------------------------------------------------------
 *
 * cc_util.h
 *		Small helpers shared by every part of tmebox-cc: messages, memory,
 *		a growable string buffer, the private temporary directory and the
 *		runner that starts a child (clang, ld.lld or a forked helper) under
 *		resource limits and a wall-clock timeout.
 *
 * Invariants kept here:
 *	- Every child runs in its own process group, with cwd set by the
 *	  caller, stdin from /dev/null, no inherited descriptor beyond 0-2 (and
 *	  the capture pipe), a minimal environment (PATH, LANG=C) and the limits
 *	  of cc_limits; when the timeout expires the whole group is killed.
 *	- Allocation failure ends the program with a message (never a NULL
 *	  dereference).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_UTIL_H
#define CC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CC_PROGNAME "tmebox-cc"

/*
 * Exit status when the compilation ran out of memory (the process's own
 * RLIMIT_AS, see cc_limit_self, or a child's): told apart from a compile
 * error (1) and a usage error (2) so that the caller can say which limit
 * to raise.
 */
#define CC_EXIT_OOM 3

/* Print "tmebox-cc: MESSAGE\n" on stderr. */
extern void cc_msg(const char *fmt,...) __attribute__((format(printf, 1, 2)));

extern void *cc_malloc(size_t n);
extern void *cc_realloc(void *p, size_t n);
extern char *cc_strdup(const char *s);
extern char *cc_asprintf(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/* A growable byte string, always NUL-terminated after `len` bytes. */
typedef struct cc_buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} cc_buf;

extern void cc_buf_init(cc_buf *b);
extern void cc_buf_free(cc_buf *b);
extern void cc_buf_append(cc_buf *b, const void *p, size_t n);
extern void cc_buf_puts(cc_buf *b, const char *s);
extern void cc_buf_printf(cc_buf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* Replace every occurrence of `from` (non-empty) in `b` by `to`. */
extern void cc_buf_replace(cc_buf *b, const char *from, const char *to);

/* A growable array of owned strings. */
typedef struct cc_strv
{
	char	  **v;
	int			n;
	int			cap;
} cc_strv;

extern void cc_strv_push(cc_strv *sv, const char *s);
extern void cc_strv_free(cc_strv *sv);

/*
 * Read a whole file (or stdin when path is "-") into *out; at most `limit`
 * bytes.  Returns 0, or -1 after printing a message.
 */
extern int	cc_read_file(const char *path, size_t limit, cc_buf *out);

/* Write `n` bytes to a new file `path` (mode 0600).  0 or -1 (message). */
extern int	cc_write_file(const char *path, const void *p, size_t n);

/*
 * Replace `path` atomically with `n` bytes: write a new temporary file in
 * the same directory and rename it over `path`.  On failure nothing is
 * left behind.  Mode 0666 & ~umask.  0 or -1 (message).
 */
extern int	cc_write_replace(const char *path, const void *p, size_t n);

/*
 * Create a private directory (mode 0700) under $TMPDIR or /tmp; returns its
 * malloc'd absolute path or NULL (message printed).
 */
extern char *cc_tmpdir_create(void);

/* Remove a directory tree without following symlinks. */
extern void cc_tmpdir_remove(const char *path);

/* Resource limits of a child process. */
typedef struct cc_limits
{
	unsigned	timeout_sec;	/* wall clock, enforced by the parent */
	unsigned	memory_mb;		/* RLIMIT_AS beyond the mapped toolchain */
} cc_limits;

/* Body of a forked helper child; its return value is the exit status. */
typedef int (*cc_child_fn) (void *arg);

/*
 * Run a child and wait for it.  Exactly one of argv (an absolute program
 * path in argv[0], exec'd) and fn (called in a forked child) is non-NULL.
 * `what` names the child in messages ("clang").  When `capture` is not NULL
 * the child's stdout and stderr both go into it (so nothing the child says
 * reaches the user unfiltered), else both are inherited.
 *
 * Returns the child's exit status (0..255), or -1 after printing a message
 * when it could not be started, was killed by a signal, or timed out.
 */
extern int	cc_run(const char *const *argv, cc_child_fn fn, void *arg,
				   const char *what, const char *cwd, const cc_limits *lim,
				   cc_buf *capture, bool verbose);

/*
 * Address space a toolchain program maps before doing any work (clang 19
 * with libclang-cpp and libLLVM needs about 255 MB to start, ld.lld less):
 * a child that execs gets RLIMIT_AS = memory limit + this, so that the
 * memory limit bounds its work as it bounds tmebox-cc's own.
 */
#define CC_TOOL_AS_MB 320

/*
 * Apply the limits to tmebox-cc itself (early in main, before any large
 * allocation): RLIMIT_AS = the address space mapped so far (the program
 * and its shared libraries, LLVM and libclang: about 230 MB) plus
 * memory_mb, so that the in-process LLVM work (passes, code generation,
 * the verifier) may use memory_mb like each child; RLIMIT_FSIZE =
 * memory_mb (SIGXFSZ ignored: a write fails with EFBIG instead).  Children
 * that exec get memory_mb + CC_TOOL_AS_MB (cc_run); forked helpers keep
 * this limit.  0 or -1 (message printed).
 */
extern int	cc_limit_self(const cc_limits *lim);

/*
 * Running out of memory anywhere: print "tmebox-cc: error: WHAT ran out of
 * memory (the memory limit is N MB)", run the cleanup hook and exit with
 * CC_EXIT_OOM.  Async-signal-safe and allocation-free (it runs inside a
 * failed allocation).  In a forked helper it only exits: its parent
 * reports.  The limit shown is the one given to cc_limit_self.
 */
extern void cc_out_of_memory(const char *what) __attribute__((noreturn));

/* Set by main: removes the private temp directory, async-signal-safe. */
extern void (*cc_fatal_cleanup) (void);

/* Process group of the child cc_run is waiting for, 0 when none (read by
 * signal handlers to kill it). */
extern volatile pid_t cc_child_pgid;

#endif							/* CC_UTIL_H */
