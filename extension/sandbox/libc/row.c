/*-------------------------------------------------------------------------
 *
 * row.c
 *		Sandbox libc: reading and changing dynamic rows (tmebox.h
 *		tmebox_row_*; the layout is tmebox_abi.h's "Dynamic rows").
 *
 * Invariants:
 *	- tmebox.h's row layout, flags and TMEBOX_TYPE_* numbers equal
 *	  tmebox_abi.h's (checked at compile time below).
 *	- A column index out of range, or a value read as a type it is not,
 *	  raises an error naming the column; nothing here returns garbage.
 *	- Changing a column appends its new value at the row's end (8-byte
 *	  aligned) and points the descriptor at it: the old bytes stay, unused,
 *	  until the row is freed.  The host checks the whole row when it comes
 *	  back, so nothing here is a security boundary.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

#include "tmebox_host.h"
#include <tmebox.h>

_Static_assert(sizeof(tmebox_col) == TMEBOX_COL_SIZE, "tmebox_col is 24 bytes");
_Static_assert(offsetof(tmebox_row, col) == TMEBOX_ROW_HDR, "row header is 8 bytes");
_Static_assert(offsetof(tmebox_rows, v) == TMEBOX_ROWS_HDR, "a set of rows starts with 8 bytes");
_Static_assert(TMEBOX_TYPE_BOOL == TMEBOX_T_BOOL && TMEBOX_TYPE_I16 == TMEBOX_T_I16 &&
			   TMEBOX_TYPE_I32 == TMEBOX_T_I32 && TMEBOX_TYPE_I64 == TMEBOX_T_I64 &&
			   TMEBOX_TYPE_F32 == TMEBOX_T_F32 && TMEBOX_TYPE_F64 == TMEBOX_T_F64 &&
			   TMEBOX_TYPE_BUF == TMEBOX_T_BUF && TMEBOX_TYPE_AI32 == TMEBOX_T_AI32 &&
			   TMEBOX_TYPE_AI64 == TMEBOX_T_AI64 && TMEBOX_TYPE_AF64 == TMEBOX_T_AF64 &&
			   TMEBOX_TYPE_AI16 == TMEBOX_T_AI16 && TMEBOX_TYPE_AF32 == TMEBOX_T_AF32 &&
			   TMEBOX_TYPE_ABOOL == TMEBOX_T_ABOOL,
			   "tmebox.h value type numbers are tmebox_abi.h's");

static _Noreturn void
row_error(const char *what, int i)
{
	char		msg[160];
	int			len;

	len = snprintf(msg, sizeof msg, "%s: no column %d, or it has another type", what, i);
	__tmebox_host_error(msg, (uint64_t) len);
}

static const tmebox_col *
row_col(const tmebox_row *row, int i, const char *what)
{
	if (row == NULL || i < 0 || (uint32_t) i >= row->ncols)
		row_error(what, i);
	return &row->col[i];
}

int
tmebox_row_ncols(const tmebox_row *row)
{
	return row == NULL ? 0 : (int) row->ncols;
}

const char *
tmebox_row_name(const tmebox_row *row, int i)
{
	return (const char *) row + row_col(row, i, "tmebox_row_name")->name;
}

int
tmebox_row_find(const tmebox_row *row, const char *name)
{
	for (int i = 0; i < tmebox_row_ncols(row); i++)
		if (!(row->col[i].flags & TMEBOX_COL_DROPPED) &&
			strcmp((const char *) row + row->col[i].name, name) == 0)
			return i;
	return -1;
}

int
tmebox_row_isnull(const tmebox_row *row, int i)
{
	return (row_col(row, i, "tmebox_row_isnull")->flags & TMEBOX_COL_NULL) != 0;
}

int
tmebox_row_type(const tmebox_row *row, int i)
{
	return row_col(row, i, "tmebox_row_type")->type;
}

uint32_t
tmebox_row_sqltype(const tmebox_row *row, int i)
{
	return row_col(row, i, "tmebox_row_sqltype")->sqltype;
}

int
tmebox_row_is_text(const tmebox_row *row, int i)
{
	return (row_col(row, i, "tmebox_row_is_text")->flags & TMEBOX_COL_TEXT) != 0;
}

const void *
tmebox_row_value(const tmebox_row *row, int i)
{
	const tmebox_col *c = row_col(row, i, "tmebox_row_value");

	if (c->flags & TMEBOX_COL_NULL)
		return NULL;
	return (const char *) row + c->value;
}

int64_t
tmebox_row_int(const tmebox_row *row, int i)
{
	const tmebox_col *c = row_col(row, i, "tmebox_row_int");
	const char *p = (const char *) row + c->value;

	if (c->flags & TMEBOX_COL_NULL)
		return 0;
	switch (c->type)
	{
		case TMEBOX_TYPE_BOOL:
			return *(const uint8_t *) p != 0;
		case TMEBOX_TYPE_I16:
			return *(const int16_t *) p;
		case TMEBOX_TYPE_I32:
			return *(const int32_t *) p;
		case TMEBOX_TYPE_I64:
			return *(const int64_t *) p;
		default:
			row_error("tmebox_row_int", i);
	}
}

double
tmebox_row_float(const tmebox_row *row, int i)
{
	const tmebox_col *c = row_col(row, i, "tmebox_row_float");
	const char *p = (const char *) row + c->value;

	if (c->flags & TMEBOX_COL_NULL)
		return 0;
	switch (c->type)
	{
		case TMEBOX_TYPE_F32:
			return *(const float *) p;
		case TMEBOX_TYPE_F64:
			return *(const double *) p;
		default:
			return (double) tmebox_row_int(row, i);
	}
}

const tmebox_buf *
tmebox_row_buf(const tmebox_row *row, int i)
{
	const tmebox_col *c = row_col(row, i, "tmebox_row_buf");

	if (c->flags & TMEBOX_COL_NULL)
		return NULL;
	if (c->type != TMEBOX_TYPE_BUF)
		row_error("tmebox_row_buf", i);
	return (const tmebox_buf *) ((const char *) row + c->value);
}

const char *
tmebox_row_text(const tmebox_row *row, int i)
{
	const tmebox_buf *b = tmebox_row_buf(row, i);

	return b == NULL ? NULL : b->data;
}

tmebox_row *
tmebox_row_set(tmebox_row *row, int i, int type, const void *value, uint32_t size)
{
	uint64_t	off,
				total;
	tmebox_col *c;
	const char *old = (const char *) row;
	uint64_t	inside;

	row_col(row, i, "tmebox_row_set");
	/* value may lie in the row itself (another column's bytes): an
	 * offset into it survives the realloc below, a pointer does not */
	inside = (const char *) value >= old && (const char *) value < old + row->size ?
		(uint64_t) ((const char *) value - old) : UINT64_MAX;
	off = ((uint64_t) row->size + 7) & ~(uint64_t) 7;
	/* a buffer keeps a NUL after its bytes, as the host writes it */
	total = off + size + 1;
	if (total > UINT32_MAX)
		row_error("tmebox_row_set", i);
	row = realloc(row, (size_t) total);
	if (row == NULL)
		row_error("tmebox_row_set", i);
	if (inside != UINT64_MAX)
		value = (const char *) row + inside;
	memcpy((char *) row + off, value, size);
	((char *) row)[off + size] = '\0';
	row->size = (uint32_t) total;
	c = &row->col[i];
	c->value = (uint32_t) off;
	c->vsize = size;
	c->type = (uint16_t) type;
	c->flags = 0;
	return row;
}

tmebox_row *
tmebox_row_set_null(tmebox_row *row, int i)
{
	tmebox_col *c;

	row_col(row, i, "tmebox_row_set_null");
	c = &row->col[i];
	c->value = 0;
	c->vsize = 0;
	c->flags = TMEBOX_COL_NULL;
	return row;
}

tmebox_row *
tmebox_row_set_int(tmebox_row *row, int i, int64_t v)
{
	int			t = row_col(row, i, "tmebox_row_set_int")->type;
	int16_t		v16 = (int16_t) v;
	int32_t		v32 = (int32_t) v;
	uint8_t		b = v != 0;

	switch (t)
	{
		case TMEBOX_TYPE_BOOL:
			return tmebox_row_set(row, i, t, &b, 1);
		case TMEBOX_TYPE_I16:
			if (v != v16)
				break;
			return tmebox_row_set(row, i, t, &v16, 2);
		case TMEBOX_TYPE_I32:
			if (v != v32)
				break;
			return tmebox_row_set(row, i, t, &v32, 4);
		case TMEBOX_TYPE_I64:
			return tmebox_row_set(row, i, t, &v, 8);
		default:
			break;
	}
	row_error("tmebox_row_set_int (or the value is out of its range)", i);
}

tmebox_row *
tmebox_row_set_float(tmebox_row *row, int i, double v)
{
	int			t = row_col(row, i, "tmebox_row_set_float")->type;
	float		f = (float) v;

	if (t == TMEBOX_TYPE_F32)
		return tmebox_row_set(row, i, t, &f, 4);
	if (t == TMEBOX_TYPE_F64)
		return tmebox_row_set(row, i, t, &v, 8);
	row_error("tmebox_row_set_float", i);
}

tmebox_row *
tmebox_row_set_text(tmebox_row *row, int i, const char *text)
{
	size_t		len = strlen(text);
	tmebox_buf *b;

	row_col(row, i, "tmebox_row_set_text");
	if (len > UINT32_MAX - 8)
		row_error("tmebox_row_set_text", i);
	b = tmebox_buf_from(text, (uint32_t) len);
	row = tmebox_row_set(row, i, TMEBOX_TYPE_BUF, b, 4 + (uint32_t) len);
	row->col[i].flags = TMEBOX_COL_TEXT;
	free(b);
	return row;
}

tmebox_row *
tmebox_row_new(int ncols, const int *types)
{
	uint64_t	names,
				size;
	tmebox_row *row;

	if (ncols < 0 || ncols > TMEBOX_ROW_MAX_COLS)
		return NULL;
	/* the descriptors, then one empty name all columns share */
	names = TMEBOX_ROW_HDR + (uint64_t) TMEBOX_COL_SIZE * (uint64_t) ncols;
	size = names + 1;
	row = calloc(1, (size_t) size);
	if (row == NULL)
		return NULL;
	row->ncols = (uint32_t) ncols;
	row->size = (uint32_t) size;
	for (int i = 0; i < ncols; i++)
	{
		row->col[i].name = (uint32_t) names;
		row->col[i].flags = TMEBOX_COL_NULL;
		row->col[i].type = types ? (uint16_t) types[i] : 0;
	}
	return row;
}

tmebox_rows *
tmebox_rows_new(uint32_t n)
{
	tmebox_rows *s;

	if (n > (UINT32_MAX - sizeof(tmebox_rows)) / sizeof(tmebox_row *))
		return NULL;
	s = calloc(1, sizeof(tmebox_rows) + (size_t) n * sizeof(tmebox_row *));
	if (s != NULL)
		s->n = n;
	return s;
}

/* numeric columns travel as their text form (exact): tmebox_num_parse */
tmebox_numeric *
tmebox_row_numeric(const tmebox_row *row, int i)
{
	const tmebox_buf *b = tmebox_row_buf(row, i);

	return b == NULL ? NULL : tmebox_num_parse(b->data);
}

tmebox_row *
tmebox_row_set_numeric(tmebox_row *row, int i, const tmebox_numeric *x)
{
	tmebox_buf *t;

	if (x == NULL)
		return tmebox_row_set_null(row, i);
	t = tmebox_num_to_text(x);
	row = tmebox_row_set_text(row, i, t->data);
	free(t);
	return row;
}
