/*-------------------------------------------------------------------------
 *
 * stdbool.h
 *		Sandbox C library: boolean type and values (C11 7.18).
 *
 * Invariants: bool is _Bool (one byte), the ABI's `bool` type code.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDBOOL_H
#define _TMEBOX_STDBOOL_H

#define bool	_Bool
#define true	1
#define false	0
#define __bool_true_false_are_defined 1

#endif							/* _TMEBOX_STDBOOL_H */
