/*-------------------------------------------------------------------------
 *
 * bad_smalltab.c
 *		Refused module: its host table has fewer slots than the first ABI's
 *		(TMEBOX_HOST_COUNT_V1).
 *
 * Invariant: apart from its host table's size it is a valid module
 * (export f), so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#define RT_HOSTTAB_SLOTS (TMEBOX_HOST_COUNT_V1 - 1)
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
