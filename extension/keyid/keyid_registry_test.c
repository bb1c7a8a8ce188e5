/*-------------------------------------------------------------------------
 *
 * keyid_registry_test.c
 *		Unit tests of the KeyID registry's text form (keyid_registry.c):
 *		what is accepted, every kind of refusal with its message, a full
 *		table written and read back, and no read past the given length.
 *
 * Invariants kept here:
 *	- Every check that fails is reported with file and line, and the
 *	  program exits non-zero if any failed; the last line is
 *	  "keyid_registry_test: N checks, N failed".
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "keyid_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "keyid_check.h"

static KeyidRegistry reg;
static char err[256];

/* Parse TEXT into the zeroed registry. */
static bool
parse(const char *text)
{
	memset(&reg, 0, sizeof(reg));
	err[0] = '\0';
	return keyid_registry_parse(text, strlen(text), &reg, err, sizeof(err));
}

/* TEXT is refused with a message containing WANT. */
static void
refused(const char *text, const char *want, int line)
{
	checks++;
	if (parse(text) || strstr(err, want) == NULL)
	{
		failures++;
		fprintf(stderr, "%s:%d: [%s] got \"%s\", want refusal with \"%s\"\n",
				__FILE__, line, text, err, want);
	}
}
#define REFUSED(text, want) refused(text, want, __LINE__)

int
main(void)
{
	static char buf[KEYID_REGISTRY_MAX_BYTES + 1];
	size_t		n;
	long		page = sysconf(_SC_PAGESIZE);
	char	   *guard;
	int			k;

	/* accepted */
	CHECK(parse("tmebox keyids 1\n"));
	CHECK(reg.table[1].database == 0);
	CHECK(parse("tmebox keyids 1\n1 16384 a 0 0\n7 4294967295 t_9 745 18446744073709551615\n32767 5 _ 0 3\n"));
	CHECK(reg.table[1].database == 16384 && strcmp(reg.table[1].tenant, "a") == 0);
	CHECK(reg.table[7].database == 4294967295u && reg.table[7].xmin == 745 &&
		  reg.table[7].xmax == UINT64_MAX && strcmp(reg.table[7].tenant, "t_9") == 0);
	CHECK(reg.table[32767].database == 5 && reg.table[32767].xmax == 3);
	CHECK(reg.table[2].database == 0);
	CHECK(parse("tmebox keyids 1\n1 1 abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk 0 0\n"));

	/* refused: header, fields, order, ranges, stray bytes */
	REFUSED("", "line 1 is not");
	REFUSED("tmebox keyids 2\n", "line 1 is not");
	REFUSED("tmebox keyids 1", "line 1 is not");
	REFUSED("tmebox keyids 1\n0 1 a 0 0\n", "line 2: the KeyID");
	REFUSED("tmebox keyids 1\n32768 1 a 0 0\n", "line 2: the KeyID");
	REFUSED("tmebox keyids 1\n-1 1 a 0 0\n", "line 2: the KeyID");
	REFUSED("tmebox keyids 1\n01 1 a 0 0\n", "line 2: the KeyID");
	REFUSED("tmebox keyids 1\n 1 1 a 0 0\n", "line 2: the KeyID");
	REFUSED("tmebox keyids 1\n\n", "line 2: the KeyID");
	REFUSED("tmebox keyids 1\n1 1 a 0 0\n1 2 b 0 0\n", "line 3: KeyID 1 is not above");
	REFUSED("tmebox keyids 1\n2 1 a 0 0\n1 2 b 0 0\n", "line 3: KeyID 1 is not above");
	REFUSED("tmebox keyids 1\n1 0 a 0 0\n", "line 2: the database");
	REFUSED("tmebox keyids 1\n1 4294967296 a 0 0\n", "line 2: the database");
	REFUSED("tmebox keyids 1\n1 1  0 0\n", "line 2: the tenant");
	REFUSED("tmebox keyids 1\n1 1 A 0 0\n", "line 2: the tenant");
	REFUSED("tmebox keyids 1\n1 1 9a 0 0\n", "line 2: the tenant");
	REFUSED("tmebox keyids 1\n1 1 a;b 0 0\n", "line 2: the tenant");
	REFUSED("tmebox keyids 1\n1 1 abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl 0 0\n",
			"line 2: the tenant");
	REFUSED("tmebox keyids 1\n1 1 a 0\n", "line 2: xmin and xmax");
	REFUSED("tmebox keyids 1\n1 1 a 0 0", "line 2: xmin and xmax");
	REFUSED("tmebox keyids 1\n1 1 a 0 0 \n", "line 2: xmin and xmax");
	REFUSED("tmebox keyids 1\n1 1 a 0 18446744073709551616\n", "line 2: xmin and xmax");
	REFUSED("tmebox keyids 1\n1 1 a 0 0\r\n", "line 2: xmin and xmax");
	REFUSED("tmebox keyids 1\n1 1 a 0 0\n# x\n", "line 3: the KeyID");

	/* a NUL byte inside the given length is an error, not the end */
	memset(&reg, 0, sizeof(reg));
	CHECK(!keyid_registry_parse("tmebox keyids 1\n1 1 a 0 0\n\0", 27, &reg, err, sizeof(err)));

	/* too long */
	memset(&reg, 0, sizeof(reg));
	CHECK(!keyid_registry_parse(buf, KEYID_REGISTRY_MAX_BYTES + 1, &reg, err, sizeof(err)) &&
		  strstr(err, "more than") != NULL);

	/* every KeyID taken, with the longest fields: written, read back */
	memset(&reg, 0, sizeof(reg));
	for (k = 1; k <= KEYID_MAX; k++)
	{
		reg.table[k].database = 4294967295u;
		memset(reg.table[k].tenant, 'z', KEYID_REGISTRY_NAME_MAX);
		reg.table[k].tenant[KEYID_REGISTRY_NAME_MAX] = '\0';
		reg.table[k].xmin = UINT64_MAX;
		reg.table[k].xmax = UINT64_MAX - (uint64_t) k;
	}
	n = keyid_registry_format(&reg, buf, sizeof(buf));
	CHECK(n <= KEYID_REGISTRY_MAX_BYTES);
	/* the last line is the longest one there can be */
	CHECK(n > KEYID_REGISTRY_LINE_MAX && buf[n - KEYID_REGISTRY_LINE_MAX - 1] == '\n' &&
		  strncmp(buf + n - KEYID_REGISTRY_LINE_MAX, "32767 ", 6) == 0);
	{
		static KeyidRegistry back;

		memset(&back, 0, sizeof(back));
		CHECK(keyid_registry_parse(buf, n, &back, err, sizeof(err)));
		CHECK(memcmp(&back, &reg, sizeof(reg)) == 0);
	}
	/* a short buffer: the length needed, nothing written past it */
	memset(buf, 'x', 64);
	CHECK(keyid_registry_format(&reg, buf, 10) == n && buf[9] == '\0' && buf[10] == 'x');

	/* no read past LEN: the text ends at a page that cannot be read */
	guard = mmap(NULL, (size_t) page * 2, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(guard != MAP_FAILED);
	if (guard != MAP_FAILED)
	{
		static const char *const cut[] = {
			"tmebox keyids 1\n1",
			"tmebox keyids 1\n1 1",
			"tmebox keyids 1\n1 1 abc",
			"tmebox keyids 1\n1 1 a 0 1",
		};
		size_t		i;

		CHECK(mprotect(guard + page, (size_t) page, PROT_NONE) == 0);
		for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++)
		{
			size_t		len = strlen(cut[i]);
			char	   *at = guard + page - len;

			memcpy(at, cut[i], len);
			memset(&reg, 0, sizeof(reg));
			CHECK(!keyid_registry_parse(at, len, &reg, err, sizeof(err)));
		}
		munmap(guard, (size_t) page * 2);
	}

	CHECK(keyid_registry_name_ok("a") && !keyid_registry_name_ok("") &&
		  !keyid_registry_name_ok("a-b"));

	printf("keyid_registry_test: %d checks, %d failed\n", checks, failures);
	return failures == 0 ? 0 : 1;
}
