/*-------------------------------------------------------------------------
 *
 * cc_sandbox_opt.c
 *		Step 2 of the sandboxing pipeline: exports renamed and everything
 *		else internalised, function attributes for the sandbox, the O2
 *		pipeline (without SCCP: see cc_o2_pipeline), then scalarisation of
 *		masked / gather / scatter accesses.
 *
 * Invariants kept:
 *	- Only the requested exports (as __tmebox_export_NAME) and the libc
 *	  entry points __tmebox_rt_malloc / __tmebox_rt_free keep external
 *	  linkage; every other definition is internal, so the object interposes
 *	  nothing when loaded.
 *	- Every defined function carries "disable-tail-calls"="true" (every
 *	  function is entered by a call, as the verifier expects), no red
 *	  zone, nounwind and "no-builtins" (the
 *	  optimiser does not invent libc calls the sandbox does not have), and
 *	  no stack protector (it would read %fs:0x28, host memory).
 *	- Every defined function carries "no-jump-tables"="true", for good:
 *	  SimplifyCFG builds no switch lookup table (a switch whose default
 *	  the optimiser took as unreachable still ends in `unreachable`, which
 *	  step 6a turns into a trap), and code generation no jump table: a
 *	  jump table is an indirect jump, which the verifier of the final
 *	  object (extension/verify) does not accept.  A switch becomes a tree
 *	  of compares.
 *	- Only passes that preserve these run here; instrumentation comes after.
 *	- The result depends on the input alone, never on heap addresses: no
 *	  pass whose result depends on pointer order (cc_o2_pipeline).
 *	  The native frame's attributes (no frame pointer, realignment or
 *	  stack probes; the 60 KiB limit) are set just before code generation
 *	  (cc_codegen.c, cc_cg_frame_attrs).
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdio.h>
#include <string.h>

#include <llvm-c/Error.h>
#include <llvm-c/Transforms/PassBuilder.h>

static void
cc_add_string_attr(cc_sandbox *S, LLVMValueRef fn, const char *k, const char *v)
{
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
							LLVMCreateStringAttribute(S->ctx, k, strlen(k), v, strlen(v)));
}

static void
cc_remove_enum_attr(LLVMValueRef fn, const char *name)
{
	unsigned	kind = LLVMGetEnumAttributeKindForName(name, strlen(name));

	LLVMRemoveEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex, kind);
}

/* Attributes every defined function carries into code generation. */
static void
cc_set_function_attrs(cc_sandbox *S, LLVMValueRef fn)
{
	const char *spbs = "stack-protector-buffer-size";

	cc_add_string_attr(S, fn, "no-jump-tables", "true");
	/* no sibling calls: every function is entered by a `call`, so the
	 * verifier finds each function's entry (a function reached only by
	 * a tail jump would look like code of its caller) */
	cc_add_string_attr(S, fn, "disable-tail-calls", "true");
	cc_add_string_attr(S, fn, "no-builtins", "");
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
							LLVMCreateEnumAttribute(S->ctx,
													LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
	/* no red zone: the verifier accepts %rsp-relative accesses only inside
	 * the frame the function has allocated, never below %rsp */
	LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
							LLVMCreateEnumAttribute(S->ctx,
													LLVMGetEnumAttributeKindForName("noredzone", 9), 0));
	cc_remove_enum_attr(fn, "ssp");
	cc_remove_enum_attr(fn, "sspstrong");
	cc_remove_enum_attr(fn, "sspreq");
	LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex, spbs, strlen(spbs));
}

/*
 * The optimisation pipeline: LLVM 19's default<O2> (as `opt-19
 * -passes='default<O2>' -print-pipeline-passes` prints it) without its
 * two SCCP passes, `ipsccp` (module) and `sccp` (function).  LLVM 19's
 * SCCP solver visits the users it recorded for branch predicates and
 * overflow checks in the order of a pointer-keyed set (AdditionalUsers, a
 * SmallPtrSet), that is in an order that depends on heap addresses and so
 * on address-space layout randomisation; with its range widening the
 * result differs from run to run (`add nsw` or `add nuw nsw`, `sext` or
 * `zext nneg`: same meaning, different bytes).  Upstream fixed it after
 * LLVM 19 (llvm-project PR 105758, "[SCCP] fix non-determinism").  The
 * same source must give the same module (the compile cache, shards that
 * compare objects, audits), so the passes are left out; instcombine,
 * GVN, correlated-propagation and the inliner still fold constants.
 * Nothing else differs from default<O2>: the passes run in its order with
 * its options.
 */
static const char cc_o2_pipeline[] =
	"annotation2metadata,forceattrs,inferattrs,coro-early,"
	"function<eager-inv>(ee-instrument<>,lower-expect,"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;no-switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>,"
	"sroa<modify-cfg>,early-cse<>),openmp-opt,called-value-propagation,"
	"globalopt,function<eager-inv>(mem2reg,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>),"
	"always-inline,require<globals-aa>,function(invalidate<aa>),"
	"require<profile-summary>,cgscc(devirt<4>(inline,"
	"function-attrs<skip-non-recursive-function-attrs>,"
	"openmp-opt-cgscc,function<eager-inv;no-rerun>(sroa<modify-cfg>,"
	"early-cse<memssa>,speculative-execution<only-if-divergent-target>,"
	"jump-threading,correlated-propagation,"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"aggressive-instcombine,libcalls-shrinkwrap,tailcallelim,"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>,"
	"reassociate,constraint-elimination,loop-mssa(loop-instsimplify,"
	"loop-simplifycfg,licm<no-allowspeculation>,"
	"loop-rotate<header-duplication;no-prepare-for-lto>,"
	"licm<allowspeculation>,"
	"simple-loop-unswitch<no-nontrivial;trivial>),"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"loop(loop-idiom,indvars,"
	"simple-loop-unswitch<no-nontrivial;trivial>,loop-deletion,"
	"loop-unroll-full),sroa<modify-cfg>,vector-combine,"
	"mldst-motion<no-split-footer-bb>,gvn<>,bdce,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"jump-threading,correlated-propagation,adce,memcpyopt,dse,"
	"move-auto-init,loop-mssa(licm<allowspeculation>),coro-elide,"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;hoist-common-insts;sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>),"
	"function-attrs,function(require<should-not-run-function-passes>),"
	"coro-split)),deadargelim,coro-cleanup,globalopt,globaldce,"
	"elim-avail-extern,rpo-function-attrs,recompute-globalsaa,"
	"function<eager-inv>(float2int,lower-constant-intrinsics,"
	"loop(loop-rotate<header-duplication;no-prepare-for-lto>,"
	"loop-deletion),loop-distribute,inject-tli-mappings,"
	"loop-vectorize<no-interleave-forced-only;no-vectorize-forced-only;>,"
	"infer-alignment,loop-load-elim,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"simplifycfg<bonus-inst-threshold=1;forward-switch-cond;switch-range-to-icmp;switch-to-lookup;no-keep-loops;hoist-common-insts;sink-common-insts;speculate-blocks;simplify-cond-branch;no-speculate-unpredictables>,"
	"slp-vectorizer,vector-combine,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"loop-unroll<O2>,transform-warning,sroa<preserve-cfg>,"
	"infer-alignment,"
	"instcombine<max-iterations=1;no-use-loop-info;no-verify-fixpoint>,"
	"loop-mssa(licm<allowspeculation>),alignment-from-assumptions,"
	"loop-sink,instsimplify,div-rem-pairs,tailcallelim,"
	"simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts;speculate-blocks;simplify-cond-branch;speculate-unpredictables>),"
	"globaldce,constmerge,cg-profile,rel-lookup-table-converter,"
	"function(annotation-remarks),verify";

static int
cc_run_passes(cc_sandbox *S, const char *passes)
{
	LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
	LLVMErrorRef err;

	err = LLVMRunPasses(S->mod, passes, S->tm, opts);
	LLVMDisposePassBuilderOptions(opts);
	if (err)
	{
		char	   *msg = LLVMGetErrorMessage(err);

		cc_error(S, NULL, "internal error: running passes \"%s\" failed: %s", passes, msg);
		LLVMDisposeErrorMessage(msg);
		return -1;
	}
	return 0;
}

/* Delete llvm.used / llvm.compiler.used / llvm.global.annotations. */
static void
cc_drop_llvm_globals(cc_sandbox *S)
{
	LLVMValueRef g,
				next;

	for (g = LLVMGetFirstGlobal(S->mod); g; g = next)
	{
		const char *n = cc_name(g);

		next = LLVMGetNextGlobal(g);
		if (strcmp(n, "llvm.used") == 0 || strcmp(n, "llvm.compiler.used") == 0 ||
			strcmp(n, "llvm.global.annotations") == 0)
			LLVMDeleteGlobal(g);
	}
}

void
cc_sandbox_optimise(cc_sandbox *S)
{
	LLVMValueRef fn,
				g;
	int			i;

	/* exports: present, defined, renamed */
	for (i = 0; i < S->nexports; i++)
	{
		const char *e = S->exports[i];
		char		full[512];

		fn = LLVMGetNamedFunction(S->mod, e);
		if (fn == NULL || LLVMIsDeclaration(fn))
		{
			cc_error(S, NULL, "exported function '%s' is not defined", e);
			continue;
		}
		snprintf(full, sizeof(full), "%s%s", TMEBOX_EXPORT_PREFIX, e);
		LLVMSetValueName2(fn, full, strlen(full));
	}
	if (S->nerrors)
		return;

	cc_drop_llvm_globals(S);
	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		const char *n = cc_name(fn);

		if (LLVMIsDeclaration(fn))
			continue;
		if (!cc_starts_with(n, TMEBOX_EXPORT_PREFIX) &&
			strcmp(n, TMEBOX_SYM_RT_MALLOC) != 0 && strcmp(n, TMEBOX_SYM_RT_FREE) != 0)
			LLVMSetLinkage(fn, LLVMInternalLinkage);
		else
		{
			/* protected: in .dynsym for the runtime, but not preemptible,
			 * so a call between exports is a direct call, not a PLT
			 * stub's indirect jump (which the verifier refuses) */
			LLVMSetLinkage(fn, LLVMExternalLinkage);
			LLVMSetVisibility(fn, LLVMProtectedVisibility);
		}
		LLVMSetComdat(fn, NULL);
		cc_set_function_attrs(S, fn);
	}
	for (g = LLVMGetFirstGlobal(S->mod); g; g = LLVMGetNextGlobal(g))
		if (LLVMGetInitializer(g) != NULL)
		{
			LLVMSetLinkage(g, LLVMInternalLinkage);
			LLVMSetComdat(g, NULL);
		}

	if (cc_run_passes(S, cc_o2_pipeline) != 0)
		return;
	/* masked loads/stores, gather/scatter, expand/compress -> plain accesses */
	cc_run_passes(S, "function(scalarize-masked-mem-intrin)");
}

/*
 * Step 8: the code-generation attributes the verifier relies on, on every
 * defined function, also on those the instrumentation created after step 2
 * (the function-pointer dispatchers): no jump tables, no sibling calls, no
 * red zone.
 */
void
cc_sandbox_codegen_attrs(cc_sandbox *S)
{
	LLVMValueRef fn;

	for (fn = LLVMGetFirstFunction(S->mod); fn; fn = LLVMGetNextFunction(fn))
	{
		if (LLVMIsDeclaration(fn))
			continue;
		cc_add_string_attr(S, fn, "no-jump-tables", "true");
		cc_add_string_attr(S, fn, "disable-tail-calls", "true");
		LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
								LLVMCreateEnumAttribute(S->ctx,
														LLVMGetEnumAttributeKindForName("noredzone", 9), 0));
	}
}
