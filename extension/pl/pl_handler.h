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

/*
 * Is the innermost tmebox function running now STABLE or IMMUTABLE (its
 * statements then run read-only, as PL/pgSQL's)?  False for DO blocks
 * and outside a call.  Read from the error-context stack: no cost per call.
 */
extern bool pl_handler_read_only(void);
/* The name of the innermost tmebox function running now (for messages). */
extern const char *pl_handler_function_name(void);

#endif							/* PL_HANDLER_H */
