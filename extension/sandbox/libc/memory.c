/*-------------------------------------------------------------------------
 *
 * memory.c
 *		Sandbox libc: memcpy, memmove, memset (host bulk copies) and the
 *		byte-wise mem* functions.
 *
 * memcpy/memmove/memset call the host's bulk copies, which check that the
 * whole range lies in the view and then run the real libc routine; this is
 * also where tmebox-cc sends every llvm.memcpy/memmove/memset it cannot
 * inline.  So these three never loop themselves (a loop here could be
 * turned back into a call of itself).
 *
 * Invariants: no function reads or writes outside [p, p + n).
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>
#include <stdint.h>

#include "tmebox_host.h"

void *
memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	if (n != 0)
		__tmebox_host_memmove(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	if (n != 0)
		__tmebox_host_memmove(dst, src, n);
	return dst;
}

void *
memset(void *s, int c, size_t n)
{
	if (n != 0)
		__tmebox_host_memset(s, (int32_t) (unsigned char) c, n);
	return s;
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a;
	const unsigned char *pb = b;

	for (size_t i = 0; i < n; i++)
	{
		if (pa[i] != pb[i])
			return pa[i] < pb[i] ? -1 : 1;
	}
	return 0;
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char ch = (unsigned char) c;

	for (size_t i = 0; i < n; i++)
	{
		if (p[i] == ch)
			return (void *) (p + i);
	}
	return NULL;
}

void *
memmem(const void *hay, size_t haylen, const void *needle, size_t needlelen)
{
	const unsigned char *h = hay;
	const unsigned char *nd = needle;

	if (needlelen == 0)
		return (void *) h;
	if (needlelen > haylen)
		return NULL;
	for (size_t i = 0; i <= haylen - needlelen; i++)
	{
		if (h[i] == nd[0] && memcmp(h + i, nd, needlelen) == 0)
			return (void *) (h + i);
	}
	return NULL;
}
