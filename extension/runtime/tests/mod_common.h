/*-------------------------------------------------------------------------
 *
 * mod_common.h
 *		Plumbing for hand-written test modules that behave like tmebox-cc
 *		output (ABI.md), so the runtime can be tested without the compiler.
 *
 * Invariants a module built on this keeps:
 *	- Sandbox data is reached only through V() / VP(): clang's __seg_gs
 *	  address space, i.e. %gs:[32-bit offset] (the Makefile gives every
 *	  %gs operand 32-bit address size, tests/gs32.pl).  The only
 *	  RIP-relative accesses are to the host table, as in compiled modules.
 *	- Globals live in the view image: RT_IMAGE_SIZE initialised bytes at
 *	  TMEBOX_IMAGE_BASE (slot G_DSP is the data-stack pointer), then
 *	  RT_BSS_SIZE zero bytes, heap at the next page.
 *	- __tmebox_rt_malloc is a bump allocator over host call sbrk;
 *	  __tmebox_rt_free only counts frees (G_FREES), or raises an error
 *	  when G_SCRATCH holds RT_FREE_FAILS.
 *	- No polls (POLL() is empty): the runtime checks the interrupt flag.
 *
 *
 * A module that must be refused can #define RT_NO_LAYOUT,
 * RT_LAYOUT_VERSION or RT_HOSTTAB_ATTR (e.g. to put the table in RELRO).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MOD_COMMON_H
#define MOD_COMMON_H

#include <stdint.h>
#include "tmebox_abi.h"

/* protected: in .dynsym for the runtime, reached %rip-relative (no GOT),
 * as in compiled modules */
#define EXPORT __attribute__((visibility("protected")))

/* A view access: T at view offset off (truncated to 32 bits). */
#define V(T, off)	(*(T __seg_gs *) (uintptr_t) (uint32_t) (off))
/* Pointer into the view */
#define VP(T, off)	((T __seg_gs *) (uintptr_t) (uint32_t) (off))

#include "mod_layout.h"

#ifndef RT_LAYOUT_VERSION
#define RT_LAYOUT_VERSION TMEBOX_ABI_VERSION
#endif

#ifndef RT_NO_LAYOUT
EXPORT const tmebox_layout __tmebox_layout = {
	.abi_version = RT_LAYOUT_VERSION,
	.view_bits = TMEBOX_VIEW_BITS,
	.image_base = TMEBOX_IMAGE_BASE,
	.image_size = RT_IMAGE_SIZE,
	.bss_size = RT_BSS_SIZE,
	.heap_base = RT_HEAP_BASE,
	.dsp_slot = G_DSP,
	.fntab_size = 0,
};
#endif

EXPORT const uint8_t __tmebox_image[RT_IMAGE_SIZE] = {
	/* G_DSP = TMEBOX_DSTACK_TOP (0x110000), as tmebox-cc's image has it */
	0x00, 0x00, 0x11, 0x00, 0, 0, 0, 0,
	/* G_COUNTER = 100 */ 100, 0, 0, 0,
	/* G_FREES */ 0, 0, 0, 0,
	/* G_SCRATCH */ 0, 0, 0, 0, 0, 0, 0, 0,
	/* G_GREETING */ 'h', 'e', 'l', 'l', 'o', ',', ' ', 'v', 'i', 'e', 'w', 0,
};

#ifndef RT_HOSTTAB_ATTR
#define RT_HOSTTAB_ATTR
#endif
#ifndef RT_HOSTTAB_SLOTS
#define RT_HOSTTAB_SLOTS TMEBOX_HOST_COUNT
#endif
EXPORT RT_HOSTTAB_ATTR void *__tmebox_hosttab[RT_HOSTTAB_SLOTS];

/* Host calls, as tmebox-cc emits them: call *__tmebox_hosttab[INDEX]. */
#define HOST(idx, type)	((type) __tmebox_hosttab[idx])
#define H_TRAP(c)		HOST(0, void (*)(int32_t))(c)
#define H_INTERRUPT()	HOST(1, void (*)(void))()
#define H_SBRK(n)		HOST(2, uint64_t (*)(uint64_t))(n)
#define H_MEMMOVE(d, s, n) HOST(3, void (*)(uint64_t, uint64_t, uint64_t))(d, s, n)
#define H_MEMSET(d, c, n) HOST(4, void (*)(uint64_t, int32_t, uint64_t))(d, c, n)
#define H_ERROR(m, n)	HOST(5, void (*)(uint64_t, uint64_t))(m, n)
#define H_LOG(l, m, n)	HOST(6, void (*)(int32_t, uint64_t, uint64_t))(l, m, n)
#define H_FMT(o, c, s, sl, v) \
	HOST(7, int32_t (*)(uint64_t, uint64_t, uint64_t, uint64_t, double))(o, c, s, sl, v)
#define H_STRTOD(s, e)	HOST(8, double (*)(uint64_t, uint64_t))(s, e)
#define H_STRTOF(s, e)	HOST(9, float (*)(uint64_t, uint64_t))(s, e)

/* Compiled modules no longer poll: the runtime checks the interrupt flag
 * before every entry and after every host call, and a signal that lands in
 * the module's code ends the call.  Kept so the tests read as before. */
#define POLL() do { } while (0)

EXPORT uint64_t
__tmebox_rt_malloc(uint64_t size)
{
	POLL();
	size = (size + 15) & ~(uint64_t) 15;
	return H_SBRK(size);
}

/* With G_SCRATCH == RT_FREE_FAILS (mod_layout.h) every free raises an
 * error, as the sandbox libc's free does when the tenant has corrupted
 * its heap. */
EXPORT void
__tmebox_rt_free(uint64_t off)
{
	POLL();
	if (V(int64_t, G_SCRATCH) == RT_FREE_FAILS)
		H_ERROR(G_GREETING, 5);
	if ((uint32_t) off != 0)
		V(int32_t, G_FREES)++;
}

/* Buffer / array accessors (ABI.md layouts). */
#define BUF_LEN(b)		V(uint32_t, b)
#define BUF_DATA(b)		((uint64_t) (uint32_t) (b) + 4)
#define ARR_N(a)		V(uint32_t, a)
#define ARR_V(a)		((uint64_t) (uint32_t) (a) + 8)

/* A new buffer of len bytes in the view. */
static inline uint64_t
buf_new(uint32_t len)
{
	uint64_t	b = __tmebox_rt_malloc(4 + (uint64_t) len + 1);

	BUF_LEN(b) = len;
	return b;
}

#endif							/* MOD_COMMON_H */
