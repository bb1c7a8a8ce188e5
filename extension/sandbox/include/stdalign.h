/*-------------------------------------------------------------------------
 *
 * stdalign.h
 *		Sandbox C library: alignas / alignof (C11 7.15).
 *
 * Invariants: plain aliases of the C11 keywords.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_STDALIGN_H
#define _TMEBOX_STDALIGN_H

#define alignas _Alignas
#define alignof _Alignof
#define __alignas_is_defined 1
#define __alignof_is_defined 1

#endif							/* _TMEBOX_STDALIGN_H */
