/*-------------------------------------------------------------------------
 *
 * keyid_test.c
 *		Unit tests of KeyID backend detection: fake /proc/cpuinfo and
 *		/proc/kallsyms texts, MSR values and probe results go in, the
 *		decision and its reason are checked.  Finally the real probe of
 *		this machine is run and checked for consistency.
 *
 * Invariants kept here:
 *	- Every check that fails is reported with file and line, and the
 *	  program exits non-zero if any failed; the last line is
 *	  "keyid_test: N checks, N failed".
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "keyid.h"

#include <string.h>

#include "keyid_check.h"

#define CHECK_STR(got, want) \
	do { \
		checks++; \
		if (strcmp((got), (want)) != 0) \
		{ \
			failures++; \
			fprintf(stderr, "%s:%d: got \"%s\"\n%*swant \"%s\"\n", \
					__FILE__, __LINE__, (got), (int) strlen(__FILE__) + 8, "", \
					(want)); \
		} \
	} while (0)

/* Run keyid_cpuinfo_scan over TEXT. */
static KeyidCheck
cpuinfo(const char *text, const char *flag)
{
	FILE	   *f = fmemopen((void *) text, strlen(text), "r");
	KeyidCheck	r;

	if (f == NULL)
	{
		perror("fmemopen");
		return KEYID_CHECK_UNKNOWN;
	}
	r = keyid_cpuinfo_scan(f, flag);
	fclose(f);
	return r;
}

/* Run keyid_kallsyms_scan over TEXT. */
static bool
kallsyms(const char *text)
{
	FILE	   *f = fmemopen((void *) text, strlen(text), "r");
	bool		r;

	if (f == NULL)
	{
		perror("fmemopen");
		return false;
	}
	r = keyid_kallsyms_scan(f);
	fclose(f);
	return r;
}

static const char cpuinfo_epyc[] =
"processor\t: 0\n"
"vendor_id\t: AuthenticAMD\n"
"model name\t: AMD EPYC\n"
"flags\t\t: fpu vme de pse tsc msr pae mce fsgsbase bmi1 avx2 smep\n"
"bugs\t\t: sysret_ss_attrs\n"
"\n"
"processor\t: 1\n"
"flags\t\t: fpu tme\n";

static const char cpuinfo_sapphire[] =
"processor\t: 0\n"
"vendor_id\t: GenuineIntel\n"
"flags\t\t: fpu vme pku ospke avx512_vbmi tme avx512_vpopcntdq\n"
"vmx flags\t: vnmi preemption_timer\n";

static void
test_cpuinfo(void)
{
	CHECK(cpuinfo(cpuinfo_epyc, "tme") == KEYID_CHECK_NO);	/* first CPU only */
	CHECK(cpuinfo(cpuinfo_epyc, "fsgsbase") == KEYID_CHECK_YES);
	CHECK(cpuinfo(cpuinfo_epyc, "smep") == KEYID_CHECK_YES);	/* last word */
	CHECK(cpuinfo(cpuinfo_sapphire, "tme") == KEYID_CHECK_YES);
	CHECK(cpuinfo(cpuinfo_sapphire, "vnmi") == KEYID_CHECK_NO);	/* vmx flags */
	/* whole words only */
	CHECK(cpuinfo("flags : tme_x xtme\n", "tme") == KEYID_CHECK_NO);
	CHECK(cpuinfo("flags:tme\n", "tme") == KEYID_CHECK_YES);
	CHECK(cpuinfo("flags : tme", "tme") == KEYID_CHECK_YES);	/* no newline */
	/* no flags line (other architectures, empty file) */
	CHECK(cpuinfo("processor : 0\nFeatures : fp asimd\n", "tme") ==
		  KEYID_CHECK_UNKNOWN);
	CHECK(cpuinfo("", "tme") == KEYID_CHECK_UNKNOWN);
	CHECK(cpuinfo("flagsx : tme\n", "tme") == KEYID_CHECK_UNKNOWN);
	CHECK(cpuinfo("vmx flags : tme\n", "tme") == KEYID_CHECK_UNKNOWN);
}

static void
test_kallsyms(void)
{
	CHECK(kallsyms("0000000000000000 T _stext\n"
				   "0000000000000000 T __x64_sys_encrypt_mprotect\n"));
	CHECK(kallsyms("ffffffff81234567 T sys_encrypt_mprotect\n"));
	CHECK(kallsyms("ffffffff81234567 t __do_sys_encrypt_mprotect\t[mktme]\n"));
	CHECK(!kallsyms("0000000000000000 T __x64_sys_cachestat\n"
					"0000000000000000 T __x64_sys_mprotect\n"));
	CHECK(!kallsyms("0000000000000000 T __x64_sys_encrypt_mprotect_helper\n"));
	CHECK(!kallsyms("0000000000000000 T mysys_encrypt_mprotect\n"));
	CHECK(!kallsyms("sys_encrypt_mprotect\n"));	/* not in the name field */
	CHECK(!kallsyms(""));
}

static void
test_msr(void)
{
	/* locked + enabled, 6 KeyID bits, no MAX_KEYS limit */
	uint64_t	act6 = 0x3 | (UINT64_C(6) << 32);

	CHECK(keyid_msr_max_keyid(0, act6) == 63);
	CHECK(keyid_msr_max_keyid(0, act6 & ~UINT64_C(1)) == 0);	/* not locked */
	CHECK(keyid_msr_max_keyid(0, act6 & ~UINT64_C(2)) == 0);	/* not enabled */
	CHECK(keyid_msr_max_keyid(0, 0x3) == 0);	/* no KeyID bits */
	/* MK_TME_MAX_KEYS (capability bits 50:36) caps the count */
	CHECK(keyid_msr_max_keyid(UINT64_C(31) << 36, act6) == 31);
	CHECK(keyid_msr_max_keyid(UINT64_C(100) << 36, act6) == 63);
	/* 15 bits is the architectural maximum */
	CHECK(keyid_msr_max_keyid(0, 0x3 | (UINT64_C(15) << 32)) == KEYID_MAX);
}

static KeyidProbe
probe_all(KeyidCheck c, KeyidSyscall k)
{
	KeyidProbe	p;

	memset(&p, 0, sizeof(p));
	p.cpuid_tme = c;
	p.cpuid_pconfig = c;
	p.cpuinfo_tme = c;
	p.kernel = k;
	p.syscall_nr = 451;
	p.kernel_keyids = -1;
	p.key_quota = -1;
	return p;
}

/* Run keyid_kmsg_scan / keyid_key_users_scan over TEXT. */
static int
kmsg(const char *text)
{
	FILE	   *f = fmemopen((void *) text, strlen(text), "r");
	int			r = keyid_kmsg_scan(f);

	fclose(f);
	return r;
}

static int
key_users(const char *text, unsigned uid, int maxkeys)
{
	FILE	   *f = fmemopen((void *) text, strlen(text), "r");
	int			r = keyid_key_users_scan(f, uid, maxkeys);

	fclose(f);
	return r;
}

/* The keys the kernel gives: its boot message and the key quota. */
static void
test_kernel_keys(void)
{
	KeyidProbe	p;
	KeyidStatus s;

	/* /dev/kmsg records and dmesg lines of detect_tme() */
	CHECK(kmsg("6,312,0,-;x86/tme: enabled by BIOS\n"
			   "6,313,0,-;x86/mktme: 127 KeyIDs available\n") == 127);
	CHECK(kmsg("[    0.000000] x86/mktme: 63 KeyIDs available\n") == 63);
	CHECK(kmsg("[    0.000000] x86/mktme: disabled by BIOS\n") == -1);
	CHECK(kmsg("") == -1);
	/* /proc/key-users: QNKEYS/MAXKEYS of our uid, else maxkeys */
	CHECK(key_users("    0:    10 9/9 5/1000000 300/25000000\n"
					"  108:     3 3/3 3/200 95/20000\n", 108, 200) == 197);
	CHECK(key_users("    0:    10 9/9 5/1000000 300/25000000\n", 108, 200) == 200);
	CHECK(key_users("  108:     3 201/201 201/200 95/20000\n", 108, 200) == 0);

	/* the kernel's count bounds the KeyIDs, the quota is shown */
	p = probe_all(KEYID_CHECK_YES, KEYID_SYSCALL_ENCRYPT_MPROTECT);
	p.msr_readable = true;
	p.msr_activate = 0x3 | (UINT64_C(7) << 32);
	p.kernel_keyids = 31;
	p.key_quota = 197;
	keyid_evaluate(&p, &s);
	CHECK(s.tme_mk_available);
	CHECK(s.tme_mk_max_keyid == 31);
	CHECK(strstr(s.reason, "127 KeyIDs (MSR 0x982); the kernel took 31 KeyIDs (kernel log); "
				 "197 keys left in this user's kernel key quota") != NULL);

	/* no PCONFIG: no way to program keys */
	p = probe_all(KEYID_CHECK_YES, KEYID_SYSCALL_ENCRYPT_MPROTECT);
	p.cpuid_pconfig = KEYID_CHECK_NO;
	keyid_evaluate(&p, &s);
	CHECK(!s.tme_mk_available);
	CHECK_STR(s.reason, "tme-mk unavailable: CPUID.7.EDX[18]=0 (no PCONFIG)");

	/* the number probed is the one in the reason */
	p = probe_all(KEYID_CHECK_YES, KEYID_SYSCALL_OTHER);
	p.syscall_nr = 335;
	keyid_evaluate(&p, &s);
	CHECK_STR(s.reason, "tme-mk unavailable: kernel has no encrypt_mprotect "
			  "(system call 335 is another call)");
}

static void
test_evaluate(void)
{
	KeyidProbe	p;
	KeyidStatus s;
	int			c1,
				c2,
				k,
				m;

	/* a machine without TME, e.g. this AMD EPYC on a stock kernel */
	p = probe_all(KEYID_CHECK_NO, KEYID_SYSCALL_ABSENT);
	keyid_evaluate(&p, &s);
	CHECK(!s.tme_mk_available);
	CHECK(s.tme_mk_max_keyid == 0);
	CHECK_STR(s.reason, "tme-mk unavailable: CPUID.7.ECX[13]=0; CPUID.7.EDX[18]=0 (no PCONFIG); "
			  "no 'tme' flag in /proc/cpuinfo; kernel has no encrypt_mprotect");

	/* TME CPU, stock Linux >= 6.5 where 451 is cachestat */
	p = probe_all(KEYID_CHECK_YES, KEYID_SYSCALL_OTHER);
	keyid_evaluate(&p, &s);
	CHECK(!s.tme_mk_available);
	CHECK_STR(s.reason, "tme-mk unavailable: kernel has no encrypt_mprotect "
			  "(system call 451 is another call)");

	/* everything there, MSRs not readable: assumed count */
	p = probe_all(KEYID_CHECK_YES, KEYID_SYSCALL_ENCRYPT_MPROTECT);
	keyid_evaluate(&p, &s);
	CHECK(s.tme_mk_available);
	CHECK(s.tme_mk_max_keyid == KEYID_TME_MK_ASSUMED_MAX);
	CHECK(strncmp(s.reason, "tme-mk available: ", 18) == 0);
	CHECK(strstr(s.reason, "assuming 63") != NULL);

	/* everything there, MSRs readable: their count */
	p.msr_readable = true;
	p.msr_activate = 0x3 | (UINT64_C(7) << 32);
	keyid_evaluate(&p, &s);
	CHECK(s.tme_mk_available);
	CHECK(s.tme_mk_max_keyid == 127);
	CHECK(strstr(s.reason, "127 KeyIDs (MSR 0x982)") != NULL);

	/* MSRs readable but BIOS left TME off, or gave MK-TME no KeyIDs */
	p.msr_activate = UINT64_C(7) << 32;
	keyid_evaluate(&p, &s);
	CHECK(!s.tme_mk_available);
	CHECK_STR(s.reason, "tme-mk unavailable: MSR 0x982: TME not enabled by BIOS");
	p.msr_activate = 0x3;
	keyid_evaluate(&p, &s);
	CHECK(!s.tme_mk_available);
	CHECK_STR(s.reason, "tme-mk unavailable: MSR 0x982: no MK-TME KeyIDs allocated");

	/* kallsyms unreadable: cannot confirm, so unavailable */
	p = probe_all(KEYID_CHECK_YES, KEYID_SYSCALL_UNCONFIRMED);
	keyid_evaluate(&p, &s);
	CHECK(!s.tme_mk_available);
	CHECK(strstr(s.reason, "/proc/kallsyms not readable") != NULL);

	/* every combination: available exactly when every check passed */
	for (c1 = 0; c1 < 3; c1++)
		for (c2 = 0; c2 < 3; c2++)
			for (k = 0; k <= KEYID_SYSCALL_NOT_PROBED; k++)
				for (m = 0; m < 3; m++)
				{
					bool		want;

					memset(&p, 0, sizeof(p));
					p.cpuid_pconfig = KEYID_CHECK_YES;
					p.kernel_keyids = -1;
					p.key_quota = -1;
					p.cpuid_tme = (KeyidCheck) c1;
					p.cpuinfo_tme = (KeyidCheck) c2;
					p.kernel = (KeyidSyscall) k;
					p.msr_readable = (m != 0);
					p.msr_activate = (m == 2) ? (0x3 | (UINT64_C(4) << 32)) : 0;
					want = c1 == KEYID_CHECK_YES && c2 == KEYID_CHECK_YES &&
						k == KEYID_SYSCALL_ENCRYPT_MPROTECT && m != 1;
					keyid_evaluate(&p, &s);
					CHECK(s.tme_mk_available == want);
					CHECK((strncmp(s.reason, "tme-mk available: ", 18) == 0) == want);
					CHECK(want ? (s.tme_mk_max_keyid >= 1 &&
								  s.tme_mk_max_keyid <= KEYID_MAX)
						  : s.tme_mk_max_keyid == 0);
				}
}

static void
test_names(void)
{
	CHECK_STR(keyid_backend_name(KEYID_BACKEND_EMULATED), "emulated");
	CHECK_STR(keyid_backend_name(KEYID_BACKEND_TME_MK), "tme-mk");
}

/* The real probe of this machine: consistent, cached, and says why. */
static void
test_this_machine(void)
{
	const KeyidStatus *s = keyid_status(451);
	KeyidProbe	p;
	FILE	   *f;

	CHECK(s == keyid_status(451));
	CHECK(s->tme_mk_available ==
		  (strncmp(s->reason, "tme-mk available: ", 18) == 0));
	CHECK(s->tme_mk_available ||
		  strncmp(s->reason, "tme-mk unavailable: ", 20) == 0);
	keyid_probe(&p, 451);
	CHECK(p.syscall_nr == 451);
	/* what /proc/cpuinfo says must match what the probe recorded */
	f = fopen("/proc/cpuinfo", "r");
	if (f != NULL)
	{
		CHECK(keyid_cpuinfo_scan(f, "tme") == p.cpuinfo_tme);
		fclose(f);
	}
	printf("keyid_test: this machine: %s\n", s->reason);
}

int
main(void)
{
	test_cpuinfo();
	test_kallsyms();
	test_msr();
	test_evaluate();
	test_kernel_keys();
	test_names();
	test_this_machine();
	printf("keyid_test: %d checks, %d failed\n", checks, failures);
	return failures == 0 ? 0 : 1;
}
