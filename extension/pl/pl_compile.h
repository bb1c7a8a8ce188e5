/*-------------------------------------------------------------------------
 *
 * pl_compile.h
 *		Running tmebox-cc from the backend (see pl_compile.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_COMPILE_H
#define PL_COMPILE_H

extern bool tmebox_compile(const char *source, const char *display_name,
						   bool prelude, char **object, size_t *object_len,
						   char **diagnostics);

/* The same through the shared compile cache (pl_objcache.c). */
extern bool tmebox_compile_cached(const char *source, const char *display_name,
								  bool prelude, char **object, size_t *object_len,
								  char **diagnostics);

#endif							/* PL_COMPILE_H */
