/*-------------------------------------------------------------------------
 *
 * rt_interrupt.c
 *		Asynchronous interruption of sandboxed code (DESIGN.md §2 item 4):
 *		handlers for the host's interrupt signals (the server: SIGINT for
 *		query cancel and statement_timeout, SIGTERM, SIGUSR1; tmebox-run:
 *		SIGALRM for --timeout) that run the host's own handler first, then
 *		end the running call with INTERRUPTED when the signal landed in the
 *		running module's code and the host says the call must stop.
 *
 * Why: sandboxed code carries no poll of the interrupt flag at all (a poll
 * on every back-edge cost ~8 % geomean on the kernel benchmarks).  The
 * runtime checks the flag where a signal cannot catch sandboxed code:
 * before every entry (a signal that arrived in the host before the call)
 * and in every host-call thunk after the host function returns (a signal
 * that arrived while host code ran), both on the host stack
 * (rt_poll_interrupt).  Everywhere else sandboxed code runs (its PC in the
 * module's text, its %rsp on the native sandbox stack: rt_sandbox_context),
 * where this handler sees it.  Leaving from there is safe: the instance is
 * reset after an interrupt, and no host code is interrupted.
 *
 * No window between the last check and sandboxed code (red team s10 redB
 * F1: a statement_timeout that landed during a 200 MB argument copy, or
 * just after a thunk's check, was only flagged, and a loop without host
 * calls then ran forever): the entry trampolines poll as their very last
 * step before the call (rt_enter.c), and a signal whose PC lies in runtime
 * code after such a check, during an entry (rt_intr_window: the rest of
 * the trampoline, the host-call thunks and their exits), is handled as
 * one in the module's text; one that lands in a poll (rt_poll_interrupt
 * and the host's handler it runs: host code) sets rt_intr_late, and the
 * trampoline or thunk that called the poll polls again.
 *
 * Invariants:
 *	- The host's handler always runs first and exactly as before: a signal
 *	  that is not an interruption of sandboxed code changes nothing.  A
 *	  previous SIG_DFL is re-established and the signal re-raised (the
 *	  process ends as it would have), SIG_IGN is honoured.
 *	- Handlers run on the sigaltstack (the sandbox's native stack may be
 *	  nearly full) and only read rt_st, write rt_st.fault and jump: they
 *	  are async-signal-safe.
 *	- tmebox_rt_check_interrupt_signals re-installs a wrapper that someone
 *	  else replaced (chaining to the new handler), so a host that changes
 *	  its handlers cannot silently disable interruption for long.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "rt_internal.h"

#define RT_MAX_INTR_SIGNALS 8

static int	rt_intr_sig[RT_MAX_INTR_SIGNALS];
static struct sigaction rt_intr_old[RT_MAX_INTR_SIGNALS];
static int	rt_nintr;
static bool (*rt_intr_should_leave) (void);

/* Run the handler that was installed before ours. */
static void
rt_intr_chain(struct sigaction *old, int sig, siginfo_t *si, void *uc)
{
	if (old->sa_flags & SA_SIGINFO)
	{
		if (old->sa_sigaction != NULL)
			old->sa_sigaction(sig, si, uc);
	}
	else if (old->sa_handler == SIG_DFL)
	{
		struct sigaction dfl;

		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		sigaction(sig, &dfl, NULL);
		raise(sig);				/* delivered when this handler returns */
	}
	else if (old->sa_handler != SIG_IGN)
		old->sa_handler(sig);
}

static void
rt_intr_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	int			saved_errno = errno;
	uintptr_t	pc;
	bool		leave;

	for (int i = 0; i < rt_nintr; i++)
		if (rt_intr_sig[i] == sig)
			rt_intr_chain(&rt_intr_old[i], sig, si, ucv);
	errno = saved_errno;

	pc = (uintptr_t) uc->uc_mcontext.gregs[REG_RIP];
	if (!rt_sandbox_context(pc, (uintptr_t) uc->uc_mcontext.gregs[REG_RSP]) &&
		!(rt_st.cur != NULL && rt_st.in_sandbox && rt_intr_window(pc)))
	{
		rt_intr_late = 1;		/* a poll running now asks again */
		return;					/* host code: the next check sees the flag */
	}
	leave = rt_intr_should_leave ? rt_intr_should_leave() : *rt_intr_flag != 0;
	if (!leave)
		return;
	if (rt_intr_flag == &rt_own_flag)
		rt_own_flag = 0;
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_INTERRUPTED;
	rt_st.fault.signo = sig;	/* tmebox_call unblocks it */
	rt_leave();
}

/* Install our handler for rt_intr_sig[i], remembering the current one. */
static int
rt_intr_install(int i, char *err, size_t errlen)
{
	struct sigaction sa,
				cur;

	if (sigaction(rt_intr_sig[i], NULL, &cur) != 0)
	{
		rt_errf(err, errlen, "sigaction(%d) failed: %s", rt_intr_sig[i], strerror(errno));
		return -1;
	}
	if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == rt_intr_handler)
		return 0;				/* already ours */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = rt_intr_handler;
	sa.sa_mask = cur.sa_mask;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | (cur.sa_flags & SA_RESTART);
	rt_intr_old[i] = cur;
	if (sigaction(rt_intr_sig[i], &sa, NULL) != 0)
	{
		rt_errf(err, errlen, "sigaction(%d) failed: %s", rt_intr_sig[i], strerror(errno));
		return -1;
	}
	return 1;
}

int
tmebox_rt_set_interrupt_signals(const int *signals, int nsignals,
								bool (*should_leave) (void),
								char *err, size_t errlen)
{
	if (nsignals < 0 || nsignals > RT_MAX_INTR_SIGNALS)
	{
		rt_errf(err, errlen, "at most %d interrupt signals", RT_MAX_INTR_SIGNALS);
		return -1;
	}
	if (tmebox_rt_init(0, err, errlen) != 0)
		return -1;
	/* restore what we replaced before taking a new set */
	for (int i = 0; i < rt_nintr; i++)
		sigaction(rt_intr_sig[i], &rt_intr_old[i], NULL);
	rt_nintr = 0;
	rt_intr_should_leave = should_leave;
	for (int i = 0; i < nsignals; i++)
	{
		rt_intr_sig[i] = signals[i];
		rt_nintr = i + 1;
		if (rt_intr_install(i, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int
tmebox_rt_check_interrupt_signals(char *err, size_t errlen)
{
	int			reinstalled = 0;

	for (int i = 0; i < rt_nintr; i++)
	{
		int			r = rt_intr_install(i, err, errlen);

		if (r < 0)
			return -1;
		reinstalled += r;
	}
	return reinstalled;
}
