/*-------------------------------------------------------------------------
 *
 * format.h
 *		Private to the sandbox libc: the printf engine's output sink, shared
 *		by snprintf (format.c), the streams (stdio.c) and tmebox_error /
 *		tmebox_log (tmebox_api.c).
 *
 * Invariants: a sink writes into buf only below cap and counts every byte
 * it is given in len (so len is the untruncated length); a stream sink
 * passes bytes to its FILE instead.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TMEBOX_FORMAT_H
#define TMEBOX_FORMAT_H

#include <stddef.h>
#include <stdio.h>

typedef struct tmb_sink
{
	char	   *buf;			/* destination, or NULL */
	size_t		cap;			/* bytes of buf usable for text */
	size_t		len;			/* bytes produced so far, may exceed cap */
	FILE	   *stream;			/* if non-NULL, bytes go to this stream */
} tmb_sink;

/* Appends n bytes. */
extern void tmb_sink_write(tmb_sink *s, const char *p, size_t n);

/* Formats pack[0] (the format) with pack[1..n-1]; 0, or -1 if pack[0] is
 * not a string. */
extern int	tmb_format(tmb_sink *s, const __tmebox_arg *pack, int n);

/* Writes n bytes to a stream (stdio.c); -1 if stream is not a stream. */
extern int	tmb_stream_write(FILE *stream, const char *p, size_t n);
/* The longest prefix of s[0, n) that does not end inside a UTF-8
 * sequence (messages are cut there, so that a message valid in the
 * database's UTF-8 is never split into two invalid ones). */
extern size_t tmb_utf8_cut(const char *s, size_t n);

#endif							/* TMEBOX_FORMAT_H */
