/*-------------------------------------------------------------------------
 *
 * rt_signal.c
 *		Synchronous fault handling: SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 *		SIGTRAP handlers that turn a fault of sandboxed code into a
 *		tmebox_fault and chain everything else to the previous handler.
 *
 * A signal is the sandbox's iff it was raised by the kernel (si_code > 0)
 * while sandboxed code ran: a call is in progress inside an entry, the
 * interrupted PC lies in the running module's text AND the interrupted
 * %rsp lies on the native sandbox stack or its guard (rt_sandbox_context;
 * a native-stack overflow is a push or call of sandboxed code into the
 * guard).  Anything else is the host's, even during a sandbox call: host
 * calls run on the backend's stack (rt_hostthunk.c), so PostgreSQL code
 * they run never overflows into the sandbox stack's guard, and a fault in
 * host code (the runtime's host functions included: they check every
 * range first) is a host bug, never something to longjmp out of.
 * A divide error (SIGFPE, FPE_INTDIV) is a division by zero or, when the
 * divisor was not zero, a quotient out of range (INT_MIN / -1): x86 raises
 * #DE for both, rt_divfault.c tells them apart from the instruction.
 * Then the fault is recorded and the handler longjmps to tmebox_call,
 * which unblocks the signal.  Otherwise: the previous handler is called
 * (PostgreSQL's SIGFPE handler), or the default action is restored and the
 * fault re-executes (or the signal is re-raised when it was sent by
 * kill), so a host bug still crashes as it would without us.
 *
 * Invariants:
 *	- Handlers run on a sigaltstack (native stack overflow must be
 *	  reported, not fatal) and are installed once, by tmebox_rt_init.
 *	- The handler is async-signal-safe: it only reads rt_st, writes
 *	  rt_st.fault and jumps.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "rt_internal.h"

/*
 * The alternate signal stack carries every handler of the process while
 * sandboxed code runs (tmebox_rt_handlers_onstack): PostgreSQL's (SetLatch,
 * the timeout handlers, quickdie's ereport), ours, and signals nested in
 * them, each frame with the CPU's full extended state (a few kB with
 * AVX-512).  256 kB at least; an existing one that is smaller is replaced.
 */
#define RT_ALTSTACK_MIN	(256 * 1024)

static const int rt_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};

#define RT_NSIGNALS ((int) (sizeof(rt_signals) / sizeof(rt_signals[0])))

static struct sigaction rt_old_action[RT_NSIGNALS];

static void
rt_chain(int sig, siginfo_t *si, void *uc)
{
	int			i;
	struct sigaction *old = NULL;
	struct sigaction dfl;

	for (i = 0; i < RT_NSIGNALS; i++)
		if (rt_signals[i] == sig)
			old = &rt_old_action[i];
	if (old != NULL && (old->sa_flags & SA_SIGINFO))
	{
		if (old->sa_sigaction != NULL)
		{
			old->sa_sigaction(sig, si, uc);
			return;
		}
	}
	else if (old != NULL && old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN)
	{
		old->sa_handler(sig);
		return;
	}
	/* default action: restore it; a fault re-executes, a kill re-raises */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	if (si->si_code <= 0)
		raise(sig);
}

static void
rt_fault_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	tmebox_instance *inst = rt_st.cur;
	uintptr_t	addr;
	bool		in_view,
				in_guard;
	int			saved_errno = errno;
	tmebox_fault *f = &rt_st.fault;

	if (si->si_code <= 0 ||
		!rt_sandbox_context((uintptr_t) uc->uc_mcontext.gregs[REG_RIP],
							(uintptr_t) uc->uc_mcontext.gregs[REG_RSP]))
		goto chain;
	addr = (uintptr_t) si->si_addr;
	in_view = addr - (uintptr_t) inst->base < TMEBOX_VIEW_SPAN;
	in_guard = addr >= (uintptr_t) rt_st.guard_lo && addr < (uintptr_t) rt_st.stack_lo;

	memset(f, 0, sizeof(*f));
	f->signo = sig;
	f->view_offset = TMEBOX_OFFSET_UNKNOWN;
	switch (sig)
	{
		case SIGSEGV:
		case SIGBUS:
			if (in_guard)
				f->kind = TMEBOX_FAULT_STACK_OVERFLOW;
			else
			{
				f->kind = TMEBOX_FAULT_SEGV;
				if (in_view)
					f->view_offset = addr - (uintptr_t) inst->base;
			}
			break;
		case SIGFPE:
			if (si->si_code == FPE_INTDIV)
				f->kind = rt_divide_fault_kind(uc);
			else if (si->si_code == FPE_INTOVF)
				f->kind = TMEBOX_FAULT_INTOVF;
			else
				f->kind = TMEBOX_FAULT_FPE;
			break;
		default:
			f->kind = TMEBOX_FAULT_TRAP;
			f->trap_code = TMEBOX_TRAP_BUILTIN;
			break;
	}
	rt_leave();

chain:
	errno = saved_errno;
	rt_chain(sig, si, ucv);
	errno = saved_errno;
}

int
rt_signal_init(char *err, size_t errlen)
{
	stack_t		old,
				ss;
	struct sigaction sa;
	int			i;

	if (sigaltstack(NULL, &old) != 0)
	{
		rt_errf(err, errlen, "sigaltstack failed: %s", strerror(errno));
		return -1;
	}
	if ((old.ss_flags & SS_DISABLE) || old.ss_size < RT_ALTSTACK_MIN)
	{
		size_t		size = RT_ALTSTACK_MIN;
		long		min = sysconf(_SC_SIGSTKSZ);
		void	   *m;

		if (min > 0 && (size_t) min * 4 > size)
			size = (size_t) min * 4;
		m = mmap(NULL, size, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
		{
			rt_errf(err, errlen, "could not allocate the signal stack: %s",
					strerror(errno));
			return -1;
		}
		memset(&ss, 0, sizeof(ss));
		ss.ss_sp = m;
		ss.ss_size = size;
		if (sigaltstack(&ss, NULL) != 0)
		{
			rt_errf(err, errlen, "sigaltstack failed: %s", strerror(errno));
			munmap(m, size);
			return -1;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = rt_fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < RT_NSIGNALS; i++)
		if (sigaction(rt_signals[i], &sa, &rt_old_action[i]) != 0)
		{
			rt_errf(err, errlen, "sigaction failed: %s", strerror(errno));
			return -1;
		}
	return 0;
}

/*
 * Every handler installed in the process runs on the alternate signal
 * stack.  A signal whose handler lacks SA_ONSTACK is delivered on the
 * current stack: while sandboxed code runs near the end of the native
 * sandbox stack (its depth is the tenant's choice) the kernel cannot push
 * the signal frame and kills the process with SIGSEGV instead (a lost
 * SIGHUP would be the good case).  Handlers installed later by the host
 * are not covered: the server calls this once its handlers are in place.
 */
int
tmebox_rt_handlers_onstack(char *err, size_t errlen)
{
	int			sig;

	for (sig = 1; sig < NSIG; sig++)
	{
		struct sigaction cur;

		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &cur) != 0)
			continue;
		if ((cur.sa_flags & SA_ONSTACK) ||
			(!(cur.sa_flags & SA_SIGINFO) &&
			 (cur.sa_handler == SIG_DFL || cur.sa_handler == SIG_IGN)))
			continue;
		cur.sa_flags |= SA_ONSTACK;
		if (sigaction(sig, &cur, NULL) != 0)
		{
			rt_errf(err, errlen, "sigaction(%d) failed: %s", sig, strerror(errno));
			return -1;
		}
	}
	return 0;
}
