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
 *	  [guard_lo, stack_lo) below it; each entry starts at stack_hi, so a
 *	  fault can abandon it without cleanup.  Two VMAs in all, whatever the
 *	  number of instances.
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
RT_HIDDEN volatile int32_t rt_own_flag;

/*
 * rt_switch_call(stack_top, fn, arg): run fn(arg) with %rsp = stack_top
 * (16-byte aligned), then come back to the caller's stack.  %rbp keeps the
 * caller's stack pointer across the call (callee-saved).  A fault longjmps
 * past this frame, which is fine: nothing is left to undo.
 */
__asm__(
		"	.text\n"
		"	.globl	rt_switch_call\n"
		"	.hidden	rt_switch_call\n"
		"	.type	rt_switch_call, @function\n"
		"	.p2align 4\n"
		"rt_switch_call:\n"
		"	.cfi_startproc\n"
		"	pushq	%rbp\n"
		"	.cfi_def_cfa_offset 16\n"
		"	.cfi_offset %rbp, -16\n"
		"	movq	%rsp, %rbp\n"
		"	.cfi_def_cfa_register %rbp\n"
		"	movq	%rdi, %rsp\n"
		"	movq	%rdx, %rdi\n"
		"	callq	*%rsi\n"
		"	movq	%rbp, %rsp\n"
		"	popq	%rbp\n"
		"	.cfi_def_cfa %rsp, 8\n"
		"	retq\n"
		"	.cfi_endproc\n"
		"	.size	rt_switch_call, .-rt_switch_call\n");

/*
 * rt_fast_call(f): switch to f->stack_top, load the six integer and eight
 * vector argument registers from *f, call f->fn, store %rax and %xmm0 back
 * into *f, return on the caller's stack.  %rbx holds f and %rbp the
 * caller's %rsp across the call (both callee-saved).
 */
_Static_assert(offsetof(rt_fast, xmm) == 48 && offsetof(rt_fast, fn) == 112 &&
			   offsetof(rt_fast, stack_top) == 120 && offsetof(rt_fast, rax) == 128 &&
			   offsetof(rt_fast, xmm0) == 136, "rt_fast layout used by assembly");
__asm__(
		"	.text\n"
		"	.globl	rt_fast_call\n"
		"	.hidden	rt_fast_call\n"
		"	.type	rt_fast_call, @function\n"
		"	.p2align 4\n"
		"rt_fast_call:\n"
		"	.cfi_startproc\n"
		"	pushq	%rbp\n"
		"	.cfi_def_cfa_offset 16\n"
		"	.cfi_offset %rbp, -16\n"
		"	pushq	%rbx\n"
		"	.cfi_def_cfa_offset 24\n"
		"	.cfi_offset %rbx, -24\n"
		"	movq	%rsp, %rbp\n"
		"	.cfi_def_cfa_register %rbp\n"
		"	movq	%rdi, %rbx\n"
		"	movq	120(%rbx), %rsp\n"
		"	movq	48(%rbx), %xmm0\n"
		"	movq	56(%rbx), %xmm1\n"
		"	movq	64(%rbx), %xmm2\n"
		"	movq	72(%rbx), %xmm3\n"
		"	movq	80(%rbx), %xmm4\n"
		"	movq	88(%rbx), %xmm5\n"
		"	movq	96(%rbx), %xmm6\n"
		"	movq	104(%rbx), %xmm7\n"
		"	movq	0(%rbx), %rdi\n"
		"	movq	8(%rbx), %rsi\n"
		"	movq	16(%rbx), %rdx\n"
		"	movq	24(%rbx), %rcx\n"
		"	movq	32(%rbx), %r8\n"
		"	movq	40(%rbx), %r9\n"
		"	movl	$8, %eax\n"
		"	callq	*112(%rbx)\n"
		"	movq	%rax, 128(%rbx)\n"
		"	movq	%xmm0, 136(%rbx)\n"
		"	movq	%rbp, %rsp\n"
		"	popq	%rbx\n"
		"	.cfi_def_cfa %rsp, 16\n"
		"	popq	%rbp\n"
		"	.cfi_def_cfa_offset 8\n"
		"	retq\n"
		"	.cfi_endproc\n"
		"	.size	rt_fast_call, .-rt_fast_call\n");

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
rt_set_gs(uintptr_t base)
{
	if (base == rt_st.gs_cached)
		return;
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
	if (rt_st.intr_flag == NULL)
		rt_st.intr_flag = &rt_own_flag;

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
 * the siglongjmp as it does for the thread's own stack (it does not know
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
	siglongjmp(rt_st.env, 1);
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
	rt_st.intr_flag = flag ? flag : &rt_own_flag;
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
tmebox_rt_unwind(void)
{
	tmebox_instance *inst = rt_st.cur;

	if (inst != NULL)
		inst->needs_reset = true;
	rt_st.in_sandbox = 0;
	rt_st.cur = NULL;
	rt_stack_abandoned();
}

bool
tmebox_rt_in_call(void)
{
	return rt_st.cur != NULL;
}
