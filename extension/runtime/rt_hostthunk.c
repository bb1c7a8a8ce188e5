/*-------------------------------------------------------------------------
 *
 * rt_hostthunk.c
 *		The thunks sandboxed code calls instead of the host functions of
 *		rt_hostcall.c: each calls its function through rt_host_real[] and,
 *		on the way back into the sandbox, clears every caller-saved
 *		register the result does not occupy.
 *
 * Why: host code (PostgreSQL's ereport, snprintf, libm) leaves its own
 * values in rax, rcx, rdx, rsi, rdi, r8-r11 and xmm0-15 when it returns:
 * pointers into the server and fragments of whatever it copied.  Sandboxed
 * C that reads an uninitialised variable after a host call (`double d;
 * tmebox_log(...); return d;` compiles to nothing but a return) would hand
 * them to the tenant.
 *
 * Invariants:
 *	- Every slot of a module's host table points at a thunk
 *	  (rt_fill_hosttab), a slot without a host function at
 *	  rt_host_thunk_bad, which runs on the host stack too; a thunk returns with only its result register
 *	  holding anything but zero: rax zero-extended from the result's width
 *	  for integers, xmm0 with its upper bits zero for float and double.
 *	  Callee-saved registers are the sandbox's own: the host function
 *	  restores them.
 *	- Host functions run on the backend's own stack, never on the native
 *	  sandbox stack, whose depth the tenant controls: the thunk keeps the
 *	  sandbox's %rsp in rt_sbx_sp (runtime data, out of the sandbox's
 *	  reach), switches to rt_host_sp (the host's %rsp at the sandbox
 *	  entry, saved by the entry trampolines: everything below it is free),
 *	  calls, and switches back.  So PostgreSQL code a host call runs
 *	  (ereport, palloc, CHECK_FOR_INTERRUPTS) sees its real stack and its
 *	  own check_stack_depth(), a fault in it is never taken for the
 *	  sandbox's (rt_signal.c), and an ERROR it raises longjmps out of the
 *	  sandbox on the host stack like any ERROR: the language layer unwinds
 *	  the runtime (tmebox_rt_unwind) before the next call.
 *	- rt_sbx_sp is non-zero exactly while a host function runs (calls
 *	  never nest); rt_fail and tmebox_rt_unwind clear it when a call ends
 *	  early.
 *	- After the host function returns, the thunk checks the host's
 *	  interrupt flag (sandboxed code does not poll): when it is set,
 *	  rt_poll_interrupt decides on the host stack, and may end the call.
 *	  A signal that lands in the thunks' own code, [rt_thunk_text_lo,
 *	  rt_thunk_text_hi) (after that check, on the way back into the
 *	  sandbox, red team s10 redB F1), is taken by rt_intr_handler as one
 *	  in sandboxed code: ending the call there is as safe as in the
 *	  module (the host function has not started or has returned; only
 *	  host functions and rt_poll_interrupt lie outside the range).
 *	- Host calls take at most six integer and eight vector arguments (all
 *	  in registers, TMEBOX_HOSTCALLS), so switching stacks moves no
 *	  argument.
 *
 *-------------------------------------------------------------------------
 */
#include "rt_internal.h"

RT_HIDDEN void *rt_host_real[TMEBOX_HOST_COUNT];
RT_HIDDEN uint64_t rt_host_sp;
RT_HIDDEN volatile uint64_t rt_sbx_sp;

/* the exit each return type takes */
#define RT_EXIT_void		"rt_host_ret_void"
#define RT_EXIT_int32_t		"rt_host_ret_i32"
#define RT_EXIT_uint64_t	"rt_host_ret_i64"
#define RT_EXIT_double		"rt_host_ret_f64"
#define RT_EXIT_float		"rt_host_ret_f32"

#define RT_STR(x) #x
#define RT_XSTR(x) RT_STR(x)
#define RT_THUNK_ASM(idx, name, ret, params) \
		"	.p2align 4\n" \
		"rt_host_thunk_" RT_STR(idx) ":\n" \
		"	movq	%rsp, rt_sbx_sp(%rip)\n" \
		"	movq	rt_host_sp(%rip), %rsp\n" \
		"	andq	$-16, %rsp\n" \
		"	callq	*rt_host_real+8*" RT_STR(idx) "(%rip)\n" \
		"	movq	rt_intr_flag(%rip), %rcx\n" \
		"	cmpl	$0, (%rcx)\n" \
		"	je	1f\n" \
		"	callq	rt_thunk_poll\n" \
		"1:	movq	rt_sbx_sp(%rip), %rsp\n" \
		"	movq	$0, rt_sbx_sp(%rip)\n" \
		"	jmp	" RT_EXIT_##ret "\n"

#define RT_CLEAR_SCRATCH_GPRS \
		"	xorl	%ecx, %ecx\n" \
		"	xorl	%edx, %edx\n" \
		"	xorl	%esi, %esi\n" \
		"	xorl	%edi, %edi\n" \
		"	xorl	%r8d, %r8d\n" \
		"	xorl	%r9d, %r9d\n" \
		"	xorl	%r10d, %r10d\n" \
		"	xorl	%r11d, %r11d\n"
#define RT_CLEAR_XMM1_15 \
		RT_ASM_CLEAR_XMM1_7 \
		RT_ASM_CLEAR_XMM8_15

__asm__(
		"	.text\n"
		/* everything up to rt_thunk_text_hi: rt_intr_window */
		"	.globl	rt_thunk_text_lo\n"
		"	.hidden	rt_thunk_text_lo\n"
		"rt_thunk_text_lo:\n"
		/*
		 * rt_thunk_poll: the interrupt flag was set while a host function
		 * ran; rt_poll_interrupt decides (on the host stack), keeping the
		 * host function's result (rax, xmm0) across the call, and again
		 * when a signal landed during the poll (rt_intr_late).
		 */
		"	.p2align 4\n"
		"rt_thunk_poll:\n"
		"	subq	$24, %rsp\n"
		"	movq	%rax, 0(%rsp)\n"
		"	movq	%xmm0, 8(%rsp)\n"
		"4:	callq	rt_poll_interrupt\n"
		"	cmpl	$0, rt_intr_late(%rip)\n"
		"	jne	4b\n"
		"	movq	0(%rsp), %rax\n"
		"	movq	8(%rsp), %xmm0\n"
		"	addq	$24, %rsp\n"
		"	retq\n"
		TMEBOX_HOSTCALLS(RT_THUNK_ASM)
		/*
		 * rt_host_thunk_bad: every slot without a host function.  Like
		 * the thunks, it leaves the sandbox stack first (the call's return
		 * address is all that lands there: the verifier's stack bound
		 * counts on it), then ends the call through the trap host function
		 * (slot 0) with TMEBOX_TRAP_BAD_CALL.
		 */
		"	.globl	rt_host_thunk_bad\n"
		"	.hidden	rt_host_thunk_bad\n"
		"	.p2align 4\n"
		"rt_host_thunk_bad:\n"
		"	movq	%rsp, rt_sbx_sp(%rip)\n"
		"	movq	rt_host_sp(%rip), %rsp\n"
		"	andq	$-16, %rsp\n"
		"	movl	$" RT_XSTR(TMEBOX_TRAP_BAD_CALL) ", %edi\n"
		"	callq	*rt_host_real(%rip)\n"
		"	ud2\n"
		/* void: nothing to keep */
		"	.p2align 4\n"
		"rt_host_ret_void:\n"
		"	xorl	%eax, %eax\n"
		"	jmp	rt_host_ret_i64\n"
		/* int32_t: eax, upper half of rax cleared */
		"	.p2align 4\n"
		"rt_host_ret_i32:\n"
		"	movl	%eax, %eax\n"
		/* uint64_t: rax */
		"rt_host_ret_i64:\n"
		RT_CLEAR_SCRATCH_GPRS
		"	pxor	%xmm0, %xmm0\n"
		RT_CLEAR_XMM1_15
		"	retq\n"
		/* float: low 32 bits of xmm0 */
		"	.p2align 4\n"
		"rt_host_ret_f32:\n"
		"	movd	%xmm0, %eax\n"
		"	movd	%eax, %xmm0\n"
		"	jmp	rt_host_ret_fp\n"
		/* double: low 64 bits of xmm0 */
		"	.p2align 4\n"
		"rt_host_ret_f64:\n"
		"	movq	%xmm0, %xmm0\n"
		"rt_host_ret_fp:\n"
		"	xorl	%eax, %eax\n"
		RT_CLEAR_SCRATCH_GPRS
		RT_CLEAR_XMM1_15
		"	retq\n"
		"	.globl	rt_thunk_text_hi\n"
		"	.hidden	rt_thunk_text_hi\n"
		"rt_thunk_text_hi:\n");

#define RT_THUNK_DECL(idx, name, ret, params) \
	extern RT_HIDDEN void rt_host_thunk_##idx(void) __asm__("rt_host_thunk_" RT_STR(idx));
TMEBOX_HOSTCALLS(RT_THUNK_DECL)

/* The thunk of slot idx, or NULL if the slot has no host function. */
void		(*rt_host_thunk(int idx)) (void)
{
	switch (idx)
	{
#define RT_THUNK_CASE(idx, name, ret, params) case idx: return rt_host_thunk_##idx;
			TMEBOX_HOSTCALLS(RT_THUNK_CASE)
#undef RT_THUNK_CASE
		default:
			return NULL;
	}
}
