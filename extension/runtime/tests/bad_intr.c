/*-------------------------------------------------------------------------
 *
 * bad_intr.c
 *		Refused module: defines __tmebox_intr, the interrupt-flag slot of
 *		the older ABI whose compiled code polled it (the runtime no longer
 *		fills it: the polls would read a NULL pointer).
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

EXPORT const volatile int32_t *__tmebox_intr;

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
