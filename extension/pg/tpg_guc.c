/*-------------------------------------------------------------------------
 *
 * tpg_guc.c
 *		Configuration parameters of tmebox and the choice of KeyID backend.
 *
 *	tmebox.backend (auto | emulated | tme-mk, superuser)
 *		Which KeyID backend to use.  auto takes tme-mk when every check of
 *		extension/keyid passes, else emulated.
 *	tmebox.max_keyids (1..32767, superuser)
 *		Upper bound on the KeyIDs create_tenant hands out, below the
 *		backend's own maximum (used to reserve KeyIDs, and by the tests to
 *		exhaust them).
 *
 * Invariants kept here:
 *	- Asking for tme-mk where it is missing is an error, both when the
 *	  setting is made (check hook, with the failed checks in the detail)
 *	  and when it is used; never a silent fallback to emulated.  That
 *	  includes a "tme-mk" set before the library was loaded, which
 *	  PostgreSQL itself would only warn about and replace by the default.
 *	- Defining the parameters probes nothing: the machine is probed the
 *	  first time a backend is resolved or tme-mk is requested.
 *	- The "tmebox" prefix is reserved, so a misspelt tmebox.* setting is
 *	  an error instead of a silently ignored placeholder.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <string.h>

#include "utils/guc.h"

#include "tpg_guc.h"

int			tpg_backend_setting = TPG_BACKEND_AUTO;
int			tpg_max_keyids_setting = KEYID_MAX;

static const struct config_enum_entry tpg_backend_options[] = {
	{"auto", TPG_BACKEND_AUTO, false},
	{"emulated", TPG_BACKEND_EMULATED, false},
	{"tme-mk", TPG_BACKEND_TME_MK, false},
	{NULL, 0, false}
};

/* Has the choice made by "auto" been logged in this process? */
static bool tpg_backend_logged = false;

/*
 * Was tme-mk asked for before this library was loaded (SET in the session,
 * postgresql.conf, ALTER ROLE ... SET) and refused when the setting was
 * defined?  PostgreSQL then only warns and keeps the default; we make every
 * use of the backend an error instead, until the setting is changed.
 */
static bool tpg_backend_refused = false;

/* The failed checks of a "tme-mk unavailable: ..." reason. */
static const char *
tpg_failed_checks(const char *reason)
{
	static const char prefix[] = "tme-mk unavailable: ";

	if (strncmp(reason, prefix, sizeof(prefix) - 1) == 0)
		return reason + sizeof(prefix) - 1;
	return reason;
}

static void
tpg_backend_assign(int newval, void *extra)
{
	tpg_backend_refused = false;
}

static bool
tpg_backend_check(int *newval, void **extra, GucSource source)
{
	const KeyidStatus *status;

	if (*newval != TPG_BACKEND_TME_MK)
		return true;
	status = keyid_status();
	if (status->tme_mk_available)
		return true;
	GUC_check_errdetail("The tme-mk KeyID backend is not available on this machine. Failed checks: %s.",
						tpg_failed_checks(status->reason));
	GUC_check_errhint("Set tmebox.backend to \"auto\" or \"emulated\".");
	return false;
}

void
tpg_guc_init(void)
{
	const char *pending = GetConfigOption("tmebox.backend", true, false);
	bool		wants_tme_mk = (pending != NULL &&
								 pg_strcasecmp(pending, "tme-mk") == 0);

	DefineCustomEnumVariable("tmebox.backend",
							 "KeyID backend for tenant memory: auto, emulated or tme-mk.",
							 "auto uses tme-mk when the CPU and kernel support it, else emulated.",
							 &tpg_backend_setting,
							 TPG_BACKEND_AUTO,
							 tpg_backend_options,
							 PGC_SUSET,
							 0,
							 tpg_backend_check,
							 tpg_backend_assign,
							 NULL);

	DefineCustomIntVariable("tmebox.max_keyids",
							"Highest KeyID given to a tenant.",
							"The KeyID backend's own maximum applies when it is lower.",
							&tpg_max_keyids_setting,
							KEYID_MAX,
							1,
							KEYID_MAX,
							PGC_SUSET,
							0,
							NULL,
							NULL,
							NULL);


	if (wants_tme_mk && tpg_backend_setting != TPG_BACKEND_TME_MK)
		tpg_backend_refused = true;
}

KeyidBackend
tpg_backend_current(char **reason)
{
	const KeyidStatus *status = keyid_status();
	KeyidBackend backend;

	if (tpg_backend_refused)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("KeyID backend \"tme-mk\" is not available"),
				 errdetail("tmebox.backend was set to \"tme-mk\" before tmebox was loaded. Failed checks: %s.",
						   tpg_failed_checks(status->reason)),
				 errhint("Set tmebox.backend to \"auto\" or \"emulated\".")));

	switch (tpg_backend_setting)
	{
		case TPG_BACKEND_TME_MK:
			if (!status->tme_mk_available)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("KeyID backend \"tme-mk\" is not available"),
						 errdetail("Failed checks: %s.",
								   tpg_failed_checks(status->reason))));
			backend = KEYID_BACKEND_TME_MK;
			if (reason)
				*reason = psprintf("selected by tmebox.backend; %s",
								   status->reason);
			break;
		case TPG_BACKEND_EMULATED:
			backend = KEYID_BACKEND_EMULATED;
			if (reason)
				*reason = psprintf("selected by tmebox.backend; %s",
								   status->reason);
			break;
		default:
			backend = status->tme_mk_available ? KEYID_BACKEND_TME_MK
				: KEYID_BACKEND_EMULATED;
			if (reason)
				*reason = pstrdup(status->reason);
			if (!tpg_backend_logged)
			{
				tpg_backend_logged = true;
				ereport(LOG,
						(errmsg("tmebox: KeyID backend \"%s\" chosen by tmebox.backend = auto",
								keyid_backend_name(backend)),
						 errdetail_internal("%s", status->reason)));
			}
			break;
	}
	return backend;
}

int
tpg_max_keyid(void)
{
	int			backend_max;

	if (tpg_backend_current(NULL) == KEYID_BACKEND_TME_MK)
		backend_max = keyid_status()->tme_mk_max_keyid;
	else
		backend_max = KEYID_EMULATED_MAX;
	return Min(backend_max, tpg_max_keyids_setting);
}
