/*-------------------------------------------------------------------------
 *
 * bad_needed.c
 *		Refused module: depends on libm (DT_NEEDED).
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

extern double cos(double);

EXPORT double
use_cos(double x)
{
	return cos(x);
}

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
