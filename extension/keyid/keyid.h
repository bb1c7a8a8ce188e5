/*-------------------------------------------------------------------------
 *
 * keyid.h
 *		KeyID backend detection: is Intel TME-MK usable here, and how many
 *		KeyIDs does the backend offer?
 *
 * Plain C99 with no PostgreSQL dependency, so that the extension, the
 * runtime and standalone tools all decide the same way.
 *
 * Invariants kept by this module:
 *	- tme-mk is reported available only when every check passed: CPUID
 *	  leaf 7 ECX bit 13 (TME) and EDX bit 18 (PCONFIG, which programs the
 *	  keys), the 'tme' flag in /proc/cpuinfo, a kernel that really has
 *	  encrypt_mprotect under the system call number the caller gives (a
 *	  setting: it differs between kernels), and (when MSRs 0x981/0x982
 *	  are readable) TME enabled by the BIOS with at least one MK-TME KeyID.
 *	  Anything we cannot confirm counts as a failed check: we never claim
 *	  encryption that is not happening.
 *	- The keys the kernel will give are reported where readable: the
 *	  KeyIDs the kernel took for MK-TME (its boot message "x86/mktme: N
 *	  KeyIDs available", read from /dev/kmsg, which needs CAP_SYSLOG
 *	  unless kernel.dmesg_restrict is 0) bound the KeyID count; the key
 *	  quota left to this user (/proc/key-users, kernel.keys.maxkeys), which
 *	  every backend of the server shares, is shown in the reason.
 *	- Probing is harmless: CPUID, reads of /proc files and of the MSR
 *	  device, and one system call with arguments every candidate
 *	  implementation rejects with EINVAL before doing anything.
 *	- KeyID 0 is the host's own key and is never counted: a backend's
 *	  maximum is the highest KeyID a tenant may get, at most KEYID_MAX.
 *	- The parsing and decision functions are pure (no I/O beyond the FILE
 *	  they are given), so unit tests feed them fake machine state.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KEYID_H
#define KEYID_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Highest KeyID any backend hands out (15 KeyID bits). */
#define KEYID_MAX				32767
/* The emulated backend offers every KeyID a real machine could. */
#define KEYID_EMULATED_MAX		KEYID_MAX
/*
 * tme-mk with unreadable MSRs: the KeyID count is unknown, assume the
 * smallest common configuration (6 KeyID bits, e.g. Ice Lake-SP).
 */
#define KEYID_TME_MK_ASSUMED_MAX 63

/* Model-specific registers (Intel SDM vol. 4, "IA32_TME_*"). */
#define KEYID_MSR_TME_CAPABILITY 0x981
#define KEYID_MSR_TME_ACTIVATE	0x982

/* Longest reason string (including the NUL). */
#define KEYID_REASON_MAX		512

typedef enum KeyidBackend
{
	KEYID_BACKEND_EMULATED = 0,
	KEYID_BACKEND_TME_MK = 1
} KeyidBackend;

/* Result of one check: passed, failed, or could not be determined. */
typedef enum KeyidCheck
{
	KEYID_CHECK_NO = 0,
	KEYID_CHECK_YES = 1,
	KEYID_CHECK_UNKNOWN = 2
} KeyidCheck;

/* What the kernel's system call 451 turned out to be. */
typedef enum KeyidSyscall
{
	KEYID_SYSCALL_ABSENT = 0,		/* ENOSYS: no such system call */
	KEYID_SYSCALL_ENCRYPT_MPROTECT,	/* exists and is named encrypt_mprotect */
	KEYID_SYSCALL_OTHER,			/* exists, kernel symbols say it is not */
	KEYID_SYSCALL_UNCONFIRMED,		/* exists, /proc/kallsyms unreadable */
	KEYID_SYSCALL_NOT_PROBED		/* not x86-64: never called */
} KeyidSyscall;

/* Raw facts gathered from the machine (keyid_probe) or made up by tests. */
typedef struct KeyidProbe
{
	KeyidCheck	cpuid_tme;		/* CPUID.(EAX=7,ECX=0):ECX[13]; UNKNOWN if
								 * leaf 7 is missing or not x86 */
	KeyidCheck	cpuid_pconfig;	/* CPUID.(EAX=7,ECX=0):EDX[18], likewise */
	KeyidCheck	cpuinfo_tme;	/* 'tme' in the flags of /proc/cpuinfo;
								 * UNKNOWN if unreadable or no flags line */
	bool		msr_readable;	/* both MSRs read from /dev/cpu/0/msr */
	uint64_t	msr_capability; /* IA32_TME_CAPABILITY when readable */
	uint64_t	msr_activate;	/* IA32_TME_ACTIVATE when readable */
	KeyidSyscall kernel;		/* the encrypt_mprotect probe */
	long		syscall_nr;		/* the number probed as encrypt_mprotect */
	int			kernel_keyids;	/* "x86/mktme: N KeyIDs available", -1 if
								 * not readable */
	int			key_quota;		/* keys this user may still create, -1 if
								 * not readable */
} KeyidProbe;

/* The decision derived from a probe (keyid_evaluate). */
typedef struct KeyidStatus
{
	bool		tme_mk_available;
	int			tme_mk_max_keyid;	/* 0 unless available */
	/* "tme-mk available: ..." or "tme-mk unavailable: check; check..." */
	char		reason[KEYID_REASON_MAX];
} KeyidStatus;

/* Name of a backend as used by the tmebox.backend setting. */
extern const char *keyid_backend_name(KeyidBackend backend);

/*
 * Gather the raw facts from this machine, probing system call number
 * syscall_nr as encrypt_mprotect.  Never fails.
 */
extern void keyid_probe(KeyidProbe *probe, long syscall_nr);

/* Derive availability, KeyID count and reason from raw facts.  Pure. */
extern void keyid_evaluate(const KeyidProbe *probe, KeyidStatus *status);

/*
 * Probe this machine once per process (again when syscall_nr changes) and
 * return the cached decision.  Not thread-safe.
 */
extern const KeyidStatus *keyid_status(long syscall_nr);

/*
 * Does the first "flags" line of a /proc/cpuinfo text contain FLAG as a
 * whole word?  YES/NO, or UNKNOWN when there is no flags line.
 */
extern KeyidCheck keyid_cpuinfo_scan(FILE *cpuinfo, const char *flag);

/*
 * Does a /proc/kallsyms text define the encrypt_mprotect system call
 * (a symbol named sys_encrypt_mprotect or *_sys_encrypt_mprotect)?
 */
extern bool keyid_kallsyms_scan(FILE *kallsyms);

/*
 * KeyIDs usable for MK-TME according to the two MSR values: 0 when TME is
 * not locked and enabled or no KeyID bits are allocated, else
 * min(2^bits - 1, MK_TME_MAX_KEYS when non-zero, KEYID_MAX).
 */
extern int	keyid_msr_max_keyid(uint64_t capability, uint64_t activate);

/*
 * The N of the kernel's "x86/mktme: N KeyIDs available" in a kernel log
 * text (/dev/kmsg records or dmesg lines), or -1 when there is none.
 */
extern int	keyid_kmsg_scan(FILE *kmsg);

/*
 * Keys user uid may still create according to a /proc/key-users text
 * ("UID: USAGE NKEYS/NIKEYS QNKEYS/MAXKEYS QNBYTES/MAXBYTES" per user);
 * maxkeys (kernel.keys.maxkeys) when the user has no line yet.
 */
extern int	keyid_key_users_scan(FILE *key_users, unsigned uid, int maxkeys);

#endif							/* KEYID_H */
