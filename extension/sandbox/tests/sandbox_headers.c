/*
 * sandbox_headers.c -- compiled against include/ only (never run): every
 * header together, and each printf-like macro used once, must be free of
 * warnings under -Wall -Wextra -pedantic -std=c11 (run by run_all.sh with
 * -I, so warnings inside the headers are not hidden as system headers).
 */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdlib.h>
#include <math.h>
#include <tmebox.h>
#include <stdio.h>
#include <ctype.h>
#include <limits.h>
#include <assert.h>
#include <inttypes.h>
#include <float.h>
#include <errno.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stdnoreturn.h>
#include <strings.h>
#include <iso646.h>
#include <sys/types.h>

static_assert(sizeof(int64_t) == 8 && sizeof(size_t) == 8, "LP64");
static_assert(INT64_MIN < 0 && UINT64_MAX > 0 && SIZE_MAX == UINT64_MAX, "limits");
static_assert(offsetof(tmebox_array_f64, v) == 8, "array header");

int32_t		headers_demo(int32_t x, const tmebox_buf *in, double d);

int32_t
headers_demo(int32_t x, const tmebox_buf *in, double d)
{
	char		buf[64];
	int64_t		big = INT64_MIN;
	uint8_t		small = UINT8_MAX;
	tmebox_buf *out;

	snprintf(buf, sizeof buf, "%d %s %f %" PRId64 " %" PRIu8 " %p %c %zu",
			 x, in->data, d, big, small, (void *) buf, 'a', strlen(buf));
	sprintf(buf, "%s", "x");
	printf("%s\n", buf);
	fprintf(stderr, "x=%u\n", (unsigned) x);
	tmebox_notice("n %d", x);
	tmebox_log(TMEBOX_LOG_INFO, "%s", "hi");
	assert(x > 0);
	if (x < 0)
		tmebox_error("bad %d", x);
	out = tmebox_buf_from(in->data, in->len);
	free(out);
	return isalpha((unsigned char) in->data[0]) + (int) sqrt(d) +
		(isnan(d) ? 1 : 0) + errno + (int) fpclassify(d) + (signbit(d) != 0) +
		(int) (M_PI + HUGE_VAL * 0 + FLT_EPSILON);
}
