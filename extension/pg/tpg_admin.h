/*-------------------------------------------------------------------------
 *
 * tpg_admin.h
 *		Who may manage tmebox (tenants now, modules later), and how the
 *		management functions change the catalog on the caller's behalf.
 *
 * Usage, in a C SQL function:
 *
 *		tpg_admin_check("create tenants", NULL, InvalidOid);	-- 42501 unless allowed
 *		... validate the arguments ...
 *		tpg_admin_run("create tenants", my_spi_body, &my_args);
 *
 * my_spi_body(void *arg) runs connected to SPI, as the owner of the
 * tmebox catalog tables, with search_path = pg_catalog, pg_temp.  It must
 * still schema-qualify every table and use OPERATOR(pg_catalog.=) style
 * operators.  It may raise errors; the caller's identity and settings are
 * restored on every path.  Values it returns through ARG must not point
 * into SPI memory (copy them, or return plain scalars).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_ADMIN_H
#define TPG_ADMIN_H

/* The role whose members (besides superusers) manage tmebox. */
#define TPG_ADMIN_ROLE		"tmebox_admin"

typedef void (*TpgAdminBody) (void *arg);

/*
 * THE privilege check of tmebox's management functions: raise
 * ERRCODE_INSUFFICIENT_PRIVILEGE unless the current user is a superuser or
 * has the privileges of TPG_ADMIN_ROLE or, for an action on one tenant's
 * objects (TENANT not NULL: its modules), of the tenant's owner
 * TENANT_OWNER (InvalidOid: none).  ACTION completes "permission denied
 * to ...", e.g. "create tenants", "create modules" (+ "of tenant ...").
 */
extern void tpg_admin_check(const char *action, const char *tenant,
							Oid tenant_owner);

/*
 * tpg_admin_check(action, NULL, InvalidOid), then run body(arg) inside SPI as the owner of
 * the tmebox catalog with a pinned search_path, then switch back.
 */
extern void tpg_admin_run(const char *action, TpgAdminBody body, void *arg);

/*
 * Run body(arg) as tpg_admin_run does, WITHOUT the admin check: for callers
 * that made their own (module management lets a tenant's owner in too).
 */
extern void tpg_catalog_run(TpgAdminBody body, void *arg);

/*
 * Statements inside the SPI connection of tpg_catalog_run (the one style
 * of SPI access in tmebox).  tpg_spi: SQL with NARGS parameters (NULLS as
 * SPI_execute_with_args takes them, NULL: none), read-write, elog(ERROR)
 * naming the statement unless SPI returns EXPECT (SPI_OK_SELECT, ...);
 * returns SPI_processed, the rows are in SPI_tuptable.  tpg_spi_read: a
 * SELECT under the caller's snapshot (read_only), for the lookups of the
 * call path.  tpg_spi_utility: a utility statement without parameters.
 */
extern uint64 tpg_spi(const char *sql, int nargs, Oid *types, Datum *values,
					  const char *nulls, int expect);
extern uint64 tpg_spi_read(const char *sql, int nargs, Oid *types, Datum *values);
extern void tpg_spi_utility(const char *sql);

/*
 * May code owned by ROLE run in a tenant owned by TENANT_OWNER (InvalidOid:
 * nobody)?  The rule of binding (pl_bind.c) and of module dependencies
 * (tpg_depend.c).
 */
extern bool tpg_may_run_in_tenant(Oid role, Oid tenant_owner);

#endif							/* TPG_ADMIN_H */
