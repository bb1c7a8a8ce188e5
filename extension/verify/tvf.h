/*-------------------------------------------------------------------------
 *
 * tvf.h
 *		tmebox verifier: the allow-list check of a module's final linked
 *		object (DESIGN.md §5, last item; README.md in this directory).
 *		The security boundary: tmebox-cc runs it on every object it links
 *		and the runtime's loader runs it again before every load, so
 *		neither LLVM's code generator nor the linker is trusted.
 *
 * Plain C99 on Zydis 4 (-lZydis), no LLVM, no PostgreSQL: linked into
 * tmebox-cc, tmebox.so (the backend), libtmebox_rt.a and tmebox-verify.
 * Every function is reentrant (no global state) and never aborts: a
 * hostile input gives an error message, never an out-of-bounds read.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TVF_H
#define TVF_H

#include <stddef.h>
#include <stdint.h>

/* Largest frame a function may have (bytes below its return address):
 * less than the runtime's 64 KiB native-stack guard, so that a frame
 * entered at the lowest stack address still faults inside the guard. */
#define TVF_MAX_FRAME			(60u * 1024u)
/* Incoming stack-argument area above the return address that a function
 * may read (never write). */
#define TVF_MAX_STACK_ARGS		256u
/* Largest executable segment accepted. */
#define TVF_MAX_TEXT			(64u * 1024u * 1024u)
/* tvf_stats.max_stack when no bound is known (recursion). */
#define TVF_STACK_UNBOUNDED		UINT32_MAX

/* What a successful verification looked at (for tools and tests). */
typedef struct tvf_stats
{
	uint32_t	nroots;			/* defined STT_FUNC symbols of .dynsym */
	uint32_t	nfunctions;		/* roots plus direct-call targets */
	uint32_t	ninsns;			/* distinct instructions decoded */
	uint32_t	nhostcalls;		/* `call *SLOT(%rip)` sites */
	uint32_t	max_frame;		/* deepest static %rsp depth seen, bytes */

	/*
	 * Native-stack bytes any call into a root can touch below the root's
	 * return address, whatever the path taken: the maximum over the roots
	 * of bound(f) = max(f's deepest frame, depth + 8 at each host call,
	 * depth + 8 + bound(callee) at each direct call, bound(callee) at each
	 * tail call).  TVF_STACK_UNBOUNDED when a root reaches a cycle of the
	 * call graph (recursion, also through the function-pointer
	 * dispatchers), or the bound does not fit below it.  Host calls count
	 * their return address only: the runtime's thunks switch to the
	 * host's stack (rt_hostthunk.c).  Nothing above the return address is
	 * written (README.md, "The stack depth").
	 */
	uint32_t	max_stack;
	/* entry address of a function on a call-graph cycle that a root
	 * reaches (the reason for TVF_STACK_UNBOUNDED), else 0 */
	uint64_t	stack_cycle;
} tvf_stats;

/*
 * Verify the ELF x86-64 shared object so[0, len) (the object part of a
 * module file).  Returns 0 when every rule of README.md holds, else -1 with
 * a NUL-terminated message in err (when errlen > 0) naming the rule and,
 * for code, the offending instruction's address and AT&T text.  stats may
 * be NULL; it is filled only on success.
 */
extern int	tvf_verify_object_ex(const uint8_t *so, size_t len, tvf_stats *stats,
								 char *err, size_t errlen);

/*
 * tvf_verify_object_ex, and bounds[i] = the native-stack bound (as
 * max_stack, of that function alone) of the function at addrs[i], an
 * address of the object as in .dynsym: a root or a direct-call target.
 * -1 with a message if one is no function.  Per export: how deep a call
 * of it can reach (the runtime's loader asks for its exports').
 */
extern int	tvf_verify_roots(const uint8_t *so, size_t len, const uint64_t *addrs,
							 uint32_t *bounds, size_t n, tvf_stats *stats,
							 char *err, size_t errlen);

/*
 * tvf_verify_object_ex without statistics.
 */
extern int	tvf_verify_object(const uint8_t *so, size_t len, char *err, size_t errlen);

/*
 * Find the object inside a module file file[0, len) (tmebox_abi.h, "Module
 * file": header, metadata, object).  Returns 0 and sets *obj / *objlen, or
 * -1 with a message in err if the header is malformed.  Checks only the
 * header, not the metadata.
 */
extern int	tvf_module_object(const uint8_t *file, size_t len, const uint8_t **obj,
							  size_t *objlen, char *err, size_t errlen);

#endif							/* TVF_H */
