/*-------------------------------------------------------------------------
 *
 * pl_body.c
 *		From a C body (CREATE FUNCTION ... AS $$ body $$, DO $$ body $$) to
 *		the compiled module that runs it.
 *
 * A body has one of two forms:
 *	- statements: the body of a C function, compiled as
 *		RET tmebox_udf(ARGS)\n{\n#line 1\nBODY\n}
 *	  whose parameters are the SQL arguments (void tmebox_udf(void) for a
 *	  DO block; TMEBOX_TRIGGER(tmebox_udf) for a trigger function, whose
 *	  body sees tmebox_trigger *tg);
 *	- a translation unit: the body as it is (#line 1\nBODY), which defines
 *	  a C function named like the SQL function (do_block for a DO block):
 *	  that function is called, with helpers, static data and recursion
 *	  around it.
 * The compiler decides which: a body is a translation unit when, compiled
 * as one, its module exports that function.  The two forms never both
 * compile (a function definition inside a function is an error), so the
 * order in which they are tried changes only the cost and which
 * diagnostics a body that compiles in neither form reports: a body that
 * looks like it defines a function (pl_body_looks_like_unit) tries the
 * translation unit first, any other one the statements first.
 *
 * Invariants kept here:
 *	- A body that compiled as statements before translation units existed
 *	  compiles, runs and is cached exactly as before (same source, same
 *	  object, same key).
 *	- The form is part of every cache key: the two forms' sources differ
 *	  (only the statements form starts with the generated declaration), and
 *	  the session cache, tmebox.body_object and the compile cache are keyed
 *	  by the source.  An object found under either key is used only if it
 *	  exports the function that form calls (a translation unit compiled for
 *	  a function of another name does not).
 *	- Diagnostics carry the body's own line numbers in both forms (#line 1
 *	  before the body).
 *	- Only the object of the form chosen is recorded in tmebox.body_object.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "pl_function.h"
#include "pl_struct.h"
#include "tpg_catalog.h"
#include "tpg_check.h"
#include "tpg_compile.h"
#include "tpg_module.h"

#define PL_BODY_EXPORT "tmebox_udf"
#define PL_DO_EXPORT "do_block"

typedef enum PlBodyForm
{
	PL_BODY_STATEMENTS,
	PL_BODY_UNIT
} PlBodyForm;

/* One form of a body: what to compile, what it must export. */
typedef struct PlBodyTry
{
	PlBodyForm	form;
	const char *source;			/* NULL: cannot be built (a bad argument name) */
	const char *export;			/* the C function called */
	char		hex[65];		/* SHA-256 of source */
	/* after a compile */
	bool		compiled;		/* it compiled */
	bool		exported;		/* ... and exports `export` */
	char	   *diagnostics;	/* its diagnostics if it did not compile */
	const tmebox_module_info *info; /* if it compiled */
} PlBodyTry;

/* Display name for diagnostics: "NAME.c" for a plain name, else "function.c". */
char *
pl_display_name(const char *fname)
{
	if (strspn(fname, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(fname) &&
		strlen(fname) > 0)
		return psprintf("%s.c", fname);
	return pstrdup("function.c");
}

/* Raise the compile error of a body or module, detail = diagnostics. */
void
pl_report_compile_error(const char *what, const char *diagnostics)
{
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("could not compile %s", what),
			 errdetail_internal("%s", diagnostics)));
}

static bool
pl_body_keyword(const char *s, size_t n)
{
	static const char *const keywords[] = {
		"if", "while", "for", "switch", "return", "sizeof", "_Alignof",
		"alignof", "_Generic", "__attribute__", "_Static_assert",
		"static_assert", "typeof", "__typeof__", "case", "do", "else", NULL
	};

	for (int i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == n && strncmp(keywords[i], s, n) == 0)
			return true;
	return false;
}

/*
 * Does the body look like it defines a C function: a `{` outside any
 * braces and parentheses right after a `)` whose `(` follows an identifier
 * that is no keyword (`int f(void) {`, not `if (x) {`)?  Comments, string
 * and character literals and preprocessor lines are skipped.  Only orders
 * the two compiles (see the file header): a wrong guess costs one compile
 * more, never a wrong form.
 */
static bool
pl_body_looks_like_unit(const char *s)
{
	int			braces = 0;
	int			parens = 0;
	bool		line_start = true;
	bool		prev_ident = false;		/* previous token: a non-keyword identifier */
	bool		opener_named = false;	/* the outermost '(' followed one */
	bool		prev_close = false;		/* previous token: that '(''s ')' */

	while (*s)
	{
		char		c = *s;

		if (c == '\n')
		{
			line_start = true;
			s++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
		{
			s++;
			continue;
		}
		if (c == '/' && s[1] == '/')
		{
			while (*s && *s != '\n')
				s++;
			continue;
		}
		if (c == '/' && s[1] == '*')
		{
			const char *end = strstr(s + 2, "*/");

			s = end ? end + 2 : s + strlen(s);
			continue;
		}
		if (c == '#' && line_start)
		{
			/* a preprocessor line, with its continuations */
			while (*s && *s != '\n')
				s += (s[0] == '\\' && s[1] == '\n') ? 2 : 1;
			continue;
		}
		line_start = false;
		if (c == '"' || c == '\'')
		{
			for (s++; *s && *s != c && *s != '\n'; s++)
				if (*s == '\\' && s[1])
					s++;
			if (*s == c)
				s++;
			prev_ident = prev_close = false;
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		{
			const char *start = s;

			while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				   (*s >= '0' && *s <= '9') || *s == '_')
				s++;
			prev_ident = !pl_body_keyword(start, s - start);
			prev_close = false;
			continue;
		}
		if (c == '(')
		{
			if (parens == 0)
				opener_named = prev_ident;
			parens++;
		}
		else if (c == ')' && parens > 0)
		{
			parens--;
			if (parens == 0 && braces == 0 && opener_named)
			{
				prev_ident = false;
				prev_close = true;
				s++;
				continue;
			}
		}
		else if (c == '{')
		{
			if (braces == 0 && parens == 0 && prev_close)
				return true;
			braces++;
		}
		else if (c == '}')
			braces--;
		prev_ident = prev_close = false;
		s++;
	}
	return false;
}

/*
 * The C definitions of pf's rows (pl_struct.c), each struct once, before
 * the #line 1 of either form; "" when pf has none (the source of a body
 * without rows is what it always was).
 */
static char *
pl_body_prelude(PlFunction *pf)
{
	StringInfoData buf;
	List	   *done = NIL;

	if (pf == NULL || !pf->structs)
		return "";
	initStringInfo(&buf);
	/* the result first: its set type (NAME_rows) is defined with it */
	for (int i = -1; i < pf->nargs; i++)
	{
		const PlStruct *st = i < 0 ? pf->retstruct : pf->argstruct[i];

		if (st != NULL)
			pl_struct_cdef(&buf, st, i < 0 && pf->retset, &done);
	}
	return buf.data;
}

/* The C type of argument i (i < 0: the result) of pf in a generated declaration. */
static const char *
pl_body_ctype(PlFunction *pf, int i)
{
	if (i < 0 && pf->retstruct != NULL)
		return psprintf(pf->retset ? "%s_rows *" : "%s *", pf->retstruct->cname);
	if (i < 0)
		return pl_type_cname(pf->retkind, true);
	if (pf->argstruct[i] != NULL)
		return psprintf("const %s *", pf->argstruct[i]->cname);
	return pl_type_cname(pf->argkinds[i], false);
}

/*
 * The statements form's source: a declaration built from the SQL
 * signature, then the body after #line 1 so diagnostics carry the body's
 * own line numbers.  An argument name that is no C identifier is an ERROR
 * when `raise`, else NULL.
 */
static char *
pl_body_statements_source(PlFunction *pf, HeapTuple procTup, const char *body,
						  bool raise)
{
	StringInfoData buf;
	bool		isnull;
	Datum		d = SysCacheGetAttr(PROCOID, procTup, Anum_pg_proc_proargnames, &isnull);
	Datum	   *names = NULL;
	int			nnames = 0;
	char	   *cnames[TMEBOX_MAX_ARGS];
	int			i;

	/* a trigger: TMEBOX_TRIGGER (tmebox.h) declares it and its tg */
	if (pf->trigger)
		return psprintf("TMEBOX_TRIGGER(" PL_BODY_EXPORT ")\n{\n#line 1\n%s\n}\n", body);
	if (!isnull)
		deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
						  &names, NULL, &nnames);
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s%s " PL_BODY_EXPORT "(", pl_body_prelude(pf), pl_body_ctype(pf, -1));
	for (i = 0; i < pf->nargs; i++)
	{
		char	   *name = (i < nnames) ? TextDatumGetCString(names[i]) : "";

		if (name[0] == '\0')
			name = psprintf("arg%d", i + 1);
		else if (!tpg_is_c_identifier(name))
		{
			if (!raise)
				return NULL;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("argument name \"%s\" is not a valid C identifier", name),
					 errhint("Rename the argument, or leave it unnamed to call it arg%d.", i + 1)));
		}
		appendStringInfo(&buf, "%s%s %s", i ? ", " : "", pl_body_ctype(pf, i), name);
		cnames[i] = name;
	}
	/* the NULL flags after all the arguments, as pl_check_signature wants */
	for (i = 0; !pf->strict && i < pf->nargs; i++)
		appendStringInfo(&buf, ", bool %s_isnull", cnames[i]);
	if (pf->nargs == 0)
		appendStringInfoString(&buf, "void");
	appendStringInfo(&buf, ")\n{\n#line 1\n%s\n}\n", body);
	return buf.data;
}

/* The translation unit form's source (prelude: pl_body_prelude's). */
static char *
pl_body_unit_source(const char *prelude, const char *body)
{
	return psprintf("%s#line 1\n%s\n", prelude, body);
}

/* Index of export `name` in `info`, or -1. */
static int
pl_body_find(const tmebox_module_info *info, const char *name)
{
	for (int i = 0; i < info->nexports; i++)
		if (strcmp(info->exports[i].name, name) == 0)
			return i;
	return -1;
}

/* The description of a module file in memory (tpg_module_info). */
static const tmebox_module_info *
pl_body_info(const char *object, size_t len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), object, len);
	return tpg_module_info(b);
}

/* The two forms of `body`, the likelier first. */
static void
pl_body_forms(const char *body, const char *statements, const char *prelude,
			  const char *unit_export, PlBodyTry forms[2])
{
	bool		unit_first = pl_body_looks_like_unit(body);
	PlBodyTry  *st = &forms[unit_first ? 1 : 0];
	PlBodyTry  *tu = &forms[unit_first ? 0 : 1];

	memset(forms, 0, 2 * sizeof(PlBodyTry));
	st->form = PL_BODY_STATEMENTS;
	st->source = statements;
	st->export = PL_BODY_EXPORT;
	tu->form = PL_BODY_UNIT;
	tu->source = pl_body_unit_source(prelude, body);
	tu->export = unit_export;
	for (int i = 0; i < 2; i++)
		if (forms[i].source)
			tpg_sha256_hex(forms[i].source, strlen(forms[i].source), forms[i].hex);
}

/*
 * Compile the forms in order until one exports its function (true, its
 * object in *object), else false.  `cached`: through the compile cache.
 */
static bool
pl_body_compile(PlBodyTry forms[2], const char *display, bool cached,
				int *chosen, char **object, size_t *len)
{
	for (int i = 0; i < 2; i++)
	{
		PlBodyTry  *t = &forms[i];

		if (t->source == NULL)
			break;				/* its bad argument name is the error */
		if (!(cached ? tpg_compile_cached : tpg_compile) (t->source, display, true,
														  object, len, &t->diagnostics))
			continue;
		t->compiled = true;
		t->info = pl_body_info(*object, *len);
		t->exported = pl_body_find(t->info, t->export) >= 0;
		if (t->exported)
		{
			*chosen = i;
			return true;
		}
		pfree(*object);
	}
	return false;
}

/*
 * Neither form compiled to its function: the error that explains it.  A
 * translation unit that compiled without the function says so, with what
 * it defines; else the diagnostics of the form tried first (the likelier
 * one), or its bad argument name.  `what`: "the body of function \"f\"".
 */
static void
pl_body_fail(PlBodyTry forms[2], const char *what, const char *fname,
			 PlFunction *pf, HeapTuple procTup, const char *body)
{
	PlBodyTry  *first = &forms[0];

	for (int i = 0; i < 2; i++)
	{
		PlBodyTry  *t = &forms[i];

		if (t->form == PL_BODY_UNIT && t->compiled)
		{
			StringInfoData defs;

			initStringInfo(&defs);
			for (int j = 0; j < t->info->nexports; j++)
				appendStringInfo(&defs, "%s%s", j ? "; " : "", t->info->exports[j].csig);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("%s defines no C function \"%s\"", what, t->export),
					 t->info->nexports > 0 ?
					 errdetail("A body that defines C functions is a translation unit whose function \"%s\" is called; this one defines: %s.",
							   t->export, defs.data) :
					 errdetail("A body that defines C functions is a translation unit whose function \"%s\" is called; this one exports none.",
							   t->export),
					 fname ?
					 errhint("Name the C function like the SQL function, or write the body as statements.") :
					 errhint("Define void %s(void), or write the block as statements.", t->export)));
		}
	}
	if (first->source == NULL && pf != NULL)
		(void) pl_body_statements_source(pf, procTup, body, true);	/* raises */
	if (first->diagnostics == NULL)
		first = &forms[1];
	pl_report_compile_error(what, first->diagnostics ? first->diagnostics : "");
}

/*
 * Bind pf to the module of its body `body` in `tenant`: pf->pi, pf->module,
 * pf->export_index.  From the session cache, else from the object compiled
 * earlier (tmebox.body_object, keyed by the source's SHA-256, so it never
 * goes stale), else compiled now through the compile cache and, when
 * `record` (CREATE FUNCTION), recorded in tmebox.body_object.
 */
void
pl_body_bind(PlFunction *pf, const TpgTenantRow *tenant, HeapTuple procTup,
			 const char *body, bool record)
{
	PlBodyTry	forms[2];
	char	   *object;
	size_t		len;
	int			chosen;

	pl_body_forms(body, pl_body_statements_source(pf, procTup, body, false),
				  pl_body_prelude(pf), pf->name, forms);

	/* compiled earlier, in either form */
	for (int i = 0; i < 2; i++)
	{
		PlBodyTry  *t = &forms[i];
		PlInstance *pi;
		bytea	   *stored;

		if (t->source == NULL)
			continue;
		snprintf(pf->module, sizeof(pf->module), "#%.32s", t->hex);
		pi = pl_cache_lookup(tenant, pf->module, 0);
		if (pi == NULL && !tenant->carrier &&
			(stored = tpg_catalog_body_object(tenant->name, t->hex)) != NULL &&
			pl_body_find(tpg_module_info(stored), t->export) >= 0)
			pi = pl_cache_install(tenant, pf->module, 0,
								  VARDATA_ANY(stored), VARSIZE_ANY_EXHDR(stored));
		if (pi != NULL &&
			(pf->export_index = tmebox_module_find_export(pi->shared->mod, t->export)) >= 0)
		{
			pf->pi = pi;
			return;
		}
	}

	if (!pl_body_compile(forms, pl_display_name(pf->name), true, &chosen, &object, &len))
		pl_body_fail(forms, psprintf("the body of function \"%s\"", pf->name),
					 pf->name, pf, procTup, body);
	snprintf(pf->module, sizeof(pf->module), "#%.32s", forms[chosen].hex);
	/*
	 * Recorded by CREATE FUNCTION only: a call may run in a restore whose
	 * COPY of tmebox.body_object is still to come (it would fail on this
	 * row), or before the tenant's row exists; the compile cache has it.
	 */
	if (record && !tenant->carrier &&
		!RecoveryInProgress() && !XactReadOnly && !IsInParallelMode())
		tpg_catalog_store_body_object(tenant->name, forms[chosen].hex, object, len);
	pf->pi = pl_cache_install(tenant, pf->module, 0, object, len);
	pf->export_index = tmebox_module_find_export(pf->pi->shared->mod, forms[chosen].export);
	if (pf->export_index < 0)
		elog(ERROR, "compiled body of \"%s\" does not export %s",
			 pf->name, forms[chosen].export);
}

/*
 * The module of a DO block (not cached: it runs once) and the name of the
 * function to call.  A translation unit's do_block must be void(void).
 */
void
pl_body_inline_object(const char *body, char **object, size_t *len,
					  const char **export)
{
	PlBodyTry	forms[2];
	int			chosen;
	const tmebox_signature *sig;

	pl_body_forms(body,
				  psprintf("void " PL_BODY_EXPORT "(void)\n{\n#line 1\n%s\n}\n", body),
				  "", PL_DO_EXPORT, forms);
	if (!pl_body_compile(forms, "inline_code_block.c", false, &chosen, object, len))
		pl_body_fail(forms, "the DO block", NULL, NULL, NULL, body);
	*export = forms[chosen].export;
	sig = &forms[chosen].info->exports[pl_body_find(forms[chosen].info, *export)];
	if (sig->ret != TMEBOX_T_VOID || sig->nargs != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("C function \"%s\" of the DO block must be declared void %s(void)",
						*export, *export),
				 errdetail("It is declared as: %s.", sig->csig)));
}
