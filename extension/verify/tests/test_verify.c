/*-------------------------------------------------------------------------
 *
 * test_verify.c
 *		Tests of the tmebox verifier (built with ASan + UBSan by `make
 *		check`):
 *		- the conforming hand-written modules given first must pass;
 *		- PATCH mutations: the 24-byte NOP area of accept1 (stack depth 40,
 *		  after the marker `movl $0x7e57ab1e, %eax`) is overwritten with
 *		  each forbidden form (must be refused) and with allowed controls
 *		  (must pass, so that a refusal is not an accident of the patch);
 *		- SITE mutations of compiled modules (arguments after `--`): every
 *		  direct call, host call, %gs access and %rsp store found by a
 *		  linear sweep is replaced by forbidden forms of the same length;
 *		- ELF mutations (symbols, program headers, dynamic section) must be
 *		  refused, and truncations and random byte flips must never read
 *		  out of bounds (ASan aborts the test if they do).
 *		Every object is verified from an exact-size heap copy.
 *
 *	  test_verify [-v] ACCEPT1.so ACCEPT2.so... [-- MODULE.tmbx...]
 *	  test_verify --max-stack BYTES|unbounded OBJECT...
 *	  test_verify --root-stack SYMBOL BYTES|unbounded OBJECT
 *	  test_verify --patch-first-call OBJECT.so
 *
 * --max-stack: each object must pass with tvf_stats.max_stack equal to
 * BYTES (or TVF_STACK_UNBOUNDED), verified from an exact-size heap copy,
 * and the maximum of its roots' bounds (tvf_verify_roots) must be that.
 * --root-stack: the bound of one root (tvf_verify_roots).
 *
 * Prints "mutations: N tried, N refused" and a final "N passed, N failed";
 * exits 1 on any failure.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "tmebox_abi.h"
#include "tvf.h"

static int	npassed,
			nfailed,
			verbose;
static int	mut_tried,
			mut_refused;

typedef struct obj
{
	const char *path;
	uint8_t    *b;
	size_t		n;
} obj;

/* ---- helpers ---- */

static bool
verify_copy(const uint8_t *b, size_t n, char *err, size_t errlen)
{
	uint8_t    *c = malloc(n ? n : 1);
	int			r;

	memcpy(c, b, n);
	r = tvf_verify_object(c, n, err, errlen);
	free(c);
	return r == 0;
}

/* Verify b and compare with the expectation; a refused-expected case is a
 * mutation and counts in the mutation totals. */
static void
expect(const char *what, const uint8_t *b, size_t n, bool accept)
{
	char		err[512];
	bool		ok = verify_copy(b, n, err, sizeof(err));

	if (!accept)
	{
		mut_tried++;
		if (!ok)
			mut_refused++;
	}
	if (ok == accept)
	{
		npassed++;
		if (verbose)
			printf("ok: %s: %s\n", what, ok ? "accepted" : err);
	}
	else
	{
		nfailed++;
		printf("FAIL: %s: expected %s, got %s%s\n", what,
			   accept ? "accepted" : "refused", ok ? "accepted" : "refused: ",
			   ok ? "" : err);
	}
}

static bool
load(const char *path, obj *o)
{
	FILE	   *f = fopen(path, "rb");
	long		n;
	const uint8_t *so;
	size_t		solen;
	char		err[256];

	o->path = path;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		printf("FAIL: %s: cannot read\n", path);
		nfailed++;
		if (f)
			fclose(f);
		return false;
	}
	o->b = malloc(n);
	if (fread(o->b, 1, n, f) != (size_t) n)
	{
		fclose(f);
		printf("FAIL: %s: short read\n", path);
		nfailed++;
		return false;
	}
	fclose(f);
	o->n = n;
	if (n >= 8 && memcmp(o->b, TMEBOX_MODULE_MAGIC, 8) == 0)
	{
		uint8_t    *c;

		if (tvf_module_object(o->b, o->n, &so, &solen, err, sizeof(err)) < 0)
		{
			printf("FAIL: %s: %s\n", path, err);
			nfailed++;
			return false;
		}
		c = malloc(solen);
		memcpy(c, so, solen);
		free(o->b);
		o->b = c;
		o->n = solen;
	}
	return true;
}

static Elf64_Ehdr *
ehdr(uint8_t *b)
{
	return (Elf64_Ehdr *) b;
}

static Elf64_Phdr *
phdr(uint8_t *b, int i)
{
	return (Elf64_Phdr *) (b + ehdr(b)->e_phoff) + i;
}

/* Index of the first program header of `type` with flags (f & mask) == want. */
static int
find_ph(uint8_t *b, uint32_t type, uint32_t mask, uint32_t want)
{
	for (int i = 0; i < ehdr(b)->e_phnum; i++)
		if (phdr(b, i)->p_type == type && (phdr(b, i)->p_flags & mask) == want)
			return i;
	return -1;
}

/* The .dynsym entry named `name` (through the section headers; the test
 * trusts its own input). */
static Elf64_Sym *
find_sym(uint8_t *b, const char *name)
{
	Elf64_Ehdr *e = ehdr(b);
	Elf64_Shdr *sh = (Elf64_Shdr *) (b + e->e_shoff);

	for (int i = 0; i < e->e_shnum; i++)
	{
		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		for (uint64_t k = 1; k < sh[i].sh_size / sizeof(Elf64_Sym); k++)
		{
			Elf64_Sym  *s = (Elf64_Sym *) (b + sh[i].sh_offset) + k;
			const char *nm = (const char *) b + sh[sh[i].sh_link].sh_offset + s->st_name;

			if (strcmp(nm, name) == 0)
				return s;
		}
	}
	return NULL;
}

static Elf64_Dyn *
find_dyn(uint8_t *b, int64_t tag)
{
	Elf64_Phdr *p = phdr(b, find_ph(b, PT_DYNAMIC, 0, 0));

	for (Elf64_Dyn *d = (Elf64_Dyn *) (b + p->p_offset); d->d_tag != DT_NULL; d++)
		if (d->d_tag == tag)
			return d;
	return NULL;
}

static uint64_t
off_to_vaddr(uint8_t *b, uint64_t off)
{
	Elf64_Phdr *t = phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X));

	return t->p_vaddr + (off - t->p_offset);
}

static void
put32(uint8_t *p, int64_t v)
{
	int32_t		x = (int32_t) v;

	memcpy(p, &x, 4);
}

static int32_t
get32(const uint8_t *p)
{
	int32_t		x;

	memcpy(&x, p, 4);
	return x;
}

/* ---- patch-area mutations of accept1 ---- */

typedef struct patch
{
	const char *name;
	bool		accept;
	int			n;
	uint8_t		b[24];
} patch;

#define P(name, acc, ...) {name, acc, sizeof((uint8_t[]){__VA_ARGS__}), {__VA_ARGS__}}

static const patch fixed_patches[] = {
	/* controls: allowed forms at depth 40 */
	P("control: nop", true, 0x90),
	P("control: int3", true, 0xcc),
	P("control: ud2", true, 0x0f, 0x0b),
	P("control: store to the last frame slot 0x20(%rsp)", true, 0x48, 0x89, 0x44, 0x24, 0x20),
	P("control: load of the first stack argument 0x30(%rsp)", true, 0x48, 0x8b, 0x44, 0x24, 0x30),
	P("control: load of the last stack argument 0x128(%rsp)", true, 0x48, 0x8b, 0x84, 0x24, 0x28, 0x01, 0x00, 0x00),
	P("control: mov %gs:(%esp),%eax", true, 0x65, 0x67, 0x8b, 0x04, 0x24),
	P("control: prefixes in the order addr32 gs", true, 0x67, 0x65, 0x8b, 0x00),
	P("control: lock xadd on %gs", true, 0x65, 0x67, 0xf0, 0x0f, 0xc1, 0x08),
	P("control: movdqu from %gs", true, 0x65, 0x67, 0xf3, 0x0f, 0x6f, 0x00),
	P("control: prefetchnta %gs:(%eax)", true, 0x65, 0x67, 0x0f, 0x18, 0x00),
	P("control: sub/add $0xe000,%rsp balanced", true, 0x48, 0x81, 0xec, 0x00, 0xe0, 0x00, 0x00,
	  0x48, 0x81, 0xc4, 0x00, 0xe0, 0x00, 0x00),
	P("control: push/pop balanced", true, 0x50, 0x58),
	P("control: lea -8/+8 of %rsp balanced", true, 0x48, 0x8d, 0x64, 0x24, 0xf8, 0x48, 0x8d, 0x64, 0x24, 0x08),
	P("control: nopw %cs:0(%rax,%rax)", true, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
	P("control: jz +1; nop (consistent join)", true, 0x74, 0x01, 0x90),
	/* controls of the memory forms whose address is their ModRM operand */
	P("control: bt $63,8(%rsp) (immediate bit offset)", true, 0x48, 0x0f, 0xba, 0x64, 0x24, 0x08, 0x3f),
	P("control: bts $31,0x20(%rsp) (immediate bit offset)", true, 0x0f, 0xba, 0x6c, 0x24, 0x20, 0x1f),
	P("control: lock btc $5,%gs:(%eax)", true, 0x65, 0x67, 0xf0, 0x0f, 0xba, 0x38, 0x05),
	P("control: bt %rax,%rcx (register bit base)", true, 0x48, 0x0f, 0xa3, 0xc1),
	P("control: push 0x20(%rsp); pop %rax", true, 0xff, 0x74, 0x24, 0x20, 0x58),
	P("control: push %rax; pop %gs:(%eax)", true, 0x50, 0x65, 0x67, 0x8f, 0x00),
	P("control: cmpxchg16b 0x10(%rsp)", true, 0x48, 0x0f, 0xc7, 0x4c, 0x24, 0x10),
	P("control: stmxcsr 0x24(%rsp)", true, 0x0f, 0xae, 0x5c, 0x24, 0x24),

	/* system calls, interrupts, privileged, I/O */
	P("syscall", false, 0x0f, 0x05),
	P("sysenter", false, 0x0f, 0x34),
	P("int $0x80", false, 0xcd, 0x80),
	P("int1", false, 0xf1),
	P("into (invalid in 64-bit mode)", false, 0xce),
	P("iretq", false, 0x48, 0xcf),
	P("hlt", false, 0xf4),
	P("cli", false, 0xfa),
	P("sti", false, 0xfb),
	P("in %dx,%al", false, 0xec),
	P("out %al,%dx", false, 0xee),
	P("in $0x80,%al", false, 0xe4, 0x80),
	P("insb", false, 0x6c),
	P("outsb", false, 0x6e),
	P("sgdt (%rax)", false, 0x0f, 0x01, 0x00),
	P("lgdt (%rax)", false, 0x0f, 0x01, 0x10),
	P("smsw %eax", false, 0x0f, 0x01, 0xe0),
	P("rdmsr", false, 0x0f, 0x32),
	P("wrmsr", false, 0x0f, 0x30),
	P("xsetbv", false, 0x0f, 0x01, 0xd1),
	P("xgetbv", false, 0x0f, 0x01, 0xd0),
	P("swapgs", false, 0x0f, 0x01, 0xf8),
	P("vmcall", false, 0x0f, 0x01, 0xc1),
	P("monitor", false, 0x0f, 0x01, 0xc8),
	P("mwait", false, 0x0f, 0x01, 0xc9),
	P("cpuid", false, 0x0f, 0xa2),
	P("rdtsc", false, 0x0f, 0x31),
	P("rdtscp", false, 0x0f, 0x01, 0xf9),
	P("rdpmc", false, 0x0f, 0x33),
	P("xbegin", false, 0xc7, 0xf8, 0x00, 0x00, 0x00, 0x00),
	P("xend", false, 0x0f, 0x01, 0xd5),
	P("xabort", false, 0xc6, 0xf8, 0x00),
	P("xtest", false, 0x0f, 0x01, 0xd6),
	P("wrpkru", false, 0x0f, 0x01, 0xef),
	P("rdpkru", false, 0x0f, 0x01, 0xee),
	/* %fs/%gs base, segments */
	P("wrgsbase %rax", false, 0xf3, 0x48, 0x0f, 0xae, 0xd8),
	P("rdgsbase %rax", false, 0xf3, 0x48, 0x0f, 0xae, 0xc8),
	P("wrfsbase %rax", false, 0xf3, 0x48, 0x0f, 0xae, 0xd0),
	P("rdfsbase %rax", false, 0xf3, 0x48, 0x0f, 0xae, 0xc0),
	P("push %fs", false, 0x0f, 0xa0),
	P("pop %fs", false, 0x0f, 0xa1),
	P("push %gs", false, 0x0f, 0xa8),
	P("pop %gs", false, 0x0f, 0xa9),
	P("mov %gs,%eax", false, 0x8c, 0xe8),
	P("mov %eax,%gs", false, 0x8e, 0xe8),
	P("mov %eax,%fs", false, 0x8e, 0xe0),
	P("mov %eax,%ss", false, 0x8e, 0xd0),
	/* far transfers */
	P("ljmp *(%rax)", false, 0xff, 0x28),
	P("lcall *(%rax)", false, 0xff, 0x18),
	P("lret", false, 0xcb),
	P("lretq", false, 0x48, 0xcb),
	/* VEX / EVEX */
	P("vmovdqu %ymm0,%ymm1 (VEX)", false, 0xc5, 0xfe, 0x6f, 0xc8),
	P("vmovdqu %gs:(%eax),%ymm0 (VEX)", false, 0x65, 0x67, 0xc5, 0xfe, 0x6f, 0x00),
	P("vpxor %xmm0,%xmm1,%xmm0 (VEX)", false, 0xc5, 0xf1, 0xef, 0xc0),
	P("vzeroupper", false, 0xc5, 0xf8, 0x77),
	P("vmovdqu64 %zmm0,%zmm1 (EVEX)", false, 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0xc8),
	P("kmovw %k1,%k2", false, 0xc5, 0xf8, 0x90, 0xd1),
	/* string instructions */
	P("rep movsb", false, 0xf3, 0xa4),
	P("stosb", false, 0xaa),
	P("lodsq", false, 0x48, 0xad),
	P("%gs rep stosb addr32", false, 0x65, 0x67, 0xf3, 0xaa),
	P("repne scasb", false, 0xf2, 0xae),
	P("xlat", false, 0xd7),
	/* x87, MMX, state */
	P("fldz (x87)", false, 0xd9, 0xee),
	P("fld %gs:(%eax) (x87)", false, 0x65, 0x67, 0xd9, 0x00),
	P("emms (MMX)", false, 0x0f, 0x77),
	P("movq %mm0,%mm1 (MMX)", false, 0x0f, 0x6f, 0xc8),
	P("ldmxcsr 8(%rsp)", false, 0x0f, 0xae, 0x54, 0x24, 0x08),
	P("fxrstor (%rax)", false, 0x0f, 0xae, 0x08),
	P("xsave (%rax)", false, 0x0f, 0xae, 0x20),
	P("xrstor (%rax)", false, 0x0f, 0xae, 0x28),
	P("pushfq", false, 0x9c),
	P("popfq", false, 0x9d),
	P("std", false, 0xfd),
	/* undecodable or invalid in 64-bit mode */
	P("junk: 06 (push %es)", false, 0x06),
	P("junk: d6 (salc)", false, 0xd6),
	P("junk: 0f 0e (femms)", false, 0x0f, 0x0e),
	P("junk: 0f 04", false, 0x0f, 0x04),
	P("junk: lock nop", false, 0xf0, 0x90),
	P("junk: c4 bad VEX map", false, 0xc4, 0xe0, 0x78, 0x10, 0x00),
	/* memory operands */
	P("mov (%rax),%eax (no segment)", false, 0x8b, 0x00),
	P("mov %eax,(%rax) (no segment)", false, 0x89, 0x00),
	P("mov 0x1000,%eax (absolute)", false, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00),
	P("movabs 0x1000,%eax (moffs)", false, 0xa1, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
	P("mov %gs:(%rax),%eax (no addr32)", false, 0x65, 0x8b, 0x00),
	P("mov %eax,%gs:(%rax) (no addr32)", false, 0x65, 0x89, 0x00),
	P("mov %gs:0x1000,%eax (absolute, no addr32)", false, 0x65, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00),
	P("mov %fs:(%eax),%eax", false, 0x64, 0x67, 0x8b, 0x00),
	P("mov %fs:0x28,%rax", false, 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00),
	P("mov %ds:(%eax),%eax (gs prefix became ds)", false, 0x3e, 0x67, 0x8b, 0x00),
	P("mov (%eax),%eax (addr32 without gs)", false, 0x67, 0x8b, 0x00),
	P("gs and fs prefixes", false, 0x65, 0x64, 0x67, 0x8b, 0x00),
	P("fs and gs prefixes", false, 0x64, 0x65, 0x67, 0x8b, 0x00),
	P("gs and ds prefixes", false, 0x65, 0x3e, 0x67, 0x8b, 0x00),
	P("jmp *%gs:(%eax)", false, 0x65, 0x67, 0xff, 0x20),
	P("call *%gs:(%eax)", false, 0x65, 0x67, 0xff, 0x10),
	P("mov (%rsp,%rax),%eax (index on %rsp)", false, 0x8b, 0x04, 0x04),
	P("mov (%esp),%eax (addr32 %rsp)", false, 0x67, 0x8b, 0x04, 0x24),
	P("push (%rax)", false, 0xff, 0x30),
	P("pop (%rsp)", false, 0x8f, 0x04, 0x24),
	P("prefetchnta (%rax)", false, 0x0f, 0x18, 0x00),
	/* a memory operand moved by a register outside ModRM: a bit test's
	 * register bit offset (any base), implicit %rdi/%rsi/%rbx/%rax
	 * addresses, bound tables, whole-state areas, tile strides */
	P("bt %rax,8(%rsp) (register bit offset)", false, 0x48, 0x0f, 0xa3, 0x44, 0x24, 0x08),
	P("bt %rdi,0x30(%rsp) (register bit offset, stack argument)", false,
	  0x48, 0x0f, 0xa3, 0x7c, 0x24, 0x30),
	P("bts %rax,(%rsp) (register bit offset)", false, 0x48, 0x0f, 0xab, 0x04, 0x24),
	P("btr %eax,0x20(%rsp) (register bit offset)", false, 0x0f, 0xb3, 0x44, 0x24, 0x20),
	P("btc %cx,8(%rsp) (register bit offset)", false, 0x66, 0x0f, 0xbb, 0x4c, 0x24, 0x08),
	P("btc %rdi,(%rsp) after push (register bit offset)", false, 0x50, 0x48, 0x0f, 0xbb, 0x3c, 0x24, 0x59),
	P("bt %rax,%gs:(%edi) (register bit offset)", false, 0x65, 0x67, 0x48, 0x0f, 0xa3, 0x07),
	P("bts %rcx,%gs:8(%eax,%esi,4) (register bit offset)", false,
	  0x65, 0x67, 0x48, 0x0f, 0xab, 0x4c, 0xb0, 0x08),
	P("lock btr %rax,%gs:(%eax) (register bit offset)", false, 0x65, 0x67, 0xf0, 0x48, 0x0f, 0xb3, 0x00),
	P("btc %eax,%gs:(%eax) addr32 first (register bit offset)", false, 0x67, 0x65, 0x0f, 0xbb, 0x00),
	P("bt %rax,(%rax) (register bit offset, no segment)", false, 0x48, 0x0f, 0xa3, 0x00),
	P("cmpsq", false, 0x48, 0xa7),
	P("movsq", false, 0x48, 0xa5),
	P("stosq", false, 0x48, 0xab),
	P("maskmovdqu %xmm1,%xmm0", false, 0x66, 0x0f, 0xf7, 0xc1),
	P("maskmovq %mm1,%mm0", false, 0x0f, 0xf7, 0xc1),
	P("monitorx", false, 0x0f, 0x01, 0xfa),
	P("umonitor %rax", false, 0xf3, 0x0f, 0xae, 0xf0),
	P("bndmov (%rax),%bnd0 (MPX)", false, 0x66, 0x0f, 0x1a, 0x00),
	P("bndldx (%rax),%bnd0 (MPX)", false, 0x0f, 0x1a, 0x00),
	P("bndstx %bnd0,(%rax) (MPX)", false, 0x0f, 0x1b, 0x00),
	P("bndmk (%rax),%bnd0 (MPX)", false, 0xf3, 0x0f, 0x1b, 0x00),
	P("clflush 8(%rsp)", false, 0x0f, 0xae, 0x7c, 0x24, 0x08),
	P("clflushopt (%rax)", false, 0x66, 0x0f, 0xae, 0x38),
	P("clwb (%rax)", false, 0x66, 0x0f, 0xae, 0x30),
	P("cldemote (%rax)", false, 0x0f, 0x1c, 0x00),
	P("prefetchw (%rax)", false, 0x0f, 0x0d, 0x08),
	P("movdir64b (%rax),%rcx", false, 0x66, 0x0f, 0x38, 0xf8, 0x08),
	P("movdiri %eax,(%rcx)", false, 0x0f, 0x38, 0xf9, 0x01),
	P("enqcmd (%rax),%rcx", false, 0xf2, 0x0f, 0x38, 0xf8, 0x08),
	P("ptwrite (%rax)", false, 0xf3, 0x0f, 0xae, 0x20),
	P("wrssq %rax,(%rcx) (CET)", false, 0x48, 0x0f, 0x38, 0xf6, 0x01),
	P("rdsspq %rax (CET)", false, 0xf3, 0x48, 0x0f, 0x1e, 0xc8),
	P("incsspq %rax (CET)", false, 0xf3, 0x48, 0x0f, 0xae, 0xe8),
	P("fxsave64 8(%rsp)", false, 0x48, 0x0f, 0xae, 0x44, 0x24, 0x08),
	P("xsave64 8(%rsp)", false, 0x48, 0x0f, 0xae, 0x64, 0x24, 0x08),
	P("xsaveopt (%rax)", false, 0x0f, 0xae, 0x30),
	P("vpgatherdd %xmm2,(%rax,%xmm1,4),%xmm0 (VSIB)", false, 0xc4, 0xe2, 0x69, 0x90, 0x04, 0x88),
	P("tileloadd (%rax,%rcx,1),%tmm0 (AMX)", false, 0xc4, 0xe2, 0x7b, 0x4b, 0x04, 0x08),
	P("push 0x28(%rsp) (the return address); pop %rax", false, 0xff, 0x74, 0x24, 0x28, 0x58),
	P("cmpxchg16b 0x20(%rsp) straddling", false, 0x48, 0x0f, 0xc7, 0x4c, 0x24, 0x20),
	P("stmxcsr 0x26(%rsp) straddling", false, 0x0f, 0xae, 0x5c, 0x24, 0x26),
	P("xchg %rax,0x28(%rsp) (the return address)", false, 0x48, 0x87, 0x44, 0x24, 0x28),
	/* the stack frame */
	P("store onto the return address 0x28(%rsp)", false, 0x48, 0x89, 0x44, 0x24, 0x28),
	P("store into the caller's frame 0x30(%rsp)", false, 0x48, 0x89, 0x44, 0x24, 0x30),
	P("store straddling the return address 0x26(%rsp)", false, 0x89, 0x44, 0x24, 0x26),
	P("store below %rsp -8(%rsp)", false, 0x48, 0x89, 0x44, 0x24, 0xf8),
	P("load beyond the argument area 0x130(%rsp)", false, 0x48, 0x8b, 0x84, 0x24, 0x30, 0x01, 0x00, 0x00),
	P("load of the return address 0x28(%rsp)", false, 0x48, 0x8b, 0x44, 0x24, 0x28),
	P("movups %xmm0,0x20(%rsp) straddling", false, 0x0f, 0x11, 0x44, 0x24, 0x20),
	P("mov %rax,%rsp", false, 0x48, 0x89, 0xc4),
	P("xchg %rax,%rsp", false, 0x48, 0x94),
	P("add %rax,%rsp", false, 0x48, 0x01, 0xc4),
	P("and $-16,%rsp (realignment)", false, 0x48, 0x83, 0xe4, 0xf0),
	P("sub $8,%esp (32-bit %rsp write)", false, 0x83, 0xec, 0x08),
	P("mov %rsp,%rbp (frame pointer)", false, 0x48, 0x89, 0xe5),
	P("push %rsp", false, 0x54),
	P("pop %rsp", false, 0x5c),
	P("leave", false, 0xc9),
	P("enter $0,$0", false, 0xc8, 0x00, 0x00, 0x00),
	P("lea (%rax),%rsp", false, 0x48, 0x8d, 0x20),
	P("add $8,%rsp (unbalanced)", false, 0x48, 0x83, 0xc4, 0x08),
	P("push %rax (unbalanced)", false, 0x50),
	P("lea -8(%rsp),%rsp (unbalanced)", false, 0x48, 0x8d, 0x64, 0x24, 0xf8),
	P("pushw %ax", false, 0x66, 0x50),
	P("sub $0xf000,%rsp (frame > 60 KiB)", false, 0x48, 0x81, 0xec, 0x00, 0xf0, 0x00, 0x00),
	P("jz +1; push %rax (depths differ at the join)", false, 0x74, 0x01, 0x50),
	P("ret at depth 40", false, 0xc3),
	P("ret $8", false, 0xc2, 0x08, 0x00),
	/* indirect transfers */
	P("jmp *%rax", false, 0xff, 0xe0),
	P("call *%rax", false, 0xff, 0xd0),
	P("call *(%rax)", false, 0xff, 0x10),
	P("jmp *(%rax)", false, 0xff, 0x20),
	P("notrack jmp *%rax", false, 0x3e, 0xff, 0xe0),
	P("call *(%rsp)", false, 0xff, 0x14, 0x24),
	P("jmp short with an operand-size prefix", false, 0x66, 0xeb, 0x00),
	P("call with an operand-size prefix", false, 0x66, 0xe8, 0x00, 0x00),
	P("jmp short into the middle of the marker", false, 0xeb, 0xfc),
	P("jz into the middle of the marker", false, 0x74, 0xfb),
};

typedef struct area
{
	size_t		off;			/* file offset of the patch area */
	uint64_t	v;				/* its address */
	uint64_t	hosttab;
	uint64_t	rodata;			/* a read-only data address */
	uint64_t	leaf;			/* another function's entry */
	uint64_t	helper;			/* a local function's entry */
} area;

static bool
find_area(obj *o, area *a)
{
	static const uint8_t marker[] = {0xb8, 0x1e, 0xab, 0x57, 0x7e};
	uint8_t    *p = memmem(o->b, o->n, marker, sizeof(marker));
	uint8_t    *q;

	if (p == NULL)
		return false;
	a->off = (p - o->b) + 5;
	a->v = off_to_vaddr(o->b, a->off);
	q = o->b + a->off + 24;
	if (q[0] != 0xff || q[1] != 0x15 || q[6] != 0x48 || q[7] != 0x8b || q[8] != 0x05)
		return false;
	a->hosttab = a->v + 24 + 6 + get32(q + 2) - 8;
	a->rodata = a->v + 30 + 7 + get32(q + 9);
	q = o->b + a->off + 42;		/* the tail call */
	if (q[0] == 0xeb)
		a->leaf = a->v + 42 + 2 + (int8_t) q[1];
	else
		a->leaf = a->v + 42 + 5 + get32(q + 1);
	q = o->b + a->off - 15;		/* call helper */
	if (q[0] != 0xe8)
		return false;
	a->helper = a->v - 15 + 5 + get32(q + 1);
	return true;
}

static void
try_patch(obj *o, const area *a, const char *name, const uint8_t *b, int n, bool accept)
{
	uint8_t    *c = malloc(o->n);
	char		what[256];

	memcpy(c, o->b, o->n);
	memcpy(c + a->off, b, n);
	snprintf(what, sizeof(what), "%s: patch: %s", o->path, name);
	expect(what, c, o->n, accept);
	free(c);
}

/* A patch of opcode bytes op[0..k) followed by a rel32 to target. */
static void
try_rel(obj *o, const area *a, const char *name, const uint8_t *op, int k,
		uint64_t target, bool accept)
{
	uint8_t		b[16];

	memcpy(b, op, k);
	put32(b + k, (int64_t) (target - (a->v + k + 4)));
	try_patch(o, a, name, b, k + 4, accept);
}

static void
patch_mutations(obj *o)
{
	area		a;
	uint64_t	relro = 0,
				ro_end = 0,
				outside = 0x40000000;
	int			i;
	static const uint8_t call[] = {0xe8},
				jmp[] = {0xe9},
				jz[] = {0x0f, 0x84},
				callm[] = {0xff, 0x15},
				jmpm[] = {0xff, 0x25},
				call32[] = {0x67, 0xff, 0x15},
				callgs[] = {0x65, 0xff, 0x15},
				load[] = {0x48, 0x8b, 0x05},
				store[] = {0x48, 0x89, 0x05},
				btload[] = {0x48, 0x0f, 0xa3, 0x05},
				load32[] = {0x67, 0x48, 0x8b, 0x05},
				movups[] = {0x0f, 0x10, 0x05};

	if (!find_area(o, &a))
	{
		printf("FAIL: %s: no patch area\n", o->path);
		nfailed++;
		return;
	}
	for (size_t k = 0; k < sizeof(fixed_patches) / sizeof(fixed_patches[0]); k++)
		try_patch(o, &a, fixed_patches[k].name, fixed_patches[k].b, fixed_patches[k].n,
				  fixed_patches[k].accept);

	if ((i = find_ph(o->b, PT_GNU_RELRO, 0, 0)) >= 0)
		relro = phdr(o->b, i)->p_vaddr;
	i = find_ph(o->b, PT_LOAD, PF_W | PF_X, 0);
	ro_end = phdr(o->b, i)->p_vaddr + phdr(o->b, i)->p_memsz;

	/* computed targets */
	try_rel(o, &a, "control: direct call of a local function", call, 1, a.helper, true);
	try_rel(o, &a, "control: rodata load", load, 3, a.rodata, true);
	/* accept1's host table has the first ABI's size (TMEBOX_HOST_COUNT_V1
	 * slots, tests/accept1.s): its own last slot is the last one */
	try_rel(o, &a, "control: call *SLOT(%rip) of the last host slot", callm, 2,
			a.hosttab + 8 * (TMEBOX_HOST_COUNT_V1 - 1), true);
	try_rel(o, &a, "control: jz to a label of the same function", jz, 2, a.v + 23, true);
	try_rel(o, &a, "call to a foreign address", call, 1, a.v + outside, false);
	try_rel(o, &a, "call into the module's data", call, 1, a.rodata, false);
	try_rel(o, &a, "call into the middle of an instruction", call, 1, a.v - 3, false);
	try_rel(o, &a, "call of a function's inner instruction that writes (%rsp)", call, 1,
			a.helper + 1, false);
	try_rel(o, &a, "jmp into the middle of an instruction", jmp, 1, a.v - 3, false);
	try_rel(o, &a, "jmp outside the text", jmp, 1, a.v + outside, false);
	try_rel(o, &a, "jmp to the address 0", jmp, 1, 0, false);
	try_rel(o, &a, "tail call at depth 40", jmp, 1, a.leaf, false);
	try_rel(o, &a, "conditional tail call at depth 40", jz, 2, a.leaf, false);
	try_rel(o, &a, "RIP-relative store to read-only data", store, 3, a.rodata, false);
	try_rel(o, &a, "RIP-relative load from writable data (host table)", load, 3, a.hosttab, false);
	try_rel(o, &a, "RIP-relative load from RELRO", load, 3, relro, false);
	try_rel(o, &a, "RIP-relative load outside the object", load, 3, a.v + outside, false);
	try_rel(o, &a, "RIP-relative load of code bytes", load, 3, a.v, false);
	try_rel(o, &a, "RIP-relative load straddling the end of read-only data", load, 3, ro_end - 4, false);
	try_rel(o, &a, "RIP-relative 16-byte load straddling the end of read-only data", movups, 3,
			ro_end - 8, false);
	try_rel(o, &a, "EIP-relative load (addr32)", load32, 4, a.rodata, false);
	try_rel(o, &a, "call *SLOT(%rip) misaligned", callm, 2, a.hosttab + 4, false);
	try_rel(o, &a, "call *SLOT(%rip) past the host table", callm, 2,
			a.hosttab + 8 * TMEBOX_HOST_COUNT_V1, false);
	try_rel(o, &a, "call *SLOT(%rip) before the host table", callm, 2, a.hosttab - 8, false);
	try_rel(o, &a, "call *X(%rip) of read-only data", callm, 2, a.rodata, false);
	try_rel(o, &a, "jmp *SLOT(%rip)", jmpm, 2, a.hosttab + 8, false);
	try_rel(o, &a, "call *SLOT(%eip) (addr32)", call32, 3, a.hosttab + 8, false);
	try_rel(o, &a, "call *%gs:SLOT(%rip)", callgs, 3, a.hosttab + 8, false);
	try_rel(o, &a, "bt %rax,RODATA(%rip) (register bit offset)", btload, 4, a.rodata, false);

	/* helper: push %rbp (1), mov %gs (6), mov %rax,(%rsp) (4), pop, ret */
	{
		size_t		h = a.off + (a.helper - a.v);
		uint8_t    *c = malloc(o->n);
		char		what[256];

		memcpy(c, o->b, o->n);
		if (c[h + 11] == 0x5d && c[h + 12] == 0xc3)
		{
			c[h + 11] = c[h + 12] = 0x90;
			snprintf(what, sizeof(what), "%s: helper without pop/ret falls into the next function at depth 8",
					 o->path);
			expect(what, c, o->n, false);
		}
		else
		{
			printf("FAIL: %s: helper has an unexpected form\n", o->path);
			nfailed++;
		}
		free(c);
	}
	/* main's tail call retargeted at leaf's ret (depth 0, but inside leaf) */
	{
		size_t		l = a.off + (a.leaf - a.v);
		size_t		j = a.off + 42;
		uint8_t    *c = malloc(o->n);
		char		what[256];
		uint64_t	ret;

		memcpy(c, o->b, o->n);
		if (c[l + 7] == 0x75 && (c[j] == 0xeb || c[j] == 0xe9))
		{
			ret = a.leaf + 9 + (int8_t) c[l + 8];
			if (c[j] == 0xeb)
				c[j + 1] = (uint8_t) (ret - (a.v + 42 + 2));
			else
				put32(c + j + 1, (int64_t) (ret - (a.v + 42 + 5)));
			snprintf(what, sizeof(what), "%s: jump into the body of another function", o->path);
			expect(what, c, o->n, false);
		}
		else
		{
			printf("FAIL: %s: leaf has an unexpected form\n", o->path);
			nfailed++;
		}
		free(c);
	}
}

/* ---- site mutations of compiled modules ---- */

typedef struct site_form
{
	const char *name;
	int			n;
	uint8_t		b[8];
} site_form;

#define F(name, ...) {name, sizeof((uint8_t[]){__VA_ARGS__}), {__VA_ARGS__}}

/* Forms of at most 5 bytes that replace a direct call (padded with NOPs). */
static const site_form call_forms[] = {
	F("syscall", 0x0f, 0x05), F("int $0x80", 0xcd, 0x80), F("jmp *%rax", 0xff, 0xe0),
	F("call *%rax", 0xff, 0xd0), F("call *(%rax)", 0xff, 0x10),
	F("wrgsbase %rax", 0xf3, 0x48, 0x0f, 0xae, 0xd8), F("rdgsbase %rax", 0xf3, 0x48, 0x0f, 0xae, 0xc8),
	F("wrfsbase %rax", 0xf3, 0x48, 0x0f, 0xae, 0xd0), F("ljmp *(%rax)", 0xff, 0x28),
	F("lcall *(%rax)", 0xff, 0x18), F("lret", 0xcb), F("vmovdqu %ymm0,%ymm1", 0xc5, 0xfe, 0x6f, 0xc8),
	F("kmovw %k1,%k2", 0xc5, 0xf8, 0x90, 0xd1), F("vzeroupper", 0xc5, 0xf8, 0x77),
	F("rep movsb", 0xf3, 0xa4), F("pop %rsp", 0x5c), F("leave", 0xc9),
	F("enter $0,$0", 0xc8, 0x00, 0x00, 0x00), F("push %fs", 0x0f, 0xa0), F("pop %gs", 0x0f, 0xa9),
	F("cpuid", 0x0f, 0xa2), F("rdtsc", 0x0f, 0x31), F("wrpkru", 0x0f, 0x01, 0xef),
	F("hlt", 0xf4), F("in %dx,%al", 0xec), F("out %al,%dx", 0xee),
	F("mov (%rax),%eax", 0x8b, 0x00), F("mov %eax,(%rax)", 0x89, 0x00),
	F("mov %gs:(%rax),%eax", 0x65, 0x8b, 0x00), F("mov %fs:(%eax),%eax", 0x64, 0x67, 0x8b, 0x00),
	F("mov %rax,%rsp", 0x48, 0x89, 0xc4), F("and $-16,%rsp", 0x48, 0x83, 0xe4, 0xf0),
	F("store below %rsp", 0x48, 0x89, 0x44, 0x24, 0xf8), F("junk 06", 0x06),
	F("call into itself (rel32 -4)", 0xe8, 0xfc, 0xff, 0xff, 0xff),
	F("jmp into itself (rel32 -4)", 0xe9, 0xfc, 0xff, 0xff, 0xff),
};

static int
site_mutations(obj *o)
{
	ZydisDecoder dec;
	Elf64_Phdr *t;
	int			i = find_ph(o->b, PT_LOAD, PF_X, PF_X);
	int			ncall = 0,
				nhost = 0,
				ngs = 0,
				nrsp = 0;
	uint64_t	hosttab = 0;
	Elf64_Sym  *hs = find_sym(o->b, TMEBOX_SYM_HOSTTAB);
	char		what[256];
	char		err[512];
	int			before = mut_tried;

	if (!verify_copy(o->b, o->n, err, sizeof(err)))
	{
		printf("FAIL: %s: the compiled module itself is refused: %s\n", o->path, err);
		nfailed++;
		return 0;
	}
	npassed++;
	if (i < 0 || hs == NULL)
		return 0;
	hosttab = hs->st_value;
	t = phdr(o->b, i);
	ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	for (uint64_t off = 0; off < t->p_filesz;)
	{
		ZydisDecodedInstruction in;
		uint8_t    *p = o->b + t->p_offset + off;
		uint8_t    *c;
		size_t		at = t->p_offset + off;

		if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&dec, NULL, p, t->p_filesz - off, &in)))
		{
			off++;
			continue;
		}
		c = malloc(o->n);
		if (in.length == 5 && p[0] == 0xe8 && ncall < 6)
		{
			ncall++;
			for (size_t k = 0; k < sizeof(call_forms) / sizeof(call_forms[0]); k++)
			{
				memcpy(c, o->b, o->n);
				memset(c + at, 0x90, 5);
				memcpy(c + at, call_forms[k].b, call_forms[k].n);
				snprintf(what, sizeof(what), "%s: call site 0x%llx: %s", o->path,
						 (unsigned long long) (t->p_vaddr + off), call_forms[k].name);
				expect(what, c, o->n, false);
			}
			memcpy(c, o->b, o->n);
			put32(c + at + 1, 0x40000000);
			snprintf(what, sizeof(what), "%s: call site 0x%llx: call to a foreign address",
					 o->path, (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
		}
		else if (in.length == 6 && p[0] == 0xff && p[1] == 0x15 && nhost < 4)
		{
			uint64_t	slot = t->p_vaddr + off + 6 + get32(p + 2);
			static const uint8_t evex[] = {0x62, 0xf1, 0xfe, 0x48, 0x6f, 0xc8};

			nhost++;
			memcpy(c, o->b, o->n);
			put32(c + at + 2, get32(p + 2) + 4);
			snprintf(what, sizeof(what), "%s: host call 0x%llx: misaligned slot", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			memcpy(c, o->b, o->n);
			put32(c + at + 2, get32(p + 2) + (int64_t) (hosttab + 8 * TMEBOX_HOST_COUNT - slot));
			snprintf(what, sizeof(what), "%s: host call 0x%llx: slot past the table", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			memcpy(c, o->b, o->n);
			c[at + 1] = 0x25;
			snprintf(what, sizeof(what), "%s: host call 0x%llx: jmp *SLOT(%%rip)", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			memcpy(c, o->b, o->n);
			memcpy(c + at, evex, 6);
			snprintf(what, sizeof(what), "%s: host call 0x%llx: EVEX vmovdqu64 zmm", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
		}
		else if (in.length >= 3 && ngs < 12 &&
				 ((p[0] == 0x65 && p[1] == 0x67) || (p[0] == 0x67 && p[1] == 0x65)))
		{
			int			g = p[0] == 0x65 ? 0 : 1;

			ngs++;
			memcpy(c, o->b, o->n);
			c[at + g] = 0x3e;
			snprintf(what, sizeof(what), "%s: %%gs access 0x%llx: gs -> ds", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			memcpy(c, o->b, o->n);
			c[at + g] = 0x64;
			snprintf(what, sizeof(what), "%s: %%gs access 0x%llx: gs -> fs", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			memcpy(c, o->b, o->n);
			c[at] = 0x90;		/* drop addr32, keep the length */
			c[at + 1] = 0x65;
			snprintf(what, sizeof(what), "%s: %%gs access 0x%llx: without addr32", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			if (p[2] == 0x48 && (p[3] == 0x89 || p[3] == 0x8b))
			{
				/* mov %r64 <-> %gs:m becomes bt %e32, %gs:m (same ModRM) */
				memcpy(c, o->b, o->n);
				c[at + 2] = 0x0f;
				c[at + 3] = 0xa3;
				snprintf(what, sizeof(what), "%s: %%gs access 0x%llx: bt with a register bit offset",
						 o->path, (unsigned long long) (t->p_vaddr + off));
				expect(what, c, o->n, false);
			}
		}
		else if (in.mnemonic == ZYDIS_MNEMONIC_MOV && nrsp < 6 && in.raw.disp.size == 8 &&
				 in.raw.modrm.rm == 4 && in.raw.sib.base == 4 && in.raw.modrm.mod == 1 &&
				 !in.raw.rex.B && !(in.attributes & ZYDIS_ATTRIB_HAS_SEGMENT) &&
				 (p[in.raw.modrm.offset - 1] == 0x89 || p[in.raw.modrm.offset - 1] == 0x88))
		{
			nrsp++;
			memcpy(c, o->b, o->n);
			c[at + in.raw.disp.offset] = 0xf8;
			snprintf(what, sizeof(what), "%s: %%rsp store 0x%llx: displacement -8", o->path,
					 (unsigned long long) (t->p_vaddr + off));
			expect(what, c, o->n, false);
			if (p[0] == 0x48 && p[1] == 0x89)
			{
				/* mov %r64, d(%rsp) becomes bts %e32, d(%rsp) (same ModRM) */
				memcpy(c, o->b, o->n);
				c[at] = 0x0f;
				c[at + 1] = 0xab;
				snprintf(what, sizeof(what), "%s: %%rsp store 0x%llx: bts with a register bit offset",
						 o->path, (unsigned long long) (t->p_vaddr + off));
				expect(what, c, o->n, false);
			}
		}
		free(c);
		off += in.length;
	}
	printf("%s: %d site mutations (%d calls, %d host calls, %d %%gs accesses, %d %%rsp stores)\n",
		   o->path, mut_tried - before, ncall, nhost, ngs, nrsp);
	return mut_tried - before;
}

/* ---- ELF-level mutations ---- */

typedef void (*elf_mut) (uint8_t *b, size_t n);

static void
m_hosttab_missing(uint8_t *b, size_t n)
{
	uint8_t    *p = memmem(b, n, TMEBOX_SYM_HOSTTAB, strlen(TMEBOX_SYM_HOSTTAB));

	p[2] = 'X';
}
static void
m_hosttab_misaligned(uint8_t *b, size_t n)
{
	find_sym(b, TMEBOX_SYM_HOSTTAB)->st_value += 4;
}
static void
m_hosttab_empty(uint8_t *b, size_t n)
{
	find_sym(b, TMEBOX_SYM_HOSTTAB)->st_size = 0;
}
static void
m_hosttab_func(uint8_t *b, size_t n)
{
	Elf64_Sym  *s = find_sym(b, TMEBOX_SYM_HOSTTAB);

	s->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
}
static void
m_hosttab_readonly(uint8_t *b, size_t n)
{
	find_sym(b, TMEBOX_SYM_HOSTTAB)->st_value = 0x100;
}
static void
m_hosttab_undef(uint8_t *b, size_t n)
{
	find_sym(b, TMEBOX_SYM_HOSTTAB)->st_shndx = SHN_UNDEF;
}
static void
m_text_truncated(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X))->p_filesz -= 3;
}
static void
m_text_past_file(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X))->p_filesz = n;
}
static void
m_text_offset_huge(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X))->p_offset = UINT64_MAX - 4;
}
static void
m_text_vaddr_wrap(uint8_t *b, size_t n)
{
	Elf64_Phdr *p = phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X));

	p->p_vaddr = UINT64_MAX - 0x10;
}
static void
m_phoff_end(uint8_t *b, size_t n)
{
	ehdr(b)->e_phoff = n - 8;
}
static void
m_phnum_big(uint8_t *b, size_t n)
{
	ehdr(b)->e_phnum = 65;
}
static void
m_phentsize(uint8_t *b, size_t n)
{
	ehdr(b)->e_phentsize = 32;
}
static void
m_dynamic_offset(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_DYNAMIC, 0, 0))->p_offset = n;
}
static void
m_dynamic_short(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_DYNAMIC, 0, 0))->p_filesz = 16;
}
static void
m_strsz_huge(uint8_t *b, size_t n)
{
	find_dyn(b, DT_STRSZ)->d_un.d_val = UINT64_MAX / 2;
}
static void
m_symtab_bogus(uint8_t *b, size_t n)
{
	find_dyn(b, DT_SYMTAB)->d_un.d_ptr = 0xdeadbeef;
}
static void
m_gnuhash_buckets(uint8_t *b, size_t n)
{
	Elf64_Dyn  *d = find_dyn(b, DT_GNU_HASH);
	Elf64_Phdr *p = phdr(b, find_ph(b, PT_LOAD, PF_X | PF_W, 0));
	uint32_t	big = 0xffffffffu;

	memcpy(b + p->p_offset + (d->d_un.d_ptr - p->p_vaddr), &big, 4);
}
static void
m_dup_symtab(uint8_t *b, size_t n)
{
	find_dyn(b, DT_STRSZ)->d_tag = DT_SYMTAB;
}
static void
m_two_exec(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_LOAD, PF_X | PF_W, 0))->p_flags |= PF_X;
}
static void
m_text_writable(uint8_t *b, size_t n)
{
	phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X))->p_flags |= PF_W;
}
static void
m_overlap(uint8_t *b, size_t n)
{
	Elf64_Phdr *t = phdr(b, find_ph(b, PT_LOAD, PF_X, PF_X));

	phdr(b, find_ph(b, PT_LOAD, PF_W, PF_W))->p_vaddr = t->p_vaddr + 8;
}
static void
m_relro_over_rodata(uint8_t *b, size_t n)
{
	Elf64_Phdr *r = phdr(b, find_ph(b, PT_GNU_RELRO, 0, 0));

	r->p_vaddr = 0;
	r->p_memsz = 0x1000;
}
static void
m_func_outside(uint8_t *b, size_t n)
{
	find_sym(b, "__tmebox_export_leaf")->st_value = 0x10;
}
static void
m_func_ifunc(uint8_t *b, size_t n)
{
	find_sym(b, "__tmebox_export_leaf")->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_GNU_IFUNC);
}
static void
m_func_mid_insn(uint8_t *b, size_t n)
{
	find_sym(b, "__tmebox_export_leaf")->st_value += 1;
}
static void
m_machine(uint8_t *b, size_t n)
{
	ehdr(b)->e_machine = EM_386;
}
static void
m_exec_type(uint8_t *b, size_t n)
{
	ehdr(b)->e_type = ET_EXEC;
}
static void
m_not_elf(uint8_t *b, size_t n)
{
	b[1] = 'X';
}

static const struct
{
	const char *name;
	elf_mut		fn;
}			elf_muts[] = {
	{"host table symbol missing", m_hosttab_missing},
	{"host table misaligned", m_hosttab_misaligned},
	{"host table of size 0", m_hosttab_empty},
	{"host table typed as a function", m_hosttab_func},
	{"host table in read-only data", m_hosttab_readonly},
	{"host table undefined", m_hosttab_undef},
	{"text segment truncated", m_text_truncated},
	{"text segment past the end of the file", m_text_past_file},
	{"text segment at a huge offset", m_text_offset_huge},
	{"text segment address wraps", m_text_vaddr_wrap},
	{"program headers past the end of the file", m_phoff_end},
	{"65 program headers", m_phnum_big},
	{"bad program header size", m_phentsize},
	{"PT_DYNAMIC past the end of the file", m_dynamic_offset},
	{"PT_DYNAMIC without DT_NULL", m_dynamic_short},
	{"huge DT_STRSZ", m_strsz_huge},
	{"DT_SYMTAB outside the file", m_symtab_bogus},
	{"GNU hash with 2^32-1 buckets", m_gnuhash_buckets},
	{"duplicate DT_SYMTAB", m_dup_symtab},
	{"two executable segments", m_two_exec},
	{"writable text segment", m_text_writable},
	{"writable segment on the text page", m_overlap},
	{"RELRO over the read-only data", m_relro_over_rodata},
	{"function symbol outside the text", m_func_outside},
	{"IFUNC symbol", m_func_ifunc},
	{"function symbol inside an instruction", m_func_mid_insn},
	{"not x86-64", m_machine},
	{"ET_EXEC", m_exec_type},
	{"not ELF", m_not_elf},
};

static void
elf_mutations(obj *o)
{
	char		what[256];
	char		err[256];
	unsigned	seed = 12345;
	int			crashes_checked = 0;

	for (size_t k = 0; k < sizeof(elf_muts) / sizeof(elf_muts[0]); k++)
	{
		uint8_t    *c = malloc(o->n);

		memcpy(c, o->b, o->n);
		elf_muts[k].fn(c, o->n);
		snprintf(what, sizeof(what), "%s: ELF: %s", o->path, elf_muts[k].name);
		expect(what, c, o->n, false);
		free(c);
	}

	/* module-file headers */
	{
		uint8_t    *f = malloc(o->n + TMEBOX_MODULE_HEADER_SIZE);
		const uint8_t *so;
		size_t		solen;
		uint32_t	v = TMEBOX_ABI_VERSION,
					m = 0;
		uint64_t	n = o->n;

		memcpy(f, TMEBOX_MODULE_MAGIC, 8);
		memcpy(f + 8, &v, 4);
		memcpy(f + 12, &m, 4);
		memcpy(f + 16, &n, 8);
		memcpy(f + 24, o->b, o->n);
		if (tvf_module_object(f, o->n + 24, &so, &solen, err, sizeof(err)) == 0 &&
			solen == o->n && verify_copy(so, solen, err, sizeof(err)))
			npassed++;
		else
		{
			printf("FAIL: %s: module file wrapper not accepted: %s\n", o->path, err);
			nfailed++;
		}
		if (tvf_module_object(f, o->n + 23, &so, &solen, err, sizeof(err)) != 0)
			npassed++;
		else
		{
			printf("FAIL: %s: truncated module file accepted\n", o->path);
			nfailed++;
		}
		f[0] = 'X';
		if (tvf_module_object(f, o->n + 24, &so, &solen, err, sizeof(err)) != 0)
			npassed++;
		else
		{
			printf("FAIL: %s: module file with a bad magic accepted\n", o->path);
			nfailed++;
		}
		free(f);
	}

	/* truncations and random byte flips: ASan/UBSan abort on any
	 * out-of-bounds read; the result itself is not checked */
	for (size_t len = 0; len < o->n; len += (len < 4096 ? 1 : 7))
	{
		verify_copy(o->b, len, err, sizeof(err));
		crashes_checked++;
	}
	for (int k = 0; k < 3000; k++)
	{
		uint8_t    *c = malloc(o->n);
		int			flips = 1 + k % 4;

		memcpy(c, o->b, o->n);
		for (int j = 0; j < flips; j++)
		{
			seed = seed * 1103515245u + 12345u;
			/* half of the flips hit the headers, tables and text start */
			c[(seed >> 8) % (k % 2 ? o->n : (o->n < 1024 ? o->n : 1024))] = (uint8_t) (seed >> 24);
		}
		verify_copy(c, o->n, err, sizeof(err));
		crashes_checked++;
		free(c);
	}
	npassed++;
	printf("%s: %d truncated or randomly corrupted objects verified without a memory error\n",
		   o->path, crashes_checked);
}

/*
 * --patch-first-call FILE: replace the first direct call of FILE's (an ELF
 * shared object) executable segment by `jmp *%rax` padded with NOPs, in
 * place.  Used as a fake linker's last step (tests/run-corpus.sh) to show
 * that tmebox-cc refuses what its linker hands back.
 */
static int
patch_first_call(const char *path)
{
	obj			o;
	ZydisDecoder dec;
	Elf64_Phdr *t;
	FILE	   *f;

	if (!load(path, &o))
		return 1;
	t = phdr(o.b, find_ph(o.b, PT_LOAD, PF_X, PF_X));
	ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	for (uint64_t off = 0; off < t->p_filesz;)
	{
		ZydisDecodedInstruction in;
		uint8_t    *p = o.b + t->p_offset + off;

		if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&dec, NULL, p, t->p_filesz - off, &in)))
		{
			off++;
			continue;
		}
		if (in.length == 5 && p[0] == 0xe8)
		{
			static const uint8_t jmp_rax[] = {0xff, 0xe0, 0x90, 0x90, 0x90};

			memcpy(p, jmp_rax, 5);
			f = fopen(path, "wb");
			if (f == NULL || fwrite(o.b, 1, o.n, f) != o.n || fclose(f) != 0)
				return 1;
			return 0;
		}
		off += in.length;
	}
	return 1;
}

/*
 * tvf_verify_roots: the bounds of the roots (defined STT_FUNC symbols of
 * .dynsym), asked for together, have the object's bound as their maximum,
 * and an address that is no function is refused.
 */
static void
check_root_bounds(obj *o, const char *path, const tvf_stats *all)
{
	Elf64_Ehdr *e = ehdr(o->b);
	Elf64_Shdr *sh = (Elf64_Shdr *) (o->b + e->e_shoff);
	uint64_t	addrs[64];
	uint32_t	bounds[64];
	uint32_t	max = 0;
	int			nroots = 0;
	tvf_stats	st;
	char		err[512];

	for (int i = 0; i < e->e_shnum; i++)
	{
		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		for (uint64_t k = 1; k < sh[i].sh_size / sizeof(Elf64_Sym); k++)
		{
			Elf64_Sym  *s = (Elf64_Sym *) (o->b + sh[i].sh_offset) + k;

			if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF ||
				nroots == 64)
				continue;
			addrs[nroots++] = s->st_value;
		}
	}
	if (tvf_verify_roots(o->b, o->n, addrs, bounds, nroots, &st, err, sizeof(err)) != 0)
	{
		printf("FAIL: %s: tvf_verify_roots: %s\n", path, err);
		nfailed++;
		return;
	}
	for (int k = 0; k < nroots; k++)
		if (bounds[k] > max)
			max = bounds[k];
	addrs[0] = 1;
	if (nroots == 0 || max != all->max_stack || st.max_stack != all->max_stack)
	{
		printf("FAIL: %s: the roots' bounds (%d roots) have the maximum %u, the object %u\n",
			   path, nroots, max, all->max_stack);
		nfailed++;
	}
	else if (tvf_verify_roots(o->b, o->n, addrs, bounds, 1, &st, err, sizeof(err)) == 0 ||
			 strstr(err, "no function at 0x1") == NULL)
	{
		printf("FAIL: %s: tvf_verify_roots of no function: %s\n", path, err);
		nfailed++;
	}
	else
		npassed++;
}

/*
 * --max-stack WANT OBJECT...: the native-stack bound of each object
 * (tests/stack.s and generated call chains, tests/run-tests.sh).
 */
static int
check_max_stack(const char *want_s, int nobj, char **paths)
{
	uint32_t	want;
	char	   *end;

	if (strcmp(want_s, "unbounded") == 0)
		want = TVF_STACK_UNBOUNDED;
	else
	{
		unsigned long v = strtoul(want_s, &end, 10);

		if (*want_s == '\0' || *end != '\0' || v >= TVF_STACK_UNBOUNDED)
		{
			fprintf(stderr, "test_verify: bad --max-stack \"%s\"\n", want_s);
			return 2;
		}
		want = (uint32_t) v;
	}
	for (int i = 0; i < nobj; i++)
	{
		obj			o;
		tvf_stats	st;
		char		err[512];
		uint8_t    *c;
		int			r;

		if (!load(paths[i], &o))
			continue;
		c = malloc(o.n);
		memcpy(c, o.b, o.n);
		r = tvf_verify_object_ex(c, o.n, &st, err, sizeof(err));
		free(c);
		if (r != 0)
		{
			printf("FAIL: %s: refused: %s\n", paths[i], err);
			nfailed++;
		}
		else if (st.max_stack != want)
		{
			printf("FAIL: %s: native stack bound %u, expected %s\n", paths[i],
				   st.max_stack, want_s);
			nfailed++;
		}
		else if (want != TVF_STACK_UNBOUNDED && st.stack_cycle != 0)
		{
			printf("FAIL: %s: bounded, but a cycle through 0x%llx is reported\n", paths[i],
				   (unsigned long long) st.stack_cycle);
			nfailed++;
		}
		else
		{
			npassed++;
			if (verbose)
				printf("ok: %s: native stack bound %s\n", paths[i], want_s);
		}
		if (r == 0)
			check_root_bounds(&o, paths[i], &st);
		free(o.b);
	}
	printf("%d passed, %d failed\n", npassed, nfailed);
	return nfailed == 0 ? 0 : 1;
}

/* --root-stack NAME WANT OBJECT: the bound of the root NAME. */
static int
check_root_stack(const char *name, const char *want_s, const char *path)
{
	obj			o;
	Elf64_Sym  *sym;
	tvf_stats	st;
	uint64_t	addr;
	uint32_t	bound;
	char		err[512];
	char		got[32];

	if (!load(path, &o))
		return 1;
	sym = find_sym(o.b, name);
	if (sym == NULL)
		snprintf(err, sizeof(err), "no symbol %s", name);
	if (sym != NULL)
		addr = sym->st_value;
	if (sym == NULL || tvf_verify_roots(o.b, o.n, &addr, &bound, 1, &st, err, sizeof(err)) != 0)
	{
		printf("FAIL: %s: %s: %s\n", path, name, err);
		free(o.b);
		return 1;
	}
	free(o.b);
	if (bound == TVF_STACK_UNBOUNDED)
		snprintf(got, sizeof(got), "unbounded");
	else
		snprintf(got, sizeof(got), "%u", bound);
	if (strcmp(got, want_s) != 0)
	{
		printf("FAIL: %s: root %s: native stack bound %s, expected %s\n", path, name, got, want_s);
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int			i = 1;
	bool		first = true;

	if (argc == 3 && strcmp(argv[1], "--patch-first-call") == 0)
		return patch_first_call(argv[2]);
	if (argc == 5 && strcmp(argv[1], "--root-stack") == 0)
		return check_root_stack(argv[2], argv[3], argv[4]);
	if (argc >= 4 && strcmp(argv[1], "--max-stack") == 0)
		return check_max_stack(argv[2], argc - 3, argv + 3);

	if (i < argc && strcmp(argv[i], "-v") == 0)
	{
		verbose = 1;
		i++;
	}
	for (; i < argc && strcmp(argv[i], "--") != 0; i++)
	{
		obj			o;

		if (!load(argv[i], &o))
			continue;
		expect(argv[i], o.b, o.n, true);
		if (first)
		{
			/* the first object carries the patch area */
			patch_mutations(&o);
			elf_mutations(&o);
			first = false;
		}
		free(o.b);
	}
	for (i++; i < argc; i++)
	{
		obj			o;

		if (!load(argv[i], &o))
			continue;
		site_mutations(&o);
		free(o.b);
	}
	printf("mutations: %d tried, %d refused\n", mut_tried, mut_refused);
	printf("%d passed, %d failed\n", npassed, nfailed);
	return nfailed == 0 ? 0 : 1;
}
