/*-------------------------------------------------------------------------
 *
 * tp_common.h
 *		Shared by the third-party drivers: a deterministic generator of
 *		test inputs and an FNV-1a hash to print results compactly.  The
 *		same driver source is built natively and by tmebox-cc; both must
 *		print the same lines.
 *
 * Invariant: nothing here depends on the platform (no time, no addresses,
 * no uninitialised bytes), so any difference is the sandbox's.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TP_COMMON_H
#define TP_COMMON_H

#include <stddef.h>
#include <stdint.h>

static uint64_t tp_state = UINT64_C(0x9e3779b97f4a7c15);

static uint32_t
tp_rand(void)
{
	/* xorshift64* */
	tp_state ^= tp_state >> 12;
	tp_state ^= tp_state << 25;
	tp_state ^= tp_state >> 27;
	return (uint32_t) ((tp_state * UINT64_C(2685821657736338717)) >> 32);
}

static uint64_t
tp_fnv(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t	h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * UINT64_C(0x100000001b3);
	return h;
}

/*
 * Fill buf[0..n) with input of kind k: 0 zeros, 1 random bytes, 2 English-
 * like text, 3 short repeated pattern, 4 random runs, 5 counting bytes.
 */
#define TP_KINDS 6
static void
tp_fill(unsigned char *buf, size_t n, int k)
{
	static const char *const words[] = {
		"the ", "sandbox ", "tenant ", "view ", "offset ", "compress ",
		"of ", "and ", "postgres ", "a ", "memory ", "key ", "\n", ", "
	};
	size_t		i = 0;

	switch (k)
	{
		case 0:
			for (; i < n; i++)
				buf[i] = 0;
			break;
		case 1:
			for (; i < n; i++)
				buf[i] = (unsigned char) tp_rand();
			break;
		case 2:
			while (i < n)
			{
				const char *w = words[tp_rand() % (sizeof(words) / sizeof(words[0]))];

				for (; *w && i < n; w++)
					buf[i++] = (unsigned char) *w;
			}
			break;
		case 3:
			for (; i < n; i++)
				buf[i] = (unsigned char) "abcab"[i % 5];
			break;
		case 4:
			while (i < n)
			{
				unsigned char c = (unsigned char) tp_rand();
				size_t		run = 1 + tp_rand() % 40;

				for (; run > 0 && i < n; run--)
					buf[i++] = c;
			}
			break;
		default:
			for (; i < n; i++)
				buf[i] = (unsigned char) i;
			break;
	}
}

#endif							/* TP_COMMON_H */
