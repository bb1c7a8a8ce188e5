/*-------------------------------------------------------------------------
 *
 * inttypes.h
 *		Sandbox C library: format macros for <stdint.h> types and the
 *		intmax_t functions (C11 7.8).
 *
 * Invariants: the PRI macros match stdint.h's LP64 types exactly
 * (int64_t is long, so "l"); the libc's printf checks every argument's
 * type against its conversion anyway.  No SCN macros: there is no scanf.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_INTTYPES_H
#define _TMEBOX_INTTYPES_H

#include <stdint.h>

#define __TMEBOX_PRI8	"hh"
#define __TMEBOX_PRI16	"h"
#define __TMEBOX_PRI32	""
#define __TMEBOX_PRI64	"l"
#define __TMEBOX_PRIPTR "l"

#define PRId8	__TMEBOX_PRI8 "d"
#define PRId16	__TMEBOX_PRI16 "d"
#define PRId32	__TMEBOX_PRI32 "d"
#define PRId64	__TMEBOX_PRI64 "d"
#define PRIi8	__TMEBOX_PRI8 "i"
#define PRIi16	__TMEBOX_PRI16 "i"
#define PRIi32	__TMEBOX_PRI32 "i"
#define PRIi64	__TMEBOX_PRI64 "i"
#define PRIo8	__TMEBOX_PRI8 "o"
#define PRIo16	__TMEBOX_PRI16 "o"
#define PRIo32	__TMEBOX_PRI32 "o"
#define PRIo64	__TMEBOX_PRI64 "o"
#define PRIu8	__TMEBOX_PRI8 "u"
#define PRIu16	__TMEBOX_PRI16 "u"
#define PRIu32	__TMEBOX_PRI32 "u"
#define PRIu64	__TMEBOX_PRI64 "u"
#define PRIx8	__TMEBOX_PRI8 "x"
#define PRIx16	__TMEBOX_PRI16 "x"
#define PRIx32	__TMEBOX_PRI32 "x"
#define PRIx64	__TMEBOX_PRI64 "x"
#define PRIX8	__TMEBOX_PRI8 "X"
#define PRIX16	__TMEBOX_PRI16 "X"
#define PRIX32	__TMEBOX_PRI32 "X"
#define PRIX64	__TMEBOX_PRI64 "X"

#define PRIdLEAST8	PRId8
#define PRIdLEAST16 PRId16
#define PRIdLEAST32 PRId32
#define PRIdLEAST64 PRId64
#define PRIiLEAST8	PRIi8
#define PRIiLEAST16 PRIi16
#define PRIiLEAST32 PRIi32
#define PRIiLEAST64 PRIi64
#define PRIoLEAST8	PRIo8
#define PRIoLEAST16 PRIo16
#define PRIoLEAST32 PRIo32
#define PRIoLEAST64 PRIo64
#define PRIuLEAST8	PRIu8
#define PRIuLEAST16 PRIu16
#define PRIuLEAST32 PRIu32
#define PRIuLEAST64 PRIu64
#define PRIxLEAST8	PRIx8
#define PRIxLEAST16 PRIx16
#define PRIxLEAST32 PRIx32
#define PRIxLEAST64 PRIx64
#define PRIXLEAST8	PRIX8
#define PRIXLEAST16 PRIX16
#define PRIXLEAST32 PRIX32
#define PRIXLEAST64 PRIX64

/* The fast types follow the compiler's choice (int_fast16_t is short). */
#define PRIdFAST8	__INT_FAST8_FMTd__
#define PRIdFAST16	__INT_FAST16_FMTd__
#define PRIdFAST32	__INT_FAST32_FMTd__
#define PRIdFAST64	__INT_FAST64_FMTd__
#define PRIiFAST8	__INT_FAST8_FMTi__
#define PRIiFAST16	__INT_FAST16_FMTi__
#define PRIiFAST32	__INT_FAST32_FMTi__
#define PRIiFAST64	__INT_FAST64_FMTi__
#define PRIoFAST8	__UINT_FAST8_FMTo__
#define PRIoFAST16	__UINT_FAST16_FMTo__
#define PRIoFAST32	__UINT_FAST32_FMTo__
#define PRIoFAST64	__UINT_FAST64_FMTo__
#define PRIuFAST8	__UINT_FAST8_FMTu__
#define PRIuFAST16	__UINT_FAST16_FMTu__
#define PRIuFAST32	__UINT_FAST32_FMTu__
#define PRIuFAST64	__UINT_FAST64_FMTu__
#define PRIxFAST8	__UINT_FAST8_FMTx__
#define PRIxFAST16	__UINT_FAST16_FMTx__
#define PRIxFAST32	__UINT_FAST32_FMTx__
#define PRIxFAST64	__UINT_FAST64_FMTx__
#define PRIXFAST8	__UINT_FAST8_FMTX__
#define PRIXFAST16	__UINT_FAST16_FMTX__
#define PRIXFAST32	__UINT_FAST32_FMTX__
#define PRIXFAST64	__UINT_FAST64_FMTX__

#define PRIdMAX		__TMEBOX_PRI64 "d"
#define PRIiMAX		__TMEBOX_PRI64 "i"
#define PRIoMAX		__TMEBOX_PRI64 "o"
#define PRIuMAX		__TMEBOX_PRI64 "u"
#define PRIxMAX		__TMEBOX_PRI64 "x"
#define PRIXMAX		__TMEBOX_PRI64 "X"
#define PRIdPTR		__TMEBOX_PRIPTR "d"
#define PRIiPTR		__TMEBOX_PRIPTR "i"
#define PRIoPTR		__TMEBOX_PRIPTR "o"
#define PRIuPTR		__TMEBOX_PRIPTR "u"
#define PRIxPTR		__TMEBOX_PRIPTR "x"
#define PRIXPTR		__TMEBOX_PRIPTR "X"

typedef struct
{
	intmax_t	quot;
	intmax_t	rem;
} imaxdiv_t;

extern intmax_t imaxabs(intmax_t j);
extern imaxdiv_t imaxdiv(intmax_t numer, intmax_t denom);
extern intmax_t strtoimax(const char *restrict nptr, char **restrict endptr,
						  int base);
extern uintmax_t strtoumax(const char *restrict nptr, char **restrict endptr,
						   int base);

#endif							/* _TMEBOX_INTTYPES_H */
