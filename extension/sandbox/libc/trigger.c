/*-------------------------------------------------------------------------
 *
 * trigger.c
 *		Sandbox libc: the sandbox half of a trigger call (tmebox.h
 *		TMEBOX_TRIGGER; tmebox_abi.h "Triggers").  The export
 *		TMEBOX_TRIGGER defines receives the sizes of the trigger's
 *		description and of its NEW and OLD row images; this file allocates
 *		them in the heap, has the host fill them (host call trigger_data),
 *		builds the tmebox_trigger the user's function sees, calls it, hands
 *		the row it returns to the host (host call trigger_result) and frees
 *		the rows.
 *
 * Invariants:
 *	- tmebox.h's TMEBOX_TG_* equal tmebox_abi.h's (checked below).
 *	- Every row the call gets is malloc'd, so it counts against the
 *	  tenant's memory limit like any of its memory, and is freed before
 *	  the export returns: tg->new_row, tg->old_row (as the user's function
 *	  left them) and the returned row, each once.  The description lies
 *	  on the data stack when it is small, else in the heap too.  Nothing
 *	  of a call is left in the heap (a trigger fired for a million rows
 *	  does not grow it).
 *	- Nothing here is a security boundary: the host checks the returned
 *	  row byte by byte (pl/pl_trigger.c, pl_row.c).  The description was
 *	  written by the host, but it lies in the tenant's memory: its offsets
 *	  are checked anyway, so a description the function overwrote (its own
 *	  business) ends in an error, not a read out of the block.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>

#include "tmebox_host.h"
#include <tmebox.h>

_Static_assert(TMEBOX_TG_INSERT == TMEBOX_TGI_INSERT && TMEBOX_TG_UPDATE == TMEBOX_TGI_UPDATE &&
			   TMEBOX_TG_DELETE == TMEBOX_TGI_DELETE &&
			   TMEBOX_TG_TRUNCATE == TMEBOX_TGI_TRUNCATE &&
			   TMEBOX_TG_BEFORE == TMEBOX_TGI_BEFORE && TMEBOX_TG_AFTER == TMEBOX_TGI_AFTER &&
			   TMEBOX_TG_INSTEAD_OF == TMEBOX_TGI_INSTEAD_OF &&
			   TMEBOX_TG_ROW == TMEBOX_TGI_ROW && TMEBOX_TG_STATEMENT == TMEBOX_TGI_STATEMENT,
			   "tmebox.h trigger codes are tmebox_abi.h's");

static _Noreturn void
trigger_error(const char *msg)
{
	__tmebox_host_error(msg, strlen(msg));
}

/* The string at offset off of the description (size bytes). */
static const char *
trigger_string(const char *info, uint32_t size, uint32_t off)
{
	if (off < TMEBOX_TGI_HDR || off >= size || memchr(info + off, '\0', size - off) == NULL)
		trigger_error("trigger description is damaged");
	return info + off;
}

static const char *
trigger_name(const char *const *names, uint32_t n, uint32_t code)
{
	if (code == 0 || code > n)
		trigger_error("trigger description is damaged");
	return names[code - 1];
}

/* A block of n bytes for the host to fill (NULL for none). */
static void *
trigger_block(int32_t n)
{
	void	   *p;

	if (n <= 0)
		return NULL;
	p = malloc((size_t) n);
	if (p == NULL)
		trigger_error("trigger row too large");
	return p;
}

int32_t
__tmebox_trigger_run(int32_t info_size, int32_t new_size, int32_t old_size,
					 tmebox_row *(*fn) (tmebox_trigger *tg))
{
	static const char *const ops[] = {"INSERT", "UPDATE", "DELETE", "TRUNCATE"};
	static const char *const whens[] = {"BEFORE", "AFTER", "INSTEAD OF"};
	static const char *const levels[] = {"ROW", "STATEMENT"};
	tmebox_trigger tg;
	_Alignas(8) char small[512];
	char	   *info;
	uint32_t	hdr[TMEBOX_TGI_HDR / 4];
	const char **args = NULL;
	tmebox_row *r;
	int32_t		status = 0;

	if (info_size < TMEBOX_TGI_HDR)
		trigger_error("trigger function called outside a trigger");
	/* the description on the stack when small (the common case) */
	info = info_size <= (int32_t) sizeof(small) ? small : trigger_block(info_size);
	tg.new_row = trigger_block(new_size);
	tg.old_row = trigger_block(old_size);
	__tmebox_host_trigger_data(info, tg.new_row, tg.old_row);

	memcpy(hdr, info, sizeof(hdr));
	if (hdr[0] != (uint32_t) info_size ||
		hdr[5] > ((uint32_t) info_size - TMEBOX_TGI_HDR) / 4)
		trigger_error("trigger description is damaged");
	tg.op = (int) hdr[1];
	tg.when = (int) hdr[2];
	tg.level = (int) hdr[3];
	tg.op_name = trigger_name(ops, 4, hdr[1]);
	tg.when_name = trigger_name(whens, 3, hdr[2]);
	tg.level_name = trigger_name(levels, 2, hdr[3]);
	tg.relid = hdr[4];
	tg.nargs = (int) hdr[5];
	tg.name = trigger_string(info, hdr[0], hdr[6]);
	tg.table_name = trigger_string(info, hdr[0], hdr[7]);
	tg.table_schema = trigger_string(info, hdr[0], hdr[8]);
	if (tg.nargs > 0)
	{
		args = malloc(sizeof(char *) * (size_t) tg.nargs);
		if (args == NULL)
			trigger_error("too many trigger arguments");
		for (int i = 0; i < tg.nargs; i++)
		{
			uint32_t	off;

			memcpy(&off, info + TMEBOX_TGI_HDR + 4 * (size_t) i, sizeof(off));
			args[i] = trigger_string(info, hdr[0], off);
		}
	}
	tg.args = args;

	r = fn(&tg);

	if (r != NULL)
	{
		__tmebox_host_trigger_result(r, r->size);
		status = 1;
	}
	/* each row once: the returned one may be tg.new_row or tg.old_row */
	if (r != NULL && r != tg.new_row && r != tg.old_row)
		free(r);
	if (tg.old_row != tg.new_row)
		free(tg.old_row);
	free(tg.new_row);
	free(args);
	if (info != small)
		free(info);
	return status;
}
