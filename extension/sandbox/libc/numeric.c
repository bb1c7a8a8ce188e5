/*-------------------------------------------------------------------------
 *
 * numeric.c
 *		tmebox.h's decimal API: SQL numeric in PostgreSQL's own form
 *		(base-10000 digits, weight, display scale, sign with NaN and
 *		+-Infinity), parsed, formatted and computed exactly, never through
 *		a double.
 *
 * Arithmetic works on magnitudes: little-endian arrays of base-10000
 * limbs (uint32_t, each < 10000) with a count of fractional limbs, so a
 * value is sign * limbs * 10000^-frac.  Division and rounding are one
 * long division (Knuth's algorithm D) of integers followed by a rounding
 * decision on the remainder.
 *
 * Invariants:
 *	- Every function checks the tmebox_numeric values it is given (they
 *	  may be built by hand): a bad sign, length or digit raises an error
 *	  (22000-class codes, see below) instead of computing garbage.
 *	- Every result is normalised as PostgreSQL stores it: no leading or
 *	  trailing zero digits, zero is positive with weight 0, digits end at
 *	  or before the display scale, NaN and the infinities have no digits.
 *	- Results obey numeric's limits: at most 131072 digits before the
 *	  point (weight <= 32767) and a display scale of at most 16383; past
 *	  them an error with SQLSTATE 22003, as PostgreSQL raises.  Division
 *	  by zero is 22012, invalid text 22P02, like PostgreSQL's numeric.
 *	- Results are new blocks from malloc (the caller may free them);
 *	  temporaries are freed before returning.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

#define NBASE			10000
#define DSCALE_MAX		16383	/* NUMERIC_DSCALE_MAX */
#define WEIGHT_MAX		32767	/* NUMERIC_WEIGHT_MAX */
#define EXPONENT_MAX	1000	/* numeric_in's bound on an exponent */
#define ROUND_SCALE_MAX	2000	/* NUMERIC_MAX_RESULT_SCALE: round's clamp */
/* weights a checked argument may have (results are held to WEIGHT_MAX) */
#define ARG_WEIGHT_MAX	(1 << 20)

/* SQLSTATEs (PostgreSQL's MAKE_SQLSTATE spellings) */
#define ST_SYNTAX		"22P02"
#define ST_RANGE		"22003"
#define ST_DIVZERO		"22012"
#define ST_PARAM		"22023"
#define ST_NOTSUP		"0A000"
#define ST_BADVALUE		"22000"

/* A working value: sign * l[0..n-1] (little endian) * NBASE^-frac. */
typedef struct dec
{
	int			special;		/* 0, or TMEBOX_NUMERIC_NAN/_PINF/_NINF */
	bool		neg;
	uint32_t	n;
	uint32_t   *l;
	int32_t		frac;			/* fractional limbs */
	int32_t		dscale;
} dec;

static void *
xalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		tmebox_error("numeric: out of memory for %zu bytes", n);
	return p;
}

static uint32_t *
limbs(uint32_t n)
{
	uint32_t   *l = xalloc((size_t) n * sizeof(uint32_t));

	memset(l, 0, (size_t) n * sizeof(uint32_t));
	return l;
}

/* Drop high zero limbs. */
static uint32_t
mag_len(const uint32_t *a, uint32_t n)
{
	while (n > 0 && a[n - 1] == 0)
		n--;
	return n;
}

static int
mag_cmp(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn)
{
	an = mag_len(a, an);
	bn = mag_len(b, bn);
	if (an != bn)
		return an < bn ? -1 : 1;
	for (uint32_t i = an; i-- > 0;)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* a * NBASE^sh * 10^pw (pw in 0..3), as a new array of *rn limbs. */
static uint32_t *
mag_scale(const uint32_t *a, uint32_t an, uint32_t sh, int pw, uint32_t *rn)
{
	static const uint32_t p10[4] = {1, 10, 100, 1000};
	uint32_t	n = an + sh + 1;
	uint32_t   *r = limbs(n);
	uint32_t	carry = 0;

	for (uint32_t i = 0; i < an; i++)
	{
		uint32_t	t = a[i] * p10[pw] + carry;

		r[i + sh] = t % NBASE;
		carry = t / NBASE;
	}
	r[an + sh] = carry;
	*rn = n;
	return r;
}

/* a * 10^e (e >= 0) as a new array. */
static uint32_t *
mag_pow10(const uint32_t *a, uint32_t an, int64_t e, uint32_t *rn)
{
	return mag_scale(a, an, (uint32_t) (e / 4), (int) (e % 4), rn);
}

static uint32_t *
mag_add(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn, uint32_t *rn)
{
	uint32_t	n = (an > bn ? an : bn) + 1;
	uint32_t   *r = limbs(n);
	uint32_t	carry = 0;

	for (uint32_t i = 0; i < n; i++)
	{
		uint32_t	t = carry + (i < an ? a[i] : 0) + (i < bn ? b[i] : 0);

		r[i] = t % NBASE;
		carry = t / NBASE;
	}
	*rn = n;
	return r;
}

/* a - b, a >= b */
static uint32_t *
mag_sub(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn, uint32_t *rn)
{
	uint32_t   *r = limbs(an);
	int32_t		borrow = 0;

	for (uint32_t i = 0; i < an; i++)
	{
		int32_t		t = (int32_t) a[i] - borrow - (int32_t) (i < bn ? b[i] : 0);

		borrow = t < 0;
		r[i] = (uint32_t) (t + (borrow ? NBASE : 0));
	}
	*rn = an;
	return r;
}

static uint32_t *
mag_mul(const uint32_t *a, uint32_t an, const uint32_t *b, uint32_t bn, uint32_t *rn)
{
	uint32_t	n = an + bn;
	uint64_t   *acc = xalloc(((size_t) n + 1) * sizeof(uint64_t));
	uint32_t   *r = limbs(n + 1);
	uint64_t	carry = 0;

	memset(acc, 0, ((size_t) n + 1) * sizeof(uint64_t));
	for (uint32_t i = 0; i < an; i++)
	{
		if (a[i] == 0)
			continue;
		/* each product < 10^8: 2^64 holds far more of them than fit a view */
		for (uint32_t j = 0; j < bn; j++)
			acc[i + j] += (uint64_t) a[i] * b[j];
	}
	for (uint32_t k = 0; k <= n; k++)
	{
		uint64_t	t = acc[k] + carry;

		r[k] = (uint32_t) (t % NBASE);
		carry = t / NBASE;
	}
	free(acc);
	*rn = n + 1;
	return r;
}

/*
 * u / v: quotient (new array, *qn limbs) and remainder (new array, *rn
 * limbs).  Knuth, TAOCP vol. 2, 4.3.1, algorithm D, in base NBASE.
 */
static void
mag_divmod(const uint32_t *u0, uint32_t m, const uint32_t *v0, uint32_t n,
		   uint32_t **q, uint32_t *qn, uint32_t **r, uint32_t *rn)
{
	uint32_t	d,
				un_n,
				vn_n;
	uint32_t   *un,
			   *vn;

	m = mag_len(u0, m);
	n = mag_len(v0, n);
	if (n == 0)
		tmebox_error_code(ST_DIVZERO, "division by zero");
	if (m < n)
	{
		*q = limbs(1);
		*qn = 1;
		*r = limbs(m + 1);
		memcpy(*r, u0, (size_t) m * sizeof(uint32_t));
		*rn = m + 1;
		return;
	}
	if (n == 1)
	{
		uint32_t	rem = 0;

		*q = limbs(m);
		for (uint32_t i = m; i-- > 0;)
		{
			uint32_t	t = rem * NBASE + u0[i];

			(*q)[i] = t / v0[0];
			rem = t % v0[0];
		}
		*qn = m;
		*r = limbs(1);
		(*r)[0] = rem;
		*rn = 1;
		return;
	}
	/* normalise: v's top limb >= NBASE / 2 */
	d = NBASE / (v0[n - 1] + 1);
	un = mag_scale(u0, m, 0, 0, &un_n);	/* a copy with one more limb */
	vn = mag_scale(v0, n, 0, 0, &vn_n);
	if (d > 1)
	{
		uint32_t	c = 0;

		for (uint32_t i = 0; i < un_n; i++)
		{
			uint32_t	t = un[i] * d + c;

			un[i] = t % NBASE;
			c = t / NBASE;
		}
		c = 0;
		for (uint32_t i = 0; i < n; i++)
		{
			uint32_t	t = vn[i] * d + c;

			vn[i] = t % NBASE;
			c = t / NBASE;
		}
	}
	*q = limbs(m - n + 1);
	*qn = m - n + 1;
	for (uint32_t j = m - n + 1; j-- > 0;)
	{
		uint32_t	num = un[j + n] * NBASE + un[j + n - 1];
		uint32_t	qhat = num / vn[n - 1];
		uint32_t	rhat = num % vn[n - 1];
		int32_t		borrow = 0;
		uint32_t	carry = 0;
		int32_t		t;

		while (qhat >= NBASE ||
			   qhat * vn[n - 2] > rhat * NBASE + un[j + n - 2])
		{
			qhat--;
			rhat += vn[n - 1];
			if (rhat >= NBASE)
				break;
		}
		for (uint32_t i = 0; i < n; i++)
		{
			uint32_t	p = qhat * vn[i] + carry;

			carry = p / NBASE;
			t = (int32_t) un[i + j] - (int32_t) (p % NBASE) - borrow;
			borrow = t < 0;
			un[i + j] = (uint32_t) (t + (borrow ? NBASE : 0));
		}
		t = (int32_t) un[j + n] - (int32_t) carry - borrow;
		if (t < 0)
		{
			/* qhat was one too large: add v back */
			uint32_t	c = 0;

			un[j + n] = (uint32_t) (t + NBASE);
			qhat--;
			for (uint32_t i = 0; i < n; i++)
			{
				uint32_t	s = un[i + j] + vn[i] + c;

				un[i + j] = s % NBASE;
				c = s / NBASE;
			}
			un[j + n] = (un[j + n] + c) % NBASE;
		}
		else
			un[j + n] = (uint32_t) t;
		(*q)[j] = qhat;
	}
	/* remainder: un[0..n-1] / d */
	{
		uint32_t	rem = 0;

		for (uint32_t i = n; i-- > 0;)
		{
			uint32_t	t = rem * NBASE + un[i];

			un[i] = t / d;
			rem = t % d;
		}
	}
	*r = un;
	*rn = n;
	free(vn);
}

/* ---- tmebox_numeric <-> dec ---- */

static void
bad_value(const char *fn, const char *why)
{
	tmebox_error_code(ST_BADVALUE, "%s: malformed numeric value (%s)", fn, why);
}

/* x (checked) as a dec: its digits as limbs. */
static void
unpack(const char *fn, const tmebox_numeric *x, dec *d)
{
	uint32_t	nd;

	memset(d, 0, sizeof(*d));
	if (x == NULL)
		tmebox_error("%s: NULL numeric", fn);
	if (x->len < TMEBOX_NUMERIC_HDR || (x->len - TMEBOX_NUMERIC_HDR) % 2 != 0)
		bad_value(fn, "bad length");
	switch (x->sign)
	{
		case TMEBOX_NUMERIC_NAN:
		case TMEBOX_NUMERIC_PINF:
		case TMEBOX_NUMERIC_NINF:
			d->special = x->sign;
			return;
		case TMEBOX_NUMERIC_POS:
		case TMEBOX_NUMERIC_NEG:
			break;
		default:
			bad_value(fn, "bad sign");
	}
	if (x->dscale > DSCALE_MAX)
		bad_value(fn, "display scale over 16383");
	if (x->weight > ARG_WEIGHT_MAX || x->weight < -ARG_WEIGHT_MAX)
		bad_value(fn, "weight out of range");
	nd = TMEBOX_NUMERIC_NDIGITS(x);
	d->neg = x->sign == TMEBOX_NUMERIC_NEG;
	d->dscale = x->dscale;
	/* the last digit's exponent is weight - nd + 1: fractional limbs */
	{
		int64_t		lowexp = (int64_t) x->weight - nd + 1;
		uint32_t	shift = lowexp > 0 ? (uint32_t) lowexp : 0;

		d->frac = lowexp < 0 ? (int32_t) -lowexp : 0;
		d->n = nd + shift;
		d->l = limbs(d->n);
		for (uint32_t i = 0; i < nd; i++)
		{
			if (x->digits[i] >= NBASE)
				bad_value(fn, "digit over 9999");
			d->l[shift + nd - 1 - i] = x->digits[i];
		}
	}
	/* no digit past the display scale (to_text would drop it) */
	if (d->frac > 0)
	{
		uint32_t	lo = 0;

		while (lo < d->n && d->l[lo] == 0)
			lo++;
		if (lo < d->n && lo < (uint32_t) d->frac)
		{
			int64_t		pos = 4 * ((int64_t) d->frac - lo);
			uint32_t	v = d->l[lo];

			while (v % 10 == 0)
				v /= 10, pos--;
			if (pos > d->dscale)
				bad_value(fn, "digits past the display scale");
		}
	}
}

static tmebox_numeric *
new_numeric(uint16_t sign, uint32_t nd)
{
	tmebox_numeric *r = xalloc(sizeof(tmebox_numeric) + (size_t) nd * sizeof(uint16_t));

	r->len = TMEBOX_NUMERIC_HDR + nd * (uint32_t) sizeof(uint16_t);
	r->sign = sign;
	r->dscale = 0;
	r->weight = 0;
	return r;
}

/* d as a new normalised tmebox_numeric (22003 past numeric's limits); frees d. */
static tmebox_numeric *
pack(dec *d)
{
	uint32_t	top,
				lo;
	tmebox_numeric *r;

	if (d->special)
	{
		free(d->l);
		return new_numeric((uint16_t) d->special, 0);
	}
	if (d->dscale > DSCALE_MAX)
		tmebox_error_code(ST_RANGE, "value overflows numeric format");
	top = mag_len(d->l, d->n);
	if (top == 0)
	{
		r = new_numeric(TMEBOX_NUMERIC_POS, 0);
		r->dscale = (uint16_t) d->dscale;
		free(d->l);
		return r;
	}
	top--;
	lo = 0;
	while (d->l[lo] == 0)
		lo++;
	if ((int64_t) top - d->frac > WEIGHT_MAX)
		tmebox_error_code(ST_RANGE, "value overflows numeric format");
	r = new_numeric(d->neg ? TMEBOX_NUMERIC_NEG : TMEBOX_NUMERIC_POS, top - lo + 1);
	r->weight = (int32_t) ((int64_t) top - d->frac);
	r->dscale = (uint16_t) d->dscale;
	for (uint32_t i = 0; i <= top - lo; i++)
		r->digits[i] = (uint16_t) d->l[top - i];
	free(d->l);
	return r;
}

/* Give a and b the same number of fractional limbs (the larger). */
static void
align(dec *a, dec *b)
{
	dec		   *s = a->frac < b->frac ? a : b;
	int32_t		f = a->frac < b->frac ? b->frac : a->frac;
	uint32_t	n;
	uint32_t   *l;

	if (s->frac == f)
		return;
	l = mag_scale(s->l, s->n, (uint32_t) (f - s->frac), 0, &n);
	free(s->l);
	s->l = l;
	s->n = n;
	s->frac = f;
}

/* ---- rounding ---- */

/*
 * round(n / den) by mode, the quotient's sign neg: a new magnitude.
 */
static uint32_t *
div_round(const uint32_t *num, uint32_t nn, const uint32_t *den, uint32_t dn,
		  bool neg, tmebox_rounding mode, uint32_t *qn)
{
	uint32_t   *q,
			   *r,
			   *r2,
			   *one,
			   *res;
	uint32_t	rn,
				r2n,
				resn;
	bool		up = false;
	int			c;

	if ((unsigned) mode > TMEBOX_ROUND_CEIL)
		tmebox_error_code(ST_PARAM, "numeric: unknown rounding mode %d", (int) mode);
	mag_divmod(num, nn, den, dn, &q, qn, &r, &rn);
	if (mag_len(r, rn) != 0)
	{
		r2 = mag_add(r, rn, r, rn, &r2n);
		c = mag_cmp(r2, r2n, den, dn);
		free(r2);
		switch (mode)
		{
			case TMEBOX_ROUND_HALF_UP:
				up = c >= 0;
				break;
			case TMEBOX_ROUND_HALF_EVEN:
				up = c > 0 || (c == 0 && (q[0] & 1) != 0);
				break;
			case TMEBOX_ROUND_TRUNC:
				up = false;
				break;
			case TMEBOX_ROUND_FLOOR:
				up = neg;
				break;
			case TMEBOX_ROUND_CEIL:
				up = !neg;
				break;
			default:
				tmebox_error_code(ST_PARAM, "numeric: unknown rounding mode %d", (int) mode);
		}
	}
	free(r);
	if (!up)
		return q;
	one = limbs(1);
	one[0] = 1;
	res = mag_add(q, *qn, one, 1, &resn);
	free(one);
	free(q);
	*qn = resn;
	return res;
}

/*
 * Set d to q * 10^-scale (scale may be negative): the limbs of q shifted
 * so the point falls on a limb boundary.  Takes q.
 */
static void
set_scaled(dec *d, uint32_t *q, uint32_t qn, int32_t scale)
{
	if (scale >= 0)
	{
		int32_t		pad = (4 - scale % 4) % 4;

		d->l = mag_pow10(q, qn, pad, &d->n);
		d->frac = (scale + pad) / 4;
		d->dscale = scale;
	}
	else
	{
		d->l = mag_pow10(q, qn, -(int64_t) scale, &d->n);
		d->frac = 0;
		d->dscale = 0;
	}
	free(q);
}

/* Decimal digit p (0: the lowest) of the magnitude l[0..n-1]. */
static uint32_t
mag_digit(const uint32_t *l, uint32_t n, uint64_t p)
{
	static const uint32_t p10[4] = {1, 10, 100, 1000};

	if (p / 4 >= n)
		return 0;
	return l[p / 4] / p10[p % 4] % 10;
}

/*
 * d rounded by mode to scale digits after the point (scale may be
 * negative: tens, hundreds, ...); its display scale becomes max(scale, 0).
 * Without a division: the dropped digits are zeroed in a copy of the
 * limbs, and one unit of the last kept digit is added when the first
 * dropped digit and the ones below it (any nonzero: "sticky") say so,
 * as div_round decides from its remainder (test_numeric.c compares the
 * two).  The fraction's limbs stay (pack drops zero limbs).
 */
static void
dec_round(dec *d, int32_t scale, tmebox_rounding mode)
{
	static const uint32_t p10[4] = {1, 10, 100, 1000};
	int64_t		have = (int64_t) d->frac * 4;
	uint64_t	drop;
	uint32_t	first,
				at,
				need,
				carry;
	bool		sticky = false,
				up = false;
	uint32_t   *l;

	if (scale >= have)
	{
		/* no digit goes: only the display scale changes */
		d->dscale = scale;
		return;
	}
	drop = (uint64_t) (have - scale);
	first = mag_digit(d->l, d->n, drop - 1);
	for (uint32_t k = 0; k < d->n && (uint64_t) k * 4 + 4 <= drop - 1; k++)
	{
		if (d->l[k] != 0)
		{
			sticky = true;
			break;
		}
	}
	if (!sticky && (drop - 1) / 4 < d->n)
		sticky = d->l[(drop - 1) / 4] % p10[(drop - 1) % 4] != 0;
	switch (mode)
	{
		case TMEBOX_ROUND_HALF_UP:
			up = first >= 5;
			break;
		case TMEBOX_ROUND_HALF_EVEN:
			up = first > 5 || (first == 5 && (sticky || mag_digit(d->l, d->n, drop) % 2 != 0));
			break;
		case TMEBOX_ROUND_TRUNC:
			up = false;
			break;
		case TMEBOX_ROUND_FLOOR:
			up = d->neg && (first != 0 || sticky);
			break;
		case TMEBOX_ROUND_CEIL:
			up = !d->neg && (first != 0 || sticky);
			break;
		default:
			tmebox_error_code(ST_PARAM, "numeric: unknown rounding mode %d", (int) mode);
	}

	/* at: the limb of the last kept digit's unit; room for a carry */
	at = (uint32_t) (drop / 4);
	need = (at < d->n ? d->n : at + 1) + 1;
	l = limbs(need);
	if (at < d->n)
	{
		memcpy(l + at + 1, d->l + at + 1, (size_t) (d->n - at - 1) * sizeof(uint32_t));
		l[at] = d->l[at] - d->l[at] % p10[drop % 4];
	}
	if (up)
	{
		carry = p10[drop % 4];
		for (uint32_t i = at; carry != 0; i++)
		{
			uint32_t	v = l[i] + carry;

			l[i] = v % NBASE;
			carry = v / NBASE;
		}
	}
	free(d->l);
	d->l = l;
	d->n = need;
	d->dscale = scale < 0 ? 0 : scale;
}

/* x rounded to scale digits (clamped to +-2000 as PostgreSQL's round). */
static tmebox_numeric *
round_to(const char *fn, const tmebox_numeric *x, int32_t scale, tmebox_rounding mode)
{
	dec			d;

	if ((unsigned) mode > TMEBOX_ROUND_CEIL)
		tmebox_error_code(ST_PARAM, "%s: unknown rounding mode %d", fn, (int) mode);
	unpack(fn, x, &d);
	if (d.special)
		return pack(&d);
	if (scale > ROUND_SCALE_MAX)
		scale = ROUND_SCALE_MAX;
	if (scale < -ROUND_SCALE_MAX)
		scale = -ROUND_SCALE_MAX;
	dec_round(&d, scale, mode);
	return pack(&d);
}

/* ---- the API ---- */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Does s start with word (case-insensitively)?  *len its length. */
static bool
word(const char *s, const char *w, size_t *len)
{
	size_t		i = 0;

	for (; w[i] != '\0'; i++)
		if (lower((unsigned char) s[i]) != w[i])
			return false;
	*len = i;
	return true;
}

static bool
space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

tmebox_numeric *
tmebox_num_parse(const char *s)
{
	const char *p = s;
	const char *digits;
	bool		neg = false;
	size_t		wl;
	int64_t		nint = 0,
				nfrac = 0,
				expo = 0;
	dec			d;

	if (s == NULL)
		tmebox_error("tmebox_num_parse: NULL string");
	while (space((unsigned char) *p))
		p++;
	memset(&d, 0, sizeof(d));
	if (word(p, "nan", &wl))
		d.special = TMEBOX_NUMERIC_NAN;
	else
	{
		if (*p == '+' || *p == '-')
			neg = *p++ == '-';
		if (word(p, "infinity", &wl) || word(p, "inf", &wl))
			d.special = neg ? TMEBOX_NUMERIC_NINF : TMEBOX_NUMERIC_PINF;
	}
	if (d.special)
	{
		p += wl;
		while (space((unsigned char) *p))
			p++;
		if (*p != '\0')
			goto syntax;
		return pack(&d);
	}
	digits = p;
	while (*p >= '0' && *p <= '9')
		p++, nint++;
	if (*p == '.')
	{
		p++;
		while (*p >= '0' && *p <= '9')
			p++, nfrac++;
	}
	if (nint + nfrac == 0)
		goto syntax;
	if (*p == 'e' || *p == 'E')
	{
		bool		eneg = false;
		int			ne = 0;

		p++;
		if (*p == '+' || *p == '-')
			eneg = *p++ == '-';
		while (*p >= '0' && *p <= '9')
		{
			if (expo <= EXPONENT_MAX)
				expo = expo * 10 + (*p - '0');
			p++, ne++;
		}
		if (ne == 0 || expo > EXPONENT_MAX)
			goto syntax;
		if (eneg)
			expo = -expo;
	}
	while (space((unsigned char) *p))
		p++;
	if (*p != '\0')
		goto syntax;
	if (nint + nfrac > (int64_t) 4 * (WEIGHT_MAX + 1) + 4 * DSCALE_MAX + 64)
		tmebox_error_code(ST_RANGE, "value overflows numeric format");

	/*
	 * The digits as one integer D (point removed), value D * 10^(expo -
	 * nfrac); its display scale max(0, nfrac - expo).
	 */
	{
		int64_t		nd = nint + nfrac;
		int64_t		sc = nfrac - expo;
		uint32_t	n = (uint32_t) ((nd + 3) / 4);
		uint32_t   *l = limbs(n);
		const char *q = digits;
		int64_t		k = nd;

		for (int64_t i = 0; i < nd; i++, q++)
		{
			if (*q == '.')
				q++;
			k--;
			l[k / 4] += (uint32_t) (*q - '0') *
				(k % 4 == 0 ? 1 : k % 4 == 1 ? 10 : k % 4 == 2 ? 100 : 1000);
		}
		d.neg = neg;
		if (sc > DSCALE_MAX)
			tmebox_error_code(ST_RANGE, "value overflows numeric format");
		set_scaled(&d, l, n, (int32_t) sc);
	}
	return pack(&d);

syntax:
	tmebox_error_code(ST_SYNTAX, "invalid input syntax for type numeric: \"%.200s\"", s);
}

tmebox_buf *
tmebox_num_to_text(const tmebox_numeric *x)
{
	dec			d;
	tmebox_buf *b;
	char	   *o;
	int64_t		intdigits;
	uint32_t	top;

	unpack("tmebox_num_to_text", x, &d);
	if (d.special)
		return tmebox_buf_from_cstr(d.special == TMEBOX_NUMERIC_NAN ? "NaN" :
									d.special == TMEBOX_NUMERIC_PINF ? "Infinity" : "-Infinity");
	top = mag_len(d.l, d.n);
	intdigits = (int64_t) top - d.frac;
	if (intdigits < 1)
		intdigits = 1;
	b = tmebox_buf_new((uint32_t) (1 + intdigits * 4 + 1 + d.dscale));
	o = b->data;
	if (d.neg && top > 0)
		*o++ = '-';
	{
		/* integer limbs from the top; the first without leading zeros */
		bool		started = false;

		for (int64_t e = intdigits - 1; e >= 0; e--)
		{
			int64_t		i = e + d.frac;
			uint32_t	v = i < (int64_t) d.n ? d.l[i] : 0;
			static const uint32_t div[4] = {1000, 100, 10, 1};

			for (int k = 0; k < 4; k++)
			{
				uint32_t	dig = v / div[k] % 10;

				if (dig != 0 || started || (e == 0 && k == 3))
				{
					*o++ = (char) ('0' + dig);
					started = true;
				}
			}
		}
	}
	if (d.dscale > 0)
	{
		*o++ = '.';
		for (int32_t p = 1; p <= d.dscale; p++)
		{
			/* digit p after the point: limb frac - ceil(p/4), place */
			int64_t		i = (int64_t) d.frac - (p + 3) / 4;
			uint32_t	v = i >= 0 && i < (int64_t) d.n ? d.l[i] : 0;
			static const uint32_t div[4] = {1000, 100, 10, 1};

			*o++ = (char) ('0' + v / div[(p - 1) % 4] % 10);
		}
	}
	*o = '\0';
	b->len = (uint32_t) (o - b->data);
	free(d.l);
	return b;
}

tmebox_numeric *
tmebox_num_from_int64(int64_t v)
{
	dec			d;
	uint64_t	m = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;

	memset(&d, 0, sizeof(d));
	d.neg = v < 0;
	d.n = 5;
	d.l = limbs(d.n);
	for (uint32_t i = 0; i < d.n; i++, m /= NBASE)
		d.l[i] = (uint32_t) (m % NBASE);
	return pack(&d);
}

int64_t
tmebox_num_to_int64(const tmebox_numeric *x)
{
	tmebox_numeric *r = tmebox_num_round(x, 0);
	dec			d;
	uint64_t	m = 0;
	uint32_t	n;

	unpack("tmebox_num_to_int64", r, &d);
	free(r);
	if (d.special == TMEBOX_NUMERIC_NAN)
		tmebox_error_code(ST_NOTSUP, "cannot convert NaN to bigint");
	if (d.special)
		tmebox_error_code(ST_NOTSUP, "cannot convert infinity to bigint");
	n = mag_len(d.l, d.n);
	if (n > 5)
		goto range;
	for (uint32_t i = n; i-- > 0;)
		if (__builtin_mul_overflow(m, (uint64_t) NBASE, &m) ||
			__builtin_add_overflow(m, (uint64_t) d.l[i], &m))
			goto range;
	free(d.l);
	if (d.neg ? m > (uint64_t) INT64_MAX + 1 : m > (uint64_t) INT64_MAX)
		goto range;
	return d.neg ? (int64_t) (0 - m) : (int64_t) m;
range:
	tmebox_error_code(ST_RANGE, "bigint out of range");
}

static tmebox_numeric *
addsub(const char *fn, const tmebox_numeric *x, const tmebox_numeric *y, bool sub)
{
	dec			a,
				b,
				r;

	unpack(fn, x, &a);
	unpack(fn, y, &b);
	memset(&r, 0, sizeof(r));
	if (a.special || b.special)
	{
		int			bs = b.special;

		if (sub && bs == TMEBOX_NUMERIC_PINF)
			bs = TMEBOX_NUMERIC_NINF;
		else if (sub && bs == TMEBOX_NUMERIC_NINF)
			bs = TMEBOX_NUMERIC_PINF;
		if (a.special == TMEBOX_NUMERIC_NAN || bs == TMEBOX_NUMERIC_NAN ||
			(a.special && bs && a.special != bs))
			r.special = TMEBOX_NUMERIC_NAN;
		else
			r.special = a.special ? a.special : bs;
		free(a.l);
		free(b.l);
		return pack(&r);
	}
	if (sub)
		b.neg = !b.neg;
	align(&a, &b);
	r.frac = a.frac;
	r.dscale = a.dscale > b.dscale ? a.dscale : b.dscale;
	if (a.neg == b.neg)
	{
		r.l = mag_add(a.l, a.n, b.l, b.n, &r.n);
		r.neg = a.neg;
	}
	else if (mag_cmp(a.l, a.n, b.l, b.n) >= 0)
	{
		r.l = mag_sub(a.l, a.n, b.l, b.n, &r.n);
		r.neg = a.neg;
	}
	else
	{
		r.l = mag_sub(b.l, b.n, a.l, a.n, &r.n);
		r.neg = b.neg;
	}
	free(a.l);
	free(b.l);
	return pack(&r);
}

tmebox_numeric *
tmebox_num_add(const tmebox_numeric *x, const tmebox_numeric *y)
{
	return addsub("tmebox_num_add", x, y, false);
}

tmebox_numeric *
tmebox_num_sub(const tmebox_numeric *x, const tmebox_numeric *y)
{
	return addsub("tmebox_num_sub", x, y, true);
}

/* The sign of a finite dec: -1, 0, 1. */
static int
dec_sign(const dec *d)
{
	if (mag_len(d->l, d->n) == 0)
		return 0;
	return d->neg ? -1 : 1;
}

tmebox_numeric *
tmebox_num_mul(const tmebox_numeric *x, const tmebox_numeric *y)
{
	dec			a,
				b,
				r;

	unpack("tmebox_num_mul", x, &a);
	unpack("tmebox_num_mul", y, &b);
	memset(&r, 0, sizeof(r));
	if (a.special || b.special)
	{
		int			sa = a.special == TMEBOX_NUMERIC_PINF ? 1 : a.special == TMEBOX_NUMERIC_NINF ? -1 : a.special ? 2 : dec_sign(&a);
		int			sb = b.special == TMEBOX_NUMERIC_PINF ? 1 : b.special == TMEBOX_NUMERIC_NINF ? -1 : b.special ? 2 : dec_sign(&b);

		/* NaN in, or infinity times zero: NaN */
		if (sa == 2 || sb == 2 || sa == 0 || sb == 0)
			r.special = TMEBOX_NUMERIC_NAN;
		else
			r.special = sa * sb > 0 ? TMEBOX_NUMERIC_PINF : TMEBOX_NUMERIC_NINF;
		free(a.l);
		free(b.l);
		return pack(&r);
	}
	r.l = mag_mul(a.l, a.n, b.l, b.n, &r.n);
	r.frac = a.frac + b.frac;
	r.neg = a.neg != b.neg;
	r.dscale = a.dscale + b.dscale;
	free(a.l);
	free(b.l);
	if (r.dscale > DSCALE_MAX)
		dec_round(&r, DSCALE_MAX, TMEBOX_ROUND_HALF_UP);	/* as PostgreSQL */
	return pack(&r);
}

tmebox_numeric *
tmebox_num_div(const tmebox_numeric *x, const tmebox_numeric *y, int32_t scale,
			   tmebox_rounding mode)
{
	dec			a,
				b,
				r;
	int			sb;

	unpack("tmebox_num_div", x, &a);
	unpack("tmebox_num_div", y, &b);
	memset(&r, 0, sizeof(r));
	if (scale < 0 || scale > DSCALE_MAX)
		tmebox_error_code(ST_PARAM, "tmebox_num_div: scale %d is outside 0..%d",
						  (int) scale, DSCALE_MAX);
	if ((unsigned) mode > TMEBOX_ROUND_CEIL)
		tmebox_error_code(ST_PARAM, "tmebox_num_div: unknown rounding mode %d", (int) mode);
	sb = b.special ? 2 : dec_sign(&b);
	if (a.special == TMEBOX_NUMERIC_NAN || b.special == TMEBOX_NUMERIC_NAN)
		r.special = TMEBOX_NUMERIC_NAN;
	else if (a.special)
	{
		/* +-Inf / finite: by the signs; / +-Inf: NaN; / 0: an error */
		if (sb == 2)
			r.special = TMEBOX_NUMERIC_NAN;
		else if (sb == 0)
			tmebox_error_code(ST_DIVZERO, "division by zero");
		else
			r.special = (a.special == TMEBOX_NUMERIC_PINF) == (sb > 0) ?
				TMEBOX_NUMERIC_PINF : TMEBOX_NUMERIC_NINF;
	}
	else if (sb == 0)
		tmebox_error_code(ST_DIVZERO, "division by zero");
	if (r.special || b.special)
	{
		/* finite / +-Inf is zero */
		free(a.l);
		free(b.l);
		if (!r.special)
			r.dscale = 0;
		return pack(&r);
	}

	/*
	 * x = A * 10^-4fa, y = B * 10^-4fb: the quotient at scale s is
	 * round(A * 10^(s + 4fb - 4fa) / B).
	 */
	{
		int64_t		e = (int64_t) scale + 4 * (int64_t) b.frac - 4 * (int64_t) a.frac;
		uint32_t	nn,
					qn;
		uint32_t   *num,
				   *q;

		if (e >= 0)
		{
			num = mag_pow10(a.l, a.n, e, &nn);
			q = div_round(num, nn, b.l, b.n, a.neg != b.neg, mode, &qn);
		}
		else
		{
			num = mag_pow10(b.l, b.n, -e, &nn);
			q = div_round(a.l, a.n, num, nn, a.neg != b.neg, mode, &qn);
		}
		free(num);
		r.neg = a.neg != b.neg;
		set_scaled(&r, q, qn, scale);
	}
	free(a.l);
	free(b.l);
	return pack(&r);
}

tmebox_numeric *
tmebox_num_round(const tmebox_numeric *x, int32_t scale)
{
	return round_to("tmebox_num_round", x, scale, TMEBOX_ROUND_HALF_UP);
}

tmebox_numeric *
tmebox_num_trunc(const tmebox_numeric *x, int32_t scale)
{
	return round_to("tmebox_num_trunc", x, scale, TMEBOX_ROUND_TRUNC);
}

tmebox_numeric *
tmebox_num_round_mode(const tmebox_numeric *x, int32_t scale, tmebox_rounding mode)
{
	return round_to("tmebox_num_round_mode", x, scale, mode);
}

int
tmebox_num_cmp(const tmebox_numeric *x, const tmebox_numeric *y)
{
	dec			a,
				b;
	int			c,
				ra,
				rb;

	unpack("tmebox_num_cmp", x, &a);
	unpack("tmebox_num_cmp", y, &b);
	if (a.special || b.special)
	{
		/* -Inf < finite < +Inf < NaN; NaN equals NaN */
		ra = a.special == TMEBOX_NUMERIC_NINF ? 0 : a.special == 0 ? 1 :
			a.special == TMEBOX_NUMERIC_PINF ? 2 : 3;
		rb = b.special == TMEBOX_NUMERIC_NINF ? 0 : b.special == 0 ? 1 :
			b.special == TMEBOX_NUMERIC_PINF ? 2 : 3;
		free(a.l);
		free(b.l);
		return ra < rb ? -1 : ra > rb;
	}
	ra = dec_sign(&a);
	rb = dec_sign(&b);
	if (ra != rb || ra == 0)
		c = ra < rb ? -1 : ra > rb;
	else
	{
		align(&a, &b);
		c = mag_cmp(a.l, a.n, b.l, b.n) * ra;
	}
	free(a.l);
	free(b.l);
	return c;
}

tmebox_numeric *
tmebox_num_neg(const tmebox_numeric *x)
{
	dec			d;

	unpack("tmebox_num_neg", x, &d);
	if (d.special == TMEBOX_NUMERIC_PINF)
		d.special = TMEBOX_NUMERIC_NINF;
	else if (d.special == TMEBOX_NUMERIC_NINF)
		d.special = TMEBOX_NUMERIC_PINF;
	d.neg = !d.neg;
	return pack(&d);
}

tmebox_numeric *
tmebox_num_special(uint16_t sign)
{
	dec			d;

	memset(&d, 0, sizeof(d));
	if (sign != TMEBOX_NUMERIC_NAN && sign != TMEBOX_NUMERIC_PINF &&
		sign != TMEBOX_NUMERIC_NINF)
		tmebox_error_code(ST_PARAM, "tmebox_num_special: 0x%x is not NaN or an infinity",
						  (unsigned) sign);
	d.special = sign;
	return pack(&d);
}
