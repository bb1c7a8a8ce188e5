/*-------------------------------------------------------------------------
 *
 * test_keyid.c
 *		The KeyID backends against a simulated TME-MK kernel: the tme-mk
 *		backend's kernel table (rt_tmemk_kernel) is replaced by a model of
 *		Intel Labs' Linux 5.15 port (rt_keyid_tmemk.c describes it) that
 *		really maps the memory and records, for every page of every view,
 *		the key its VMA carries and the key its contents were written
 *		under.  Over create, grow, shrink, fault + reset and drop of many
 *		tenants and instances it checks that every committed page of a
 *		tenant's view carries that tenant's key and no other, that nothing
 *		outside a live view's committed range carries a key, that keys are
 *		destroyed with their tenant's last instance, that running out of
 *		hardware KeyIDs is TMEBOX_INSTANCE_NO_KEY leaving nothing behind,
 *		that the emulated backend never calls the kernel table, and that a
 *		tenant's host memory blocks (rt_hostmem.c) lie outside its views,
 *		carry its key, are charged to its budget and go with their key.
 *
 *		Usage: test_keyid BUILD_DIR (needs mod_test.tmebox there).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <linux/keyctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../rt_keyid.h"
#include "test_tap.h"

#define PAGE		TMEBOX_PAGE_SIZE
#define SYSNO		451
#define NHW			6			/* hardware KeyIDs of the simulated machine */
#define MAXKEYS		64
#define NBUCKETS	65536

/* ---- the simulated kernel ---- */

typedef struct sim_page
{
	uintptr_t	addr;
	int32_t		vma_key;		/* key of the VMA (0: none) */
	int32_t		data_key;		/* key the contents were written under */
	int			prot;
	struct sim_page *next;
} sim_page;

typedef struct sim_key
{
	int32_t		serial;
	char		description[160];
	char		payload[80];
	bool		revoked;
	bool		invalidated;
} sim_key;

static sim_page *pages[NBUCKETS];
static long npages;
static sim_key keys[MAXKEYS];
static int	nkeys;
static unsigned activated = 0x3;	/* aes-xts-128 and -128-i, not -256 */
static long ncalls;				/* every call into the simulated kernel */
static long nrevoke_before_invalidate_missing;

static sim_page **
sim_slot(uintptr_t addr)
{
	sim_page  **p = &pages[(addr / PAGE) % NBUCKETS];

	while (*p != NULL && (*p)->addr != addr)
		p = &(*p)->next;
	return p;
}

static sim_page *
sim_page_get(uintptr_t addr)
{
	sim_page  **p = sim_slot(addr);

	if (*p == NULL)
	{
		*p = calloc(1, sizeof(sim_page));
		(*p)->addr = addr;
		npages++;
	}
	return *p;
}

/* forget [addr, addr + len): fresh mapping or unmapped */
static void
sim_forget(uintptr_t addr, size_t len)
{
	int			b;

	for (b = 0; b < NBUCKETS; b++)
	{
		sim_page  **p = &pages[b];

		while (*p != NULL)
		{
			if ((*p)->addr >= addr && (*p)->addr - addr < len)
			{
				sim_page   *dead = *p;

				*p = dead->next;
				free(dead);
				npages--;
			}
			else
				p = &(*p)->next;
		}
	}
}

static sim_key *
sim_key_of(int32_t serial)
{
	int			i;

	for (i = 0; i < nkeys; i++)
		if (keys[i].serial == serial)
			return &keys[i];
	return NULL;
}

/* a key's hardware KeyID is busy until it is invalidated and no page uses it */
static bool
sim_key_busy(const sim_key *k)
{
	int			b;

	if (!k->invalidated)
		return true;
	for (b = 0; b < NBUCKETS; b++)
	{
		sim_page   *p;

		for (p = pages[b]; p != NULL; p = p->next)
			if (p->vma_key == k->serial || p->data_key == k->serial)
				return true;
	}
	return false;
}

static int32_t
sim_add_key(const char *type, const char *description, const void *payload,
			size_t plen, int32_t keyring)
{
	static const char *algs[] = {"aes-xts-128", "aes-xts-128-i", "aes-xts-256"};
	char		opts[80];
	int			i,
				busy = 0,
				alg = -1;

	ncalls++;
	if (strcmp(type, "mktme") != 0 || keyring != KEY_SPEC_PROCESS_KEYRING ||
		plen == 0 || plen >= sizeof(opts))
	{
		errno = EINVAL;
		return -1;
	}
	memcpy(opts, payload, plen);
	opts[plen] = '\0';
	for (i = 0; i < 3; i++)
	{
		char		want[80];

		snprintf(want, sizeof(want), "type=cpu algorithm=%s", algs[i]);
		if (strcmp(opts, want) == 0)
			alg = i;
	}
	if (alg < 0 || !(activated & (1u << alg)))
	{
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < nkeys; i++)
		busy += sim_key_busy(&keys[i]);
	if (busy >= NHW || nkeys >= MAXKEYS)
	{
		errno = ENOKEY;
		return -1;
	}
	keys[nkeys].serial = 1000 + nkeys;
	snprintf(keys[nkeys].description, sizeof(keys[nkeys].description), "%s", description);
	snprintf(keys[nkeys].payload, sizeof(keys[nkeys].payload), "%s", opts);
	return keys[nkeys++].serial;
}

static long
sim_keyctl(int cmd, int32_t serial)
{
	sim_key    *k = sim_key_of(serial);

	ncalls++;
	if (k == NULL || k->invalidated)
	{
		errno = ENOKEY;
		return -1;
	}
	if (cmd == KEYCTL_REVOKE)
		k->revoked = true;
	else if (cmd == KEYCTL_INVALIDATE)
	{
		if (!k->revoked)
			nrevoke_before_invalidate_missing++;
		k->invalidated = true;
	}
	else
	{
		errno = EOPNOTSUPP;
		return -1;
	}
	return 0;
}

static long
sim_encrypt_mprotect(long sysno, void *start, size_t len, unsigned long prot,
					 int32_t serial)
{
	sim_key    *k = sim_key_of(serial);
	uintptr_t	a;

	ncalls++;
	if (sysno != SYSNO)
	{
		errno = ENOSYS;
		return -1;
	}
	if ((uintptr_t) start % PAGE != 0 || len % PAGE != 0 ||
		(prot & ~(unsigned long) (PROT_READ | PROT_WRITE | PROT_EXEC | RT_TMEMK_PROT_TODO)) != 0)
	{
		errno = EINVAL;
		return -1;
	}
	if (k == NULL || k->invalidated)
	{
		errno = ENOKEY;
		return -1;
	}
	if (k->revoked)
	{
		errno = EKEYREVOKED;
		return -1;
	}
	/* the kernel zaps an anonymous range whose key changes, unless PROT_TODO */
	if (!(prot & RT_TMEMK_PROT_TODO))
		madvise(start, len, MADV_DONTNEED);
	if (mprotect(start, len, (int) (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))) != 0)
		return -1;
	for (a = (uintptr_t) start; a < (uintptr_t) start + len; a += PAGE)
	{
		sim_page   *p = sim_page_get(a);

		if (!(prot & RT_TMEMK_PROT_TODO))
			p->data_key = serial;
		p->vma_key = serial;
		p->prot = (int) (prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
	}
	return 0;
}

static void *
sim_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void	   *m;

	ncalls++;
	m = mmap(addr, len, prot, flags, fd, off);
	if (m != MAP_FAILED)
	{
		uintptr_t	a;

		sim_forget((uintptr_t) m, len);
		/* an accessible fresh mapping carries no key: record it, the checks fail */
		if (prot != PROT_NONE)
			for (a = (uintptr_t) m; a < (uintptr_t) m + len; a += PAGE)
				sim_page_get(a)->prot = prot;
	}
	return m;
}

static int
sim_madvise(void *addr, size_t len, int advice)
{
	uintptr_t	a;

	ncalls++;
	if (madvise(addr, len, advice) != 0)
		return -1;
	if (advice == MADV_DONTNEED)
		for (a = (uintptr_t) addr; a < (uintptr_t) addr + len; a += PAGE)
		{
			sim_page  **p = sim_slot(a);

			if (*p != NULL)
				(*p)->data_key = (*p)->vma_key; /* refaults under the VMA's key */
		}
	return 0;
}

static int
sim_munmap(void *addr, size_t len)
{
	ncalls++;
	sim_forget((uintptr_t) addr, len);
	return munmap(addr, len);
}

static const rt_tmemk_kernel sim_kernel = {
	.add_key = sim_add_key,
	.keyctl = sim_keyctl,
	.encrypt_mprotect = sim_encrypt_mprotect,
	.mmap = sim_mmap,
	.madvise = sim_madvise,
	.munmap = sim_munmap,
};

/* ---- the host's choice ---- */

static tmebox_keyid_config choice = {TMEBOX_KEYID_TME_MK, SYSNO, TMEBOX_TMEMK_AES_XTS_128};

static int
choose(tmebox_keyid_config *cfg, char *err, size_t errlen)
{
	(void) err;
	(void) errlen;
	*cfg = choice;
	return 0;
}

/* ---- tenants and instances of the test ---- */

#define NTENANTS	8
#define NINST		64

typedef struct tenant
{
	uint32_t	keyid;
	tmebox_budget budget;
	int32_t		serial;			/* the key its views carry, 0 while none */
} tenant;

typedef struct live
{
	tmebox_instance *inst;
	int			t;				/* index into tenants, -1: no budget */
	int32_t		serial;			/* for instances without a budget */
} live;

static tenant tenants[NTENANTS];
static live lives[NINST];
static int	nlives;
static tmebox_module *gmod;


/* the serial of the key the page at addr carries, or -1 if not committed */
static int32_t
page_key(uintptr_t addr)
{
	sim_page  **p = sim_slot(addr);

	if (*p == NULL || (*p)->prot != (PROT_READ | PROT_WRITE) ||
		(*p)->vma_key != (*p)->data_key)
		return -1;
	return (*p)->vma_key;
}

static int
create(int t, char *err, size_t errlen)
{
	tmebox_instance *inst;
	int			rc;

	rc = tmebox_instance_create(gmod, t >= 0 ? tenants[t].keyid : 99,
								t >= 0 ? &tenants[t].budget : NULL,
								&inst, err, errlen);
	if (rc == 0)
	{
		lives[nlives].inst = inst;
		lives[nlives].t = t;
		lives[nlives].serial = 0;
		nlives++;
	}
	return rc;
}

static void
drop(int i)
{
	tmebox_instance_destroy(lives[i].inst);
	lives[i] = lives[--nlives];
}

static int
call1(tmebox_instance *inst, const char *fn, int64_t arg, int64_t *out)
{
	tmebox_value a,
				r;
	tmebox_fault f;

	memset(&a, 0, sizeof(a));
	a.v.i = arg;
	if (tmebox_call(inst, tmebox_module_find_export(gmod, fn), &a, &r, NULL, NULL, &f) != 0)
		return -1;
	*out = r.v.i;
	return 0;
}

/*
 * Every committed page of every live view carries its tenant's key and no
 * other; tenants' keys differ and are live kernel keys of the right kind;
 * nothing else carries a key; dead tenants' keys are destroyed.
 */
static void
verify(const char *when)
{
	long		bad = 0,
				committed = 0;
	int			i,
				j,
				alive = 0,
				holders = 0;
	bool		distinct = true,
				described = true;
	int32_t		serials[NINST];
	int			nserials = 0;

	for (i = 0; i < NTENANTS; i++)
		tenants[i].serial = 0;
	for (i = 0; i < nlives; i++)
	{
		live	   *l = &lives[i];
		uintptr_t	base = (uintptr_t) tmebox_instance_view_base(l->inst);
		uint64_t	n = tmebox_instance_committed(l->inst);
		int32_t    *want = l->t >= 0 ? &tenants[l->t].serial : &l->serial;
		uint64_t	off;

		if (*want == 0)
			*want = page_key(base + TMEBOX_NULL_GUARD);
		if (*want <= 0)
			bad++;
		for (off = 0; off < n; off += PAGE)
			if (page_key(base + TMEBOX_NULL_GUARD + off) != *want)
				bad++;
		committed += n / PAGE;
		if (strcmp(tmebox_instance_backend(l->inst), "tme-mk") != 0)
			bad++;
	}
	for (i = 0; i < NTENANTS; i++)
		if (tenants[i].serial != 0)
			serials[nserials++] = tenants[i].serial;
	for (i = 0; i < nlives; i++)
		if (lives[i].t < 0)
			serials[nserials++] = lives[i].serial;
	for (i = 0; i < nserials; i++)
	{
		sim_key    *k = sim_key_of(serials[i]);
		char		want[64];
		uint32_t	keyid = 99;

		for (j = 0; j < i; j++)
			if (serials[j] == serials[i])
				distinct = false;
		for (j = 0; j < NTENANTS; j++)
			if (tenants[j].serial == serials[i])
				keyid = tenants[j].keyid;
		snprintf(want, sizeof(want), " keyid %u ", keyid);
		if (k == NULL || k->revoked || k->invalidated ||
			strstr(k->description, want) == NULL ||
			strncmp(k->payload, "type=cpu algorithm=", 19) != 0)
			described = false;
	}
	for (i = 0; i < nkeys; i++)
		alive += !keys[i].invalidated;
	for (i = 0; i < NTENANTS; i++)
		holders += tenants[i].serial != 0;
	for (i = 0; i < nlives; i++)
		holders += lives[i].t < 0;
	check(bad == 0, "%s: every committed page of %d views carries its tenant's key (%ld wrong)",
		  when, nlives, bad);
	check(npages == committed, "%s: no page outside a live view's committed range is mapped (%ld pages known, %ld committed)",
		  when, npages, committed);
	check(distinct && described, "%s: %d tenants' keys are distinct live mktme keys naming their KeyID",
		  when, nserials);
	check(alive == holders, "%s: one live kernel key per tenant with instances (%d keys, %d tenants), dropped tenants' keys destroyed",
		  when, alive, holders);
	check(nrevoke_before_invalidate_missing == 0, "%s: keys revoked before invalidated", when);
}

int
main(int argc, char **argv)
{
	char		err[512];
	char	   *file;
	size_t		len;
	int			i,
				t,
				rc;
	int64_t		v;
	long		before;

	if (argc != 2)
	{
		fprintf(stderr, "usage: test_keyid BUILD_DIR\n");
		return 2;
	}
	file = tap_load_file(argv[1], "mod_test.tmebox", &len);
	if (tmebox_module_load(file, len, &gmod, err, sizeof(err)) != 0)
	{
		check(false, "load mod_test: %s", err);
		printf("%d passed, %d failed\n", npass, nfail);
		return 1;
	}
	rt_tmemk_set_kernel(&sim_kernel);
	for (t = 0; t < NTENANTS; t++)
	{
		tenants[t].keyid = (uint32_t) (t + 1);
		tenants[t].budget.limit = UINT64_C(64) << 20;
	}

	/* the emulated backend (the default) never calls the kernel table */
	{
		tmebox_instance *e;

		before = ncalls;
		rc = tmebox_instance_create(gmod, 1, &tenants[0].budget, &e, err, sizeof(err));
		check(rc == 0 && strcmp(tmebox_instance_backend(e), "emulated") == 0,
			  "emulated by default: %s", rc == 0 ? "created" : err);
		if (rc == 0)
		{
			check(call1(e, "alloc", 300000, &v) == 0 && call1(e, "rawsbrk", -200000, &v) == 0,
				  "emulated: heap grows and shrinks");
			tmebox_instance_reset(e, err, sizeof(err));
			tmebox_instance_destroy(e);
		}
		check(ncalls == before && npages == 0, "emulated: no call into the tme-mk kernel table (%ld)",
			  ncalls - before);
	}

	tmebox_rt_set_keyid_chooser(choose);

	/* five tenants with three instances each, one instance without a budget */
	for (t = 0; t < 5; t++)
		for (i = 0; i < 3; i++)
			if ((rc = create(t, err, sizeof(err))) != 0)
				check(false, "create tenant %d instance %d: %s", t, i, err);
	rc = create(-1, err, sizeof(err));
	check(rc == 0, "an instance without a budget: %s", rc == 0 ? "created" : err);
	verify("created");

	/* grow (sandbox malloc touching every page), shrink, fault + reset */
	for (i = 0; i < nlives; i++)
	{
		int64_t		n = 4096 * (1 + i % 7) * 5 + 123;

		if (call1(lives[i].inst, "alloc", n, &v) != 0)
			check(false, "alloc in view %d", i);
	}
	verify("grown");
	for (i = 0; i < nlives; i += 2)
		if (call1(lives[i].inst, "rawsbrk", -(int64_t) (3 * 4096), &v) != 0)
			check(false, "shrink view %d", i);
	verify("shrunk");
	for (i = 1; i < nlives; i += 3)
	{
		check(call1(lives[i].inst, "peek", 8, &v) != 0 &&
			  tmebox_instance_needs_reset(lives[i].inst),
			  "view %d: a fault in the null guard ends the call", i);
		check(tmebox_instance_reset(lives[i].inst, err, sizeof(err)) == 0,
			  "view %d reset: %s", i, err);
	}
	verify("faulted and reset");
	for (i = 0; i < nlives; i++)
		if (call1(lives[i].inst, "alloc", 70000, &v) != 0)
			check(false, "alloc again in view %d", i);
	verify("grown again");

	/* every hardware KeyID is in use: a sixth tenant gets a clean error */
	before = npages;
	rc = create(5, err, sizeof(err));
	check(rc == TMEBOX_INSTANCE_NO_KEY && strstr(err, "no TME-MK key left for KeyID 6") != NULL,
		  "keys exhausted: TMEBOX_INSTANCE_NO_KEY (%d): %s", rc, err);
	check(tenants[5].budget.used == 0 && npages == before,
		  "keys exhausted: nothing charged or mapped");
	rc = create(2, err, sizeof(err));
	check(rc == 0, "keys exhausted: a tenant holding a key still gets instances: %s",
		  rc == 0 ? "created" : err);
	verify("exhausted");

	/* drop tenant 1 (index 1): its key goes, the sixth tenant gets one */
	for (i = nlives - 1; i >= 0; i--)
		if (lives[i].t == 1)
			drop(i);
	tenants[1].budget.domain = 0;	/* the struct may serve another tenant */
	verify("tenant dropped");
	rc = create(5, err, sizeof(err));
	check(rc == 0, "a dropped tenant's KeyID serves a new tenant: %s", rc == 0 ? "created" : err);
	verify("new tenant");

	/* key options: aes-xts-128-i where activated, aes-xts-256 refused */
	choice.algorithm = TMEBOX_TMEMK_AES_XTS_256;
	rc = create(6, err, sizeof(err));
	check(rc == -1 && strstr(err, "algorithm=aes-xts-256") != NULL,
		  "an algorithm the firmware did not activate: %s", err);
	for (i = nlives - 1; i >= 0; i--)
		if (lives[i].t == 0)
			drop(i);
	choice.algorithm = TMEBOX_TMEMK_AES_XTS_128_I;
	rc = create(6, err, sizeof(err));
	check(rc == 0 && strcmp(sim_key_of(keys[nkeys - 1].serial)->payload,
							"type=cpu algorithm=aes-xts-128-i") == 0,
		  "aes-xts-128-i: %s", rc == 0 ? keys[nkeys - 1].payload : err);
	verify("integrity key");

	/* a wrong system call number fails cleanly, leaving no key */
	for (i = nlives - 1; i >= 0; i--)
		if (lives[i].t == 2)
			drop(i);
	choice.algorithm = TMEBOX_TMEMK_AES_XTS_128;
	choice.sys_encrypt_mprotect = 999;
	rc = create(7, err, sizeof(err));
	check(rc == -1 && strstr(err, "could not commit sandbox memory (tme-mk") != NULL &&
		  tenants[7].budget.used == 0,
		  "encrypt_mprotect number wrong: %s", err);
	choice.sys_encrypt_mprotect = SYSNO;
	verify("wrong system call");

	/* drop everything */
	while (nlives > 0)
		drop(nlives - 1);
	verify("all dropped");
	check(npages == 0, "no page of any view left");

	/*
	 * Host memory of a tenant (rt_hostmem.c): outside every view, mapped
	 * with the tenant's key (the one its views carry, or a key of its own
	 * when it has no instance), charged to its budget, and released with
	 * its key.
	 */
	{
		void	   *hb[3];
		size_t		charged[3];
		int32_t		k3,
					k4;
		uint64_t	used3,
					used4;
		long		bad = 0;
		uintptr_t	a;
		tmebox_instance *vi;

		rc = create(3, err, sizeof(err));
		check(rc == 0, "host memory: tenant 4 has an instance: %s", rc == 0 ? "created" : err);
		vi = lives[nlives - 1].inst;
		k3 = page_key((uintptr_t) tmebox_instance_view_base(vi) + TMEBOX_NULL_GUARD);
		used3 = tenants[3].budget.used;
		rc = tmebox_host_alloc(&tenants[3].budget, tenants[3].keyid, 100000,
							   &hb[0], &charged[0], err, sizeof(err));
		check(rc == 0 && charged[0] == 25 * PAGE &&
			  tenants[3].budget.used == used3 + charged[0],
			  "host memory: 100000 bytes mapped and charged as %zu bytes: %s",
			  charged[0], rc == 0 ? "ok" : err);
		if (rc == 0)
		{
			memset(hb[0], 0x5a, 100000);
			for (a = (uintptr_t) hb[0] - TMEBOX_HOST_HEADER;
				 a < (uintptr_t) hb[0] - TMEBOX_HOST_HEADER + charged[0]; a += PAGE)
				if (page_key(a) != k3)
					bad++;
			check(k3 > 0 && bad == 0,
				  "host memory: every page carries the tenant's key %d, that of its view (%ld wrong)",
				  k3, bad);
			a = (uintptr_t) hb[0] - TMEBOX_HOST_HEADER;
			check(a >= (uintptr_t) tmebox_instance_view_base(vi) + TMEBOX_VIEW_SPAN ||
				  a + charged[0] <= (uintptr_t) tmebox_instance_view_base(vi),
				  "host memory: outside the tenant's view");
		}

		/* a tenant without instances: a key of its own, destroyed with the block */
		before = nkeys;
		tenants[4].budget.limit = 64 * PAGE;
		rc = tmebox_host_alloc(&tenants[4].budget, tenants[4].keyid, 30 * PAGE,
							   &hb[1], &charged[1], err, sizeof(err));
		k4 = rc == 0 ? page_key((uintptr_t) hb[1] - TMEBOX_HOST_HEADER) : -1;
		check(rc == 0 && nkeys == before + 1 && k4 == keys[nkeys - 1].serial &&
			  k4 != k3 && strstr(keys[nkeys - 1].description, " keyid 5 ") != NULL,
			  "host memory of a tenant without instances: a new key %d naming its KeyID: %s",
			  k4, rc == 0 ? "ok" : err);
		used4 = tenants[4].budget.used;
		before = npages;
		rc = tmebox_host_alloc(&tenants[4].budget, tenants[4].keyid, 40 * PAGE,
							   &hb[2], &charged[2], err, sizeof(err));
		check(rc == TMEBOX_HOST_OVER_LIMIT && hb[2] == NULL &&
			  tenants[4].budget.used == used4 && npages == before &&
			  strstr(err, "memory limit of 262144 bytes") != NULL,
			  "host memory over the limit: TMEBOX_HOST_OVER_LIMIT, nothing mapped or charged: %s", err);
		tmebox_host_free(hb[1]);
		check(tenants[4].budget.used == 0 && sim_key_of(k4) != NULL &&
			  sim_key_of(k4)->invalidated,
			  "host memory freed: credited, the tenant's key destroyed with its last block");
		tmebox_host_free(hb[0]);
		check(tenants[3].budget.used == used3 && !sim_key_of(k3)->invalidated,
			  "host memory freed: credited, the key stays with the tenant's view");
		drop(nlives - 1);
		check(sim_key_of(k3)->invalidated && npages == 0,
			  "host memory: the key goes with the view after the blocks, no page left");
	}

	/* emulated: plain private memory, no kernel call, still charged */
	tmebox_rt_set_keyid_chooser(NULL);
	{
		void	   *p;
		size_t		charged;

		before = ncalls;
		rc = tmebox_host_alloc(&tenants[6].budget, tenants[6].keyid, 5000, &p, &charged,
							   err, sizeof(err));
		check(rc == 0 && charged == 2 * PAGE && tenants[6].budget.used == charged,
			  "emulated host memory: mapped and charged: %s", rc == 0 ? "ok" : err);
		if (rc == 0)
		{
			memset(p, 1, 5000);
			tmebox_host_free(p);
		}
		check(ncalls == before && tenants[6].budget.used == 0,
			  "emulated host memory: no call into the tme-mk kernel table, credited");
	}

	tmebox_rt_set_keyid_chooser(NULL);
	rt_tmemk_set_kernel(NULL);
	tmebox_module_unload(gmod);
	free(file);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
