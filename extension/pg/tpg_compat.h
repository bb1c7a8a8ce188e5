/*-------------------------------------------------------------------------
 *
 * tpg_compat.h
 *		Serving a database whose tmebox catalog is older than the library
 *		(tpg_compat.c): between `make install` of a new tmebox.so and
 *		ALTER EXTENSION tmebox UPDATE in that database.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_COMPAT_H
#define TPG_COMPAT_H

/* Does relation tmebox.RELNAME exist in this database's catalog? */
extern bool tpg_catalog_has(const char *relname);

/*
 * True while the database still has the 0.1 catalog: no view
 * tmebox.tenant_owner, no column tmebox.tenant.nsp, no tenant schemas.
 */
extern bool tpg_catalog_is_0_1(void);

/*
 * SQL text of a relation with columns name (text) and owner (regrole):
 * who owns each tenant now.  tmebox.tenant_owner on the 0.2 catalog, the
 * recorded owner of tmebox.tenant on 0.1.  A fixed string, for splicing
 * into the catalog queries after FROM / JOIN.
 */
extern const char *tpg_catalog_owner_rel(void);

#endif							/* TPG_COMPAT_H */
