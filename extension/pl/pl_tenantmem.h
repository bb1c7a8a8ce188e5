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
/*
 * Where the host keeps what it holds for the call in progress: the context
 * entered for it, else that of the running instance's tenant, else (no
 * tenant: never for tenant code) NULL.  Not reset by this; the caller
 * frees what it allocates by the call's end.
 */
extern MemoryContext pl_tenantmem_call_context(void);
/*
 * Charge `bytes` the host keeps for the call in progress outside its
 * tenant context (a plan, a portal: PostgreSQL's own memory) to the
 * call's tenant (the context pl_tenantmem_call_context gives; nothing
 * without one).  They are charged even past the limit, then 53200 names
 * `what`: the caller frees what it measured and uncharges, or keeps it
 * charged.  pl_tenantmem_uncharge credits them back (at most what is
 * charged); the context's reset (call end, abort) credits the rest.
 */
extern void pl_tenantmem_charge(Size bytes, const char *what);
extern void pl_tenantmem_uncharge(Size bytes);
/* 53200 naming `what` unless the call's tenant has `bytes` left (nothing
 * charged: for memory the host holds only briefly, e.g. while it copies). */
extern void pl_tenantmem_check(Size bytes, const char *what);
/* What the call's tenant has left of its limit (SIZE_MAX: no call). */
extern Size pl_tenantmem_room(void);
/* The call ended (or failed): its host copies are freed. */
extern void pl_tenantmem_leave(void);
/* pt's last instance in this session is gone: its context goes too. */
extern void pl_tenantmem_forget(PlTenant *pt);

#endif							/* PL_TENANTMEM_H */
