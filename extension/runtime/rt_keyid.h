/*-------------------------------------------------------------------------
 *
 * rt_keyid.h
 *		The KeyID backend interface of the runtime: the one small table of
 *		operations every view goes through (DESIGN.md §6).  rt_view.c
 *		reserves, maps, discards, releases and unmaps view memory only
 *		through a key's operations, and never knows which backend it is.
 *
 *		A key is the tenant's key in this process: one per native-stack
 *		domain (rt_stack.c: one per tenant budget, or per instance without
 *		a budget) and backend configuration, created with the first
 *		instance of the domain and destroyed with its last one
 *		(rt_keyid.c).  Backends: rt_keyid_emulated.c (private anonymous
 *		memory per view, no kernel key) and rt_keyid_tmemk.c (Intel Labs'
 *		TME-MK kernel: a kernel key per tenant, its views mapped with
 *		encrypt_mprotect).
 *
 * Invariants every backend keeps:
 *	- view_reserve gives span bytes (TMEBOX_VIEW_SPAN for a view, a host
 *	  block's length for rt_hostmem.c) of PROT_NONE, MAP_NORESERVE
 *	  address space carrying no key and no pages.
 *	- map makes [addr, addr + len) of a view read-write under the key with
 *	  zero contents (the range was reserved or released before: it has no
 *	  pages); every page later faulted in there carries the key.
 *	- discard drops the contents of a mapped range: it stays read-write
 *	  and keyed, and reads zero again.
 *	- release gives a range back: PROT_NONE, no pages, no key, no commit
 *	  charge, exactly as reserved.
 *	- key_destroy runs after the last view carrying the key is unmapped.
 *	- 0 = done, -1 = failed with errno set (key_create: err filled and
 *	  TMEBOX_INSTANCE_NO_KEY when the hardware has no key left).
 *
 *-------------------------------------------------------------------------
 */
#ifndef RT_KEYID_H
#define RT_KEYID_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rt_internal.h"

typedef struct rt_key rt_key;

typedef struct rt_keyid_ops
{
	const char *name;			/* "emulated", "tme-mk" */
	int			(*key_create) (rt_key *key, char *err, size_t errlen);
	void		(*key_destroy) (rt_key *key);
	void	   *(*view_reserve) (const rt_key *key, size_t span);	/* NULL: errno */
	void		(*view_unmap) (const rt_key *key, void *base, size_t span);
	int			(*map) (const rt_key *key, void *addr, size_t len);
	int			(*discard) (const rt_key *key, void *addr, size_t len);
	int			(*release) (const rt_key *key, void *addr, size_t len);
} rt_keyid_ops;

struct rt_key
{
	const rt_keyid_ops *ops;
	tmebox_keyid_config cfg;	/* the host's choice it was made under */
	uint64_t	domain;			/* rt_stack.c domain: the tenant in this process */
	uint32_t	keyid;			/* the tenant's KeyID (a label on emulated) */
	int32_t		serial;			/* tme-mk: the kernel key; emulated: 0 */
	uint32_t	refs;			/* instances whose view carries it */
	rt_key	   *next;			/* hash chain (rt_keyid.c) */
};

/* rt_keyid_emulated.c, rt_keyid_tmemk.c */
extern RT_HIDDEN const rt_keyid_ops rt_keyid_emulated_ops;
extern RT_HIDDEN const rt_keyid_ops rt_keyid_tmemk_ops;

/*
 * rt_keyid.c: the key of (domain, keyid) under the host's current choice,
 * created when the domain has none (refs + 1); 0, or -1 /
 * TMEBOX_INSTANCE_NO_KEY with err.
 */
extern RT_HIDDEN int rt_key_acquire(uint64_t domain, uint32_t keyid,
									rt_key **out, char *err, size_t errlen);
/* refs - 1; destroyed (backend's key_destroy, freed) at 0. */
extern RT_HIDDEN void rt_key_release(rt_key *key);

/*
 * Kernel calls of the tme-mk backend (rt_keyid_tmemk.c), in a table the
 * tests replace by a simulated kernel (tests/test_keyid.c).  The real
 * ones: the add_key and keyctl system calls (what libkeyutils' add_key,
 * keyctl_revoke and keyctl_invalidate do), syscall(sysno, ...) for
 * encrypt_mprotect, and libc's mmap, madvise, munmap.
 */
typedef struct rt_tmemk_kernel
{
	int32_t		(*add_key) (const char *type, const char *description,
							const void *payload, size_t plen, int32_t keyring);
	long		(*keyctl) (int cmd, int32_t key);
	long		(*encrypt_mprotect) (long sysno, void *start, size_t len,
									 unsigned long prot, int32_t serial);
	void	   *(*mmap) (void *addr, size_t len, int prot, int flags, int fd,
						 off_t off);
	int			(*madvise) (void *addr, size_t len, int advice);
	int			(*munmap) (void *addr, size_t len);
} rt_tmemk_kernel;

/* NULL restores the real kernel.  For tests only. */
extern RT_HIDDEN void rt_tmemk_set_kernel(const rt_tmemk_kernel *kernel);

/* PROT_TODO of the Intel Labs 5.15 port: re-key without discarding. */
#define RT_TMEMK_PROT_TODO	0x10

#endif							/* RT_KEYID_H */
