/*-------------------------------------------------------------------------
 *
 * cc_signature.h
 *		Signatures of the user's functions (libclang): which non-static
 *		function definitions of the input are exported, with their ABI type
 *		codes and C declaration, and which are skipped and why; and the
 *		source lines of the input's variables of static storage (the IR
 *		built with -gline-tables-only has none for them).
 *
 * Invariants kept here:
 *	- libclang parses with exactly the flags and overlay of the compile,
 *	  in a forked child under the same limits (cc_run): a bad input cannot
 *	  hang or bloat tmebox-cc itself.
 *	- A function is exported only if its return and every parameter type
 *	  map to an ABI.md type code; type structs must come from the sandbox
 *	  headers.  Names are ASCII C identifiers outside the __tmebox_
 *	  namespace.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_SIGNATURE_H
#define CC_SIGNATURE_H

#include "cc_frontend.h"

/* Most parameters an exported function may have. */
#define CC_SIG_MAX_PARAMS	32

typedef struct cc_sig
{
	char	   *name;
	bool		exported;
	char	   *codes;			/* exported: "RET ARG..." type codes */
	char	   *csig;			/* exported: C declaration */
	char	   *reason;			/* skipped: why */
} cc_sig;

/* A variable of static storage defined in the input file, by IR name. */
typedef struct cc_sig_var
{
	char	   *name;			/* "x", or "fn.x" for a static local */
	unsigned	line;			/* of its definition (else declaration) */
} cc_sig_var;

typedef struct cc_sigs
{
	cc_sig	   *v;
	int			n;
	cc_sig_var *vars;
	int			nvars;
} cc_sigs;

/* The line of variable `irname` in the input, 0 when unknown (a ".N"
 * suffix LLVM adds to a repeated name is ignored). */
extern unsigned cc_signature_var_line(const cc_sigs *sigs, const char *irname);

/*
 * Collect the signatures of the input prepared in `job`, in source order.
 * 0 or -1 (message printed).
 */
extern int	cc_signature_collect(const cc_job *job, cc_sigs *out);

/* Turn an exported entry into a skipped one with `reason`. */
extern void cc_signature_skip(cc_sig *s, const char *reason);

extern void cc_signature_free(cc_sigs *sigs);

#endif							/* CC_SIGNATURE_H */
