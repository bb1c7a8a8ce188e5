/*-------------------------------------------------------------------------
 *
 * rt_hostmem.c
 *		Host memory of a tenant: blocks the host keeps for a tenant outside
 *		every view (argument copies, detoasted inputs), mapped through the
 *		tenant's key like its views (rt_keyid.h) and charged to its budget.
 *		On tme-mk they carry the tenant's kernel key; on emulated they are
 *		plain private anonymous memory.  PostgreSQL builds its per-tenant
 *		memory context on them (pl/pl_tenantmem.c).
 *
 * Invariants:
 *	- A block is a mapping of its own, never inside a view: sandboxed code
 *	  cannot address it.  It is reserved and mapped through the key of
 *	  the budget's domain (the key its tenant's views carry, created here
 *	  if the tenant has no instance yet) and holds a reference on that
 *	  key until freed, so the key outlives every page carrying it.
 *	- Its whole mapping (page granular, header included) is checked
 *	  against the budget's limit before anything is mapped, charged once
 *	  it is mapped and credited when it is unmapped: budget->used covers
 *	  views and host blocks together, and one limit bounds both.  An
 *	  allocation that would pass the limit maps nothing
 *	  (TMEBOX_HOST_OVER_LIMIT).
 *	- The block's first TMEBOX_HOST_HEADER bytes are the runtime's (key,
 *	  length, budget, a magic number); the host gets the rest.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rt_keyid.h"

#define RT_HOST_MAGIC	UINT64_C(0x746d65686f737462)	/* "tmehostb" */

typedef struct rt_host_header
{
	uint64_t	magic;
	rt_key	   *key;
	tmebox_budget *budget;
	size_t		len;			/* the whole mapping */
} rt_host_header;

_Static_assert(sizeof(rt_host_header) <= TMEBOX_HOST_HEADER,
			   "host block header fits TMEBOX_HOST_HEADER");

int
tmebox_host_alloc(tmebox_budget *budget, uint32_t keyid, size_t size,
				  void **out, size_t *charged, char *err, size_t errlen)
{
	size_t		len;
	rt_key	   *key;
	rt_host_header *h;
	void	   *m;
	int			rc;

	*out = NULL;
	if (budget == NULL || size > SIZE_MAX / 2)
	{
		rt_errf(err, errlen, "invalid host memory request of %zu bytes", size);
		return -1;
	}
	len = (size + TMEBOX_HOST_HEADER + TMEBOX_PAGE_SIZE - 1) &
		~(size_t) (TMEBOX_PAGE_SIZE - 1);
	if (len > budget->limit || budget->used > budget->limit - len)
	{
		rt_errf(err, errlen,
				"tenant memory limit of %llu bytes reached (%llu bytes in use, %zu more requested for host copies)",
				(unsigned long long) budget->limit,
				(unsigned long long) budget->used, len);
		return TMEBOX_HOST_OVER_LIMIT;
	}
	if (budget->domain == 0)
		budget->domain = rt_stack_new_domain();
	rc = rt_key_acquire(budget->domain, keyid, &key, err, errlen);
	if (rc != 0)
		return rc;
	m = key->ops->view_reserve(key, len);
	if (m == NULL)
	{
		rt_errf(err, errlen, "could not reserve tenant host memory: %s", strerror(errno));
		rt_key_release(key);
		return -1;
	}
	if (key->ops->map(key, m, len) != 0)
	{
		rt_errf(err, errlen, "could not map tenant host memory (%s KeyID backend): %s",
				key->ops->name, strerror(errno));
		key->ops->view_unmap(key, m, len);
		rt_key_release(key);
		return -1;
	}
	budget->used += len;
	h = m;
	h->magic = RT_HOST_MAGIC;
	h->key = key;
	h->budget = budget;
	h->len = len;
	*out = (uint8_t *) m + TMEBOX_HOST_HEADER;
	if (charged != NULL)
		*charged = len;
	return 0;
}

void
tmebox_host_free(void *p)
{
	rt_host_header *h;
	rt_key	   *key;
	tmebox_budget *budget;
	size_t		len;

	if (p == NULL)
		return;
	h = (rt_host_header *) ((uint8_t *) p - TMEBOX_HOST_HEADER);
	if (h->magic != RT_HOST_MAGIC)
		abort();				/* not a host block: never unmap blindly */
	key = h->key;
	budget = h->budget;
	len = h->len;
	h->magic = 0;
	key->ops->view_unmap(key, h, len);
	rt_key_release(key);
	budget->used = budget->used >= len ? budget->used - len : 0;
}
