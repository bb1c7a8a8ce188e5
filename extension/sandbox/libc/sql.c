/*-------------------------------------------------------------------------
 *
 * sql.c
 *		Sandbox libc: SQL access (tmebox.h tmebox_sql_*), on the host calls
 *		sql_* of tmebox_abi.h.  Parameters travel as a dynamic row
 *		(tmebox_abi.h "Dynamic rows"); results, plans and cursors are the
 *		host's handles; rows and result details are copied into buffers
 *		this file allocates, retried once at the size the host says.
 *
 * Invariants:
 *	- Every buffer handed to the host is exactly as large as the
 *	  capacity passed with it; the host writes only when it fits.
 *	- A plan or cursor pointer is the host's handle, never dereferenced
 *	  here; the host checks every handle it is given.
 *	- Nothing here is a security boundary: the host checks the parameter
 *	  row, handles and ranges itself.
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

/* sql_info's block (tmebox_abi.h TMEBOX_SQL_INFO_SIZE) */
typedef struct sql_info
{
	int32_t		status;
	char		sqlstate[8];
	uint32_t	nrows;
	int64_t		processed;
	uint32_t	msglen;
	uint32_t	pad;
} sql_info;

_Static_assert(sizeof(sql_info) == TMEBOX_SQL_INFO_SIZE, "sql_info layout");

/* First guess of a row's size: most rows fit, one host call. */
#define SQL_ROW_GUESS	256

static _Noreturn void
sql_error(const char *msg)
{
	__tmebox_host_error(msg, strlen(msg));
}

static void *
sql_alloc(size_t n)
{
	void	   *p = malloc(n);

	if (p == NULL)
		sql_error("tmebox_sql: out of memory");
	return p;
}

/* Bytes of argument a's value in a row image (0: SQL NULL). */
static uint64_t
sql_arg_size(const tmebox_sql_arg *a, uint32_t *len)
{
	const uint32_t *arr = a->p;

	*len = 0;
	if (a->isnull)
		return 0;
	switch (a->type)
	{
		case TMEBOX_TYPE_BOOL:
			return 1;
		case TMEBOX_TYPE_I16:
			return 2;
		case TMEBOX_TYPE_I32:
		case TMEBOX_TYPE_F32:
			return 4;
		case TMEBOX_TYPE_I64:
		case TMEBOX_TYPE_F64:
			return 8;
		case TMEBOX_TYPE_BUF:
			if (a->p == NULL)
				sql_error("tmebox_sql: a text or buffer parameter has no data");
			*len = a->len == UINT32_MAX ? (uint32_t) strlen(a->p) : a->len;
			return 4 + (uint64_t) *len;
		case TMEBOX_TYPE_AI32:
		case TMEBOX_TYPE_AF32:
			return 8 + (uint64_t) arr[0] * 4;
		case TMEBOX_TYPE_AI64:
		case TMEBOX_TYPE_AF64:
			return 8 + (uint64_t) arr[0] * 8;
		case TMEBOX_TYPE_AI16:
			return 8 + (uint64_t) arr[0] * 2;
		case TMEBOX_TYPE_ABOOL:
			return 8 + (uint64_t) arr[0];
		default:
			sql_error("tmebox_sql: a parameter has an unknown type");
	}
}

/* The parameter row of args (malloc'd, *size bytes), or NULL for none. */
static void *
sql_params(int nargs, const tmebox_sql_arg *args, uint64_t *size)
{
	uint64_t	total,
				pos;
	char	   *img;
	uint32_t	hdr[2];

	*size = 0;
	if (nargs <= 0)
		return NULL;
	if (nargs > 65535 || args == NULL)
		sql_error("tmebox_sql: at most 65535 parameters");
	/* header, descriptors, one empty name shared by every column */
	total = ((TMEBOX_ROW_HDR + (uint64_t) TMEBOX_COL_SIZE * nargs + 1) + 7) & ~(uint64_t) 7;
	for (int i = 0; i < nargs; i++)
	{
		uint32_t	len;
		uint64_t	vs = sql_arg_size(&args[i], &len);

		if (vs > 0)
			total = ((total + vs + 1) + 7) & ~(uint64_t) 7;
	}
	if (total > UINT32_MAX)
		sql_error("tmebox_sql: parameters too large");
	img = calloc(1, total);
	if (img == NULL)
		sql_error("tmebox_sql: out of memory");
	hdr[0] = (uint32_t) nargs;
	hdr[1] = (uint32_t) total;
	memcpy(img, hdr, sizeof(hdr));
	pos = TMEBOX_ROW_HDR + (uint64_t) TMEBOX_COL_SIZE * nargs;	/* the name "" */
	{
		uint64_t	name = pos;

		pos = (pos + 1 + 7) & ~(uint64_t) 7;
		for (int i = 0; i < nargs; i++)
		{
			const tmebox_sql_arg *a = &args[i];
			tmebox_col *c = (tmebox_col *) (img + TMEBOX_ROW_HDR) + i;
			uint32_t	len;
			uint64_t	vs = sql_arg_size(a, &len);

			c->name = (uint32_t) name;
			c->sqltype = a->sqltype;
			c->type = (uint16_t) a->type;
			c->flags = (a->isnull ? TMEBOX_COL_NULL : 0) | (a->text ? TMEBOX_COL_TEXT : 0);
			if (vs == 0)
				continue;
			c->value = (uint32_t) pos;
			c->vsize = (uint32_t) vs;
			switch (a->type)
			{
				case TMEBOX_TYPE_BOOL:
					img[pos] = a->i != 0;
					break;
				case TMEBOX_TYPE_I16:
					{
						int16_t		v = (int16_t) a->i;

						memcpy(img + pos, &v, 2);
						break;
					}
				case TMEBOX_TYPE_I32:
					{
						int32_t		v = (int32_t) a->i;

						memcpy(img + pos, &v, 4);
						break;
					}
				case TMEBOX_TYPE_I64:
					memcpy(img + pos, &a->i, 8);
					break;
				case TMEBOX_TYPE_F32:
					{
						float		v = (float) a->f;

						memcpy(img + pos, &v, 4);
						break;
					}
				case TMEBOX_TYPE_F64:
					memcpy(img + pos, &a->f, 8);
					break;
				case TMEBOX_TYPE_BUF:
					memcpy(img + pos, &len, 4);
					memcpy(img + pos + 4, a->p, len);
					break;
				default:
					memcpy(img + pos, a->p, vs);	/* an array, header included */
					break;
			}
			pos = ((pos + vs + 1) + 7) & ~(uint64_t) 7;
		}
	}
	*size = total;
	return img;
}

/* The result of handle h (its details copied from the host). */
static tmebox_sql_result *
sql_result(int32_t h)
{
	char		small[TMEBOX_SQL_INFO_SIZE + 128];
	char	   *buf = small;
	uint64_t	need = __tmebox_host_sql_info(h, small, sizeof(small));
	sql_info	info;
	tmebox_sql_result *r;
	char	   *msg;

	if (need > sizeof(small))
	{
		buf = sql_alloc(need);
		if (__tmebox_host_sql_info(h, buf, need) != need)
			sql_error("tmebox_sql: result changed");
	}
	memcpy(&info, buf, sizeof(info));
	r = sql_alloc(sizeof(tmebox_sql_result) + info.msglen + 1);
	msg = (char *) (r + 1);
	memcpy(msg, buf + sizeof(info), info.msglen);
	msg[info.msglen] = '\0';
	r->ok = info.status == 0;
	memcpy(r->sqlstate, info.sqlstate, 5);
	r->sqlstate[5] = '\0';
	r->nrows = info.nrows;
	r->processed = info.processed;
	r->message = msg;
	r->handle = h;
	if (buf != small)
		free(buf);
	return r;
}

static tmebox_sql_result *
sql_run(const char *query, int nargs, const tmebox_sql_arg *args, int32_t flags)
{
	uint64_t	psize;
	void	   *params = sql_params(nargs, args, &psize);
	int32_t		h;

	if (query == NULL)
		sql_error("tmebox_sql: no statement");
	h = __tmebox_host_sql_exec(query, strlen(query), params, psize, 0, flags);
	free(params);
	return sql_result(h);
}

tmebox_sql_result *
tmebox_sql(const char *query, int nargs, const tmebox_sql_arg *args)
{
	return sql_run(query, nargs, args, 0);
}

tmebox_sql_result *
tmebox_sql_try(const char *query, int nargs, const tmebox_sql_arg *args)
{
	return sql_run(query, nargs, args, TMEBOX_SQL_TRY);
}

/* Row i of handle h, or NULL past the last. */
static tmebox_row *
sql_row(int32_t h, uint32_t i)
{
	void	   *buf = sql_alloc(SQL_ROW_GUESS);
	uint64_t	need = __tmebox_host_sql_row(h, i, buf, SQL_ROW_GUESS);

	if (need == 0)
	{
		free(buf);
		return NULL;
	}
	if (need > SQL_ROW_GUESS)
	{
		free(buf);
		if (need > UINT32_MAX)
			sql_error("tmebox_sql_row: row too large");
		buf = sql_alloc(need);
		if (__tmebox_host_sql_row(h, i, buf, need) != need)
			sql_error("tmebox_sql_row: row changed");
	}
	return buf;
}

tmebox_row *
tmebox_sql_row(const tmebox_sql_result *r, uint32_t i)
{
	if (r == NULL || i >= r->nrows)
		return NULL;
	return sql_row(r->handle, i);
}

tmebox_row *
tmebox_row_get(int32_t handle)
{
	return handle == 0 ? NULL : sql_row(handle, 0);
}

void
tmebox_sql_free(tmebox_sql_result *r)
{
	if (r == NULL)
		return;
	__tmebox_host_sql_free(r->handle);
	free(r);
}

_Noreturn void
tmebox_sql_raise(const tmebox_sql_result *r)
{
	if (r == NULL)
		sql_error("tmebox_sql_raise: no result");
	__tmebox_host_sql_raise(r->handle);
}

/*
 * The first column of the first row: the statement's result handle is
 * read without sql_info (a statement without TMEBOX_SQL_TRY that returns
 * has succeeded; sql_row says 0 past the last row), one host call and a
 * result block fewer per call.
 */
int64_t
tmebox_sql_int(const char *query, int nargs, const tmebox_sql_arg *args, int *isnull)
{
	uint64_t	psize;
	void	   *params;
	int32_t		h;
	tmebox_row *row;
	int64_t		v = 0;
	int			null = 1;

	if (query == NULL)
		sql_error("tmebox_sql: no statement");
	params = sql_params(nargs, args, &psize);
	h = __tmebox_host_sql_exec(query, strlen(query), params, psize, 0, 0);
	free(params);
	row = sql_row(h, 0);
	if (row != NULL && tmebox_row_ncols(row) > 0 && !tmebox_row_isnull(row, 0))
	{
		v = tmebox_row_int(row, 0);
		null = 0;
	}
	if (isnull)
		*isnull = null;
	free(row);
	__tmebox_host_sql_free(h);
	return v;
}

tmebox_sql_plan *
tmebox_sql_prepare(const char *query, int nargs, const tmebox_sql_arg *args)
{
	uint64_t	psize;
	void	   *params;
	int32_t		h;

	if (query == NULL)
		sql_error("tmebox_sql_prepare: no statement");
	/* the types matter, not the values: every parameter as a typed NULL */
	if (nargs > 0 && args != NULL && nargs <= 65535)
	{
		tmebox_sql_arg *types = sql_alloc(sizeof(tmebox_sql_arg) * (size_t) nargs);

		for (int i = 0; i < nargs; i++)
		{
			types[i] = args[i];
			types[i].isnull = 1;
			types[i].text = 0;
		}
		params = sql_params(nargs, types, &psize);
		free(types);
	}
	else
		params = sql_params(nargs, args, &psize);
	h = __tmebox_host_sql_prepare(query, strlen(query), params, psize);
	free(params);
	return (tmebox_sql_plan *) (uintptr_t) (uint32_t) h;
}

static tmebox_sql_result *
sql_exec(tmebox_sql_plan *plan, int nargs, const tmebox_sql_arg *args, int32_t flags)
{
	uint64_t	psize;
	void	   *params = sql_params(nargs, args, &psize);
	int32_t		h = __tmebox_host_sql_exec_plan((int32_t) (uintptr_t) plan, params, psize,
												0, flags);

	free(params);
	return sql_result(h);
}

tmebox_sql_result *
tmebox_sql_exec(tmebox_sql_plan *plan, int nargs, const tmebox_sql_arg *args)
{
	return sql_exec(plan, nargs, args, 0);
}

tmebox_sql_result *
tmebox_sql_exec_try(tmebox_sql_plan *plan, int nargs, const tmebox_sql_arg *args)
{
	return sql_exec(plan, nargs, args, TMEBOX_SQL_TRY);
}

void
tmebox_sql_plan_free(tmebox_sql_plan *plan)
{
	__tmebox_host_sql_free((int32_t) (uintptr_t) plan);
}

tmebox_sql_cursor *
tmebox_sql_open(tmebox_sql_plan *plan, int nargs, const tmebox_sql_arg *args)
{
	uint64_t	psize;
	void	   *params = sql_params(nargs, args, &psize);
	int32_t		h = __tmebox_host_sql_open((int32_t) (uintptr_t) plan, params, psize, 0);

	free(params);
	return (tmebox_sql_cursor *) (uintptr_t) (uint32_t) h;
}

tmebox_sql_result *
tmebox_sql_fetch(tmebox_sql_cursor *cur, uint32_t n)
{
	return sql_result(__tmebox_host_sql_fetch((int32_t) (uintptr_t) cur, n, 0));
}

tmebox_sql_result *
tmebox_sql_fetch_try(tmebox_sql_cursor *cur, uint32_t n)
{
	return sql_result(__tmebox_host_sql_fetch((int32_t) (uintptr_t) cur, n, TMEBOX_SQL_TRY));
}

void
tmebox_sql_close(tmebox_sql_cursor *cur)
{
	__tmebox_host_sql_free((int32_t) (uintptr_t) cur);
}
