/*-------------------------------------------------------------------------
 *
 * bad_undef.c
 *		Refused module: references an undefined symbol.
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

extern void evil(void);

EXPORT void
call_evil(void)
{
	evil();
}

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
