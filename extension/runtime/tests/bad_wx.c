/*-------------------------------------------------------------------------
 *
 * bad_wx.c
 *		Refused module: has a writable and executable segment.
 *
 * Invariant: apart from that one defect it is a valid module (export f),
 * so the refusal can only come from the check under test.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

__asm__(".section .wxdata,\"awx\",@progbits\n.byte 0xc3\n.text\n");

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	POLL();
	return x + 1;
}
