/*-------------------------------------------------------------------------
 *
 * stdio.c
 *		Sandbox libc: stdout and stderr as line buffers flushed to host
 *		call `log`, and printf/fprintf/puts/putchar/fputs/fputc/fflush.
 *
 * stdout logs at TMEBOX_LOG_INFO, stderr at TMEBOX_LOG_NOTICE.  A line is
 * sent, newline included, when the newline is written; a line that fills
 * the buffer (TMEBOX_MESSAGE_MAX - 1 bytes) is sent up to its last whole
 * UTF-8 character (no newline) and
 * continues in the next message; fflush sends a pending partial line.  So
 * concatenating the messages gives back exactly what was written; hosts
 * that log whole lines (PostgreSQL) strip the final newline.
 *
 * Invariants: a FILE * other than stdout/stderr is refused (EOF, errno
 * EBADF) rather than dereferenced; buffer length stays below its size.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

#include "tmebox_host.h"
#include "format.h"

struct __tmebox_file
{
	int32_t		level;			/* TMEBOX_LOG_* of each line */
	size_t		len;			/* bytes pending in buf */
	char		buf[TMEBOX_MESSAGE_MAX - 1];
};

static struct __tmebox_file out_file = {TMEBOX_LOG_INFO, 0, {0}};
static struct __tmebox_file err_file = {TMEBOX_LOG_NOTICE, 0, {0}};

FILE *const __tmebox_stdout = &out_file;
FILE *const __tmebox_stderr = &err_file;

static int
valid_stream(FILE *f)
{
	if (f == &out_file || f == &err_file)
		return 1;
	errno = EBADF;
	return 0;
}

size_t
tmb_utf8_cut(const char *s, size_t n)
{
	size_t		k = n;
	size_t		need;
	unsigned char lead;

	/* back over at most three continuation bytes to the sequence's lead */
	while (k > 0 && n - k < 3 && ((unsigned char) s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0)
		return n;
	lead = (unsigned char) s[k - 1];
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	/* the last sequence is complete (or not UTF-8 at all): keep it */
	if (need == 1 || n - (k - 1) >= need)
		return n;
	return k - 1;
}

static void
flush_line(FILE *f)
{
	__tmebox_host_log(f->level, f->buf, f->len);
	f->len = 0;
}

/* The buffer is full: send it up to the last whole UTF-8 character and
 * keep the rest (a character's first bytes) for the next message. */
static void
flush_full(FILE *f)
{
	size_t		cut = tmb_utf8_cut(f->buf, f->len);
	size_t		rest = f->len - cut;

	__tmebox_host_log(f->level, f->buf, cut);
	memmove(f->buf, f->buf + cut, rest);
	f->len = rest;
}

int
tmb_stream_write(FILE *f, const char *p, size_t n)
{
	if (!valid_stream(f))
		return -1;
	for (size_t i = 0; i < n; i++)
	{
		if (f->len == sizeof f->buf)
			flush_full(f);
		f->buf[f->len++] = p[i];
		if (p[i] == '\n')
			flush_line(f);
	}
	return 0;
}

int
__tmebox_fprintf(FILE *stream, const __tmebox_arg *pack, int n)
{
	tmb_sink	s;

	if (!valid_stream(stream))
		return EOF;
	s.buf = NULL;
	s.cap = 0;
	s.len = 0;
	s.stream = stream;
	if (tmb_format(&s, pack, n) < 0)
	{
		errno = EINVAL;
		return -1;
	}
	if (s.len > INT_MAX)
	{
		errno = EOVERFLOW;
		return -1;
	}
	return (int) s.len;
}

int
fputs(const char *restrict str, FILE *restrict stream)
{
	if (tmb_stream_write(stream, str, strlen(str)) < 0)
		return EOF;
	return 1;
}

int
puts(const char *str)
{
	if (fputs(str, stdout) == EOF || fputc('\n', stdout) == EOF)
		return EOF;
	return 1;
}

int
fputc(int c, FILE *stream)
{
	char		ch = (char) c;

	if (tmb_stream_write(stream, &ch, 1) < 0)
		return EOF;
	return (unsigned char) c;
}

int
putc(int c, FILE *stream)
{
	return fputc(c, stream);
}

int
putchar(int c)
{
	return fputc(c, stdout);
}

/* fflush(NULL) flushes both streams. */
int
fflush(FILE *stream)
{
	if (stream == NULL)
	{
		if (out_file.len)
			flush_line(&out_file);
		if (err_file.len)
			flush_line(&err_file);
		return 0;
	}
	if (!valid_stream(stream))
		return EOF;
	if (stream->len)
		flush_line(stream);
	return 0;
}

/*
 * Flushes pending output; meant for the runtime to call after each call
 * into the instance (not part of ABI version 1, see README).
 */
void
__tmebox_rt_flush(void)
{
	(void) fflush(NULL);
}
