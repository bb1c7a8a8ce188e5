/*-------------------------------------------------------------------------
 *
 * fz_host_mod.c
 *		Sandboxed side of fuzz_host: run(prog) interprets a fuzzer-written
 *		program of host calls (memmove, memset, fmt_double, strtod, strtof,
 *		error, log, sbrk, trap) with fuzzer-chosen offsets, lengths, specs
 *		and texts, calling the host directly as any tenant may.
 *
 * Before each host call it writes into fz_st (a global whose view offset
 * status_addr() gives) what the host is allowed to do: return, or end the
 * call with which fault; it computes that from the host-call contract
 * (ABI.md, runtime README: every range inside [0x10000, brk)).  When a
 * call returns although it had to fault, or returns a wrong result, run()
 * returns FZ_BUG - op index; the harness turns that into a crash.
 *
 * Invariants:
 *	- Writes the fuzzer asks for are only issued when they hit outside the
 *	  committed range (and must fault) or inside [arena, brk): the arena is
 *	  the last heap block and nothing after it belongs to the allocator,
 *	  so the tenant's own state (fz_st, the allocator, the program) stays
 *	  intact and the oracle stays exact.
 *	- Reads may target anything committed.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

extern _Noreturn void __tmebox_host_trap(int32_t code);
extern uint64_t __tmebox_host_sbrk(uint64_t increment);
extern void __tmebox_host_memmove(void *dst, const void *src, uint64_t n);
extern void __tmebox_host_memset(void *dst, int32_t c, uint64_t n);
extern _Noreturn void __tmebox_host_error(const char *msg, uint64_t len);
extern void __tmebox_host_log(int32_t level, const char *msg, uint64_t len);
extern int32_t __tmebox_host_fmt_double(char *out, uint64_t cap,
										const char *spec, uint64_t speclen,
										double v);
extern double __tmebox_host_strtod(const char *str, char **endp);
extern float __tmebox_host_strtof(const char *str, char **endp);

/* allowed outcomes of the pending host call (bit set) */
#define E_RETURN	1
#define E_SEGV		2
#define E_USER		4
#define E_OOM		8
#define E_TRAP		16
#define E_STACK		32

#define FZ_BUG		(-1000)

typedef struct fz_status
{
	uint32_t	magic;			/* 0x467a5374 once run() has started */
	uint32_t	op;				/* index of the op in progress */
	uint32_t	expect;			/* E_* allowed while it runs */
	uint32_t	kind;			/* opcode in progress */
	uint64_t	msg_off;		/* error/log: the message the host must copy */
	uint64_t	msg_len;		/* ... and its length (after the clamp) */
	int64_t		level;			/* log: level passed */
	uint64_t	seg;			/* E_SEGV: the view offset the host reports */
} fz_status;

fz_status	fz_st;

static uint64_t brk_now;
static char *arena;

#define ARENA_SIZE	(64 * 1024)

int64_t
status_addr(void)
{
	return (int64_t) (uintptr_t) &fz_st;
}

/* The host's range check, as ABI.md states it. */
static bool
in_view(uint64_t off, uint64_t n)
{
	off = (uint32_t) off;
	return off >= 0x10000 && off <= brk_now && n <= brk_now - off;
}

/* The offset the host reports when its check of a range at off fails:
 * the break for a range that starts inside the committed part. */
static uint64_t
seg_at(uint64_t off)
{
	off = (uint32_t) off;
	return off >= 0x10000 && off <= brk_now ? brk_now : off;
}

/* May the harness's write to [off, off + n) be issued? */
static bool
write_ok(uint64_t off, uint64_t n)
{
	if (!in_view(off, n))
		return true;			/* must fault */
	off = (uint32_t) off;
	return off >= (uint64_t) (uintptr_t) arena;
}

typedef struct fz_prog
{
	const unsigned char *p;
	uint32_t	n;
} fz_prog;

static uint8_t
g8(fz_prog *r)
{
	uint8_t		v = 0;

	if (r->n > 0)
	{
		v = *r->p++;
		r->n--;
	}
	return v;
}

static uint64_t
g64(fz_prog *r)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t) g8(r) << (8 * i);
	return v;
}

static uint16_t
g16(fz_prog *r)
{
	return (uint16_t) (g8(r) | (g8(r) << 8));
}

/* An offset: raw, or an anchor plus a small signed delta. */
static uint64_t
g_off(fz_prog *r, const tmebox_buf *prog, char *local)
{
	uint8_t		sel = g8(r);
	int64_t		d = (int16_t) g16(r);
	uint64_t	base;

	switch (sel % 8)
	{
		case 0:
			return g64(r);
		case 1:
			base = 0x10000;
			break;
		case 2:
			base = brk_now;
			break;
		case 3:
			base = (uintptr_t) arena;
			break;
		case 4:
			base = (uintptr_t) &fz_st;
			break;
		case 5:
			base = (uintptr_t) local;
			break;
		case 6:
			base = UINT64_C(0x100000000);
			break;
		default:
			base = (uintptr_t) prog;
			break;
	}
	return base + (uint64_t) d;
}

/* A length: small, near the end of the committed range, or raw. */
static uint64_t
g_len(fz_prog *r, uint64_t off)
{
	uint8_t		sel = g8(r);

	switch (sel % 4)
	{
		case 0:
			return g64(r);
		case 1:
			return (uint32_t) brk_now - (uint32_t) off + (int8_t) g8(r) % 3;
		default:
			return g16(r) & 0x3fff;
	}
}

static uint64_t
hash(const unsigned char *p, uint64_t n)
{
	uint64_t	h = UINT64_C(0xcbf29ce484222325);

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ p[i]) * UINT64_C(0x100000001b3);
	return h;
}

#define P(off) ((char *) (uintptr_t) (uint32_t) (off))

int64_t
run(const tmebox_buf *prog)
{
	fz_prog		r;
	char		local[256];
	static char scratch[1024];	/* texts and specs built by the program */
	uint32_t	op;

	memset(&fz_st, 0, sizeof(fz_st));
	memset(local, 'L', sizeof(local));
	arena = malloc(ARENA_SIZE);
	brk_now = __tmebox_host_sbrk(0);
	fz_st.magic = 0x467a5374;
	if (prog == NULL)
		return 0;
	r.p = (const unsigned char *) prog->data;
	r.n = prog->len;
	for (op = 0; r.n > 0 && op < 32; op++)
	{
		uint8_t		code = g8(&r);

		fz_st.op = op;
		fz_st.kind = code % 10;
		fz_st.expect = 0;
		brk_now = __tmebox_host_sbrk(0);
		switch (code % 10)
		{
			case 0:				/* memmove */
				{
					uint64_t	dst = g_off(&r, prog, local),
								src = g_off(&r, prog, local),
								n = g_len(&r, dst);
					bool		ok = n == 0 || (in_view(dst, n) && in_view(src, n));
					uint64_t	h = 0;

					if (!write_ok(dst, n))
						break;
					if (ok && n <= 65536)
						h = hash((unsigned char *) P(src), n);
					fz_st.expect = ok ? E_RETURN : E_SEGV;
					fz_st.seg = seg_at(in_view(dst, n) ? src : dst);
					__tmebox_host_memmove(P(dst), P(src), n);
					if (!ok)
						return FZ_BUG - op;
					if (n <= 65536 && hash((unsigned char *) P(dst), n) != h)
						return FZ_BUG - op;
				}
				break;
			case 1:				/* memset */
				{
					uint64_t	dst = g_off(&r, prog, local),
								n = g_len(&r, dst);
					int32_t		c = (int32_t) g64(&r);
					bool		ok = n == 0 || in_view(dst, n);

					if (!write_ok(dst, n))
						break;
					fz_st.expect = ok ? E_RETURN : E_SEGV;
					fz_st.seg = seg_at(dst);
					__tmebox_host_memset(P(dst), c, n);
					if (!ok)
						return FZ_BUG - op;
					for (uint64_t i = 0; i < n && i < 65536; i++)
						if (P(dst)[i] != (char) c)
							return FZ_BUG - op;
				}
				break;
			case 2:				/* fmt_double */
				{
					uint64_t	out = g_off(&r, prog, local),
								cap = g_len(&r, out);
					uint8_t		sl = g8(&r);
					uint64_t	speclen = sl & 31;
					uint64_t	spec;
					double		v;
					uint64_t	vb = g64(&r);
					int32_t		ret;
					bool		canary;

					memcpy(&v, &vb, 8);
					if (sl & 0x80)
						spec = g_off(&r, prog, local);
					else
					{
						/* a spec from the program, at the end of scratch */
						for (uint64_t i = 0; i < speclen; i++)
							scratch[sizeof(scratch) - speclen + i] = (char) g8(&r);
						spec = (uintptr_t) &scratch[sizeof(scratch) - speclen];
					}
					if (cap > 0 && !write_ok(out, cap))
						break;
					if (speclen > 16)
						fz_st.expect = E_RETURN;
					else if (!in_view(spec, speclen))
						fz_st.expect = E_SEGV;
					else
						fz_st.expect = E_RETURN |
							(cap > 0 && !in_view(out, cap) ? E_SEGV : 0);
					fz_st.seg = seg_at(in_view(spec, speclen) ? out : spec);
					canary = cap > 0 && in_view(out, cap + 1) && write_ok(out, cap + 1);
					if (canary)
						P(out)[cap] = 0x5c;
					ret = __tmebox_host_fmt_double(P(out), cap, P(spec), speclen, v);
					if (!(fz_st.expect & E_RETURN))
						return FZ_BUG - op;
					if (speclen > 16 && ret != -1)
						return FZ_BUG - op;
					if (ret < -1 || ret > 1400)
						return FZ_BUG - op;
					if (ret >= 0 && cap > 0)
					{
						uint64_t	end = (uint64_t) ret < cap - 1 ? (uint64_t) ret : cap - 1;

						if (!in_view(out, cap))
							return FZ_BUG - op;	/* wrote outside */
						if (P(out)[end] != 0 || memchr(P(out), 0, end) != NULL)
							return FZ_BUG - op;
					}
					if (canary && P(out)[cap] != 0x5c)
						return FZ_BUG - op;
				}
				break;
			case 3:				/* strtod */
			case 4:				/* strtof */
				{
					uint8_t		sel = g8(&r);
					uint64_t	str,
								endp;
					uint64_t	maxn;
					char	   *end = NULL;

					if (sel & 1)
						str = g_off(&r, prog, local);
					else
					{
						/* text at the very end of the committed range,
						 * NUL-terminated or not */
						uint32_t	tl = g8(&r) % 64;

						str = brk_now - tl;
						for (uint32_t i = 0; i < tl; i++)
							P(str)[i] = (char) g8(&r);
						if ((sel & 2) && tl > 0)
							P(str)[tl - 1] = 0;
					}
					endp = (sel & 4) ? g_off(&r, prog, local) :
						(sel & 8) ? 0 : (uintptr_t) &end;
					if ((sel & 4) && (uint32_t) endp != 0 && !write_ok(endp, 8))
						break;
					if (!in_view(str, 1) ||
						((uint32_t) endp != 0 && !in_view(endp, 8)))
						fz_st.expect = E_SEGV;
					else
						fz_st.expect = E_RETURN;
					fz_st.seg = seg_at(in_view(str, 1) ? endp : str);
					if (code % 10 == 3)
						(void) __tmebox_host_strtod(P(str), (char **) P(endp));
					else
						(void) __tmebox_host_strtof(P(str), (char **) P(endp));
					if (!(fz_st.expect & E_RETURN))
						return FZ_BUG - op;
					maxn = brk_now - (uint32_t) str;
					if (maxn > 512)
						maxn = 512;
					if ((uintptr_t) endp == (uintptr_t) &end &&
						((uint32_t) (uintptr_t) end < (uint32_t) str ||
						 (uint32_t) (uintptr_t) end > (uint32_t) str + maxn))
						return FZ_BUG - op;
				}
				break;
			case 5:				/* error */
			case 6:				/* log */
				{
					uint64_t	msg = g_off(&r, prog, local),
								len = g_len(&r, msg);
					int32_t		level = (int32_t) g64(&r);
					uint64_t	clamped = len > 4095 ? 4095 : len;
					bool		ok = clamped == 0 || in_view(msg, clamped);

					fz_st.msg_off = (uint32_t) msg;
					fz_st.msg_len = clamped;
					fz_st.level = level;
					fz_st.seg = seg_at(msg);
					if (code % 10 == 5)
					{
						fz_st.expect = ok ? E_USER : E_SEGV;
						__tmebox_host_error(P(msg), len);
					}
					fz_st.expect = ok ? E_RETURN : E_SEGV;
					__tmebox_host_log(level, P(msg), len);
					if (!ok)
						return FZ_BUG - op;
				}
				break;
			case 7:				/* sbrk */
				{
					uint64_t	inc = (g8(&r) & 1) ? g64(&r) : g16(&r) * UINT64_C(4096) + g8(&r);
					uint64_t	old;

					/*
					 * A decrement (sbrk gives memory back since 715532f)
					 * must not take the break below this program's own
					 * arena or input: the model reads and writes them.
					 */
					if ((int64_t) inc < 0 && (uint64_t) -inc <= brk_now &&
						(brk_now + inc < (uint64_t) (uintptr_t) arena + ARENA_SIZE ||
						 brk_now + inc < (uint64_t) (uintptr_t) prog + sizeof(*prog) + prog->len + 1))
						break;
					fz_st.expect = E_RETURN | E_OOM;
					old = __tmebox_host_sbrk(inc);
					if (old != brk_now)
						return FZ_BUG - op;
					if (__tmebox_host_sbrk(0) != old + inc)
						return FZ_BUG - op;
					if (inc > 0)
						P(old + inc - 1)[0] = 1;	/* must be mapped */
				}
				break;
			case 8:				/* trap */
				{
					int32_t		c = (int32_t) g64(&r);

					fz_st.expect = c == 3 ? E_STACK : E_TRAP;
					__tmebox_host_trap(c);
				}
				break;
			default:			/* read through a host-checked pointer */
				{
					uint64_t	src = g_off(&r, prog, local),
								n = g_len(&r, src) & 0xffff;	/* < ARENA_SIZE */
					bool		ok = n == 0 || in_view(src, n);

					fz_st.expect = ok ? E_RETURN : E_SEGV;
					fz_st.seg = seg_at(src);
					__tmebox_host_memmove(arena, P(src), n);
					if (!ok)
						return FZ_BUG - op;
				}
				break;
		}
	}
	fz_st.expect = 0;
	return op;
}
