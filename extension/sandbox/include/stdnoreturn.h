/*-------------------------------------------------------------------------
 *
 * stdnoreturn.h
 *		Sandbox C library: noreturn (C11 7.23).
 *
 * Invariants: plain alias of the C11 keyword.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDNORETURN_H
#define _TMEBOX_STDNORETURN_H

#define noreturn _Noreturn

#endif							/* _TMEBOX_STDNORETURN_H */
