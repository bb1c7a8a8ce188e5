/*-------------------------------------------------------------------------
 *
 * string.c
 *		Sandbox libc: the str* functions of <string.h> and <strings.h>.
 *
 * Plain byte-wise C, C locale.  strtok keeps its position in a global of
 * the instance (instances are single-threaded).
 *
 * Invariants: no function reads past the terminating NUL of a string
 * argument (or past n bytes for the n-variants) or writes more than the
 * standard allows.
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>
#include <strings.h>
#include <stdlib.h>

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t) (p - s);
}

size_t
strnlen(const char *s, size_t maxlen)
{
	size_t		i = 0;

	while (i < maxlen && s[i])
		i++;
	return i;
}

char *
strcpy(char *restrict dst, const char *restrict src)
{
	char	   *d = dst;

	while ((*d++ = *src++) != '\0')
		;
	return dst;
}

char *
strncpy(char *restrict dst, const char *restrict src, size_t n)
{
	size_t		i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *
strcat(char *restrict dst, const char *restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *
strncat(char *restrict dst, const char *restrict src, size_t n)
{
	char	   *d = dst + strlen(dst);
	size_t		i = 0;

	for (; i < n && src[i]; i++)
		d[i] = src[i];
	d[i] = '\0';
	return dst;
}

int
strcmp(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *) a;
	const unsigned char *pb = (const unsigned char *) b;

	while (*pa && *pa == *pb)
	{
		pa++;
		pb++;
	}
	return (*pa > *pb) - (*pa < *pb);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *pa = (const unsigned char *) a;
	const unsigned char *pb = (const unsigned char *) b;

	for (size_t i = 0; i < n; i++)
	{
		if (pa[i] != pb[i] || pa[i] == '\0')
			return (pa[i] > pb[i]) - (pa[i] < pb[i]);
	}
	return 0;
}

int
strcoll(const char *a, const char *b)
{
	return strcmp(a, b);
}

char *
strchr(const char *s, int c)
{
	char		ch = (char) c;

	for (;; s++)
	{
		if (*s == ch)
			return (char *) s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	char		ch = (char) c;
	const char *last = NULL;

	for (;; s++)
	{
		if (*s == ch)
			last = s;
		if (*s == '\0')
			return (char *) last;
	}
}

char *
strstr(const char *hay, const char *needle)
{
	size_t		nlen = strlen(needle);

	if (nlen == 0)
		return (char *) hay;
	for (; *hay; hay++)
	{
		if (*hay == *needle && strncmp(hay, needle, nlen) == 0)
			return (char *) hay;
	}
	return NULL;
}

/* Membership set of the bytes of a NUL-terminated string. */
static void
byteset(unsigned char set[32], const char *chars)
{
	memset(set, 0, 32);
	for (const unsigned char *p = (const unsigned char *) chars; *p; p++)
		set[*p >> 3] |= (unsigned char) (1u << (*p & 7));
}

#define INSET(set, c) (((set)[(c) >> 3] >> ((c) & 7)) & 1)

size_t
strspn(const char *s, const char *accept)
{
	unsigned char set[32];
	const unsigned char *p = (const unsigned char *) s;

	byteset(set, accept);
	while (*p && INSET(set, *p))
		p++;
	return (size_t) (p - (const unsigned char *) s);
}

size_t
strcspn(const char *s, const char *reject)
{
	unsigned char set[32];
	const unsigned char *p = (const unsigned char *) s;

	byteset(set, reject);
	while (*p && !INSET(set, *p))
		p++;
	return (size_t) (p - (const unsigned char *) s);
}

char *
strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *) s : NULL;
}

char *
strtok_r(char *restrict s, const char *restrict delim, char **restrict saveptr)
{
	char	   *tok;

	if (s == NULL)
		s = *saveptr;
	if (s == NULL)
		return NULL;
	s += strspn(s, delim);
	if (*s == '\0')
	{
		*saveptr = NULL;
		return NULL;
	}
	tok = s;
	s += strcspn(s, delim);
	if (*s)
	{
		*s = '\0';
		*saveptr = s + 1;
	}
	else
		*saveptr = NULL;
	return tok;
}

char *
strtok(char *restrict s, const char *restrict delim)
{
	static char *save;

	return strtok_r(s, delim, &save);
}

char *
strdup(const char *s)
{
	size_t		n = strlen(s) + 1;
	char	   *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

char *
strndup(const char *s, size_t n)
{
	size_t		len = strnlen(s, n);
	char	   *p = malloc(len + 1);

	if (p)
	{
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int
strcasecmp(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *) a;
	const unsigned char *pb = (const unsigned char *) b;

	for (;; pa++, pb++)
	{
		int			ca = lower(*pa);
		int			cb = lower(*pb);

		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

int
strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *pa = (const unsigned char *) a;
	const unsigned char *pb = (const unsigned char *) b;

	for (size_t i = 0; i < n; i++)
	{
		int			ca = lower(pa[i]);
		int			cb = lower(pb[i]);

		if (ca != cb || ca == 0)
			return ca - cb;
	}
	return 0;
}
