/*-------------------------------------------------------------------------
 *
 * fz_common.h
 *		Shared by the libFuzzer harnesses of extension/fuzz: a reader over
 *		the fuzzer's input, the module file linked into the harness, and
 *		loading it into one instance with a memory budget.
 *
 * Invariants:
 *	- The reader never reads past the input: exhausted, it yields zeros.
 *	- FZ_EMBED_MODULE(path) puts the bytes of a module file built at
 *	  harness build time into .rodata (fz_module_data .. fz_module_end);
 *	  the harness never reads the file system at run time.
 *	- fz_fail() aborts with a message: libFuzzer records the input as a
 *	  crash.  Every oracle of the harnesses ends in it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef FZ_COMMON_H
#define FZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmebox_rt.h"

#define FNV_INIT	UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME	UINT64_C(0x100000001b3)

typedef struct fz_reader
{
	const uint8_t *p;
	size_t		n;
} fz_reader;

static inline uint8_t
fz_u8(fz_reader *r)
{
	uint8_t		v = 0;

	if (r->n > 0)
	{
		v = r->p[0];
		r->p++;
		r->n--;
	}
	return v;
}

static inline uint16_t
fz_u16(fz_reader *r)
{
	return (uint16_t) (fz_u8(r) | (fz_u8(r) << 8));
}

static inline uint32_t
fz_u32(fz_reader *r)
{
	return (uint32_t) fz_u16(r) | ((uint32_t) fz_u16(r) << 16);
}

static inline uint64_t
fz_u64(fz_reader *r)
{
	return (uint64_t) fz_u32(r) | ((uint64_t) fz_u32(r) << 32);
}

/* Up to max bytes of the input, in place; *len gets how many. */
static inline const uint8_t *
fz_bytes(fz_reader *r, size_t max, size_t *len)
{
	const uint8_t *p = r->p;

	*len = max < r->n ? max : r->n;
	r->p += *len;
	r->n -= *len;
	return p;
}

static inline uint64_t
fz_hash(uint64_t h, const void *p, uint64_t n)
{
	const unsigned char *s = p;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

static inline uint64_t
fz_hash_u64(uint64_t h, uint64_t v)
{
	return fz_hash(h, &v, sizeof(v));
}

static void fz_fail(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

static void
fz_fail(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "fuzz oracle failed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FZ_STR2(x) #x
#define FZ_STR(x) FZ_STR2(x)

/* Link the module file at path (a string literal) into .rodata. */
#define FZ_EMBED_MODULE(path) \
	__asm__("	.section .rodata\n" \
			"	.balign 16\n" \
			"fz_module_data:\n" \
			"	.incbin \"" path "\"\n" \
			"fz_module_end:\n" \
			"	.previous\n"); \
	extern const unsigned char fz_module_data[] __asm__("fz_module_data"); \
	extern const unsigned char fz_module_end[] __asm__("fz_module_end")

/* Load the embedded module and create one instance under budget. */
static inline void
fz_load(const unsigned char *data, const unsigned char *end,
		tmebox_budget *budget, tmebox_module **mod, tmebox_instance **inst)
{
	char		err[512];

	if (tmebox_module_load(data, (size_t) (end - data), mod, err, sizeof(err)) != 0)
		fz_fail("cannot load the harness module: %s", err);
	if (tmebox_instance_create(*mod, 1, budget, inst, err, sizeof(err)) != 0)
		fz_fail("cannot create an instance: %s", err);
}

static inline int
fz_export(tmebox_module *mod, const char *name)
{
	int			i = tmebox_module_find_export(mod, name);

	if (i < 0)
		fz_fail("harness module lacks export %s", name);
	return i;
}

static inline void
fz_reset(tmebox_instance *inst)
{
	char		err[256];

	if (tmebox_instance_reset(inst, err, sizeof(err)) != 0)
		fz_fail("reset failed: %s", err);
}

#endif							/* FZ_COMMON_H */
