/*-------------------------------------------------------------------------
 *
 * pl_spi.h
 *		SQL access from sandboxed code (pl_spi.c): the host calls sql_*
 *		of tmebox_abi.h, the call-scoped handles they hand out, and the
 *		refusal of nested sandbox calls while a statement runs.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_SPI_H
#define PL_SPI_H

/* Handles exist: pl_spi_call_end must run when the call ends. */
extern bool pl_spi_used;
/* A statement of a sandboxed function is running (a host call is on the
 * stack): nothing may enter a sandbox, bind or drop one. */
extern int	pl_spi_active;

/* The trigger call running, when its trigger has transition tables
 * (REFERENCING): its statements see them (pl_trigger.c sets it for the
 * call's duration only). */
struct TriggerData;
extern struct TriggerData *pl_spi_trigger_data;

/* Once per backend: register the host calls with the runtime. */
extern void pl_spi_init(void);

/*
 * The sandbox call ended (returned, failed, or its transaction aborted:
 * `aborting`): every handle goes, plans are freed, cursors closed (not
 * when aborting: the transaction drops its portals itself).
 */
extern void pl_spi_call_end(bool aborting);

/* DISCARD ALL or DISCARD PLANS (outside a call): the session's cache of
 * tmebox_sql statements goes. */
extern void pl_spi_discard_plans(void);

extern void pl_spi_refuse_nested(void) pg_attribute_noreturn();

/* ERROR 0A000 when a statement of a sandboxed function is running. */
static inline void
pl_spi_check_not_nested(void)
{
	if (unlikely(pl_spi_active > 0))
		pl_spi_refuse_nested();
}

/*
 * pl_spimem.c: from the start of a statement's rows to their end (or an
 * ERROR), every allocation in the executor's contexts under `executor`
 * and in SPI's under `proc` must fit in what the call's tenant has left
 * (53200 before it is made).
 */
extern void pl_spimem_begin(MemoryContext executor, MemoryContext proc);
extern void pl_spimem_end(void);

#endif							/* PL_SPI_H */
