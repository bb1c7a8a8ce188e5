/*-------------------------------------------------------------------------
 *
 * tpg_check.c
 *		Input validation for tmebox's management functions.
 *
 * Invariants kept here:
 *	- Every helper raises exactly one error with the SQLSTATE the
 *	  management API documents, before anything has been changed.
 *	- Tenant names are what the catalog's CHECK constraint allows, so the
 *	  constraint is a second line of defence that users never hit.
 *	- Memory sizes use PostgreSQL's own unit parser (parse_real with
 *	  GUC_UNIT_BYTE), so they read exactly like memory settings.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/syscache.h"

#include "tpg_check.h"

#define TPG_NAME_MAXLEN		63

char *
tpg_text_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

void
tpg_check_tenant_name(const char *name)
{
	const char *p;
	bool		ok = (name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'));

	for (p = name; ok && *p; p++)
		ok = (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'));
	if (ok && p - name > TPG_NAME_MAXLEN)
		ok = false;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid tenant name \"%s\"", name),
				 errdetail("A tenant name has 1 to %d characters: lower-case ASCII letters, digits and underscores, and does not start with a digit.",
						   TPG_NAME_MAXLEN)));
}

void
tpg_check_role(Oid roleid)
{
	if (!SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(roleid)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role with OID %u does not exist", roleid)));
}

int64
tpg_parse_memory_limit(const char *value)
{
	double		bytes;
	const char *hintmsg;

	if (!parse_real(value, &bytes, GUC_UNIT_BYTE, &hintmsg))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid memory limit \"%s\"", value),
				 errhint("Write a number followed by one of the units \"B\", \"kB\", \"MB\", \"GB\" or \"TB\", for example '64MB'. A number without a unit is in bytes.")));
	bytes = rint(bytes);
	if (!(bytes >= (double) TPG_MEMORY_LIMIT_MIN &&
		  bytes <= (double) TPG_MEMORY_LIMIT_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("memory limit \"%s\" is out of range", value),
				 errdetail("A tenant's memory limit must be between 2MB and 3GB.")));
	return (int64) bytes;
}
