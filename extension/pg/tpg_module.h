/*-------------------------------------------------------------------------
 *
 * tpg_module.h
 *		Reading a module file's description in the server (tpg_module.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_MODULE_H
#define TPG_MODULE_H

#include "tmebox_rt.h"

/*
 * The description of module file OBJECT (the runtime's parser, bounded
 * and linear: rt_meta.c), or an ERROR: XX001 naming what is wrong (the
 * parser's message, printable ASCII), 22021 if a C declaration is not
 * valid in the database encoding.  The description is malloc'ed by the
 * runtime and freed when CurrentMemoryContext is reset or deleted, so no
 * ERROR after this call leaks it; callers never free it.
 */
extern const tmebox_module_info *tpg_module_info(const bytea *object);

#endif							/* TPG_MODULE_H */
