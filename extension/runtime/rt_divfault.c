/*-------------------------------------------------------------------------
 *
 * rt_divfault.c
 *		Which fault a divide error (#DE, SIGFPE FPE_INTDIV) of sandboxed code
 *		was: a zero divisor, or a quotient that does not fit its register
 *		(the most negative value divided by -1: INT_MIN / -1, INT64_MIN / -1
 *		and the same with %).  x86 raises #DE for both and Linux reports
 *		both as FPE_INTDIV, so the signal handler decodes the faulting
 *		div/idiv and reads its divisor, the instruction's one explicit
 *		operand: non-zero means the quotient overflowed.  Nothing on the
 *		call path: this runs only after the fault.
 *
 * Invariants:
 *	- Async-signal-safe: Zydis decodes into the caller's stack, with no
 *	  allocation; the only memory read is the faulting instruction (within
 *	  the module's text) and its divisor, which the CPU has just read.
 *	- A divisor is read only where sandboxed code may read it (the view's
 *	  committed part, the native sandbox stack, the module's mapping), so
 *	  a mis-decoded operand cannot fault in the handler.  Whatever cannot
 *	  be decoded or read is reported as division by zero, as before.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <ucontext.h>

#include <Zydis/Zydis.h>

#include "rt_internal.h"

/* The gregs index of a 64-bit general-purpose register, or -1. */
static int
rt_greg_index(ZydisRegister r64)
{
	switch (r64)
	{
		case ZYDIS_REGISTER_RAX:
			return REG_RAX;
		case ZYDIS_REGISTER_RCX:
			return REG_RCX;
		case ZYDIS_REGISTER_RDX:
			return REG_RDX;
		case ZYDIS_REGISTER_RBX:
			return REG_RBX;
		case ZYDIS_REGISTER_RSP:
			return REG_RSP;
		case ZYDIS_REGISTER_RBP:
			return REG_RBP;
		case ZYDIS_REGISTER_RSI:
			return REG_RSI;
		case ZYDIS_REGISTER_RDI:
			return REG_RDI;
		case ZYDIS_REGISTER_R8:
			return REG_R8;
		case ZYDIS_REGISTER_R9:
			return REG_R9;
		case ZYDIS_REGISTER_R10:
			return REG_R10;
		case ZYDIS_REGISTER_R11:
			return REG_R11;
		case ZYDIS_REGISTER_R12:
			return REG_R12;
		case ZYDIS_REGISTER_R13:
			return REG_R13;
		case ZYDIS_REGISTER_R14:
			return REG_R14;
		case ZYDIS_REGISTER_R15:
			return REG_R15;
		default:
			return -1;
	}
}

/* Value of general-purpose register `reg` (any width) at the fault. */
static bool
rt_reg_value(const ucontext_t *uc, ZydisRegister reg, uint64_t *value)
{
	int			idx = rt_greg_index(ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg));
	uint64_t	v;

	if (idx < 0)
		return false;
	v = (uint64_t) uc->uc_mcontext.gregs[idx];
	if (reg == ZYDIS_REGISTER_AH || reg == ZYDIS_REGISTER_CH ||
		reg == ZYDIS_REGISTER_DH || reg == ZYDIS_REGISTER_BH)
		v >>= 8;
	*value = v;
	return true;
}

/* [p, p + n) inside [lo, hi)? */
static bool
rt_within(uintptr_t p, size_t n, uintptr_t lo, uintptr_t hi)
{
	return p >= lo && p <= hi && n <= hi - p;
}

/* The divisor in memory: %gs-relative (the view), %rsp- or RIP-relative. */
static bool
rt_mem_value(const ucontext_t *uc, const ZydisDecodedInstruction *in,
			 const ZydisDecodedOperand *op, uintptr_t pc, uint64_t *value)
{
	const tmebox_instance *inst = rt_st.cur;
	size_t		size = op->size / 8;
	uint64_t	ea = (uint64_t) op->mem.disp.value;
	uint64_t	v;
	uintptr_t	p;

	if (size == 0 || size > sizeof(v))
		return false;
	if (op->mem.base == ZYDIS_REGISTER_RIP)
		ea += pc + in->length;
	else if (op->mem.base != ZYDIS_REGISTER_NONE)
	{
		if (!rt_reg_value(uc, op->mem.base, &v))
			return false;
		ea += v;
	}
	if (op->mem.index != ZYDIS_REGISTER_NONE)
	{
		if (!rt_reg_value(uc, op->mem.index, &v))
			return false;
		ea += v * op->mem.scale;
	}
	if (in->address_width == 32)
		ea &= UINT32_MAX;

	if (op->mem.segment == ZYDIS_REGISTER_GS)
	{
		if (!rt_view_ok(inst, ea, size))
			return false;
		p = (uintptr_t) inst->base + (uintptr_t) ea;
	}
	else
	{
		p = (uintptr_t) ea;
		if (!rt_within(p, size, (uintptr_t) rt_st.stack_lo, (uintptr_t) rt_st.stack_hi) &&
			!rt_within(p, size, (uintptr_t) inst->mod->map,
					   (uintptr_t) inst->mod->map + inst->mod->map_len))
			return false;
	}
	v = 0;
	memcpy(&v, (const void *) p, size);
	*value = v;
	return true;
}

/*
 * The fault kind of a SIGFPE with si_code FPE_INTDIV raised by sandboxed
 * code at `uc` (rt_sandbox_context holds): TMEBOX_FAULT_INTOVF when the
 * faulting div/idiv has a non-zero divisor, else TMEBOX_FAULT_DIVZERO.
 */
tmebox_fault_kind
rt_divide_fault_kind(const void *ucv)
{
	const ucontext_t *uc = ucv;
	const tmebox_instance *inst = rt_st.cur;
	uintptr_t	pc = (uintptr_t) uc->uc_mcontext.gregs[REG_RIP];
	ZydisDecoder dec;
	ZydisDecodedInstruction in;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	const ZydisDecodedOperand *op;
	size_t		len;
	uint64_t	divisor;

	if (pc < inst->mod->text_lo || pc >= inst->mod->text_hi)
		return TMEBOX_FAULT_DIVZERO;
	len = inst->mod->text_hi - pc;
	if (len > ZYDIS_MAX_INSTRUCTION_LENGTH)
		len = ZYDIS_MAX_INSTRUCTION_LENGTH;
	if (!ZYAN_SUCCESS(ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)) ||
		!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, (const void *) pc, len, &in, ops)) ||
		(in.mnemonic != ZYDIS_MNEMONIC_DIV && in.mnemonic != ZYDIS_MNEMONIC_IDIV) ||
		in.operand_count_visible < 1)
		return TMEBOX_FAULT_DIVZERO;
	op = &ops[0];
	if (op->type == ZYDIS_OPERAND_TYPE_REGISTER)
	{
		if (!rt_reg_value(uc, op->reg.value, &divisor))
			return TMEBOX_FAULT_DIVZERO;
	}
	else if (op->type == ZYDIS_OPERAND_TYPE_MEMORY)
	{
		if (!rt_mem_value(uc, &in, op, pc, &divisor))
			return TMEBOX_FAULT_DIVZERO;
	}
	else
		return TMEBOX_FAULT_DIVZERO;
	if (op->size < 64)
		divisor &= (UINT64_C(1) << op->size) - 1;
	return divisor != 0 ? TMEBOX_FAULT_INTOVF : TMEBOX_FAULT_DIVZERO;
}
