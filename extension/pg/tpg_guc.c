/*-------------------------------------------------------------------------
 *
 * tpg_guc.c
 *		Every configuration parameter of tmebox (the one place that defines
 *		them) and the choice of KeyID backend.
 *
 *	tmebox.backend (auto | emulated | tme-mk, superuser)
 *		Which KeyID backend to use.  auto takes tme-mk when every check of
 *		extension/keyid passes, else emulated.
 *	tmebox.encrypt_mprotect_syscall (superuser, default 451)
 *		The number of the TME-MK kernel's encrypt_mprotect system call:
 *		451 in Intel Labs' Linux 5.15 port, other numbers in other patch
 *		series.  Detection probes it and the tme-mk backend maps views
 *		with it; it is written nowhere else.
 *	tmebox.tme_mk_algorithm (aes-xts-128 | aes-xts-128-i | aes-xts-256,
 *	superuser)
 *		The algorithm of tenants' keys on tme-mk; -i adds integrity, whose
 *		violations that kernel delivers as SIGBUS: a crash of every
 *		session (README, KeyID backends).
 *	tmebox.max_keyids (1..32767, superuser)
 *		Upper bound on the KeyIDs create_tenant hands out, below the
 *		backend's own maximum (used to reserve KeyIDs, and by the tests to
 *		exhaust them).
 *	tmebox.compiler_path, tmebox.sandbox_dir, tmebox.compile_timeout,
 *	tmebox.compile_memory_limit (superuser)
 *		The compiler the backend runs, the sandbox headers and libc it
 *		compiles against, and its limits (tpg_compile.c).
 *	tmebox.max_instances (superuser)
 *		Most sandbox instances one backend keeps resident (pl_cache.c).
 *	tmebox.tenant (any user)
 *		The tenant of DO blocks; a function's own SET clause names its.
 *	tmebox.array_nulls (any user, default off)
 *		Means something only in a function's own SET clause (pl_bind.c
 *		reads it from proconfig): that function takes arrays with NULL
 *		elements and several dimensions, with their shape (README, Array
 *		shapes).  Without it those arguments are refused, as before shapes
 *		existed, so code that never asks for a shape cannot read a NULL
 *		element as 0 or a grid as a list.
 *
 * Invariants kept here:
 *	- Asking for tme-mk where it is missing is an error, both when the
 *	  setting is made (check hook, with the failed checks in the detail)
 *	  and when it is used; never a silent fallback to emulated.  That
 *	  includes a "tme-mk" set before the library was loaded, which
 *	  PostgreSQL itself would only warn about and replace by the default.
 *	- Defining the parameters probes nothing: the machine is probed the
 *	  first time a backend is resolved or tme-mk is requested.
 *	- The runtime asks tpg_keyid_choose before every sandbox it creates:
 *	  the backend tpg_backend_current() decides (an ERROR where tme-mk
 *	  was asked for and is missing), with the two tme-mk settings.
 *	- The "tmebox" prefix is reserved (by _PG_init, after this), so a
 *	  misspelt tmebox.* setting is an error instead of a silently ignored
 *	  placeholder.
 *	- Everything that names a program or directory the backend executes or
 *	  reads (compiler path, sandbox directory) and every resource limit of
 *	  compilation is PGC_SUSET: a tenant can never point the server at a
 *	  program of its choosing or lift its own limits.
 *	- tmebox.tenant is PGC_USERSET: it only selects among tenants the
 *	  function's owner is allowed to use, which is checked at every bind.
 *	  A function's tenant comes from its own SET clause (proconfig), never
 *	  from the caller's session; the session value serves DO blocks.
 *	- tmebox.array_nulls is PGC_USERSET and its session value changes
 *	  nothing: only a function's own SET clause counts (a caller must not
 *	  change what another's function receives).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <string.h>

#include "miscadmin.h"
#include "utils/guc.h"

#include "tmebox_rt.h"
#include "tpg_guc.h"

#ifndef TMEBOX_BINDIR
#define TMEBOX_BINDIR "/usr/lib/postgresql/15/bin"
#endif
#ifndef TMEBOX_SHAREDIR
#define TMEBOX_SHAREDIR "/usr/share/postgresql/15"
#endif

int			tpg_backend_setting = TPG_BACKEND_AUTO;
int			tpg_max_keyids_setting = KEYID_MAX;
int			tpg_encrypt_mprotect_syscall = 451;
int			tpg_tme_mk_algorithm = TMEBOX_TMEMK_AES_XTS_128;
char	   *tmebox_compiler_path = NULL;
char	   *tmebox_sandbox_dir = NULL;
int			tmebox_compile_timeout = 30;
int			tmebox_compile_memory_limit = 2048;
char	   *tmebox_current_tenant = NULL;
bool		tmebox_array_nulls = false;
int			tmebox_max_instances = 10000;

static const struct config_enum_entry tpg_backend_options[] = {
	{"auto", TPG_BACKEND_AUTO, false},
	{"emulated", TPG_BACKEND_EMULATED, false},
	{"tme-mk", TPG_BACKEND_TME_MK, false},
	{NULL, 0, false}
};

static const struct config_enum_entry tpg_algorithm_options[] = {
	{"aes-xts-128", TMEBOX_TMEMK_AES_XTS_128, false},
	{"aes-xts-128-i", TMEBOX_TMEMK_AES_XTS_128_I, false},
	{"aes-xts-256", TMEBOX_TMEMK_AES_XTS_256, false},
	{NULL, 0, false}
};

static int	tpg_keyid_choose(tmebox_keyid_config *cfg, char *err, size_t errlen);

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
	status = keyid_status(tpg_encrypt_mprotect_syscall);
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

	/* before tmebox.backend, whose check probes the system call */
	DefineCustomIntVariable("tmebox.encrypt_mprotect_syscall",
							"System call number of the TME-MK kernel's encrypt_mprotect.",
							"451 in Intel Labs' Linux 5.15 TME-MK port; other patch series used other numbers.",
							&tpg_encrypt_mprotect_syscall,
							451,
							1,
							4095,
							PGC_SUSET,
							0,
							NULL,
							NULL,
							NULL);
	DefineCustomEnumVariable("tmebox.tme_mk_algorithm",
							 "Algorithm of tenants' keys on the tme-mk backend.",
							 "aes-xts-128-i adds integrity: a violation crashes every session.",
							 &tpg_tme_mk_algorithm,
							 TMEBOX_TMEMK_AES_XTS_128,
							 tpg_algorithm_options,
							 PGC_SUSET,
							 0,
							 NULL,
							 NULL,
							 NULL);

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
	DefineCustomStringVariable("tmebox.compiler_path",
							   "Path of the tmebox-cc compiler.",
							   NULL,
							   &tmebox_compiler_path,
							   TMEBOX_BINDIR "/tmebox-cc",
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("tmebox.sandbox_dir",
							   "Directory holding the sandbox headers and libc.",
							   NULL,
							   &tmebox_sandbox_dir,
							   TMEBOX_SHAREDIR "/tmebox/sandbox",
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);
	DefineCustomIntVariable("tmebox.compile_timeout",
							"Wall-clock limit for compiling one module.",
							NULL,
							&tmebox_compile_timeout,
							30, 1, 3600,
							PGC_SUSET, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomIntVariable("tmebox.compile_memory_limit",
							"Address-space limit of the compiler, in megabytes.",
							NULL,
							&tmebox_compile_memory_limit,
							2048, 256, 65536,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("tmebox.max_instances",
							"Most sandbox instances one backend keeps resident.",
							NULL,
							&tmebox_max_instances,
							10000, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomStringVariable("tmebox.tenant",
							   "Tenant that runs the code of a role owning several tenants.",
							   "A function's own SET clause chooses its tenant; set in the session, it chooses the tenant of DO blocks only.",
							   &tmebox_current_tenant,
							   "",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
	DefineCustomBoolVariable("tmebox.array_nulls",
							 "In a function's SET clause: its array arguments may have NULL elements and several dimensions.",
							 "Only a function's own SET clause counts; set in the session, it changes nothing.",
							 &tmebox_array_nulls,
							 false,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	if (wants_tme_mk && tpg_backend_setting != TPG_BACKEND_TME_MK)
		tpg_backend_refused = true;
	tmebox_rt_set_keyid_chooser(tpg_keyid_choose);
}

/*
 * The runtime's chooser (tmebox_rt_set_keyid_chooser): the backend every
 * new sandbox's view is mapped with.  Where tme-mk is asked for and
 * missing, the ERROR of tpg_backend_current becomes the runtime's error
 * text (the caller has things to free, so nothing may longjmp past it).
 */
static int
tpg_keyid_choose(tmebox_keyid_config *cfg, char *err, size_t errlen)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	volatile int rc = 0;

	/*
	 * A cancel or timeout arriving here would be caught below and become
	 * this sandbox's creation error (53200 instead of 57014): hold it for
	 * the next CHECK_FOR_INTERRUPTS.
	 */
	HOLD_INTERRUPTS();
	PG_TRY();
	{
		cfg->backend = tpg_backend_current(NULL) == KEYID_BACKEND_TME_MK ?
			TMEBOX_KEYID_TME_MK : TMEBOX_KEYID_EMULATED;
		cfg->sys_encrypt_mprotect = tpg_encrypt_mprotect_syscall;
		cfg->algorithm = (tmebox_tmemk_algorithm) tpg_tme_mk_algorithm;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		snprintf(err, errlen, "%s: %s", edata->message,
				 edata->detail ? edata->detail : "");
		FreeErrorData(edata);
		rc = -1;
	}
	PG_END_TRY();
	RESUME_INTERRUPTS();
	return rc;
}

KeyidBackend
tpg_backend_current(char **reason)
{
	const KeyidStatus *status = keyid_status(tpg_encrypt_mprotect_syscall);
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
		backend_max = keyid_status(tpg_encrypt_mprotect_syscall)->tme_mk_max_keyid;
	else
		backend_max = KEYID_EMULATED_MAX;
	return Min(backend_max, tpg_max_keyids_setting);
}
