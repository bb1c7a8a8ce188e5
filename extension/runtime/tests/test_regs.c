/*-------------------------------------------------------------------------
 *
 * test_regs.c
 *		White-box test of the ways into sandboxed code (rt_enter.c):
 *		rt_fast_call(_int) and rt_clean_entry must hand the callee no host
 *		register contents (rbx, rbp, r10-r15, xmm8-15 all zero), start it
 *		on a 16-byte aligned stack, pass its arguments, and give the host
 *		back its callee-saved registers; the callee's return address sits
 *		just below the entry top with nothing written in the 256 bytes
 *		above it but stack arguments (rt_clean_entry copies them from the
 *		host's stack, where libffi runs).  And of the way back from host
 *		calls (rt_hostthunk.c): only the result register may hold anything.
 *
 *		usage: test_regs
 *
 * The host side is assembly (dirty_call) that fills every one of those
 * registers with a pattern first, so a trampoline that lets one through
 * fails here whatever the C compiler happened to keep in it.  The callee
 * is assembly too (probe), recording what it found.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../rt_internal.h"

#define PATTERN 0x5a5a5a5a5a5a5a5aULL

/* what probe saw: rbx rbp r10 r11 r12 r13 r14 r15, xmm8..15 (low
 * quadwords), (rsp + 8) mod 16, rdi, 8(%rsp) after the return address,
 * xmm0..7 (low quadwords), rsp (where its return address is) */
uint64_t	probe_seen[28];
/* dirty_call: how many of rbx rbp r12-r15 came back changed */
uint64_t	dirty_bad;

void		probe(void);
void		dirty_call(void (*entry) (void *), void *arg);

/* after a host-call thunk: rax rcx rdx rsi rdi r8 r9 r10 r11, xmm0 (both
 * halves), xmm1..15 (low quadwords) */
uint64_t	thunk_seen[26];
/* %rsp in dirty_host (after its return address was pushed), and in
 * thunk_call before and after the thunk */
uint64_t	dirty_host_rsp;
uint64_t	thunk_rsp_before;
uint64_t	thunk_rsp_after;
void		dirty_host(void);
void		thunk_call(void (*thunk) (void));

__asm__(
		"	.text\n"
		"	.globl	probe\n"
		"	.type	probe, @function\n"
		"probe:\n"
		"	movq	%rbx, probe_seen+0(%rip)\n"
		"	movq	%rbp, probe_seen+8(%rip)\n"
		"	movq	%r10, probe_seen+16(%rip)\n"
		"	movq	%r11, probe_seen+24(%rip)\n"
		"	movq	%r12, probe_seen+32(%rip)\n"
		"	movq	%r13, probe_seen+40(%rip)\n"
		"	movq	%r14, probe_seen+48(%rip)\n"
		"	movq	%r15, probe_seen+56(%rip)\n"
		"	movq	%xmm8, probe_seen+64(%rip)\n"
		"	movq	%xmm9, probe_seen+72(%rip)\n"
		"	movq	%xmm10, probe_seen+80(%rip)\n"
		"	movq	%xmm11, probe_seen+88(%rip)\n"
		"	movq	%xmm12, probe_seen+96(%rip)\n"
		"	movq	%xmm13, probe_seen+104(%rip)\n"
		"	movq	%xmm14, probe_seen+112(%rip)\n"
		"	movq	%xmm15, probe_seen+120(%rip)\n"
		"	leaq	8(%rsp), %rax\n"
		"	andq	$15, %rax\n"
		"	movq	%rax, probe_seen+128(%rip)\n"
		"	movq	%rdi, probe_seen+136(%rip)\n"
		"	movq	8(%rsp), %rax\n"
		"	movq	%rax, probe_seen+144(%rip)\n"
		"	movq	%xmm0, probe_seen+152(%rip)\n"
		"	movq	%xmm1, probe_seen+160(%rip)\n"
		"	movq	%xmm2, probe_seen+168(%rip)\n"
		"	movq	%xmm3, probe_seen+176(%rip)\n"
		"	movq	%xmm4, probe_seen+184(%rip)\n"
		"	movq	%xmm5, probe_seen+192(%rip)\n"
		"	movq	%xmm6, probe_seen+200(%rip)\n"
		"	movq	%xmm7, probe_seen+208(%rip)\n"
		"	movq	%rsp, probe_seen+216(%rip)\n"
		/* clobber what a callee may clobber, like sandboxed code would */
		"	xorl	%ebx, %ebx\n"
		"	movq	$0x1234, %rax\n"
		"	ret\n"
		"	.size	probe, .-probe\n"
		"\n"
		"	.globl	dirty_call\n"
		"	.type	dirty_call, @function\n"
		"dirty_call:\n"
		"	pushq	%rbp\n"
		"	pushq	%rbx\n"
		"	pushq	%r12\n"
		"	pushq	%r13\n"
		"	pushq	%r14\n"
		"	pushq	%r15\n"
		"	subq	$8, %rsp\n"
		"	movq	%rdi, %rax\n"
		"	movq	%rsi, %rdi\n"
		"	movabsq	$0x5a5a5a5a5a5a5a5a, %rbx\n"
		"	movq	%rbx, %rbp\n"
		"	movq	%rbx, %r10\n"
		"	movq	%rbx, %r11\n"
		"	movq	%rbx, %r12\n"
		"	movq	%rbx, %r13\n"
		"	movq	%rbx, %r14\n"
		"	movq	%rbx, %r15\n"
		"	movq	%rbx, %xmm8\n"
		"	movq	%rbx, %xmm9\n"
		"	movq	%rbx, %xmm10\n"
		"	movq	%rbx, %xmm11\n"
		"	movq	%rbx, %xmm12\n"
		"	movq	%rbx, %xmm13\n"
		"	movq	%rbx, %xmm14\n"
		"	movq	%rbx, %xmm15\n"
		"	movq	%rbx, %xmm0\n	movq	%rbx, %xmm1\n	movq	%rbx, %xmm2\n"
		"	movq	%rbx, %xmm3\n	movq	%rbx, %xmm4\n	movq	%rbx, %xmm5\n"
		"	movq	%rbx, %xmm6\n	movq	%rbx, %xmm7\n"
		"	movq	$0x777, (%rsp)\n"	/* a stack argument */
		"	callq	*%rax\n"
		"	xorl	%eax, %eax\n"
		"	movabsq	$0x5a5a5a5a5a5a5a5a, %rcx\n"
		"	cmpq	%rcx, %rbx\n	setne %al\n	addq %rax, dirty_bad(%rip)\n"
		"	cmpq	%rcx, %rbp\n	setne %al\n	addq %rax, dirty_bad(%rip)\n"
		"	cmpq	%rcx, %r12\n	setne %al\n	addq %rax, dirty_bad(%rip)\n"
		"	cmpq	%rcx, %r13\n	setne %al\n	addq %rax, dirty_bad(%rip)\n"
		"	cmpq	%rcx, %r14\n	setne %al\n	addq %rax, dirty_bad(%rip)\n"
		"	cmpq	%rcx, %r15\n	setne %al\n	addq %rax, dirty_bad(%rip)\n"
		"	addq	$8, %rsp\n"
		"	popq	%r15\n"
		"	popq	%r14\n"
		"	popq	%r13\n"
		"	popq	%r12\n"
		"	popq	%rbx\n"
		"	popq	%rbp\n"
		"	ret\n"
		"	.size	dirty_call, .-dirty_call\n"
		"\n"
		/* a host function that leaves a pattern in every scratch register */
		"	.globl	dirty_host\n"
		"	.type	dirty_host, @function\n"
		"dirty_host:\n"
		"	movq	%rsp, dirty_host_rsp(%rip)\n"
		"	movabsq	$0x5a5a5a5a5a5a5a5a, %rax\n"
		"	movq	%rax, %rcx\n"
		"	movq	%rax, %rdx\n"
		"	movq	%rax, %rsi\n"
		"	movq	%rax, %rdi\n"
		"	movq	%rax, %r8\n"
		"	movq	%rax, %r9\n"
		"	movq	%rax, %r10\n"
		"	movq	%rax, %r11\n"
		"	movq	%rax, %xmm0\n"
		"	punpcklqdq %xmm0, %xmm0\n"
		"	movdqa	%xmm0, %xmm1\n	movdqa	%xmm0, %xmm2\n	movdqa	%xmm0, %xmm3\n"
		"	movdqa	%xmm0, %xmm4\n	movdqa	%xmm0, %xmm5\n	movdqa	%xmm0, %xmm6\n"
		"	movdqa	%xmm0, %xmm7\n	movdqa	%xmm0, %xmm8\n	movdqa	%xmm0, %xmm9\n"
		"	movdqa	%xmm0, %xmm10\n	movdqa	%xmm0, %xmm11\n	movdqa	%xmm0, %xmm12\n"
		"	movdqa	%xmm0, %xmm13\n	movdqa	%xmm0, %xmm14\n	movdqa	%xmm0, %xmm15\n"
		"	ret\n"
		"	.size	dirty_host, .-dirty_host\n"
		"\n"
		/* call a thunk like sandboxed code does, record what comes back */
		"	.globl	thunk_call\n"
		"	.type	thunk_call, @function\n"
		"thunk_call:\n"
		"	pushq	%rbx\n"
		"	movq	%rsp, thunk_rsp_before(%rip)\n"
		"	callq	*%rdi\n"
		"	movq	%rsp, thunk_rsp_after(%rip)\n"
		"	movq	%rax, thunk_seen+0(%rip)\n"
		"	movq	%rcx, thunk_seen+8(%rip)\n"
		"	movq	%rdx, thunk_seen+16(%rip)\n"
		"	movq	%rsi, thunk_seen+24(%rip)\n"
		"	movq	%rdi, thunk_seen+32(%rip)\n"
		"	movq	%r8, thunk_seen+40(%rip)\n"
		"	movq	%r9, thunk_seen+48(%rip)\n"
		"	movq	%r10, thunk_seen+56(%rip)\n"
		"	movq	%r11, thunk_seen+64(%rip)\n"
		"	movdqu	%xmm0, thunk_seen+72(%rip)\n"
		"	movq	%xmm1, thunk_seen+88(%rip)\n"
		"	movq	%xmm2, thunk_seen+96(%rip)\n"
		"	movq	%xmm3, thunk_seen+104(%rip)\n"
		"	movq	%xmm4, thunk_seen+112(%rip)\n"
		"	movq	%xmm5, thunk_seen+120(%rip)\n"
		"	movq	%xmm6, thunk_seen+128(%rip)\n"
		"	movq	%xmm7, thunk_seen+136(%rip)\n"
		"	movq	%xmm8, thunk_seen+144(%rip)\n"
		"	movq	%xmm9, thunk_seen+152(%rip)\n"
		"	movq	%xmm10, thunk_seen+160(%rip)\n"
		"	movq	%xmm11, thunk_seen+168(%rip)\n"
		"	movq	%xmm12, thunk_seen+176(%rip)\n"
		"	movq	%xmm13, thunk_seen+184(%rip)\n"
		"	movq	%xmm14, thunk_seen+192(%rip)\n"
		"	movq	%xmm15, thunk_seen+200(%rip)\n"
		"	popq	%rbx\n"
		"	ret\n"
		"	.size	thunk_call, .-thunk_call\n");

static int	npass,
			nfail;

static void
check(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", npass + nfail + 1, what);
	if (ok)
		npass++;
	else
		nfail++;
}

static const char *const reg_names[16] = {
	"rbx", "rbp", "r10", "r11", "r12", "r13", "r14", "r15",
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
};

static void
check_clean(const char *way)
{
	char		what[128];

	for (int i = 0; i < 16; i++)
	{
		snprintf(what, sizeof(what), "%s: %s is zero in the callee (0x%llx)",
				 way, reg_names[i], (unsigned long long) probe_seen[i]);
		check(probe_seen[i] == 0, what);
	}
	snprintf(what, sizeof(what), "%s: callee's stack is 16-byte aligned", way);
	check(probe_seen[16] == 0, what);
	snprintf(what, sizeof(what), "%s: host callee-saved registers restored", way);
	check(dirty_bad == 0, what);
}

static uint8_t stack_area[65536] __attribute__((aligned(16)));

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* Did probe find xmm0-7 zero? */
static bool
probe_xmm_args_zero(void)
{
	for (int i = 19; i < 27; i++)
		if (probe_seen[i] != 0)
			return false;
	return true;
}

/*
 * The host's stack as the entry trampolines leave it for host calls
 * (rt_host_sp: everything below it is free), away from the caller's.
 */
static uint8_t host_stack_area[65536] __attribute__((aligned(16)));

static bool
on_host_stack(uint64_t sp)
{
	return sp >= (uint64_t) (uintptr_t) host_stack_area &&
		sp < (uint64_t) (uintptr_t) (host_stack_area + sizeof(host_stack_area));
}

/* The interrupt check after a host call: the flag the thunks read, and a
 * host decision that records where it ran and resumes. */
static volatile int32_t intr_flag;
static int	intr_calls;
static uint64_t intr_sp;

static int
resuming_interrupt_handler(void)
{
	volatile int local = 0;

	intr_calls++;
	intr_sp = (uint64_t) (uintptr_t) &local;
	intr_flag = 0;
	return local;
}

/*
 * Host slot idx returning `kind`, with dirty_host behind it: only the
 * result register keeps the pattern (want_rax, want_xmm0 low and high);
 * the host function runs on the host stack (rt_host_sp) and the caller
 * gets its own %rsp back.  With `poll`, the interrupt flag is set while
 * the host function runs: the thunk asks the host (on the host stack) and
 * the result survives the check.
 */
static void
check_thunk(int idx, const char *kind, uint64_t want_rax, uint64_t want_lo, bool poll)
{
	static const char *const names[] = {
		"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",
		"xmm0 low", "xmm0 high"
	};
	void	   *saved = rt_host_real[idx];
	void		(*thunk) (void) = rt_host_thunk(idx);
	char		what[160];

	if (thunk == NULL)
	{
		snprintf(what, sizeof(what), "host slot %d has a thunk", idx);
		check(false, what);
		return;
	}
	rt_host_real[idx] = (void *) dirty_host;
	rt_host_sp = (uint64_t) (uintptr_t) (host_stack_area + sizeof(host_stack_area));
	memset(thunk_seen, 0xee, sizeof(thunk_seen));
	dirty_host_rsp = thunk_rsp_before = thunk_rsp_after = 0;
	intr_calls = 0;
	intr_sp = 0;
	intr_flag = poll;
	tmebox_rt_set_interrupt_flag(&intr_flag);
	tmebox_rt_set_interrupt_handler(resuming_interrupt_handler);
	thunk_call(thunk);
	tmebox_rt_set_interrupt_flag(NULL);
	tmebox_rt_set_interrupt_handler(NULL);
	rt_host_real[idx] = saved;
	for (int i = 0; i < 11; i++)
	{
		uint64_t	want = i == 0 ? want_rax : i == 9 ? want_lo : 0;

		snprintf(what, sizeof(what), "host call returning %s%s: %s is 0x%llx (want 0x%llx)",
				 kind, poll ? " (interrupt checked)" : "", names[i],
				 (unsigned long long) thunk_seen[i], (unsigned long long) want);
		check(thunk_seen[i] == want, what);
	}
	for (int i = 11; i < 26; i++)
	{
		snprintf(what, sizeof(what), "host call returning %s%s: xmm%d is zero", kind,
				 poll ? " (interrupt checked)" : "", i - 10);
		check(thunk_seen[i] == 0, what);
	}
	snprintf(what, sizeof(what),
			 "host call returning %s: the host function ran on the host stack, 16-byte aligned",
			 kind);
	check(on_host_stack(dirty_host_rsp) && (dirty_host_rsp + 8) % 16 == 0, what);
	snprintf(what, sizeof(what),
			 "host call returning %s: the caller's %%rsp is back, rt_sbx_sp cleared", kind);
	check(thunk_rsp_after == thunk_rsp_before && thunk_rsp_before != 0 && rt_sbx_sp == 0, what);
	snprintf(what, sizeof(what), "host call returning %s: interrupt decision %s",
			 kind, poll ? "asked once, on the host stack" : "not asked (flag clear)");
	check(poll ? intr_calls == 1 && on_host_stack(intr_sp) : intr_calls == 0, what);
}

typedef void (*entry_fn) (void *);

/*
 * One of the rt_fast_call trampolines, entered from dirty registers with
 * first argument `arg` and the image's vector slots holding `xmm_image`.
 */
static void
check_fast_call(void (*trampoline) (rt_fast *), const char *way, uint64_t arg,
				uint64_t xmm_image, const char *xmm_what)
{
	rt_fast		f;
	char		what[160];

	memset(&f, 0, sizeof(f));
	memset(probe_seen, 0xee, sizeof(probe_seen));
	f.gpr[0] = arg;
	for (int i = 0; i < 8; i++)
		f.xmm[i] = xmm_image;
	f.fn = (void *) probe;
	f.stack_top = stack_area + sizeof(stack_area) - RT_ENTRY_SAVE - RT_ENTRY_ZERO;
	memset(stack_area, 0, sizeof(stack_area));
	dirty_bad = 0;
	dirty_call((entry_fn) trampoline, &f);
	check_clean(way);
	snprintf(what, sizeof(what), "%s: return address just below stack_top", way);
	check(probe_seen[27] == (uint64_t) (uintptr_t) f.stack_top - 8, what);
	snprintf(what, sizeof(what),
			 "%s: the %d bytes above stack_top are still zero, the saved values above them",
			 way, RT_ENTRY_ZERO);
	check(all_zero(f.stack_top, RT_ENTRY_ZERO) &&
		  !all_zero((uint8_t *) f.stack_top + RT_ENTRY_ZERO, RT_ENTRY_SAVE), what);
	snprintf(what, sizeof(what), "%s: first argument passed", way);
	check(probe_seen[17] == arg, what);
	snprintf(what, sizeof(what), "%s: result stored back", way);
	check(f.rax == 0x1234, what);
	snprintf(what, sizeof(what), "%s: %s", way, xmm_what);
	check(probe_xmm_args_zero(), what);
}

int
main(void)
{
	/* rt_fast_call, called straight from the dirty registers */
	check_fast_call(rt_fast_call, "rt_fast_call", 42, 0,
					"xmm0-7 hold the (zero) argument image, not the host's");
	/* rt_fast_call_int: xmm0-7 cleared, not loaded (the image holds junk) */
	check_fast_call(rt_fast_call_int, "rt_fast_call_int", 44, PATTERN,
					"xmm0-7 are zero in the callee");

	/*
	 * rt_clean_entry, as libffi calls it on the host's stack: arguments
	 * already in place, one of them on the stack.  The callee runs on the
	 * native stack (here stack_area, filled with a pattern) with the stack
	 * argument copied below rt_entry_top and the alignment slot above it
	 * zeroed; host calls would run on the caller's stack.
	 */
	memset(probe_seen, 0xee, sizeof(probe_seen));
	memset(stack_area, 0xee, sizeof(stack_area));
	rt_entry_top = stack_area + sizeof(stack_area) - RT_ENTRY_SAVE - RT_ENTRY_ZERO;
	rt_clean_target = (void *) probe;
	rt_clean_nstack = 8;
	rt_host_sp = 0;
	dirty_bad = 0;
	dirty_call((entry_fn) (void (*) (void)) rt_clean_entry, (void *) 43);
	check_clean("rt_clean_entry");
	check(probe_seen[17] == 43, "rt_clean_entry: first argument passed");
	check(probe_seen[18] == 0x777, "rt_clean_entry: stack argument where the callee expects it");
	check(probe_seen[27] == (uint64_t) (uintptr_t) rt_entry_top - 24,
		  "rt_clean_entry: the callee runs on the native stack, its argument below rt_entry_top");
	check(all_zero(rt_entry_top - 8, 8),
		  "rt_clean_entry: the slot between the stack argument and rt_entry_top is zero");
	check(rt_host_sp != 0 && !(rt_host_sp >= (uint64_t) (uintptr_t) stack_area &&
							   rt_host_sp < (uint64_t) (uintptr_t) (stack_area + sizeof(stack_area))),
		  "rt_clean_entry: host calls would run on the host's stack");

	/* the way back from host calls: one slot per return type */
	for (int poll = 0; poll <= 1; poll++)
	{
		check_thunk(6, "void (log)", 0, 0, poll);
		check_thunk(7, "int32_t (fmt_double)", 0x5a5a5a5aULL, 0, poll);
		check_thunk(2, "uint64_t (sbrk)", PATTERN, 0, poll);
		check_thunk(16, "double (sin)", 0, PATTERN, poll);
		check_thunk(47, "float (sinf)", 0, 0x5a5a5a5aULL, poll);
	}
	{
		/* the table's indices: host calls are added in reserved ranges,
		 * so the indices have gaps */
		static const int idx[] = {
#define TEST_X_INDEX(index, name, ret, params) index,
			TMEBOX_HOSTCALLS(TEST_X_INDEX)
#undef TEST_X_INDEX
		};
		bool		all = true;

		for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
			if (idx[i] >= TMEBOX_HOST_COUNT || rt_host_thunk(idx[i]) == NULL)
				all = false;
		check(all, "every host call has a thunk");
		/* the runtime's own slots are not the embedding host's to replace */
		check(tmebox_rt_set_host_function(5, (void *) dirty_call) == -1 &&
			  tmebox_rt_set_host_function(80, (void *) dirty_call) == -1 &&
			  tmebox_rt_set_host_function(16, (void *) dirty_call) == -1 &&
			  tmebox_rt_set_host_function(-1, (void *) dirty_call) == -1 &&
			  tmebox_rt_set_host_function(TMEBOX_HOST_COUNT, (void *) dirty_call) == -1,
			  "tmebox_rt_set_host_function refuses the runtime's own slots (error, error_code, math) and indices outside the table");
	}

	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
