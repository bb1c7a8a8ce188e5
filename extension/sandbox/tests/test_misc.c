/*-------------------------------------------------------------------------
 *
 * test_misc.c
 *		The rest of the sandbox libc: stdout/stderr line buffering into
 *		host log calls, tmebox_error/tmebox_log, the tmebox.h constructors,
 *		abort/exit/assert, abs/div, rand determinism.
 *
 * Invariants: every host error or trap is caught with tmb_catch.
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tmb.h"
#include "tmebox_abi.h"

static void
do_abort(void *arg)
{
	(void) arg;
	tmb_abort();
}

static void
do_exit(void *arg)
{
	(void) arg;
	tmb_exit(3);
}

static void
do_assert(void *arg)
{
	(void) arg;
	tmb___tmebox_assert_fail("x > 0", "f.c", 12);
}

static void
do_error(void *arg)
{
	tmb___tmebox_error(TMB_PACK("bad value %d for \"%s\"", 42, (const char *) arg));
}

static void
do_long_error(void *arg)
{
	(void) arg;
	tmb___tmebox_error(TMB_PACK("%5000d|", 1));
}

extern int	tmb_abs(int);
extern div_t tmb_div(int, int);
extern lldiv_t tmb_lldiv(long long, long long);

void
test_misc(void)
{
	int			r;

	/* stdout: a log per line, at INFO; partial lines wait for fflush */
	tmb_log_reset();
	r = tmb___tmebox_fprintf(tmb___tmebox_stdout, TMB_PACK("a=%d\nb=%s", 5, "x"));
	CHECK(r == 7 && tmb_log_count == 1 && tmb_log_level[0] == TMEBOX_LOG_INFO &&
		  strcmp(tmb_log_msg[0], "a=5\n") == 0, "printf line: r=%d count=%d", r,
		  tmb_log_count);
	tmb_puts("!");
	CHECK(tmb_log_count == 2 && strcmp(tmb_log_msg[1], "b=x!\n") == 0,
		  "puts completes the line: %s", tmb_log_msg[1]);
	tmb_putchar('z');
	tmb_fputs("zz", tmb___tmebox_stdout);
	CHECK(tmb_log_count == 2, "no newline, no log");
	tmb_fflush(tmb___tmebox_stdout);
	CHECK(tmb_log_count == 3 && strcmp(tmb_log_msg[2], "zzz") == 0, "fflush");
	tmb_fflush(tmb___tmebox_stdout);
	CHECK(tmb_log_count == 3, "empty fflush logs nothing");
	tmb___tmebox_fprintf(tmb___tmebox_stderr, TMB_PACK("e%c\n", 'r'));
	CHECK(tmb_log_count == 4 && tmb_log_level[3] == TMEBOX_LOG_NOTICE &&
		  strcmp(tmb_log_msg[3], "er\n") == 0, "stderr is NOTICE");
	/* a line longer than the buffer is split, nothing lost */
	{
		char	   *big = malloc(10000);

		memset(big, 'y', 9999);
		big[9999] = '\0';
		tmb_log_reset();
		tmb_puts(big);
		CHECK(tmb_log_count == 3 &&
			  strlen(tmb_log_msg[0]) + strlen(tmb_log_msg[1]) +
			  strlen(tmb_log_msg[2]) == 10000, "long line split: %d logs",
			  tmb_log_count);
		free(big);
	}
	/* a forged FILE * is refused */
	r = tmb_fputs("x", (TMB_FILE *) &r);
	CHECK(r == -1 && tmb___tmebox_errno == 9, "bad FILE: %d", r);

	/* tmebox_log / tmebox_error */
	tmb_log_reset();
	tmb___tmebox_log(TMEBOX_LOG_WARNING, TMB_PACK("w %s %.2f", "v", 1.0));
	CHECK(tmb_log_count == 1 && tmb_log_level[0] == TMEBOX_LOG_WARNING &&
		  strcmp(tmb_log_msg[0], "w v 1.00") == 0, "tmebox_log: %s", tmb_log_msg[0]);
	r = tmb_catch(do_error, "name");
	CHECK(r == 1 && strcmp(tmb_host_msg, "bad value 42 for \"name\"") == 0,
		  "tmebox_error: %d [%s]", r, tmb_host_msg);
	r = tmb_catch(do_long_error, NULL);
	CHECK(r == 1 && strlen(tmb_host_msg) == TMEBOX_MESSAGE_MAX - 1,
		  "long error truncated: %zu", strlen(tmb_host_msg));

	/* abort, exit, assert */
	r = tmb_catch(do_abort, NULL);
	CHECK(r == 2 && tmb_host_code == TMEBOX_TRAP_ABORT, "abort: %d %d", r, tmb_host_code);
	r = tmb_catch(do_exit, NULL);
	CHECK(r == 1 && strcmp(tmb_host_msg, "exit(3) called") == 0, "exit: [%s]",
		  tmb_host_msg);
	r = tmb_catch(do_assert, NULL);
	CHECK(r == 1 && strcmp(tmb_host_msg, "assertion failed: x > 0 (f.c:12)") == 0,
		  "assert: [%s]", tmb_host_msg);

	/* tmebox.h constructors */
	{
		tmb_buf    *b = tmb_tmebox_buf_from_cstr("hello");
		tmb_buf    *e = tmb_tmebox_buf_new(0);
		tmb_arr64  *a = tmb_tmebox_array_f64_new(3);
		tmb_arr64  *i = tmb_tmebox_array_i32_new(5);

		CHECK(b->len == 5 && memcmp(b->data, "hello", 6) == 0, "buf_from_cstr");
		CHECK(e->len == 0 && e->data[0] == '\0', "buf_new(0)");
		CHECK(a->n == 3 && a->pad == 0 && a->v[0] == 0 && a->v[2] == 0 &&
			  ((uintptr_t) a->v & 7) == 0, "array_f64_new");
		CHECK(i->n == 5 && ((int32_t *) i->v)[4] == 0, "array_i32_new");
		tmb_free(b);
		tmb_free(e);
		tmb_free(a);
		tmb_free(i);
	}

	/* abs/div and rand */
	{
		div_t		d = tmb_div(-7, 2);
		lldiv_t		l = tmb_lldiv(LLONG_MIN, -1);
		int			s1[5],
					s2[5];

		CHECK(tmb_abs(-5) == 5 && tmb_abs(INT_MIN) == INT_MIN && d.quot == -3 &&
			  d.rem == -1 && l.quot == LLONG_MIN && l.rem == 0, "abs/div");
		tmb_srand(7);
		for (int k = 0; k < 5; k++)
			s1[k] = tmb_rand();
		tmb_srand(7);
		for (int k = 0; k < 5; k++)
			s2[k] = tmb_rand();
		CHECK(memcmp(s1, s2, sizeof s1) == 0 && s1[0] >= 0 && s1[0] != s1[1],
			  "rand deterministic");
	}
}
