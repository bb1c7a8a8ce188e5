/*-------------------------------------------------------------------------
 *
 * tpg_check.c
 *		Input validation for tmebox's management functions, and the name
 *		rules binding shares with them: C identifiers and the
 *		'module.symbol' syntax of a function bound to a module's export.
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
#include <string.h>

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
tpg_check_name(const char *kind, const char *name)
{
	const char *p;
	bool		ok = (name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'));

	for (p = name; ok && *p; p++)
		ok = (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'));
	if (ok && p - name > TPG_NAME_MAXLEN)
		ok = false;
	if (ok)
		return;
	/* the details as the management API has always worded them */
	if (strcmp(kind, "module") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid module name \"%s\"", name),
				 errdetail("A module name is 1 to %d lower-case letters, digits and underscores, not starting with a digit.",
						   TPG_NAME_MAXLEN)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s name \"%s\"", kind, name),
			 errdetail("A %s name has 1 to %d characters: lower-case ASCII letters, digits and underscores, and does not start with a digit.",
					   kind, TPG_NAME_MAXLEN)));
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

/* C keywords that cannot name a parameter. */
static const char *const tpg_c_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "_Bool", "_Complex",
	"_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic",
	"_Noreturn", "_Static_assert", "_Thread_local", "bool", "true", "false",
	NULL
};

bool
tpg_is_c_identifier(const char *s)
{
	const char *p;
	int			i;

	if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (p = s; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9')))
			return false;
	for (i = 0; tpg_c_keywords[i]; i++)
		if (strcmp(s, tpg_c_keywords[i]) == 0)
			return false;
	return strncmp(s, "__tmebox", 8) != 0;
}

/*
 * Parse 'module.symbol'; false when the text is a C body instead (binding,
 * pl_bind.c, and the dependencies of modules, tpg_depend.c).
 */
bool
tpg_parse_binding(const char *src, char *module, char *symbol)
{
	const char *dot;
	size_t		mlen;
	char		sym[NAMEDATALEN];

	while (*src == ' ' || *src == '\t' || *src == '\n')
		src++;
	dot = strchr(src, '.');
	if (!dot)
		return false;
	mlen = dot - src;
	if (mlen == 0 || mlen >= NAMEDATALEN || strlen(dot + 1) >= NAMEDATALEN)
		return false;
	memcpy(module, src, mlen);
	module[mlen] = '\0';
	strlcpy(sym, dot + 1, sizeof(sym));
	/* trailing blanks */
	for (mlen = strlen(sym); mlen > 0 && (sym[mlen - 1] == ' ' || sym[mlen - 1] == '\n' ||
										  sym[mlen - 1] == '\t'); mlen--)
		sym[mlen - 1] = '\0';
	if (strspn(module, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(module) ||
		(module[0] >= '0' && module[0] <= '9'))
		return false;
	if (!tpg_is_c_identifier(sym) && strcmp(sym, "main") != 0)
		return false;
	strcpy(symbol, sym);
	return true;
}
