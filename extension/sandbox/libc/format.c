/*-------------------------------------------------------------------------
 *
 * format.c
 *		Sandbox libc: the printf engine and __tmebox_snprintf.
 *
 * Arguments arrive as a packed, type-tagged array (see __tmebox_fmt.h), so
 * every conversion is checked against the type of its argument:
 *	- d i: any integer; o u x X: any integer; c: any integer (the value is
 *	  converted as a cast to the type the length modifier names, which is
 *	  what C does for correctly typed arguments);
 *	- e E f F g G a A: float/double/long double (long double as double);
 *	- s: a char pointer (NULL prints "(null)"); p: any pointer;
 *	- *: an integer.
 * A mismatch prints "%!C(TYPE)", a missing argument "%!C(missing)", and %n
 * prints "%!n(refused)" (it would write through a pointer).  Extra
 * arguments are ignored, as in C.  An unknown conversion is copied as is.
 * Integers, strings and padding are done here; each floating value is
 * formatted by host call fmt_double with a spec of flags, precision and
 * conversion only (width and zero padding are applied here, so a huge
 * width never needs a huge buffer).
 *
 * Invariants: reads pack[0..n-1] only, reads a %s string up to its NUL or
 * the precision, whichever comes first; output goes through tmb_sink only.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <limits.h>
#include <errno.h>
#include <math.h>

#include "tmebox_host.h"
#include "format.h"

enum lenmod
{
	LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T, LEN_BIGL
};

typedef struct fmt_spec
{
	int			minus;
	int			plus;
	int			space;
	int			hash;
	int			zero;
	int			width;			/* >= 0 */
	int			prec;			/* -1: none */
	enum lenmod len;
	char		conv;
} fmt_spec;

void
tmb_sink_write(tmb_sink *s, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (s->stream)
		(void) tmb_stream_write(s->stream, p, n);
	else if (s->buf && s->len < s->cap)
	{
		size_t		room = s->cap - s->len;

		memcpy(s->buf + s->len, p, n < room ? n : room);
	}
	s->len = (s->len > SIZE_MAX - n) ? SIZE_MAX : s->len + n;
}

static void
sink_str(tmb_sink *s, const char *str)
{
	tmb_sink_write(s, str, strlen(str));
}

/* Appends n copies of c; n <= 0 appends nothing. */
static void
sink_pad(tmb_sink *s, char c, long long n)
{
	char		chunk[64];

	if (n <= 0)
		return;
	if (!s->stream)
	{
		/* Write what fits, count the rest. */
		if (s->buf && s->len < s->cap)
		{
			size_t		room = s->cap - s->len;
			size_t		k = (unsigned long long) n < room ? (size_t) n : room;

			memset(s->buf + s->len, c, k);
		}
		s->len = (s->len > SIZE_MAX - (size_t) n) ? SIZE_MAX : s->len + (size_t) n;
		return;
	}
	memset(chunk, c, sizeof chunk);
	while (n > 0)
	{
		size_t		k = n < (long long) sizeof chunk ? (size_t) n : sizeof chunk;

		tmb_sink_write(s, chunk, k);
		n -= (long long) k;
	}
}

static const char *
type_name(const __tmebox_arg *a)
{
	switch (a->__tag)
	{
		case __TMEBOX_ARG_INT:
			return a->__size == 8 ? "long" : "int";
		case __TMEBOX_ARG_UINT:
			return a->__size == 8 ? "unsigned long" : "unsigned int";
		case __TMEBOX_ARG_DOUBLE:
			return "double";
		case __TMEBOX_ARG_STR:
			return "string";
		case __TMEBOX_ARG_PTR:
			return "pointer";
		default:
			return "unknown";
	}
}

/* "%!C(TYPE)" for a bad argument, "%!C(missing)" for none. */
static void
bad_arg(tmb_sink *s, char conv, const __tmebox_arg *a)
{
	tmb_sink_write(s, "%!", 2);
	tmb_sink_write(s, &conv, 1);
	tmb_sink_write(s, "(", 1);
	sink_str(s, a ? type_name(a) : "missing");
	tmb_sink_write(s, ")", 1);
}

static int
is_integer(const __tmebox_arg *a)
{
	return a && (a->__tag == __TMEBOX_ARG_INT || a->__tag == __TMEBOX_ARG_UINT);
}

/* The argument's value converted to the signed type the modifier names. */
static long long
signed_value(const __tmebox_arg *a, enum lenmod len)
{
	long long	v = a->__tag == __TMEBOX_ARG_INT ? a->__v.__i
		: (long long) a->__v.__u;

	switch (len)
	{
		case LEN_HH:
			return (signed char) v;
		case LEN_H:
			return (short) v;
		case LEN_NONE:
		case LEN_BIGL:
			return (int) v;
		default:
			return v;
	}
}

/* The argument's value converted to the unsigned type the modifier names. */
static unsigned long long
unsigned_value(const __tmebox_arg *a, enum lenmod len)
{
	unsigned long long v = a->__tag == __TMEBOX_ARG_INT
		? (unsigned long long) a->__v.__i : a->__v.__u;

	switch (len)
	{
		case LEN_HH:
			return (unsigned char) v;
		case LEN_H:
			return (unsigned short) v;
		case LEN_NONE:
		case LEN_BIGL:
			return (unsigned int) v;
		default:
			return v;
	}
}

/*
 * Emits an integer: sign (or '+'/' ' for signed conversions), prefix,
 * precision zeros, digits, with width padding.
 */
static void
emit_integer(tmb_sink *s, const fmt_spec *sp, unsigned long long mag,
			 int negative, int is_signed, int base, int upper,
			 const char *prefix)
{
	char		digits[72];
	int			nd = 0;
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char		sign = 0;
	long long	zeros;
	long long	total;
	int			prefixlen = prefix ? (int) strlen(prefix) : 0;

	if (!(mag == 0 && sp->prec == 0))
	{
		do
		{
			digits[sizeof digits - 1 - nd++] = dig[mag % (unsigned) base];
			mag /= (unsigned) base;
		} while (mag != 0);
	}
	if (negative)
		sign = '-';
	else if (is_signed && sp->plus)
		sign = '+';
	else if (is_signed && sp->space)
		sign = ' ';

	zeros = sp->prec > nd ? sp->prec - nd : 0;
	/* '#' with o: the first digit must be a zero */
	if (sp->hash && base == 8 && zeros == 0 &&
		(nd == 0 || digits[sizeof digits - nd] != '0'))
		zeros = 1;
	total = (sign ? 1 : 0) + prefixlen + zeros + nd;
	if (sp->zero && !sp->minus && sp->prec < 0 && sp->width > total)
	{
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->minus)
		sink_pad(s, ' ', sp->width - total);
	if (sign)
		tmb_sink_write(s, &sign, 1);
	if (prefixlen)
		tmb_sink_write(s, prefix, (size_t) prefixlen);
	sink_pad(s, '0', zeros);
	tmb_sink_write(s, digits + sizeof digits - nd, (size_t) nd);
	if (sp->minus)
		sink_pad(s, ' ', sp->width - total);
}

static void
emit_padded(tmb_sink *s, const fmt_spec *sp, const char *p, size_t n)
{
	long long	pad = (long long) sp->width - (long long) n;

	if (!sp->minus)
		sink_pad(s, ' ', pad);
	tmb_sink_write(s, p, n);
	if (sp->minus)
		sink_pad(s, ' ', pad);
}

/* Appends a decimal number to a spec being built. */
static int
put_decimal(char *out, int pos, int v)
{
	char		tmp[12];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[pos++] = tmp[--n];
	return pos;
}

static void
emit_double(tmb_sink *s, const fmt_spec *sp, double v)
{
	char		spec[32];
	int			sl = 0;
	char		local[128];
	char	   *text = local;
	int32_t		n;
	size_t		len;
	size_t		lead;

	spec[sl++] = '%';
	if (sp->plus)
		spec[sl++] = '+';
	if (sp->space)
		spec[sl++] = ' ';
	if (sp->hash)
		spec[sl++] = '#';
	if (sp->prec >= 0)
	{
		spec[sl++] = '.';
		sl = put_decimal(spec, sl, sp->prec);
	}
	spec[sl++] = sp->conv;

	n = __tmebox_host_fmt_double(local, sizeof local, spec, (uint64_t) sl, v);
	if (n < 0)
	{
		tmb_sink_write(s, "%!", 2);
		tmb_sink_write(s, &sp->conv, 1);
		sink_str(s, "(refused)");
		return;
	}
	if ((size_t) n >= sizeof local)
	{
		text = malloc((size_t) n + 1);
		if (text == NULL)
			return;
		n = __tmebox_host_fmt_double(text, (uint64_t) n + 1, spec,
									 (uint64_t) sl, v);
		if (n < 0)
		{
			free(text);
			return;
		}
	}
	len = (size_t) n;

	if (sp->zero && !sp->minus && isfinite(v) && (long long) sp->width > (long long) len)
	{
		/* zeros go after the sign and a 0x prefix */
		lead = (len > 0 && (text[0] == '-' || text[0] == '+' || text[0] == ' ')) ? 1 : 0;
		if ((sp->conv == 'a' || sp->conv == 'A') && len >= lead + 2 &&
			text[lead] == '0' && (text[lead + 1] == 'x' || text[lead + 1] == 'X'))
			lead += 2;
		tmb_sink_write(s, text, lead);
		sink_pad(s, '0', (long long) sp->width - (long long) len);
		tmb_sink_write(s, text + lead, len - lead);
	}
	else
		emit_padded(s, sp, text, len);
	if (text != local)
		free(text);
}

/* Parses a decimal field, saturating at INT_MAX. */
static int
parse_decimal(const char **fp)
{
	const char *f = *fp;
	long long	v = 0;

	while (*f >= '0' && *f <= '9')
	{
		v = v * 10 + (*f - '0');
		if (v > INT_MAX)
			v = INT_MAX;
		f++;
	}
	*fp = f;
	return (int) v;
}

int
tmb_format(tmb_sink *s, const __tmebox_arg *pack, int n)
{
	const char *f;
	int			next = 1;

	if (n < 1 || pack[0].__tag != __TMEBOX_ARG_STR || pack[0].__v.__p == NULL)
		return -1;
	f = (const char *) pack[0].__v.__p;

#define NEXT_ARG() (next < n ? &pack[next++] : (const __tmebox_arg *) NULL)

	while (*f)
	{
		const char *start = f;
		const char *spec_start;
		fmt_spec	sp;
		const __tmebox_arg *a;

		while (*f && *f != '%')
			f++;
		tmb_sink_write(s, start, (size_t) (f - start));
		if (*f == '\0')
			break;
		spec_start = f++;
		memset(&sp, 0, sizeof sp);
		sp.prec = -1;

		for (;; f++)
		{
			if (*f == '-')
				sp.minus = 1;
			else if (*f == '+')
				sp.plus = 1;
			else if (*f == ' ')
				sp.space = 1;
			else if (*f == '#')
				sp.hash = 1;
			else if (*f == '0')
				sp.zero = 1;
			else
				break;
		}
		if (*f == '*')
		{
			f++;
			a = NEXT_ARG();
			if (!is_integer(a))
				bad_arg(s, '*', a);
			else
			{
				long long	w = signed_value(a, LEN_NONE);

				if (w < 0)
				{
					sp.minus = 1;
					w = (w < -(long long) INT_MAX) ? INT_MAX : -w;
				}
				sp.width = (int) w;
			}
		}
		else
			sp.width = parse_decimal(&f);
		if (*f == '.')
		{
			f++;
			if (*f == '*')
			{
				f++;
				a = NEXT_ARG();
				if (!is_integer(a))
					bad_arg(s, '*', a);
				else
				{
					long long	p = signed_value(a, LEN_NONE);

					sp.prec = p < 0 ? -1 : (int) p;
				}
			}
			else
				sp.prec = parse_decimal(&f);
		}
		switch (*f)
		{
			case 'h':
				sp.len = (f[1] == 'h') ? LEN_HH : LEN_H;
				f += (f[1] == 'h') ? 2 : 1;
				break;
			case 'l':
				sp.len = (f[1] == 'l') ? LEN_LL : LEN_L;
				f += (f[1] == 'l') ? 2 : 1;
				break;
			case 'j':
				sp.len = LEN_J;
				f++;
				break;
			case 'z':
				sp.len = LEN_Z;
				f++;
				break;
			case 't':
				sp.len = LEN_T;
				f++;
				break;
			case 'L':
			case 'q':
				sp.len = (*f == 'L') ? LEN_BIGL : LEN_LL;
				f++;
				break;
			default:
				break;
		}
		sp.conv = *f;
		if (*f)
			f++;

		switch (sp.conv)
		{
			case '%':
				tmb_sink_write(s, "%", 1);
				break;
			case 'd':
			case 'i':
				a = NEXT_ARG();
				if (!is_integer(a))
					bad_arg(s, sp.conv, a);
				else
				{
					long long	v = signed_value(a, sp.len);
					unsigned long long mag = v < 0
						? 0ull - (unsigned long long) v : (unsigned long long) v;

					emit_integer(s, &sp, mag, v < 0, 1, 10, 0, NULL);
				}
				break;
			case 'u':
			case 'o':
			case 'x':
			case 'X':
				a = NEXT_ARG();
				if (!is_integer(a))
					bad_arg(s, sp.conv, a);
				else
				{
					unsigned long long v = unsigned_value(a, sp.len);
					int			base = sp.conv == 'u' ? 10 : sp.conv == 'o' ? 8 : 16;
					const char *prefix = NULL;

					if (sp.hash && v != 0 && base == 16)
						prefix = sp.conv == 'x' ? "0x" : "0X";
					emit_integer(s, &sp, v, 0, 0, base, sp.conv == 'X', prefix);
				}
				break;
			case 'c':
				a = NEXT_ARG();
				if (!is_integer(a))
					bad_arg(s, 'c', a);
				else
				{
					char		ch = (char) unsigned_value(a, LEN_HH);

					emit_padded(s, &sp, &ch, 1);
				}
				break;
			case 's':
				a = NEXT_ARG();
				if (a && (a->__tag == __TMEBOX_ARG_STR ||
						  (a->__tag == __TMEBOX_ARG_PTR && a->__v.__p == NULL)))
				{
					const char *str = (const char *) a->__v.__p;
					size_t		len;

					if (str == NULL)
						str = (sp.prec < 0 || sp.prec >= 6) ? "(null)" : "";
					len = sp.prec < 0 ? strlen(str) : strnlen(str, (size_t) sp.prec);
					emit_padded(s, &sp, str, len);
				}
				else
					bad_arg(s, 's', a);
				break;
			case 'p':
				a = NEXT_ARG();
				if (a && (a->__tag == __TMEBOX_ARG_STR || a->__tag == __TMEBOX_ARG_PTR))
				{
					uintptr_t	v = (uintptr_t) a->__v.__p;

					if (v == 0)
						emit_padded(s, &sp, "(nil)", 5);
					else
						emit_integer(s, &sp, v, 0, 1, 16, 0, "0x");
				}
				else
					bad_arg(s, 'p', a);
				break;
			case 'e':
			case 'E':
			case 'f':
			case 'F':
			case 'g':
			case 'G':
			case 'a':
			case 'A':
				a = NEXT_ARG();
				if (a && a->__tag == __TMEBOX_ARG_DOUBLE)
					emit_double(s, &sp, a->__v.__d);
				else
					bad_arg(s, sp.conv, a);
				break;
			case 'n':
				(void) NEXT_ARG();
				sink_str(s, "%!n(refused)");
				break;
			default:
				/* unknown or missing conversion: copy the spec as is */
				tmb_sink_write(s, spec_start, (size_t) (f - spec_start));
				break;
		}
	}
#undef NEXT_ARG
	return 0;
}

int
__tmebox_snprintf(char *buf, size_t cap, const __tmebox_arg *pack, int n)
{
	tmb_sink	s;

	s.buf = buf;
	s.cap = cap ? cap - 1 : 0;
	s.len = 0;
	s.stream = NULL;
	if (tmb_format(&s, pack, n) < 0)
	{
		errno = EINVAL;
		if (cap)
			buf[0] = '\0';
		return -1;
	}
	if (cap)
		buf[s.len < s.cap ? s.len : s.cap] = '\0';
	if (s.len > INT_MAX)
	{
		errno = EOVERFLOW;
		return -1;
	}
	return (int) s.len;
}
