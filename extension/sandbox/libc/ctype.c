/*-------------------------------------------------------------------------
 *
 * ctype.c
 *		Sandbox libc: character classification in the C locale.
 *
 * One 256-entry table of class bits, built by a constant initialiser
 * (it lands in the module's globals image).
 *
 * Invariants: only 0..255 index the table; EOF and any other value
 * outside 0..255 belong to no class and are not case-mapped.
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>

#define C_UPPER		0x001
#define C_LOWER		0x002
#define C_DIGIT		0x004
#define C_SPACE		0x008		/* space, \t \n \v \f \r */
#define C_PUNCT		0x010
#define C_CNTRL		0x020
#define C_BLANK		0x040		/* space, \t */
#define C_XDIGIT	0x080
#define C_PRINTSP	0x100		/* the space character (printable) */

#define CT_CNTRL	C_CNTRL
#define CT_CSPACE	(C_CNTRL | C_SPACE)
#define CT_TAB		(C_CNTRL | C_SPACE | C_BLANK)
#define CT_SP		(C_SPACE | C_BLANK | C_PRINTSP)
#define CT_P		C_PUNCT
#define CT_D		(C_DIGIT | C_XDIGIT)
#define CT_UX		(C_UPPER | C_XDIGIT)
#define CT_U		C_UPPER
#define CT_LX		(C_LOWER | C_XDIGIT)
#define CT_L		C_LOWER

static const unsigned short ctype_table[256] = {
	/* 0x00 - 0x0f */
	CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL,
	CT_CNTRL, CT_TAB, CT_CSPACE, CT_CSPACE, CT_CSPACE, CT_CSPACE, CT_CNTRL, CT_CNTRL,
	/* 0x10 - 0x1f */
	CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL,
	CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL, CT_CNTRL,
	/* 0x20 - 0x2f: space ! " # $ % & ' ( ) * + , - . / */
	CT_SP, CT_P, CT_P, CT_P, CT_P, CT_P, CT_P, CT_P,
	CT_P, CT_P, CT_P, CT_P, CT_P, CT_P, CT_P, CT_P,
	/* 0x30 - 0x3f: 0-9 : ; < = > ? */
	CT_D, CT_D, CT_D, CT_D, CT_D, CT_D, CT_D, CT_D,
	CT_D, CT_D, CT_P, CT_P, CT_P, CT_P, CT_P, CT_P,
	/* 0x40 - 0x4f: @ A-O */
	CT_P, CT_UX, CT_UX, CT_UX, CT_UX, CT_UX, CT_UX, CT_U,
	CT_U, CT_U, CT_U, CT_U, CT_U, CT_U, CT_U, CT_U,
	/* 0x50 - 0x5f: P-Z [ \ ] ^ _ */
	CT_U, CT_U, CT_U, CT_U, CT_U, CT_U, CT_U, CT_U,
	CT_U, CT_U, CT_U, CT_P, CT_P, CT_P, CT_P, CT_P,
	/* 0x60 - 0x6f: ` a-o */
	CT_P, CT_LX, CT_LX, CT_LX, CT_LX, CT_LX, CT_LX, CT_L,
	CT_L, CT_L, CT_L, CT_L, CT_L, CT_L, CT_L, CT_L,
	/* 0x70 - 0x7f: p-z { | } ~ DEL */
	CT_L, CT_L, CT_L, CT_L, CT_L, CT_L, CT_L, CT_L,
	CT_L, CT_L, CT_L, CT_P, CT_P, CT_P, CT_P, CT_CNTRL,
	/* 0x80 - 0xff: no class in the C locale (zero-initialised) */
};

static int
classes(int c)
{
	if (c < 0 || c > 255)
		return 0;
	return ctype_table[c];
}

int
isalnum(int c)
{
	return (classes(c) & (C_UPPER | C_LOWER | C_DIGIT)) != 0;
}

int
isalpha(int c)
{
	return (classes(c) & (C_UPPER | C_LOWER)) != 0;
}

int
isblank(int c)
{
	return (classes(c) & C_BLANK) != 0;
}

int
iscntrl(int c)
{
	return (classes(c) & C_CNTRL) != 0;
}

int
isdigit(int c)
{
	return (classes(c) & C_DIGIT) != 0;
}

int
isgraph(int c)
{
	return (classes(c) & (C_UPPER | C_LOWER | C_DIGIT | C_PUNCT)) != 0;
}

int
islower(int c)
{
	return (classes(c) & C_LOWER) != 0;
}

int
isprint(int c)
{
	return (classes(c) & (C_UPPER | C_LOWER | C_DIGIT | C_PUNCT | C_PRINTSP)) != 0;
}

int
ispunct(int c)
{
	return (classes(c) & C_PUNCT) != 0;
}

int
isspace(int c)
{
	return (classes(c) & C_SPACE) != 0;
}

int
isupper(int c)
{
	return (classes(c) & C_UPPER) != 0;
}

int
isxdigit(int c)
{
	return (classes(c) & C_XDIGIT) != 0;
}

int
isascii(int c)
{
	return c >= 0 && c <= 127;
}

int
tolower(int c)
{
	return (classes(c) & C_UPPER) ? c - 'A' + 'a' : c;
}

int
toupper(int c)
{
	return (classes(c) & C_LOWER) ? c - 'a' + 'A' : c;
}
