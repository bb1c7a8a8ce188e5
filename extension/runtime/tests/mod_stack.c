/*-------------------------------------------------------------------------
 *
 * mod_stack.c
 *		Hand-written test module for the native sandbox stack (test_native):
 *		functions that read what the verifier lets a function read there
 *		without writing it first.  Its metadata is mod_stack.meta.
 *
 *	above():			OR of the 256 bytes above its return address (the
 *						most the verifier lets a function read there)
 *	above7(a1..a7):		the same above its one stack argument (libffi path,
 *						an odd number of stack slots)
 *	above8(a1..a8):		the same above its two stack arguments
 *	fill(v):			stores v into a 2048-byte frame
 *	dump():				copies its 2048-byte frame, unwritten, to the view's
 *						bss (G_BSS), where the host reads it
 *
 * These are assembly (.rept: one instruction per 8 bytes), because
 * compiled C never reads a slot it did not write: what compiled code
 * cannot do, the verifier still allows, and that is what is tested.  No
 * recursion, so the module's native-stack bound is known (2048 bytes and
 * a little): a tenant switch clears it with memset (rt_stack.c).
 *
 * Invariant: every memory operand is %rsp-relative inside the frame or
 * the 256 bytes above the return address, or %gs-relative (gs32.pl gives
 * it 32-bit address size), as the verifier requires.
 *
 *-------------------------------------------------------------------------
 */
#include "mod_common.h"

_Static_assert(G_BSS == 0x110040, "dump's assembly writes the bss at 0x110040");
_Static_assert(RT_BSS_SIZE >= 2048, "dump's frame fits the bss");

/* the start of an exported function */
#define FN(name) \
		"	.globl	__tmebox_export_" #name "\n" \
		"	.protected	__tmebox_export_" #name "\n" \
		"	.type	__tmebox_export_" #name ", @function\n" \
		"	.p2align 4\n" \
		"__tmebox_export_" #name ":\n"
#define END(name) \
		"	.size	__tmebox_export_" #name ", .-__tmebox_export_" #name "\n"
/* %rax = OR of the 8-byte words at [%rsp + from, %rsp + 264) */
#define OR_ABOVE(from) \
		"	xorl	%eax, %eax\n" \
		"	off = " #from "\n" \
		"	.rept (264 - " #from ") / 8\n" \
		"	orq	off(%rsp), %rax\n" \
		"	off = off + 8\n" \
		"	.endr\n"

__asm__(
		"	.text\n"
		FN(above) OR_ABOVE(8) "	retq\n" END(above)
		FN(above7) OR_ABOVE(16) "	retq\n" END(above7)
		FN(above8) OR_ABOVE(24) "	retq\n" END(above8)
		FN(fill)
		"	subq	$2048, %rsp\n"
		"	off = 0\n"
		"	.rept 256\n"
		"	movq	%rdi, off(%rsp)\n"
		"	off = off + 8\n"
		"	.endr\n"
		"	addq	$2048, %rsp\n"
		"	retq\n"
		END(fill)
		FN(dump)
		"	subq	$2048, %rsp\n"
		"	off = 0\n"
		"	.rept 256\n"
		"	movq	off(%rsp), %rax\n"
		"	movq	%rax, %gs:0x110040 + off\n"	/* gs32.pl: addr32 */
		"	off = off + 8\n"
		"	.endr\n"
		"	xorl	%eax, %eax\n"
		"	addq	$2048, %rsp\n"
		"	retq\n"
		END(dump));
