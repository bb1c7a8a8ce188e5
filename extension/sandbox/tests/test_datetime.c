/*-------------------------------------------------------------------------
 *
 * test_datetime.c
 *		tmebox.h's date and time helpers against PostgreSQL's own values:
 *		2000-01-01 is day 0, known dates both ways, every day of 400 years
 *		round-trips, the range ends and the infinities, and invalid dates
 *		raise errors.
 *
 * Invariants: every host error is caught with tmb_catch.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <string.h>

#include "tmb.h"

extern int32_t tmb_tmebox_date_from_ymd(int y, int m, int d);
extern void tmb_tmebox_date_to_ymd(int32_t date, int *y, int *m, int *d);
extern int	tmb_tmebox_date_dow(int32_t date);
extern int64_t tmb_tmebox_timestamp_from(int32_t date, int64_t usecs);
extern void tmb_tmebox_timestamp_split(int64_t ts, int32_t *date, int64_t *usecs);

static int	bad_y,
			bad_m,
			bad_d;

static void
do_from_ymd(void *arg)
{
	(void) arg;
	tmb_tmebox_date_from_ymd(bad_y, bad_m, bad_d);
}

static void
do_ts_overflow(void *arg)
{
	(void) arg;
	tmb_tmebox_timestamp_from(INT32_MAX - 1, 0);
}

static int
refused(int y, int m, int d)
{
	bad_y = y;
	bad_m = m;
	bad_d = d;
	return tmb_catch(do_from_ymd, NULL) == 1;
}

void
test_datetime(void)
{
	int			y,
				m,
				d,
				bad = 0;
	int32_t		dd;
	int64_t		us;

	/* values as SELECT 'YYYY-MM-DD'::date - '2000-01-01' prints them */
	CHECK(tmb_tmebox_date_from_ymd(2000, 1, 1) == 0, "2000-01-01 is day 0");
	CHECK(tmb_tmebox_date_from_ymd(2024, 2, 29) == 8825, "2024-02-29");
	CHECK(tmb_tmebox_date_from_ymd(1970, 1, 1) == -10957, "1970-01-01");
	CHECK(tmb_tmebox_date_from_ymd(-4713, 11, 24) == -2451545, "4714-11-24 BC (Julian day 0)");
	CHECK(tmb_tmebox_date_from_ymd(5874897, 12, 31) == 2147483493 - 2451545,
		  "5874897-12-31, the last date");
	tmb_tmebox_date_to_ymd(8825, &y, &m, &d);
	CHECK(y == 2024 && m == 2 && d == 29, "day 8825 is 2024-02-29: %d-%d-%d", y, m, d);
	tmb_tmebox_date_to_ymd(-2451545, &y, &m, &d);
	CHECK(y == -4713 && m == 11 && d == 24, "Julian day 0: %d-%d-%d", y, m, d);
	CHECK(tmb_tmebox_date_dow(0) == 6, "2000-01-01 was a Saturday");
	CHECK(tmb_tmebox_date_dow(-10957) == 4, "1970-01-01 was a Thursday");
	CHECK(tmb_tmebox_date_dow(-2451545) == 1, "Julian day 0 was a Monday");

	/* every day from 1900 to 2299 round-trips, consecutively */
	dd = tmb_tmebox_date_from_ymd(1900, 1, 1);
	for (int32_t day = dd; day < dd + 146097; day++)
	{
		tmb_tmebox_date_to_ymd(day, &y, &m, &d);
		if (tmb_tmebox_date_from_ymd(y, m, d) != day)
			bad++;
	}
	CHECK(bad == 0, "400 years of days round-trip (%d bad)", bad);
	tmb_tmebox_date_to_ymd(dd + 146097, &y, &m, &d);
	CHECK(y == 2300 && m == 1 && d == 1, "146097 days are 400 years");

	CHECK(refused(2023, 2, 29), "2023-02-29 refused");
	CHECK(strstr(tmb_host_msg, "there is no date 2023-02-29") != NULL, "message: [%s]", tmb_host_msg);
	CHECK(refused(1900, 2, 29), "1900-02-29 refused (not a leap year)");
	CHECK(!refused(2000, 2, 29), "2000-02-29 accepted");
	CHECK(refused(2024, 13, 1) && refused(2024, 0, 1) && refused(2024, 4, 31) &&
		  refused(2024, 1, 0), "bad months and days refused");
	CHECK(refused(-4713, 11, 23), "before Julian day 0 refused");
	CHECK(refused(5874898, 1, 1), "after the last date refused");
	CHECK(strstr(tmb_host_msg, "out of range for type date") != NULL, "message: [%s]", tmb_host_msg);

	/* timestamps: microseconds since 2000-01-01 00:00 */
	CHECK(tmb_tmebox_timestamp_from(1, 1) == INT64_C(86400000001), "timestamp_from");
	tmb_tmebox_timestamp_split(-1, &dd, &us);
	CHECK(dd == -1 && us == INT64_C(86399999999), "a negative timestamp splits by floor");
	tmb_tmebox_timestamp_split(INT64_C(86400000000) * 8825 + 3600000000, &dd, &us);
	CHECK(dd == 8825 && us == 3600000000, "2024-02-29 01:00 splits");
	CHECK(tmb_catch(do_ts_overflow, NULL) == 1 &&
		  strstr(tmb_host_msg, "timestamp out of range") != NULL, "timestamp overflow is an error");
}
