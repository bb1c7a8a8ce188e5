/*-------------------------------------------------------------------------
 *
 * cc_mcode_emit.c
 *		Emission of a sandboxed module as machine code whose every %gs
 *		access has 32-bit address size (see cc_mcode.h for why):
 *		LLVM's assembly, the %gs operands rewritten, LLVM's assembler (the
 *		text becomes the module-level inline assembly of an empty module,
 *		so no child process is needed), then cc_mcode_check.
 *
 * Invariants kept here:
 *	- Only instruction lines are rewritten (a tab, then a lower-case
 *	  mnemonic); directives, labels and comments are copied untouched, so
 *	  data (e.g. an .ascii string containing "%gs:") is never altered.
 *	- In an instruction, every "%gs:" operand is either rewritten or the
 *	  whole emission fails: its displacement must be a decimal integer and
 *	  its registers 64-bit general-purpose registers; a register-less
 *	  operand gets an explicit `addr32` prefix.  A %fs operand or a
 *	  segment register used as an operand fails the emission too.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_mcode.h"

#include <llvm-c/Target.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cc_text
{
	char	   *data;
	size_t		len;
	size_t		cap;
} cc_text;

static void
cc_text_add(cc_text *t, const char *p, size_t n)
{
	if (t->len + n + 1 > t->cap)
	{
		size_t		cap = t->cap ? t->cap : 4096;

		while (t->len + n + 1 > cap)
			cap *= 2;
		t->data = realloc(t->data, cap);
		if (t->data == NULL)
		{
			fprintf(stderr, "tmebox-cc: out of memory\n");
			exit(1);
		}
		t->cap = cap;
	}
	memcpy(t->data + t->len, p, n);
	t->len += n;
	t->data[t->len] = '\0';
}

void
cc_mcode_errf(char *err, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The 32-bit name of 64-bit general-purpose register `r` (no '%'), or NULL. */
static const char *
cc_reg32(const char *r, size_t n)
{
	static const char *const r64[] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp"};
	static const char *const r32[] = {"eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"};
	static const char *const rn[] = {"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
	static const char *const rnd[] = {"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};

	for (int i = 0; i < 8; i++)
	{
		if (strlen(r64[i]) == n && memcmp(r, r64[i], n) == 0)
			return r32[i];
		if (strlen(rn[i]) == n && memcmp(r, rn[i], n) == 0)
			return rnd[i];
	}
	return NULL;
}

/* Does [p, end) use segment register `seg` ("%gs") other than as "%gs:"? */
static bool
cc_has_segment_operand(const char *p, const char *end, const char *seg)
{
	size_t		n = strlen(seg);

	for (; p + n <= end; p++)
		if (memcmp(p, seg, n) == 0 &&
			(p + n == end || (p[n] != ':' && !isalnum((unsigned char) p[n]))))
			return true;
	return false;
}

/*
 * Rewrite the code part [p, end) of one instruction line into `out`.
 * 0, or -1 with a message.
 */
static int
cc_rewrite_insn(const char *p, const char *end, cc_text *out, char *err, size_t errlen)
{
	cc_text		body = {0};
	bool		need_prefix = false;
	const char *q = p;
	static const char *const segs[] = {"%cs", "%ds", "%es", "%ss", "%gs"};

	for (int i = 0; i < 5; i++)
		if (cc_has_segment_operand(p, end, segs[i]))
		{
			cc_mcode_errf(err, errlen, "segment register operand in \"%.*s\"", (int) (end - p), p);
			return -1;
		}
	for (const char *f = p; f + 3 <= end; f++)
		if (memcmp(f, "%fs", 3) == 0 && (f + 3 == end || !isalnum((unsigned char) f[3])))
		{
			cc_mcode_errf(err, errlen, "%%fs access in \"%.*s\"", (int) (end - p), p);
			return -1;
		}

	while (q < end)
	{
		const char *gs = NULL;
		const char *d;

		for (const char *f = q; f + 4 <= end; f++)
			if (memcmp(f, "%gs:", 4) == 0)
			{
				gs = f;
				break;
			}
		if (gs == NULL)
		{
			cc_text_add(&body, q, end - q);
			break;
		}
		cc_text_add(&body, q, gs + 4 - q);
		q = gs + 4;
		/* displacement: empty or a decimal integer */
		d = q;
		if (q < end && *q == '-')
			q++;
		while (q < end && isdigit((unsigned char) *q))
			q++;
		if (q < end && *q != '(' && *q != ',' && !isspace((unsigned char) *q))
			goto bad;
		if (q == d + 1 && *d == '-')
			goto bad;
		cc_text_add(&body, d, q - d);
		if (q < end && *q == '(')
		{
			/* (base,index,scale): rewrite every register */
			cc_text_add(&body, "(", 1);
			q++;
			while (q < end && *q != ')')
			{
				if (*q == '%')
				{
					const char *r = ++q;
					const char *r32;

					while (q < end && isalnum((unsigned char) *q))
						q++;
					if ((r32 = cc_reg32(r, q - r)) == NULL)
						goto bad;
					cc_text_add(&body, "%", 1);
					cc_text_add(&body, r32, strlen(r32));
				}
				else if (*q == ',' || isdigit((unsigned char) *q))
					cc_text_add(&body, q++, 1);
				else
					goto bad;
			}
			if (q >= end)
				goto bad;
			cc_text_add(&body, ")", 1);
			q++;
		}
		else
		{
			if (q == d)
				goto bad;		/* "%gs:" with neither displacement nor registers */
			need_prefix = true;
		}
	}

	/* body starts with the tab; the prefix goes before the mnemonic */
	if (need_prefix)
	{
		cc_text_add(out, "\taddr32 ", 8);
		cc_text_add(out, body.data + 1, body.len - 1);
	}
	else
		cc_text_add(out, body.data, body.len);
	free(body.data);
	return 0;

bad:
	cc_mcode_errf(err, errlen, "cannot give 32-bit address size to \"%.*s\"", (int) (end - p), p);
	free(body.data);
	return -1;
}

char *
cc_mcode_addr32(const char *in, size_t len, char *err, size_t errlen)
{
	cc_text		out = {0};
	const char *p = in,
			   *end = in + len;

	cc_text_add(&out, "", 0);
	while (p < end)
	{
		const char *eol = memchr(p, '\n', end - p);
		const char *next = eol ? eol + 1 : end;
		const char *code_end;

		if (eol == NULL)
			eol = end;
		if (eol - p >= 2 && p[0] == '\t' && islower((unsigned char) p[1]))
		{
			code_end = memchr(p, '#', eol - p);
			if (code_end == NULL)
				code_end = eol;
			if (cc_rewrite_insn(p, code_end, &out, err, errlen) != 0)
			{
				free(out.data);
				return NULL;
			}
			cc_text_add(&out, code_end, next - code_end);
		}
		else
			cc_text_add(&out, p, next - p);
		p = next;
	}
	return out.data;
}

int
cc_mcode_emit(LLVMTargetMachineRef tm, LLVMModuleRef mod, LLVMMemoryBufferRef *obj,
			  char *err, size_t errlen)
{
	LLVMMemoryBufferRef asmbuf = NULL;
	LLVMModuleRef asmmod;
	char	   *msg = NULL;
	char	   *text;
	int			rc = 0;

	*obj = NULL;
	LLVMInitializeX86AsmParser();	/* the assembler of the second step */
	if (LLVMTargetMachineEmitToMemoryBuffer(tm, mod, LLVMAssemblyFile, &msg, &asmbuf))
	{
		cc_mcode_errf(err, errlen, "code generation failed: %s", msg ? msg : "");
		LLVMDisposeMessage(msg);
		return -1;
	}
	text = cc_mcode_addr32(LLVMGetBufferStart(asmbuf), LLVMGetBufferSize(asmbuf), err, errlen);
	LLVMDisposeMemoryBuffer(asmbuf);
	if (text == NULL)
		return -1;

	asmmod = LLVMModuleCreateWithNameInContext("tmebox-module.s", LLVMGetModuleContext(mod));
	LLVMSetTarget(asmmod, LLVMGetTarget(mod));
	LLVMSetDataLayout(asmmod, LLVMGetDataLayoutStr(mod));
	LLVMSetModuleInlineAsm2(asmmod, text, strlen(text));
	free(text);
	if (LLVMTargetMachineEmitToMemoryBuffer(tm, asmmod, LLVMObjectFile, &msg, obj))
	{
		cc_mcode_errf(err, errlen, "assembling failed: %s", msg ? msg : "");
		LLVMDisposeMessage(msg);
		*obj = NULL;
		rc = -1;
	}
	LLVMDisposeModule(asmmod);
	if (rc == 0 &&
		cc_mcode_check((const uint8_t *) LLVMGetBufferStart(*obj), LLVMGetBufferSize(*obj),
					   err, errlen) != 0)
	{
		LLVMDisposeMemoryBuffer(*obj);
		*obj = NULL;
		rc = -1;
	}
	return rc;
}
