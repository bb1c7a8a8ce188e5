/*-------------------------------------------------------------------------
 *
 * mod_test.c
 *		Hand-written test module for the runtime (stands in for tmebox-cc
 *		output, see mod_common.h): ordinary functions, buffer and array
 *		functions, and functions that misbehave on purpose (bad offsets,
 *		division by zero, unbounded recursion, endless loops, forged
 *		results, hostile host-call arguments).  Its metadata is
 *		mod_test.meta; every export there is defined here.
 *
 * Invariant: all sandbox data is accessed %gs-relative (V/VP), so even the
 * misbehaving functions can only reach their own view; what they try is
 * what compiled hostile code could try.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include "mod_common.h"

#define FN(ret, name) EXPORT ret __tmebox_export_##name

/* ---- scalars ---- */

FN(int32_t, add) (int32_t a, int32_t b)
{
	POLL();
	return a + b;
}

FN(int64_t, add64) (int64_t a, int64_t b)
{
	POLL();
	return a + b;
}

FN(double, fmul) (double a, double b)
{
	POLL();
	return a * b;
}

FN(float, fhalf) (float a)
{
	POLL();
	return a / 2.0f;
}

FN(bool, not) (bool a)
{
	POLL();
	return !a;
}

FN(int16_t, inc16) (int16_t a)
{
	POLL();
	return (int16_t) (a + 1);
}

/* 8 integers and 10 doubles: some arguments go on the native stack. */
FN(double, many) (int32_t a1, int32_t a2, int32_t a3, int32_t a4, int32_t a5,
				  int32_t a6, int32_t a7, int32_t a8,
				  double d1, double d2, double d3, double d4, double d5,
				  double d6, double d7, double d8, double d9, double d10)
{
	POLL();
	return a1 + 2.0 * a2 + 3.0 * a3 + 4.0 * a4 + 5.0 * a5 + 6.0 * a6 + 7.0 * a7 +
		8.0 * a8 + d1 + 2 * d2 + 3 * d3 + 4 * d4 + 5 * d5 + 6 * d6 + 7 * d7 +
		8 * d8 + 9 * d9 + 10 * d10;
}

/* ---- globals ---- */

FN(int32_t, counter) (void)
{
	POLL();
	return ++V(int32_t, G_COUNTER);
}

FN(void, setscratch) (int64_t v)
{
	POLL();
	V(int64_t, G_SCRATCH) = v;
}

FN(int64_t, getscratch) (void)
{
	POLL();
	return V(int64_t, G_SCRATCH);
}

FN(int32_t, frees) (void)
{
	POLL();
	return V(int32_t, G_FREES);
}

FN(int64_t, brk) (void)
{
	POLL();
	return (int64_t) H_SBRK(0);
}

/* ---- buffers and arrays ---- */

FN(uint64_t, greeting) (void)
{
	uint32_t	n = 0;
	uint64_t	b;
	uint32_t	i;

	POLL();
	while (V(char, G_GREETING + n) != 0)
	{
		POLL();
		n++;
	}
	b = buf_new(n);
	for (i = 0; i < n; i++)
	{
		POLL();
		V(char, BUF_DATA(b) + i) = V(char, G_GREETING + i);
	}
	return b;
}

FN(uint64_t, upper) (uint64_t in)
{
	uint32_t	n,
				i;
	uint64_t	out;

	POLL();
	if ((uint32_t) in == 0)
		return 0;
	n = BUF_LEN(in);
	out = buf_new(n);
	for (i = 0; i < n; i++)
	{
		char		c = V(char, BUF_DATA(in) + i);

		POLL();
		V(char, BUF_DATA(out) + i) = (c >= 'a' && c <= 'z') ? c - 32 : c;
	}
	return out;
}

FN(uint64_t, echo) (uint64_t in)
{
	POLL();
	return in;
}

/* len if data[len] is the NUL the host must add, -1 if not, -2 for NULL */
FN(int32_t, blen) (uint64_t in)
{
	POLL();
	if ((uint32_t) in == 0)
		return -2;
	return V(char, BUF_DATA(in) + BUF_LEN(in)) == 0 ? (int32_t) BUF_LEN(in) : -1;
}

FN(uint64_t, nullbuf) (uint64_t in)
{
	POLL();
	return 0;
}

FN(int64_t, sum32) (uint64_t a)
{
	int64_t		s = 0;
	uint32_t	i;

	POLL();
	if ((uint32_t) a == 0)
		return -1;
	for (i = 0; i < ARR_N(a); i++)
	{
		POLL();
		s += V(int32_t, ARR_V(a) + 4 * i);
	}
	return s;
}

FN(uint64_t, scale) (uint64_t a, double k)
{
	uint32_t	n = ARR_N(a),
				i;
	uint64_t	r = __tmebox_rt_malloc(8 + 8 * (uint64_t) n);

	POLL();
	ARR_N(r) = n;
	for (i = 0; i < n; i++)
	{
		POLL();
		V(double, ARR_V(r) + 8 * i) = V(double, ARR_V(a) + 8 * i) * k;
	}
	return r;
}

FN(uint64_t, rev64) (uint64_t a)
{
	uint32_t	n = ARR_N(a),
				i;
	uint64_t	r = __tmebox_rt_malloc(8 + 8 * (uint64_t) n);

	POLL();
	ARR_N(r) = n;
	for (i = 0; i < n; i++)
	{
		POLL();
		V(int64_t, ARR_V(r) + 8 * i) = V(int64_t, ARR_V(a) + 8 * (n - 1 - i));
	}
	return r;
}

/* ---- hostile memory accesses ---- */

FN(int32_t, peek) (int64_t off)
{
	POLL();
	return V(int32_t, off);
}

FN(void, poke) (int64_t off, int32_t v)
{
	POLL();
	V(int32_t, off) = v;
}

FN(int64_t, peek64) (int64_t addr)
{
	POLL();
	return V(int64_t, addr);
}

FN(void, poke64) (int64_t addr, int64_t v)
{
	POLL();
	V(int64_t, addr) = v;
}

/* ---- arithmetic and control faults ---- */

FN(int32_t, div) (int32_t a, int32_t b)
{
	POLL();
	return a / b;
}

FN(int64_t, div64) (int64_t a, int64_t b)
{
	POLL();
	return a / b;
}

FN(int32_t, mod32) (int32_t a, int32_t b)
{
	POLL();
	return a % b;
}

/* the divisor a %gs operand of idiv: `idivl %gs:G_SCRATCH` */
FN(int32_t, divmem) (int32_t a, int32_t b)
{
	int32_t		q;

	POLL();
	V(int32_t, G_SCRATCH) = b;
	__asm__ volatile ("cltd\n\tidivl %%gs:%c1" : "=a" (q) : "i" (G_SCRATCH), "a" (a) : "rdx", "cc");
	return q;
}

/* unbounded on purpose: must end in a contained stack overflow */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winfinite-recursion"
FN(int32_t, recurse) (int32_t n)
{
	int32_t		r;

	POLL();
	V(int32_t, G_SCRATCH) = n;
	r = __tmebox_export_recurse(n + 1);
	return r + V(int32_t, G_SCRATCH);
}
#pragma clang diagnostic pop

FN(void, trap) (int32_t code)
{
	POLL();
	H_TRAP(code);
}

FN(void, fail) (uint64_t msg)
{
	POLL();
	H_ERROR(BUF_DATA(msg), BUF_LEN(msg));
}

FN(void, failraw) (int64_t msg, int64_t len)
{
	POLL();
	H_ERROR(msg, len);
}

/* Like tmebox-cc output: the loop has no poll (asynchronous interruption). */
FN(void, spin) (void)
{
	POLL();
	for (;;)
		V(int32_t, G_SCRATCH)++;
}

/* One host call (interrupt: the runtime calls the host's interrupt
 * handler), then a loop without any (test_interrupt_windows). */
FN(void, poll_spin) (void)
{
	H_INTERRUPT();
	for (;;)
		V(int32_t, G_SCRATCH)++;
}

/* A loop without host calls after a buffer argument (tmebox_call's
 * general path: the argument copied into the view). */
FN(void, spin_buf) (uint64_t in)
{
	for (;;)
		V(int32_t, G_SCRATCH) += (int32_t) BUF_LEN(in);
}

/* A loop of host calls: tmebox-cc polls after each host call. */
FN(void, spin_host) (void)
{
	POLL();
	for (;;)
	{
		H_MEMSET(G_SCRATCH, 0, 4);
		POLL();
	}
}

FN(void, builtin_trap) (void)
{
	POLL();
	__builtin_trap();
}

FN(void, badhost) (void)
{
	POLL();
	HOST(12, void (*)(void)) ();
}

FN(int64_t, alloc) (int64_t n)
{
	uint64_t	off;
	int64_t		i;

	POLL();
	off = __tmebox_rt_malloc((uint64_t) n);
	for (i = 0; i < n; i += TMEBOX_PAGE_SIZE)
	{
		POLL();
		V(uint8_t, off + i) = 1;
	}
	return (int64_t) off;
}

FN(int64_t, rawsbrk) (int64_t n)
{
	POLL();
	return (int64_t) H_SBRK((uint64_t) n);
}

/* ---- forged results ---- */

FN(uint64_t, forged) (int32_t kind)
{
	uint64_t	b;

	POLL();
	switch (kind)
	{
		case 0:					/* inside the NULL guard */
			return 8;
		case 1:					/* exactly the break */
			return H_SBRK(0);
		case 2:					/* valid header, huge length */
			b = buf_new(4);
			BUF_LEN(b) = 0xFFFFFFF0u;
			return b;
		case 3:					/* near the end of the view */
			return 0xFFFFFFF0u;
		case 4:					/* length reaching exactly the break */
			b = buf_new(0);
			BUF_LEN(b) = (uint32_t) (H_SBRK(0) - b - 4);
			return b;
		case 5:					/* upper bits set: only the low 32 count */
			b = buf_new(2);
			V(char, BUF_DATA(b)) = 'o';
			V(char, BUF_DATA(b) + 1) = 'k';
			return b | (UINT64_C(0xdead) << 40);
		default:				/* length one past the break */
			b = buf_new(0);
			BUF_LEN(b) = (uint32_t) (H_SBRK(0) - b - 4 + 1);
			return b;
	}
}

FN(uint64_t, forged_arr) (int32_t n)
{
	uint64_t	a = __tmebox_rt_malloc(8 + 16);

	POLL();
	ARR_N(a) = (uint32_t) n;	/* room for 2 int64 only */
	V(int64_t, ARR_V(a)) = 7;
	V(int64_t, ARR_V(a) + 8) = 8;
	return a;
}

/* ---- arrays of buffers (abuf) ---- */

#define ABUF_EL(a, i)	V(uint64_t, ARR_V(a) + 8 * (uint64_t) (i))

/*
 * The elements of a joined with '|', "~" for a NULL element; NULL (no
 * buffer) when an element lacks the NUL after its data or is not 8-byte
 * aligned (the host's input layout).
 */
FN(uint64_t, abuf_join) (uint64_t a)
{
	uint32_t	n = ARR_N(a),
				i,
				j,
				total = 0,
				k = 0;
	uint64_t	out;

	POLL();
	for (i = 0; i < n; i++)
	{
		uint64_t	e = ABUF_EL(a, i);

		if (e == 0)
			total += 1;
		else if ((e & 7) != 0 || V(char, BUF_DATA(e) + BUF_LEN(e)) != '\0')
			return 0;
		else
			total += BUF_LEN(e);
		total += i > 0;
	}
	out = buf_new(total);
	for (i = 0; i < n; i++)
	{
		uint64_t	e = ABUF_EL(a, i);

		if (i > 0)
			V(char, BUF_DATA(out) + k++) = '|';
		if (e == 0)
			V(char, BUF_DATA(out) + k++) = '~';
		else
			for (j = 0; j < BUF_LEN(e); j++)
				V(char, BUF_DATA(out) + k++) = V(char, BUF_DATA(e) + j);
	}
	V(char, BUF_DATA(out) + k) = '\0';
	return out;
}

/* a's elements in reverse order, each a new buffer (NULL elements kept);
 * a NULL array for a NULL array */
FN(uint64_t, abuf_rev) (uint64_t a)
{
	uint32_t	n,
				i,
				j;
	uint64_t	r;

	POLL();
	if (a == 0)
		return 0;
	n = ARR_N(a);
	r = __tmebox_rt_malloc(8 + 8 * (uint64_t) n);
	ARR_N(r) = n;
	for (i = 0; i < n; i++)
	{
		uint64_t	e = ABUF_EL(a, n - 1 - i),
					c = 0;

		if (e != 0)
		{
			c = buf_new(BUF_LEN(e));
			for (j = 0; j < BUF_LEN(e); j++)
				V(char, BUF_DATA(c) + j) = V(char, BUF_DATA(e) + j);
		}
		ABUF_EL(r, i) = c;
	}
	return r;
}

/* {dup, dup, a[0], NULL, the array itself}: aliases, an input, a NULL
 * and an element overlapping the array (a 4-byte-length "buffer" whose
 * length is n = 5 and data the pad and first pointer) */
FN(uint64_t, abuf_alias) (uint64_t a)
{
	uint64_t	r = __tmebox_rt_malloc(8 + 8 * 5);
	uint64_t	d = buf_new(3);

	POLL();
	V(char, BUF_DATA(d)) = 'd';
	V(char, BUF_DATA(d) + 1) = 'u';
	V(char, BUF_DATA(d) + 2) = 'p';
	ARR_N(r) = 5;
	V(uint32_t, r + 4) = 0;
	ABUF_EL(r, 0) = d;
	ABUF_EL(r, 1) = d;
	ABUF_EL(r, 2) = ABUF_EL(a, 0);
	ABUF_EL(r, 3) = 0;
	ABUF_EL(r, 4) = r;
	return r;
}

/* Forged arrays of buffers (test_rt.c: test_abuf). */
FN(uint64_t, forged_abuf) (int32_t kind)
{
	uint64_t	r = __tmebox_rt_malloc(8 + 8 * 4),
				b = buf_new(2),
				top;

	POLL();
	V(char, BUF_DATA(b)) = 'o';
	V(char, BUF_DATA(b) + 1) = 'k';
	ARR_N(r) = 2;
	ABUF_EL(r, 0) = b;
	ABUF_EL(r, 1) = 0;
	top = H_SBRK(0);
	switch (kind)
	{
		case 0:					/* valid: {"ok", NULL} */
			break;
		case 1:					/* element pointer near 4 GiB */
			ABUF_EL(r, 1) = 0xFFFFFFF0u;
			break;
		case 2:					/* element pointer with upper bits set */
			ABUF_EL(r, 1) = b | (UINT64_C(1) << 40);
			break;
		case 3:					/* huge n: pointers past the break */
			ARR_N(r) = 0xFFFFFFFFu;
			break;
		case 4:					/* element length one past the break */
			BUF_LEN(b) = (uint32_t) (top - b - 4 + 1);
			break;
		case 5:					/* element pointer in the NULL guard */
			ABUF_EL(r, 1) = 8;
			break;
		case 6:					/* element header straddling the break */
			ABUF_EL(r, 1) = top - 2;
			break;
		case 7:					/* array header at the break */
			return top;
		case 8:					/* 4 aliases of a 2 MiB buffer: more than
								 * the view's committed bytes together */
			b = buf_new(2u << 20);
			ARR_N(r) = 4;
			ABUF_EL(r, 0) = b;
			ABUF_EL(r, 1) = b;
			ABUF_EL(r, 2) = b;
			ABUF_EL(r, 3) = b;
			break;
		case 9:					/* n one pointer past the break */
			ARR_N(r) = (uint32_t) ((top - r - 8) / 8 + 1);
			break;
		default:				/* element pointer exactly the break */
			ABUF_EL(r, 1) = top;
			break;
	}
	return r;
}

/* ---- host calls with hostile arguments ---- */

FN(void, hmove) (int64_t dst, int64_t src, int64_t n)
{
	POLL();
	H_MEMMOVE(dst, src, n);
}

FN(void, hset) (int64_t dst, int32_t c, int64_t n)
{
	POLL();
	H_MEMSET(dst, c, n);
}

FN(uint64_t, fmt) (uint64_t spec, double v)
{
	uint64_t	out = buf_new(128);
	int32_t		r;

	POLL();
	r = H_FMT(BUF_DATA(out), 128, BUF_DATA(spec), BUF_LEN(spec), v);
	if (r < 0)
	{
		BUF_LEN(out) = 3;
		V(char, BUF_DATA(out)) = 'E';
		V(char, BUF_DATA(out) + 1) = 'R';
		V(char, BUF_DATA(out) + 2) = 'R';
	}
	else
		BUF_LEN(out) = r < 127 ? (uint32_t) r : 127;
	return out;
}

FN(int32_t, fmtraw) (int64_t out, int64_t cap, int64_t spec, int64_t speclen,
					 double v)
{
	POLL();
	return H_FMT(out, cap, spec, speclen, v);
}

FN(double, strtod) (uint64_t s)
{
	POLL();
	return H_STRTOD(BUF_DATA(s), 0);
}

FN(float, strtof) (uint64_t s)
{
	POLL();
	return H_STRTOF(BUF_DATA(s), 0);
}

/* characters strtod consumed, through the endp slot (in the bss) */
FN(int64_t, strtod_end) (uint64_t s)
{
	POLL();
	V(uint64_t, G_BSS) = 0;
	H_STRTOD(BUF_DATA(s), G_BSS);
	return (int64_t) (V(uint64_t, G_BSS) - BUF_DATA(s));
}

FN(double, strtodraw) (int64_t s, int64_t endp)
{
	POLL();
	return H_STRTOD(s, endp);
}

FN(void, logmsg) (int32_t level, uint64_t msg)
{
	POLL();
	H_LOG(level, BUF_DATA(msg), BUF_LEN(msg));
}

/* ---- math host calls ---- */

FN(double, msin) (double x)
{
	POLL();
	return HOST(16, double (*)(double)) (x);
}

FN(double, mlog) (double x)
{
	POLL();
	return HOST(32, double (*)(double)) (x);
}

FN(double, mpow) (double x, double y)
{
	POLL();
	return HOST(36, double (*)(double, double)) (x, y);
}

FN(float, mpowf) (float x, float y)
{
	POLL();
	return HOST(52, float (*)(float, float)) (x, y);
}
