/*-------------------------------------------------------------------------
 *
 * tvf_insn.c
 *		The per-instruction rules of the verifier (README.md, "Rules"):
 *		an allow-list of instructions, registers and memory-operand forms,
 *		and the classification the flow analysis needs (branch kind and
 *		target, stack growth, %rsp-relative operands to check against the
 *		frame).
 *
 * Invariants:
 *	- Anything not explicitly allowed is refused: an unknown mnemonic,
 *	  register class, operand type or memory form is an error, never
 *	  passed through.
 *	- Only legacy-encoded instructions pass (no VEX/EVEX/XOP/3DNow!): AVX
 *	  state is never read or written by sandboxed code.
 *	- Every memory access is %gs-relative with 32-bit address size, an
 *	  %rsp-relative operand whose range tvf_flow.c checks against the
 *	  frame, a RIP-relative load from read-only data, or the host-slot
 *	  operand of `call *SLOT(%rip)`.  `lea` and `nop` access nothing.
 *	  No allowed instruction moves an access away from its ModRM/SIB
 *	  address by another register: bit tests of memory take an immediate
 *	  bit offset only.
 *	- The only indirect transfer is `call *SLOT(%rip)` on a host slot;
 *	  %rsp is written only by push/pop/call/ret and by add/sub/lea with
 *	  a constant.
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "tvf_internal.h"

/* Integer instructions allowed (legacy encoding, x86-64-v2). */
static const ZydisMnemonic tvf_base_ok[] = {
	ZYDIS_MNEMONIC_ADC, ZYDIS_MNEMONIC_ADD, ZYDIS_MNEMONIC_AND,
	ZYDIS_MNEMONIC_BSF, ZYDIS_MNEMONIC_BSR, ZYDIS_MNEMONIC_BSWAP,
	ZYDIS_MNEMONIC_BT, ZYDIS_MNEMONIC_BTC, ZYDIS_MNEMONIC_BTR, ZYDIS_MNEMONIC_BTS,
	ZYDIS_MNEMONIC_CALL, ZYDIS_MNEMONIC_CBW, ZYDIS_MNEMONIC_CDQ, ZYDIS_MNEMONIC_CDQE,
	ZYDIS_MNEMONIC_CLC, ZYDIS_MNEMONIC_CLD, ZYDIS_MNEMONIC_CMC,
	ZYDIS_MNEMONIC_CMOVB, ZYDIS_MNEMONIC_CMOVBE, ZYDIS_MNEMONIC_CMOVL,
	ZYDIS_MNEMONIC_CMOVLE, ZYDIS_MNEMONIC_CMOVNB, ZYDIS_MNEMONIC_CMOVNBE,
	ZYDIS_MNEMONIC_CMOVNL, ZYDIS_MNEMONIC_CMOVNLE, ZYDIS_MNEMONIC_CMOVNO,
	ZYDIS_MNEMONIC_CMOVNP, ZYDIS_MNEMONIC_CMOVNS, ZYDIS_MNEMONIC_CMOVNZ,
	ZYDIS_MNEMONIC_CMOVO, ZYDIS_MNEMONIC_CMOVP, ZYDIS_MNEMONIC_CMOVS,
	ZYDIS_MNEMONIC_CMOVZ, ZYDIS_MNEMONIC_CMP, ZYDIS_MNEMONIC_CMPXCHG,
	ZYDIS_MNEMONIC_CMPXCHG16B, ZYDIS_MNEMONIC_CMPXCHG8B, ZYDIS_MNEMONIC_CQO,
	ZYDIS_MNEMONIC_CWD, ZYDIS_MNEMONIC_CWDE, ZYDIS_MNEMONIC_DEC, ZYDIS_MNEMONIC_DIV,
	ZYDIS_MNEMONIC_ENDBR64, ZYDIS_MNEMONIC_IDIV, ZYDIS_MNEMONIC_IMUL,
	ZYDIS_MNEMONIC_INC, ZYDIS_MNEMONIC_INT3,
	ZYDIS_MNEMONIC_JB, ZYDIS_MNEMONIC_JBE, ZYDIS_MNEMONIC_JL, ZYDIS_MNEMONIC_JLE,
	ZYDIS_MNEMONIC_JMP, ZYDIS_MNEMONIC_JNB, ZYDIS_MNEMONIC_JNBE, ZYDIS_MNEMONIC_JNL,
	ZYDIS_MNEMONIC_JNLE, ZYDIS_MNEMONIC_JNO, ZYDIS_MNEMONIC_JNP, ZYDIS_MNEMONIC_JNS,
	ZYDIS_MNEMONIC_JNZ, ZYDIS_MNEMONIC_JO, ZYDIS_MNEMONIC_JP, ZYDIS_MNEMONIC_JRCXZ,
	ZYDIS_MNEMONIC_JS, ZYDIS_MNEMONIC_JZ, ZYDIS_MNEMONIC_LAHF, ZYDIS_MNEMONIC_LEA,
	ZYDIS_MNEMONIC_LZCNT, ZYDIS_MNEMONIC_MOV, ZYDIS_MNEMONIC_MOVSX,
	ZYDIS_MNEMONIC_MOVSXD, ZYDIS_MNEMONIC_MOVZX, ZYDIS_MNEMONIC_MUL,
	ZYDIS_MNEMONIC_NEG, ZYDIS_MNEMONIC_NOP, ZYDIS_MNEMONIC_NOT, ZYDIS_MNEMONIC_OR,
	ZYDIS_MNEMONIC_PAUSE, ZYDIS_MNEMONIC_POP, ZYDIS_MNEMONIC_POPCNT,
	ZYDIS_MNEMONIC_PUSH, ZYDIS_MNEMONIC_RCL, ZYDIS_MNEMONIC_RCR, ZYDIS_MNEMONIC_RET,
	ZYDIS_MNEMONIC_ROL, ZYDIS_MNEMONIC_ROR, ZYDIS_MNEMONIC_SAHF, ZYDIS_MNEMONIC_SAR,
	ZYDIS_MNEMONIC_SBB, ZYDIS_MNEMONIC_SETB, ZYDIS_MNEMONIC_SETBE,
	ZYDIS_MNEMONIC_SETL, ZYDIS_MNEMONIC_SETLE, ZYDIS_MNEMONIC_SETNB,
	ZYDIS_MNEMONIC_SETNBE, ZYDIS_MNEMONIC_SETNL, ZYDIS_MNEMONIC_SETNLE,
	ZYDIS_MNEMONIC_SETNO, ZYDIS_MNEMONIC_SETNP, ZYDIS_MNEMONIC_SETNS,
	ZYDIS_MNEMONIC_SETNZ, ZYDIS_MNEMONIC_SETO, ZYDIS_MNEMONIC_SETP,
	ZYDIS_MNEMONIC_SETS, ZYDIS_MNEMONIC_SETZ, ZYDIS_MNEMONIC_SHL,
	ZYDIS_MNEMONIC_SHLD, ZYDIS_MNEMONIC_SHR, ZYDIS_MNEMONIC_SHRD,
	ZYDIS_MNEMONIC_STC, ZYDIS_MNEMONIC_SUB, ZYDIS_MNEMONIC_TEST,
	ZYDIS_MNEMONIC_TZCNT, ZYDIS_MNEMONIC_UD0, ZYDIS_MNEMONIC_UD1,
	ZYDIS_MNEMONIC_UD2, ZYDIS_MNEMONIC_XADD, ZYDIS_MNEMONIC_XCHG,
	ZYDIS_MNEMONIC_XOR
};

/* SSE..SSE4.2 instructions refused although their extension is allowed:
 * MXCSR writes (the host's rounding and exception masks), implicit-%rdi
 * stores, whole-state save/restore, monitor/mwait. */
static const ZydisMnemonic tvf_sse_refused[] = {
	ZYDIS_MNEMONIC_LDMXCSR, ZYDIS_MNEMONIC_MASKMOVDQU, ZYDIS_MNEMONIC_MASKMOVQ,
	ZYDIS_MNEMONIC_FXSAVE, ZYDIS_MNEMONIC_FXSAVE64, ZYDIS_MNEMONIC_FXRSTOR,
	ZYDIS_MNEMONIC_FXRSTOR64, ZYDIS_MNEMONIC_MONITOR, ZYDIS_MNEMONIC_MWAIT
};

static bool
in_list(ZydisMnemonic m, const ZydisMnemonic *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == m)
			return true;
	return false;
}

#define LIST(l) (l), (sizeof(l) / sizeof((l)[0]))

/* Why an instruction outside the allow-list is refused (for the message). */
static const char *
refusal_reason(const ZydisDecodedInstruction *in)
{
	switch (in->mnemonic)
	{
		case ZYDIS_MNEMONIC_CPUID:
			return "cpuid is not allowed";
		case ZYDIS_MNEMONIC_RDTSC:
		case ZYDIS_MNEMONIC_RDTSCP:
		case ZYDIS_MNEMONIC_RDPMC:
			return "time-stamp and performance counters are not allowed";
		case ZYDIS_MNEMONIC_ENTER:
		case ZYDIS_MNEMONIC_LEAVE:
			return "enter/leave are not allowed (frame-pointer stack switch)";
		case ZYDIS_MNEMONIC_PUSHF:
		case ZYDIS_MNEMONIC_PUSHFQ:
		case ZYDIS_MNEMONIC_POPF:
		case ZYDIS_MNEMONIC_POPFQ:
		case ZYDIS_MNEMONIC_STD:
			return "flag register writes and saves are not allowed";
		case ZYDIS_MNEMONIC_HLT:
			return "hlt is not allowed";
		case ZYDIS_MNEMONIC_XLAT:
			return "xlat (implicit %rbx memory operand) is not allowed";
		case ZYDIS_MNEMONIC_LDMXCSR:
			return "MXCSR writes are not allowed";
		default:
			break;
	}
	switch (in->meta.category)
	{
		case ZYDIS_CATEGORY_SYSCALL:
		case ZYDIS_CATEGORY_SYSRET:
			return "system call";
		case ZYDIS_CATEGORY_INTERRUPT:
			return "software interrupt";
		case ZYDIS_CATEGORY_IO:
		case ZYDIS_CATEGORY_IOSTRINGOP:
			return "I/O instruction";
		case ZYDIS_CATEGORY_STRINGOP:
			return "string instruction";
		case ZYDIS_CATEGORY_SEGOP:
			return "segment operation";
		case ZYDIS_CATEGORY_SYSTEM:
			return "system instruction";
		default:
			break;
	}
	switch (in->meta.isa_ext)
	{
		case ZYDIS_ISA_EXT_RDWRFSGS:
			return "%fs/%gs base access";
		case ZYDIS_ISA_EXT_RTM:
		case ZYDIS_ISA_EXT_TSX_LDTRK:
			return "transactional memory";
		case ZYDIS_ISA_EXT_PKU:
			return "protection-key register access";
		case ZYDIS_ISA_EXT_X87:
			return "x87 instruction";
		case ZYDIS_ISA_EXT_MMX:
			return "MMX instruction";
		case ZYDIS_ISA_EXT_VTX:
		case ZYDIS_ISA_EXT_SVM:
		case ZYDIS_ISA_EXT_SGX:
		case ZYDIS_ISA_EXT_SGX_ENCLV:
		case ZYDIS_ISA_EXT_TDX:
		case ZYDIS_ISA_EXT_SMX:
			return "virtualisation or enclave instruction";
		case ZYDIS_ISA_EXT_XSAVE:
		case ZYDIS_ISA_EXT_XSAVEC:
		case ZYDIS_ISA_EXT_XSAVEOPT:
		case ZYDIS_ISA_EXT_XSAVES:
			return "processor state save/restore";
		default:
			break;
	}
	return "instruction not on the allow-list";
}

static bool
mnemonic_allowed(const ZydisDecodedInstruction *in)
{
	switch (in->meta.isa_ext)
	{
		case ZYDIS_ISA_EXT_SSE:
		case ZYDIS_ISA_EXT_SSE2:
		case ZYDIS_ISA_EXT_SSE3:
		case ZYDIS_ISA_EXT_SSSE3:
		case ZYDIS_ISA_EXT_SSE4:
			return !in_list(in->mnemonic, LIST(tvf_sse_refused));
		default:
			return in_list(in->mnemonic, LIST(tvf_base_ok));
	}
}

/*
 * Does the instruction reach memory at an address that depends on a
 * register outside its ModRM/SIB address?  bt/bts/btr/btc with a memory
 * operand and a REGISTER bit offset access the operand-sized word at
 * m + size * (offset / bits), the offset being the signed value of the
 * register (up to +-2^63 bits with 64-bit operands): any address in the
 * process, whatever the base (Intel SDM, BT, "bit base" addressing).  The
 * immediate form takes the offset modulo the operand size and stays inside
 * m.  The other instructions that address memory
 * through registers outside ModRM (string instructions, xlat, maskmov*,
 * monitor, enter/leave, gathers and scatters, MPX, AMX tile loads) are not
 * on the allow-list at all.
 */
static bool
has_register_bit_offset(const ZydisDecodedInstruction *in, const ZydisDecodedOperand *ops)
{
	switch (in->mnemonic)
	{
		case ZYDIS_MNEMONIC_BT:
		case ZYDIS_MNEMONIC_BTC:
		case ZYDIS_MNEMONIC_BTR:
		case ZYDIS_MNEMONIC_BTS:
			return in->operand_count_visible == 2 &&
				ops[0].type == ZYDIS_OPERAND_TYPE_MEMORY &&
				ops[1].type != ZYDIS_OPERAND_TYPE_IMMEDIATE;
		default:
			return false;
	}
}

static bool
is_seg_prefix(uint8_t b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65;
}

/* [t, t + n) inside the read-only, non-RELRO data? */
static bool
in_rodata(const tvf_obj *o, uint64_t t, uint64_t n)
{
	if (t + n < t)
		return false;
	if (o->relro.hi > o->relro.lo && t < o->relro.hi && t + n > o->relro.lo)
		return false;
	for (int i = 0; i < o->nro; i++)
		if (t >= o->ro[i].lo && t + n <= o->ro[i].hi)
			return true;
	return false;
}

static bool
is_rsp(ZydisRegister r)
{
	return ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, r) == ZYDIS_REGISTER_RSP;
}

/* Register classes sandboxed code may name. */
static const char *
register_check(const ZydisDecodedOperand *op)
{
	ZydisRegister r = op->reg.value;

	switch (ZydisRegisterGetClass(r))
	{
		case ZYDIS_REGCLASS_GPR8:
		case ZYDIS_REGCLASS_GPR16:
		case ZYDIS_REGCLASS_GPR32:
		case ZYDIS_REGCLASS_GPR64:
		case ZYDIS_REGCLASS_XMM:
		case ZYDIS_REGCLASS_FLAGS:
		case ZYDIS_REGCLASS_IP:
			return NULL;
		case ZYDIS_REGCLASS_SEGMENT:
			return "segment register operand";
		case ZYDIS_REGCLASS_YMM:
		case ZYDIS_REGCLASS_ZMM:
		case ZYDIS_REGCLASS_MASK:
		case ZYDIS_REGCLASS_TMM:
			return "AVX register operand";
		case ZYDIS_REGCLASS_MMX:
		case ZYDIS_REGCLASS_X87:
			return "x87/MMX register operand";
		default:
			break;
	}
	/* SSE arithmetic reads MXCSR and sets its sticky status flags */
	if (r == ZYDIS_REGISTER_MXCSR && op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN)
		return NULL;
	return "system register operand";
}

const char *
tvf_insn_check(const tvf_obj *o, uint64_t addr, const ZydisDecodedInstruction *in,
			   const ZydisDecodedOperand *ops, tvf_insn *out)
{
	ZydisMnemonic m = in->mnemonic;
	uint64_t	next = addr + in->length;
	bool		stackop = (m == ZYDIS_MNEMONIC_PUSH || m == ZYDIS_MNEMONIC_POP ||
						   m == ZYDIS_MNEMONIC_CALL || m == ZYDIS_MNEMONIC_RET);
	bool		branch = in->meta.branch_type != ZYDIS_BRANCH_TYPE_NONE;
	int			nseg = 0;
	bool		seg_gs = false,
				opsize = false;

	memset(out, 0, sizeof(*out));
	out->kind = TVF_FALL;

	if (in->encoding != ZYDIS_INSTRUCTION_ENCODING_LEGACY)
		return "VEX/EVEX/XOP-encoded instruction (AVX state is off limits)";
	if (in->meta.branch_type == ZYDIS_BRANCH_TYPE_FAR)
		return "far jump, call or return";
	if (!mnemonic_allowed(in))
		return refusal_reason(in);

	if (has_register_bit_offset(in, ops))
		return "bit test of memory with a register bit offset (the offset moves the access anywhere)";

	/* a multi-byte NOP accesses nothing, whatever its operand says */
	if (m == ZYDIS_MNEMONIC_NOP)
		return NULL;
	if (m == ZYDIS_MNEMONIC_INT3 || m == ZYDIS_MNEMONIC_UD0 ||
		m == ZYDIS_MNEMONIC_UD1 || m == ZYDIS_MNEMONIC_UD2)
	{
		out->kind = TVF_TRAP;
		return NULL;
	}

	for (int i = 0; i < in->raw.prefix_count; i++)
	{
		uint8_t		b = in->raw.prefixes[i].value;

		if (is_seg_prefix(b))
		{
			nseg++;
			seg_gs = b == 0x65;
		}
		opsize |= b == 0x66;
	}
	if (nseg > 1)
		return "more than one segment prefix";
	if (branch && opsize)
		return "operand-size prefix on a branch";

	/* ---- operands ---- */
	for (int i = 0; i < in->operand_count; i++)
	{
		const ZydisDecodedOperand *op = &ops[i];
		bool		hidden = op->visibility == ZYDIS_OPERAND_VISIBILITY_HIDDEN;

		switch (op->type)
		{
			case ZYDIS_OPERAND_TYPE_REGISTER:
				{
					const char *why = register_check(op);

					if (why != NULL)
						return why;
					if (!is_rsp(op->reg.value))
						break;
					if (hidden && stackop)
						break;	/* push/pop/call/ret: tracked below */
					if (op->reg.value != ZYDIS_REGISTER_RSP)
						return "partial %rsp register operand";
					if (i == 0 && (m == ZYDIS_MNEMONIC_ADD || m == ZYDIS_MNEMONIC_SUB) &&
						in->operand_count_visible == 2 &&
						ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
					{
						out->grow = m == ZYDIS_MNEMONIC_SUB ? ops[1].imm.value.s : -ops[1].imm.value.s;
						break;
					}
					if (i == 0 && m == ZYDIS_MNEMONIC_LEA &&
						ops[1].mem.base == ZYDIS_REGISTER_RSP &&
						ops[1].mem.index == ZYDIS_REGISTER_NONE &&
						in->address_width == 64)
					{
						out->grow = -ops[1].mem.disp.value;
						break;
					}
					if (m == ZYDIS_MNEMONIC_POP)
						return "pop %rsp";
					return "%rsp used other than by push/pop/call/ret or add/sub/lea of a constant";
				}
			case ZYDIS_OPERAND_TYPE_MEMORY:
				{
					const ZydisDecodedOperandMem *mem = &op->mem;
					uint32_t	size = (op->size + 7) / 8;

					if (mem->type == ZYDIS_MEMOP_TYPE_AGEN)
						break;	/* lea: no access */
					if (mem->type != ZYDIS_MEMOP_TYPE_MEM)
						return "MIB/VSIB memory operand";
					if (hidden)
					{
						if (stackop && mem->base == ZYDIS_REGISTER_RSP)
							break;	/* the push/pop/call/ret slot */
						return "implicit memory operand";
					}
					if (size == 0)
						size = 1;
					if (m == ZYDIS_MNEMONIC_JMP)
						return "indirect jump";
					if (m == ZYDIS_MNEMONIC_CALL)
					{
						uint64_t	t = next + (uint64_t) mem->disp.value;

						if (mem->base != ZYDIS_REGISTER_RIP || mem->index != ZYDIS_REGISTER_NONE ||
							in->address_width != 64 || nseg != 0)
							return "indirect call (only `call *SLOT(%rip)` of a host slot is allowed)";
						if (t < o->hosttab || t - o->hosttab >= o->nslots * 8 ||
							(t - o->hosttab) % 8 != 0)
							return "call *SLOT(%rip) where SLOT is not a host-table slot";
						out->kind = TVF_HOSTCALL;
						break;
					}
					if (mem->segment == ZYDIS_REGISTER_FS)
						return "%fs-relative memory operand";
					if (mem->segment == ZYDIS_REGISTER_GS)
					{
						if (!seg_gs || in->address_width != 32)
							return "memory operand not %gs-relative with 32-bit address size";
						break;
					}
					if (nseg != 0)
						return "segment prefix on a memory operand that is not %gs-relative";
					if (mem->base == ZYDIS_REGISTER_RSP)
					{
						if (mem->index != ZYDIS_REGISTER_NONE || in->address_width != 64)
							return "%rsp-relative memory operand with an index or 32-bit address size";
						if (m == ZYDIS_MNEMONIC_POP)
							return "pop to memory";
						if (out->nstack == TVF_MAX_STACK_OPS)
							return "too many %rsp-relative operands";
						out->stack[out->nstack].disp = mem->disp.value;
						out->stack[out->nstack].size = size;
						out->stack[out->nstack].write = (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE) != 0;
						out->nstack++;
						break;
					}
					if (mem->base == ZYDIS_REGISTER_RIP)
					{
						uint64_t	t = next + (uint64_t) mem->disp.value;

						if (mem->index != ZYDIS_REGISTER_NONE || in->address_width != 64)
							return "RIP-relative memory operand with 32-bit address size";
						if (op->actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)
							return "RIP-relative store";
						if (!in_rodata(o, t, size))
							return "RIP-relative load outside the module's read-only data";
						break;
					}
					return "memory operand not %gs-relative with 32-bit address size";
				}
			case ZYDIS_OPERAND_TYPE_IMMEDIATE:
				if (op->imm.is_relative)
				{
					if (!branch)
						return "relative immediate outside a branch";
					out->target = next + op->imm.value.u;
				}
				break;
			case ZYDIS_OPERAND_TYPE_POINTER:
				return "far pointer operand";
			default:
				return "unknown operand type";
		}
	}

	/* ---- control flow and stack growth ---- */
	switch (m)
	{
		case ZYDIS_MNEMONIC_JMP:
			if (in->operand_count_visible != 1 || ops[0].type != ZYDIS_OPERAND_TYPE_IMMEDIATE)
				return "indirect jump";
			out->kind = TVF_JMP;
			break;
		case ZYDIS_MNEMONIC_CALL:
			if (out->kind == TVF_HOSTCALL)
				break;
			if (in->operand_count_visible != 1 || ops[0].type != ZYDIS_OPERAND_TYPE_IMMEDIATE)
				return "indirect call (only `call *SLOT(%rip)` of a host slot is allowed)";
			out->kind = TVF_CALL;
			break;
		case ZYDIS_MNEMONIC_RET:
			if (in->operand_count_visible != 0)
				return "ret with an immediate";
			out->kind = TVF_RET;
			break;
		case ZYDIS_MNEMONIC_PUSH:
		case ZYDIS_MNEMONIC_POP:
			if (in->operand_width != 64)
				return "16-bit push/pop";
			out->grow = m == ZYDIS_MNEMONIC_PUSH ? 8 : -8;
			break;
		default:
			if (in->meta.category == ZYDIS_CATEGORY_COND_BR)
			{
				if (in->operand_count_visible != 1 ||
					ops[0].type != ZYDIS_OPERAND_TYPE_IMMEDIATE)
					return "indirect conditional branch";
				out->kind = TVF_JCC;
			}
			else if (branch)
				return "unexpected branch instruction";
			break;
	}
	return NULL;
}
