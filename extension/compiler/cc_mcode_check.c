/*-------------------------------------------------------------------------
 *
 * cc_mcode_check.c
 *		Defence in depth (DESIGN.md §5, last item): decode every
 *		instruction of every executable section of the finished object
 *		and refuse the module if any could leave the sandbox, whatever the
 *		IR passes, LLVM's code generator and cc_mcode_addr32 did:
 *		- a %gs segment override (0x65) without 32-bit address size
 *		  (0x67): its address would not be truncated to the view;
 *		- a jump or call whose target is read through %gs: sandbox memory
 *		  never holds a code address the sandbox jumps to (function
 *		  pointers are table indices, jump tables are read-only data);
 *		- any %fs override (0x64): %fs is the host's thread pointer;
 *		- a segment register as an operand (mov/push/pop of %gs, ...);
 *		- system calls and software interrupts, %fs/%gs base reads and
 *		  writes, far jumps, calls and returns, segment loads, privileged,
 *		  I/O, protection-key, virtualisation and enclave instructions,
 *		  flag restores (popf) and transactional memory;
 *		- bytes that do not decode.
 *
 * Invariants kept here:
 *	- Sections are decoded linearly from their first byte: LLVM puts no
 *	  data in x86 code sections (jump tables and constants go to .rodata)
 *	  and pads with multi-byte NOPs, lld with int3.
 *	- Every ELF offset and size is bounds-checked before use.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_mcode.h"

#include <ctype.h>
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <llvm-c/Disassembler.h>
#include <llvm-c/Target.h>

/* Mnemonics a sandbox never executes (a word of the instruction text). */
static const char *const cc_forbidden[] = {
	"syscall", "sysenter", "sysexit", "sysexitq", "sysexitl", "sysret", "sysretl",
	"sysretq", "int", "int1", "into", "iret", "iretl", "iretq", "iretw",
	"wrgsbase", "wrfsbase", "rdgsbase", "rdfsbase", "swapgs",
	"wrpkru", "rdpkru", "xsetbv",
	"lds", "les", "lfs", "lgs", "lss", "lar", "lsl", "verr", "verw", "arpl",
	"hlt", "cli", "sti", "clts", "lgdt", "lidt", "lldt", "ltr", "lmsw",
	"sgdt", "sidt", "sldt", "str", "smsw", "invd", "wbinvd", "invlpg",
	"invpcid", "rdmsr", "wrmsr", "rdpmc",
	"in", "inb", "inw", "inl", "out", "outb", "outw", "outl",
	"insb", "insw", "insl", "outsb", "outsw", "outsl",
	"popf", "popfq", "popfw", "popfl",
	"vmcall", "vmmcall", "vmfunc", "vmlaunch", "vmresume", "enclu", "encls",
	"enclv", "tdcall", "monitor", "mwait", "umonitor", "umwait", "tpause",
	"uiret", "senduipi", "clui", "stui", "testui",
	"xbegin", "xend", "xabort", "xresldtrk", "xsusldtrk",
	NULL
};

/* Far transfers, whatever their operand-size suffix. */
static const char *const cc_forbidden_prefix[] = {"ljmp", "lcall", "lret", NULL};

static bool
cc_legacy_prefix(uint8_t b)
{
	switch (b)
	{
		case 0xF0:
		case 0xF2:
		case 0xF3:
		case 0x2E:
		case 0x36:
		case 0x3E:
		case 0x26:
		case 0x64:
		case 0x65:
		case 0x66:
		case 0x67:
			return true;
		default:
			return false;
	}
}

/*
 * Is word [w, w+n) forbidden?  AT&T mnemonics may carry an operand-size
 * suffix (wrgsbaseq, popfq, inb): a listed name with one of b, w, l, q
 * appended is forbidden too.
 */
static bool
cc_word_forbidden(const char *w, size_t n)
{
	for (int i = 0; cc_forbidden[i]; i++)
	{
		size_t		k = strlen(cc_forbidden[i]);

		if ((k == n || (k + 1 == n && strchr("bwlq", w[k]) != NULL)) &&
			memcmp(w, cc_forbidden[i], k) == 0)
			return true;
	}
	for (int i = 0; cc_forbidden_prefix[i]; i++)
	{
		size_t		k = strlen(cc_forbidden_prefix[i]);

		if (n >= k && memcmp(w, cc_forbidden_prefix[i], k) == 0)
			return true;
	}
	return false;
}

/*
 * Check one decoded instruction: its bytes [b, b+n) and its AT&T text.
 * NULL when clean, else what is wrong.
 */
static const char *
cc_check_insn(const uint8_t *b, size_t n, const char *text)
{
	bool		gs = false,
				a32 = false;
	const char *p;

	for (size_t i = 0; i < n && cc_legacy_prefix(b[i]); i++)
	{
		if (b[i] == 0x64)
			return "%fs segment override";
		gs |= b[i] == 0x65;
		a32 |= b[i] == 0x67;
	}
	if (gs && !a32)
		return "%gs access without 32-bit address size";

	/* the words before the operands: prefixes and the mnemonic */
	for (p = text; *p;)
	{
		const char *w;

		while (*p && isspace((unsigned char) *p))
			p++;
		if (!islower((unsigned char) *p))
			break;
		w = p;
		while (*p && isalnum((unsigned char) *p))
			p++;
		if (cc_word_forbidden(w, p - w))
			return "forbidden instruction";
		if (gs && ((p - w >= 3 && memcmp(w, "jmp", 3) == 0) ||
				   (p - w >= 4 && memcmp(w, "call", 4) == 0)))
			return "jump or call through sandbox memory";
	}

	/* segment registers as operands (a prefix is "%gs:") */
	for (p = text; (p = strchr(p, '%')) != NULL; p++)
	{
		static const char *const segs[] = {"cs", "ds", "es", "ss", "fs", "gs"};

		for (int i = 0; i < 6; i++)
			if (strncmp(p + 1, segs[i], 2) == 0 && !isalnum((unsigned char) p[3]))
			{
				if (p[3] != ':')
					return "segment register operand";
				if (i == 4)
					return "%fs access";
			}
	}
	return NULL;
}

static int
cc_check_code(LLVMDisasmContextRef dc, const uint8_t *code, uint64_t size,
			  const char *section, char *err, size_t errlen)
{
	uint64_t	off = 0;

	while (off < size)
	{
		char		text[256];
		size_t		n;
		const char *why;

		text[0] = '\0';
		n = LLVMDisasmInstruction(dc, (uint8_t *) code + off, size - off, off,
								  text, sizeof(text));
		if (n == 0)
		{
			cc_mcode_errf(err, errlen, "machine-code check: undecodable bytes at %s+0x%llx",
					section, (unsigned long long) off);
			return -1;
		}
		if ((why = cc_check_insn(code + off, n, text)) != NULL)
		{
			const char *t = text;

			while (isspace((unsigned char) *t))
				t++;
			cc_mcode_errf(err, errlen, "machine-code check: %s at %s+0x%llx: %s",
					why, section, (unsigned long long) off, t);
			return -1;
		}
		off += n;
	}
	return 0;
}

int
cc_mcode_check(const uint8_t *elf, size_t len, char *err, size_t errlen)
{
	Elf64_Ehdr	eh;
	Elf64_Shdr	strsh;
	LLVMDisasmContextRef dc;
	int			rc = 0;
	int			ncode = 0;

	if (len < sizeof(eh))
		goto bad_elf;
	memcpy(&eh, elf, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
		eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
		eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > len ||
		(uint64_t) eh.e_shnum * sizeof(Elf64_Shdr) > len - eh.e_shoff ||
		eh.e_shstrndx >= eh.e_shnum)
		goto bad_elf;
	memcpy(&strsh, elf + eh.e_shoff + (uint64_t) eh.e_shstrndx * sizeof(Elf64_Shdr),
		   sizeof(strsh));
	if (strsh.sh_offset > len || strsh.sh_size > len - strsh.sh_offset)
		goto bad_elf;

	LLVMInitializeX86TargetInfo();
	LLVMInitializeX86TargetMC();
	LLVMInitializeX86Disassembler();
	dc = LLVMCreateDisasmCPU("x86_64-unknown-linux-gnu", "x86-64-v2", NULL, 0, NULL, NULL);
	if (dc == NULL)
	{
		cc_mcode_errf(err, errlen, "machine-code check: no x86-64 disassembler");
		return -1;
	}
	for (int i = 0; i < eh.e_shnum && rc == 0; i++)
	{
		Elf64_Shdr	sh;
		char		name[64] = "?";

		memcpy(&sh, elf + eh.e_shoff + (uint64_t) i * sizeof(sh), sizeof(sh));
		if (!(sh.sh_flags & SHF_EXECINSTR) || sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_offset > len || sh.sh_size > len - sh.sh_offset)
		{
			LLVMDisasmDispose(dc);
			goto bad_elf;
		}
		if (sh.sh_name < strsh.sh_size)
		{
			const char *s = (const char *) elf + strsh.sh_offset + sh.sh_name;
			size_t		max = strsh.sh_size - sh.sh_name;

			snprintf(name, sizeof(name), "%.*s", (int) strnlen(s, max < 63 ? max : 63), s);
		}
		ncode++;
		rc = cc_check_code(dc, elf + sh.sh_offset, sh.sh_size, name, err, errlen);
	}
	LLVMDisasmDispose(dc);
	if (rc == 0 && ncode == 0)
	{
		cc_mcode_errf(err, errlen, "machine-code check: the object has no code section");
		return -1;
	}
	return rc;

bad_elf:
	cc_mcode_errf(err, errlen, "machine-code check: malformed ELF file");
	return -1;
}
