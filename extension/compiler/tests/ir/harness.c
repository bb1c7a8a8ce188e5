/*-------------------------------------------------------------------------
 *
 * harness.c
 *		Execution harness for the IR tests: runs one instrumented module
 *		(linked in as an object) the way the runtime will, in miniature.
 *		Maps a view (TMEBOX_VIEW_SPAN reserved PROT_NONE, the first MiBs
 *		committed), points %gs at it (arch_prctl(ARCH_SET_GS)), copies
 *		__tmebox_image to IMAGE_BASE, fills __tmebox_hosttab with test host
 *		functions, stores DSTACK_TOP into the dsp slot
 *		before each call and calls __tmebox_export_test_main(ARG) for each
 *		command-line ARG, printing one line per call.
 *
 *		Built with -DNATIVE it instead calls the same C compiled natively,
 *		so the two outputs can be compared line by line.
 *
 *		Host trap / interrupt and SIGSEGV/SIGFPE leave the call with
 *		siglongjmp and print what happened ("trap N", "interrupted",
 *		"segfault at view offset X").  Modules have no interrupt poll
 *		(the runtime checks the flag, not sandboxed code), so there is no
 *		interrupt flag here.
 *
 * Invariants kept:
 *	- Host functions only touch the view through gs_base + (uint32_t)offset
 *	  after checking offset + n <= 4 GiB, like the real runtime must.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <asm/prctl.h>

#include "tmebox_abi.h"

#ifdef NATIVE
extern long test_main(long);
#define CALL(x) test_main(x)
#else
extern const tmebox_layout __tmebox_layout;
extern const unsigned char __tmebox_image[];
extern void *__tmebox_hosttab[TMEBOX_HOST_COUNT];
extern long __tmebox_export_test_main(long);
#define CALL(x) __tmebox_export_test_main(x)
#endif

static sigjmp_buf jb;
static unsigned char *view;
static int	trap_code;
static uintptr_t fault_addr;

#ifndef NATIVE
static void
h_trap(int32_t code)
{
	trap_code = code;
	siglongjmp(jb, 1);
}

static void
h_interrupt(void)
{
	siglongjmp(jb, 2);
}

static void
h_memmove(uint64_t d, uint64_t s, uint64_t n)
{
	uint32_t	dd = (uint32_t) d,
				ss = (uint32_t) s;

	if (dd + n > TMEBOX_VIEW_SIZE || ss + n > TMEBOX_VIEW_SIZE)
		h_trap(100);
	memmove(view + dd, view + ss, n);
}

static void
h_memset(uint64_t d, int32_t c, uint64_t n)
{
	uint32_t	dd = (uint32_t) d;

	if (dd + n > TMEBOX_VIEW_SIZE)
		h_trap(100);
	memset(view + dd, c, n);
}

static void
h_unimplemented(void)
{
	h_trap(99);
}

static double
h_log_(double x)
{
	return log(x);
}
#endif

static void
on_signal(int sig, siginfo_t *si, void *uc)
{
	(void) uc;
	fault_addr = (uintptr_t) si->si_addr;
	siglongjmp(jb, sig == SIGSEGV ? 3 : 4);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int			i = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);

#ifndef NATIVE
	view = mmap(NULL, TMEBOX_VIEW_SPAN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (view == MAP_FAILED || mprotect(view + TMEBOX_NULL_GUARD, 64 << 20, PROT_READ | PROT_WRITE) != 0)
	{
		perror("harness: view");
		return 2;
	}
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long) view) != 0)
	{
		perror("harness: arch_prctl(ARCH_SET_GS)");
		return 2;
	}
	if (__tmebox_layout.abi_version != TMEBOX_ABI_VERSION ||
		__tmebox_layout.image_base != TMEBOX_IMAGE_BASE ||
		__tmebox_layout.heap_base < TMEBOX_IMAGE_BASE + __tmebox_layout.image_size + __tmebox_layout.bss_size ||
		__tmebox_layout.heap_base % TMEBOX_PAGE_SIZE != 0)
	{
		fprintf(stderr, "harness: bad layout\n");
		return 2;
	}
	memcpy(view + TMEBOX_IMAGE_BASE, __tmebox_image, __tmebox_layout.image_size);
	for (int k = 0; k < TMEBOX_HOST_COUNT; k++)
		__tmebox_hosttab[k] = (void *) h_unimplemented;
	__tmebox_hosttab[0] = (void *) h_trap;
	__tmebox_hosttab[1] = (void *) h_interrupt;
	__tmebox_hosttab[3] = (void *) h_memmove;
	__tmebox_hosttab[4] = (void *) h_memset;
#define MATH(idx, fn) __tmebox_hosttab[idx] = (void *) fn;
	MATH(16, sin) MATH(17, cos) MATH(29, exp) MATH(30, exp2) MATH(32, h_log_)
	MATH(33, log2) MATH(34, log10) MATH(36, pow) MATH(39, fmod) MATH(45, round)
	MATH(47, sinf) MATH(48, cosf) MATH(50, expf) MATH(51, logf) MATH(52, powf)
	MATH(53, fmodf) MATH(55, roundf)
#endif

	for (; i < argc; i++)
	{
		long		arg = strtol(argv[i], NULL, 0);
		volatile long r = 0;
		int			how;

#ifndef NATIVE
		*(uint64_t *) (view + __tmebox_layout.dsp_slot) = TMEBOX_DSTACK_TOP;
#endif
		if ((how = sigsetjmp(jb, 1)) == 0)
		{
			r = CALL(arg);
			printf("test_main(%ld) = %ld\n", arg, (long) r);
		}
		else if (how == 1)
			printf("test_main(%ld) trap %d\n", arg, trap_code);
		else if (how == 2)
			printf("test_main(%ld) interrupted\n", arg);
		else if (how == 3 && view && fault_addr >= (uintptr_t) view &&
				 fault_addr < (uintptr_t) view + TMEBOX_VIEW_SPAN)
			printf("test_main(%ld) segfault at view offset 0x%lx\n", arg,
				   (unsigned long) (fault_addr - (uintptr_t) view));
		else if (how == 3)
			printf("test_main(%ld) segfault OUTSIDE the view\n", arg);
		else
			printf("test_main(%ld) arithmetic fault\n", arg);
		fflush(stdout);
	}
	return 0;
}
