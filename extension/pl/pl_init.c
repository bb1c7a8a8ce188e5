/*-------------------------------------------------------------------------
 *
 * pl_init.c
 *		Module entry point of tmebox.so: the top of the layers, which sets
 *		up each of them.
 *
 * Invariants kept here:
 *	- This is the only PG_MODULE_MAGIC and the only _PG_init in the
 *	  shared library; a layer that needs set-up at load time gets one call
 *	  here, the layer below (pg/: catalog, administration, settings) first,
 *	  then the language (pl/).
 *	- _PG_init is cheap: it defines settings and probes nothing.  Heavy
 *	  set-up (machine probing, sandbox runtime) happens on first use.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "pl_handler.h"
#include "pl_session.h"
#include "tpg_guc.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	/* pg/: every tmebox.* setting */
	tpg_guc_init();
	/* pl/: the runtime's hooks, session events */
	tmebox_pl_init();
	pl_session_init();
	/* after every tmebox.* setting is defined, or their placeholders go */
	MarkGUCPrefixReserved("tmebox");
}
