/*-------------------------------------------------------------------------
 *
 * pl_cache.h
 *		The backend's resident sandboxes: one instance per (tenant, module),
 *		loaded modules shared by content, per-tenant memory budgets
 *		(pl_cache.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_CACHE_H
#define PL_CACHE_H

#include "tmebox_rt.h"
#include "tpg_catalog.h"

#define PL_MODULE_KEYLEN	(NAMEDATALEN + 80)

typedef struct PlTenant
{
	char		name[NAMEDATALEN];	/* hash key */
	/* identity: a row with the same name but another id or creation is
	 * another tenant, whose instances must never be these (nor those of a
	 * new owner or KeyID) */
	int64		id;
	TimestampTz created_at;
	Oid			owner;
	uint32		keyid;
	tmebox_budget budget;
	uint64		calls;			/* of its instances dropped so far; the live
								 * ones count their own (pl_cache_tenant_snapshot
								 * adds them), so a call touches one counter */
	uint64		faults;
	int			snap_index;		/* scratch of pl_cache_tenant_snapshot */
	int			ninstances;		/* its resident instances */
	MemoryContext hostcxt;		/* its host copies (pl_tenantmem.c), or NULL */
} PlTenant;

/* A loaded module, shared by every instance whose object is identical. */
typedef struct PlModule
{
	char		digest[65];		/* hash key: SHA-256 of the module file, hex */
	tmebox_module *mod;
	int			refs;			/* instances using it */
} PlModule;

typedef struct PlInstance
{
	char		key[NAMEDATALEN + PL_MODULE_KEYLEN];	/* "tenant/module" */
	PlTenant   *tenant;
	char		module[PL_MODULE_KEYLEN];	/* module name, or "#hash" */
	PlModule   *shared;			/* its loaded module */
	tmebox_instance *inst;
	MemoryContext cxt;			/* bookkeeping, named after tenant/KeyID */
	uint32		version;		/* catalog row version it was built from */
	uint64		calls;
	uint64		faults;
} PlInstance;

/* Bumped whenever cached bindings may be stale: by pl_cache_flush_if_stale,
 * once pl_cache_stale has been set by an invalidation, and before any
 * instance is freed (a binding of an earlier generation may point at it). */
extern uint64 pl_cache_generation;
extern bool pl_cache_stale;

extern void pl_cache_init(void);
extern void pl_cache_flush_if_stale(void);
extern PlInstance *pl_cache_lookup(const TpgTenantRow *tenant, const char *module,
								   uint32 version);
extern PlInstance *pl_cache_install(const TpgTenantRow *tenant, const char *module,
									uint32 version, const char *object, size_t len);
extern void pl_cache_reset_instance(PlInstance *pi);
extern void pl_cache_discard_all(void);
extern void pl_cache_note_provisional(void);

/* A snapshot of one resident instance, for tmebox.instances. */
typedef struct PlInstanceStat
{
	char		tenant[NAMEDATALEN];
	char		module[PL_MODULE_KEYLEN];
	uint32		keyid;
	uint64		committed;
	uint64		calls;
	uint64		faults;
} PlInstanceStat;

extern int	pl_cache_snapshot(PlInstanceStat **out);
extern int	pl_cache_tenant_snapshot(PlTenant **out);

/*
 * SQLSTATE of a failed sandbox or tenant-memory creation: no hardware key
 * left for the tenant is a configuration limit (53400), anything else out
 * of memory (53200).
 */
static inline int
pl_create_errcode(int rc)
{
	return rc == TMEBOX_INSTANCE_NO_KEY ? ERRCODE_CONFIGURATION_LIMIT_EXCEEDED :
		ERRCODE_OUT_OF_MEMORY;
}

#endif							/* PL_CACHE_H */
