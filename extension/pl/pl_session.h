/*-------------------------------------------------------------------------
 *
 * pl_session.h
 *		Session-level events that reach the backend's sandboxes
 *		(pl_session.c): DISCARD ALL drops them.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_SESSION_H
#define PL_SESSION_H

extern void pl_session_init(void);

#endif							/* PL_SESSION_H */
