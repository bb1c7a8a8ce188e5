/*-------------------------------------------------------------------------
 *
 * tpg_carrier.h
 *		Carriers: functions in a tenant's schema, owned by a superuser, that
 *		hold what a call needs (the tenant's memory limit, each module's
 *		source), so that pg_dump emits them before any table data and a
 *		restore can run tmebox functions before tmebox's own rows are
 *		loaded (tpg_carrier.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_CARRIER_H
#define TPG_CARRIER_H

#include "nodes/pg_list.h"

#define TPG_CARRIER_TENANT	"__tmebox_tenant"
#define TPG_CARRIER_MODULE	"__tmebox_module_"

/*
 * Writers: called from the SPI bodies of the management functions
 * (tpg_tenant.c, tpg_module.c), connected to SPI as the catalog owner.  Each
 * does nothing on the 0.1 catalog or when the tenant has no schema of its
 * own (tpg_schema_of_tenant).
 */
extern void tpg_carrier_set_tenant(const char *tenant, int64 memory_limit);
extern void tpg_carrier_set_module(const char *tenant, const char *module,
								   const char *source);
extern void tpg_carrier_drop_module(const char *tenant, const char *module);
/* drop_tenant, before the schema's RESTRICT drop: every carrier of it */
extern void tpg_carrier_drop_tenant(const char *tenant);
/* the update from 0.1: the tenant's carrier and one per module */
extern void tpg_carrier_create_all(const char *tenant);

/*
 * Readers (the syscache only, no SPI).  A carrier counts only in tmebox's
 * exact form and when its owner is a superuser: the tenant owns the
 * schema and can create functions of any name in it.
 */
typedef struct TpgCarrierTenant
{
	char		name[NAMEDATALEN];	/* the tenant it carries */
	int64		memory_limit;
	Oid			nsp;			/* the schema holding it */
	Oid			owner;			/* that schema's owner */
} TpgCarrierTenant;

/* Every tenant carrier of the database (a List of TpgCarrierTenant *). */
extern List *tpg_carrier_tenants(void);
/* The source of MODULE from its carrier in schema NSP, or NULL. */
extern char *tpg_carrier_module_source(Oid nsp, const char *module);

#endif							/* TPG_CARRIER_H */
