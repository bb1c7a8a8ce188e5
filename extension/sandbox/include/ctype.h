/*-------------------------------------------------------------------------
 *
 * ctype.h
 *		Sandbox C library: character classification (C11 7.4), C locale.
 *
 * Invariants: real functions over one 256-entry table; an argument that
 * is neither EOF nor representable as unsigned char (undefined in C) is
 * classified as nothing and returned unchanged by toupper/tolower.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_CTYPE_H
#define _TMEBOX_CTYPE_H

extern int	isalnum(int c);
extern int	isalpha(int c);
extern int	isblank(int c);
extern int	iscntrl(int c);
extern int	isdigit(int c);
extern int	isgraph(int c);
extern int	islower(int c);
extern int	isprint(int c);
extern int	ispunct(int c);
extern int	isspace(int c);
extern int	isupper(int c);
extern int	isxdigit(int c);
extern int	isascii(int c);
extern int	tolower(int c);
extern int	toupper(int c);

#endif							/* _TMEBOX_CTYPE_H */
