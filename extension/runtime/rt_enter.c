/*-------------------------------------------------------------------------
 *
 * rt_enter.c
 *		Process-wide runtime state, %gs management, the native sandbox
 *		stack, the stack-switching trampoline and leaving a sandbox early
 *		(faults raised by host calls).
 *
 * Invariants:
 *	- rt_st.gs_cached always equals the real %gs base: %gs is only ever
 *	  written through rt_set_gs.  Host code never uses %gs, so the base is
 *	  left at the last view after a call (no write on the way out).
 *	- There is one native sandbox stack per process (calls never nest, see
 *	  tmebox_rt.h): [stack_lo, stack_hi) read-write with an unmapped guard
 *	  [guard_lo, stack_lo) below it; each entry starts at rt_entry_top, so
 *	  a fault can abandon it without cleanup.  Two VMAs in all, whatever
 *	  the number of instances.
 *	- Host data on the native sandbox stack is out of sandboxed code's
 *	  reach.  What the host writes there: rt_fast_call's three saved values
 *	  (the host's %rsp, the rt_fast pointer, the export), in the top
 *	  RT_ENTRY_SAVE bytes, above the RT_ENTRY_ZERO bytes that nothing ever
 *	  writes (so the 256 bytes a function may read above its return address
 *	  hold stack arguments and zeros: the verifier allows no load higher);
 *	  the entry's return address (runtime code) and, on the libffi path,
 *	  the export's stack arguments, copied by rt_clean_entry (libffi itself
 *	  runs on the host's stack).  Nothing else: host calls run on the
 *	  host's stack (rt_hostthunk.c: only the sandbox's call leaves its
 *	  return address, module code), and the runtime's signal handlers, and
 *	  every other handler once tmebox_rt_handlers_onstack has added
 *	  SA_ONSTACK, run on the alternate signal stack.  A handler the host
 *	  installs without SA_ONSTACK between two of the host's calls of
 *	  tmebox_rt_handlers_onstack gets its signal frame below the sandbox's
 *	  %rsp (the kernel's frame: the sandbox's own registers, and the
 *	  address of libc's signal return) until then.
 *	- What one domain (tenant) left on the native sandbox stack is gone
 *	  before another's code runs there (rt_stack.c, rt_stack_enter in both
 *	  entry paths).  Sandboxed code can still read return addresses below
 *	  the ones it was called with, and a callee the export's own (all
 *	  module or runtime code addresses).
 *	- rt_leave* are only called while rt_st.cur != NULL (inside a call).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <asm/prctl.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt_internal.h"
#include "tvf.h"

/* AddressSanitizer builds (extension/fuzz): see rt_stack_abandoned. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(RT_ASAN)
#define RT_ASAN 1
#endif
#ifdef RT_ASAN
#include <sanitizer/asan_interface.h>
#endif

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif

RT_HIDDEN rt_state rt_st;
RT_HIDDEN uint8_t *rt_entry_top;
RT_HIDDEN volatile int32_t rt_own_flag;
RT_HIDDEN volatile int32_t rt_intr_late;
RT_HIDDEN const volatile int32_t *rt_intr_flag = &rt_own_flag;

/*
 * Entering sandboxed code, the host's registers must not go with it: the
 * callee-saved ones (rbx, rbp, r12-r15) hold PostgreSQL's pointers and
 * r10, r11 and xmm8-15 whatever host code last left there (a C function
 * that reads an uninitialised variable could return them: an address-space
 * leak, or host data from a vector copy).  Both ways in clear them:
 * rt_fast_call after loading the argument registers, rt_clean_entry in
 * front of libffi's call.  The values needed on the way back are kept
 * where sandboxed code cannot address them: on the native sandbox stack
 * above the entry frame (rt_fast_call) or in the runtime's own data
 * (rt_clean_entry).  Sandboxed code is compiled for x86-64-v2 (no AVX), so
 * the upper halves of the ymm registers are out of its reach.
 *
 * rt_fast_call(f): switch to f->stack_top (rt_entry_top), load the six
 * integer and eight vector argument registers from *f, clear every other
 * general and xmm8-15 register, call f->fn, store %rax and %xmm0 back into
 * *f, return on the caller's stack; rt_host_sp gets the host's %rsp below
 * the saved registers (where host calls run).  The caller's %rsp, f and
 * f->fn go at the very top of the native sandbox stack
 * (rt_internal.h, RT_ENTRY_*), RT_ENTRY_ZERO bytes above entry_top: the
 * callee's return address goes just below entry_top, and the stack
 * arguments it may read above it (TVF_MAX_STACK_ARGS) end before them, in
 * bytes nothing writes (three stores per call, as before).
 *
 * Both ways in poll the interrupt flag as their last step before the
 * sandbox (red team s10 redB F1): a signal that arrived in host code after
 * the runtime's earlier checks (a long argument copy, the native stack's
 * clearing) is seen here, and rt_poll_interrupt decides on the host stack.
 * A signal that arrives after this check, from NAME_w_lo (the instruction
 * after the compare) up to and including the call at NAME_w_hi, is taken
 * by rt_intr_handler as one in sandboxed code (rt_intr_window): leaving
 * from there is safe (rt_longjmp restores the host's registers from
 * rt_st.env), so no signal is lost between the last poll and the module.
 * One that lands in the poll itself (host code, after the host's handler
 * looked at its flags) sets rt_intr_late, and the trampoline polls again.
 */
_Static_assert(offsetof(rt_fast, xmm) == 48 && offsetof(rt_fast, fn) == 112 &&
			   offsetof(rt_fast, stack_top) == 120 && offsetof(rt_fast, rax) == 128 &&
			   offsetof(rt_fast, xmm0) == 136, "rt_fast layout used by assembly");
_Static_assert(RT_ENTRY_ZERO >= TVF_MAX_STACK_ARGS &&
			   RT_ENTRY_FN_OFF == RT_ENTRY_ZERO && RT_ENTRY_F_OFF == RT_ENTRY_FN_OFF + 8 &&
			   RT_ENTRY_SP_OFF == RT_ENTRY_F_OFF + 8 &&
			   RT_ENTRY_SP_OFF + 8 <= RT_ENTRY_ZERO + RT_ENTRY_SAVE &&
			   (RT_ENTRY_ZERO + RT_ENTRY_SAVE) % 16 == 0,
			   "native stack top (rt_internal.h)");
_Static_assert(RT_ENTRY_SP_OFF == 272, "the CFI expression of rt_fast_call reads 272(%rsp)");
#define RT_XSTR_(x) #x
#define RT_XSTR(x) RT_XSTR_(x)
#define RT_CLEAR_HOST_REGS \
		"	xorl	%ebx, %ebx\n" \
		"	xorl	%ebp, %ebp\n" \
		"	xorl	%r10d, %r10d\n" \
		"	xorl	%r11d, %r11d\n" \
		"	xorl	%r12d, %r12d\n" \
		"	xorl	%r13d, %r13d\n" \
		"	xorl	%r14d, %r14d\n" \
		"	xorl	%r15d, %r15d\n" \
		RT_ASM_CLEAR_XMM8_15
#define RT_LOAD_XMM_ARGS \
		"	movq	48(%rdi), %xmm0\n" \
		"	movq	56(%rdi), %xmm1\n" \
		"	movq	64(%rdi), %xmm2\n" \
		"	movq	72(%rdi), %xmm3\n" \
		"	movq	80(%rdi), %xmm4\n" \
		"	movq	88(%rdi), %xmm5\n" \
		"	movq	96(%rdi), %xmm6\n" \
		"	movq	104(%rdi), %xmm7\n"
#define RT_ZERO_XMM_ARGS \
		"	pxor	%xmm0, %xmm0\n" \
		RT_ASM_CLEAR_XMM1_7
#define RT_FAST_CALL_ASM(name, xmm_args) \
		"	.text\n" \
		"	.globl	" name "\n" \
		"	.hidden	" name "\n" \
		"	.type	" name ", @function\n" \
		"	.p2align 4\n" \
		name ":\n" \
		"	.cfi_startproc\n" \
		"	pushq	%rbp\n" \
		"	.cfi_def_cfa_offset 16\n" \
		"	.cfi_offset %rbp, -16\n" \
		"	pushq	%rbx\n" \
		"	.cfi_def_cfa_offset 24\n" \
		"	.cfi_offset %rbx, -24\n" \
		"	pushq	%r12\n" \
		"	.cfi_def_cfa_offset 32\n" \
		"	.cfi_offset %r12, -32\n" \
		"	pushq	%r13\n" \
		"	.cfi_def_cfa_offset 40\n" \
		"	.cfi_offset %r13, -40\n" \
		"	pushq	%r14\n" \
		"	.cfi_def_cfa_offset 48\n" \
		"	.cfi_offset %r14, -48\n" \
		"	pushq	%r15\n" \
		"	.cfi_def_cfa_offset 56\n" \
		"	.cfi_offset %r15, -56\n" \
		/* the last interrupt poll before the entry (see below) */ \
		"	movq	rt_intr_flag(%rip), %rax\n" \
		"	cmpl	$0, (%rax)\n" \
		"	.globl	" name "_w_lo\n" \
		"	.hidden	" name "_w_lo\n" \
		name "_w_lo:\n" \
		"	je	1f\n" \
		"	pushq	%rdi\n" \
		"	.cfi_adjust_cfa_offset 8\n" \
		"4:	callq	rt_poll_interrupt\n" \
		"	cmpl	$0, rt_intr_late(%rip)\n" \
		"	jne	4b\n" \
		"	popq	%rdi\n" \
		"	.cfi_adjust_cfa_offset -8\n" \
		"1:	movq	%rsp, rt_host_sp(%rip)\n" \
		"	movq	120(%rdi), %rax\n" \
		"	movq	%rsp, " RT_XSTR(RT_ENTRY_SP_OFF) "(%rax)\n" \
		"	movq	%rdi, " RT_XSTR(RT_ENTRY_F_OFF) "(%rax)\n" \
		"	movq	112(%rdi), %rcx\n" \
		"	movq	%rcx, " RT_XSTR(RT_ENTRY_FN_OFF) "(%rax)\n" \
		"	movq	%rax, %rsp\n" \
		/* CFA = the saved caller %rsp (at 272(%rsp)) + 56: DW_CFA_def_cfa_expression, \
		 * 6 bytes: DW_OP_breg7 (rsp) SLEB128 272 (0x90 0x02), DW_OP_deref, \
		 * DW_OP_plus_uconst 56 */ \
		"	.cfi_escape 0x0f, 0x06, 0x77, 0x90, 0x02, 0x06, 0x23, 0x38\n" \
		xmm_args \
		"	movq	8(%rdi), %rsi\n" \
		"	movq	16(%rdi), %rdx\n" \
		"	movq	24(%rdi), %rcx\n" \
		"	movq	32(%rdi), %r8\n" \
		"	movq	40(%rdi), %r9\n" \
		"	movq	0(%rdi), %rdi\n" \
		RT_CLEAR_HOST_REGS \
		"	movl	$8, %eax\n" \
		"	.globl	" name "_w_hi\n" \
		"	.hidden	" name "_w_hi\n" \
		name "_w_hi:\n" \
		"	callq	*" RT_XSTR(RT_ENTRY_FN_OFF) "(%rsp)\n" \
		"	movq	" RT_XSTR(RT_ENTRY_F_OFF) "(%rsp), %rdi\n" \
		"	movq	%rax, 128(%rdi)\n" \
		"	movq	%xmm0, 136(%rdi)\n" \
		"	movq	" RT_XSTR(RT_ENTRY_SP_OFF) "(%rsp), %rsp\n" \
		"	.cfi_def_cfa %rsp, 56\n" \
		"	popq	%r15\n" \
		"	.cfi_def_cfa_offset 48\n" \
		"	popq	%r14\n" \
		"	.cfi_def_cfa_offset 40\n" \
		"	popq	%r13\n" \
		"	.cfi_def_cfa_offset 32\n" \
		"	popq	%r12\n" \
		"	.cfi_def_cfa_offset 24\n" \
		"	popq	%rbx\n" \
		"	.cfi_def_cfa_offset 16\n" \
		"	popq	%rbp\n" \
		"	.cfi_def_cfa_offset 8\n" \
		"	retq\n" \
		"	.cfi_endproc\n" \
		"	.size	" name ", .-" name "\n"

__asm__(RT_FAST_CALL_ASM("rt_fast_call", RT_LOAD_XMM_ARGS));

/* rt_fast_call_int(f): the same when no argument travels in a vector
 * register: xmm0-7 are cleared instead of loaded (f->xmm is not read). */
__asm__(RT_FAST_CALL_ASM("rt_fast_call_int", RT_ZERO_XMM_ARGS));

/*
 * rt_clean_entry: called by libffi's ffi_call, on the host's stack, exactly
 * like rt_clean_target (the export: arguments in registers and
 * rt_clean_nstack bytes of them on the stack above the return address);
 * keeps the return address, the callee-saved registers and the host's
 * %rsp in rt_clean_save, copies the stack arguments to the native sandbox
 * stack just below entry_top (16-byte aligned; the slot that alignment
 * leaves free at entry_top - 8 is zeroed), switches to it, clears the
 * host's registers, calls rt_clean_target, then restores and returns on
 * the host's stack.  So libffi and the runtime leave nothing on the native
 * sandbox stack but the arguments and the return address: the callee's
 * reach above its return address (TVF_MAX_STACK_ARGS) holds its own stack
 * arguments, then zeros (RT_ENTRY_ZERO above entry_top).  rt_host_sp gets
 * the host's %rsp: host calls run below libffi's frames.  The copy uses
 * only registers that are cleared before the call (rax, r10, r11, rbx),
 * never an argument register.  Like rt_fast_call it polls the interrupt
 * flag first (keeping the argument registers across a poll that returns),
 * and rt_clean_entry_w_lo..rt_clean_entry_w_hi is its window after the
 * poll.  Calls never nest (tmebox_rt.h), so one save
 * area serves; a fault leaves through rt_longjmp, which restores the
 * host's registers itself.  No unwind information: nothing unwinds
 * through it.
 */
RT_HIDDEN void *rt_clean_target;
RT_HIDDEN uint64_t rt_clean_nstack;
RT_HIDDEN uint64_t rt_clean_save[8];
__asm__(
		"	.text\n"
		"	.globl	rt_clean_entry\n"
		"	.hidden	rt_clean_entry\n"
		"	.type	rt_clean_entry, @function\n"
		"	.p2align 4\n"
		"rt_clean_entry:\n"
		"	movq	rt_intr_flag(%rip), %rax\n"
		"	cmpl	$0, (%rax)\n"
		"	.globl	rt_clean_entry_w_lo\n"
		"	.hidden	rt_clean_entry_w_lo\n"
		"rt_clean_entry_w_lo:\n"
		"	je	1f\n"
		/* keep the argument registers across the poll (%rsp + 8 aligned) */
		"	subq	$120, %rsp\n"
		"	movq	%rdi, 0(%rsp)\n"
		"	movq	%rsi, 8(%rsp)\n"
		"	movq	%rdx, 16(%rsp)\n"
		"	movq	%rcx, 24(%rsp)\n"
		"	movq	%r8, 32(%rsp)\n"
		"	movq	%r9, 40(%rsp)\n"
		"	movq	%xmm0, 48(%rsp)\n"
		"	movq	%xmm1, 56(%rsp)\n"
		"	movq	%xmm2, 64(%rsp)\n"
		"	movq	%xmm3, 72(%rsp)\n"
		"	movq	%xmm4, 80(%rsp)\n"
		"	movq	%xmm5, 88(%rsp)\n"
		"	movq	%xmm6, 96(%rsp)\n"
		"	movq	%xmm7, 104(%rsp)\n"
		"4:	callq	rt_poll_interrupt\n"
		"	cmpl	$0, rt_intr_late(%rip)\n"
		"	jne	4b\n"
		"	movq	0(%rsp), %rdi\n"
		"	movq	8(%rsp), %rsi\n"
		"	movq	16(%rsp), %rdx\n"
		"	movq	24(%rsp), %rcx\n"
		"	movq	32(%rsp), %r8\n"
		"	movq	40(%rsp), %r9\n"
		"	movq	48(%rsp), %xmm0\n"
		"	movq	56(%rsp), %xmm1\n"
		"	movq	64(%rsp), %xmm2\n"
		"	movq	72(%rsp), %xmm3\n"
		"	movq	80(%rsp), %xmm4\n"
		"	movq	88(%rsp), %xmm5\n"
		"	movq	96(%rsp), %xmm6\n"
		"	movq	104(%rsp), %xmm7\n"
		"	addq	$120, %rsp\n"
		"1:	popq	rt_clean_save+48(%rip)\n"
		"	movq	%rbx, rt_clean_save+0(%rip)\n"
		"	movq	%rbp, rt_clean_save+8(%rip)\n"
		"	movq	%r12, rt_clean_save+16(%rip)\n"
		"	movq	%r13, rt_clean_save+24(%rip)\n"
		"	movq	%r14, rt_clean_save+32(%rip)\n"
		"	movq	%r15, rt_clean_save+40(%rip)\n"
		"	movq	%rsp, rt_clean_save+56(%rip)\n"
		"	movq	%rsp, rt_host_sp(%rip)\n"
		"	movq	rt_entry_top(%rip), %rbx\n"
		"	movq	$0, -8(%rbx)\n"
		"	movq	rt_clean_nstack(%rip), %r11\n"
		"	subq	%r11, %rbx\n"
		"	andq	$-16, %rbx\n"
		"	testq	%r11, %r11\n"
		"	jz	3f\n"
		"2:	subq	$8, %r11\n"
		"	movq	(%rsp,%r11), %r10\n"
		"	movq	%r10, (%rbx,%r11)\n"
		"	jnz	2b\n"
		"3:	movq	%rbx, %rsp\n"
		RT_CLEAR_HOST_REGS
		"	movl	$8, %eax\n"
		"	.globl	rt_clean_entry_w_hi\n"
		"	.hidden	rt_clean_entry_w_hi\n"
		"rt_clean_entry_w_hi:\n"
		"	callq	*rt_clean_target(%rip)\n"
		"	movq	rt_clean_save+56(%rip), %rsp\n"
		"	movq	rt_clean_save+0(%rip), %rbx\n"
		"	movq	rt_clean_save+8(%rip), %rbp\n"
		"	movq	rt_clean_save+16(%rip), %r12\n"
		"	movq	rt_clean_save+24(%rip), %r13\n"
		"	movq	rt_clean_save+32(%rip), %r14\n"
		"	movq	rt_clean_save+40(%rip), %r15\n"
		"	pushq	rt_clean_save+48(%rip)\n"
		"	retq\n"
		"	.size	rt_clean_entry, .-rt_clean_entry\n");

/* rt_setjmp(env): 0 now, 1 when rt_longjmp(env) comes back here. */
_Static_assert(offsetof(rt_jmpbuf, rsp) == 48 && offsetof(rt_jmpbuf, rip) == 56,
			   "rt_jmpbuf layout used by assembly");
__asm__(
		"	.text\n"
		"	.globl	rt_setjmp\n"
		"	.hidden	rt_setjmp\n"
		"	.type	rt_setjmp, @function\n"
		"	.p2align 4\n"
		"rt_setjmp:\n"
		"	.cfi_startproc\n"
		"	movq	(%rsp), %rax\n"
		"	movq	%rbx, 0(%rdi)\n"
		"	movq	%rbp, 8(%rdi)\n"
		"	movq	%r12, 16(%rdi)\n"
		"	movq	%r13, 24(%rdi)\n"
		"	movq	%r14, 32(%rdi)\n"
		"	movq	%r15, 40(%rdi)\n"
		"	leaq	8(%rsp), %rdx\n"
		"	movq	%rdx, 48(%rdi)\n"
		"	movq	%rax, 56(%rdi)\n"
		"	xorl	%eax, %eax\n"
		"	retq\n"
		"	.cfi_endproc\n"
		"	.size	rt_setjmp, .-rt_setjmp\n"
		"\n"
		"	.globl	rt_longjmp\n"
		"	.hidden	rt_longjmp\n"
		"	.type	rt_longjmp, @function\n"
		"	.p2align 4\n"
		"rt_longjmp:\n"
		"	movq	0(%rdi), %rbx\n"
		"	movq	8(%rdi), %rbp\n"
		"	movq	16(%rdi), %r12\n"
		"	movq	24(%rdi), %r13\n"
		"	movq	32(%rdi), %r14\n"
		"	movq	40(%rdi), %r15\n"
		"	movq	48(%rdi), %rsp\n"
		"	movl	$1, %eax\n"
		"	jmpq	*56(%rdi)\n"
		"	.size	rt_longjmp, .-rt_longjmp\n");

static uintptr_t
rt_get_gs(void)
{
	unsigned long base = 0;

	if (rt_st.have_fsgsbase)
	{
		__asm__ volatile ("rdgsbase %0":"=r" (base));
		return base;
	}
	if (syscall(SYS_arch_prctl, ARCH_GET_GS, &base) != 0)
		return 0;
	return base;
}

void
rt_set_gs_slow(uintptr_t base)
{
	if (rt_st.have_fsgsbase)
		__asm__ volatile ("wrgsbase %0"::"r" (base):"memory");
	else
		syscall(SYS_arch_prctl, ARCH_SET_GS, base);
	rt_st.gs_cached = base;
}

int
tmebox_rt_init(size_t native_stack_size, char *err, size_t errlen)
{
	uint8_t    *m;
	size_t		size;

	if (rt_st.initialised)
		return 0;
	size = native_stack_size ? native_stack_size : RT_NATIVE_STACK_DEFAULT;
	size = (size + TMEBOX_PAGE_SIZE - 1) & ~(size_t) (TMEBOX_PAGE_SIZE - 1);
	if (size < 64 * 1024)
		size = 64 * 1024;

	rt_st.have_fsgsbase = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;
	rt_st.gs_cached = rt_get_gs();

	m = mmap(NULL, size + RT_NATIVE_GUARD, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
	{
		rt_errf(err, errlen, "could not reserve the native sandbox stack: %s",
				strerror(errno));
		return -1;
	}
	if (mprotect(m + RT_NATIVE_GUARD, size, PROT_READ | PROT_WRITE) != 0)
	{
		rt_errf(err, errlen, "could not commit the native sandbox stack: %s",
				strerror(errno));
		munmap(m, size + RT_NATIVE_GUARD);
		return -1;
	}
	rt_st.guard_lo = m;
	rt_st.stack_lo = m + RT_NATIVE_GUARD;
	rt_st.stack_hi = m + RT_NATIVE_GUARD + size;
	rt_entry_top = rt_st.stack_hi - RT_ENTRY_SAVE - RT_ENTRY_ZERO;

	if (rt_signal_init(err, errlen) < 0)
	{
		munmap(m, size + RT_NATIVE_GUARD);
		return -1;
	}
	rt_st.initialised = true;
	return 0;
}

/*
 * A fault abandoned the frames on the native sandbox stack.  Nothing to do
 * in a normal build.  Under AddressSanitizer, the abandoned frames of
 * instrumented host calls (rt_host_error's message buffer...) leave their
 * redzones poisoned in the shadow memory, and ASan cannot clean them up at
 * the jump out as it does for the thread's own stack (it does not know
 * this stack): the next frame placed there would report a false
 * stack-buffer-overflow.  So the whole stack is unpoisoned.
 */
void
rt_stack_abandoned(void)
{
#ifdef RT_ASAN
	if (rt_st.stack_lo != NULL)
		__asan_unpoison_memory_region(rt_st.stack_lo,
									  (size_t) (rt_st.stack_hi - rt_st.stack_lo));
#endif
}

/* End the current call with the fault already stored in rt_st.fault. */
void
rt_leave(void)
{
#ifdef RT_ASAN
	/* what ASan's siglongjmp interceptor does: forget this stack's frames */
	__asan_handle_no_return();
#endif
	rt_longjmp(&rt_st.env);
}

void
rt_leave_segv(uint64_t off)
{
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_SEGV;
	rt_st.fault.view_offset = off;
	rt_leave();
}

void
rt_leave_oom(uint64_t limit)
{
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_OUT_OF_MEMORY;
	rt_st.fault.mem_limit = limit;
	rt_leave();
}

void
tmebox_rt_set_interrupt_flag(const volatile int32_t *flag)
{
	rt_intr_flag = flag ? flag : &rt_own_flag;
}

void
tmebox_rt_request_interrupt(void)
{
	rt_own_flag = 1;
}

void
tmebox_rt_clear_interrupt(void)
{
	rt_own_flag = 0;
}

void
tmebox_rt_set_interrupt_handler(int (*handler) (void))
{
	rt_st.intr_handler = handler;
}

void
tmebox_rt_set_log_handler(void (*handler) (int level, const char *msg, size_t len))
{
	rt_st.log_handler = handler;
}

void
tmebox_rt_host_raised(void)
{
	if (rt_st.cur == NULL)
		return;
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_HOST_RAISED;
	rt_leave();
}

void
tmebox_rt_unwind(void)
{
	tmebox_instance *inst = rt_st.cur;

	if (inst != NULL)
		inst->needs_reset = true;
	rt_st.in_sandbox = 0;
	rt_st.cur = NULL;
	rt_sbx_sp = 0;
	rt_stack_abandoned();
}

bool
tmebox_rt_in_call(void)
{
	return rt_st.cur != NULL;
}
