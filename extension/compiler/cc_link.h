/*-------------------------------------------------------------------------
 *
 * cc_link.h
 *		Links the emitted object into the module's ELF shared object with
 *		ld.lld.
 *
 * Invariants kept here:
 *	- The shared object has no undefined symbol, no DT_NEEDED, a
 *	  non-executable stack and full RELRO (-nostdlib --no-undefined -z defs
 *	  -z noexecstack -z relro -z now); a link failure is an internal error.
 *	- ld.lld runs through cc_run (limits, timeout, minimal environment) in
 *	  the private temp directory.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_LINK_H
#define CC_LINK_H

#include "cc_frontend.h"

/*
 * Link `obj` (an ELF object of `objlen` bytes) into a shared object
 * returned in `so`.  0, or -1 after a message.
 */
extern int	cc_link_shared(const cc_job *job, const void *obj, size_t objlen, cc_buf *so);

#endif							/* CC_LINK_H */
