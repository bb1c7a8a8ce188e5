/*-------------------------------------------------------------------------
 *
 * array.c
 *		tmebox.h's array shapes: NULL elements and dimensions of the arrays
 *		of scalars (int2[] ... bool[]), read from and written to the shape
 *		block the header's second word points at (tmebox_abi.h, "Array
 *		shapes").
 *
 * Invariants:
 *	- A header word of 0 means one dimension of n elements from 1 and no
 *	  NULL element; every reader here answers so without a shape.
 *	- A shape this file makes is one block from malloc with room for n
 *	  NULL flags, whatever has_nulls says, so later tmebox_array_set_null
 *	  calls write into it; the host frees it with the array.
 *	- Dimensions set always multiply to n (2202E otherwise, as
 *	  PostgreSQL's array_subscript_error), so the host's check of a result
 *	  passes for every array made here.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>
#include "tmebox_abi.h"

/* The header every array of scalars starts with. */
typedef struct head
{
	uint32_t	n;
	uint32_t	shape;
} head;

_Static_assert(sizeof(tmebox_array_shape) == TMEBOX_ARRAY_SHAPE_HDR,
			   "tmebox_array_shape is the ABI's shape header");

const tmebox_array_shape *
tmebox_array_shape_of(const void *a)
{
	const head *h = a;

	if (h == NULL)
		tmebox_error("tmebox_array_shape_of: NULL array");
	return h->shape ? (const tmebox_array_shape *) (uintptr_t) h->shape : NULL;
}

_Bool
tmebox_array_isnull(const void *a, uint32_t i)
{
	const tmebox_array_shape *s = tmebox_array_shape_of(a);

	if (i >= ((const head *) a)->n)
		tmebox_error("tmebox_array_isnull: element %u of an array of %u",
					 (unsigned) i, (unsigned) ((const head *) a)->n);
	return s != NULL && s->has_nulls && s->nulls[i];
}

int
tmebox_array_ndim(const void *a)
{
	const tmebox_array_shape *s = tmebox_array_shape_of(a);

	if (s != NULL)
		return (int) s->ndim;
	return ((const head *) a)->n == 0 ? 0 : 1;
}

static void
check_k(const char *fn, const void *a, int k)
{
	if (k < 0 || k >= tmebox_array_ndim(a))
		tmebox_error("%s: the array has no dimension %d", fn, k);
}

int32_t
tmebox_array_dim(const void *a, int k)
{
	const tmebox_array_shape *s = tmebox_array_shape_of(a);

	check_k("tmebox_array_dim", a, k);
	return s != NULL ? s->dims[k] : (int32_t) ((const head *) a)->n;
}

int32_t
tmebox_array_lbound(const void *a, int k)
{
	const tmebox_array_shape *s = tmebox_array_shape_of(a);

	check_k("tmebox_array_lbound", a, k);
	return s != NULL ? s->lbounds[k] : 1;
}

/* A new shape for a (its old one copied, or one dimension of n from 1). */
static tmebox_array_shape *
new_shape(head *h)
{
	const tmebox_array_shape *old = tmebox_array_shape_of(h);
	tmebox_array_shape *s = calloc(1, sizeof(tmebox_array_shape) + h->n);

	if (s == NULL)
		tmebox_error("tmebox_array_set_null: out of memory");
	if (old != NULL)
	{
		memcpy(s, old, sizeof(tmebox_array_shape));
		if (old->has_nulls)
			memcpy(s->nulls, old->nulls, h->n);
	}
	else
	{
		s->ndim = 1;
		s->dims[0] = (int32_t) h->n;
		s->lbounds[0] = 1;
	}
	h->shape = (uint32_t) (uintptr_t) s;
	return s;
}

void
tmebox_array_set_null(void *a, uint32_t i)
{
	head	   *h = a;
	tmebox_array_shape *s;

	if (h == NULL || i >= h->n)
		tmebox_error("tmebox_array_set_null: element %u of an array of %u",
					 (unsigned) i, h ? (unsigned) h->n : 0);
	s = (tmebox_array_shape *) tmebox_array_shape_of(a);
	if (s == NULL || !s->has_nulls)
		s = new_shape(h);
	s->has_nulls = 1;
	s->nulls[i] = 1;
}

void
tmebox_array_set_dims(void *a, int ndim, const int32_t *dims, const int32_t *lbounds)
{
	head	   *h = a;
	tmebox_array_shape *s;
	int64_t		count = 1;

	if (h == NULL)
		tmebox_error("tmebox_array_set_dims: NULL array");
	if (ndim < 1 || ndim > TMEBOX_ARRAY_MAXDIM)
		tmebox_error_code("2202E", "tmebox_array_set_dims: %d dimensions (1 to %d)",
						  ndim, TMEBOX_ARRAY_MAXDIM);
	for (int k = 0; k < ndim; k++)
	{
		if (dims[k] < 0)
			tmebox_error_code("2202E", "tmebox_array_set_dims: dimension %d is %d", k,
							  (int) dims[k]);
		count *= dims[k];
		if (count > UINT32_MAX)
			break;
	}
	if (count != (int64_t) h->n)
		tmebox_error_code("2202E", "tmebox_array_set_dims: the dimensions hold %lld elements, the array %u",
						  (long long) count, (unsigned) h->n);
	/* a shape the array has already (its own or the host's) is changed in
	 * place: the dimensions are its fixed part, and a new one each time
	 * left the previous one allocated for the rest of the call */
	s = (tmebox_array_shape *) tmebox_array_shape_of(a);
	if (s == NULL)
		s = new_shape(h);
	memset(s->dims, 0, sizeof(s->dims));
	memset(s->lbounds, 0, sizeof(s->lbounds));
	s->ndim = (uint32_t) ndim;
	for (int k = 0; k < ndim; k++)
	{
		s->dims[k] = dims[k];
		s->lbounds[k] = lbounds ? lbounds[k] : 1;
	}
}
