/*-------------------------------------------------------------------------
 *
 * rt_fault.c
 *		Messages: the one-line description of a fault.
 *
 * Invariants: never writes more than len bytes, always NUL-terminates
 * when len > 0.
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdio.h>

#include "rt_internal.h"

static const char *
rt_trap_text(int32_t code)
{
	switch (code)
	{
		case TMEBOX_TRAP_UNREACHABLE:
			return "reached unreachable code";
		case TMEBOX_TRAP_BAD_CALL:
			return "indirect call through an invalid function pointer";
		case TMEBOX_TRAP_DSTACK_OVERFLOW:
			return "data stack overflow";
		case TMEBOX_TRAP_ABORT:
			return "abort() called";
		case TMEBOX_TRAP_BUILTIN:
			return "illegal instruction (__builtin_trap)";
		default:
			return NULL;
	}
}

int
tmebox_fault_format(const tmebox_fault *f, char *buf, size_t len)
{
	char		dummy[1];

	if (buf == NULL || len == 0)
	{
		buf = dummy;
		len = 1;
	}
	switch (f->kind)
	{
		case TMEBOX_FAULT_NONE:
			return snprintf(buf, len, "no fault");
		case TMEBOX_FAULT_SEGV:
			if (f->view_offset == TMEBOX_OFFSET_UNKNOWN)
				return snprintf(buf, len, "segmentation fault");
			return snprintf(buf, len, "segmentation fault at view offset 0x%llx",
							(unsigned long long) f->view_offset);
		case TMEBOX_FAULT_DIVZERO:
			return snprintf(buf, len, "division by zero");
		case TMEBOX_FAULT_INTOVF:
			return snprintf(buf, len, "integer out of range in division");
		case TMEBOX_FAULT_FPE:
			return snprintf(buf, len, "floating-point exception");
		case TMEBOX_FAULT_STACK_OVERFLOW:
			return snprintf(buf, len, "stack overflow");
		case TMEBOX_FAULT_TRAP:
			{
				const char *t = rt_trap_text(f->trap_code);

				if (t != NULL)
					return snprintf(buf, len, "trap: %s", t);
				return snprintf(buf, len, "trap: code %d", f->trap_code);
			}
		case TMEBOX_FAULT_INTERRUPTED:
			return snprintf(buf, len, "interrupted");
		case TMEBOX_FAULT_OUT_OF_MEMORY:
			if (f->mem_limit == 0)
				return snprintf(buf, len, "out of memory: the sandbox heap cannot grow past view offset 0x%x",
								(unsigned) TMEBOX_HEAP_MAX);
			return snprintf(buf, len, "out of memory: tenant memory limit of %llu bytes reached",
							(unsigned long long) f->mem_limit);
		case TMEBOX_FAULT_USER_ERROR:
			return snprintf(buf, len, "error raised by the function: %s", f->message);
		case TMEBOX_FAULT_BAD_RESULT:
			return snprintf(buf, len, "invalid result: %s", f->message);
		case TMEBOX_FAULT_HOST_ERROR:
			return snprintf(buf, len, "%s", f->message);
		case TMEBOX_FAULT_HOST_RAISED:
			return snprintf(buf, len, "the host raised an error in a host call");
	}
	return snprintf(buf, len, "unknown fault %d", (int) f->kind);
}
