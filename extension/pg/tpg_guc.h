/*-------------------------------------------------------------------------
 *
 * tpg_guc.h
 *		tmebox's configuration parameters (all of them, tpg_guc.c) and the
 *		KeyID backend they select.
 *
 * Invariants kept here:
 *	- tmebox.backend can hold "tme-mk" only where tme-mk is available (its
 *	  check hook refuses it otherwise); tpg_backend_current() re-checks and
 *	  raises an error rather than ever falling back silently.
 *	- tpg_max_keyid() never exceeds the backend's own maximum: the
 *	  tmebox.max_keyids setting can only lower it.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_GUC_H
#define TPG_GUC_H

#include "keyid.h"

/* Values of tmebox.backend. */
typedef enum TpgBackendSetting
{
	TPG_BACKEND_AUTO,
	TPG_BACKEND_EMULATED,
	TPG_BACKEND_TME_MK
} TpgBackendSetting;

extern int	tpg_backend_setting;
extern int	tpg_max_keyids_setting;
extern int	tpg_encrypt_mprotect_syscall;
extern int	tpg_tme_mk_algorithm;

/* Compiling (tpg_compile.c, tpg_objcache.c) */
extern char *tmebox_compiler_path;
extern char *tmebox_sandbox_dir;
extern int	tmebox_compile_timeout;
extern int	tmebox_compile_memory_limit;
/* The language (pl/) */
extern char *tmebox_current_tenant;
extern bool tmebox_array_nulls;	/* only proconfig's counts (pl_bind.c) */
extern int	tmebox_max_instances;

/* Define the parameters; called from _PG_init, cheap (probes nothing). */
extern void tpg_guc_init(void);

/*
 * The KeyID backend in use and, if reason is not NULL, a palloc'd text
 * saying why.  Probes the machine on first use in this process.
 */
extern KeyidBackend tpg_backend_current(char **reason);

/* Highest KeyID create_tenant may hand out now (>= 1). */
extern int	tpg_max_keyid(void);

#endif							/* TPG_GUC_H */
