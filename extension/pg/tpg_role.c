/*-------------------------------------------------------------------------
 *
 * tpg_role.c
 *		A tenant's recorded owner survives a restore into a cluster that
 *		lacks the role (pg_restore into another cluster, roles not
 *		restored, --no-owner): the type of tmebox.tenant.owner, and what a
 *		tenant without an owner role may do.
 *
 *		tmebox.role_ref is a role's OID (binary-compatible with oid),
 *		written as the role's name like regrole; read back, a name of no
 *		role is InvalidOid ("-") with a WARNING instead of an error, so
 *		one missing role no longer fails the COPY of tmebox.tenant, and
 *		with it every tenant.  The trigger tenant_owner_missing names each
 *		tenant so loaded (tmebox_tenant_owner_missing), and such a tenant
 *		runs no code until alter_tenant(owner => ...) gives it one
 *		(tpg_role_check_tenant).
 *
 * Invariants kept here:
 *	- Identity is the OID, text only the transport: the output is the
 *	  role's name now (a renamed role stays the tenant's), and the input
 *	  only ever looks a role up by name, never reads a number as an OID,
 *	  so a dump never binds a tenant to another role that has the old
 *	  role's OID on the target.  The binary form (send/receive) is the
 *	  same text, for the same reason.
 *	- InvalidOid and an OID whose role is gone are written "-", which
 *	  reads back as InvalidOid; a role named "-" is written quoted.
 *	- A tenant whose recorded owner is InvalidOid stays owner-less when a
 *	  role of the old name is created later (tmebox.tenant_owner never
 *	  matches InvalidOid): only alter_tenant gives it an owner.
 *	- On the 0.1 catalog the column is regrole and nothing here is used.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/regproc.h"

#include "tpg_role.h"

PG_FUNCTION_INFO_V1(tmebox_role_ref_in);
PG_FUNCTION_INFO_V1(tmebox_role_ref_out);
PG_FUNCTION_INFO_V1(tmebox_role_ref_recv);
PG_FUNCTION_INFO_V1(tmebox_role_ref_send);
PG_FUNCTION_INFO_V1(tmebox_tenant_owner_missing);

/* The role named by TEXT (an identifier, quoted or not), or InvalidOid. */
static Oid
tpg_role_ref_parse(const char *text)
{
	List	   *names;
	const char *name;
	Oid			role;

	if (strcmp(text, "-") == 0)
		return InvalidOid;
	names = stringToQualifiedNameList(text);
	if (list_length(names) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_NAME),
				 errmsg("invalid name syntax")));
	name = strVal(linitial(names));
	role = get_role_oid(name, true);
	if (!OidIsValid(role))
		ereport(WARNING,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role \"%s\" does not exist", name),
				 errdetail("Read as no role (\"-\"), not as another role."),
				 errhint("A tmebox tenant whose owner role is missing has no owner until tmebox.alter_tenant(name, owner => role) gives it one.")));
	return role;
}

static char *
tpg_role_ref_text(Oid role)
{
	char	   *name = OidIsValid(role) ? GetUserNameFromId(role, true) : NULL;

	return name ? pstrdup(quote_identifier(name)) : pstrdup("-");
}

Datum
tmebox_role_ref_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_OID(tpg_role_ref_parse(PG_GETARG_CSTRING(0)));
}

Datum
tmebox_role_ref_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(tpg_role_ref_text(PG_GETARG_OID(0)));
}

Datum
tmebox_role_ref_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_OID(tpg_role_ref_parse(pq_getmsgtext(buf, buf->len - buf->cursor, NULL)));
}

Datum
tmebox_role_ref_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char	   *text = tpg_role_ref_text(PG_GETARG_OID(0));

	pq_begintypsend(&buf);
	pq_sendtext(&buf, text, strlen(text));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* The HINT of every message about an owner-less tenant. */
static int
tpg_role_hint(const char *tenant)
{
	return errhint("A superuser can give it one: SELECT tmebox.alter_tenant(%s, owner => 'role').",
				   quote_literal_cstr(tenant));
}

/*
 * Trigger tenant_owner_missing, BEFORE INSERT ON tmebox.tenant FOR EACH
 * ROW: a WARNING naming each tenant that arrives without an owner (a
 * restore whose owner role the target lacks; create_tenant always has
 * one).  The row is kept as it is.
 */
Datum
tmebox_tenant_owner_missing(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tup;
	bool		isnull;
	Datum		owner;
	int			fnum;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "tmebox_tenant_owner_missing: not called as a BEFORE INSERT row trigger");
	desc = trigdata->tg_relation->rd_att;
	tup = trigdata->tg_trigtuple;
	fnum = SPI_fnumber(desc, "owner");
	if (fnum <= 0)
		elog(ERROR, "tmebox.tenant has no column \"owner\"");
	owner = heap_getattr(tup, fnum, desc, &isnull);
	if (!isnull && !OidIsValid(DatumGetObjectId(owner)))
	{
		char	   *name = SPI_getvalue(tup, desc, SPI_fnumber(desc, "name"));

		ereport(WARNING,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("tmebox tenant \"%s\" has no owner", name ? name : "?"),
				 errdetail("Its owner role does not exist in this cluster. No role, not even one created later with that name, gets the tenant, and the tenant runs no code, until it is given an owner."),
				 tpg_role_hint(name ? name : "?")));
	}
	return PointerGetDatum(tup);
}

/*
 * Refuse to run code in a tenant without an owner role (its recorded
 * owner was missing when it was restored): whoever owns the function,
 * even a superuser, since the tenant belongs to nobody yet.
 */
void
tpg_role_check_tenant(const char *tenant, bool ownerless)
{
	if (ownerless)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("tmebox tenant \"%s\" has no owner", tenant),
				 errdetail("Its owner role did not exist when it was restored; it runs no code until it has an owner."),
				 tpg_role_hint(tenant)));
}
