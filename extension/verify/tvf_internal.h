/*-------------------------------------------------------------------------
 *
 * tvf_internal.h
 *		Shared declarations of the verifier's parts: the parsed object
 *		(tvf_elf.c), the per-instruction rules (tvf_insn.c) and the
 *		recursive descent with stack-depth tracking (tvf_flow.c).
 *
 * Invariants:
 *	- A tvf_obj only holds ranges that tvf_elf_parse checked against the
 *	  buffer: text[0, text_hi - text_lo) is readable, every ro range lies
 *	  inside a read-only, non-executable PT_LOAD and outside RELRO pages.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TVF_INTERNAL_H
#define TVF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <Zydis/Zydis.h>

#include "tvf.h"

#define TVF_MAX_PHDRS	64
#define TVF_MAX_RO		16
#define TVF_PAGE		UINT64_C(4096)

typedef struct tvf_range
{
	uint64_t	lo;
	uint64_t	hi;				/* exclusive */
} tvf_range;

typedef struct tvf_root
{
	uint64_t	addr;
	const char *name;			/* points into the object's string table */
} tvf_root;

typedef struct tvf_obj
{
	const uint8_t *text;		/* bytes of the executable PT_LOAD */
	uint64_t	text_lo;		/* its virtual address range (file part) */
	uint64_t	text_hi;
	tvf_range	ro[TVF_MAX_RO];	/* read-only, non-executable data */
	int			nro;
	tvf_range	relro;			/* page-rounded PT_GNU_RELRO, or empty */
	uint64_t	hosttab;		/* address of __tmebox_hosttab */
	uint64_t	nslots;			/* host slots a call may go through */
	tvf_root   *roots;			/* malloc'd */
	uint32_t	nroots;
} tvf_obj;

/* Control-flow kind of one instruction. */
typedef enum tvf_kind
{
	TVF_FALL,					/* goes on with the next instruction */
	TVF_JMP,					/* direct jump to target */
	TVF_JCC,					/* direct conditional jump: target or next */
	TVF_CALL,					/* direct call of target, then next */
	TVF_HOSTCALL,				/* call *SLOT(%rip), then next */
	TVF_RET,					/* near return without immediate */
	TVF_TRAP					/* int3 / ud0 / ud1 / ud2: never goes on */
} tvf_kind;

#define TVF_MAX_STACK_OPS	4

/* What an instruction does, as far as the flow analysis cares. */
typedef struct tvf_insn
{
	tvf_kind	kind;
	uint64_t	target;			/* TVF_JMP / TVF_JCC / TVF_CALL */
	int64_t		grow;			/* bytes the stack grows by (push +8,
								 * pop -8, sub $n,%rsp +n, ...) */
	int			nstack;			/* explicit %rsp-based memory operands */
	struct
	{
		int64_t		disp;
		uint32_t	size;
		bool		write;
	}			stack[TVF_MAX_STACK_OPS];
} tvf_insn;

/* ---- tvf_elf.c ---- */
extern int	tvf_elf_parse(const uint8_t *so, size_t len, tvf_obj *o,
						  char *err, size_t errlen);
extern void tvf_obj_free(tvf_obj *o);

/* ---- tvf_insn.c ---- */

/*
 * Check the depth-independent rules for instruction in/ops at address
 * addr and describe it in *out.  NULL if it is allowed, else the rule it
 * breaks (a static string).
 */
extern const char *tvf_insn_check(const tvf_obj *o, uint64_t addr,
								  const ZydisDecodedInstruction *in,
								  const ZydisDecodedOperand *ops, tvf_insn *out);

/* ---- tvf_util ---- */
extern void tvf_errf(char *err, size_t errlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

#endif							/* TVF_INTERNAL_H */
