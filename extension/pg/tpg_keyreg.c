/*-------------------------------------------------------------------------
 *
 * tpg_keyreg.c
 *		The cluster's KeyID registry: $PGDATA/pg_tmebox/keyids says which
 *		database and tenant hold each KeyID (the hardware key table is per
 *		machine, so two databases must never hand out the same one).
 *
 * The registry is a file, not shared memory: tmebox is usually loaded on
 * demand, not preloaded.  Its form is keyid_registry.h's; each entry is
 * KeyID -> (database OID, tenant, xmin, xmax), read like a heap tuple:
 *
 *	- xmin is the (full, possibly sub-) transaction that took the KeyID,
 *	  xmax one that is dropping the tenant; 0 is none.  An entry holds its
 *	  KeyID unless xmin aborted, xmax committed or its database is gone
 *	  (no pg_database row of that OID; DROP DATABASE frees its KeyIDs).
 *	  Every writer first resolves every entry: finished xids become 0
 *	  (xmin committed, xmax aborted) or free the entry.  The status of an
 *	  xid no longer in pg_xact, or from the future (a registry copied from
 *	  another cluster), is unknown and read as "still held": a leak at
 *	  worst, never a duplicate.
 *	- An xid is named in the file only after a WAL record carrying it is
 *	  flushed (a transactional logical message, prefix "tmebox"): else a
 *	  crash could lose it and a later transaction reuse it, so that a
 *	  stale xmax would read as committed and free a KeyID still held.
 *	- Writers hold an exclusive flock on pg_tmebox/keyids.lock (a
 *	  transient file: closed, so unlocked, at abort; the kernel unlocks it
 *	  when a backend dies) from reading the file to renaming the new one
 *	  into place (written, fsynced, durable_rename): a crash leaves the
 *	  old file or the new one, never a torn one.  Waiting for the lock
 *	  polls, so it can be cancelled.  No SPI or catalog writes run while
 *	  it is held.
 *	- create_tenant reconciles its own database under its table lock:
 *	  entries of this database that no row backs and no transaction is
 *	  working on are freed (a drop_tenant whose xmax could not be read, a
 *	  DROP EXTENSION followed by CREATE EXTENSION), rows no entry backs
 *	  are recorded (tenants from before the registry, CREATE DATABASE ...
 *	  TEMPLATE, a registry lost or moved away), and a row whose KeyID
 *	  another database holds gets a new one.  Other databases' tenant
 *	  tables are never read (they cannot be), so a database that dropped
 *	  tmebox keeps its KeyIDs until it is dropped or creates tmebox and a
 *	  tenant again; databases without tmebox never touch the file.
 *	- A hot standby never writes it (25006 before anything is touched).
 *	- A file that is not exactly the registry's form is refused with
 *	  XX001 naming the file and the line; nothing is written over it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/transam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "commands/dbcommands.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/message.h"
#include "storage/fd.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/procarray.h"
#include "utils/inval.h"
#include "utils/syscache.h"
#include "utils/wait_event.h"

#include "keyid_registry.h"
#include "tpg_keyreg.h"

#define KEYREG_DIR		"pg_tmebox"
#define KEYREG_FILE		KEYREG_DIR "/keyids"
#define KEYREG_TMP		KEYREG_DIR "/keyids.tmp"
#define KEYREG_LOCK		KEYREG_DIR "/keyids.lock"

/* The registry while a writer holds the lock. */
typedef struct Keyreg
{
	int			lockfd;
	uint64		xid;			/* this (sub)transaction, durable */
	bool		dirty;
	KeyidRegistry *reg;
} Keyreg;

typedef enum KeyregXid
{
	KEYREG_RUNNING,
	KEYREG_COMMITTED,
	KEYREG_ABORTED,
	KEYREG_UNKNOWN
} KeyregXid;

/*
 * The current (sub)transaction's full xid, after a flushed WAL record
 * carries it (recovery then advances the xid counter past it).
 */
static uint64
keyreg_durable_xid(void)
{
	FullTransactionId fxid = GetCurrentFullTransactionId();

	XLogFlush(LogLogicalMessage("tmebox", "keyid", 5, true));
	return U64FromFullTransactionId(fxid);
}

/* What became of transaction FXID (as pg_xact_status decides). */
static KeyregXid
keyreg_xid_status(uint64 fxid)
{
	FullTransactionId next = ReadNextFullTransactionId();
	TransactionId xid = (TransactionId) fxid;
	KeyregXid	status;

	if (fxid >= U64FromFullTransactionId(next))
		return KEYREG_UNKNOWN;
	if (U64FromFullTransactionId(next) - fxid >= (uint64) MaxTransactionId / 2)
		return KEYREG_UNKNOWN;
	if (!TransactionIdIsNormal(xid))
		return KEYREG_UNKNOWN;
	LWLockAcquire(XactTruncationLock, LW_SHARED);
	if (TransactionIdPrecedes(xid, ShmemVariableCache->oldestClogXid))
		status = KEYREG_UNKNOWN;
	else if (TransactionIdIsCurrentTransactionId(xid) ||
			 TransactionIdIsInProgress(xid))
		status = KEYREG_RUNNING;
	else if (TransactionIdDidCommit(xid))
		status = KEYREG_COMMITTED;
	else
		status = KEYREG_ABORTED;
	LWLockRelease(XactTruncationLock);
	return status;
}

/* Free finished entries, forget finished xids (the rules above). */
static void
keyreg_resolve(Keyreg *kr)
{
	int			k;

	AcceptInvalidationMessages();	/* see databases dropped meanwhile */
	for (k = 1; k <= KEYID_MAX; k++)
	{
		KeyidRegEntry *e = &kr->reg->table[k];
		bool		gone = false;

		if (e->database == 0)
			continue;
		if (e->xmin != 0)
		{
			switch (keyreg_xid_status(e->xmin))
			{
				case KEYREG_RUNNING:
					break;
				case KEYREG_ABORTED:
					gone = true;
					break;
				default:
					e->xmin = 0;
					kr->dirty = true;
			}
		}
		if (e->xmax != 0 && !gone)
		{
			switch (keyreg_xid_status(e->xmax))
			{
				case KEYREG_RUNNING:
					break;
				case KEYREG_COMMITTED:
					gone = true;
					break;
				default:
					e->xmax = 0;
					kr->dirty = true;
			}
		}
		if (!gone && e->database != MyDatabaseId &&
			!SearchSysCacheExists1(DATABASEOID, ObjectIdGetDatum(e->database)))
			gone = true;
		if (gone)
		{
			memset(e, 0, sizeof(*e));
			kr->dirty = true;
		}
	}
}

/* Read the registry file into kr->reg (a missing file is empty). */
static void
keyreg_read(Keyreg *kr)
{
	int			fd;
	struct stat st;
	char	   *text;
	ssize_t		got;
	char		err[256];

	fd = OpenTransientFile(KEYREG_FILE, O_RDONLY | PG_BINARY);
	if (fd < 0)
	{
		if (errno == ENOENT)
			return;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open tmebox's KeyID registry \"%s\": %m", KEYREG_FILE)));
	}
	if (fstat(fd, &st) < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat tmebox's KeyID registry \"%s\": %m", KEYREG_FILE)));
	if ((size_t) st.st_size > KEYID_REGISTRY_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("tmebox's KeyID registry \"%s\" is corrupt", KEYREG_FILE),
				 errdetail("It is %lld bytes long, more than a registry can be.",
						   (long long) st.st_size)));
	text = palloc(st.st_size + 1);
	pgstat_report_wait_start(PG_WAIT_EXTENSION);
	got = read(fd, text, st.st_size);
	pgstat_report_wait_end();
	if (got < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read tmebox's KeyID registry \"%s\": %m", KEYREG_FILE)));
	if (got != st.st_size)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not read tmebox's KeyID registry \"%s\": read %zd of %zu bytes",
						KEYREG_FILE, got, (size_t) st.st_size)));
	CloseTransientFile(fd);
	if (!keyid_registry_parse(text, got, kr->reg, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("tmebox's KeyID registry \"%s\" is corrupt", KEYREG_FILE),
				 errdetail("%s.", err),
				 errhint("Stop the server and move the file away; each database's create_tenant then records its tenants again, giving new KeyIDs to those another database took first.")));
	pfree(text);
}

/* Write kr->reg crash-safely in place of the registry file. */
static void
keyreg_write(Keyreg *kr)
{
	char	   *text = palloc(KEYID_REGISTRY_MAX_BYTES + 1);
	size_t		len = keyid_registry_format(kr->reg, text, KEYID_REGISTRY_MAX_BYTES + 1);
	int			fd;

	fd = OpenTransientFile(KEYREG_TMP, O_WRONLY | O_CREAT | O_TRUNC | PG_BINARY);
	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create \"%s\": %m", KEYREG_TMP)));
	pgstat_report_wait_start(PG_WAIT_EXTENSION);
	errno = 0;
	if (write(fd, text, len) != (ssize_t) len)
	{
		if (errno == 0)
			errno = ENOSPC;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not write \"%s\": %m", KEYREG_TMP)));
	}
	if (pg_fsync(fd) != 0)
		ereport(data_sync_elevel(ERROR),
				(errcode_for_file_access(),
				 errmsg("could not fsync \"%s\": %m", KEYREG_TMP)));
	pgstat_report_wait_end();
	if (CloseTransientFile(fd) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not close \"%s\": %m", KEYREG_TMP)));
	durable_rename(KEYREG_TMP, KEYREG_FILE, ERROR);
	pfree(text);
}

/*
 * Lock and read the registry and resolve its entries, for a write by the
 * current transaction.
 */
static void
keyreg_open(Keyreg *kr)
{
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot change tmebox's KeyID registry during recovery")));
	kr->xid = keyreg_durable_xid();
	kr->dirty = false;
	if (MakePGDirectory(KEYREG_DIR) == 0)
	{
		fsync_fname(KEYREG_DIR, true);
		fsync_fname(".", true);
	}
	else if (errno != EEXIST)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create directory \"%s\": %m", KEYREG_DIR)));
	kr->lockfd = OpenTransientFile(KEYREG_LOCK, O_RDWR | O_CREAT | PG_BINARY);
	if (kr->lockfd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open \"%s\": %m", KEYREG_LOCK)));
	while (flock(kr->lockfd, LOCK_EX | LOCK_NB) != 0)
	{
		if (errno != EWOULDBLOCK && errno != EINTR)
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not lock \"%s\": %m", KEYREG_LOCK)));
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 1L, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	kr->reg = palloc0(sizeof(KeyidRegistry));
	keyreg_read(kr);
	keyreg_resolve(kr);
}

/* Write the registry if it changed, then unlock it. */
static void
keyreg_close(Keyreg *kr)
{
	if (kr->dirty)
		keyreg_write(kr);
	CloseTransientFile(kr->lockfd);
	pfree(kr->reg);
}

/* Record that this database's tenant NAME holds KEYID. */
static void
keyreg_set(Keyreg *kr, int keyid, const char *name, uint64 xmin)
{
	KeyidRegEntry *e = &kr->reg->table[keyid];

	if (!keyid_registry_name_ok(name))
		elog(ERROR, "tenant name \"%s\" cannot be recorded in the KeyID registry", name);
	e->database = MyDatabaseId;
	strlcpy(e->tenant, name, sizeof(e->tenant));
	e->xmin = xmin;
	e->xmax = 0;
	kr->dirty = true;
}

/*
 * The lowest free KeyID up to MAX_KEYID; else 53400 naming who holds
 * them (the lock is released by the abort).
 */
static int
keyreg_free_keyid(Keyreg *kr, const char *name, int max_keyid)
{
	StringInfoData holders;
	int			k;

	for (k = 1; k <= max_keyid && k <= KEYID_MAX; k++)
		if (kr->reg->table[k].database == 0)
			return k;

	initStringInfo(&holders);
	for (k = 1; k <= max_keyid && k <= KEYID_MAX; k++)
	{
		Oid			db = kr->reg->table[k].database;
		int			count = 0;
		int			j;
		char	   *dbname;

		if (db == InvalidOid)
			continue;
		for (j = k; j <= max_keyid && j <= KEYID_MAX; j++)
			if (kr->reg->table[j].database == db)
			{
				if (j > k)
					kr->reg->table[j].database = InvalidOid;	/* counted */
				count++;
			}
		if (holders.len > 0)
			appendStringInfoString(&holders, ", ");
		if (db == MyDatabaseId)
			appendStringInfo(&holders, "%d by this database", count);
		else if ((dbname = get_database_name(db)) != NULL)
			appendStringInfo(&holders, "%d by database \"%s\"", count, dbname);
		else
			appendStringInfo(&holders, "%d by database %u", count, db);
	}
	ereport(ERROR,
			(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
			 errmsg("no free KeyID for tenant \"%s\"", name),
			 errdetail("KeyIDs 1 to %d are all in use: %s.", max_keyid, holders.data),
			 errhint("Drop an unused tenant, or raise tmebox.max_keyids if it is below the backend's maximum.")));
	return 0;					/* not reached */
}

int
tpg_keyreg_take(const char *name, int max_keyid, TpgKeyregTenant *tenants,
				int ntenants)
{
	Keyreg		kr;
	bool	   *backed = palloc0(sizeof(bool) * (KEYID_MAX + 1));
	int			keyid;
	int			i;
	int			k;

	keyreg_open(&kr);
	/* every row of this database is recorded, or must move */
	for (i = 0; i < ntenants; i++)
	{
		KeyidRegEntry *e;

		k = tenants[i].keyid;
		tenants[i].new_keyid = k;
		if (k < 1 || k > KEYID_MAX)
			continue;
		e = &kr.reg->table[k];
		if (e->database == InvalidOid)
			keyreg_set(&kr, k, tenants[i].name, 0);
		else if (e->database == MyDatabaseId)
		{
			if (strcmp(e->tenant, tenants[i].name) != 0)
			{
				strlcpy(e->tenant, tenants[i].name, sizeof(e->tenant));
				kr.dirty = true;
			}
		}
		else
		{
			tenants[i].new_keyid = 0;
			continue;
		}
		backed[k] = true;
	}
	/* entries of this database no row backs and nobody works on */
	for (k = 1; k <= KEYID_MAX; k++)
	{
		KeyidRegEntry *e = &kr.reg->table[k];

		if (e->database == MyDatabaseId && !backed[k] &&
			e->xmin == 0 && e->xmax == 0)
		{
			memset(e, 0, sizeof(*e));
			kr.dirty = true;
		}
	}
	for (i = 0; i < ntenants; i++)
		if (tenants[i].new_keyid == 0)
		{
			tenants[i].new_keyid = keyreg_free_keyid(&kr, tenants[i].name, max_keyid);
			keyreg_set(&kr, tenants[i].new_keyid, tenants[i].name, kr.xid);
		}
	keyid = keyreg_free_keyid(&kr, name, max_keyid);
	keyreg_set(&kr, keyid, name, kr.xid);
	keyreg_close(&kr);
	pfree(backed);
	return keyid;
}

int
tpg_keyreg_claim(const char *name, int keyid, int max_keyid)
{
	Keyreg		kr;
	KeyidRegEntry *e;
	Oid			holder;
	int			result = keyid;

	if (keyid < 1 || keyid > KEYID_MAX || !keyid_registry_name_ok(name))
		return keyid;			/* the row's CHECK constraints refuse it */
	keyreg_open(&kr);
	e = &kr.reg->table[keyid];
	holder = e->database;
	if (holder == InvalidOid)
		keyreg_set(&kr, keyid, name, kr.xid);
	else if (holder != MyDatabaseId || strcmp(e->tenant, name) != 0)
	{
		char	   *dbname = holder == MyDatabaseId ? NULL : get_database_name(holder);

		result = keyreg_free_keyid(&kr, name, max_keyid);
		keyreg_set(&kr, result, name, kr.xid);
		ereport(WARNING,
				(errmsg("tmebox tenant \"%s\" gets KeyID %d instead of %d", name, result, keyid),
				 holder == MyDatabaseId ?
				 errdetail("KeyID %d is held by tenant \"%s\" of this database.", keyid, e->tenant) :
				 errdetail("KeyID %d is held by database \"%s\"; a KeyID belongs to one database of the cluster.",
						   keyid, dbname ? dbname : "?")));
	}
	keyreg_close(&kr);
	return result;
}

void
tpg_keyreg_release(const char *name, int keyid)
{
	Keyreg		kr;
	KeyidRegEntry *e;

	if (keyid < 1 || keyid > KEYID_MAX)
		return;
	keyreg_open(&kr);
	e = &kr.reg->table[keyid];
	if (e->database == MyDatabaseId)
	{
		e->xmax = kr.xid;
		kr.dirty = true;
	}
	keyreg_close(&kr);
}
