/*-------------------------------------------------------------------------
 *
 * rt_keyid_emulated.c
 *		The emulated KeyID backend: each view is its own private anonymous
 *		mapping, so no two views share backing memory; the KeyID is a
 *		label the key carries, and there is no kernel key.
 *
 * Invariants:
 *	- Exactly the system calls the runtime made before backends existed:
 *	  mmap of the span, mprotect to commit, madvise(MADV_DONTNEED) to
 *	  discard, a fresh PROT_NONE mapping to release, munmap; creating and
 *	  destroying a key makes none.  Growing a heap costs one mprotect, as
 *	  always (the one indirect call in front of it is all this adds).
 *	- Memory given back by release leaves the process (resident memory
 *	  drops) and, under vm.overcommit_memory = 2, its commit charge too
 *	  (mprotect to PROT_NONE alone keeps the charge); the range is exactly
 *	  like the reservation again, so it merges back into the view's last
 *	  VMA.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>

#include "rt_keyid.h"

static int
rt_emu_key_create(rt_key *key, char *err, size_t errlen)
{
	(void) err;
	(void) errlen;
	key->serial = 0;
	return 0;
}

static void
rt_emu_key_destroy(rt_key *key)
{
	(void) key;
}

static void *
rt_emu_view_reserve(const rt_key *key, size_t span)
{
	void	   *m;

	(void) key;
	m = mmap(NULL, span, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return m == MAP_FAILED ? NULL : m;
}

static void
rt_emu_view_unmap(const rt_key *key, void *base, size_t span)
{
	(void) key;
	munmap(base, span);
}

static int
rt_emu_map(const rt_key *key, void *addr, size_t len)
{
	(void) key;
	return mprotect(addr, len, PROT_READ | PROT_WRITE);
}

static int
rt_emu_discard(const rt_key *key, void *addr, size_t len)
{
	(void) key;
	return madvise(addr, len, MADV_DONTNEED);
}

static int
rt_emu_release(const rt_key *key, void *addr, size_t len)
{
	(void) key;
	if (mmap(addr, len, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -1;
	return 0;
}

const rt_keyid_ops rt_keyid_emulated_ops = {
	.name = "emulated",
	.key_create = rt_emu_key_create,
	.key_destroy = rt_emu_key_destroy,
	.view_reserve = rt_emu_view_reserve,
	.view_unmap = rt_emu_view_unmap,
	.map = rt_emu_map,
	.discard = rt_emu_discard,
	.release = rt_emu_release,
};
