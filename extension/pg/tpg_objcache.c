/*-------------------------------------------------------------------------
 *
 * tpg_objcache.c
 *		Compile once: compiled objects shared by every tenant and session,
 *		keyed by the compiler build, the compile options and the source.
 *
 * tpg_compile_cached() is what every compile of the language layer
 * calls (function bodies, modules, DO blocks).  A hit in
 * tmebox.compiled_object spares tmebox-cc altogether (a small body takes
 * it 0.4-1 s); a miss compiles and records the object.  Fifty tenants
 * creating the same body compile it once; a hot standby reads the objects
 * its primary recorded.
 *
 * Invariants kept here:
 *	- The key is the SHA-256 of the compiler build (the tmebox-cc
 *	  executable and every file of the sandbox directory: headers and
 *	  libc), the options that change the output (prelude, display name:
 *	  __FILE__) and the source; a new build never meets an old build's
 *	  objects.
 *	- Only objects tmebox-cc produced in this backend are recorded, as the
 *	  catalog owner (tpg_catalog_run): tenants cannot write the table.
 *	  Every object is still verified by the runtime's loader before each
 *	  load, so a cached object is trusted no more than a fresh one.
 *	- Compile errors are not cached (their diagnostics come from a fresh
 *	  run).  Nothing is written on a hot standby or in a read-only
 *	  transaction.
 *	- The cache is not dumped (a cache: pg_dump leaves it out, and a
 *	  restored database fills it again).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sys/stat.h>

#include "access/xact.h"
#include "access/xlog.h"
#include "common/cryptohash.h"
#include "lib/stringinfo.h"
#include "storage/fd.h"
#include "utils/memutils.h"

#include "tpg_catalog.h"
#include "tpg_compile.h"
#include "tpg_guc.h"

/* The build id and what it was computed from (see tpg_build_id). */
static char tpg_build_hex[65];
static struct stat tpg_build_cc_st;
static struct stat tpg_build_libc_st;
static char *tpg_build_paths = NULL;	/* compiler path '\n' sandbox dir */

static void
tpg_hash_update(pg_cryptohash_ctx *ctx, const void *data, size_t len)
{
	if (pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
}

/* Hash a file's name (relative to the sandbox directory) and content. */
static void
tpg_hash_file(pg_cryptohash_ctx *ctx, const char *path, const char *name)
{
	int			fd;
	char		buf[65536];
	ssize_t		n;

	fd = OpenTransientFile(path, O_RDONLY | PG_BINARY);
	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\": %m", path)));
	tpg_hash_update(ctx, name, strlen(name) + 1);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		tpg_hash_update(ctx, buf, (size_t) n);
	if (n < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read file \"%s\": %m", path)));
	CloseTransientFile(fd);
}

static int
tpg_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Every regular file under dir/rel, in name order, recursively. */
static void
tpg_hash_tree(pg_cryptohash_ctx *ctx, const char *dir, const char *rel)
{
	char		path[MAXPGPATH];
	DIR		   *d;
	struct dirent *de;
	char	  **names = NULL;
	int			n = 0,
				cap = 0,
				i;

	snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "", rel);
	d = AllocateDir(path);
	while ((de = ReadDir(d, path)) != NULL)
	{
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap)
		{
			cap = cap ? cap * 2 : 32;
			names = names ? repalloc(names, cap * sizeof(char *)) : palloc(cap * sizeof(char *));
		}
		names[n++] = pstrdup(de->d_name);
	}
	FreeDir(d);
	if (n > 1)
		qsort(names, n, sizeof(char *), tpg_name_cmp);
	for (i = 0; i < n; i++)
	{
		char		sub[MAXPGPATH];
		char		full[MAXPGPATH];
		struct stat st;

		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
		snprintf(full, sizeof(full), "%s/%s", dir, sub);
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			tpg_hash_tree(ctx, dir, sub);
		else if (S_ISREG(st.st_mode))
			tpg_hash_file(ctx, full, sub);
	}
}

static bool
tpg_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
		a->st_size == b->st_size && a->st_mtime == b->st_mtime &&
		a->st_ctime == b->st_ctime;
}

/*
 * The compiler build's id (hex SHA-256), computed once per backend and
 * again when the compiler, the sandbox libc or either path changes; NULL
 * when the compiler cannot be hashed (then nothing is cached, and the
 * compile itself reports the problem).
 */
static const char *
tpg_build_id(void)
{
	char		libc[MAXPGPATH];
	const char *sbx = tmebox_sandbox_dir ? tmebox_sandbox_dir : "";
	struct stat cc_st,
				libc_st;
	char	   *paths;
	pg_cryptohash_ctx *ctx;
	uint8		digest[32];
	int			i;

	if (tmebox_compiler_path == NULL || stat(tmebox_compiler_path, &cc_st) != 0)
		return NULL;
	snprintf(libc, sizeof(libc), "%s/lib/libc.bc", sbx);
	if (stat(libc, &libc_st) != 0)
		return NULL;
	paths = psprintf("%s\n%s", tmebox_compiler_path, sbx);
	if (tpg_build_paths && strcmp(paths, tpg_build_paths) == 0 &&
		tpg_same_file(&cc_st, &tpg_build_cc_st) &&
		tpg_same_file(&libc_st, &tpg_build_libc_st))
	{
		pfree(paths);
		return tpg_build_hex;
	}

	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	tpg_hash_update(ctx, "tmebox-cc build 1", 18);
	tpg_hash_file(ctx, tmebox_compiler_path, "tmebox-cc");
	tpg_hash_tree(ctx, sbx, "");
	if (pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	for (i = 0; i < 32; i++)
		sprintf(tpg_build_hex + 2 * i, "%02x", digest[i]);

	tpg_build_cc_st = cc_st;
	tpg_build_libc_st = libc_st;
	if (tpg_build_paths)
		pfree(tpg_build_paths);
	tpg_build_paths = MemoryContextStrdup(TopMemoryContext, paths);
	pfree(paths);
	return tpg_build_hex;
}

/*
 * tpg_compile() through the shared cache: same contract (true and a
 * palloc'd object, or false and diagnostics, or an ERROR).
 */
bool
tpg_compile_cached(const char *source, const char *display_name, bool prelude,
					  char **object, size_t *object_len, char **diagnostics)
{
	const char *build = tpg_build_id();
	StringInfoData key;
	char		hex[65];
	bytea	   *hit;

	if (build == NULL)
		return tpg_compile(source, display_name, prelude, object, object_len,
							  diagnostics);

	initStringInfo(&key);
	appendStringInfo(&key, "%s\n%d\n%s\n", build, prelude ? 1 : 0, display_name);
	appendStringInfoString(&key, source);
	tpg_sha256_hex(key.data, key.len, hex);
	pfree(key.data);

	*diagnostics = NULL;
	hit = tpg_catalog_compiled_object(hex);
	if (hit != NULL)
	{
		ereport(DEBUG1,
				(errmsg_internal("tmebox: reusing the compiled object of \"%s\"",
								 display_name)));
		*object_len = VARSIZE_ANY_EXHDR(hit);
		*object = palloc(*object_len);
		memcpy(*object, VARDATA_ANY(hit), *object_len);
		pfree(hit);
		return true;
	}
	ereport(DEBUG1,
			(errmsg_internal("tmebox: compiling \"%s\"", display_name)));
	if (!tpg_compile(source, display_name, prelude, object, object_len, diagnostics))
		return false;
	if (!RecoveryInProgress() && !XactReadOnly && !IsInParallelMode())
		tpg_catalog_store_compiled_object(hex, *object, *object_len);
	return true;
}
