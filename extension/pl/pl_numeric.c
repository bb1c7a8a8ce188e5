/*-------------------------------------------------------------------------
 *
 * pl_numeric.c
 *		numeric Datums to and from the sandbox's tmebox_numeric (tmebox.h:
 *		sign, dscale, weight, then base-10000 digits) without text: the
 *		host reads PostgreSQL's stored Numeric (numeric.c's short and long
 *		header forms, NaN and the infinities) and writes one itself, as
 *		numeric.c's make_result does.
 *
 * Invariants:
 *	- An argument reaches the sandbox normalised: no leading or trailing
 *	  zero digit, zero positive with weight 0 and no digits, NaN and the
 *	  infinities with weight 0, dscale 0 and no digits.
 *	- A result is untrusted bytes (the host's copy out of the view): its
 *	  length, sign, digit count and every digit are checked before the
 *	  value is used, and malformed ones are refused with 22P03 as
 *	  numeric_recv refuses them (length, sign, a digit over 9999, more
 *	  digits than a numeric holds, nonzero digits past the display scale);
 *	  values past numeric's range (a display scale over 16383, more than
 *	  131072 digits before the point) are 22003 as numeric_in raises it.
 *	- The Numeric built is byte for byte the one make_result builds for the
 *	  same value (zeros stripped, zero positive with weight 0, the short
 *	  header when the scale and weight fit it), so comparisons, hashing,
 *	  numeric_send and stored rows see what numeric_in of the value's text
 *	  gives (regress numeric compares them).
 *	- The header layout is numeric.c's (PostgreSQL 15; private there,
 *	  copied here): it is the on-disk format, which pg_upgrade keeps.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/numeric.h"

#include "pl_function.h"

/* numeric.c's header words (struct NumericShort / NumericLong) */
#define PL_NUMERIC_SIGN_MASK		0xC000
#define PL_NUMERIC_POS				0x0000
#define PL_NUMERIC_NEG				0x4000
#define PL_NUMERIC_SHORT			0x8000
#define PL_NUMERIC_SPECIAL			0xC000
#define PL_NUMERIC_NAN				0xC000
#define PL_NUMERIC_PINF				0xD000
#define PL_NUMERIC_NINF				0xF000
#define PL_NUMERIC_SHORT_SIGN_MASK	0x2000
#define PL_NUMERIC_SHORT_DSCALE_MASK	0x1F80
#define PL_NUMERIC_SHORT_DSCALE_SHIFT	7
#define PL_NUMERIC_SHORT_DSCALE_MAX	(PL_NUMERIC_SHORT_DSCALE_MASK >> PL_NUMERIC_SHORT_DSCALE_SHIFT)
#define PL_NUMERIC_SHORT_WEIGHT_SIGN_MASK	0x0040
#define PL_NUMERIC_SHORT_WEIGHT_MASK	0x003F
#define PL_NUMERIC_SHORT_WEIGHT_MAX	PL_NUMERIC_SHORT_WEIGHT_MASK
#define PL_NUMERIC_SHORT_WEIGHT_MIN	(-(PL_NUMERIC_SHORT_WEIGHT_MASK + 1))
#define PL_NUMERIC_DSCALE_MASK		0x3FFF
#define PL_NUMERIC_DSCALE_MAX		PL_NUMERIC_DSCALE_MASK
#define PL_NUMERIC_WEIGHT_MAX		PG_INT16_MAX
#define PL_NBASE					10000
#define PL_DEC_DIGITS				4

/* tmebox_numeric after its len: uint16 sign, uint16 dscale, int32 weight */
#define PL_NUM_HDR					8

/*
 * The most base-10000 digits a value numeric holds can take: 32768
 * before the point (weight <= 32767) and 4096 after (dscale <= 16383).
 */
#define PL_NUM_MAX_DIGITS \
	(PL_NUMERIC_WEIGHT_MAX + 1 + (PL_NUMERIC_DSCALE_MAX + PL_DEC_DIGITS - 1) / PL_DEC_DIGITS)

/* tmebox_numeric's header bytes */
static inline void
pl_num_header(char *out, uint16 sign, uint16 dscale, int32 weight)
{
	memcpy(out, &sign, 2);
	memcpy(out + 2, &dscale, 2);
	memcpy(out + 4, &weight, 4);
}

/*
 * A numeric argument d (not NULL) as tmebox_numeric's bytes after its
 * len, palloc'd in the current memory context (the call's): the stored
 * header read in whichever form it has, the digits copied as they are
 * minus leading and trailing zero digits.
 */
void
pl_numeric_in(Datum d, tmebox_value *v)
{
	struct varlena *p = PG_DETOAST_DATUM_PACKED(d);
	const char *data = VARDATA_ANY(p);
	Size		size = VARSIZE_ANY_EXHDR(p);
	uint16		hdr;
	uint16		sign;
	uint16		dscale;
	int32		weight;
	const char *digits;
	Size		n;
	char	   *out;

	memcpy(&hdr, data, 2);
	switch (hdr & PL_NUMERIC_SIGN_MASK)
	{
		case PL_NUMERIC_SHORT:
			sign = (hdr & PL_NUMERIC_SHORT_SIGN_MASK) ? PL_NUMERIC_NEG : PL_NUMERIC_POS;
			dscale = (hdr & PL_NUMERIC_SHORT_DSCALE_MASK) >> PL_NUMERIC_SHORT_DSCALE_SHIFT;
			weight = (hdr & PL_NUMERIC_SHORT_WEIGHT_MASK) |
				((hdr & PL_NUMERIC_SHORT_WEIGHT_SIGN_MASK) ? ~PL_NUMERIC_SHORT_WEIGHT_MASK : 0);
			digits = data + 2;
			n = (size - 2) / 2;
			break;
		case PL_NUMERIC_SPECIAL:
			/* numeric_out's reading: PINF, NINF, anything else NaN */
			out = palloc(PL_NUM_HDR);
			pl_num_header(out, hdr == PL_NUMERIC_PINF ? PL_NUMERIC_PINF :
						  hdr == PL_NUMERIC_NINF ? PL_NUMERIC_NINF : PL_NUMERIC_NAN, 0, 0);
			v->v.buf.data = out;
			v->v.buf.len = PL_NUM_HDR;
			return;
		default:
			{
				int16		w;

				sign = hdr & PL_NUMERIC_SIGN_MASK;
				dscale = hdr & PL_NUMERIC_DSCALE_MASK;
				memcpy(&w, data + 2, 2);
				weight = w;
				digits = data + 4;
				n = (size - 4) / 2;
				break;
			}
	}

	/* make_result stores none, but an old or odd value might have some */
	while (n > 0 && digits[0] == 0 && digits[1] == 0)
	{
		digits += 2;
		weight--;
		n--;
	}
	while (n > 0 && digits[2 * n - 2] == 0 && digits[2 * n - 1] == 0)
		n--;
	if (n == 0)
	{
		sign = PL_NUMERIC_POS;
		weight = 0;
	}
	out = palloc(PL_NUM_HDR + 2 * n);
	pl_num_header(out, sign, dscale, weight);
	memcpy(out + PL_NUM_HDR, digits, 2 * n);
	v->v.buf.data = out;
	v->v.buf.len = (uint32) (PL_NUM_HDR + 2 * n);
}

/* A malformed numeric result: 22P03, as numeric_recv refuses one. */
static void
pl_numeric_malformed(const char *fname, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("sandboxed function \"%s\" returned a malformed numeric", fname),
			 errdetail("%s", why),
			 errhint("Build results with tmebox.h's tmebox_num_* functions.")));
}

/*
 * A numeric result: the len bytes after tmebox_numeric's len at s (the
 * host's copy, untrusted) as a Numeric Datum, palloc'd in the current
 * memory context.  Checked first: 22P03 for a length that is not 8 plus
 * 2 bytes a digit, more than PL_NUM_MAX_DIGITS digits, a sign none of
 * POS, NEG, NAN, PINF, NINF, a digit over 9999, a nonzero digit past the
 * display scale; 22003 for a display scale over 16383 or a first nonzero
 * digit worth more than 10000^32767.  NaN and the infinities ignore the
 * other fields.
 */
Datum
pl_numeric_out(const char *s, uint32 len, const char *fname)
{
	uint16		sign,
				dscale;
	int32		weight;
	uint32		nd;
	const char *dp = s + PL_NUM_HDR;
	int64		first = -1,
				last = -1;
	int64		rweight;
	uint32		n;
	Numeric		r;
	Size		size;

	if (len < PL_NUM_HDR || (len - PL_NUM_HDR) % 2 != 0)
		pl_numeric_malformed(fname, "Its length is not 8 plus 2 bytes per digit.");
	memcpy(&sign, s, 2);
	memcpy(&dscale, s + 2, 2);
	memcpy(&weight, s + 4, 4);
	nd = (len - PL_NUM_HDR) / 2;
	switch (sign)
	{
		case PL_NUMERIC_NAN:
		case PL_NUMERIC_PINF:
		case PL_NUMERIC_NINF:
			r = (Numeric) palloc(VARHDRSZ + 2);
			SET_VARSIZE(r, VARHDRSZ + 2);
			memcpy(VARDATA(r), &sign, 2);
			return NumericGetDatum(r);
		case PL_NUMERIC_POS:
		case PL_NUMERIC_NEG:
			break;
		default:
			pl_numeric_malformed(fname, "Its sign is none of POS, NEG, NAN, PINF, NINF.");
	}
	if (nd > PL_NUM_MAX_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("sandboxed function \"%s\" returned a malformed numeric", fname),
				 errdetail("It has %u digits; a numeric has at most %d.", nd, PL_NUM_MAX_DIGITS),
				 errhint("Build results with tmebox.h's tmebox_num_* functions.")));
	for (uint32 i = 0; i < nd; i++)
	{
		uint16		g;

		memcpy(&g, dp + 2 * i, 2);
		if (g >= PL_NBASE)
			pl_numeric_malformed(fname, "A digit is over 9999.");
		if (g != 0)
		{
			if (first < 0)
				first = i;
			last = i;
		}
	}
	if (dscale > PL_NUMERIC_DSCALE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value overflows numeric format"),
				 errdetail("Sandboxed function \"%s\" returned a numeric with %d digits after the point (at most %d).",
						   fname, dscale, PL_NUMERIC_DSCALE_MAX)));
	if (first >= 0)
	{
		/* exponents (base 10000) of the first and last nonzero digits */
		int64		etop = (int64) weight - first,
					elow = (int64) weight - last;

		if (etop > PL_NUMERIC_WEIGHT_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value overflows numeric format"),
					 errdetail("Sandboxed function \"%s\" returned a numeric of more than %d digits before the point.",
							   fname, (PL_NUMERIC_WEIGHT_MAX + 1) * PL_DEC_DIGITS)));
		if (elow < 0)
		{
			uint16		g;
			int64		pos = -PL_DEC_DIGITS * elow;

			memcpy(&g, dp + 2 * last, 2);
			while (g % 10 == 0)
				g /= 10, pos--;
			if (pos > dscale)
				pl_numeric_malformed(fname, "It has nonzero digits past its display scale.");
		}

		/*
		 * Here etop >= elow >= -4096 (a nonzero digit within 16383 places
		 * after the point), so the weight fits the header's int16.
		 */
		rweight = etop;
		n = (uint32) (last - first + 1);
	}
	else
	{
		/* zero: positive, weight 0, no digits (make_result) */
		sign = PL_NUMERIC_POS;
		rweight = 0;
		n = 0;
	}

	/* make_result's header: the short form when scale and weight fit */
	if (dscale <= PL_NUMERIC_SHORT_DSCALE_MAX &&
		rweight <= PL_NUMERIC_SHORT_WEIGHT_MAX && rweight >= PL_NUMERIC_SHORT_WEIGHT_MIN)
	{
		uint16		hdr = (sign == PL_NUMERIC_NEG ?
						   (PL_NUMERIC_SHORT | PL_NUMERIC_SHORT_SIGN_MASK) : PL_NUMERIC_SHORT) |
			(dscale << PL_NUMERIC_SHORT_DSCALE_SHIFT) |
			(rweight < 0 ? PL_NUMERIC_SHORT_WEIGHT_SIGN_MASK : 0) |
			(rweight & PL_NUMERIC_SHORT_WEIGHT_MASK);

		size = VARHDRSZ + 2 + 2 * (Size) n;
		r = (Numeric) palloc(size);
		memcpy(VARDATA(r), &hdr, 2);
		if (n > 0)
			memcpy(VARDATA(r) + 2, dp + 2 * first, 2 * (Size) n);
	}
	else
	{
		uint16		sd = sign | dscale;
		int16		w = (int16) rweight;

		size = VARHDRSZ + 4 + 2 * (Size) n;
		r = (Numeric) palloc(size);
		memcpy(VARDATA(r), &sd, 2);
		memcpy(VARDATA(r) + 2, &w, 2);
		if (n > 0)
			memcpy(VARDATA(r) + 4, dp + 2 * first, 2 * (Size) n);
	}
	SET_VARSIZE(r, size);
	return NumericGetDatum(r);
}
