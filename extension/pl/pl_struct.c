/*-------------------------------------------------------------------------
 *
 * pl_struct.c
 *		Rows as C structs (ABI.md "Rows as structs"): a composite SQL type
 *		described as the struct a tmebox function declares for it, that
 *		struct as C text (function bodies get it generated), the check of
 *		a compiled struct's layout against the SQL type, and rows between
 *		Datums and the runtime's field values.
 *
 * Invariants kept here:
 *	- A struct has one member per live column of the type, in the
 *	  columns' order (dropped columns skipped), named like the column and
 *	  of the column's value type (scalars, byte strings, numeric and
 *	  interval; arrays and anonymous records are refused with 0A000), each
 *	  with a bool NAME_isnull member.  A column of a composite type is a
 *	  nested row: the struct of its type, embedded, its fields listed
 *	  after it depth first as ROW.NAME (the runtime's flat layout), at
 *	  most TMEBOX_STRUCT_MAX_DEPTH levels (0A000 beyond).  Column names
 *	  that are no C identifier, a C keyword or a name the prelude defines
 *	  as a macro are refused (42602).
 *	- A compiled struct is used only when its layout (the compiler's,
 *	  from the module's metadata) matches the description member for
 *	  member: names and value types; the runtime uses the compiler's
 *	  offsets, so no layout rule is repeated here.
 *	- A description remembers the typcache's tupDesc_identifier of a named
 *	  type: pl_struct_current tells the caller when ALTER TYPE / ALTER
 *	  TABLE has changed the type since, so no struct of an older layout is
 *	  ever read or written (the function is bound again: a body
 *	  recompiled with the new struct, a module function refused until its
 *	  struct matches); a nested row's type is checked too.
 *	- Every field of a row that comes back is a valid value of its
 *	  column's type before it becomes a Datum: byte strings through
 *	  pl_buf_out (NUL, encoding, json, uuid; numeric field by field by
 *	  pl_numeric_out, 22P03/22003; interval's length, 38000), dates and
 *	  times in range (22008), typmods applied (numeric(p,s) rounds,
 *	  22003), domains checked (23502/23514); a nested row is built from
 *	  its fields, checked alike, and only when its flag is not set.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "pl_function.h"
#include "pl_struct.h"
#include "tpg_check.h"

/* Names a member may not have: C keywords and the prelude's object macros. */
static bool
pl_struct_reserved(const char *name)
{
	static const char *const reserved[] = {
		"auto", "break", "case", "char", "const", "continue", "default", "do",
		"double", "else", "enum", "extern", "float", "for", "goto", "if",
		"inline", "int", "long", "register", "restrict", "return", "short",
		"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
		"unsigned", "void", "volatile", "while", "_Bool", "_Complex",
		"_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic",
		"_Noreturn", "_Static_assert", "_Thread_local", "bool", "true",
		"false", "NULL", "errno", "EOF", "stdin", "stdout", "stderr",
		"INFINITY", "NAN", "HUGE_VAL", NULL
	};

	for (int i = 0; reserved[i]; i++)
		if (strcmp(reserved[i], name) == 0)
			return true;
	return strncmp(name, "__", 2) == 0;
}

/* Is typid (a domain resolved) a composite type: a row as a C struct? */
bool
pl_struct_type(Oid typid)
{
	return get_typtype(getBaseType(typid)) == TYPTYPE_COMPOSITE;
}

static PlStruct *pl_struct_of_type_at(Oid typid, const char *what, int depth);

/* Field number s->nfields of s, the array grown as needed. */
static PlStructField *
pl_struct_add(PlStruct *s, int *cap)
{
	if (s->nfields >= TMEBOX_STRUCT_MAX_FIELDS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a row passed as a C struct has at most %d columns, nested rows' included",
						TMEBOX_STRUCT_MAX_FIELDS)));
	if (s->nfields == *cap)
	{
		*cap *= 2;
		s->fields = repalloc(s->fields, sizeof(PlStructField) * *cap);
	}
	memset(&s->fields[s->nfields], 0, sizeof(PlStructField));
	return &s->fields[s->nfields++];
}

/*
 * pl_struct_describe for a row nested `depth` levels below the row a
 * function passes (0: that row).
 */
static PlStruct *
pl_struct_describe_at(Oid typid, TupleDesc tupdesc, const char *what, int depth)
{
	PlStruct   *s = palloc0(sizeof(PlStruct));
	int			cap = Max(tupdesc->natts, 1);

	s->typid = typid;
	s->tupdesc = CreateTupleDescCopy(tupdesc);
	if (typid == RECORDOID)
	{
		s->cname = PL_STRUCT_RESULT_NAME;
		BlessTupleDesc(s->tupdesc);
	}
	else
	{
		HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));

		if (!HeapTupleIsValid(tup))
			elog(ERROR, "cache lookup failed for type %u", typid);
		s->cname = pstrdup(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname));
		ReleaseSysCache(tup);
		s->identifier = lookup_type_cache(typid, TYPECACHE_TUPDESC)->tupDesc_identifier;
	}
	s->fields = palloc0(sizeof(PlStructField) * cap);
	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		PlStructField *f;
		PlStruct   *sub = NULL;
		const char *name = NameStr(att->attname);
		tmebox_type kind;

		if (att->attisdropped)
			continue;
		if (!tpg_is_c_identifier(name) || pl_struct_reserved(name))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_NAME),
					 errmsg("column \"%s\" of %s cannot be a C struct member", name, what),
					 errdetail("A row reaches a tmebox function as a C struct whose members are named like its columns."),
					 errhint("Rename the column to a C identifier that is no C keyword.")));
		for (int j = 0; j < s->nfields; j += 1 + s->fields[j].nsub)
		{
			const char *other = s->fields[j].name;
			size_t		n = strlen(other);

			if ((strncmp(name, other, n) == 0 && strcmp(name + n, "_isnull") == 0) ||
				(strncmp(other, name, strlen(name)) == 0 &&
				 strcmp(other + strlen(name), "_isnull") == 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_NAME),
						 errmsg("columns \"%s\" and \"%s\" of %s would be the same C struct member",
								other, name, what),
						 errdetail("The NULL flag of column NAME is the member NAME_isnull."),
						 errhint("Rename one of the columns.")));
		}
		if (att->atttypid == RECORDOID ||
			(pl_struct_type(att->atttypid) && depth >= TMEBOX_STRUCT_MAX_DEPTH))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 att->atttypid == RECORDOID ?
					 errmsg("column \"%s\" of %s is an anonymous record: a C struct member needs the row's type",
							name, what) :
					 errmsg("column \"%s\" of %s nests rows more than %d deep",
							name, what, TMEBOX_STRUCT_MAX_DEPTH),
					 errhint("Declare the column of a composite type (a nested struct, at most %d levels deep), or declare the row `record`: a dynamic row (tmebox_row) carries a nested row as its text form.",
							 TMEBOX_STRUCT_MAX_DEPTH)));
		if (pl_struct_type(att->atttypid))
		{
			/* a nested row: a struct member, its members after it */
			sub = pl_struct_of_type_at(att->atttypid,
									   psprintf("type %s", format_type_be(getBaseType(att->atttypid))),
									   depth + 1);
			kind = TMEBOX_T_STRUCT;
		}

		/*
		 * Scalars and values of class BUF (byte strings, numeric and
		 * interval: a pointer to {len, bytes}, which rt_struct.c copies
		 * and checks alike; their bytes are then the scalar path's,
		 * pl_buf_in and pl_buf_out).  Arrays are refused.
		 */
		else if (!pl_type_kind(att->atttypid, false, &kind) ||
				 (tmebox_type_by_ref(kind) && tmebox_type_class_of(kind) != TMEBOX_CLASS_BUF))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("column \"%s\" of %s has type %s, which a row cannot carry to a tmebox function",
							name, what, format_type_be(att->atttypid)),
					 errhint("Columns of rows may be scalars (bool, integers, floats, dates and times), byte strings (text, bytea, varchar, json, jsonb, uuid, ...), numeric, interval and rows (nested structs); declare the row `record` to pass array columns: a dynamic row (tmebox_row) carries them.")));
		f = pl_struct_add(s, &cap);
		f->attno = i;
		f->type = att->atttypid;
		f->typmod = att->atttypmod;
		f->base = getBaseTypeAndTypmod(att->atttypid, &f->typmod);
		f->kind = kind;
		f->name = pstrdup(name);
		f->path = f->name;
		f->sub = sub;
		f->nsub = sub ? sub->nfields : 0;
		if (f->base != f->type || f->typmod >= 0 || pl_type_has_range(f->base) ||
			(sub && sub->checked))
			s->checked = true;
		/* the nested row's fields, depth first, named ROW.MEMBER */
		for (int k = 0; sub && k < sub->nfields; k++)
		{
			PlStructField *m = pl_struct_add(s, &cap);

			*m = sub->fields[k];
			m->path = psprintf("%s.%s", name, sub->fields[k].path);
		}
	}
	if (s->nfields == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s has no columns: a C struct needs at least one member", what)));
	return s;
}

/*
 * The struct of rows of tupdesc (of composite type typid, or RECORDOID
 * for the row of OUT parameters / TABLE columns), allocated in the
 * current memory context; `what` names the type in errors ("type point",
 * "the OUT parameters of f").  Raises 0A000 / 42602 for a row the
 * language cannot pass (see the header).
 */
PlStruct *
pl_struct_describe(Oid typid, TupleDesc tupdesc, const char *what)
{
	return pl_struct_describe_at(typid, tupdesc, what, 0);
}

static PlStruct *
pl_struct_of_type_at(Oid typid, const char *what, int depth)
{
	Oid			base = getBaseType(typid);
	TypeCacheEntry *tce = lookup_type_cache(base, TYPECACHE_TUPDESC);

	if (tce->tupDesc == NULL)
		elog(ERROR, "type %s has no row description", format_type_be(base));
	return pl_struct_describe_at(base, tce->tupDesc, what, depth);
}

/* The struct of composite type typid (a domain resolved). */
PlStruct *
pl_struct_of_type(Oid typid, const char *what)
{
	return pl_struct_of_type_at(typid, what, 0);
}

/*
 * The row a function of pg_proc row procTup returns (its result, or each
 * row of its set): of a composite type, or of its OUT parameters / TABLE
 * columns (more than one: one alone is its result's own type); NULL when
 * the result is no row, or a record without OUT parameters (a dynamic
 * row, pl_record.c).
 */
PlStruct *
pl_struct_of_result(HeapTuple procTup)
{
	Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(procTup);
	TupleDesc	td;

	if (proc->prorettype == RECORDOID)
	{
		td = build_function_result_tupdesc_t(procTup);
		if (td == NULL)
			return NULL;		/* a record: a dynamic row (pl_record.c) */
		return pl_struct_describe(RECORDOID, td,
								  psprintf("the result of function \"%s\"", NameStr(proc->proname)));
	}
	if (pl_struct_type(proc->prorettype))
		return pl_struct_of_type(proc->prorettype,
								 psprintf("type %s", format_type_be(proc->prorettype)));
	return NULL;
}

/* Is s still the type's current shape (no ALTER since)? */
bool
pl_struct_current(const PlStruct *s)
{
	/* a nested row's type may change alone (ALTER TYPE inner ...) */
	for (int i = 0; i < s->nfields; i += 1 + s->fields[i].nsub)
		if (s->fields[i].sub != NULL && !pl_struct_current(s->fields[i].sub))
			return false;
	if (s->typid == RECORDOID)
		return true;			/* from pg_proc: a change rebinds anyway */
	return lookup_type_cache(s->typid, TYPECACHE_TUPDESC)->tupDesc_identifier == s->identifier;
}

/* C type of member f: the scalar, a pointer to tmebox_buf, tmebox_numeric
 * or tmebox_interval (never const: a result's members are the function's
 * to set), or a nested row's struct. */
static const char *
pl_struct_ctype(const PlStructField *f)
{
	return f->sub ? f->sub->cname : pl_type_cname(f->kind, true);
}

/*
 * The C definition of s's struct (typedef struct NAME {...} NAME;) and,
 * when `set`, of its set (typedef struct NAME_rows {uint32_t n, _pad;
 * NAME v[];} NAME_rows;), for the prelude of a function body; the
 * structs of its nested rows first.  *done lists the structs already
 * defined (each once): a struct of that C name is not defined again, and
 * one of another type by the same name is 42P13.
 */
void
pl_struct_cdef(StringInfo buf, const PlStruct *s, bool set, List **done)
{
	ListCell   *lc;

	foreach(lc, *done)
	{
		const PlStruct *d = lfirst(lc);

		if (strcmp(d->cname, s->cname) != 0)
			continue;
		if (d->typid != s->typid)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("the rows of types %s and %s would both be the C struct \"%s\"",
							format_type_be(d->typid), format_type_be(s->typid), s->cname),
					 errhint("Rename one of the types, or bind the function to a module that declares the structs itself.")));
		return;
	}
	if (!tpg_is_c_identifier(s->cname) || pl_struct_reserved(s->cname) ||
		strncmp(s->cname, "tmebox_", 7) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("type \"%s\" cannot name a C struct", s->cname),
				 errdetail("A function body receives a row as a C struct named like its type."),
				 errhint("Rename the type to a C identifier, or bind the function to a module that declares the struct itself.")));
	for (int i = 0; i < s->nfields; i += 1 + s->fields[i].nsub)
		if (s->fields[i].sub != NULL)
			pl_struct_cdef(buf, s->fields[i].sub, false, done);
	*done = lappend(*done, (void *) s);
	appendStringInfo(buf, "typedef struct %s\n{\n", s->cname);
	for (int i = 0; i < s->nfields; i += 1 + s->fields[i].nsub)
		appendStringInfo(buf, "\t%s %s;\n", pl_struct_ctype(&s->fields[i]), s->fields[i].name);
	for (int i = 0; i < s->nfields; i += 1 + s->fields[i].nsub)
		appendStringInfo(buf, "\tbool %s_isnull;\n", s->fields[i].name);
	appendStringInfo(buf, "} %s;\n", s->cname);
	if (set)
		appendStringInfo(buf, "typedef struct %s_rows\n{\n\tuint32_t n, _pad;\n\t%s v[];\n} %s_rows;\n",
						 s->cname, s->cname, s->cname);
}

/*
 * The compiled struct l (the module's metadata) must be s's: the same
 * members in the same order, names and value types.  42P13 otherwise.
 */
void
pl_struct_check_layout(const PlStruct *s, const tmebox_struct_layout *l,
					   const char *cfunc, const char *fname)
{
	int			bad = -1;

	if (l == NULL)
		bad = 0;
	for (int i = 0; bad < 0 && i < s->nfields; i++)
		if (i >= l->nfields || strcmp(l->fields[i].name, s->fields[i].path) != 0 ||
			l->fields[i].type != s->fields[i].kind)
			bad = i;
	if (bad < 0 && l->nfields != s->nfields)
		bad = s->nfields;
	if (bad < 0)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
			 errmsg("the C struct of C function \"%s\" does not match the row of \"%s\"",
					cfunc, fname),
			 bad < s->nfields ?
			 errdetail("Member %d must be %s %s (column \"%s\" of type %s), with a bool %s_isnull.",
					   bad + 1, pl_struct_ctype(&s->fields[bad]), s->fields[bad].path,
					   s->fields[bad].path, format_type_be(s->fields[bad].type),
					   s->fields[bad].name) :
			 errdetail("The struct has %d members with NULL flags; the row has %d columns.",
					   l ? l->nfields : 0, s->nfields),
			 errhint("A row's struct has one member per column, in the columns' order, named like the column, each with a bool NAME_isnull (a nested row's column: a struct member of its own); after ALTER TYPE, change the module's struct to match.")));
}

/*
 * The fields fv[0, s->nfields) of row d of s's type, all NULL when
 * isnull (a NULL nested row: nothing of it is passed).
 */
static void
pl_struct_in_fields(const PlStruct *s, Datum d, bool isnull, tmebox_value *fv)
{
	HeapTupleHeader th;
	HeapTupleData tup;
	Datum	   *values;
	bool	   *nulls;

	if (isnull)
	{
		for (int i = 0; i < s->nfields; i++)
			fv[i].isnull = true;
		return;
	}
	th = DatumGetHeapTupleHeader(d);
	values = palloc(sizeof(Datum) * Max(s->tupdesc->natts, 1));
	nulls = palloc(sizeof(bool) * Max(s->tupdesc->natts, 1));
	tup.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tup.t_self);
	tup.t_tableOid = InvalidOid;
	tup.t_data = th;
	heap_deform_tuple(&tup, s->tupdesc, values, nulls);
	for (int i = 0; i < s->nfields; i += 1 + s->fields[i].nsub)
	{
		const PlStructField *f = &s->fields[i];

		fv[i].isnull = nulls[f->attno];
		if (f->sub != NULL)
			pl_struct_in_fields(f->sub, values[f->attno], fv[i].isnull, fv + i + 1);
		else if (fv[i].isnull)
			continue;
		else if (tmebox_type_class_of(f->kind) == TMEBOX_CLASS_BUF)
			pl_buf_in(f->base, values[f->attno], &fv[i]);
		else
			pl_scalar_in(f->kind, values[f->attno], &fv[i]);
	}
}

/*
 * Row argument d (a composite Datum of s's type) as the runtime's field
 * values: v->v.buf.data a palloc'd tmebox_value per member (a nested
 * row's flag, then its members), v->v.buf.len their count; byte strings
 * by reference into the (detoasted) row.
 */
void
pl_struct_in(const PlStruct *s, Datum d, tmebox_value *v)
{
	tmebox_value *fv = palloc0(sizeof(tmebox_value) * s->nfields);

	pl_struct_in_fields(s, d, false, fv);
	v->isnull = false;
	v->v.buf.data = fv;
	v->v.buf.len = (uint32) s->nfields;
}

/*
 * A returned row's fields fv (the runtime's copy) as values[]/nulls[] of
 * s->tupdesc (dropped columns NULL), each field a valid value of its
 * column first (see the header).
 */
void
pl_struct_values(const PlStruct *s, const tmebox_value *fv, Datum *values, bool *nulls,
				 const char *fname)
{
	for (int i = 0; i < s->tupdesc->natts; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = true;
	}
	for (int i = 0; i < s->nfields; i += 1 + s->fields[i].nsub)
	{
		const PlStructField *f = &s->fields[i];
		Datum		d = (Datum) 0;

		if (!fv[i].isnull)
		{
			if (f->sub != NULL)
				d = pl_struct_out(f->sub, fv + i + 1, fname);	/* checked alike */
			else if (tmebox_type_class_of(f->kind) == TMEBOX_CLASS_BUF)
				d = pl_bufarray_elem_out(f->base, &fv[i], fname);
			else
			{
				d = pl_scalar_out(f->kind, &fv[i]);
				pl_type_check_result(f->base, d, fname);
			}
			d = pl_type_apply_typmod(f->base, d, f->typmod);
		}
		if (f->base != f->type)
			domain_check(d, fv[i].isnull, f->type, NULL, CurrentMemoryContext);
		values[f->attno] = d;
		nulls[f->attno] = fv[i].isnull;
	}
}

/* A returned row's fields fv as a composite Datum of s's type. */
Datum
pl_struct_out(const PlStruct *s, const tmebox_value *fv, const char *fname)
{
	Datum	   *values = palloc(sizeof(Datum) * Max(s->tupdesc->natts, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(s->tupdesc->natts, 1));

	pl_struct_values(s, fv, values, nulls, fname);
	return HeapTupleGetDatum(heap_form_tuple(s->tupdesc, values, nulls));
}
