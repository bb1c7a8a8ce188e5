/*-------------------------------------------------------------------------
 *
 * bad_execstack.c
 *		Refused module: asks for an executable stack (PT_GNU_STACK PF_X).
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
