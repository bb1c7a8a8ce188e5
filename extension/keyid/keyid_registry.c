/*-------------------------------------------------------------------------
 *
 * keyid_registry.c
 *		Parse and write the text form of the cluster's KeyID registry
 *		(the form and the invariants: keyid_registry.h).
 *
 * The parser reads only within [text, text + len), field by field, with
 * no allocation; every refusal names the line (1 is the header).
 *
 *-------------------------------------------------------------------------
 */
#include "keyid_registry.h"

#include <stdio.h>
#include <string.h>

bool
keyid_registry_name_ok(const char *name)
{
	size_t		i;

	if (!((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
		return false;
	for (i = 1; name[i] != '\0'; i++)
	{
		if (i >= KEYID_REGISTRY_NAME_MAX)
			return false;
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
			  (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
			return false;
	}
	return true;
}

/*
 * An unsigned decimal at *p (no sign, no leading zero but for "0"), at
 * most MAX, followed by the byte END; *p moves past END.
 */
static bool
reg_number(const char **p, const char *stop, uint64_t max, char end,
		   uint64_t *out)
{
	const char *s = *p;
	uint64_t	v = 0;

	if (s >= stop || *s < '0' || *s > '9')
		return false;
	if (*s == '0' && s + 1 < stop && s[1] >= '0' && s[1] <= '9')
		return false;
	for (; s < stop && *s >= '0' && *s <= '9'; s++)
	{
		unsigned	d = (unsigned) (*s - '0');

		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (s >= stop || *s != end)
		return false;
	*p = s + 1;
	*out = v;
	return true;
}

/* A tenant name at *p followed by a space, copied into OUT. */
static bool
reg_name(const char **p, const char *stop, char *out)
{
	const char *s = *p;
	size_t		n = 0;

	while (s + n < stop && s[n] != ' ' && n <= KEYID_REGISTRY_NAME_MAX)
		n++;
	if (s + n >= stop || s[n] != ' ' || n == 0 || n > KEYID_REGISTRY_NAME_MAX)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	if (!keyid_registry_name_ok(out))
		return false;
	*p = s + n + 1;
	return true;
}

bool
keyid_registry_parse(const char *text, size_t len, KeyidRegistry *reg,
					 char *err, size_t errlen)
{
	const char *p = text;
	const char *stop = text + len;
	size_t		hlen = strlen(KEYID_REGISTRY_HEADER);
	int			line = 1;
	int			last = 0;

	if (len > KEYID_REGISTRY_MAX_BYTES)
	{
		snprintf(err, errlen, "file is %zu bytes long, more than the %zu a registry can need",
				 len, (size_t) KEYID_REGISTRY_MAX_BYTES);
		return false;
	}
	if (len < hlen || memcmp(text, KEYID_REGISTRY_HEADER, hlen) != 0)
	{
		snprintf(err, errlen, "line 1 is not \"%.*s\"", (int) hlen - 1,
				 KEYID_REGISTRY_HEADER);
		return false;
	}
	p += hlen;
	while (p < stop)
	{
		uint64_t	keyid,
					database,
					xmin,
					xmax;
		char		tenant[KEYID_REGISTRY_NAME_MAX + 1];
		KeyidRegEntry *e;

		line++;
		if (!reg_number(&p, stop, KEYID_MAX, ' ', &keyid) || keyid == 0)
		{
			snprintf(err, errlen, "line %d: the KeyID is not a number from 1 to %d followed by a space",
					 line, KEYID_MAX);
			return false;
		}
		if ((int) keyid <= last)
		{
			snprintf(err, errlen, "line %d: KeyID %d is not above the previous line's %d",
					 line, (int) keyid, last);
			return false;
		}
		if (!reg_number(&p, stop, UINT32_MAX, ' ', &database) || database == 0)
		{
			snprintf(err, errlen, "line %d: the database is not an OID followed by a space",
					 line);
			return false;
		}
		if (!reg_name(&p, stop, tenant))
		{
			snprintf(err, errlen, "line %d: the tenant is not a tenant name followed by a space",
					 line);
			return false;
		}
		if (!reg_number(&p, stop, UINT64_MAX, ' ', &xmin) ||
			!reg_number(&p, stop, UINT64_MAX, '\n', &xmax))
		{
			snprintf(err, errlen, "line %d: xmin and xmax are not two transaction ids ending the line",
					 line);
			return false;
		}
		e = &reg->table[keyid];
		e->database = (uint32_t) database;
		memcpy(e->tenant, tenant, sizeof(tenant));
		e->xmin = xmin;
		e->xmax = xmax;
		last = (int) keyid;
	}
	return true;
}

size_t
keyid_registry_format(const KeyidRegistry *reg, char *buf, size_t buflen)
{
	size_t		n = 0;
	int			k;

#define REG_PUT(...) \
	do { \
		int			w_ = snprintf(buf + (n < buflen ? n : buflen), \
								  n < buflen ? buflen - n : 0, __VA_ARGS__); \
		if (w_ > 0) \
			n += (size_t) w_; \
	} while (0)

	REG_PUT("%s", KEYID_REGISTRY_HEADER);
	for (k = 1; k <= KEYID_MAX; k++)
	{
		const KeyidRegEntry *e = &reg->table[k];

		if (e->database == 0)
			continue;
		REG_PUT("%d %u %s %llu %llu\n", k, (unsigned) e->database, e->tenant,
				(unsigned long long) e->xmin, (unsigned long long) e->xmax);
	}
#undef REG_PUT
	return n;
}
