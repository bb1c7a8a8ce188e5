/*-------------------------------------------------------------------------
 *
 * abort.c
 *		Sandbox libc: abort, exit and failed assertions.
 *
 * A sandboxed function cannot end the process it runs in.  abort() traps
 * (fault "trap", TMEBOX_TRAP_ABORT); exit() and friends raise the error
 * "exit(STATUS) called"; a failed assert raises "assertion failed: EXPR
 * (FILE:LINE)".  Either way the call ends and the instance is reset.
 *
 * Invariants: none of these functions returns.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <stdio.h>
#include <assert.h>

#include "tmebox_host.h"

void
abort(void)
{
	__tmebox_host_trap(TMEBOX_TRAP_ABORT);
}

void
exit(int status)
{
	char		msg[64];
	int			len;

	len = snprintf(msg, sizeof msg, "exit(%d) called", status);
	__tmebox_host_error(msg, (uint64_t) len);
}

void
_Exit(int status)
{
	exit(status);
}

void
quick_exit(int status)
{
	exit(status);
}

void
__tmebox_assert_fail(const char *expr, const char *file, int line)
{
	char		msg[TMEBOX_MESSAGE_MAX];
	int			len;

	len = snprintf(msg, sizeof msg, "assertion failed: %s (%s:%d)",
				   expr, file, line);
	if (len < 0)
		len = 0;
	if ((size_t) len >= sizeof msg)
		len = sizeof msg - 1;
	__tmebox_host_error(msg, (uint64_t) len);
}
