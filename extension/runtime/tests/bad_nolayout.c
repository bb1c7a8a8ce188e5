/*-------------------------------------------------------------------------
 *
 * bad_nolayout.c
 *		Refused module: does not define __tmebox_layout.
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#define RT_NO_LAYOUT
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
