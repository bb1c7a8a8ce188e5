/*-------------------------------------------------------------------------
 *
 * tpg_check.h
 *		Validation of user input to tmebox's management functions.  Each
 *		helper either returns a valid value or raises one well-formed error.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TPG_CHECK_H
#define TPG_CHECK_H

#include "postgres.h"

#include "fmgr.h"

/* Bounds of a tenant's memory limit, in bytes. */
/*
 * At least 2MB: every sandbox is charged its 1 MiB data stack with its globals
 * and heap (extension/runtime/rt_view.c), so a smaller limit could not hold
 * a single one.
 */
#define TPG_MEMORY_LIMIT_MIN	(INT64CONST(2) << 20)	/* 2MB */
#define TPG_MEMORY_LIMIT_MAX	(INT64CONST(3) << 30)	/* 3GB */

/*
 * Text argument ARGNO as a C string; ERRCODE_NULL_VALUE_NOT_ALLOWED naming
 * WHAT ("tenant name") if it is NULL.
 */
extern char *tpg_text_arg(FunctionCallInfo fcinfo, int argno, const char *what);

/*
 * THE name rule of tenants and modules: 22023 unless NAME matches
 * ^[a-z_][a-z0-9_]{0,62}$ (the catalog's CHECK constraints say the same).
 * KIND ("tenant", "module") names it in the message.
 */
extern void tpg_check_name(const char *kind, const char *name);

/* 42704 unless ROLEID is an existing role. */
extern void tpg_check_role(Oid roleid);

/*
 * Parse a memory size such as '64MB' (no unit: bytes) into bytes: 22023
 * if malformed, 22003 outside [TPG_MEMORY_LIMIT_MIN, TPG_MEMORY_LIMIT_MAX].
 */
extern int64 tpg_parse_memory_limit(const char *value);

/*
 * Is S an identifier C code can use for a parameter: C syntax, no C
 * keyword, not in tmebox's reserved __tmebox namespace?
 */
extern bool tpg_is_c_identifier(const char *s);

/*
 * The binding syntax of a function's source, 'module.symbol' (blanks
 * around it ignored): MODULE and SYMBOL (NAMEDATALEN each) filled in, or
 * false when the source is a C body instead.
 */
extern bool tpg_parse_binding(const char *src, char *module, char *symbol);

#endif							/* TPG_CHECK_H */
