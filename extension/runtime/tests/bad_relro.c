/*-------------------------------------------------------------------------
 *
 * bad_relro.c
 *		Refused module: its host table lies in RELRO (read-only after load).
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#define RT_HOSTTAB_ATTR __attribute__((section(".data.rel.ro")))
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
