/*-------------------------------------------------------------------------
 *
 * cc_pragma.h
 *		Source lines of linker directives (#pragma comment(lib|linker)),
 *		which clang turns into module metadata without a location.
 *
 * Invariants kept here:
 *	- A module with llvm.dependent-libraries or llvm.linker.options is
 *	  refused with one error per directive, at the line where the pragma
 *	  (or the macro use that expands to _Pragma) is, found in clang's
 *	  preprocessed output (-E, under the same flags, overlay and limits as
 *	  the compile); if none can be located the error carries no line.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_PRAGMA_H
#define CC_PRAGMA_H

#include "cc_frontend.h"
#include "cc_sandbox.h"

/*
 * Refuse linker directives of `mod` (the user's module as clang emitted
 * it), reporting each through report(arg, file, line, message).  Returns
 * the number of refusals (0 when there are none).
 */
extern int	cc_pragma_check(const cc_job *job, LLVMModuleRef mod,
							cc_report_fn report, void *arg);

#endif							/* CC_PRAGMA_H */
