/*-------------------------------------------------------------------------
 *
 * pl_trigger.h
 *		Trigger functions (pl_trigger.c): the host calls of tmebox_abi.h
 *		"Triggers".  (The call and the binding's shape: pl_function.h.)
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_TRIGGER_H
#define PL_TRIGGER_H

/* Once per backend: register the host calls with the runtime. */
extern void pl_trigger_init(void);

#endif							/* PL_TRIGGER_H */
