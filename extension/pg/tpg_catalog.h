/*-------------------------------------------------------------------------
 *
 * tpg_catalog.h
 *		Reading and writing tmebox's catalog tables from C (tpg_catalog.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_CATALOG_H
#define TPG_CATALOG_H

#include "datatype/timestamp.h"

typedef struct TpgTenantRow
{
	char	   *name;
	Oid			owner;			/* InvalidOid when the tenant has no owner */
	int32		keyid;
	int64		memory_limit;
	TimestampTz created_at;		/* with id: the tenant's identity */
	int64		id;				/* tmebox.tenant.id; 0 on the 0.1 catalog */
	bool		carrier;		/* no row yet: known from its carrier (keyid,
								 * id and created_at 0) */
	bool		ownerless;		/* recorded owner missing at a restore: runs
								 * no code (tpg_role.c) */
} TpgTenantRow;

extern bool tpg_catalog_tenant_by_name(const char *name, TpgTenantRow *out);
extern int	tpg_catalog_tenants_of_owner(Oid owner, TpgTenantRow *first);
/*
 * While tmebox.tenant has no row of the tenant's name (a restore that has
 * not loaded it yet): the tenant as its schema's carrier describes it
 * (tpg_carrier.c).
 */
extern bool tpg_catalog_carrier_tenant(const char *name, TpgTenantRow *out);
extern int	tpg_catalog_carrier_tenants_of_owner(Oid owner, TpgTenantRow *first);
/* The source of a module from its carrier in the tenant's schema, or NULL. */
extern char *tpg_catalog_carrier_module_source(const char *tenant, const char *module);
extern bytea *tpg_catalog_module_object(const char *tenant, const char *module);
extern bool tpg_catalog_module_version(const char *tenant, const char *module,
									  uint32 *version);
extern bool tpg_catalog_module_exists_elsewhere(const char *tenant, const char *module);
extern bytea *tpg_catalog_body_object(const char *tenant, const char *hash);
extern void tpg_catalog_store_body_object(const char *tenant, const char *hash,
										 const char *object, size_t len);
extern bytea *tpg_catalog_compiled_object(const char *key);
extern void tpg_catalog_store_compiled_object(const char *key,
											 const char *object, size_t len);

/* HEX (65 bytes) = SHA-256 of DATA in lower-case hex: object keys, digests. */
extern void tpg_sha256_hex(const char *data, size_t len, char *hex);

/* OIDs of the catalog tables whose changes invalidate backend caches. */
extern Oid	tpg_catalog_relid(const char *relname, bool missing_ok);

#endif							/* TPG_CATALOG_H */
