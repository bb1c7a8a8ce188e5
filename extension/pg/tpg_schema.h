/*-------------------------------------------------------------------------
 *
 * tpg_schema.h
 *		A tenant's schema: the PostgreSQL object that carries a tenant's
 *		ownership (tpg_schema.c).  Called from the SPI bodies of
 *		tpg_tenant.c, connected to SPI as the catalog owner.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_SCHEMA_H
#define TPG_SCHEMA_H

/* create_tenant: create (or adopt) schema TENANT owned by OWNER. */
extern void tpg_schema_create(const char *tenant, Oid owner);

/*
 * alter_tenant: give the tenant's schema (by OID) to OWNER (InvalidOid:
 * keep its owner) and record its OID again.
 */
extern void tpg_schema_set_owner(const char *tenant, Oid owner);

/* The tenant's own schema (the rule of tmebox.tenant_owner), or InvalidOid. */
extern Oid	tpg_schema_of_tenant(const char *tenant);

/* drop_tenant: drop the tenant's schema (RESTRICT). */
extern void tpg_schema_drop(const char *tenant);

#endif							/* TPG_SCHEMA_H */
