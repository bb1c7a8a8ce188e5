/*-------------------------------------------------------------------------
 *
 * pl_callbacks.h
 *		What the runtime calls back into PostgreSQL during a sandbox call
 *		(pl_callbacks.c): interrupt checks, messages, the result allocator,
 *		the signal-time "must the sandbox stop?" test.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_CALLBACKS_H
#define PL_CALLBACKS_H

#include "tmebox_rt.h"
#include "utils/array.h"

/* Space for a result: a varlena for a buffer (payload after the header). */
typedef struct PlResultSpace
{
	tmebox_type kind;
	bool		huge;			/* may pass MaxAllocSize (a set's array:
								 * no varlena, bounded by the tenant's
								 * memory limit, of which it is a copy) */
	char	   *block;
} PlResultSpace;

/*
 * Room the result allocator leaves before the bytes the runtime copies
 * out of the view: a varlena header, or for an array of fixed-width
 * elements the whole header of a one-dimensional array without NULLs, so
 * pl_array_result makes the SQL array where the elements already are
 * (one copy out of the view and none after it).
 */
static inline Size
pl_result_header(tmebox_type kind)
{
	return tmebox_type_class_of(kind) == TMEBOX_CLASS_ARRAY ?
		ARR_OVERHEAD_NONULLS(1) : VARHDRSZ;
}

extern void pl_callbacks_install(void);
extern bool pl_should_leave(void);
extern void *pl_result_alloc(size_t size, void *arg);
extern void pl_check_encoding(const char *s, int len, const char *what);
extern void pl_callback_raised(MemoryContext mcxt) pg_attribute_noreturn();

#endif							/* PL_CALLBACKS_H */
