/*-------------------------------------------------------------------------
 *
 * cc_staticdata.h
 *		Bounds on the static data of a module (global variables, string
 *		literals, the sandbox libc's data), checked on the module linked
 *		with the libc before anything else works on it.
 *
 * Invariants kept here:
 *	- No global variable is aligned above TMEBOX_PAGE_SIZE (the image
 *	  would pad to the alignment: __attribute__((aligned(1 << 28))) made a
 *	  268 MB module and 867 MB of compiler memory).
 *	- Static data fits what any tenant could ever commit: the memory limit
 *	  of a tenant is at most 3 GiB (tmebox.tenant's CHECK) and charges the
 *	  committed part of the view from the data stack up ([0x10000, brk),
 *	  ABI.md "Layout of a view"), so image + bss may be at most 3 GiB less
 *	  the 1 MiB data stack.
 *	- Initialised data, stored in the module file and in every backend
 *	  that loads it, is at most CC_MAX_INIT_DATA (the backend reads module
 *	  files of at most 256 MiB).
 *	- Each refusal names the variable and the line of its declaration.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_STATICDATA_H
#define CC_STATICDATA_H

#include "cc_sandbox.h"
#include "cc_signature.h"
#include "tmebox_abi.h"

/* The largest tenant memory limit (tmebox.tenant's CHECK). */
#define CC_MAX_TENANT_MEMORY	(UINT64_C(3) << 30)
#define CC_MAX_GLOBAL_ALIGN		TMEBOX_PAGE_SIZE
#define CC_MAX_STATIC_DATA		(CC_MAX_TENANT_MEMORY - TMEBOX_DSTACK_SIZE)
#define CC_MAX_INIT_DATA		(UINT64_C(64) << 20)

/*
 * Check the global variables of `mod` (sizes from `td`); every refusal goes
 * to report(arg, file, line, message) with `file` the input's display name
 * and the variable's line from `sigs` (or of its first use).  Returns the
 * number of refusals.
 */
extern int	cc_staticdata_check(LLVMModuleRef mod, LLVMTargetDataRef td,
								const cc_sigs *sigs, const char *display,
								cc_report_fn report, void *arg);

#endif							/* CC_STATICDATA_H */
