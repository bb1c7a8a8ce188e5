/*-------------------------------------------------------------------------
 *
 * test_string.c
 *		String and memory functions of the sandbox libc against glibc on
 *		random inputs over a small alphabet (so matches are frequent),
 *		including bytes >= 0x80 (comparisons are unsigned).
 *
 * Invariants: deterministic; results compared by sign for comparisons
 * and by offset for returned pointers.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>
#include <stdlib.h>

#include "tmb.h"

static unsigned long long rng = 12345;

static unsigned
next_rand(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned) (rng >> 33);
}

static void
random_str(char *s, size_t maxlen)
{
	static const char alpha[] = "abcAB, \xe9\x80";
	size_t		n = next_rand() % (maxlen + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = alpha[next_rand() % (sizeof alpha - 1)];
	s[n] = '\0';
}

static int
sgn(int x)
{
	return (x > 0) - (x < 0);
}

#define OFF(p, base) ((p) ? (long) ((p) - (base)) : -1L)

void
test_string(void)
{
	char		a[64],
				b[64],
				d1[160],
				d2[160];
	int			bad = 0;

	for (int it = 0; it < 20000; it++)
	{
		size_t		n = next_rand() % 20;
		int			c = "abA,\xe9z"[next_rand() % 6];

		random_str(a, 30);
		random_str(b, 6);
#define EXPECT(cond, what) \
		do { if (!(cond) && bad++ < 10) \
			fprintf(stderr, "  %s: a=\"%s\" b=\"%s\" n=%zu c=%d\n", what, a, b, n, c); } while (0)

		EXPECT(strlen(a) == tmb_strlen(a), "strlen");
		EXPECT(strnlen(a, n) == tmb_strnlen(a, n), "strnlen");
		EXPECT(sgn(strcmp(a, b)) == sgn(tmb_strcmp(a, b)), "strcmp");
		EXPECT(sgn(strncmp(a, b, n)) == sgn(tmb_strncmp(a, b, n)), "strncmp");
		EXPECT(sgn(strcasecmp(a, b)) == sgn(tmb_strcasecmp(a, b)), "strcasecmp");
		EXPECT(sgn(strncasecmp(a, b, n)) == sgn(tmb_strncasecmp(a, b, n)),
			   "strncasecmp");
		EXPECT(sgn(memcmp(a, b, n < 7 ? n : 7)) ==
			   sgn(tmb_memcmp(a, b, n < 7 ? n : 7)), "memcmp");
		EXPECT(OFF(strchr(a, c), a) == OFF(tmb_strchr(a, c), a), "strchr");
		EXPECT(OFF(strchr(a, 0), a) == OFF(tmb_strchr(a, 0), a), "strchr NUL");
		EXPECT(OFF(strrchr(a, c), a) == OFF(tmb_strrchr(a, c), a), "strrchr");
		EXPECT(OFF((char *) memchr(a, c, n), a) ==
			   OFF((char *) tmb_memchr(a, c, n), a), "memchr");
		EXPECT(OFF(strstr(a, b), a) == OFF(tmb_strstr(a, b), a), "strstr");
		EXPECT(OFF((char *) memmem(a, strlen(a), b, strlen(b)), a) ==
			   OFF((char *) tmb_memmem(a, strlen(a), b, strlen(b)), a), "memmem");
		EXPECT(strspn(a, b) == tmb_strspn(a, b), "strspn");
		EXPECT(strcspn(a, b) == tmb_strcspn(a, b), "strcspn");
		EXPECT(OFF(strpbrk(a, b), a) == OFF(tmb_strpbrk(a, b), a), "strpbrk");

		memset(d1, 'Q', sizeof d1);
		memset(d2, 'Q', sizeof d2);
		strcpy(d1, b);
		tmb_strcpy(d2, b);
		strcat(d1, a);
		tmb_strcat(d2, a);
		strncat(d1, b, n);
		tmb_strncat(d2, b, n);
		EXPECT(memcmp(d1, d2, sizeof d1) == 0, "strcpy/strcat/strncat");
		memset(d1, 'Q', sizeof d1);
		memset(d2, 'Q', sizeof d2);
		strncpy(d1, a, n);
		tmb_strncpy(d2, a, n);
		EXPECT(memcmp(d1, d2, sizeof d1) == 0, "strncpy");
		memcpy(d1, a, sizeof a);
		memcpy(d2, a, sizeof a);
		memmove(d1 + n, d1, 40);
		tmb_memmove(d2 + n, d2, 40);
		memmove(d1, d1 + 3, 40);
		tmb_memmove(d2, d2 + 3, 40);
		memset(d1 + 50, c, n);
		tmb_memset(d2 + 50, c, n);
		EXPECT(memcmp(d1, d2, 100) == 0, "memmove/memset");
		{
			char	   *s1 = tmb_strdup(a);
			char	   *s2 = tmb_strndup(a, n);

			EXPECT(s1 && strcmp(s1, a) == 0, "strdup");
			EXPECT(s2 && strncmp(s2, a, n) == 0 && strlen(s2) == strnlen(a, n),
				   "strndup");
			tmb_free(s1);
			tmb_free(s2);
		}
		{
			char		t1[64],
						t2[64];
			char	   *p1,
					   *p2,
					   *sv1,
					   *sv2;
			const char *delim = b[0] ? b : ",";

			strcpy(t1, a);
			strcpy(t2, a);
			p1 = strtok_r(t1, delim, &sv1);
			p2 = tmb_strtok_r(t2, delim, &sv2);
			for (;;)
			{
				if (OFF(p1, t1) != OFF(p2, t2) || (p1 && strcmp(p1, p2) != 0))
				{
					EXPECT(0, "strtok_r");
					break;
				}
				if (!p1)
					break;
				p1 = strtok_r(NULL, delim, &sv1);
				p2 = tmb_strtok_r(NULL, delim, &sv2);
			}
		}
	}
	CHECK(bad == 0, "string functions: %d mismatches", bad);

	{
		char		t[] = "a,b,,c";
		char	   *x = tmb_strtok(t, ",");
		char	   *y = tmb_strtok(NULL, ",");
		char	   *z = tmb_strtok(NULL, ",");

		CHECK(x && y && z && !strcmp(x, "a") && !strcmp(y, "b") &&
			  !strcmp(z, "c") && tmb_strtok(NULL, ",") == NULL, "strtok");
	}
	CHECK(strcmp(tmb_strerror(34), "Numerical result out of range") == 0 &&
		  strcmp(tmb_strerror(12345), "Unknown error") == 0, "strerror");
	CHECK(tmb_memmem("abc", 3, "", 0) != NULL &&
		  tmb_memmem("ab", 2, "abc", 3) == NULL, "memmem edges");
}
