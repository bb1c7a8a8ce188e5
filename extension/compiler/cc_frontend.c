/*-------------------------------------------------------------------------
 *
 * cc_frontend.c
 *		Runs clang (C11 -> LLVM bitcode) inside the file-access policy and
 *		the resource limits.
 *
 * Invariants kept here:
 *	- The display name is relative and free of "." and ".." components, so
 *	  srcdir/display stays inside srcdir; any other spelling falls back to
 *	  the base name.
 *	- clang gets --no-default-config (no configuration file can add
 *	  flags), -nostdinc, the overlay, and runs through cc_run() (minimal
 *	  environment, limits, timeout, cwd = srcdir).
 *	- On every path the caller removes tmpdir through cc_frontend_cleanup.
 *	- What clang prints reaches the user only through cc_fe_forward: the
 *	  private directory, the sandbox directory and a crash report (stack
 *	  dump with the command line, reproducer notes) never do, and clang
 *	  writes no reproducer files (-fno-crash-diagnostics).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_frontend.h"
#include "cc_includes.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Headers pre-included by --prelude (function bodies written in SQL). */
static const char *const cc_prelude_headers[] = {
	"stdint.h", "stddef.h", "stdbool.h", "string.h", "stdlib.h", "math.h",
	"stdio.h", "ctype.h", "limits.h", "tmebox.h", NULL
};

/* True when `p` is relative and every component is an ordinary name. */
static bool
cc_fe_plain_relative(const char *p)
{
	const char *c = p;

	if (*p == '\0' || *p == '/')
		return false;
	while (*c)
	{
		const char *e = strchrnul(c, '/');
		size_t		n = (size_t) (e - c);

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c = *e ? e + 1 : e;
		if (*e && *c == '\0')
			return false;		/* trailing slash */
	}
	return true;
}

static char *
cc_fe_display_name(const char *input_arg)
{
	char	   *tmp;
	char	   *base;
	char	   *res;

	if (strcmp(input_arg, "-") == 0)
		return cc_strdup("<stdin>");
	if (cc_fe_plain_relative(input_arg))
		return cc_strdup(input_arg);
	tmp = cc_strdup(input_arg);
	base = basename(tmp);
	res = cc_fe_plain_relative(base) ? cc_strdup(base) : cc_strdup("input.c");
	free(tmp);
	return res;
}

/* mkdir -p for the directories of `path` below `root` (both absolute). */
static int
cc_fe_mkparents(const char *root, const char *path)
{
	char	   *p = cc_strdup(path);
	int			rc = 0;

	for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++)
	{
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
		{
			cc_msg("error: cannot create \"%s\": %s", p, strerror(errno));
			rc = -1;
			break;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

int
cc_frontend_prepare(cc_job *job, const char *input_arg, const cc_buf *source)
{
	cc_strv		alldirs = {0};
	int			n;

	job->tmpdir = cc_tmpdir_create();
	if (job->tmpdir == NULL)
		return -1;
	job->srcdir = cc_asprintf("%s/src", job->tmpdir);
	if (mkdir(job->srcdir, 0700) != 0)
	{
		cc_msg("error: cannot create \"%s\": %s", job->srcdir, strerror(errno));
		return -1;
	}
	job->display = cc_fe_display_name(input_arg);
	job->input_copy = cc_asprintf("%s/%s", job->srcdir, job->display);
	if (cc_fe_mkparents(job->srcdir, job->input_copy) != 0 ||
		cc_write_file(job->input_copy, source->data, source->len) != 0)
		return -1;

	{
		char	   *inc = cc_asprintf("%s/include", job->sandbox_dir);

		job->sandbox_include = cc_includes_resolve_dir(inc);
		free(inc);
		if (job->sandbox_include == NULL)
			return -1;
	}
	job->overlay = cc_asprintf("%s/overlay.yaml", job->tmpdir);
	cc_strv_push(&alldirs, job->sandbox_include);
	for (int i = 0; i < job->incdirs.n; i++)
		cc_strv_push(&alldirs, job->incdirs.v[i]);
	n = cc_includes_write_overlay(job->overlay, job->input_copy,
								  (const char *const *) alldirs.v, alldirs.n);
	cc_strv_free(&alldirs);
	if (n < 0)
		return -1;
	if (job->verbose)
		cc_msg("overlay %s lists %d files", job->overlay, n);
	return 0;
}

void
cc_frontend_flags(const cc_job *job, cc_strv *out)
{
	static const char *const lang[] = {
		"--no-default-config", "-x", "c", "-std=c11",
		"--target=" CC_TARGET_TRIPLE, "-march=" CC_TARGET_CPU,
		"-O2", "-Xclang", "-disable-llvm-optzns", "-gline-tables-only",
		"-fno-stack-protector", "-fno-exceptions",
		"-fno-unwind-tables", "-fno-asynchronous-unwind-tables",
		"-fno-common", "-ffp-contract=off", "-nostdinc",
		"-fno-crash-diagnostics", NULL
	};

	for (int i = 0; lang[i]; i++)
		cc_strv_push(out, lang[i]);
	/*
	 * The driver's toolchain discovery (GCC installations, crt files,
	 * library directories) probes below the sysroot: point it at the
	 * private source directory so that it looks at nothing else.
	 */
	{
		char	   *sysroot = cc_asprintf("--sysroot=%s", job->srcdir);

		cc_strv_push(out, sysroot);
		free(sysroot);
		/* libclang also probes next to its (unknown) binary without this */
		sysroot = cc_asprintf("--gcc-toolchain=%s", job->srcdir);
		cc_strv_push(out, sysroot);
		free(sysroot);
	}
	cc_strv_push(out, "-ivfsoverlay");
	cc_strv_push(out, job->overlay);
	cc_strv_push(out, "-isystem");
	cc_strv_push(out, job->sandbox_include);
	for (int i = 0; i < job->incdirs.n; i++)
	{
		cc_strv_push(out, "-I");
		cc_strv_push(out, job->incdirs.v[i]);
	}
	for (int i = 0; i < job->defines.n; i++)
	{
		cc_strv_push(out, "-D");
		cc_strv_push(out, job->defines.v[i]);
	}
	if (job->prelude)
	{
		for (int i = 0; cc_prelude_headers[i]; i++)
		{
			char	   *p = cc_asprintf("%s/%s", job->sandbox_include, cc_prelude_headers[i]);

			cc_strv_push(out, "-include");
			cc_strv_push(out, p);
			free(p);
		}
	}
}

/*
 * Print clang's captured output (diagnostics) on stderr without server
 * paths: the private copy of the input shows as its display name, the
 * sandbox directory as <sandbox>, the temp directory as <tmp>; a crash
 * report (from LLVM's "PLEASE submit a bug report" or "Stack dump:" on,
 * which lists the command line) is replaced by one line.
 */
static void
cc_fe_forward(const cc_job *job, cc_buf *out)
{
	static const char *const crash[] = {"PLEASE submit a bug report", "Stack dump:", NULL};
	char	   *from;
	bool		crashed = false;

	for (int i = 0; crash[i]; i++)
	{
		char	   *c = memmem(out->data, out->len, crash[i], strlen(crash[i]));

		if (c != NULL && (c == out->data || c[-1] == '\n'))
		{
			out->len = (size_t) (c - out->data);
			out->data[out->len] = '\0';
			crashed = true;
		}
	}
	from = cc_asprintf("%s/", job->srcdir);
	cc_buf_replace(out, from, "");
	free(from);
	cc_buf_replace(out, job->tmpdir, "<tmp>");
	cc_buf_replace(out, job->sandbox_include, "<sandbox>/include");
	cc_buf_replace(out, job->sandbox_dir, "<sandbox>");
	fflush(stdout);
	fwrite(out->data, 1, out->len, stderr);
	if (crashed)
		cc_msg("error: clang crashed on this input");
	fflush(stderr);
}

int
cc_frontend_run(const cc_job *job, char **bc_path)
{
	cc_strv		argv = {0};
	cc_buf		out;
	int			rc;

	*bc_path = cc_asprintf("%s/input.bc", job->tmpdir);
	cc_strv_push(&argv, job->clang_path);
	cc_frontend_flags(job, &argv);
	cc_strv_push(&argv, "-emit-llvm");
	cc_strv_push(&argv, "-c");
	cc_strv_push(&argv, "-o");
	cc_strv_push(&argv, *bc_path);
	cc_strv_push(&argv, job->display);

	cc_buf_init(&out);
	rc = cc_run((const char *const *) argv.v, NULL, NULL, "clang", job->srcdir,
				&job->limits, &out, job->verbose);
	cc_strv_free(&argv);
	if (rc >= 0)
		cc_fe_forward(job, &out);	/* killed or timed out: nothing of it */
	cc_buf_free(&out);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return 1;
	return 0;
}

void
cc_frontend_cleanup(cc_job *job)
{
	if (job->tmpdir != NULL)
		cc_tmpdir_remove(job->tmpdir);
	free(job->tmpdir);
	free(job->srcdir);
	free(job->display);
	free(job->input_copy);
	free(job->overlay);
	free(job->sandbox_include);
	job->tmpdir = job->srcdir = job->display = job->input_copy = NULL;
	job->overlay = job->sandbox_include = NULL;
}
