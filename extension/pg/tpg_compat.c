/*-------------------------------------------------------------------------
 *
 * tpg_compat.c
 *		One tmebox.so serves every database of the cluster, and each
 *		database's catalog is at the version of its last CREATE EXTENSION
 *		or ALTER EXTENSION UPDATE: after `make install` of this library a
 *		database may still have the 0.1 catalog until ALTER EXTENSION
 *		tmebox UPDATE (extension/sql/tmebox--0.1--0.2.sql) runs there.
 *		The library keeps working on it with the 0.1 behaviour.
 *
 * Invariants kept here:
 *	- The 0.1 catalog is recognised by what it lacks, the view
 *	  tmebox.tenant_owner (created by the 0.2 script and the update):
 *	  a syscache lookup, no query.  On 0.1, a tenant's owner is the
 *	  recorded one (tmebox.tenant.owner) and tenants have no schema
 *	  (tpg_schema.c does nothing); the update creates the schemas.
 *	- Parts of the catalog the library can do without (the compile cache
 *	  tmebox.compiled_object) are looked for by name where they are used
 *	  (tpg_catalog.c), so a missing one is skipped, never queried.
 *	- C functions whose SQL declaration gained arguments in 0.2 read the
 *	  new ones only when PG_NARGS() says they were passed
 *	  (drop_module/replace_module: cascade is false through the 0.1
 *	  declaration).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "utils/lsyscache.h"

#include "tpg_compat.h"

bool
tpg_catalog_has(const char *relname)
{
	Oid			nsp = get_namespace_oid("tmebox", true);

	return OidIsValid(nsp) && OidIsValid(get_relname_relid(relname, nsp));
}

bool
tpg_catalog_is_0_1(void)
{
	return !tpg_catalog_has("tenant_owner");
}

const char *
tpg_catalog_owner_rel(void)
{
	if (tpg_catalog_is_0_1())
		return "(SELECT t0.name, t0.owner FROM tmebox.tenant t0)";
	return "tmebox.tenant_owner";
}
