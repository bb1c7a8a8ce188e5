/*-------------------------------------------------------------------------
 *
 * bad_bt.c
 *		Refused module: its export tests a bit of a stack slot with a
 *		REGISTER bit offset, `bt %reg, (%rsp)`.  The CPU reads the word at
 *		(%rsp) + 8 * (offset >> 6), anywhere in the process (red team s4,
 *		F1: it read and wrote the host's memory); the loader's verifier
 *		(tvf_verify_roots) must refuse it.
 *
 * Invariant: apart from that one instruction it is a valid module that
 * the verifier accepts (built like mod_test: no jump tables, sibling
 * calls or red zone, a trap after calls that do not return, %gs operands
 * with 32-bit address size), so the refusal can only come from the rule
 * under test.  Without the rule `tmebox-run bad_bt.tmebox f 1` prints 0.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

EXPORT int32_t
__tmebox_export_f(int32_t x)
{
	uint8_t		r;

	POLL();
	/* a zero stack slot; bit x counted from it */
	__asm__ volatile("pushq $0\n\t"
					 "btq %q1, (%%rsp)\n\t"
					 "setc %0\n\t"
					 "popq %%rcx"
					 : "=q"(r) : "r"((int64_t) x) : "rcx", "cc", "memory");
	return r;
}
