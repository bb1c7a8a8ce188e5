/*-------------------------------------------------------------------------
 *
 * keyid_eval.c
 *		The pure half of KeyID backend detection: parse /proc texts, decode
 *		the TME MSRs and turn raw facts into a decision with a reason.
 *
 * Invariants kept here:
 *	- No I/O except reading the FILE handed in; no global state.  Unit
 *	  tests (keyid_test.c) drive every function with made-up input.
 *	- keyid_evaluate() reports tme-mk available only if every check is
 *	  YES (MSRs only count when readable), and then with a KeyID count in
 *	  1..KEYID_MAX.  The reason names every failed check, in a fixed order.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "keyid.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Bits of IA32_TME_ACTIVATE (0x982) and IA32_TME_CAPABILITY (0x981). */
#define KEYID_ACT_LOCKED(v)		((v) & 0x1)
#define KEYID_ACT_ENABLED(v)	(((v) >> 1) & 0x1)
#define KEYID_ACT_KEYID_BITS(v) (((v) >> 32) & 0xf)
#define KEYID_CAP_MAX_KEYS(v)	(((v) >> 36) & 0x7fff)

const char *
keyid_backend_name(KeyidBackend backend)
{
	return backend == KEYID_BACKEND_TME_MK ? "tme-mk" : "emulated";
}

/*
 * Is LINE the "flags" line of an x86 /proc/cpuinfo ("flags\t\t: a b c")?
 * Returns a pointer just past the colon, or NULL.
 */
static const char *
keyid_flags_value(const char *line)
{
	if (strncmp(line, "flags", 5) != 0)
		return NULL;
	line += 5;
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != ':')
		return NULL;
	return line + 1;
}

/* Is WORD one of the blank-separated words of LIST? */
static bool
keyid_has_word(const char *list, const char *word)
{
	size_t		len = strlen(word);
	const char *p = list;

	while (*p)
	{
		size_t		n;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		n = strcspn(p, " \t\n");
		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
	}
	return false;
}

KeyidCheck
keyid_cpuinfo_scan(FILE *cpuinfo, const char *flag)
{
	char	   *line = NULL;
	size_t		cap = 0;
	KeyidCheck	result = KEYID_CHECK_UNKNOWN;

	while (getline(&line, &cap, cpuinfo) != -1)
	{
		const char *value = keyid_flags_value(line);

		if (value != NULL)
		{
			/* The first processor speaks for all of them. */
			result = keyid_has_word(value, flag) ? KEYID_CHECK_YES
				: KEYID_CHECK_NO;
			break;
		}
	}
	free(line);
	return result;
}

/* Is NAME sys_encrypt_mprotect or a wrapper ending in _sys_encrypt_mprotect? */
static bool
keyid_is_syscall_symbol(const char *name, size_t len)
{
	static const char target[] = "sys_encrypt_mprotect";
	size_t		tlen = sizeof(target) - 1;

	if (len < tlen || memcmp(name + len - tlen, target, tlen) != 0)
		return false;
	return len == tlen || name[len - tlen - 1] == '_';
}

bool
keyid_kallsyms_scan(FILE *kallsyms)
{
	char	   *line = NULL;
	size_t		cap = 0;
	bool		found = false;

	/* Lines are "ADDRESS TYPE NAME[\t[MODULE]]". */
	while (!found && getline(&line, &cap, kallsyms) != -1)
	{
		char	   *p = line;
		int			field;

		for (field = 0; field < 2 && *p; field++)
		{
			p += strcspn(p, " \t");
			p += strspn(p, " \t");
		}
		if (*p)
			found = keyid_is_syscall_symbol(p, strcspn(p, " \t\n"));
	}
	free(line);
	return found;
}

int
keyid_kmsg_scan(FILE *kmsg)
{
	static const char needle[] = "x86/mktme: ";
	char	   *line = NULL;
	size_t		cap = 0;
	int			found = -1;

	while (getline(&line, &cap, kmsg) != -1)
	{
		const char *p = strstr(line, needle);
		int			n;
		char		tail[32];

		if (p != NULL &&
			sscanf(p + sizeof(needle) - 1, "%d %31[A-Za-z ]", &n, tail) == 2 &&
			strncmp(tail, "KeyIDs available", 16) == 0 && n >= 0)
			found = n;
	}
	free(line);
	return found;
}

int
keyid_key_users_scan(FILE *key_users, unsigned uid, int maxkeys)
{
	char	   *line = NULL;
	size_t		cap = 0;
	int			left = maxkeys;

	while (getline(&line, &cap, key_users) != -1)
	{
		unsigned	u;
		int			usage,
					nkeys,
					nikeys,
					qnkeys,
					qmax;

		if (sscanf(line, " %u: %d %d/%d %d/%d", &u, &usage, &nkeys, &nikeys,
				   &qnkeys, &qmax) == 6 && u == uid)
		{
			left = qmax - qnkeys;
			break;
		}
	}
	free(line);
	return left < 0 ? 0 : left;
}

int
keyid_msr_max_keyid(uint64_t capability, uint64_t activate)
{
	uint64_t	bits;
	uint64_t	max;
	uint64_t	keys;

	if (!KEYID_ACT_LOCKED(activate) || !KEYID_ACT_ENABLED(activate))
		return 0;
	bits = KEYID_ACT_KEYID_BITS(activate);
	if (bits == 0)
		return 0;
	max = (UINT64_C(1) << bits) - 1;
	keys = KEYID_CAP_MAX_KEYS(capability);
	if (keys != 0 && keys < max)
		max = keys;
	if (max > KEYID_MAX)
		max = KEYID_MAX;
	return (int) max;
}

/* Append "; " (unless first) and a formatted item to BUF, truncating. */
#ifdef __GNUC__
__attribute__((format(printf, 4, 5)))
#endif
static void
keyid_append(char *buf, size_t size, bool *first, const char *fmt,...)
{
	size_t		used = strlen(buf);
	va_list		ap;

	if (used + 1 >= size)
		return;
	if (!*first)
	{
		snprintf(buf + used, size - used, "; ");
		used = strlen(buf);
	}
	*first = false;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

void
keyid_evaluate(const KeyidProbe *probe, KeyidStatus *status)
{
	char		failed[KEYID_REASON_MAX] = "";
	bool		first = true;
	int			msr_max = 0;

	switch (probe->cpuid_tme)
	{
		case KEYID_CHECK_YES:
			break;
		case KEYID_CHECK_NO:
			keyid_append(failed, sizeof(failed), &first, "CPUID.7.ECX[13]=0");
			break;
		case KEYID_CHECK_UNKNOWN:
			keyid_append(failed, sizeof(failed), &first,
						 "CPUID leaf 7 not available");
			break;
	}

	switch (probe->cpuid_pconfig)
	{
		case KEYID_CHECK_YES:
			break;
		case KEYID_CHECK_NO:
			keyid_append(failed, sizeof(failed), &first,
						 "CPUID.7.EDX[18]=0 (no PCONFIG)");
			break;
		case KEYID_CHECK_UNKNOWN:
			if (probe->cpuid_tme != KEYID_CHECK_UNKNOWN)
				keyid_append(failed, sizeof(failed), &first,
							 "PCONFIG unknown");
			break;
	}

	switch (probe->cpuinfo_tme)
	{
		case KEYID_CHECK_YES:
			break;
		case KEYID_CHECK_NO:
			keyid_append(failed, sizeof(failed), &first,
						 "no 'tme' flag in /proc/cpuinfo");
			break;
		case KEYID_CHECK_UNKNOWN:
			keyid_append(failed, sizeof(failed), &first,
						 "no flags line readable in /proc/cpuinfo");
			break;
	}

	switch (probe->kernel)
	{
		case KEYID_SYSCALL_ENCRYPT_MPROTECT:
			break;
		case KEYID_SYSCALL_ABSENT:
			keyid_append(failed, sizeof(failed), &first,
						 "kernel has no encrypt_mprotect");
			break;
		case KEYID_SYSCALL_OTHER:
			keyid_append(failed, sizeof(failed), &first,
						 "kernel has no encrypt_mprotect (system call %ld is another call)",
						 probe->syscall_nr);
			break;
		case KEYID_SYSCALL_UNCONFIRMED:
			keyid_append(failed, sizeof(failed), &first,
						 "cannot confirm kernel encrypt_mprotect (/proc/kallsyms not readable)");
			break;
		case KEYID_SYSCALL_NOT_PROBED:
			keyid_append(failed, sizeof(failed), &first,
						 "encrypt_mprotect not probed (not x86-64)");
			break;
	}

	if (probe->msr_readable)
	{
		msr_max = keyid_msr_max_keyid(probe->msr_capability,
									  probe->msr_activate);
		if (!KEYID_ACT_LOCKED(probe->msr_activate) ||
			!KEYID_ACT_ENABLED(probe->msr_activate))
			keyid_append(failed, sizeof(failed), &first,
						 "MSR 0x%x: TME not enabled by BIOS",
						 KEYID_MSR_TME_ACTIVATE);
		else if (msr_max == 0)
			keyid_append(failed, sizeof(failed), &first,
						 "MSR 0x%x: no MK-TME KeyIDs allocated",
						 KEYID_MSR_TME_ACTIVATE);
	}

	if (!first)
	{
		status->tme_mk_available = false;
		status->tme_mk_max_keyid = 0;
		snprintf(status->reason, sizeof(status->reason),
				 "tme-mk unavailable: %s", failed);
		return;
	}

	status->tme_mk_available = true;
	if (probe->msr_readable)
	{
		status->tme_mk_max_keyid = msr_max;
		snprintf(status->reason, sizeof(status->reason),
				 "tme-mk available: CPUID.7.ECX[13]=1; 'tme' flag in /proc/cpuinfo; "
				 "kernel has encrypt_mprotect; %d KeyIDs (MSR 0x%x)",
				 msr_max, KEYID_MSR_TME_ACTIVATE);
	}
	else
	{
		status->tme_mk_max_keyid = KEYID_TME_MK_ASSUMED_MAX;
		snprintf(status->reason, sizeof(status->reason),
				 "tme-mk available: CPUID.7.ECX[13]=1; 'tme' flag in /proc/cpuinfo; "
				 "kernel has encrypt_mprotect; KeyID count unknown "
				 "(MSRs 0x%x/0x%x not readable), assuming %d",
				 KEYID_MSR_TME_CAPABILITY, KEYID_MSR_TME_ACTIVATE,
				 KEYID_TME_MK_ASSUMED_MAX);
	}
	first = false;				/* append to the reason */
	if (probe->kernel_keyids > 0)
	{
		if (probe->kernel_keyids < status->tme_mk_max_keyid)
			status->tme_mk_max_keyid = probe->kernel_keyids;
		keyid_append(status->reason, sizeof(status->reason), &first,
					 "the kernel took %d KeyIDs (kernel log)", probe->kernel_keyids);
	}
	if (probe->key_quota >= 0)
		keyid_append(status->reason, sizeof(status->reason), &first,
					 "%d keys left in this user's kernel key quota", probe->key_quota);
}
