/*-------------------------------------------------------------------------
 *
 * pl_catalog.h
 *		Reading and writing tmebox's catalog tables from C (pl_catalog.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_CATALOG_H
#define PL_CATALOG_H

#include "datatype/timestamp.h"

typedef struct PlTenantRow
{
	char	   *name;
	Oid			owner;			/* InvalidOid when the tenant has no owner */
	int32		keyid;
	int64		memory_limit;
	TimestampTz created_at;		/* with id: the tenant's identity */
	int64		id;				/* tmebox.tenant.id; 0 on the 0.1 catalog */
	bool		carrier;		/* no row yet: known from its carrier (keyid,
								 * id and created_at 0) */
} PlTenantRow;

extern bool pl_catalog_tenant_by_name(const char *name, PlTenantRow *out);
extern int	pl_catalog_tenants_of_owner(Oid owner, PlTenantRow *first);
/*
 * While tmebox.tenant has no row of the tenant's name (a restore that has
 * not loaded it yet): the tenant as its schema's carrier describes it
 * (tpg_carrier.c).
 */
extern bool pl_catalog_carrier_tenant(const char *name, PlTenantRow *out);
extern int	pl_catalog_carrier_tenants_of_owner(Oid owner, PlTenantRow *first);
/* The source of a module from its carrier in the tenant's schema, or NULL. */
extern char *pl_catalog_carrier_module_source(const char *tenant, const char *module);
extern bytea *pl_catalog_module_object(const char *tenant, const char *module);
extern bool pl_catalog_module_version(const char *tenant, const char *module,
									  uint32 *version);
extern bool pl_catalog_module_exists_elsewhere(const char *tenant, const char *module);
extern bytea *pl_catalog_body_object(const char *tenant, const char *hash);
extern void pl_catalog_store_body_object(const char *tenant, const char *hash,
										 const char *object, size_t len);
extern bytea *pl_catalog_compiled_object(const char *key);
extern void pl_catalog_store_compiled_object(const char *key,
											 const char *object, size_t len);

/* OIDs of the catalog tables whose changes invalidate backend caches. */
extern Oid	pl_catalog_relid(const char *relname, bool missing_ok);

#endif							/* PL_CATALOG_H */
