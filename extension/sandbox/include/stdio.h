/*-------------------------------------------------------------------------
 *
 * stdio.h
 *		Sandbox C library: formatted output and the two output streams.
 *
 * There are no files in a sandbox.  FILE is opaque and only stdout and
 * stderr exist: stdout is line-buffered into host log calls at level INFO
 * (PostgreSQL: a client INFO message per line), stderr likewise at level
 * NOTICE.  A line longer than TMEBOX_MESSAGE_MAX - 1 bytes is split.
 * Text not ended by a newline stays buffered until the next newline or
 * fflush(stdout) (it is lost if the instance is reset first).
 *
 * printf, fprintf, snprintf and sprintf are macros (see __tmebox_fmt.h):
 * their arguments are packed with their types and checked against the
 * format; `%n` is refused (prints "%!n(refused)"); a conversion whose
 * argument has the wrong type prints "%!CONV(TYPE)", a missing argument
 * "%!CONV(missing)".  At most 32 arguments including the format.  There
 * is no vprintf family (no va_list in the sandbox) and no input.
 *
 * Invariants: the formatter never reads past the packed argument array
 * and never writes past the caller's buffer size; stream output goes
 * through host call `log` only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDIO_H
#define _TMEBOX_STDIO_H

#include <stddef.h>
#include <__tmebox_fmt.h>

typedef struct __tmebox_file FILE;

extern FILE *const __tmebox_stdout;
extern FILE *const __tmebox_stderr;
#define stdout	__tmebox_stdout
#define stderr	__tmebox_stderr

#define EOF		(-1)
#define BUFSIZ	4096

extern int	__tmebox_fprintf(FILE *__stream, const __tmebox_arg *__pack,
							 int __n);

#define snprintf(buf, size, ...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_snprintf((buf), (size), __TMEBOX_PACK(__VA_ARGS__)))
#define sprintf(buf, ...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_snprintf((buf), (__SIZE_TYPE__) -1, __TMEBOX_PACK(__VA_ARGS__)))
#define printf(...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_fprintf(stdout, __TMEBOX_PACK(__VA_ARGS__)))
#define fprintf(stream, ...) \
	(__TMEBOX_FMTCHECK(__VA_ARGS__), \
	 __tmebox_fprintf((stream), __TMEBOX_PACK(__VA_ARGS__)))

extern int	puts(const char *s);
extern int	putchar(int c);
extern int	fputs(const char *restrict s, FILE *restrict stream);
extern int	fputc(int c, FILE *stream);
extern int	putc(int c, FILE *stream);
extern int	fflush(FILE *stream);

#endif							/* _TMEBOX_STDIO_H */
