/*-------------------------------------------------------------------------
 *
 * keyid_probe.c
 *		The machine-facing half of KeyID backend detection: CPUID, the
 *		/proc files, the TME MSRs and the encrypt_mprotect system call.
 *
 * Invariants kept here:
 *	- Every probe is harmless and never fails: a file that cannot be
 *	  opened or read makes its check UNKNOWN (which counts as failed).
 *	- The system call number the caller gives (the setting
 *	  tmebox.encrypt_mprotect_syscall, 451 in Intel Labs' 5.15 port) is
 *	  called once, only on x86-64, with arguments encrypt_mprotect rejects
 *	  before acting (serial -1 names no "mktme" key: ENOKEY or EINVAL) and
 *	  that the other meaning of 451 on stock kernels, cachestat(...,
 *	  flags=~0) on Linux >= 6.5, rejects with EINVAL.  Since a result other than ENOSYS
 *	  cannot tell calls apart, the kernel's symbol table must name
 *	  encrypt_mprotect before we believe it.
 *	- The kernel's KeyID count comes from its boot message in /dev/kmsg
 *	  (opened non-blocking, read to its end), the key quota from
 *	  /proc/key-users and /proc/sys/kernel/keys/(root_)maxkeys; either is
 *	  -1 when unreadable.
 *	- keyid_status() probes once per process and system call number and
 *	  caches the result; callers keep it cheap by calling it only when
 *	  needed.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "keyid.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/* CPUID.(EAX=7,ECX=0):ECX bit 13 is TME, EDX bit 18 PCONFIG. */
static KeyidCheck
keyid_probe_cpuid(KeyidCheck *pconfig)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int eax,
				ebx,
				ecx,
				edx;

	*pconfig = KEYID_CHECK_UNKNOWN;
	if (__get_cpuid_max(0, NULL) < 7)
		return KEYID_CHECK_UNKNOWN;
	__cpuid_count(7, 0, eax, ebx, ecx, edx);
	(void) eax;
	(void) ebx;
	*pconfig = (edx & (1u << 18)) ? KEYID_CHECK_YES : KEYID_CHECK_NO;
	return (ecx & (1u << 13)) ? KEYID_CHECK_YES : KEYID_CHECK_NO;
#else
	*pconfig = KEYID_CHECK_UNKNOWN;
	return KEYID_CHECK_UNKNOWN;
#endif
}

static KeyidCheck
keyid_probe_cpuinfo(void)
{
	FILE	   *f = fopen("/proc/cpuinfo", "re");
	KeyidCheck	result;

	if (f == NULL)
		return KEYID_CHECK_UNKNOWN;
	result = keyid_cpuinfo_scan(f, "tme");
	fclose(f);
	return result;
}

/* Read both TME MSRs of CPU 0; false if the msr device is not readable. */
static bool
keyid_probe_msr(uint64_t *capability, uint64_t *activate)
{
	int			fd = open("/dev/cpu/0/msr", O_RDONLY | O_CLOEXEC);
	bool		ok;

	if (fd < 0)
		return false;
	ok = pread(fd, capability, sizeof(*capability),
			   KEYID_MSR_TME_CAPABILITY) == (ssize_t) sizeof(*capability) &&
		pread(fd, activate, sizeof(*activate),
			  KEYID_MSR_TME_ACTIVATE) == (ssize_t) sizeof(*activate);
	close(fd);
	return ok;
}

static KeyidSyscall
keyid_probe_kernel(long syscall_nr)
{
#if defined(__x86_64__)
	long		rc;
	int			saved_errno;
	FILE	   *f;
	bool		named;

	errno = 0;
	if (syscall_nr <= 0)
		return KEYID_SYSCALL_ABSENT;
	rc = syscall(syscall_nr, 1UL, 0UL, 0UL, ~0UL);
	saved_errno = errno;
	if (rc == -1 && saved_errno == ENOSYS)
		return KEYID_SYSCALL_ABSENT;

	f = fopen("/proc/kallsyms", "re");
	if (f == NULL)
		return KEYID_SYSCALL_UNCONFIRMED;
	named = keyid_kallsyms_scan(f);
	fclose(f);
	return named ? KEYID_SYSCALL_ENCRYPT_MPROTECT : KEYID_SYSCALL_OTHER;
#else
	return KEYID_SYSCALL_NOT_PROBED;
#endif
}

/* "x86/mktme: N KeyIDs available" in the kernel log, -1 if unreadable. */
static int
keyid_probe_kmsg(void)
{
	int			fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE	   *f;
	int			n;

	if (fd < 0)
		return -1;
	f = fdopen(fd, "r");
	if (f == NULL)
	{
		close(fd);
		return -1;
	}
	n = keyid_kmsg_scan(f);
	fclose(f);
	return n;
}

/* An integer in a /proc file, or -1. */
static int
keyid_read_int(const char *path)
{
	FILE	   *f = fopen(path, "re");
	int			v = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Keys this user may still create, or -1. */
static int
keyid_probe_key_quota(void)
{
	int			maxkeys = keyid_read_int(geteuid() == 0 ?
										 "/proc/sys/kernel/keys/root_maxkeys" :
										 "/proc/sys/kernel/keys/maxkeys");
	FILE	   *f;
	int			left;

	if (maxkeys < 0)
		return -1;
	f = fopen("/proc/key-users", "re");
	if (f == NULL)
		return -1;
	left = keyid_key_users_scan(f, (unsigned) geteuid(), maxkeys);
	fclose(f);
	return left;
}

void
keyid_probe(KeyidProbe *probe, long syscall_nr)
{
	memset(probe, 0, sizeof(*probe));
	probe->syscall_nr = syscall_nr;
	probe->cpuid_tme = keyid_probe_cpuid(&probe->cpuid_pconfig);
	probe->cpuinfo_tme = keyid_probe_cpuinfo();
	probe->msr_readable = keyid_probe_msr(&probe->msr_capability,
										  &probe->msr_activate);
	probe->kernel = keyid_probe_kernel(syscall_nr);
	probe->kernel_keyids = keyid_probe_kmsg();
	probe->key_quota = keyid_probe_key_quota();
}

const KeyidStatus *
keyid_status(long syscall_nr)
{
	static KeyidStatus status;
	static bool done = false;
	static long probed_nr;

	if (!done || probed_nr != syscall_nr)
	{
		KeyidProbe	probe;

		keyid_probe(&probe, syscall_nr);
		keyid_evaluate(&probe, &status);
		probed_nr = syscall_nr;
		done = true;
	}
	return &status;
}
