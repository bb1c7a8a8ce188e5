/*-------------------------------------------------------------------------
 *
 * v1_hosttab.c
 *		Accepted module: its host table has the first ABI's size (a module
 *		stored before host calls were added): it loads, the runtime fills
 *		only its slots, and the verifier refuses calls past them.
 *
 * Invariant: apart from its host table's size it is a valid module
 * (export f), so loading it tests only the table-size rule.
 *
 *-------------------------------------------------------------------------
 */
#define RT_HOSTTAB_SLOTS TMEBOX_HOST_COUNT_V1
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
