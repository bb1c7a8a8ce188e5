/*-------------------------------------------------------------------------
 *
 * bad_version.c
 *		Refused module: __tmebox_layout has another ABI version.
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#define RT_LAYOUT_VERSION 99
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
