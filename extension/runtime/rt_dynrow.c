/*-------------------------------------------------------------------------
 *
 * rt_dynrow.c
 *		`record` values (tmebox_abi.h: value types ROW and ROWS): a returned
 *		dynamic row image (one block {uint32 ncols, size; ...} of size
 *		bytes) or set of them ({uint32 n, pad; uint64 v[n]}, v[i] 0 or a
 *		row's view offset) checked to lie in the view and copied out as
 *		tmebox_values, and the list of what the host frees after the copy.
 *		(A ROW argument is the host's image copied verbatim, rt_call.c.)
 *
 * Invariants:
 *	- Only what the copy needs is checked here: every row's 8-byte header
 *	  and then its `size` bytes (size >= the header) inside [NULL_GUARD,
 *	  brk), a set's header and its n pointers too, its pad word 0, and the
 *	  rows of a set together no larger than the committed view.  What is
 *	  inside a row (column count, descriptors, offsets, types, values) is
 *	  the host's to check (pl/pl_row.c) on the copy, never on the view.
 *	- Each row's copy starts at an 8-byte boundary of one result block:
 *	  tmebox_value v.buf.data the image, v.buf.len its size; a set's NULL
 *	  pointer is a NULL value.
 *	- What the host frees: the returned row or set when it lies in the
 *	  heap and in no argument's block, and each distinct row of a set that
 *	  does (a row returned twice is freed once).
 *	- Every pass over a set's rows looks at the host's interrupt flag
 *	  every few MB of rows or row pointers (rt_copy_account): a set of
 *	  millions of rows is interruptible on the host side too.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

static inline uint64_t
rt_dynrow_align(uint64_t n)
{
	return (n + 7) & ~(uint64_t) 7;
}

/*
 * The row image at view offset ptr (not 0): its header and its *size
 * bytes in the committed view.  false with a BAD_RESULT fault (r: the
 * row's number in a set, 0 for a single row).
 */
static bool
rt_dynrow_at(tmebox_instance *inst, uint64_t ptr, uint64_t r, uint32_t *size)
{
	uint32_t	hdr[2];

	if ((ptr >> TMEBOX_VIEW_BITS) != 0 || !rt_view_ok(inst, ptr, TMEBOX_ROW_HDR))
	{
		rt_bad_result("returned row %llu at 0x%llx is outside the sandbox's committed memory",
					  r + 1, ptr);
		return false;
	}
	memcpy(hdr, inst->base + ptr, sizeof(hdr));
	if (hdr[1] < TMEBOX_ROW_HDR || !rt_view_ok(inst, ptr, hdr[1]))
	{
		rt_bad_result("returned row %llu claims %llu bytes, past the end of the sandbox's memory or less than its header",
					  r + 1, hdr[1]);
		return false;
	}
	*size = hdr[1];
	return true;
}

/* Row pointer i of the set at off (its header and pointers checked). */
static inline uint64_t
rt_dynrow_slot(const tmebox_instance *inst, uint64_t off, uint32_t i)
{
	uint64_t	ptr;

	memcpy(&ptr, inst->base + off + TMEBOX_ROWS_HDR + (uint64_t) i * 8, sizeof(ptr));
	return ptr;
}

/*
 * The returned row (set false) or set of rows (set true) at view offset
 * off (not 0, unchecked) into *result: one block from result_alloc
 * (malloc when NULL: *own_copy).  A row: v.buf.data its image's copy,
 * v.buf.len its size.  A set: v.buf.data a tmebox_value[n] (one per row,
 * as a row's, NULL for a NULL pointer), v.buf.len n.  false with a fault
 * in rt_st.fault (BAD_RESULT, or HOST_ERROR when the copy cannot be
 * allocated).
 */
bool
rt_dynrow_get(tmebox_instance *inst, const char *fname, bool set, uint64_t off,
			  tmebox_alloc_fn result_alloc, void *alloc_arg,
			  uint8_t *volatile *own_copy, tmebox_value *result)
{
	uint32_t	n = 1,
				size;
	uint64_t	total = 0,
				left;
	uint8_t    *block,
			   *bytes;
	tmebox_value *vals;

	if (!set)
	{
		if (!rt_dynrow_at(inst, off, 0, &size))
			return false;
		block = result_alloc ? result_alloc((uint64_t) size + 7, alloc_arg) :
			malloc((uint64_t) size + 7);
		if (block == NULL)
		{
			rt_result_oom(fname);
			return false;
		}
		if (result_alloc == NULL)
			*own_copy = block;
		bytes = (uint8_t *) (((uintptr_t) block + 7) & ~(uintptr_t) 7);
		rt_copy_polled(bytes, inst->base + off, size);
		result->v.buf.data = bytes;
		result->v.buf.len = size;
		return true;
	}
	if (!rt_view_ok(inst, off, TMEBOX_ROWS_HDR))
	{
		rt_bad_result("returned rows offset 0x%llx is outside the sandbox's committed memory",
					  off, 0);
		return false;
	}
	memcpy(&n, inst->base + off, sizeof(n));
	memcpy(&size, inst->base + off + 4, sizeof(size));
	if (size != 0)
	{
		rt_bad_result("returned rows at 0x%llx have %llu in their pad word (0)", off, size);
		return false;
	}
	if (!rt_view_ok(inst, off + TMEBOX_ROWS_HDR, (uint64_t) n * 8))
	{
		rt_bad_result("returned rows at 0x%llx claim %llu row pointers, past the end of the sandbox's memory",
					  off, n);
		return false;
	}
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	ptr = rt_dynrow_slot(inst, off, i);

		if (ptr == 0)
			continue;
		if (!rt_dynrow_at(inst, ptr, i, &size))
			return false;
		/* n < 2^29 rows (the pointers fit the view), each < 2^32 bytes */
		total += rt_dynrow_align(size);
		rt_copy_account(8);		/* may leave: an interrupt (rt_call.c) */
	}
	if (total > inst->brk - TMEBOX_NULL_GUARD)
	{
		rt_bad_result("the returned rows take %llu bytes, more than the sandbox's %llu bytes of memory",
					  total, inst->brk - TMEBOX_NULL_GUARD);
		return false;
	}
	block = result_alloc ? result_alloc(7 + (uint64_t) n * sizeof(tmebox_value) + total, alloc_arg) :
		malloc(7 + (uint64_t) n * sizeof(tmebox_value) + total);
	if (block == NULL)
	{
		rt_result_oom(fname);
		return false;
	}
	if (result_alloc == NULL)
		*own_copy = block;
	vals = (tmebox_value *) (((uintptr_t) block + 7) & ~(uintptr_t) 7);
	bytes = (uint8_t *) (vals + n);
	left = total;
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	ptr = rt_dynrow_slot(inst, off, i);

		memset(&vals[i], 0, sizeof(vals[i]));
		if (ptr == 0)
		{
			vals[i].isnull = true;
			continue;
		}
		/* checked again: the copy never writes past what was counted */
		if (!rt_dynrow_at(inst, ptr, i, &size))
			return false;
		if (rt_dynrow_align(size) > left)
		{
			rt_bad_result("returned row %llu changed while it was copied", (uint64_t) i + 1, 0);
			return false;
		}
		rt_copy_polled(bytes, inst->base + ptr, size);
		rt_copy_account(8);
		vals[i].v.buf.data = bytes;
		vals[i].v.buf.len = size;
		bytes += rt_dynrow_align(size);
		left -= rt_dynrow_align(size);
	}
	result->v.buf.data = vals;
	result->v.buf.len = n;
	return true;
}

/*
 * What the host frees after copying the row or set at off (checked by
 * rt_dynrow_get): the block itself and, for a set, each distinct row,
 * when in the heap and in no input block [in[j], +insz[j]).  A malloc'd
 * sorted list of *nfree offsets; NULL when the host has no memory for it
 * (then nothing is freed: the rows stay in the sandbox's heap until its
 * reset).
 */
uint64_t *
rt_dynrow_frees(tmebox_instance *inst, bool set, uint64_t off, const uint64_t *in,
				const uint64_t *insz, int nin, int *nfree)
{
	uint32_t	n = 0;
	uint64_t   *list;
	int			k = 0;

	*nfree = 0;
	if (set)
		memcpy(&n, inst->base + off, sizeof(n));
	list = rt_held_alloc(((size_t) n + 1) * sizeof(uint64_t));
	if (list == NULL)
		return NULL;
	if (rt_heap_owned(inst, off, in, insz, nin))
		list[k++] = off;
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	ptr = rt_dynrow_slot(inst, off, i);

		if (ptr != 0 && rt_heap_owned(inst, ptr, in, insz, nin))
			list[k++] = ptr;
		rt_copy_account(8);
	}
	*nfree = rt_sort_unique(list, k);
	rt_held_release(list);		/* the caller's now */
	return list;
}
