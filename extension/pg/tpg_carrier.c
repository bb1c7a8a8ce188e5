/*-------------------------------------------------------------------------
 *
 * tpg_carrier.c
 *		Carriers: what a call of a tmebox function needs, kept in objects
 *		pg_dump emits in its pre-data section.  pg_restore loads table data
 *		in name order (in parallel with -j), so tmebox's configuration rows
 *		(tmebox.tenant, module, body_object) may come after a table whose
 *		generated column, CHECK constraint or index calls a tmebox
 *		function; the carriers let that call run before them
 *		(extension/DESIGN.md §10):
 *
 *		<schema>.__tmebox_tenant() RETURNS int8
 *			'SELECT <memory_limit>::pg_catalog.int8 AS "<tenant>"'
 *		<schema>.__tmebox_module_<module>() RETURNS text
 *			'SELECT <source as a literal>::pg_catalog.text'
 *
 *		LANGUAGE sql IMMUTABLE functions in the tenant's schema (the one
 *		tmebox.tenant_owner names, whatever its name now), owned by
 *		the catalog owner (a superuser), EXECUTE revoked from PUBLIC.  A
 *		module name longer than 46 characters makes the function
 *		__tmebox_module_<first 30>_<16 hex digits of its SHA-256>, so every
 *		name fits NAMEDATALEN and two module names never share a carrier
 *		(the short form is at most 62 characters, the long one 63).
 *
 * Invariants kept here:
 *	- Writers run inside the management functions' SPI bodies, as the
 *	  catalog owner with search_path pg_catalog (tpg_catalog_run): names
 *	  are quoted with quote_identifier, the source and the body with
 *	  quote_literal_cstr, never spliced raw.
 *	- The tenant carrier names its tenant, so a renamed schema still
 *	  carries the right one; a tenant's modules are carried in the schema
 *	  of its tenant carrier.
 *	- Readers never execute a carrier: they read its prosrc and accept it
 *	  only in exactly the form written here, from a LANGUAGE sql function
 *	  without arguments whose owner is a superuser.  The tenant owns the
 *	  schema and may create, or drop, functions of any name in it; one it
 *	  made never counts, and a writer drops such an impostor (RESTRICT)
 *	  before it writes the real carrier.
 *	- A carrier is never an extension member (created from an extension
 *	  script, like the update from 0.1, its membership is removed), so
 *	  pg_dump emits it with the schema.
 *	- On the 0.1 catalog (no tenant schemas) nothing here does anything.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/dependency.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_language.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "common/cryptohash.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "tpg_admin.h"
#include "tpg_carrier.h"
#include "tpg_check.h"
#include "tpg_compat.h"
#include "tpg_schema.h"

#define TPG_CARRIER_SHORT_MAX 46	/* longest module name used as is */

/* The carrier function's name for MODULE (palloc'd). */
static char *
tpg_carrier_module_fname(const char *module)
{
	uint8		digest[32];
	pg_cryptohash_ctx *ctx;

	if (strlen(module) <= TPG_CARRIER_SHORT_MAX)
		return psprintf(TPG_CARRIER_MODULE "%s", module);
	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) module, strlen(module)) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	return psprintf(TPG_CARRIER_MODULE "%.30s_%02x%02x%02x%02x%02x%02x%02x%02x",
					module, digest[0], digest[1], digest[2], digest[3],
					digest[4], digest[5], digest[6], digest[7]);
}

/*
 * The name of schema NSP, read with SPI (not through the syscache, whose
 * growth DEBUG output of other statements would show).
 */
static char *
tpg_carrier_nspname(Oid nsp)
{
	Oid			types[1] = {OIDOID};
	Datum		values[1];

	values[0] = ObjectIdGetDatum(nsp);
	if (tpg_spi("SELECT nspname::pg_catalog.text FROM pg_catalog.pg_namespace"
				" WHERE oid OPERATOR(pg_catalog.=) $1",
				1, types, values, NULL, SPI_OK_SELECT) != 1)
		elog(ERROR, "cache lookup failed for schema %u", nsp);
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* Function FNAME() (no arguments) in schema NSP, or NULL; ReleaseSysCache. */
static HeapTuple
tpg_carrier_lookup(Oid nsp, const char *fname)
{
	HeapTuple	tup;

	tup = SearchSysCache3(PROCNAMEARGSNSP, CStringGetDatum(fname),
						  PointerGetDatum(buildoidvector(NULL, 0)),
						  ObjectIdGetDatum(nsp));
	return HeapTupleIsValid(tup) ? tup : NULL;
}

/*
 * prosrc of FNAME() in NSP if it is a carrier returning RETTYPE made by a
 * superuser, else NULL.
 */
static char *
tpg_carrier_prosrc(Oid nsp, const char *fname, Oid rettype)
{
	HeapTuple	tup = tpg_carrier_lookup(nsp, fname);
	Form_pg_proc proc;
	char	   *src = NULL;

	if (tup == NULL)
		return NULL;
	proc = (Form_pg_proc) GETSTRUCT(tup);
	if (proc->prokind == PROKIND_FUNCTION && proc->prolang == SQLlanguageId &&
		proc->prorettype == rettype && !proc->proretset &&
		superuser_arg(proc->proowner))
	{
		bool		isnull;
		Datum		d = SysCacheGetAttr(PROCNAMEARGSNSP, tup,
										Anum_pg_proc_prosrc, &isnull);

		if (!isnull)
			src = TextDatumGetCString(d);
	}
	ReleaseSysCache(tup);
	return src;
}

/*
 * Write carrier FNAME() RETURNS RETTYPE AS BODY in schema NSP.  An impostor of that name (not made by a superuser) is dropped
 * first; inside an extension script an existing one too (CREATE OR
 * REPLACE may not adopt it there) and the new one is no extension member.
 */
static void
tpg_carrier_put(Oid nsp, const char *fname, const char *rettype,
				const char *body, const char *comment)
{
	HeapTuple	tup = tpg_carrier_lookup(nsp, fname);
	char	   *qname = psprintf("%s.%s()", quote_identifier(tpg_carrier_nspname(nsp)),
								 quote_identifier(fname));
	bool		replace = false;

	if (tup != NULL)
	{
		replace = superuser_arg(((Form_pg_proc) GETSTRUCT(tup))->proowner) &&
			!creating_extension;
		ReleaseSysCache(tup);
		if (!replace)
			tpg_spi_utility(psprintf("DROP FUNCTION %s RESTRICT", qname));
	}
	tpg_spi_utility(psprintf("CREATE %s FUNCTION %s RETURNS pg_catalog.%s"
							 " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %s",
							 replace ? "OR REPLACE" : "", qname, rettype,
							 quote_literal_cstr(body)));
	tpg_spi_utility(psprintf("REVOKE ALL ON FUNCTION %s FROM PUBLIC", qname));
	tpg_spi_utility(psprintf("COMMENT ON FUNCTION %s IS %s", qname,
							 quote_literal_cstr(comment)));
	if (creating_extension)
	{
		HeapTuple	made = tpg_carrier_lookup(nsp, fname);

		if (made == NULL)
			elog(ERROR, "tmebox carrier %s vanished", qname);
		deleteDependencyRecordsForClass(ProcedureRelationId,
										((Form_pg_proc) GETSTRUCT(made))->oid,
										ExtensionRelationId, DEPENDENCY_EXTENSION);
		ReleaseSysCache(made);
		CommandCounterIncrement();
	}
}

/* Drop FNAME() in NSP if it is a carrier made by a superuser. */
static void
tpg_carrier_remove(Oid nsp, const char *fname)
{
	HeapTuple	tup = tpg_carrier_lookup(nsp, fname);
	bool		ours;
	char	   *sql;

	if (tup == NULL)
		return;
	ours = superuser_arg(((Form_pg_proc) GETSTRUCT(tup))->proowner);
	ReleaseSysCache(tup);
	if (!ours)
		return;					/* the tenant's own function: its business */
	sql = psprintf("DROP FUNCTION %s.%s() RESTRICT",
				   quote_identifier(tpg_carrier_nspname(nsp)), quote_identifier(fname));
	tpg_spi_utility(sql);
}

void
tpg_carrier_set_tenant(const char *tenant, int64 memory_limit)
{
	Oid			nsp;

	if (tpg_catalog_is_0_1() || !OidIsValid(nsp = tpg_schema_of_tenant(tenant)))
		return;
	tpg_carrier_put(nsp, TPG_CARRIER_TENANT, "int8",
					psprintf("SELECT " INT64_FORMAT "::pg_catalog.int8 AS \"%s\"",
							 memory_limit, tenant),
					psprintf("tmebox: tenant \"%s\" (its memory limit), for restores; kept by tmebox.create_tenant and alter_tenant, do not drop",
							 tenant));
}

void
tpg_carrier_set_module(const char *tenant, const char *module, const char *source)
{
	Oid			nsp;

	if (tpg_catalog_is_0_1() || !OidIsValid(nsp = tpg_schema_of_tenant(tenant)))
		return;
	tpg_carrier_put(nsp, tpg_carrier_module_fname(module), "text",
					psprintf("SELECT %s::pg_catalog.text", quote_literal_cstr(source)),
					psprintf("tmebox: the source of module \"%s\" of tenant \"%s\", for restores; kept by tmebox.create_module, replace_module and drop_module, do not drop",
							 module, tenant));
}

void
tpg_carrier_drop_module(const char *tenant, const char *module)
{
	Oid			nsp;

	if (tpg_catalog_is_0_1() || !OidIsValid(nsp = tpg_schema_of_tenant(tenant)))
		return;
	tpg_carrier_remove(nsp, tpg_carrier_module_fname(module));
}

void
tpg_carrier_drop_tenant(const char *tenant)
{
	Oid			nsp;
	Oid			types[1] = {OIDOID};
	Datum		values[1];
	List	   *names = NIL;
	ListCell   *lc;
	uint64		i;

	if (tpg_catalog_is_0_1() || !OidIsValid(nsp = tpg_schema_of_tenant(tenant)))
		return;
	values[0] = ObjectIdGetDatum(nsp);
	tpg_spi("SELECT p.proname::pg_catalog.text FROM pg_catalog.pg_proc p"
			" WHERE p.pronamespace OPERATOR(pg_catalog.=) $1"
			"   AND p.pronargs OPERATOR(pg_catalog.=) 0"
			"   AND (p.proname OPERATOR(pg_catalog.=) '" TPG_CARRIER_TENANT "'"
			"        OR p.proname OPERATOR(pg_catalog.~~) '\\_\\_tmebox\\_module\\_%')",
			1, types, values, NULL, SPI_OK_SELECT);
	for (i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i],
											SPI_tuptable->tupdesc, 1));
	foreach(lc, names)
		tpg_carrier_remove(nsp, (const char *) lfirst(lc));
}

void
tpg_carrier_create_all(const char *tenant)
{
	Oid			types[1] = {TEXTOID};
	Datum		values[1];
	int64		limit;
	int			n;
	int			i;
	char	  **modules;
	char	  **sources;
	bool		isnull;

	values[0] = CStringGetTextDatum(tenant);
	if (tpg_spi("SELECT memory_limit FROM tmebox.tenant"
				" WHERE name OPERATOR(pg_catalog.=) $1",
				1, types, values, NULL, SPI_OK_SELECT) != 1)
		elog(ERROR, "tenant \"%s\" not found", tenant);
	limit = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1, &isnull));
	tpg_carrier_set_tenant(tenant, limit);

	tpg_spi("SELECT name::pg_catalog.text, source FROM tmebox.module"
			" WHERE tenant OPERATOR(pg_catalog.=) $1 ORDER BY name",
			1, types, values, NULL, SPI_OK_SELECT);
	n = (int) SPI_processed;
	modules = palloc(sizeof(char *) * Max(n, 1));
	sources = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		modules[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		sources[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
	}
	for (i = 0; i < n; i++)
		tpg_carrier_set_module(tenant, modules[i], sources[i]);
}

/*
 * Parse a tenant carrier's prosrc, 'SELECT <digits>::pg_catalog.int8 AS
 * "<tenant>"', with a limit within bounds and a valid tenant name.
 */
static bool
tpg_carrier_parse_tenant(const char *src, TpgCarrierTenant *out)
{
	const char *p;
	const char *digits;
	const char *name;
	int64		v = 0;
	size_t		len;

	if (strncmp(src, "SELECT ", 7) != 0)
		return false;
	digits = p = src + 7;
	while (*p >= '0' && *p <= '9' && p - digits < 12)
		v = v * 10 + (*p++ - '0');
	if (p == digits || strncmp(p, "::pg_catalog.int8 AS \"", 22) != 0 ||
		v < TPG_MEMORY_LIMIT_MIN || v > TPG_MEMORY_LIMIT_MAX)
		return false;
	name = p + 22;
	len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");
	if (len == 0 || len >= NAMEDATALEN || (name[0] >= '0' && name[0] <= '9') ||
		strcmp(name + len, "\"") != 0)
		return false;
	memcpy(out->name, name, len);
	out->name[len] = '\0';
	out->memory_limit = v;
	return true;
}

List *
tpg_carrier_tenants(void)
{
	CatCList   *list;
	List	   *result = NIL;
	int			i;

	if (tpg_catalog_is_0_1())
		return NIL;
	list = SearchSysCacheList1(PROCNAMEARGSNSP, CStringGetDatum(TPG_CARRIER_TENANT));
	for (i = 0; i < list->n_members; i++)
	{
		HeapTuple	tup = &list->members[i]->tuple;
		Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tup);
		TpgCarrierTenant *t;
		HeapTuple	ntup;
		bool		isnull;
		Datum		d;

		if (proc->pronargs != 0 || proc->prokind != PROKIND_FUNCTION ||
			proc->prolang != SQLlanguageId || proc->prorettype != INT8OID ||
			proc->proretset || !superuser_arg(proc->proowner))
			continue;
		d = SysCacheGetAttr(PROCNAMEARGSNSP, tup, Anum_pg_proc_prosrc, &isnull);
		if (isnull)
			continue;
		t = palloc(sizeof(TpgCarrierTenant));
		ntup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(proc->pronamespace));
		if (!HeapTupleIsValid(ntup) ||
			!tpg_carrier_parse_tenant(TextDatumGetCString(d), t))
		{
			if (HeapTupleIsValid(ntup))
				ReleaseSysCache(ntup);
			pfree(t);
			continue;
		}
		t->nsp = proc->pronamespace;
		t->owner = ((Form_pg_namespace) GETSTRUCT(ntup))->nspowner;
		ReleaseSysCache(ntup);
		result = lappend(result, t);
	}
	ReleaseSysCacheList(list);
	return result;
}

/*
 * "SELECT <literal>::pg_catalog.text", the literal as quote_literal_cstr
 * writes it: quotes doubled, and with an E prefix when the text has
 * backslashes, which are doubled too.
 */
char *
tpg_carrier_module_source(Oid nsp, const char *module)
{
	char	   *src = tpg_carrier_prosrc(nsp, tpg_carrier_module_fname(module), TEXTOID);
	const char *p;
	bool		escape = false;
	StringInfoData out;

	if (src == NULL || strncmp(src, "SELECT ", 7) != 0)
		return NULL;
	p = src + 7;
	if (*p == 'E')
	{
		escape = true;
		p++;
	}
	if (*p++ != '\'')
		return NULL;
	initStringInfo(&out);
	for (;;)
	{
		if (*p == '\0')
			return NULL;
		if (*p == '\'' && p[1] == '\'')
		{
			appendStringInfoChar(&out, '\'');
			p += 2;
		}
		else if (*p == '\'')
			break;
		else if (*p == '\\')
		{
			if (!escape || p[1] != '\\')
				return NULL;
			appendStringInfoChar(&out, '\\');
			p += 2;
		}
		else
			appendStringInfoChar(&out, *p++);
	}
	if (strcmp(p + 1, "::pg_catalog.text") != 0)
		return NULL;
	return out.data;
}
