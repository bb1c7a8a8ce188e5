/*-------------------------------------------------------------------------
 *
 * keyid_probe.c
 *		The machine-facing half of KeyID backend detection: CPUID, the
 *		/proc files, the TME MSRs and the encrypt_mprotect system call.
 *
 * Invariants kept here:
 *	- Every probe is harmless and never fails: a file that cannot be
 *	  opened or read makes its check UNKNOWN (which counts as failed).
 *	- System call 451 is called once, only on x86-64, with arguments that
 *	  both of its known meanings reject with EINVAL before acting:
 *	  encrypt_mprotect(start=1, ...) (start not page aligned) on the Intel
 *	  Labs kernel, cachestat(..., flags=~0) on Linux >= 6.5.  Since a
 *	  result other than ENOSYS cannot tell the two apart, the kernel's
 *	  symbol table must name it before we believe it.
 *	- keyid_status() probes at most once per process and caches the
 *	  result; callers keep it cheap by calling it only when needed.
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

/* CPUID.(EAX=7,ECX=0):ECX bit 13 is TME. */
static KeyidCheck
keyid_probe_cpuid(void)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int eax,
				ebx,
				ecx,
				edx;

	if (__get_cpuid_max(0, NULL) < 7)
		return KEYID_CHECK_UNKNOWN;
	__cpuid_count(7, 0, eax, ebx, ecx, edx);
	(void) eax;
	(void) ebx;
	(void) edx;
	return (ecx & (1u << 13)) ? KEYID_CHECK_YES : KEYID_CHECK_NO;
#else
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
keyid_probe_kernel(void)
{
#if defined(__x86_64__)
	long		rc;
	int			saved_errno;
	FILE	   *f;
	bool		named;

	errno = 0;
	rc = syscall(KEYID_SYS_ENCRYPT_MPROTECT, 1UL, 0UL, 0UL, ~0UL);
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

void
keyid_probe(KeyidProbe *probe)
{
	memset(probe, 0, sizeof(*probe));
	probe->cpuid_tme = keyid_probe_cpuid();
	probe->cpuinfo_tme = keyid_probe_cpuinfo();
	probe->msr_readable = keyid_probe_msr(&probe->msr_capability,
										  &probe->msr_activate);
	probe->kernel = keyid_probe_kernel();
}

const KeyidStatus *
keyid_status(void)
{
	static KeyidStatus status;
	static bool done = false;

	if (!done)
	{
		KeyidProbe	probe;

		keyid_probe(&probe);
		keyid_evaluate(&probe, &status);
		done = true;
	}
	return &status;
}
