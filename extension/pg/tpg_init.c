/*-------------------------------------------------------------------------
 *
 * tpg_init.c
 *		Module entry point of tmebox.so.
 *
 * Invariants kept here:
 *	- This is the only PG_MODULE_MAGIC and the only _PG_init in the
 *	  shared library; other subsystems that need set-up at load time add
 *	  one call here.
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
	tpg_guc_init();
	tmebox_pl_init();
	pl_session_init();
	/* after every tmebox.* setting is defined, or their placeholders go */
	MarkGUCPrefixReserved("tmebox");
}
