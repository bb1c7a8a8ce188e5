/*-------------------------------------------------------------------------
 *
 * iso646.h
 *		Sandbox C library: alternative operator spellings (C11 7.9).
 *
 * Invariants: exactly the eleven macros of the standard.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_ISO646_H
#define _TMEBOX_ISO646_H

#define and		&&
#define and_eq	&=
#define bitand	&
#define bitor	|
#define compl	~
#define not		!
#define not_eq	!=
#define or		||
#define or_eq	|=
#define xor		^
#define xor_eq	^=

#endif							/* _TMEBOX_ISO646_H */
