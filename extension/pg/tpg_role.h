/*-------------------------------------------------------------------------
 *
 * tpg_role.h
 *		Tenants whose owner role was missing when they were restored
 *		(tpg_role.c: the type tmebox.role_ref of tmebox.tenant.owner).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_ROLE_H
#define TPG_ROLE_H

/*
 * ERROR (55000, hint alter_tenant) when OWNERLESS: tenant TENANT's
 * recorded owner is InvalidOid, so it runs no code.
 */
extern void tpg_role_check_tenant(const char *tenant, bool ownerless);

#endif							/* TPG_ROLE_H */
