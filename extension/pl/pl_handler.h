/*-------------------------------------------------------------------------
 *
 * pl_handler.h
 *		Initialisation of the tmebox language, called from _PG_init.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_HANDLER_H
#define PL_HANDLER_H

extern void tmebox_pl_init(void);

#endif							/* PL_HANDLER_H */
