/*-------------------------------------------------------------------------
 *
 * cc_includes.c
 *		Builds the clang VFS overlay that is the front end's file-access
 *		policy: only the listed files exist for clang.
 *
 * Invariants kept here:
 *	- Entries are found with lstat(): a symlink (to a file or a directory)
 *	  is skipped, so a link inside an -I directory cannot expose a file
 *	  outside it.  Only regular files and directories are considered.
 *	- Names with control characters, quotes or non-ASCII bytes are skipped
 *	  (they could not be represented safely in the YAML; no header needs
 *	  them), and the walk is bounded (CC_INC_MAX_FILES, CC_INC_MAX_DEPTH).
 *	- The overlay says 'fallthrough': false (nothing outside it exists) and
 *	  'use-external-names': false (diagnostics show the names clang was
 *	  asked for, e.g. the user's file name, never the private temp copy).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_includes.h"
#include "cc_util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CC_INC_MAX_FILES	20000
#define CC_INC_MAX_DEPTH	32

char *
cc_includes_resolve_dir(const char *dir)
{
	char	   *real = realpath(dir, NULL);
	struct stat st;

	if (real == NULL)
	{
		cc_msg("error: cannot use include directory \"%s\": %s", dir, strerror(errno));
		return NULL;
	}
	if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
	{
		cc_msg("error: include directory \"%s\" is not a directory", dir);
		free(real);
		return NULL;
	}
	return real;
}

/* True when `s` can be written inside single quotes in the overlay. */
static bool
cc_inc_name_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '\'' || *p == '\\')
			return false;
	return true;
}

static void
cc_inc_add_file(cc_buf *yaml, const char *path, int *count)
{
	cc_buf_printf(yaml, "%s    { 'type': 'file', 'name': '%s', 'external-contents': '%s' }",
				  *count > 0 ? ",\n" : "", path, path);
	(*count)++;
}

/* Walk `dir` (canonical, absolute) adding its regular files.  0 or -1. */
static int
cc_inc_walk(cc_buf *yaml, const char *dir, int depth, int *count)
{
	DIR		   *d;
	struct dirent *de;
	int			rc = 0;

	if (depth > CC_INC_MAX_DEPTH)
		return 0;
	d = opendir(dir);
	if (d == NULL)
	{
		if (depth == 0)
		{
			cc_msg("error: cannot read include directory \"%s\": %s", dir, strerror(errno));
			return -1;
		}
		return 0;				/* an unreadable sub-directory: nothing to list */
	}
	while (rc == 0 && (de = readdir(d)) != NULL)
	{
		char	   *path;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!cc_inc_name_ok(de->d_name))
			continue;
		path = cc_asprintf("%s%s%s", dir,
						   dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		if (lstat(path, &st) == 0)
		{
			if (S_ISREG(st.st_mode))
			{
				if (*count >= CC_INC_MAX_FILES)
				{
					cc_msg("error: more than %d files under the include directories",
						   CC_INC_MAX_FILES);
					rc = -1;
				}
				else
					cc_inc_add_file(yaml, path, count);
			}
			else if (S_ISDIR(st.st_mode))
				rc = cc_inc_walk(yaml, path, depth + 1, count);
			/* symlinks, devices, fifos, sockets: never listed */
		}
		free(path);
	}
	closedir(d);
	return rc;
}

/* True when `inner` is `outer` or lies below it (both canonical). */
static bool
cc_inc_under(const char *inner, const char *outer)
{
	size_t		n = strlen(outer);

	if (strncmp(inner, outer, n) != 0)
		return false;
	return inner[n] == '\0' || inner[n] == '/' || (n > 0 && outer[n - 1] == '/');
}

/*
 * True when dirs[i] is already walked as part of another entry, so that no
 * file is listed twice: it is equal to an earlier entry or strictly inside
 * any other entry.
 */
static bool
cc_inc_covered(const char *const *dirs, int ndirs, int i)
{
	for (int j = 0; j < ndirs; j++)
	{
		if (j == i || !cc_inc_under(dirs[i], dirs[j]))
			continue;
		if (strcmp(dirs[i], dirs[j]) != 0 || j < i)
			return true;
	}
	return false;
}

int
cc_includes_write_overlay(const char *overlay_path, const char *input,
						  const char *const *dirs, int ndirs)
{
	cc_buf		yaml;
	int			count = 0;
	int			rc;

	cc_buf_init(&yaml);
	cc_buf_puts(&yaml,
				"{\n  'version': 0,\n  'case-sensitive': 'true',\n"
				"  'fallthrough': false,\n  'use-external-names': false,\n"
				"  'roots': [\n");
	if (!cc_inc_name_ok(input))
	{
		cc_msg("error: the input file name contains characters that are not allowed");
		cc_buf_free(&yaml);
		return -1;
	}
	cc_inc_add_file(&yaml, input, &count);
	for (int i = 0; i < ndirs; i++)
	{
		if (cc_inc_covered(dirs, ndirs, i))
			continue;
		if (!cc_inc_name_ok(dirs[i]))
		{
			cc_msg("error: include directory \"%s\" has characters that are not allowed", dirs[i]);
			cc_buf_free(&yaml);
			return -1;
		}
		if (cc_inc_walk(&yaml, dirs[i], 0, &count) != 0)
		{
			cc_buf_free(&yaml);
			return -1;
		}
	}
	cc_buf_puts(&yaml, "\n  ]\n}\n");
	rc = cc_write_file(overlay_path, yaml.data, yaml.len);
	cc_buf_free(&yaml);
	return rc == 0 ? count : -1;
}
