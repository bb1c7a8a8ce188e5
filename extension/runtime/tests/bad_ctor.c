/*-------------------------------------------------------------------------
 *
 * bad_ctor.c
 *		Refused module: has a constructor (DT_INIT_ARRAY).
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

__attribute__((constructor)) static void
ctor(void)
{
	H_TRAP(0);				/* not foldable: clang must keep the ctor */
}

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
