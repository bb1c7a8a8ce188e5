/*-------------------------------------------------------------------------
 *
 * cc_oom.h
 *		Out-of-memory handlers of tmebox-cc's own process (C interface to
 *		the C++ hooks of cc_oom.cpp).
 *
 * Invariants kept here:
 *	- After cc_oom_install(), a failed allocation anywhere in the process
 *	  (LLVM's safe_malloc and SmallVector growth, operator new in LLVM or
 *	  libclang) calls cc_out_of_memory("the compiler"): one diagnostic,
 *	  cleanup, exit status CC_EXIT_OOM; never LLVM's "out of memory" abort.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_OOM_H
#define CC_OOM_H

#ifdef __cplusplus
extern "C"
{
#endif

extern void cc_oom_install(void);

#ifdef __cplusplus
}
#endif

#endif							/* CC_OOM_H */
