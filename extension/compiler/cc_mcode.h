/*-------------------------------------------------------------------------
 *
 * cc_mcode.h
 *		Machine code of a sandboxed module: emission with 32-bit address
 *		size on every %gs access (cc_mcode_emit) and the independent check
 *		of the finished object (cc_mcode_check).
 *
 * Why: the ABI's address of a sandbox access is gs_base + (uint32_t) p
 * (ABI.md "Pointers and views").  Doing the truncation in the IR
 * (zext(trunc p)) keeps LLVM from folding base + index * scale into one
 * addressing mode: every array walk then carries one 32-bit induction
 * variable per pointer plus a zero-extending move per access.  Instead
 * the IR hands LLVM the 64-bit p, LLVM folds freely, and every %gs memory
 * operand of the emitted assembly is rewritten to its 32-bit-address form
 * (prefix 0x67: `%gs:d(%rax,%rcx,4)` becomes `%gs:d(%eax,%ecx,4)`), which
 * the CPU computes modulo 2^32: exactly (uint32_t) p, for any value the
 * registers hold.
 *
 * Invariants:
 *	- No %gs operand leaves cc_mcode_emit without 32-bit address size: an
 *	  operand the rewriter does not understand is an error, never passed
 *	  through.
 *	- cc_mcode_check trusts nothing of the above: it decodes every byte of
 *	  every executable section and refuses a %gs access without 0x67, any
 *	  %fs access or segment-register operand, and the instructions a
 *	  sandbox must never execute (system calls, %fs/%gs base writes and
 *	  reads, far transfers, privileged and I/O instructions, ...).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_MCODE_H
#define CC_MCODE_H

#include <stddef.h>
#include <stdint.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

/*
 * Rewrite every %gs memory operand of x86-64 AT&T assembly `in` (as
 * LLVM's asm printer writes it) to 32-bit address size.  Returns a
 * malloc'd NUL-terminated string, or NULL with a message in err.
 */
extern char *cc_mcode_addr32(const char *in, size_t len, char *err, size_t errlen);

/*
 * Emit `mod` through `tm` as an ELF object whose %gs accesses use 32-bit
 * address size: assembly, cc_mcode_addr32, then LLVM's assembler.  0 and
 * *obj set (caller disposes), or -1 with a message in err.
 */
extern int	cc_mcode_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod,
						  LLVMMemoryBufferRef *obj, char *err, size_t errlen);

/*
 * Check every executable section of the ELF file (object or shared
 * object) `elf`.  0 when it is clean, else -1 with a message in err naming
 * the offending instruction.
 */
extern int	cc_mcode_check(const uint8_t *elf, size_t len, char *err, size_t errlen);

/* snprintf into err (the messages of this stage). */
extern void cc_mcode_errf(char *err, size_t errlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

#endif							/* CC_MCODE_H */
