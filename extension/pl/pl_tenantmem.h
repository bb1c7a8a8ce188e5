/*-------------------------------------------------------------------------
 *
 * pl_tenantmem.h
 *		Tenant memory contexts (pl_tenantmem.c): a MemoryContext per tenant
 *		and session whose blocks are the tenant's keyed, budget-charged host
 *		memory; the host's copies of a call's arguments live there.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_TENANTMEM_H
#define PL_TENANTMEM_H

#include "pl_cache.h"

/*
 * The context of tenant pt (made on first use), which becomes the context
 * of the call in progress: allocate its host copies there.
 */
extern MemoryContext pl_tenantmem_enter(PlTenant *pt);
/* The call ended (or failed): its host copies are freed. */
extern void pl_tenantmem_leave(void);
/* pt's last instance in this session is gone: its context goes too. */
extern void pl_tenantmem_forget(PlTenant *pt);

#endif							/* PL_TENANTMEM_H */
