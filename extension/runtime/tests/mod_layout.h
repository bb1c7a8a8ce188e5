/*-------------------------------------------------------------------------
 *
 * mod_layout.h
 *		View layout of the hand-written test modules (mod_common.h), shared
 *		with the host-side tests that inspect their views.
 *
 * Invariant: the image is RT_IMAGE_SIZE bytes at TMEBOX_IMAGE_BASE, the bss
 * follows it, the heap starts at the next page (ABI.md layout rules).
 *
 *-------------------------------------------------------------------------
 */
#ifndef MOD_LAYOUT_H
#define MOD_LAYOUT_H

/* Global slots (view offsets) inside the image. */
#define G_DSP		(TMEBOX_IMAGE_BASE + 0)		/* uint64_t data-stack pointer */
#define G_COUNTER	(TMEBOX_IMAGE_BASE + 8)		/* int32_t, initial 100 */
#define G_FREES		(TMEBOX_IMAGE_BASE + 12)	/* int32_t frees seen */
#define G_SCRATCH	(TMEBOX_IMAGE_BASE + 16)	/* int64_t */
/* G_SCRATCH value that makes __tmebox_rt_free raise an error */
#define RT_FREE_FAILS	INT64_C(0x6661696c)
#define G_GREETING	(TMEBOX_IMAGE_BASE + 24)	/* "hello, view" */
#define G_BSS		(TMEBOX_IMAGE_BASE + RT_IMAGE_SIZE)	/* bss start */

#define RT_IMAGE_SIZE	64
#define RT_BSS_SIZE		8192
#define RT_HEAP_BASE \
	((TMEBOX_IMAGE_BASE + RT_IMAGE_SIZE + RT_BSS_SIZE + TMEBOX_PAGE_SIZE - 1) & \
	 ~(TMEBOX_PAGE_SIZE - 1))

#endif							/* MOD_LAYOUT_H */
