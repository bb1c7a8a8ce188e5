/*-------------------------------------------------------------------------
 *
 * jsonb.c
 *		Sandbox libc: tmebox_json.h's reader of PostgreSQL's binary jsonb
 *		(src/include/utils/jsonb.h, src/backend/utils/adt/jsonb_util.c):
 *		key lookup by binary search as getKeyJsonValueFromContainer,
 *		elements by index, iteration, and the scalars, numbers decoded
 *		from PostgreSQL's numeric format (src/backend/utils/adt/numeric.c)
 *		into text, int64, double or a tmebox_numeric.
 *
 * The format, as this file reads it: a container is a uint32 header
 * (count in the low 28 bits; JB_FSCALAR, JB_FOBJECT, JB_FARRAY flags),
 * then count JEntries (arrays) or 2 * count (objects: the keys, then the
 * values), then the data.  A JEntry is a 3-bit type, a HAS_OFF bit and
 * 28 bits that are the entry's length, or with HAS_OFF the end offset of
 * its data (every JB_OFFSET_STRIDE-th entry); an entry's offset is the
 * sum of the lengths before it back to the last HAS_OFF entry.  Numbers
 * and nested containers start at the next multiple of 4 of their offset
 * (INTALIGN), the padding counted in their length.
 *
 * Invariants:
 *	- A handle's (p, len) lies inside the document: the root is the
 *	  argument's bytes; every child's range is computed in 64 bits from
 *	  the parent's JEntries and checked against the parent's data before
 *	  the handle exists.  Every read of a container first checks its
 *	  header and JEntry array fit in len.  Whatever is malformed raises
 *	  "malformed jsonb" (tmebox_error), never a read outside the bytes.
 *	- Reads are unaligned-safe (a tenant's own buffer may be misaligned).
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>

#include "tmebox_host.h"
#include <tmebox.h>

/* jsonb.h */
#define JB_CMASK			0x0FFFFFFFu
#define JB_FSCALAR			0x10000000u
#define JB_FOBJECT			0x20000000u
#define JB_FARRAY			0x40000000u
#define JENTRY_OFFLENMASK	0x0FFFFFFFu
#define JENTRY_TYPEMASK		0x70000000u
#define JENTRY_HAS_OFF		0x80000000u
#define JENTRY_ISSTRING		0x00000000u
#define JENTRY_ISNUMERIC	0x10000000u
#define JENTRY_ISBOOL_FALSE	0x20000000u
#define JENTRY_ISBOOL_TRUE	0x30000000u
#define JENTRY_ISNULL		0x40000000u
#define JENTRY_ISCONTAINER	0x50000000u

/* numeric.c */
#define NUMERIC_SIGN_MASK	0xC000
#define NUMERIC_NEG			0x4000
#define NUMERIC_SHORT		0x8000
#define NUMERIC_SPECIAL		0xC000
#define NUMERIC_EXT_MASK	0xF000
#define NUMERIC_NAN			0xC000
#define NUMERIC_PINF		0xD000
#define NUMERIC_NINF		0xF000
#define NUMERIC_SHORT_SIGN_MASK			0x2000
#define NUMERIC_SHORT_DSCALE_MASK		0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT		7
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK	0x0040
#define NUMERIC_SHORT_WEIGHT_MASK		0x003F
#define NUMERIC_DSCALE_MASK				0x3FFF
#define NBASE				10000

typedef uint32_t jb_u32 __attribute__((aligned(1)));
typedef uint16_t jb_u16 __attribute__((aligned(1)));

static inline uint32_t
jb_u32_at(const char *p)
{
	return *(const jb_u32 *) p;
}

static inline uint16_t
jb_u16_at(const char *p)
{
	return *(const jb_u16 *) p;
}

static _Noreturn void
jb_malformed(const char *what)
{
	static const char prefix[] = "malformed jsonb: ";
	char		msg[128];
	size_t		n = strlen(what);

	if (n > sizeof msg - sizeof prefix)
		n = sizeof msg - sizeof prefix;
	memcpy(msg, prefix, sizeof prefix - 1);
	memcpy(msg + sizeof prefix - 1, what, n);
	__tmebox_host_error(msg, (uint64_t) (sizeof prefix - 1 + n));
}

static const tmebox_json jb_missing = {TMEBOX_JSON_MISSING, 0, NULL};

/* A container handle checked: its JEntries and data inside (p, len). */
typedef struct jb_cont
{
	const char *p;
	uint32_t	count;			/* elements or pairs */
	uint32_t	nentries;		/* count, or 2 * count for an object */
	const char *data;			/* after the JEntries */
	uint32_t	datalen;
	bool		object;
} jb_cont;

/* Open container handle c (ARRAY or OBJECT); false for other types. */
static bool
jb_open(tmebox_json c, jb_cont *jc)
{
	uint32_t	hdr;
	uint64_t	head;

	if (c.type != TMEBOX_JSON_ARRAY && c.type != TMEBOX_JSON_OBJECT)
		return false;
	if (c.len < 4)
		jb_malformed("container shorter than its header");
	hdr = jb_u32_at(c.p);
	jc->p = c.p;
	jc->object = (hdr & JB_FOBJECT) != 0;
	jc->count = hdr & JB_CMASK;
	jc->nentries = jc->object ? 2 * jc->count : jc->count;
	head = 4 + 4 * (uint64_t) jc->nentries;
	if (head > c.len)
		jb_malformed("entry array past the end of its container");
	jc->data = c.p + head;
	jc->datalen = c.len - (uint32_t) head;
	return true;
}

/* The type of the container whose header is at p (len >= 4 bytes). */
static uint32_t
jb_container_type(const char *p, uint32_t len, bool root)
{
	uint32_t	hdr;
	uint32_t	f;

	if (len < 4)
		jb_malformed("container shorter than its header");
	hdr = jb_u32_at(p);
	f = hdr & (JB_FOBJECT | JB_FARRAY | JB_FSCALAR);
	if (f == JB_FOBJECT)
		return TMEBOX_JSON_OBJECT;
	if (f == JB_FARRAY || (root && f == (JB_FARRAY | JB_FSCALAR) && (hdr & JB_CMASK) == 1))
		return TMEBOX_JSON_ARRAY;
	jb_malformed("bad container header");
}

/* Data offset of entry i: the lengths before it, back to an end offset. */
static uint64_t
jb_offset(const jb_cont *jc, uint32_t i)
{
	uint64_t	off = 0;

	while (i > 0)
	{
		uint32_t	je = jb_u32_at(jc->p + 4 + 4 * (size_t) --i);

		off += je & JENTRY_OFFLENMASK;
		if (je & JENTRY_HAS_OFF)
			break;
	}
	return off;
}

/*
 * The value of entry i (< nentries) whose data starts at data offset off:
 * its range checked inside the container's data.
 */
static tmebox_json
jb_fill(const jb_cont *jc, uint32_t i, uint64_t off)
{
	uint32_t	je = jb_u32_at(jc->p + 4 + 4 * (size_t) i);
	uint64_t	end = je & JENTRY_OFFLENMASK;
	uint64_t	aligned;
	tmebox_json v = {TMEBOX_JSON_MISSING, 0, NULL};

	if (!(je & JENTRY_HAS_OFF))
		end += off;
	if (end < off || end > jc->datalen)
		jb_malformed("entry past the end of its container");
	switch (je & JENTRY_TYPEMASK)
	{
		case JENTRY_ISSTRING:
			v.type = TMEBOX_JSON_STRING;
			v.p = jc->data + off;
			v.len = (uint32_t) (end - off);
			return v;
		case JENTRY_ISBOOL_FALSE:
		case JENTRY_ISBOOL_TRUE:
			v.type = TMEBOX_JSON_BOOL;
			v.len = (je & JENTRY_TYPEMASK) == JENTRY_ISBOOL_TRUE;
			return v;
		case JENTRY_ISNULL:
			v.type = TMEBOX_JSON_NULL;
			return v;
		case JENTRY_ISNUMERIC:
		case JENTRY_ISCONTAINER:
			break;
		default:
			jb_malformed("unknown entry type");
	}
	aligned = (off + 3) & ~(uint64_t) 3;
	if (aligned > end)
		jb_malformed("entry shorter than its alignment");
	v.p = jc->data + aligned;
	v.len = (uint32_t) (end - aligned);
	if ((je & JENTRY_TYPEMASK) == JENTRY_ISNUMERIC)
	{
		v.type = TMEBOX_JSON_NUMBER;
		return v;
	}
	v.type = jb_container_type(v.p, v.len, false);
	return v;
}

tmebox_json
tmebox_jsonb_root(const tmebox_jsonb *doc)
{
	tmebox_json v;
	jb_cont		jc;

	if (doc == NULL)
		return jb_missing;
	v.p = doc->data;
	v.len = doc->len;
	v.type = jb_container_type(v.p, v.len, true);
	if ((jb_u32_at(v.p) & JB_FSCALAR) == 0)
		return v;
	/* a scalar document: a one-element array flagged as such */
	jb_open(v, &jc);
	v = jb_fill(&jc, 0, 0);
	if (v.type == TMEBOX_JSON_ARRAY || v.type == TMEBOX_JSON_OBJECT)
		jb_malformed("a scalar document holding a container");
	return v;
}

const char *
tmebox_json_type_name(tmebox_json v)
{
	static const char *const names[] = {
		"missing", "null", "string", "number", "boolean", "array", "object"
	};

	return v.type < sizeof names / sizeof names[0] ? names[v.type] : "missing";
}

/* jsonb's key order: shorter first, then bytes (lengthCompareJsonbString). */
static int
jb_keycmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return memcmp(a, b, alen);
}

tmebox_json
tmebox_json_getn(tmebox_json obj, const char *key, uint32_t len)
{
	jb_cont		jc;
	uint32_t	lo = 0;
	uint32_t	hi;

	if (obj.type != TMEBOX_JSON_OBJECT || !jb_open(obj, &jc))
		return jb_missing;
	hi = jc.count;
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		tmebox_json k = jb_fill(&jc, mid, jb_offset(&jc, mid));
		int			c;

		if (k.type != TMEBOX_JSON_STRING)
			jb_malformed("an object key that is not a string");
		c = jb_keycmp(k.p, k.len, key, len);
		if (c == 0)
			return jb_fill(&jc, mid + jc.count, jb_offset(&jc, mid + jc.count));
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return jb_missing;
}

tmebox_json
tmebox_json_get(tmebox_json obj, const char *key)
{
	return tmebox_json_getn(obj, key, (uint32_t) strlen(key));
}

tmebox_json
tmebox_json_at(tmebox_json arr, uint32_t i)
{
	jb_cont		jc;

	if (arr.type != TMEBOX_JSON_ARRAY || !jb_open(arr, &jc) || i >= jc.count)
		return jb_missing;
	return jb_fill(&jc, i, jb_offset(&jc, i));
}

uint32_t
tmebox_json_count(tmebox_json v)
{
	jb_cont		jc;

	return jb_open(v, &jc) ? jc.count : 0;
}

void
tmebox_json_iter_init(tmebox_json_iter *it, tmebox_json container)
{
	jb_cont		jc;

	it->c = container;
	it->i = 0;
	it->n = 0;
	it->koff = 0;
	it->voff = 0;
	if (!jb_open(container, &jc))
		return;
	it->n = jc.count;
	if (jc.object)
	{
		uint64_t	v = jb_offset(&jc, jc.count);

		if (v > jc.datalen)
			jb_malformed("entry past the end of its container");
		it->voff = (uint32_t) v;
	}
}

/* The end offset of entry i starting at off (jb_fill checked it). */
static uint32_t
jb_end(const jb_cont *jc, uint32_t i, uint32_t off)
{
	uint32_t	je = jb_u32_at(jc->p + 4 + 4 * (size_t) i);

	return (je & JENTRY_HAS_OFF) ? (je & JENTRY_OFFLENMASK) : off + (je & JENTRY_OFFLENMASK);
}

bool
tmebox_json_next(tmebox_json_iter *it, tmebox_json *key, tmebox_json *value)
{
	jb_cont		jc;
	tmebox_json k = jb_missing;
	tmebox_json v;

	if (it->i >= it->n || !jb_open(it->c, &jc) || it->i >= jc.count)
		return false;
	if (jc.object)
	{
		k = jb_fill(&jc, it->i, it->koff);
		if (k.type != TMEBOX_JSON_STRING)
			jb_malformed("an object key that is not a string");
		it->koff = jb_end(&jc, it->i, it->koff);
		v = jb_fill(&jc, it->i + jc.count, it->voff);
		it->voff = jb_end(&jc, it->i + jc.count, it->voff);
	}
	else
	{
		v = jb_fill(&jc, it->i, it->voff);
		it->voff = jb_end(&jc, it->i, it->voff);
	}
	it->i++;
	if (key != NULL)
		*key = k;
	*value = v;
	return true;
}

const char *
tmebox_json_str(tmebox_json v, uint32_t *len)
{
	if (v.type != TMEBOX_JSON_STRING)
		return NULL;
	if (len != NULL)
		*len = v.len;
	return v.p;
}

bool
tmebox_json_streq(tmebox_json v, const char *s)
{
	size_t		n = strlen(s);

	return v.type == TMEBOX_JSON_STRING && v.len == n && memcmp(v.p, s, n) == 0;
}

int
tmebox_json_bool(tmebox_json v)
{
	return v.type == TMEBOX_JSON_BOOL ? (int) v.len : -1;
}

/* ---- numbers ---- */

typedef struct jb_numeric
{
	uint16_t	special;		/* 0, or NUMERIC_NAN / _PINF / _NINF */
	bool		neg;
	int32_t		weight;			/* of digits[0], in base-NBASE places */
	uint32_t	dscale;			/* decimal digits after the point */
	uint32_t	ndigits;
	const char *digits;			/* ndigits uint16 base-NBASE digits */
} jb_numeric;

/* Decode the numeric of number v (its varlena checked inside v.len). */
static void
jb_numeric_decode(tmebox_json v, jb_numeric *n)
{
	uint32_t	size;
	uint32_t	hdr;
	uint16_t	h;
	uint32_t	start;

	if (v.len < 1)
		jb_malformed("empty numeric");
	if ((v.p[0] & 0x01) != 0)
	{
		size = ((uint8_t) v.p[0] >> 1) & 0x7F;	/* 1-byte varlena header */
		hdr = 1;
	}
	else if ((v.p[0] & 0x03) == 0 && v.len >= 4)
	{
		size = jb_u32_at(v.p) >> 2;
		hdr = 4;
	}
	else
		jb_malformed("numeric with a bad header");
	if (size < hdr + 2 || size > v.len)
		jb_malformed("numeric past the end of its entry");
	h = jb_u16_at(v.p + hdr);
	n->special = 0;
	if ((h & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
	{
		h &= NUMERIC_EXT_MASK;
		if (h != NUMERIC_NAN && h != NUMERIC_PINF && h != NUMERIC_NINF)
			jb_malformed("numeric with a bad special value");
		n->special = h;
		n->neg = h == NUMERIC_NINF;
		n->ndigits = 0;
		n->digits = v.p;
		return;
	}
	if ((h & NUMERIC_SIGN_MASK) == NUMERIC_SHORT)
	{
		n->neg = (h & NUMERIC_SHORT_SIGN_MASK) != 0;
		n->dscale = (h & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
		n->weight = (h & NUMERIC_SHORT_WEIGHT_SIGN_MASK) ?
			(int32_t) (h & NUMERIC_SHORT_WEIGHT_MASK) - (NUMERIC_SHORT_WEIGHT_MASK + 1) :
			(int32_t) (h & NUMERIC_SHORT_WEIGHT_MASK);
		start = hdr + 2;
	}
	else
	{
		if (size < hdr + 4)
			jb_malformed("numeric past the end of its entry");
		n->neg = (h & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		n->dscale = h & NUMERIC_DSCALE_MASK;
		n->weight = (int16_t) jb_u16_at(v.p + hdr + 2);
		start = hdr + 4;
	}
	if ((size - start) % 2 != 0)
		jb_malformed("numeric with half a digit");
	n->ndigits = (size - start) / 2;
	n->digits = v.p + start;
	for (uint32_t i = 0; i < n->ndigits; i++)
		if (jb_u16_at(n->digits + 2 * (size_t) i) >= NBASE)
			jb_malformed("numeric digit out of range");
}

/* Digit d of n (0 outside its digits). */
static inline uint32_t
jb_digit(const jb_numeric *n, int64_t d)
{
	return (d >= 0 && d < (int64_t) n->ndigits) ? jb_u16_at(n->digits + 2 * d) : 0;
}

typedef struct jb_out
{
	char	   *p;
	uint32_t	cap;
	uint64_t	n;
} jb_out;

static inline void
jb_put(jb_out *o, char c)
{
	if (o->n + 1 < o->cap)
		o->p[o->n] = c;
	o->n++;
}

static void
jb_puts(jb_out *o, const char *s)
{
	while (*s)
		jb_put(o, *s++);
}

int
tmebox_json_number_text(tmebox_json v, char *out, uint32_t cap)
{
	jb_numeric	n;
	jb_out		o = {out, cap, 0};
	int64_t		d;

	if (v.type != TMEBOX_JSON_NUMBER)
		return -1;
	jb_numeric_decode(v, &n);
	if (n.special == NUMERIC_NAN)
		jb_puts(&o, "NaN");
	else if (n.special != 0)
		jb_puts(&o, n.neg ? "-Infinity" : "Infinity");
	else
	{
		/* numeric.c's get_str_from_var */
		if (n.neg)
			jb_put(&o, '-');
		if (n.weight < 0)
		{
			d = n.weight + 1;
			jb_put(&o, '0');
		}
		else
		{
			for (d = 0; d <= n.weight; d++)
			{
				uint32_t	dig = jb_digit(&n, d);
				bool		putit = d > 0;

				for (uint32_t m = 1000; m >= 10; m /= 10)
				{
					uint32_t	d1 = dig / m;

					dig -= d1 * m;
					putit |= d1 > 0;
					if (putit)
						jb_put(&o, (char) ('0' + d1));
				}
				jb_put(&o, (char) ('0' + dig));
			}
		}
		if (n.dscale > 0)
		{
			uint64_t	endn;

			jb_put(&o, '.');
			endn = o.n + n.dscale;
			for (uint32_t i = 0; i < n.dscale; d++, i += 4)
			{
				uint32_t	dig = jb_digit(&n, d);

				for (uint32_t m = 1000; m >= 1; m /= 10)
				{
					if (o.n < endn)
						jb_put(&o, (char) ('0' + dig / m));
					dig %= m;
				}
			}
		}
	}
	if (cap > 0)
		out[o.n < cap ? o.n : cap - 1] = '\0';
	return (int) o.n;
}

bool
tmebox_json_int64(tmebox_json v, int64_t *out)
{
	jb_numeric	n;
	uint64_t	u = 0;
	uint64_t	limit;

	if (v.type != TMEBOX_JSON_NUMBER)
		return false;
	jb_numeric_decode(v, &n);
	if (n.special != 0)
		return false;
	/* a fraction: any nonzero digit after the integer places */
	for (int64_t d = n.weight + 1 < 0 ? 0 : n.weight + 1; d < (int64_t) n.ndigits; d++)
		if (jb_digit(&n, d) != 0)
			return false;
	limit = n.neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	for (int64_t d = 0; d <= n.weight; d++)
	{
		uint32_t	dig = jb_digit(&n, d);

		if (u > (limit - dig) / NBASE)
			return false;
		u = u * NBASE + dig;
	}
	*out = n.neg ? (int64_t) (0 - u) : (int64_t) u;
	return true;
}

bool
tmebox_json_double(tmebox_json v, double *out)
{
	char		small[64];
	char	   *s = small;
	int			len;

	if (v.type != TMEBOX_JSON_NUMBER)
		return false;
	len = tmebox_json_number_text(v, small, sizeof small);
	if (len >= (int) sizeof small)
	{
		static const char oom[] = "tmebox_json_double: out of memory";

		s = malloc((size_t) len + 1);
		if (s == NULL)
			__tmebox_host_error(oom, sizeof oom - 1);
		tmebox_json_number_text(v, s, (uint32_t) len + 1);
	}
	*out = strtod(s, NULL);
	if (s != small)
		free(s);
	return true;
}

struct tmebox_numeric *
tmebox_json_numeric(tmebox_json v)
{
	jb_numeric	n;
	tmebox_numeric *r;

	if (v.type != TMEBOX_JSON_NUMBER)
		return NULL;
	jb_numeric_decode(v, &n);
	r = malloc(sizeof(tmebox_numeric) + 2 * (size_t) n.ndigits);
	if (r == NULL)
	{
		static const char oom[] = "tmebox_json_numeric: out of memory";

		__tmebox_host_error(oom, sizeof oom - 1);
	}
	r->len = TMEBOX_NUMERIC_HDR + 2 * n.ndigits;
	r->sign = n.special != 0 ? n.special : n.neg ? TMEBOX_NUMERIC_NEG : TMEBOX_NUMERIC_POS;
	r->dscale = n.special != 0 ? 0 : (uint16_t) n.dscale;
	r->weight = n.special != 0 ? 0 : n.weight;
	memcpy(r->digits, n.digits, 2 * (size_t) n.ndigits);
	return r;
}
