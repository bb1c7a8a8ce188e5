/*-------------------------------------------------------------------------
 *
 * datetime.c
 *		tmebox.h's date and time helpers: PostgreSQL's representation of
 *		date (days since 2000-01-01), time and timestamp (microseconds),
 *		converted to and from calendar fields with PostgreSQL's own
 *		Julian-day arithmetic (date2j/j2date of its datetime.c), so a
 *		function computes exactly the dates PostgreSQL prints.
 *
 * Invariants:
 *	- tmebox_date_from_ymd returns only days that exist in the proleptic
 *	  Gregorian calendar and that PostgreSQL's date type can hold; anything
 *	  else raises an error instead of a wrong date.
 *	- No arithmetic here overflows: Julian days are computed in 64 bits
 *	  and tmebox_timestamp_from checks its product and sum.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdbool.h>
#include <tmebox.h>

/* Julian day of 2000-01-01, and the Julian days a PostgreSQL date covers:
 * [4714-11-24 BC, 5874898-01-01 AD) */
#define POSTGRES_EPOCH_JDATE	INT64_C(2451545)
#define DATE_MIN_JULIAN			INT64_C(0)
#define DATE_END_JULIAN			INT64_C(2147483494)

static int64_t
date2j(int64_t y, int64_t m, int64_t d)
{
	int64_t		julian,
				century;

	if (m > 2)
	{
		m += 1;
		y += 4800;
	}
	else
	{
		m += 13;
		y += 4799;
	}
	century = y / 100;
	julian = y * 365 - 32167;
	julian += y / 4 - century + century / 4;
	julian += 7834 * m / 256 + d;
	return julian;
}

static void
j2date(int64_t jd, int *year, int *month, int *day)
{
	uint64_t	julian = (uint64_t) jd;
	uint64_t	quad,
				extra;
	int64_t		y;

	julian += 32044;
	quad = julian / 146097;
	extra = (julian - quad * 146097) * 4 + 3;
	julian += 60 + quad * 3 + extra / 146097;
	quad = julian / 1461;
	julian -= quad * 1461;
	y = (int64_t) (julian * 4 / 1461);
	julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
	y += (int64_t) quad * 4;
	*year = (int) (y - 4800);
	quad = julian * 2141 / 65536;
	*day = (int) (julian - 7834 * quad / 256);
	*month = (int) ((quad + 10) % 12 + 1);
}

static bool
is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

tmebox_date
tmebox_date_from_ymd(int year, int month, int day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t		jd;

	if (month < 1 || month > 12 || day < 1 ||
		day > mdays[month - 1] + (month == 2 && is_leap(year)))
		tmebox_error("there is no date %d-%02d-%02d", year, month, day);
	jd = date2j(year, month, day);
	if (jd < DATE_MIN_JULIAN || jd >= DATE_END_JULIAN)
		tmebox_error("date %d-%02d-%02d is out of range for type date", year, month, day);
	return (tmebox_date) (jd - POSTGRES_EPOCH_JDATE);
}

void
tmebox_date_to_ymd(tmebox_date date, int *year, int *month, int *day)
{
	if (date == TMEBOX_DATE_NEGINF || date == TMEBOX_DATE_POSINF)
		tmebox_error("tmebox_date_to_ymd: the date is infinite");
	j2date((int64_t) date + POSTGRES_EPOCH_JDATE, year, month, day);
}

int
tmebox_date_dow(tmebox_date date)
{
	int64_t		jd = (int64_t) date + POSTGRES_EPOCH_JDATE + 1;
	int64_t		dow = jd % 7;

	if (date == TMEBOX_DATE_NEGINF || date == TMEBOX_DATE_POSINF)
		tmebox_error("tmebox_date_dow: the date is infinite");
	return (int) (dow < 0 ? dow + 7 : dow);
}

tmebox_timestamp
tmebox_timestamp_from(tmebox_date date, tmebox_time usecs)
{
	int64_t		r;

	if (date == TMEBOX_DATE_NEGINF || date == TMEBOX_DATE_POSINF ||
		__builtin_mul_overflow((int64_t) date, TMEBOX_USECS_PER_DAY, &r) ||
		__builtin_add_overflow(r, usecs, &r) ||
		r == TMEBOX_TIMESTAMP_NEGINF || r == TMEBOX_TIMESTAMP_POSINF)
		tmebox_error("tmebox_timestamp_from: timestamp out of range");
	return r;
}

void
tmebox_timestamp_split(tmebox_timestamp ts, tmebox_date *date, tmebox_time *usecs)
{
	int64_t		d,
				u;

	if (ts == TMEBOX_TIMESTAMP_NEGINF || ts == TMEBOX_TIMESTAMP_POSINF)
		tmebox_error("tmebox_timestamp_split: the timestamp is infinite");
	d = ts / TMEBOX_USECS_PER_DAY;
	u = ts % TMEBOX_USECS_PER_DAY;
	if (u < 0)
	{
		u += TMEBOX_USECS_PER_DAY;
		d--;
	}
	*date = (tmebox_date) d;
	*usecs = u;
}
