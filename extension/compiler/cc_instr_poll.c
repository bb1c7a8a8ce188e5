/*-------------------------------------------------------------------------
 *
 * cc_instr_poll.c
 *		Step 6c: the interrupt slot.  Sandboxed code carries no interrupt
 *		poll (ABI.md "Host calls and the interrupt poll"): the runtime
 *		checks the host's interrupt flag itself before every entry and in
 *		every host-call thunk after the host function returns, and a signal
 *		that arrives while the module's own code runs ends the call
 *		directly (runtime/rt_interrupt.c).  A poll would be a load through
 *		a pointer held in host data, a memory operand the verifier of the
 *		final object (extension/verify) does not accept.
 *		What stays is the ABI slot __tmebox_intr, which the runtime fills
 *		and sandboxed code never reads.
 *
 * Invariants kept:
 *	- No instruction of the module reads __tmebox_intr or the flag.
 *	- __tmebox_intr is an external, writable pointer-sized global (the
 *	  runtime's loader requires it, rt_elf.c).
 *
 *-------------------------------------------------------------------------
 */
#define CC_SANDBOX_INTERNAL
#include "cc_sandbox.h"

void
cc_instr_polls(cc_sandbox *S)
{
	LLVMValueRef g = LLVMGetNamedGlobal(S->mod, TMEBOX_SYM_INTR);

	if (g == NULL)
	{
		g = LLVMAddGlobal(S->mod, S->ptr, TMEBOX_SYM_INTR);
		LLVMSetInitializer(g, LLVMConstNull(S->ptr));
		LLVMSetLinkage(g, LLVMExternalLinkage);
		LLVMSetAlignment(g, 8);
	}
}
