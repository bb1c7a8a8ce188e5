/*-------------------------------------------------------------------------
 *
 * keyid_registry.h
 *		The text form of the cluster's KeyID registry ($PGDATA/pg_tmebox/
 *		keyids, extension/pg/tpg_keyreg.c): which database and tenant hold
 *		each KeyID, and which transactions are taking or giving one up.
 *
 * Plain C99 with no PostgreSQL dependency (unit-tested by
 * keyid_registry_test.c); the file I/O, locking and the transaction rules
 * are tpg_keyreg.c's.
 *
 * The form, one entry per line after a fixed first line:
 *
 *		tmebox keyids 1
 *		<keyid> <database OID> <tenant> <xmin> <xmax>
 *
 * keyid 1..KEYID_MAX, lines in ascending KeyID order, each KeyID once;
 * database a non-zero OID; tenant a tenant name (^[a-z_][a-z0-9_]{0,62}$);
 * xmin and xmax 64-bit full transaction ids in decimal, 0 for none: xmin
 * the transaction that took the KeyID (0: known committed), xmax one that
 * is dropping the tenant (0: none).  Single spaces, every line ends with
 * a newline, nothing else (no comments, no blank lines).
 *
 * Invariants kept by this module:
 *	- keyid_registry_parse accepts exactly that form and nothing else: any
 *	  other byte, a number out of range or with a sign or leading zero, a
 *	  duplicate or out-of-order KeyID, a missing newline, a file longer
 *	  than KEYID_REGISTRY_MAX_BYTES: false with a message naming the line,
 *	  never a crash or a read past LEN (the text need not be terminated).
 *	- keyid_registry_format writes what keyid_registry_parse reads back
 *	  to the same table.
 *
 *-------------------------------------------------------------------------
 */
#ifndef KEYID_REGISTRY_H
#define KEYID_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyid.h"

#define KEYID_REGISTRY_HEADER		"tmebox keyids 1\n"
#define KEYID_REGISTRY_NAME_MAX		63
/* the longest line: 5 + 10 + 63 + 20 + 20 digits/characters, 4 spaces, \n */
#define KEYID_REGISTRY_LINE_MAX		123
#define KEYID_REGISTRY_MAX_BYTES \
	(sizeof(KEYID_REGISTRY_HEADER) + (size_t) KEYID_MAX * KEYID_REGISTRY_LINE_MAX)

/* One KeyID's entry; database 0 means the KeyID is free. */
typedef struct KeyidRegEntry
{
	uint32_t	database;
	char		tenant[KEYID_REGISTRY_NAME_MAX + 1];
	uint64_t	xmin;
	uint64_t	xmax;
} KeyidRegEntry;

/*
 * The registry as a table indexed by KeyID: table[0] is unused (KeyID 0
 * is the host's), table[k].database == 0 means KeyID k is free.
 */
typedef struct KeyidRegistry
{
	KeyidRegEntry table[KEYID_MAX + 1];
} KeyidRegistry;

/*
 * Fill REG (which the caller zeroed) from TEXT of LEN bytes.  False, with
 * a message in ERR, when the text is not exactly the form above.
 */
extern bool keyid_registry_parse(const char *text, size_t len,
								 KeyidRegistry *reg, char *err, size_t errlen);

/*
 * Write REG's entries in the form above into BUF (BUFLEN bytes, at most
 * KEYID_REGISTRY_MAX_BYTES needed); returns the length written, without a
 * terminating NUL (written too when there is room).
 */
extern size_t keyid_registry_format(const KeyidRegistry *reg, char *buf,
									size_t buflen);

/* Is NAME a valid tenant name for an entry? */
extern bool keyid_registry_name_ok(const char *name);

#endif							/* KEYID_REGISTRY_H */
