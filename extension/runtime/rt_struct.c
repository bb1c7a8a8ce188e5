/*-------------------------------------------------------------------------
 *
 * rt_struct.c
 *		Composite values (ABI.md "Rows"): a row argument laid out in the
 *		view as the C struct its signature describes, a returned row (one
 *		struct) or set of rows ({uint32 n, pad; struct v[n]}) checked and
 *		copied out as tmebox_values, and the list of what the host frees
 *		after the copy.
 *
 * Invariants:
 *	- The layout comes from the module's metadata (tmebox_struct_layout_parse
 *	  checked it: every value and flag inside the struct, no overlap); the
 *	  struct's bytes come from the view and are trusted for nothing: a
 *	  returned struct (or array of them) must lie inside [NULL_GUARD, brk),
 *	  every buf field that is not NULL must be a 32-bit view offset whose
 *	  {len, data[len]} lies inside [NULL_GUARD, brk), and the buf fields
 *	  together (a buffer pointed to twice counted twice) take no more
 *	  bytes than the view has committed.  A NULL flag is any non-zero
 *	  byte; the value of a NULL field is never read; a buf field that is
 *	  a NULL pointer is NULL too (a calloc'd struct's text fields).  A
 *	  nested row (a STRUCT field) is only its flag: its members are
 *	  fields of their own (offsets in the outer struct), NULL whenever a
 *	  row they are in is NULL, so nothing of a NULL nested row is read.
 *	- An argument struct is zeroed before its fields are written: padding
 *	  carries no host bytes.  A NULL buf field is a NULL pointer.
 *	- What the host frees: the returned struct or array when it is in the
 *	  heap and no argument's block, and each distinct buffer of a non-NULL
 *	  buf field that is in the heap and inside no argument's block.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

/* Bytes a row's struct takes before its argument buffers: 8-aligned. */
static inline uint64_t
rt_struct_head(const tmebox_struct_layout *l)
{
	return ((uint64_t) l->size + 7) & ~(uint64_t) 7;
}

/*
 * Bytes row argument a (not NULL; a->v.buf.data its l->nfields field
 * values) takes in the view: the struct, then each non-NULL buf field's
 * {len, data, NUL} at an 8-byte boundary.
 */
uint64_t
rt_struct_arg_size(const tmebox_struct_layout *l, const tmebox_value *a)
{
	const tmebox_value *fv = a->v.buf.data;
	uint64_t	size = rt_struct_head(l);

	for (int i = 0; i < l->nfields; i++)
		if (!fv[i].isnull && tmebox_type_class_of(l->fields[i].type) == TMEBOX_CLASS_BUF)
			size += rt_elem_size(fv[i].v.buf.len);
	return size;
}

/* Write row argument a at view offset off (rt_struct_arg_size bytes, checked). */
void
rt_struct_put(tmebox_instance *inst, uint64_t off, const tmebox_struct_layout *l,
		   const tmebox_value *a)
{
	const tmebox_value *fv = a->v.buf.data;
	uint8_t    *row = inst->base + off;
	uint64_t	p = off + rt_struct_head(l);

	memset(row, 0, l->size);
	for (int i = 0; i < l->nfields; i++)
	{
		const tmebox_struct_field *f = &l->fields[i];

		row[f->null_off] = fv[i].isnull ? 1 : 0;
		if (fv[i].isnull || f->type == TMEBOX_T_STRUCT)
			continue;
		if (tmebox_type_class_of(f->type) == TMEBOX_CLASS_BUF)
		{
			uint32_t	len = fv[i].v.buf.len;

			memcpy(row + f->off, &p, sizeof(p));
			memcpy(inst->base + p, &len, sizeof(len));
			if (len > 0)
				memcpy(inst->base + p + RT_BUF_HDR, fv[i].v.buf.data, len);
			inst->base[p + RT_BUF_HDR + len] = '\0';
			p += rt_elem_size(len);
		}
		else
			tmebox_scalar_store(f->type, &fv[i], row + f->off);
	}
}

/*
 * The returned value at off: where its structs start (*first) and how many
 * (*n), the container checked to lie in the committed view.
 */
static bool
rt_struct_shape(tmebox_instance *inst, const tmebox_struct_layout *l, bool rows,
			 uint64_t off, uint64_t *first, uint32_t *n)
{
	if (!rows)
	{
		*first = off;
		*n = 1;
		if (rt_view_ok(inst, off, l->size))
			return true;
		rt_bad_result("returned row at offset 0x%llx (%llu bytes) is outside the sandbox's committed memory",
					  off, l->size);
		return false;
	}
	if (!rt_view_ok(inst, off, TMEBOX_STRUCTS_HDR))
	{
		rt_bad_result("returned rows offset 0x%llx is outside the sandbox's committed memory",
					  off, 0);
		return false;
	}
	memcpy(n, inst->base + off, sizeof(*n));
	*first = off + TMEBOX_STRUCTS_HDR;
	if (!rt_view_ok(inst, *first, (uint64_t) *n * l->size))
	{
		rt_bad_result("returned rows at offset 0x%llx claim %llu bytes of rows, past the end of the sandbox's memory",
					  off, (uint64_t) *n * l->size);
		return false;
	}
	return true;
}

/*
 * Buf field f of the struct at row (checked to be in the view), its flag
 * not set: *ptr its pointer (0: a NULL value, as for a NULL flag), else
 * *len its length, the buffer checked to lie in the committed view.
 * false with a BAD_RESULT fault otherwise (r: the row's number, for the
 * message).
 */
static bool
rt_struct_buf(tmebox_instance *inst, uint64_t row, const tmebox_struct_field *f, int fi,
		   uint32_t r, uint64_t *ptr, uint32_t *len)
{
	memcpy(ptr, inst->base + row + f->off, sizeof(*ptr));
	if (*ptr == 0)
		return true;
	if ((*ptr >> TMEBOX_VIEW_BITS) != 0 || !rt_view_ok(inst, *ptr, RT_BUF_HDR))
	{
		rt_bad_result("field %llu of returned row %llu points outside the sandbox's committed memory",
					  (uint64_t) fi + 1, (uint64_t) r + 1);
		return false;
	}
	memcpy(len, inst->base + *ptr, sizeof(*len));
	if (!rt_view_ok(inst, *ptr + RT_BUF_HDR, *len))
	{
		rt_bad_result("field %llu of returned row %llu claims more bytes than the sandbox's memory holds",
					  (uint64_t) fi + 1, (uint64_t) r + 1);
		return false;
	}
	return true;
}

/*
 * Is field f of the struct at row (layout l) NULL: its flag, or the flag
 * of a nested row it is in, any non-zero byte?  At most
 * TMEBOX_STRUCT_MAX_DEPTH + 1 flags (the layout parser's bound).
 */
static inline bool
rt_struct_isnull(const tmebox_instance *inst, uint64_t row, const tmebox_struct_layout *l,
				 const tmebox_struct_field *f)
{
	for (;;)
	{
		if (inst->base[row + f->null_off] != 0)
			return true;
		if (f->parent < 0)
			return false;
		f = &l->fields[f->parent];
	}
}

/*
 * The returned row (rows false) or set of rows (rows true) at view offset
 * off (not 0, unchecked) into *result: v.buf.data a tmebox_value[n *
 * nfields] (row r's field i at r * nfields + i) at the first 8-byte
 * boundary of one block from result_alloc (malloc when NULL: *own_copy),
 * the buf fields' bytes in the same block, each with a NUL; v.buf.len the
 * number of rows (1 for a row).  false with a fault in rt_st.fault
 * (BAD_RESULT, or HOST_ERROR when the copy cannot be allocated).
 */
bool
rt_struct_get(tmebox_instance *inst, const char *fname, const tmebox_struct_layout *l,
		   bool rows, uint64_t off, tmebox_alloc_fn result_alloc, void *alloc_arg,
		   uint8_t *volatile *own_copy, tmebox_value *result)
{
	uint64_t	first,
				ptr,
				total = 0,
				nvals,
				size,
				left;
	uint32_t	n,
				len;
	uint8_t    *block;
	tmebox_value *vals;
	uint8_t    *bytes;

	if (!rt_struct_shape(inst, l, rows, off, &first, &n))
		return false;
	for (uint32_t r = 0; r < n; r++)
	{
		uint64_t	row = first + (uint64_t) r * l->size;

		for (int i = 0; i < l->nfields; i++)
		{
			const tmebox_struct_field *f = &l->fields[i];

			if (tmebox_type_class_of(f->type) != TMEBOX_CLASS_BUF ||
				rt_struct_isnull(inst, row, l, f))
				continue;
			if (!rt_struct_buf(inst, row, f, i, r, &ptr, &len))
				return false;
			if (ptr != 0)
				total += (uint64_t) len + 1;
		}
		/* n * nfields <= 2^32 * 1664: total stays far from overflowing */
		rt_copy_account(l->size);	/* may leave: an interrupt (rt_call.c) */
	}
	if (total > inst->brk - TMEBOX_NULL_GUARD)
	{
		rt_bad_result("the text fields of the returned rows take %llu bytes, more than the sandbox's %llu bytes of memory",
					  total, inst->brk - TMEBOX_NULL_GUARD);
		return false;
	}
	nvals = (uint64_t) n * (uint64_t) l->nfields;
	size = 7 + nvals * sizeof(tmebox_value) + total + 1;
	block = result_alloc ? result_alloc(size, alloc_arg) : malloc(size);
	if (block == NULL)
	{
		rt_result_oom(fname);
		return false;
	}
	if (result_alloc == NULL)
		*own_copy = block;
	vals = (tmebox_value *) (((uintptr_t) block + 7) & ~(uintptr_t) 7);
	bytes = (uint8_t *) (vals + nvals);
	left = total;
	for (uint32_t r = 0; r < n; r++)
	{
		uint64_t	row = first + (uint64_t) r * l->size;

		for (int i = 0; i < l->nfields; i++)
		{
			const tmebox_struct_field *f = &l->fields[i];
			tmebox_value *v = &vals[(uint64_t) r * l->nfields + i];

			memset(v, 0, sizeof(*v));
			if (rt_struct_isnull(inst, row, l, f))
			{
				v->isnull = true;
				continue;
			}
			if (f->type == TMEBOX_T_STRUCT)
				continue;		/* a nested row: its members follow */
			if (tmebox_type_class_of(f->type) != TMEBOX_CLASS_BUF)
			{
				tmebox_scalar_load(f->type, inst->base + row + f->off, v);
				continue;
			}
			/* checked again: the copy never writes past what was counted */
			if (!rt_struct_buf(inst, row, f, i, r, &ptr, &len))
				return false;
			if (ptr == 0)
			{
				v->isnull = true;	/* a NULL pointer: a NULL value */
				continue;
			}
			if ((uint64_t) len + 1 > left)
			{
				rt_bad_result("field %llu of returned row %llu changed while it was copied",
							  (uint64_t) i + 1, (uint64_t) r + 1);
				return false;
			}
			rt_copy_polled(bytes, inst->base + ptr + RT_BUF_HDR, len);
			bytes[len] = '\0';
			v->v.buf.data = bytes;
			v->v.buf.len = len;
			bytes += (uint64_t) len + 1;
			left -= (uint64_t) len + 1;
		}
		rt_copy_account(l->size);
	}
	result->v.buf.data = vals;
	result->v.buf.len = n;
	return true;
}

/*
 * Is view offset p a block the host frees after a result's copy: in the
 * heap and inside no input block [in[j], +insz[j]) (not NULL, the data
 * stack, static data or an argument)?
 */
bool
rt_heap_owned(const tmebox_instance *inst, uint64_t p, const uint64_t *in,
			  const uint64_t *insz, int nin)
{
	if (p < inst->mod->layout.heap_base)
		return false;
	for (int j = 0; j < nin; j++)
		if (p >= in[j] && p - in[j] < insz[j])
			return false;
	return true;
}

/*
 * What the host frees after copying the returned value at off (checked by
 * rt_struct_get): the struct or array, and each distinct buffer of a
 * non-NULL buf field (see the header).  A malloc'd sorted list of *nfree
 * offsets; NULL when the host has no memory for it (then nothing is
 * freed: the blocks stay in the sandbox's heap until its reset).
 */
uint64_t *
rt_struct_frees(tmebox_instance *inst, const tmebox_struct_layout *l, bool rows,
			 uint64_t off, const uint64_t *in, const uint64_t *insz, int nin,
			 int *nfree)
{
	uint64_t	first;
	uint32_t	n;
	uint64_t	count = 1;
	uint64_t   *list = NULL;
	uint64_t	k = 0;

	*nfree = 0;
	if (!rt_struct_shape(inst, l, rows, off, &first, &n))
		return NULL;
	for (int pass = 0; pass < 2; pass++)
	{
		if (pass == 1)
		{
			list = rt_held_alloc(count * sizeof(uint64_t));
			if (list == NULL)
				return NULL;
			if (rt_heap_owned(inst, off, in, insz, nin))
				list[k++] = off;
		}
		for (uint32_t r = 0; r < n; r++)
		{
			uint64_t	row = first + (uint64_t) r * l->size;

			for (int i = 0; i < l->nfields; i++)
			{
				const tmebox_struct_field *f = &l->fields[i];
				uint64_t	p;

				if (tmebox_type_class_of(f->type) != TMEBOX_CLASS_BUF ||
					rt_struct_isnull(inst, row, l, f))
					continue;
				memcpy(&p, inst->base + row + f->off, sizeof(p));
				if (!rt_heap_owned(inst, p, in, insz, nin))
					continue;
				if (pass == 0)
					count++;
				else if (k < count)	/* nothing ran between: same count */
					list[k++] = p;
			}
			rt_copy_account(l->size);
		}
	}
	*nfree = rt_sort_unique(list, k);
	rt_held_release(list);		/* the caller's now */
	return list;
}
