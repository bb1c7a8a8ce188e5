/*-------------------------------------------------------------------------
 *
 * tpg_compile.h
 *		Running tmebox-cc from the backend (see tpg_compile.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_COMPILE_H
#define TPG_COMPILE_H

extern bool tpg_compile(const char *source, const char *display_name,
						   bool prelude, char **object, size_t *object_len,
						   char **diagnostics);

/* The same through the shared compile cache (tpg_objcache.c). */
extern bool tpg_compile_cached(const char *source, const char *display_name,
								  bool prelude, char **object, size_t *object_len,
								  char **diagnostics);

#endif							/* TPG_COMPILE_H */
