/*-------------------------------------------------------------------------
 *
 * tpg_depend.h
 *		Functions that depend on a module's exports (tpg_depend.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_DEPEND_H
#define TPG_DEPEND_H

/*
 * Before module MODULE of TENANT is dropped (new_object NULL) or replaced
 * by NEW_OBJECT (old_object: the module file it replaces): the LANGUAGE
 * tmebox functions that run in TENANT and are bound to an export the
 * change removes or changes the signature of.  Without CASCADE their
 * existence is an error (2BP01) naming them; with it they are dropped
 * (DROP FUNCTION ... CASCADE, as the current user).
 */
extern void tpg_depend_check(const char *tenant, const char *module,
							const bytea *old_object, const bytea *new_object,
							bool cascade);

#endif							/* TPG_DEPEND_H */
