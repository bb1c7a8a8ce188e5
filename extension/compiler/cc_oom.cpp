/*-------------------------------------------------------------------------
 *
 * cc_oom.cpp
 *		Routes every allocation failure of tmebox-cc's process to
 *		cc_out_of_memory(): LLVM's bad-alloc handler (no LLVM-C API
 *		exists for it) and the C++ new-handler (operator new in LLVM and
 *		libclang; LLVM is built without exceptions, so std::bad_alloc would
 *		end in std::terminate and an abort).
 *
 * Invariants kept here:
 *	- Neither handler allocates or returns: cc_out_of_memory writes a
 *	  fixed message, removes the temp directory and exits with
 *	  CC_EXIT_OOM (a forked helper just exits; its parent reports).
 *
 *-------------------------------------------------------------------------
 */
#include <new>

#include <llvm/Support/ErrorHandling.h>

extern "C"
{
#include "cc_oom.h"
#include "cc_util.h"
}

static void
cc_oom_llvm(void *data, const char *reason, bool gen_crash_diag)
{
	(void) data;
	(void) reason;
	(void) gen_crash_diag;
	cc_out_of_memory("the compiler");
}

static void
cc_oom_new(void)
{
	cc_out_of_memory("the compiler");
}

void
cc_oom_install(void)
{
	llvm::install_bad_alloc_error_handler(cc_oom_llvm, nullptr);
	std::set_new_handler(cc_oom_new);
}
