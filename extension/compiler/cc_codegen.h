/*-------------------------------------------------------------------------
 *
 * cc_codegen.h
 *		LLVM side of tmebox-cc outside the sandboxing passes: the target
 *		machine, loading the front end's bitcode, linking the sandbox libc,
 *		verifying, stripping debug info and emitting the object file.
 *
 * Invariants kept here:
 *	- One target machine (x86_64-unknown-linux-gnu, x86-64-v2, PIC, O2)
 *	  is used both by cc_sandbox_module() and for code generation.
 *	- Every LLVM message string is released with LLVMDisposeMessage; every
 *	  LLVM object created here has an owner that disposes of it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_CODEGEN_H
#define CC_CODEGEN_H

#include <stdbool.h>
#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

/*
 * The largest native stack frame of a function (bytes): the verifier's
 * limit (extension/verify: depth at most 60 KiB), below the 64 KiB guard
 * under the sandbox's native stack, so no frame needs stack probes.
 */
#define CC_MAX_NATIVE_FRAME	(60 * 1024)

/*
 * The most bytes of stack arguments a function may read above its return
 * address (the verifier's incoming-argument area).
 */
#define CC_MAX_STACK_ARGS	256

/*
 * A context whose diagnostic handler prints LLVM errors as
 * "tmebox-cc: error: ..." (warnings only when verbose).
 */
extern LLVMContextRef cc_codegen_context(bool verbose);

/* The target machine, or NULL after a message. */
extern LLVMTargetMachineRef cc_codegen_target_machine(void);

/*
 * Parse `bc_path` into `ctx` and link `libc_path` into it (the libc module
 * is consumed).  0 and *out set, or -1 after a message.
 */
extern int	cc_codegen_load(LLVMContextRef ctx, const char *bc_path,
							const char *libc_path, LLVMModuleRef *out);

/*
 * True when `name` is a function with an external, non-inline-only
 * definition in `mod` (what an export needs).
 */
extern bool cc_codegen_has_definition(LLVMModuleRef mod, const char *name);

/*
 * Verify the module, refuse a function with more than CC_MAX_STACK_ARGS
 * bytes of stack arguments, give every function the frame-size limit
 * CC_MAX_NATIVE_FRAME (checked during emission) and strip its debug info.
 * 0 or -1 (message).
 */
extern int	cc_codegen_finish(LLVMModuleRef mod);

/*
 * Emit an ELF object into *obj (caller disposes).  0 or -1 (message); a
 * function whose native frame exceeds CC_MAX_NATIVE_FRAME is an error
 * naming it (and its line in the input).
 */
extern int	cc_codegen_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod,
							LLVMMemoryBufferRef *obj);

#endif							/* CC_CODEGEN_H */
