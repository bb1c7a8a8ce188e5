/*-------------------------------------------------------------------------
 *
 * interval.c
 *		tmebox.h's interval helpers in PostgreSQL's representation (months,
 *		days, microseconds kept apart): make, add to a timestamp, compare
 *		and justify, each computing what PostgreSQL 15's own
 *		timestamp_pl_interval, interval_cmp and justify_interval compute.
 *
 * Invariants:
 *	- Every interval given is checked (len TMEBOX_INTERVAL_LEN) before it
 *	  is read; results are new blocks from malloc with len set.
 *	- No arithmetic overflows silently: overflow raises 22008 ("out of
 *	  range"), as PostgreSQL does.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <tmebox.h>

#define DAYS_PER_MONTH	30
#define ST_RANGE		"22008"

static void
check(const char *fn, const tmebox_interval *iv)
{
	if (iv == NULL)
		tmebox_error("%s: NULL interval", fn);
	if (iv->len != TMEBOX_INTERVAL_LEN)
		tmebox_error_code("22000", "%s: malformed interval (length %u)", fn,
						  (unsigned) iv->len);
}

tmebox_interval *
tmebox_interval_make(int32_t months, int32_t days, int64_t usecs)
{
	tmebox_interval *r = malloc(sizeof(tmebox_interval));

	if (r == NULL)
		tmebox_error("tmebox_interval_make: out of memory");
	r->len = TMEBOX_INTERVAL_LEN;
	r->_pad = 0;
	r->time = usecs;
	r->day = days;
	r->month = months;
	return r;
}

tmebox_timestamp
tmebox_timestamp_add_interval(tmebox_timestamp ts, const tmebox_interval *iv)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	tmebox_date date;
	tmebox_time usecs;
	int			y,
				m,
				d;
	int64_t		r;

	check("tmebox_timestamp_add_interval", iv);
	if (ts == TMEBOX_TIMESTAMP_NEGINF || ts == TMEBOX_TIMESTAMP_POSINF)
		return ts;
	tmebox_timestamp_split(ts, &date, &usecs);
	if (iv->month != 0)
	{
		int64_t		mon;

		tmebox_date_to_ymd(date, &y, &m, &d);
		mon = (int64_t) y * 12 + (m - 1) + iv->month;
		y = (int) (mon >= 0 ? mon / 12 : -((-mon + 11) / 12));
		m = (int) (mon - (int64_t) y * 12) + 1;
		if (mon / 12 > 6000000 || mon / 12 < -6000000)
			tmebox_error_code(ST_RANGE, "timestamp out of range");
		if (d > mdays[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
			d = mdays[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
		date = tmebox_date_from_ymd(y, m, d);
	}
	if (__builtin_add_overflow((int64_t) date, (int64_t) iv->day, &r) ||
		r > INT32_MAX - 1 || r < INT32_MIN + 1)
		tmebox_error_code(ST_RANGE, "timestamp out of range");
	r = tmebox_timestamp_from((tmebox_date) r, usecs);
	if (__builtin_add_overflow(r, iv->time, &r) ||
		r == TMEBOX_TIMESTAMP_NEGINF || r == TMEBOX_TIMESTAMP_POSINF)
		tmebox_error_code(ST_RANGE, "timestamp out of range");
	return r;
}

/*
 * interval_cmp_value without 128 bits: (days, microseconds within the
 * day), days = month * 30 + day + floor(time / one day).
 */
static void
span(const tmebox_interval *iv, int64_t *days, int64_t *rest)
{
	int64_t		q = iv->time / TMEBOX_USECS_PER_DAY;
	int64_t		r = iv->time % TMEBOX_USECS_PER_DAY;

	if (r < 0)
	{
		r += TMEBOX_USECS_PER_DAY;
		q--;
	}
	*days = (int64_t) iv->month * DAYS_PER_MONTH + iv->day + q;
	*rest = r;
}

int
tmebox_interval_cmp(const tmebox_interval *a, const tmebox_interval *b)
{
	int64_t		da,
				ra,
				db,
				rb;

	check("tmebox_interval_cmp", a);
	check("tmebox_interval_cmp", b);
	span(a, &da, &ra);
	span(b, &db, &rb);
	if (da != db)
		return da < db ? -1 : 1;
	return ra < rb ? -1 : ra > rb;
}

tmebox_interval *
tmebox_interval_justify(const tmebox_interval *iv)
{
	int32_t		month,
				day,
				wholemonth;
	int64_t		time,
				wholeday;

	check("tmebox_interval_justify", iv);
	month = iv->month;
	day = iv->day;
	time = iv->time;
	/* PostgreSQL 15's justify_interval, step by step */
	if ((day > 0 && time > 0) || (day < 0 && time < 0))
	{
		wholemonth = day / DAYS_PER_MONTH;
		day -= wholemonth * DAYS_PER_MONTH;
		if (__builtin_add_overflow(month, wholemonth, &month))
			tmebox_error_code(ST_RANGE, "interval out of range");
	}
	wholeday = time / TMEBOX_USECS_PER_DAY;
	time -= wholeday * TMEBOX_USECS_PER_DAY;
	day += (int32_t) wholeday;
	wholemonth = day / DAYS_PER_MONTH;
	day -= wholemonth * DAYS_PER_MONTH;
	if (__builtin_add_overflow(month, wholemonth, &month))
		tmebox_error_code(ST_RANGE, "interval out of range");
	if (month > 0 && (day < 0 || (day == 0 && time < 0)))
	{
		day += DAYS_PER_MONTH;
		month--;
	}
	else if (month < 0 && (day > 0 || (day == 0 && time > 0)))
	{
		day -= DAYS_PER_MONTH;
		month++;
	}
	if (day > 0 && time < 0)
	{
		time += TMEBOX_USECS_PER_DAY;
		day--;
	}
	else if (day < 0 && time > 0)
	{
		time -= TMEBOX_USECS_PER_DAY;
		day++;
	}
	return tmebox_interval_make(month, day, time);
}
