/*-------------------------------------------------------------------------
 *
 * cc_signature.c
 *		Finds the user's non-static function definitions with libclang and
 *		maps their C types to the ABI.md type codes.
 *
 * Invariants kept here:
 *	- libclang runs only in a forked child (cc_run: limits, timeout,
 *	  minimal environment, cwd = the private source directory) and with
 *	  cc_frontend_flags(), i.e. under the include overlay.  The child sends
 *	  one tab-separated line per function back through a pipe:
 *		X <tab> NAME <tab> CODES <tab> CSIG		exported
 *		S <tab> NAME <tab> REASON				skipped
 *		V <tab> IRNAME <tab> LINE <tab> D		variable (D: 1 definition)
 *	  and the parent re-validates every line it reads.
 *	- Only canonical types decide a code; spelled types are only used for
 *	  the C declaration and the reasons.
 *	- Every CXString is disposed, the translation unit and index too.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_signature.h"
#include "tmebox_abi.h"
#include "tmebox_rt.h"

#include <clang-c/Index.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cc_sig_ctx
{
	const cc_job *job;
	cc_buf		out;			/* lines for the parent */
} cc_sig_ctx;

/* Copy a CXString into a malloc'd C string and dispose of it. */
static char *
cc_sig_take(CXString s)
{
	const char *c = clang_getCString(s);
	char	   *r = cc_strdup(c ? c : "");

	clang_disposeString(s);
	/* keep the protocol and the metadata one line per item */
	for (char *p = r; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';
	return r;
}

static bool
cc_sig_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			  (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* Is the declaration of `decl` in a file of the sandbox include directory? */
static bool
cc_sig_from_sandbox(const cc_sig_ctx *ctx, CXCursor decl)
{
	CXFile		file;
	char	   *name;
	size_t		n = strlen(ctx->job->sandbox_include);
	bool		ok;

	clang_getSpellingLocation(clang_getCursorLocation(decl), &file, NULL, NULL, NULL);
	if (file == NULL)
		return false;
	name = cc_sig_take(clang_getFileName(file));
	ok = strncmp(name, ctx->job->sandbox_include, n) == 0 && name[n] == '/';
	free(name);
	return ok;
}

/* The code of the value type of class `cls` and `width` bytes, or NULL. */
static const char *
cc_sig_scalar(tmebox_type_class cls, unsigned width)
{
	for (int t = 0; t < (int) TMEBOX_T_COUNT; t++)
		if (tmebox_type_class_of(t) == cls && tmebox_type_width(t) == width)
			return tmebox_type_code(t);
	return NULL;
}

/* The ABI type code of `t`, or NULL when it has none. */
static const char *
cc_sig_code(const cc_sig_ctx *ctx, CXType t, bool is_return)
{
	/* the struct tags of the types passed by pointer (tmebox_abi.h) */
	static const struct
	{
		const char *tag;
		tmebox_type type;
	}			structs[] = {
#define CC_SIG_X_STRUCT(name, code, class, width, ctype, elem) \
		{#ctype, TMEBOX_T_##name},
		TMEBOX_VALUE_TYPES(CC_SIG_X_STRUCT)
#undef CC_SIG_X_STRUCT
	};
	CXType		c = clang_getCanonicalType(t);
	CXType		pointee;
	CXCursor	decl;
	char	   *tag;
	const char *code = NULL;

	switch (c.kind)
	{
		case CXType_Void:
			return is_return ? tmebox_type_code(TMEBOX_T_VOID) : NULL;
		case CXType_Bool:
			return cc_sig_scalar(TMEBOX_CLASS_BOOL, sizeof(bool));
		case CXType_Short:
			return cc_sig_scalar(TMEBOX_CLASS_INT, sizeof(short));
		case CXType_Int:
			return cc_sig_scalar(TMEBOX_CLASS_INT, sizeof(int));
		case CXType_Long:
			return cc_sig_scalar(TMEBOX_CLASS_INT, sizeof(long));
		case CXType_LongLong:
			return cc_sig_scalar(TMEBOX_CLASS_INT, sizeof(long long));
		case CXType_Float:
			return cc_sig_scalar(TMEBOX_CLASS_FLOAT, sizeof(float));
		case CXType_Double:
			return cc_sig_scalar(TMEBOX_CLASS_FLOAT, sizeof(double));
		case CXType_Pointer:
			break;
		default:
			return NULL;
	}
	pointee = clang_getCanonicalType(clang_getPointeeType(c));
	if (pointee.kind != CXType_Record || clang_isVolatileQualifiedType(pointee))
		return NULL;
	decl = clang_getTypeDeclaration(pointee);
	if (clang_getCursorKind(decl) != CXCursor_StructDecl)
		return NULL;
	tag = cc_sig_take(clang_getCursorSpelling(decl));
	for (size_t i = 0; i < sizeof(structs) / sizeof(structs[0]); i++)
		if (tmebox_type_by_ref(structs[i].type) && strcmp(tag, structs[i].tag) == 0)
			code = tmebox_type_code(structs[i].type);
	free(tag);
	if (code != NULL && !cc_sig_from_sandbox(ctx, decl))
		return NULL;			/* a look-alike struct of the user's own */
	return code;
}

/* One member of a user's struct, while its layout is read. */
typedef struct cc_sig_member
{
	char	   *name;
	CXType		type;			/* canonical */
	const char *code;			/* a scalar's, buf's, num's or intv's code;
								 * NULL: none of them */
	long long	off;			/* bytes; -1: a bit-field or unknown */
	int			flag_of;		/* index of the member whose NULL flag it
								 * is (NAME_isnull), else -1 */
	bool		has_flag;
	bool		nested;			/* a struct of the user's own: a nested row */
} cc_sig_member;

typedef struct cc_sig_members
{
	const cc_sig_ctx *ctx;
	cc_sig_member *v;
	int			n;
} cc_sig_members;

static enum CXVisitorResult
cc_sig_visit_field(CXCursor c, CXClientData data)
{
	cc_sig_members *m = data;
	cc_sig_member *f;
	const char *code;
	int			t;

	if (m->n > 2 * TMEBOX_STRUCT_MAX_FIELDS)
		return CXVisit_Break;
	m->v = cc_realloc(m->v, sizeof(cc_sig_member) * (m->n + 1));
	f = &m->v[m->n++];
	f->name = cc_sig_take(clang_getCursorSpelling(c));
	f->type = clang_getCanonicalType(clang_getCursorType(c));
	f->off = clang_Cursor_isBitField(c) ? -1 : clang_Cursor_getOffsetOfField(c);
	if (f->off >= 0)
		f->off = f->off % 8 == 0 ? f->off / 8 : -1;
	f->flag_of = -1;
	f->has_flag = false;
	/*
	 * a scalar or a pointer to tmebox_buf, tmebox_numeric or
	 * tmebox_interval (a buffer the runtime copies as {len, bytes}):
	 * nothing else travels in a row
	 */
	code = cc_sig_code(m->ctx, f->type, false);
	t = code ? tmebox_type_parse(code, strlen(code)) : -1;
	f->code = t >= 0 && (t == TMEBOX_T_BUF || t == TMEBOX_T_NUMERIC ||
						 t == TMEBOX_T_INTERVAL || !tmebox_type_by_ref(t)) ? code : NULL;
	/* or a struct embedded in the row: a nested row (its own members) */
	f->nested = f->code == NULL && f->type.kind == CXType_Record &&
		!clang_isVolatileQualifiedType(f->type) &&
		clang_getCursorKind(clang_getTypeDeclaration(f->type)) == CXCursor_StructDecl &&
		!cc_sig_from_sandbox(m->ctx, clang_getTypeDeclaration(f->type));
	return CXVisit_Continue;
}

static void
cc_sig_members_free(cc_sig_members *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
}

/*
 * Append the members of struct `rec` as a row's fields to b (",NAME=CODE
 * @OFF/NULLOFF" each, the first without its comma when *nvalues is 0):
 * `base` the struct's offset in the row, `path` prefixed to the names
 * ("" or "ROW."), `depth` its nesting (0: the row itself).  A member
 * that is a struct is a nested row: "NAME=struct@OFF/NULLOFF", then its
 * own members as "NAME.MEMBER", depth first.  *reason set on the first
 * member that is none of these.
 */
static void
cc_sig_layout_fields(const cc_sig_ctx *ctx, CXType rec, long long base, const char *path,
					 int depth, cc_buf *b, int *nvalues, char **reason)
{
	cc_sig_members m = {.ctx = ctx};

	clang_Type_visitFields(rec, cc_sig_visit_field, &m);
	for (int i = 0; i < m.n; i++)
	{
		size_t		len = strlen(m.v[i].name);

		if (m.v[i].type.kind != CXType_Bool || len <= 7 ||
			strcmp(m.v[i].name + len - 7, "_isnull") != 0)
			continue;
		for (int j = 0; j < m.n; j++)
			if (j != i && strlen(m.v[j].name) == len - 7 &&
				strncmp(m.v[j].name, m.v[i].name, len - 7) == 0)
				m.v[i].flag_of = j;
		if (m.v[i].flag_of >= 0)
			m.v[m.v[i].flag_of].has_flag = true;
	}
	if (m.n > 2 * TMEBOX_STRUCT_MAX_FIELDS)
		*reason = cc_asprintf("it has more than %d members", 2 * TMEBOX_STRUCT_MAX_FIELDS);
	for (int i = 0; i < m.n && *reason == NULL; i++)
	{
		cc_sig_member *f = &m.v[i];

		if (f->flag_of >= 0)
			continue;
		if (f->code == NULL && !f->nested)
			*reason = cc_asprintf("member '%s%s' is neither a scalar, a tmebox_buf, tmebox_numeric or tmebox_interval pointer, a struct (a nested row) nor the bool NULL flag of one",
								  path, f->name);
		else if (!f->has_flag)
			*reason = cc_asprintf("member '%s%s' has no NULL flag (bool %s_isnull)", path,
								  f->name, f->name);
		else if (f->off < 0)
			*reason = cc_asprintf("member '%s%s' is a bit-field", path, f->name);
		else if (f->nested && depth >= TMEBOX_STRUCT_MAX_DEPTH)
			*reason = cc_asprintf("member '%s%s' nests rows more than %d deep", path, f->name,
								  TMEBOX_STRUCT_MAX_DEPTH);
		else if (*nvalues > TMEBOX_STRUCT_MAX_FIELDS)
			*reason = cc_asprintf("it has more than %d members with NULL flags",
								  TMEBOX_STRUCT_MAX_FIELDS);
		else
		{
			for (int j = 0; j < m.n; j++)
				if (m.v[j].flag_of == i)
					cc_buf_printf(b, "%s%s%s=%s@%lld/%lld", *nvalues ? "," : "", path, f->name,
								  f->nested ? "struct" : f->code, base + f->off,
								  base + m.v[j].off);
			(*nvalues)++;
			if (f->nested)
			{
				char	   *inner = cc_asprintf("%s%s.", path, f->name);
				int			before = *nvalues;

				cc_sig_layout_fields(ctx, f->type, base + f->off, inner, depth + 1, b,
									 nvalues, reason);
				if (*reason == NULL && *nvalues == before)
					*reason = cc_asprintf("member '%s%s' is a struct without members",
										  path, f->name);
				free(inner);
			}
		}
	}
	cc_sig_members_free(&m);
}

/*
 * The layout code of struct `rec` as a row (tmebox_abi.h: "struct:SIZE:
 * NAME=CODE@OFF/NULLOFF,..."; prefix "structs" for a set), or NULL with
 * *reason set.  A row's members are scalars, pointers to tmebox_buf,
 * tmebox_numeric or tmebox_interval, and structs (nested rows, of such
 * members), each with a bool NAME_isnull member; nothing else (ABI.md
 * "Rows as structs").
 */
static char *
cc_sig_struct_layout(const cc_sig_ctx *ctx, CXType rec, const char *prefix, char **reason)
{
	long long	size = clang_Type_getSizeOf(rec);
	cc_buf		b;
	int			nvalues = 0;
	char	   *r = NULL;

	cc_buf_init(&b);
	cc_buf_printf(&b, "%s:%lld:", prefix, size);
	/* the size first: it bounds the members a nested row can have */
	if (size > 0 && size <= TMEBOX_STRUCT_MAX_SIZE)
		cc_sig_layout_fields(ctx, rec, 0, "", 0, &b, &nvalues, reason);
	if (*reason == NULL && (nvalues == 0 || size <= 0 || size > TMEBOX_STRUCT_MAX_SIZE ||
							nvalues > TMEBOX_STRUCT_MAX_FIELDS))
		*reason = cc_asprintf("a row struct has 1 to %d members with NULL flags and at most %d bytes",
							  TMEBOX_STRUCT_MAX_FIELDS, TMEBOX_STRUCT_MAX_SIZE);
	if (*reason == NULL)
	{
		tmebox_struct_layout l;
		tmebox_type t;
		char		err[128];

		/* the runtime's own reader decides what is a sound layout */
		if (tmebox_struct_layout_parse(b.data, b.len, &t, &l, err, sizeof(err)) == 0)
		{
			tmebox_struct_layout_free(&l);
			r = cc_strdup(b.data);
		}
		else
			*reason = cc_strdup(err);
	}
	cc_buf_free(&b);
	return r;
}

/*
 * A pointer to a struct of the user's own (pointee canonical): the code
 * of a row ("struct:..."), or for a result of the shape {uint32_t n,
 * _pad; ROW v[];} a set of rows ("structs:...").  NULL with *reason.
 */
static char *
cc_sig_user_struct(const cc_sig_ctx *ctx, CXType pointee, bool is_return, char **reason)
{
	cc_sig_members m = {.ctx = ctx};
	char	   *r = NULL;

	clang_Type_visitFields(pointee, cc_sig_visit_field, &m);
	if (m.n == 3 && strcmp(m.v[0].name, "n") == 0 && strcmp(m.v[1].name, "_pad") == 0 &&
		strcmp(m.v[2].name, "v") == 0 && m.v[2].type.kind == CXType_IncompleteArray)
	{
		CXType		elem = clang_getCanonicalType(clang_getArrayElementType(m.v[2].type));

		if (!is_return)
			*reason = cc_strdup("a set of rows ({n, _pad, v[]}) is a result only");
		else if (m.v[0].type.kind != CXType_UInt || m.v[1].type.kind != CXType_UInt ||
				 m.v[0].off != 0 || m.v[2].off != TMEBOX_STRUCTS_HDR || elem.kind != CXType_Record)
			*reason = cc_strdup("a set of rows is struct { uint32_t n, _pad; ROW v[]; }");
		else
			r = cc_sig_struct_layout(ctx, elem, "structs", reason);
	}
	else
		r = cc_sig_struct_layout(ctx, pointee, "struct", reason);
	cc_sig_members_free(&m);
	return r;
}

/*
 * The code of `t` as an exported signature spells it (malloc'd), or NULL
 * with *reason when a struct of the user's own is no row (else *reason
 * stays NULL).
 */
static char *
cc_sig_code_full(const cc_sig_ctx *ctx, CXType t, bool is_return, char **reason)
{
	const char *code = cc_sig_code(ctx, t, is_return);
	CXType		c = clang_getCanonicalType(t);
	CXType		pointee;

	if (code != NULL)
		return cc_strdup(code);
	if (c.kind != CXType_Pointer)
		return NULL;
	pointee = clang_getCanonicalType(clang_getPointeeType(c));
	if (pointee.kind != CXType_Record || clang_isVolatileQualifiedType(pointee) ||
		clang_getCursorKind(clang_getTypeDeclaration(pointee)) != CXCursor_StructDecl ||
		cc_sig_from_sandbox(ctx, clang_getTypeDeclaration(pointee)))
		return NULL;
	return cc_sig_user_struct(ctx, pointee, is_return, reason);
}

/* "TYPE NAME" with the usual C spacing ("char *p", "int x"). */
static void
cc_sig_decl(cc_buf *b, const char *type, const char *name)
{
	size_t		n = strlen(type);

	cc_buf_puts(b, type);
	if (name[0] != '\0')
	{
		if (n == 0 || type[n - 1] != '*')
			cc_buf_puts(b, " ");
		cc_buf_puts(b, name);
	}
}

static void
cc_sig_describe(cc_sig_ctx *ctx, CXCursor fn)
{
	char	   *name = cc_sig_take(clang_getCursorSpelling(fn));
	CXType		fntype = clang_getCursorType(fn);
	int			nargs = clang_Cursor_getNumArguments(fn);
	CXType		rtype = clang_getCursorResultType(fn);
	char	   *rspell = cc_sig_take(clang_getTypeSpelling(rtype));
	char	   *code = NULL;
	char	   *why = NULL;
	cc_buf		codes;
	cc_buf		csig;
	char	   *reason = NULL;

	cc_buf_init(&codes);
	cc_buf_init(&csig);
	if (!tmebox_name_ok(name, strlen(name)))
		reason = NULL;			/* not reported: see below */
	else if (strncmp(name, "__tmebox_", 9) == 0)
		reason = cc_strdup("names beginning with __tmebox_ are reserved");
	else if (clang_isFunctionTypeVariadic(fntype) == 1)
		reason = cc_strdup("it is variadic");
	else if (nargs > CC_SIG_MAX_PARAMS)
		reason = cc_asprintf("it has %d parameters (at most %d)", nargs, CC_SIG_MAX_PARAMS);
	else if ((code = cc_sig_code_full(ctx, rtype, true, &why)) == NULL)
	{
		reason = why ? cc_asprintf("return type '%s': %s", rspell, why) :
			cc_asprintf("return type '%s'", rspell);
		free(why);
	}
	else
	{
		cc_buf_puts(&codes, code);
		cc_sig_decl(&csig, rspell, name);
		cc_buf_puts(&csig, "(");
		if (nargs <= 0)
			cc_buf_puts(&csig, "void");
		for (int i = 0; i < nargs && reason == NULL; i++)
		{
			CXCursor	arg = clang_Cursor_getArgument(fn, (unsigned) i);
			CXType		at = clang_getCursorType(arg);
			char	   *aname = cc_sig_take(clang_getCursorSpelling(arg));
			char	   *aspell = cc_sig_take(clang_getTypeSpelling(at));

			free(code);
			code = cc_sig_code_full(ctx, at, false, &why);
			if (code == NULL)
			{
				if (aname[0])
					reason = cc_asprintf("parameter %d '%s' has type '%s'%s%s", i + 1, aname, aspell,
										 why ? ": " : "", why ? why : "");
				else
					reason = cc_asprintf("parameter %d has type '%s'%s%s", i + 1, aspell,
										 why ? ": " : "", why ? why : "");
				free(why);
				why = NULL;
			}
			else
			{
				cc_buf_printf(&codes, " %s", code);
				if (i > 0)
					cc_buf_puts(&csig, ", ");
				cc_sig_decl(&csig, aspell, aname);
			}
			free(aname);
			free(aspell);
		}
		cc_buf_puts(&csig, ")");
	}
	if (!tmebox_name_ok(name, strlen(name)))
	{
		/*
		 * A name no module file can carry (not an ASCII identifier, e.g.
		 * a Unicode one clang accepts, or longer than TMEBOX_NAME_MAX)
		 * names no SQL function either: neither exported nor listed as
		 * skipped, whose line the module reader would refuse.
		 */
	}
	else if (reason != NULL)
		cc_buf_printf(&ctx->out, "S\t%s\t%s\n", name, reason);
	else
		cc_buf_printf(&ctx->out, "X\t%s\t%s\t%s\n", name, codes.data, csig.data);
	free(code);
	free(reason);
	free(name);
	free(rspell);
	cc_buf_free(&codes);
	cc_buf_free(&csig);
}

/*
 * Is the definition at c the input file's: written there, or made by a
 * macro expanded there (tmebox.h's TMEBOX_TRIGGER(name) { ... } defines
 * the function `name`)?  A macro expanded in a header defines nothing of
 * the input's.
 */
static bool
cc_sig_in_main_file(CXCursor c)
{
	CXSourceLocation loc = clang_getCursorLocation(c);
	CXFile		file = NULL;
	unsigned	line,
				col,
				off;

	if (clang_Location_isFromMainFile(loc))
		return true;
	clang_getExpansionLocation(loc, &file, &line, &col, &off);
	return file != NULL &&
		clang_Location_isFromMainFile(clang_getLocation(clang_Cursor_getTranslationUnit(c),
														file, line, col));
}

static enum CXChildVisitResult
cc_sig_visit(CXCursor c, CXCursor parent, CXClientData data)
{
	(void) parent;
	if (clang_getCursorKind(c) == CXCursor_FunctionDecl &&
		cc_sig_in_main_file(c) &&
		clang_isCursorDefinition(c) &&
		clang_getCursorLinkage(c) == CXLinkage_External)
		cc_sig_describe((cc_sig_ctx *) data, c);
	return CXChildVisit_Continue;
}

/*
 * Variables of static storage in the input file (file scope and static
 * locals, at any depth): "V IRNAME LINE D".  clang names a static local
 * FUNCTION.NAME in the IR.
 */
static enum CXChildVisitResult
cc_sig_visit_vars(CXCursor c, CXCursor parent, CXClientData data)
{
	cc_sig_ctx *ctx = data;
	CXSourceLocation loc = clang_getCursorLocation(c);

	(void) parent;
	if (!clang_Location_isFromMainFile(loc))
		return CXChildVisit_Continue;
	if (clang_getCursorKind(c) == CXCursor_VarDecl &&
		clang_Cursor_hasVarDeclGlobalStorage(c) == 1)
	{
		CXCursor	sp = clang_getCursorSemanticParent(c);
		char	   *name = cc_sig_take(clang_getCursorSpelling(c));
		char	   *fn = NULL;
		unsigned	line = 0;

		if (clang_getCursorKind(sp) == CXCursor_FunctionDecl)
			fn = cc_sig_take(clang_getCursorSpelling(sp));
		clang_getPresumedLocation(loc, NULL, &line, NULL);	/* honours #line */
		if (cc_sig_identifier(name) && (fn == NULL || cc_sig_identifier(fn)))
			cc_buf_printf(&ctx->out, "V\t%s%s%s\t%u\t%d\n", fn ? fn : "", fn ? "." : "",
						  name, line, clang_isCursorDefinition(c) ? 1 : 0);
		free(name);
		free(fn);
	}
	return CXChildVisit_Recurse;
}

/* Body of the forked child: parse, describe, write the lines to stdout. */
static int
cc_sig_child(void *arg)
{
	cc_sig_ctx	ctx = {.job = arg};
	cc_strv		flags = {0};
	CXIndex		index;
	CXTranslationUnit tu = NULL;
	enum CXErrorCode err;
	int			rc = 0;

	cc_buf_init(&ctx.out);
	cc_frontend_flags(ctx.job, &flags);
	index = clang_createIndex(0, 0);
	err = clang_parseTranslationUnit2(index, ctx.job->display,
									  (const char *const *) flags.v, flags.n,
									  NULL, 0, CXTranslationUnit_None, &tu);
	if (err != CXError_Success || tu == NULL)
	{
		fprintf(stderr, CC_PROGNAME ": internal error: libclang could not parse the input (error %d)\n", (int) err);
		rc = 2;
	}
	else
	{
		for (unsigned i = 0; i < clang_getNumDiagnostics(tu); i++)
		{
			CXDiagnostic d = clang_getDiagnostic(tu, i);

			if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error)
				rc = 2;
			clang_disposeDiagnostic(d);
		}
		if (rc != 0)
			fprintf(stderr, CC_PROGNAME ": internal error: libclang reports errors that clang did not\n");
		else
		{
			clang_visitChildren(clang_getTranslationUnitCursor(tu), cc_sig_visit, &ctx);
			clang_visitChildren(clang_getTranslationUnitCursor(tu), cc_sig_visit_vars, &ctx);
		}
	}
	if (tu != NULL)
		clang_disposeTranslationUnit(tu);
	clang_disposeIndex(index);
	cc_strv_free(&flags);
	if (rc == 0 && fwrite(ctx.out.data, 1, ctx.out.len, stdout) != ctx.out.len)
		rc = 2;
	if (fflush(stdout) != 0)
		rc = 2;
	cc_buf_free(&ctx.out);
	return rc;
}

static bool
cc_sig_codes_ok(const char *codes)
{
	char	   *copy = cc_strdup(codes);
	char	   *save;
	bool		ok = true;
	int			n = 0;

	for (char *t = strtok_r(copy, " ", &save); t && ok; t = strtok_r(NULL, " ", &save), n++)
	{
		int			type = tmebox_type_parse(t, strlen(t));
		tmebox_struct_layout l;
		tmebox_type st;

		if (type < 0 && tmebox_struct_layout_parse(t, strlen(t), &st, &l, NULL, 0) == 0)
		{
			tmebox_struct_layout_free(&l);
			type = (n > 0 && st == TMEBOX_T_STRUCTS) ? -1 : (int) st;
		}
		if (type < 0 || (n > 0 && type == TMEBOX_T_VOID))
			ok = false;
	}
	free(copy);
	return ok && n >= 1 && n <= CC_SIG_MAX_PARAMS + 1;
}

/* Parse the child's lines into `out`.  0 or -1. */
static int
cc_sig_parse(char *text, cc_sigs *out)
{
	char	   *save;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
	{
		char	   *f[4] = {0};
		int			nf = 0;
		cc_sig	   *s;

		for (char *p = line; nf < 4; nf++)
		{
			f[nf] = p;
			p = strchr(p, '\t');
			if (p == NULL)
			{
				nf++;
				break;
			}
			*p++ = '\0';
		}
		if (nf == 4 && strcmp(f[0], "V") == 0)
		{
			char	   *dot = strchr(f[1], '.');
			char	   *end;
			unsigned long line = strtoul(f[2], &end, 10);
			bool		def = strcmp(f[3], "1") == 0;
			cc_sig_var *v = NULL;

			if (dot != NULL)
				*dot = '\0';
			if (!cc_sig_identifier(f[1]) || (dot != NULL && !cc_sig_identifier(dot + 1)) ||
				*end != '\0' || end == f[2] || line > UINT_MAX || (!def && strcmp(f[3], "0") != 0))
			{
				cc_msg("internal error: bad variable line from the libclang helper");
				return -1;
			}
			if (dot != NULL)
				*dot = '.';
			/* one entry per name: the definition's line, else the first */
			for (int i = 0; i < out->nvars; i++)
				if (strcmp(out->vars[i].name, f[1]) == 0)
					v = &out->vars[i];
			if (v == NULL)
			{
				out->vars = cc_realloc(out->vars, sizeof(cc_sig_var) * (out->nvars + 1));
				v = &out->vars[out->nvars++];
				v->name = cc_strdup(f[1]);
				v->line = (unsigned) line;
			}
			else if (def)
				v->line = (unsigned) line;
			continue;
		}
		if (!((nf == 4 && strcmp(f[0], "X") == 0 && cc_sig_codes_ok(f[2])) ||
			  (nf == 3 && strcmp(f[0], "S") == 0)) || !cc_sig_identifier(f[1]))
		{
			cc_msg("internal error: bad signature line from the libclang helper");
			return -1;
		}
		out->v = cc_realloc(out->v, sizeof(cc_sig) * (out->n + 1));
		s = &out->v[out->n++];
		memset(s, 0, sizeof(*s));
		s->name = cc_strdup(f[1]);
		s->exported = f[0][0] == 'X';
		if (s->exported)
		{
			s->codes = cc_strdup(f[2]);
			s->csig = cc_strdup(f[3]);
		}
		else
			s->reason = cc_strdup(f[2]);
	}
	return 0;
}

int
cc_signature_collect(const cc_job *job, cc_sigs *out)
{
	cc_buf		text;
	int			rc;

	out->v = NULL;
	out->n = 0;
	out->vars = NULL;
	out->nvars = 0;
	cc_buf_init(&text);
	rc = cc_run(NULL, cc_sig_child, (void *) job, "the signature parser (libclang)",
				job->srcdir, &job->limits, &text, job->verbose);
	if (rc > 0)
		cc_msg("internal error: the signature parser failed");
	if (rc == 0)
		rc = cc_sig_parse(text.data, out);
	if (rc == 0 && out->n > TMEBOX_MODULE_MAX_FUNCTIONS)
	{
		/* the module file could not describe them (rt_meta.c's bound) */
		cc_msg("%s: error: %d functions defined; a tmebox module has at most %d",
			   job->display, out->n, TMEBOX_MODULE_MAX_FUNCTIONS);
		rc = -1;
	}
	cc_buf_free(&text);
	if (rc != 0)
	{
		cc_signature_free(out);
		return -1;
	}
	return 0;
}

void
cc_signature_skip(cc_sig *s, const char *reason)
{
	free(s->codes);
	free(s->csig);
	free(s->reason);
	s->codes = s->csig = NULL;
	s->reason = cc_strdup(reason);
	s->exported = false;
}

unsigned
cc_signature_var_line(const cc_sigs *sigs, const char *irname)
{
	size_t		n = strlen(irname);
	const char *dot = strrchr(irname, '.');

	for (int pass = 0; pass < 2; pass++)
	{
		for (int i = 0; i < sigs->nvars; i++)
			if (strlen(sigs->vars[i].name) == n && strncmp(sigs->vars[i].name, irname, n) == 0)
				return sigs->vars[i].line;
		/* "x.1": LLVM's suffix for a second global named x */
		if (dot == NULL || dot[1] == '\0' || strspn(dot + 1, "0123456789") != strlen(dot + 1))
			break;
		n = (size_t) (dot - irname);
	}
	return 0;
}

void
cc_signature_free(cc_sigs *sigs)
{
	for (int i = 0; i < sigs->nvars; i++)
		free(sigs->vars[i].name);
	free(sigs->vars);
	sigs->vars = NULL;
	sigs->nvars = 0;
	for (int i = 0; i < sigs->n; i++)
	{
		free(sigs->v[i].name);
		free(sigs->v[i].codes);
		free(sigs->v[i].csig);
		free(sigs->v[i].reason);
	}
	free(sigs->v);
	sigs->v = NULL;
	sigs->n = 0;
}
