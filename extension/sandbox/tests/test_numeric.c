/*-------------------------------------------------------------------------
 *
 * test_numeric.c
 *		tmebox.h's decimal and interval helpers: exact results of parse,
 *		format, add, sub, mul, div (every rounding), round, trunc, compare
 *		and the int64 conversions against PostgreSQL 15's answers
 *		(including NaN and the infinities), the SQLSTATE of each error
 *		(22012, 22003, 22P02, 0A000, 22000 for a malformed value), and
 *		interval make, compare, justify and timestamp + interval; and
 *		round in every mode against the long division on 30000 random
 *		values (round_vs_div).
 *		(A random differential run against an exact decimal reference is
 *		how the arithmetic was checked; these are its edge cases.)
 *
 * Invariants: every host error is caught with tmb_catch.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <string.h>

#include "tmb.h"

typedef struct tn
{
	uint32_t	len;
	uint16_t	sign;
	uint16_t	dscale;
	int32_t		weight;
	uint16_t	digits[];
} tn;
typedef struct
{
	uint32_t	len;
	char		data[];
} tb;
typedef struct
{
	uint32_t	len,
				pad;
	int64_t		time;
	int32_t		day,
				month;
} tiv;

extern tn  *tmb_tmebox_num_parse(const char *);
extern tb  *tmb_tmebox_num_to_text(const tn *);
extern tn  *tmb_tmebox_num_add(const tn *, const tn *);
extern tn  *tmb_tmebox_num_sub(const tn *, const tn *);
extern tn  *tmb_tmebox_num_mul(const tn *, const tn *);
extern tn  *tmb_tmebox_num_div(const tn *, const tn *, int32_t, int);
extern tn  *tmb_tmebox_num_round(const tn *, int32_t);
extern tn  *tmb_tmebox_num_trunc(const tn *, int32_t);
extern tn  *tmb_tmebox_num_round_mode(const tn *, int32_t, int);
extern int	tmb_tmebox_num_cmp(const tn *, const tn *);
extern int64_t tmb_tmebox_num_to_int64(const tn *);
extern tn  *tmb_tmebox_num_from_int64(int64_t);
extern tiv *tmb_tmebox_interval_make(int32_t, int32_t, int64_t);
extern int	tmb_tmebox_interval_cmp(const tiv *, const tiv *);
extern tiv *tmb_tmebox_interval_justify(const tiv *);
extern int64_t tmb_tmebox_timestamp_add_interval(int64_t, const tiv *);
extern int32_t tmb_tmebox_date_from_ymd(int, int, int);
extern int64_t tmb_tmebox_timestamp_from(int32_t, int64_t);
extern int	tmb_host_sqlstate;

static const char *op,
		   *sa,
		   *sb;
static int	sc,
			mode;
static char out[512];
static tn  *raw;

static void
run(void *arg)
{
	tn		   *a = raw ? raw : tmb_tmebox_num_parse(sa),
			   *b = sb ? tmb_tmebox_num_parse(sb) : NULL,
			   *r = a;
	tb		   *t;

	(void) arg;
	if (strcmp(op, "add") == 0)
		r = tmb_tmebox_num_add(a, b);
	else if (strcmp(op, "sub") == 0)
		r = tmb_tmebox_num_sub(a, b);
	else if (strcmp(op, "mul") == 0)
		r = tmb_tmebox_num_mul(a, b);
	else if (strcmp(op, "div") == 0)
		r = tmb_tmebox_num_div(a, b, sc, mode);
	else if (strcmp(op, "round") == 0)
		r = tmb_tmebox_num_round_mode(a, sc, mode);
	else if (strcmp(op, "cmp") == 0)
	{
		snprintf(out, sizeof out, "%d", tmb_tmebox_num_cmp(a, b));
		return;
	}
	else if (strcmp(op, "int") == 0)
	{
		snprintf(out, sizeof out, "%lld", (long long) tmb_tmebox_num_to_int64(a));
		return;
	}
	t = tmb_tmebox_num_to_text(r);
	snprintf(out, sizeof out, "%.*s", (int) t->len, t->data);
}

/* op(a, b) gives want (or "ERR sqlstate") */
static void
num(const char *o, const char *a, const char *b, int s, int m, const char *want)
{
	int			r;

	op = o, sa = a, sb = b, sc = s, mode = m;
	r = tmb_catch(run, NULL);
	if (r != 0)
		snprintf(out, sizeof out, "ERR %c%c%c%c%c",
				 (tmb_host_sqlstate & 0x3F) + '0', ((tmb_host_sqlstate >> 6) & 0x3F) + '0',
				 ((tmb_host_sqlstate >> 12) & 0x3F) + '0', ((tmb_host_sqlstate >> 18) & 0x3F) + '0',
				 ((tmb_host_sqlstate >> 24) & 0x3F) + '0');
	CHECK(strcmp(out, want) == 0, "%s(%s, %s, %d, %d) = %s, want %s", o, a, b ? b : "-",
		  s, m, out, want);
}

/* xorshift64: the random differential runs below repeat exactly */
static uint64_t
rnd(void)
{
	static uint64_t x = 0x9E3779B97F4A7C15u;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/*
 * tmebox_num_round_mode (dec_round: digits zeroed and one unit added,
 * no division) against the long division of tmebox_num_div by 1 (by
 * 10^-s for a negative scale s, then times 10^-s): n random values with
 * many zero and nine digits, scales -12..24, every rounding; the two
 * results byte for byte.
 */
static void
round_vs_div(int n)
{
	int			bad = 0;

	for (int i = 0; i < n && bad < 5; i++)
	{
		char		text[80];
		int			k = 0;
		int			s = (int) (rnd() % 37) - 12;
		int			m = (int) (rnd() % 5);
		int			ni = (int) (rnd() % 14),
					nf = (int) (rnd() % 22);
		tn		   *x,
				   *r,
				   *want,
				   *unit;

		if (rnd() % 2)
			text[k++] = '-';
		text[k++] = '0';
		for (int j = 0; j < ni + nf + 1; j++)
		{
			uint64_t	c = rnd() % 16;

			if (j == ni)
			{
				text[k++] = '.';
				continue;
			}
			text[k++] = c < 5 ? '0' : c < 9 ? '9' : c == 9 ? '5' : (char) ('0' + c % 10);
		}
		text[k] = '\0';
		x = tmb_tmebox_num_parse(text);
		r = tmb_tmebox_num_round_mode(x, s, m);
		if (s >= 0)
			want = tmb_tmebox_num_div(x, tmb_tmebox_num_from_int64(1), s, m);
		else
		{
			int64_t		p = 1;

			for (int j = 0; j < -s; j++)
				p *= 10;
			unit = tmb_tmebox_num_from_int64(p);
			want = tmb_tmebox_num_mul(tmb_tmebox_num_div(x, unit, 0, m), unit);
		}
		if (r->len != want->len || memcmp(r, want, 4 + r->len) != 0)
		{
			tb		   *rt = tmb_tmebox_num_to_text(r),
					   *wt = tmb_tmebox_num_to_text(want);

			bad++;
			CHECK(0, "round_mode(%s, %d, %d) = %.*s (weight %d), division gives %.*s (weight %d)",
				  text, s, m, (int) rt->len, rt->data, r->weight, (int) wt->len, wt->data,
				  want->weight);
		}
	}
	CHECK(bad == 0, "round_mode agrees with the division on %d random values", n);
}

void
test_numeric(void)
{
	static uint16_t buf[16];
	tiv		   *a,
			   *b,
			   *j;

	num("parse", "  12.50 ", NULL, 0, 0, "12.50");
	num("parse", "-0.000", NULL, 0, 0, "0.000");
	num("parse", "1.5e3", NULL, 0, 0, "1500");
	num("parse", "1.5e-3", NULL, 0, 0, "0.0015");
	num("parse", "nan", NULL, 0, 0, "NaN");
	num("parse", "+inf", NULL, 0, 0, "Infinity");
	num("parse", "-Infinity", NULL, 0, 0, "-Infinity");
	num("parse", "1.2.3", NULL, 0, 0, "ERR 22P02");
	num("parse", "", NULL, 0, 0, "ERR 22P02");
	num("parse", "1e1001", NULL, 0, 0, "ERR 22P02");
	num("add", "0.1", "0.20", 0, 0, "0.30");
	num("add", "Infinity", "-Infinity", 0, 0, "NaN");
	num("add", "Infinity", "5", 0, 0, "Infinity");
	num("sub", "1", "1.000", 0, 0, "0.000");
	num("sub", "-Infinity", "-Infinity", 0, 0, "NaN");
	num("mul", "1.25", "-0.2", 0, 0, "-0.250");
	num("mul", "Infinity", "0", 0, 0, "NaN");
	num("mul", "-Infinity", "-2", 0, 0, "Infinity");
	{
		/* 70000 digits squared: past 131072 digits before the point */
		static char big[70001];

		memset(big, '9', 70000);
		num("mul", big, big, 0, 0, "ERR 22003");
		num("parse", big + 69600, NULL, 0, 0, big + 69600);
	}
	num("div", "1", "3", 5, 0, "0.33333");
	num("div", "2", "3", 5, 0, "0.66667");
	num("div", "2", "3", 5, 2, "0.66666");
	num("div", "-2", "3", 0, 3, "-1");
	num("div", "-2", "3", 0, 4, "0");
	num("div", "5", "2", 0, 1, "2");
	num("div", "7", "2", 0, 1, "4");
	num("div", "1", "0", 2, 0, "ERR 22012");
	num("div", "Infinity", "0", 2, 0, "ERR 22012");
	num("div", "Infinity", "-2", 2, 0, "-Infinity");
	num("div", "3", "Infinity", 2, 0, "0");
	num("div", "NaN", "0", 2, 0, "NaN");
	num("div", "1", "3", 16384, 0, "ERR 22023");
	num("round", "2.5", NULL, 0, 0, "3");
	num("round", "-2.5", NULL, 0, 0, "-3");
	num("round", "1234.5678", NULL, -2, 0, "1200");
	num("round", "1.5", NULL, 3, 0, "1.500");
	num("round", "-1.99", NULL, 1, 2, "-1.9");
	num("round", "9999.9999", NULL, 2, 0, "10000.00");
	num("round", "-9999.5", NULL, -4, 4, "0");
	num("round", "-9999.5", NULL, -4, 3, "-10000");
	num("round", "0.00000001", NULL, 4, 4, "0.0001");
	num("round", "0.00000001", NULL, 0, 3, "0");
	num("round", "0.00000001", NULL, -3, 4, "1000");
	num("round", "2.5", NULL, 0, 1, "2");
	num("round", "2.50000001", NULL, 0, 1, "3");
	num("round", "3.5", NULL, 0, 1, "4");
	num("round", "12345.6789", NULL, -12, 0, "0");
	round_vs_div(30000);
	num("cmp", "NaN", "Infinity", 0, 0, "1");
	num("cmp", "NaN", "NaN", 0, 0, "0");
	num("cmp", "-Infinity", "-1e1000", 0, 0, "-1");
	num("cmp", "1.0", "1", 0, 0, "0");
	num("cmp", "-2", "-10", 0, 0, "1");
	num("int", "9223372036854775807.49", NULL, 0, 0, "9223372036854775807");
	num("int", "9223372036854775807.5", NULL, 0, 0, "ERR 22003");
	num("int", "-9223372036854775808", NULL, 0, 0, "-9223372036854775808");
	num("int", "NaN", NULL, 0, 0, "ERR 0A000");
	num("int", "-Infinity", NULL, 0, 0, "ERR 0A000");

	/* values built by hand: checked, never computed with */
	raw = (tn *) buf;
	raw->len = 10, raw->sign = 0, raw->dscale = 0, raw->weight = 0, raw->digits[0] = 10000;
	num("parse", "", NULL, 0, 0, "ERR 22000");
	raw->digits[0] = 12, raw->weight = -1, raw->dscale = 2;	/* 0.0012 */
	num("parse", "", NULL, 0, 0, "ERR 22000");
	raw->dscale = 4;
	num("parse", "", NULL, 0, 0, "0.0012");
	raw->sign = 0x8000;
	num("parse", "", NULL, 0, 0, "ERR 22000");
	raw->sign = 0, raw->len = 9;
	num("parse", "", NULL, 0, 0, "ERR 22000");
	raw = NULL;

	/* intervals */
	a = tmb_tmebox_interval_make(1, 0, 0);
	b = tmb_tmebox_interval_make(0, 30, 0);
	CHECK(tmb_tmebox_interval_cmp(a, b) == 0, "1 mon = 30 days");
	b = tmb_tmebox_interval_make(0, 29, INT64_C(86400000001));
	CHECK(tmb_tmebox_interval_cmp(a, b) > 0 == 0, "30 days 1 us > 1 mon");
	b = tmb_tmebox_interval_make(0, 0, -1);
	CHECK(tmb_tmebox_interval_cmp(b, tmb_tmebox_interval_make(0, 0, 0)) < 0, "-1 us < 0");
	/* justify_interval('1 mon -1 hour') = '29 days 23:00:00' */
	j = tmb_tmebox_interval_justify(tmb_tmebox_interval_make(1, 0, -INT64_C(3600000000)));
	CHECK(j->month == 0 && j->day == 29 && j->time == INT64_C(82800000000),
		  "justify: %d %d %lld", j->month, j->day, (long long) j->time);
	/* justify_interval('-35 days 49 hours') = '-1 mons -2 days -23:00:00' */
	j = tmb_tmebox_interval_justify(tmb_tmebox_interval_make(0, -35, INT64_C(49) * 3600000000));
	CHECK(j->month == -1 && j->day == -2 && j->time == -INT64_C(23) * 3600000000,
		  "justify: %d %d %lld", j->month, j->day, (long long) j->time);
	/* '2024-01-31 10:00' + '1 mon 1 day 1 hour' = '2024-03-01 11:00' */
	{
		int64_t		ts = tmb_tmebox_timestamp_from(tmb_tmebox_date_from_ymd(2024, 1, 31),
												   INT64_C(36000000000));
		int64_t		want = tmb_tmebox_timestamp_from(tmb_tmebox_date_from_ymd(2024, 3, 1),
													 INT64_C(39600000000));

		CHECK(tmb_tmebox_timestamp_add_interval(ts, tmb_tmebox_interval_make(1, 1, 3600000000)) == want,
			  "timestamp + interval");
		/* '2023-03-31' + '-1 mon' = '2023-02-28' */
		ts = tmb_tmebox_timestamp_from(tmb_tmebox_date_from_ymd(2023, 3, 31), 0);
		want = tmb_tmebox_timestamp_from(tmb_tmebox_date_from_ymd(2023, 2, 28), 0);
		CHECK(tmb_tmebox_timestamp_add_interval(ts, tmb_tmebox_interval_make(-1, 0, 0)) == want,
			  "timestamp - 1 month clamps");
	}
}
