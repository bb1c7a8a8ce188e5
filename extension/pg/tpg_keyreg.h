/*-------------------------------------------------------------------------
 *
 * tpg_keyreg.h
 *		The cluster's KeyID registry (tpg_keyreg.c): one KeyID is held by
 *		at most one tenant of one database of the cluster.
 *
 * Called by create_tenant, drop_tenant (tpg_tenant.c) and the trigger
 * tenant_keyid on tmebox.tenant (a restore's rows); never on a hot
 * standby, never from the call path.  The rules: extension/DESIGN.md
 * section 6, "KeyIDs across the cluster".
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_KEYREG_H
#define TPG_KEYREG_H

/* One tenant of this database as create_tenant sees it. */
typedef struct TpgKeyregTenant
{
	char	   *name;
	int			keyid;			/* its KeyID in tmebox.tenant */
	int			new_keyid;		/* out: the KeyID it must get instead (or keyid) */
} TpgKeyregTenant;

/*
 * create_tenant, holding SHARE ROW EXCLUSIVE on tmebox.tenant: record
 * this database's TENANTS (every row, latest snapshot) in the registry,
 * forget this database's entries no row has, give every tenant whose
 * KeyID another database holds a new one (new_keyid: the caller updates
 * its row), and take the lowest free KeyID up to MAX_KEYID for tenant
 * NAME in the current transaction.  Returns that KeyID; 53400 naming the
 * databases that hold KeyIDs when none is free.
 */
extern int	tpg_keyreg_take(const char *name, int max_keyid,
							TpgKeyregTenant *tenants, int ntenants);

/*
 * A row of tenant NAME with KEYID is being inserted (trigger
 * tenant_keyid): the KeyID it may have, KEYID itself when this database
 * already holds it for NAME (create_tenant's own row) or it was free, else
 * the lowest free one up to MAX_KEYID, with a WARNING.
 */
extern int	tpg_keyreg_claim(const char *name, int keyid, int max_keyid);

/* drop_tenant deleted the row of tenant NAME, which had KEYID. */
extern void tpg_keyreg_release(const char *name, int keyid);

#endif							/* TPG_KEYREG_H */
