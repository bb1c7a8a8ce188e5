/*-------------------------------------------------------------------------
 *
 * tpg_admin.c
 *		Privilege check and switch-user helper for tmebox's management
 *		functions (see tpg_admin.h for the calling convention), and who may
 *		run code in a tenant (tpg_may_run_in_tenant).
 *
 * Invariants kept here:
 *	- The check looks at the *current* user (GetUserId()), i.e. whoever
 *	  is executing, including inside SECURITY DEFINER functions and after
 *	  SET ROLE; never at the session user.
 *	- Catalog changes run as the catalog tables' owner with
 *	  SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION and
 *	  search_path "pg_catalog, pg_temp", so objects the caller created
 *	  (functions, operators in a schema put first in search_path) are
 *	  never picked up with the owner's rights.
 *	- The previous user id, security context and GUC nest level are
 *	  restored on every path out (PG_FINALLY); transaction abort would
 *	  restore them too, this is belt and braces.
 *	- Nothing is changed before the privilege check has passed.
 *	- Inside that connection every statement goes through tpg_spi,
 *	  tpg_spi_read or tpg_spi_utility: fixed text, values as parameters,
 *	  any result other than the expected one an error naming the statement.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "tpg_admin.h"

/* The tmebox catalog's owner: the owner of table tmebox.tenant. */
static Oid
tpg_catalog_owner(void)
{
	Oid			nspid = get_namespace_oid("tmebox", false);
	Oid			relid = get_relname_relid("tenant", nspid);
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("tmebox catalog table \"tmebox.tenant\" is missing"),
				 errhint("Reinstall the extension with DROP EXTENSION tmebox and CREATE EXTENSION tmebox.")));
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

void
tpg_admin_check(const char *action, const char *tenant, Oid tenant_owner)
{
	Oid			admin;

	if (superuser())
		return;
	admin = get_role_oid(TPG_ADMIN_ROLE, true);
	if (OidIsValid(admin) && has_privs_of_role(GetUserId(), admin))
		return;
	if (tenant == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s", action),
				 errdetail("Only superusers and members of role \"%s\" may manage tmebox tenants.",
						   TPG_ADMIN_ROLE)));
	if (OidIsValid(tenant_owner) && has_privs_of_role(GetUserId(), tenant_owner))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to %s of tenant \"%s\"", action, tenant),
			 errdetail("Only the tenant's owner role, members of \"%s\" and superusers may.",
					   TPG_ADMIN_ROLE)));
}

void
tpg_admin_run(const char *action, TpgAdminBody body, void *arg)
{
	tpg_admin_check(action, NULL, InvalidOid);
	tpg_catalog_run(body, arg);
}

void
tpg_catalog_run(TpgAdminBody body, void *arg)
{
	Oid			owner;
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;

	owner = tpg_catalog_owner();

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(owner,
						   save_sec_context |
						   SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();
	PG_TRY();
	{
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		body(arg);
		if (SPI_finish() != SPI_OK_FINISH)
			elog(ERROR, "SPI_finish failed");
	}
	PG_FINALLY();
	{
		AtEOXact_GUC(false, save_nestlevel);
		SetUserIdAndSecContext(save_userid, save_sec_context);
	}
	PG_END_TRY();
}

uint64
tpg_spi(const char *sql, int nargs, Oid *types, Datum *values,
		const char *nulls, int expect)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, values, nulls,
										   false, 0);

	if (rc != expect)
		elog(ERROR, "tmebox catalog statement failed: %s (%s)",
			 SPI_result_code_string(rc), sql);
	return SPI_processed;
}

uint64
tpg_spi_read(const char *sql, int nargs, Oid *types, Datum *values)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, values, NULL,
										   true, 0);

	if (rc != SPI_OK_SELECT)
		elog(ERROR, "tmebox catalog query failed: %s (%s)",
			 SPI_result_code_string(rc), sql);
	return SPI_processed;
}

void
tpg_spi_utility(const char *sql)
{
	tpg_spi(sql, 0, NULL, NULL, NULL, SPI_OK_UTILITY);
}

/*
 * May code owned by `role` run in a tenant owned by `tenant_owner`
 * (InvalidOid: nobody, see tmebox.tenant_owner)?  Its owner role and that
 * role's members may, superusers everywhere.  The one rule for a tenant
 * named explicitly: binding (pl_bind.c) and the dependencies of modules
 * (tpg_depend.c, where a function naming a tenant its owner may not use
 * depends on none of its modules) both apply it.
 */
bool
tpg_may_run_in_tenant(Oid role, Oid tenant_owner)
{
	return superuser_arg(role) ||
		(OidIsValid(tenant_owner) && has_privs_of_role(role, tenant_owner));
}
