/*-------------------------------------------------------------------------
 *
 * cc_includes.h
 *		The front end's file-access policy (DESIGN.md §2 item 6): the list
 *		of files clang may read, written as a clang VFS overlay.
 *
 * Invariants kept here:
 *	- Every clang run (and the libclang parse) gets -ivfsoverlay with
 *	  'fallthrough': false, so it can open exactly the files listed: the
 *	  private copy of the input and the regular files under the sandbox
 *	  include directory and the -I directories.  Everything else, whatever
 *	  the spelling (absolute, relative to the cwd, built by macros, #embed,
 *	  __has_include, #pragma GCC dependency, #include_next), is "not found".
 *	- Symlinks are never listed (nor followed into sub-directories).
 *
 *-------------------------------------------------------------------------
 */
#ifndef CC_INCLUDES_H
#define CC_INCLUDES_H

#include <stdbool.h>

/*
 * Resolve a directory named on the command line to its canonical absolute
 * path (malloc'd), or NULL after a message when it is not a directory.
 */
extern char *cc_includes_resolve_dir(const char *dir);

/*
 * Write the overlay to `overlay_path` (a new file): `input` (an absolute
 * path, mapped to itself) and every regular file under each of `dirs`
 * (canonical absolute paths).  Returns the number of files listed, or -1
 * after a message.
 */
extern int	cc_includes_write_overlay(const char *overlay_path, const char *input,
									  const char *const *dirs, int ndirs);

#endif							/* CC_INCLUDES_H */
