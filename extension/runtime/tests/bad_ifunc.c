/*-------------------------------------------------------------------------
 *
 * bad_ifunc.c
 *		Refused module: has an IFUNC symbol (its resolver would run at load).
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

static void
impl(void)
{
}

static void *
resolve(void)
{
	return (void *) impl;
}

EXPORT void
ifn(void) __attribute__((ifunc("resolve")));

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
