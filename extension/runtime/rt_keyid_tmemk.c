/*-------------------------------------------------------------------------
 *
 * rt_keyid_tmemk.c
 *		The tme-mk KeyID backend, written against the one public kernel
 *		that lets user space choose a TME-MK key per mapping: Intel Labs'
 *		Linux 5.15 port (repository IntelLabs/TME-MK-Fine-Grained-
 *		Encryption-Integrity, patches/linux_v5-15_integrity.patch, based on
 *		the "Intel MKTME enabling" series of 2019-07-31 on LKML).
 *
 * The interface, as that patch defines it:
 *	- Keys: key type "mktme" (security/keys/mktme_keys.c).  add_key's
 *	  payload is options separated by blanks, "type=cpu" (the CPU makes
 *	  a random key) and "algorithm=aes-xts-128" | "aes-xts-128-i" (with
 *	  integrity) | "aes-xts-256"; an algorithm the firmware did not
 *	  activate, or a bad option, is EINVAL.  The kernel reserves a free
 *	  hardware KeyID for the key and programs it with PCONFIG; none free is
 *	  ENOKEY.  It never tells user space which KeyID it took, so tmebox's
 *	  KeyID stays the tenant's identity and the key's serial is what maps
 *	  memory.  The key is destroyed when garbage-collected (after
 *	  KEYCTL_REVOKE / KEYCTL_INVALIDATE); its hardware KeyID is cleared and
 *	  freed only when the last VMA and page carrying it are gone, later,
 *	  from a work queue.  The 5.15 port only warns where the 2019 series
 *	  required CAP_SYS_RESOURCE (EACCES); keys also count against the
 *	  user's key quota (kernel.keys.maxkeys, EDQUOT).
 *	- Mapping: sys_encrypt_mprotect(unsigned long start, size_t len,
 *	  unsigned long prot, key_serial_t serial), number 451 in the 5.15
 *	  port (428 in the 2019 series' documentation; other series used
 *	  other numbers), so the number comes from the host
 *	  (tmebox_keyid_config, PostgreSQL's tmebox.encrypt_mprotect_syscall)
 *	  and is never guessed here.  len must be page aligned (EINVAL); the
 *	  key is looked up with KEY_NEED_VIEW (a key of our process keyring).
 *	  It is mprotect plus a key: for an anonymous range whose key changes
 *	  the pages are zapped first (the contents are discarded) and pages
 *	  faulted in later are allocated with the VMA's KeyID and zeroed under
 *	  it.  With PROT_TODO (0x10, RT_TMEMK_PROT_TODO) the range is re-keyed
 *	  without discarding: the pages stay, still encrypted under their old
 *	  key, so reading them through the new one gives garbage (or, with an
 *	  integrity key, a machine check that kernel turns into SIGBUS).  An
 *	  mprotect that changes neither protection nor key does nothing at all
 *	  (mprotect_fixup returns early): it cannot discard.
 *	- Integrity violations (aes-xts-128-i) are machine checks that this
 *	  kernel delivers as SIGBUS (BUS_MCEERR_AR) and the page is retired:
 *	  in PostgreSQL a crash of every session.
 *
 * What this backend does with it:
 *	- key_create: add_key("mktme", "tmebox pid P keyid K domain D ALG",
 *	  "type=cpu algorithm=ALG", KEY_SPEC_PROCESS_KEYRING): the key dies
 *	  with the process even if it crashes.  ENOKEY and EDQUOT are
 *	  TMEBOX_INSTANCE_NO_KEY (no key left: a configuration limit).
 *	- map: encrypt_mprotect(addr, len, PROT_READ | PROT_WRITE, serial) on
 *	  a range that has no pages (reserved or released before), so nothing
 *	  is discarded and every page faulted in there carries the key.
 *	  PROT_TODO is never used: tmebox never keeps contents across keys.
 *	- discard: madvise(MADV_DONTNEED); pages faulted in again get the
 *	  VMA's key.  release: a fresh PROT_NONE mapping over the range (its
 *	  pages freed and cleared by the kernel, the new VMA has no key).
 *	- key_destroy: KEYCTL_REVOKE (unusable at once), then
 *	  KEYCTL_INVALIDATE (garbage-collected now, not when the keyring goes).
 *	- On that kernel each heap growth is a VMA of its own: VMAs with
 *	  different KeyIDs never merge and mprotect_fixup merges with the key
 *	  the range had (none).  vm.max_map_count bounds heap growths per
 *	  process there.
 *	- Every kernel call goes through rt_tmemk_kernel, which the tests
 *	  replace by a simulated kernel (tests/test_keyid.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <keyutils.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt_keyid.h"

/* The key calls: Debian's libkeyutils (keyutils.h). */
static int32_t
rt_sys_add_key(const char *type, const char *description,
			   const void *payload, size_t plen, int32_t keyring)
{
	return add_key(type, description, payload, plen, keyring);
}

static long
rt_sys_keyctl(int cmd, int32_t key)
{
	return keyctl(cmd, key);
}

static long
rt_sys_encrypt_mprotect(long sysno, void *start, size_t len,
						unsigned long prot, int32_t serial)
{
	return syscall(sysno, start, len, prot, serial);
}

static const rt_tmemk_kernel rt_real_kernel = {
	.add_key = rt_sys_add_key,
	.keyctl = rt_sys_keyctl,
	.encrypt_mprotect = rt_sys_encrypt_mprotect,
	.mmap = mmap,
	.madvise = madvise,
	.munmap = munmap,
};

static const rt_tmemk_kernel *rt_kernel = &rt_real_kernel;

void
rt_tmemk_set_kernel(const rt_tmemk_kernel *kernel)
{
	rt_kernel = kernel != NULL ? kernel : &rt_real_kernel;
}

static const char *
rt_tmemk_algorithm_name(tmebox_tmemk_algorithm alg)
{
	switch (alg)
	{
		case TMEBOX_TMEMK_AES_XTS_128:
			return "aes-xts-128";
		case TMEBOX_TMEMK_AES_XTS_128_I:
			return "aes-xts-128-i";
		case TMEBOX_TMEMK_AES_XTS_256:
			return "aes-xts-256";
	}
	return NULL;
}

static int
rt_tmemk_key_create(rt_key *key, char *err, size_t errlen)
{
	const char *alg = rt_tmemk_algorithm_name(key->cfg.algorithm);
	char		description[128];
	char		options[64];
	int32_t		serial;
	int			e;

	if (alg == NULL || key->cfg.sys_encrypt_mprotect <= 0)
	{
		rt_errf(err, errlen, "tme-mk: invalid configuration (algorithm %d, encrypt_mprotect system call %ld)",
				(int) key->cfg.algorithm, key->cfg.sys_encrypt_mprotect);
		return -1;
	}
	snprintf(description, sizeof(description), "tmebox pid %ld keyid %u domain %llu %s",
			 (long) getpid(), key->keyid, (unsigned long long) key->domain, alg);
	snprintf(options, sizeof(options), "type=cpu algorithm=%s", alg);
	serial = rt_kernel->add_key("mktme", description, options, strlen(options),
								KEY_SPEC_PROCESS_KEYRING);
	if (serial > 0)
	{
		key->serial = serial;
		return 0;
	}
	e = serial < 0 ? errno : EINVAL;
	switch (e)
	{
		case ENOKEY:
			rt_errf(err, errlen, "no TME-MK key left for KeyID %u: every hardware KeyID of this machine is in use (add_key(\"mktme\"): %s)",
					key->keyid, strerror(e));
			return TMEBOX_INSTANCE_NO_KEY;
		case EDQUOT:
			rt_errf(err, errlen, "no TME-MK key left for KeyID %u: this user's kernel key quota is used up (kernel.keys.maxkeys; add_key(\"mktme\"): %s)",
					key->keyid, strerror(e));
			return TMEBOX_INSTANCE_NO_KEY;
		case EINVAL:
			rt_errf(err, errlen, "tme-mk: the kernel refused a key \"%s\" (algorithm not activated by the firmware, or a topology without MKTME support): %s",
					options, strerror(e));
			return -1;
		default:
			rt_errf(err, errlen, "tme-mk: add_key(\"mktme\", \"%s\") failed: %s",
					options, strerror(e));
			return -1;
	}
}

static void
rt_tmemk_key_destroy(rt_key *key)
{
	int			saved = errno;

	rt_kernel->keyctl(KEYCTL_REVOKE, key->serial);
	rt_kernel->keyctl(KEYCTL_INVALIDATE, key->serial);
	errno = saved;
}

static void *
rt_tmemk_view_reserve(const rt_key *key, size_t span)
{
	void	   *m;

	(void) key;
	m = rt_kernel->mmap(NULL, span, PROT_NONE,
						MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return m == MAP_FAILED ? NULL : m;
}

static void
rt_tmemk_view_unmap(const rt_key *key, void *base, size_t span)
{
	(void) key;
	rt_kernel->munmap(base, span);
}

static int
rt_tmemk_map(const rt_key *key, void *addr, size_t len)
{
	return rt_kernel->encrypt_mprotect(key->cfg.sys_encrypt_mprotect, addr, len,
									   PROT_READ | PROT_WRITE, key->serial) == 0 ? 0 : -1;
}

static int
rt_tmemk_discard(const rt_key *key, void *addr, size_t len)
{
	(void) key;
	return rt_kernel->madvise(addr, len, MADV_DONTNEED);
}

static int
rt_tmemk_release(const rt_key *key, void *addr, size_t len)
{
	(void) key;
	if (rt_kernel->mmap(addr, len, PROT_NONE,
						MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
						-1, 0) == MAP_FAILED)
		return -1;
	return 0;
}

const rt_keyid_ops rt_keyid_tmemk_ops = {
	.name = "tme-mk",
	.key_create = rt_tmemk_key_create,
	.key_destroy = rt_tmemk_key_destroy,
	.view_reserve = rt_tmemk_view_reserve,
	.view_unmap = rt_tmemk_view_unmap,
	.map = rt_tmemk_map,
	.discard = rt_tmemk_discard,
	.release = rt_tmemk_release,
};
