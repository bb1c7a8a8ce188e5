/*-------------------------------------------------------------------------
 *
 * cc_pragma.c
 *		Finds the source lines of #pragma comment(lib, ...) and
 *		#pragma comment(linker, ...) for their refusal: the metadata clang
 *		emits for them has no location, so when a module has some, clang
 *		preprocesses the input again (-E) and the directives are read from
 *		its output, where every pragma, also one that a macro expands to
 *		with _Pragma, stands on a line of its own after line markers
 *		(# LINE "FILE") that say where it came from.
 *
 * Invariants kept here:
 *	- The preprocessor runs as the compile does (cc_frontend_flags: the
 *	  overlay, no default config, the limits and timeout of cc_run); its
 *	  output is captured, never shown.
 *	- A module with linker directives is always refused: with a line when
 *	  the preprocessed output locates one, else without.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_pragma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char cc_pragma_lib_msg[] =
	"#pragma comment(lib, ...) is not allowed in sandboxed code "
	"(the linker gets no input but the compiler's own)";
static const char cc_pragma_linker_msg[] =
	"#pragma comment(linker, ...) and linker options are not allowed in "
	"sandboxed code";

static const char *
cc_pragma_skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* "lib" or "linker" when [p, end) is a #pragma comment line of that kind. */
static const char *
cc_pragma_kind(const char *p, const char *end)
{
	p = cc_pragma_skip_space(p, end);
	if (p >= end || *p != '#')
		return NULL;
	p = cc_pragma_skip_space(p + 1, end);
	if (end - p < 6 || strncmp(p, "pragma", 6) != 0)
		return NULL;
	p = cc_pragma_skip_space(p + 6, end);
	if (end - p < 7 || strncmp(p, "comment", 7) != 0)
		return NULL;
	p = cc_pragma_skip_space(p + 7, end);
	if (p >= end || *p != '(')
		return NULL;
	p = cc_pragma_skip_space(p + 1, end);
	if (end - p >= 6 && strncmp(p, "linker", 6) == 0)
		return "linker";
	if (end - p >= 3 && strncmp(p, "lib", 3) == 0)
		return "lib";
	return NULL;
}

/*
 * Walk clang -E output: a line marker `# N "FILE" ...` says the next line
 * is line N of FILE; each other line advances by one.  Reports every
 * pragma of kind lib (when `lib`) or linker (when `linker`).
 */
static int
cc_pragma_scan(const cc_job *job, const cc_buf *pp, bool lib, bool linker,
			   cc_report_fn report, void *arg)
{
	const char *p = pp->data;
	const char *end = pp->data + pp->len;
	char		file[1024] = "";
	unsigned long line = 1;
	int			n = 0;

	(void) job;
	while (p < end)
	{
		const char *eol = memchr(p, '\n', (size_t) (end - p));
		const char *q;
		const char *kind;

		if (eol == NULL)
			eol = end;
		q = cc_pragma_skip_space(p, eol);
		if (eol - q > 2 && q[0] == '#' && q[1] == ' ' && q[2] >= '0' && q[2] <= '9')
		{
			char	   *e;
			unsigned long l = strtoul(q + 2, &e, 10);
			const char *f = e;

			if (*f == ' ' && f + 1 < eol && f[1] == '"')
			{
				const char *fe = memchr(f + 2, '"', (size_t) (eol - f - 2));

				if (fe != NULL && (size_t) (fe - f - 2) < sizeof(file))
				{
					memcpy(file, f + 2, (size_t) (fe - f - 2));
					file[fe - f - 2] = '\0';
				}
			}
			line = l;
		}
		else
		{
			kind = cc_pragma_kind(q, eol);
			if (kind != NULL && ((kind[2] == 'b' && lib) || (kind[2] == 'n' && linker)))
			{
				report(arg, file[0] && file[0] != '<' ? file : NULL, (unsigned) line,
					   kind[2] == 'b' ? cc_pragma_lib_msg : cc_pragma_linker_msg);
				n++;
			}
			line++;
		}
		p = eol + 1;
	}
	return n;
}

int
cc_pragma_check(const cc_job *job, LLVMModuleRef mod, cc_report_fn report, void *arg)
{
	bool		lib = LLVMGetNamedMetadataNumOperands(mod, "llvm.dependent-libraries") > 0;
	bool		linker = LLVMGetNamedMetadataNumOperands(mod, "llvm.linker.options") > 0;
	cc_strv		argv = {0};
	cc_buf		pp;
	int			n = 0;
	int			rc;

	if (!lib && !linker)
		return 0;
	cc_strv_push(&argv, job->clang_path);
	cc_frontend_flags(job, &argv);
	cc_strv_push(&argv, "-E");
	cc_strv_push(&argv, job->display);
	cc_buf_init(&pp);
	rc = cc_run((const char *const *) argv.v, NULL, NULL, "clang (preprocessor)",
				job->srcdir, &job->limits, &pp, job->verbose);
	cc_strv_free(&argv);
	if (rc == 0)
		n = cc_pragma_scan(job, &pp, lib, linker, report, arg);
	cc_buf_free(&pp);
	/* not located (or the preprocessor failed): refused all the same */
	if (lib && n == 0)
	{
		report(arg, NULL, 0, cc_pragma_lib_msg);
		n++;
	}
	else if (linker && n == 0)
	{
		report(arg, NULL, 0, cc_pragma_linker_msg);
		n++;
	}
	return n;
}
