/*-------------------------------------------------------------------------
 *
 * rt_meta.c
 *		Module file header and metadata parser (ABI.md "Metadata",
 *		tmebox_abi.h "Module file"), and rt_errf, which fills the
 *		runtime's err/errlen buffers.  The one reader of module files:
 *		tmebox-cc's --print-info uses it too (compiled into tmebox-cc), so
 *		this file needs nothing of the runtime but rt_internal.h's
 *		declarations.
 *
 * Invariants:
 *	- Every length read from the file is checked against the real buffer
 *	  size before use; the file must be exactly header + M + N bytes.
 *	- The metadata grammar is strict: unknown keys, bad type codes,
 *	  duplicates, empty or control-character lines, an export without its
 *	  csig (or a csig / skipped line that contradicts the exports) are all
 *	  refused with a message naming the line.
 *	- A parse is linear in the metadata and bounded: names are checked for
 *	  duplicates in a hash set (rt_names), and more than
 *	  TMEBOX_MODULE_MAX_FUNCTIONS functions or TMEBOX_MODULE_MAX_METADATA
 *	  bytes are refused, so no file makes it long (callers in the server
 *	  need no interrupt check inside it): the largest file (16 MiB,
 *	  10000 exports of 200-byte names and 32 arguments) takes about 30 ms
 *	  in the server, at most 0.2 s measured on a loaded machine.
 *	  The hash is keyed at random per parse, so no file can put its names
 *	  into one chain.
 *	- Messages are printable ASCII: bytes of the file they quote are
 *	  escaped (rt_quote), never copied raw into a message.
 *	- A returned tmebox_module_info is self-contained (malloc'ed copies).
 *	- rt_errf never writes more than errlen bytes, always NUL-terminates
 *	  when errlen > 0, accepts err == NULL / errlen == 0.
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "rt_internal.h"

void
rt_errf(char *err, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static uint32_t
rt_le32(const uint8_t *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
		(uint32_t) p[3] << 24;
}

/*
 * Split a module file into metadata and object, checking the header.
 */
int
rt_split_file(const void *file, size_t len, const char **meta, size_t *metalen,
			  const uint8_t **obj, size_t *objlen, char *err, size_t errlen)
{
	const uint8_t *p = file;
	uint32_t	version;
	uint64_t	m,
				n;

	if (file == NULL || len < TMEBOX_MODULE_HEADER_SIZE)
	{
		rt_errf(err, errlen, "module file too short (%zu bytes)", len);
		return -1;
	}
	if (memcmp(p, TMEBOX_MODULE_MAGIC, 8) != 0)
	{
		rt_errf(err, errlen, "not a tmebox module (bad magic)");
		return -1;
	}
	version = rt_le32(p + 8);
	if (version != TMEBOX_ABI_VERSION)
	{
		rt_errf(err, errlen, "module format version %u is not supported (expected %d)",
				version, TMEBOX_ABI_VERSION);
		return -1;
	}
	m = rt_le32(p + 12);
	n = (uint64_t) rt_le32(p + 16) | (uint64_t) rt_le32(p + 20) << 32;
	if (m > len - TMEBOX_MODULE_HEADER_SIZE ||
		n != len - TMEBOX_MODULE_HEADER_SIZE - m)
	{
		rt_errf(err, errlen,
				"module file is truncated or corrupt (metadata %llu + object %llu bytes, file %zu bytes)",
				(unsigned long long) m, (unsigned long long) n, len);
		return -1;
	}
	*meta = (const char *) p + TMEBOX_MODULE_HEADER_SIZE;
	*metalen = m;
	*obj = p + TMEBOX_MODULE_HEADER_SIZE + m;
	*objlen = n;
	return 0;
}

/*
 * Quote at most MAX bytes of S[0..N) into BUF as printable ASCII: bytes
 * outside 0x20..0x7e, '"' and '\' become \xNN.
 */
static const char *
rt_quote(char *buf, size_t buflen, const char *s, size_t n, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	size_t		o = 0;
	size_t		i;

	for (i = 0; i < n && i < max && o + 5 < buflen; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			buf[o++] = (char) c;
		else
		{
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o] = '\0';
	return buf;
}

static bool
rt_is_ident(const char *s, size_t n)
{
	return tmebox_name_ok(s, n);
}

static char *
rt_strndup(const char *s, size_t n)
{
	char	   *r = malloc(n + 1);

	if (r != NULL)
	{
		memcpy(r, s, n);
		r[n] = '\0';
	}
	return r;
}

void
tmebox_struct_layout_free(tmebox_struct_layout *l)
{
	for (int i = 0; l->fields != NULL && i < l->nfields; i++)
		free(l->fields[i].name);
	free(l->fields);
	l->fields = NULL;
	l->nfields = 0;
}

/* The decimal number at [*s, end) up to a byte of `stops`, at most max. */
static bool
rt_struct_number(const char **s, const char *end, uint64_t max, uint32_t *out)
{
	uint64_t	v = 0;
	const char *p = *s;

	if (p >= end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < end &&
											 p[1] >= '0' && p[1] <= '9'))
		return false;
	for (; p < end && *p >= '0' && *p <= '9'; p++)
	{
		v = v * 10 + (uint64_t) (*p - '0');
		if (v > max)
			return false;
	}
	*s = p;
	*out = (uint32_t) v;
	return true;
}

/* A byte range of a struct: a value or a NULL flag. */
typedef struct rt_struct_span
{
	uint32_t	off;
	uint32_t	len;
} rt_struct_span;

static int
rt_struct_span_cmp(const void *a, const void *b)
{
	uint32_t	x = ((const rt_struct_span *) a)->off,
				y = ((const rt_struct_span *) b)->off;

	return x < y ? -1 : x > y;
}

/*
 * Do the fields of l lie inside the struct without overlapping?  Sorted
 * spans (O(k log k) in the fields, whatever SIZE says, so a forged file
 * of huge sizes parses as fast as any other).
 */
static bool
rt_struct_disjoint(const tmebox_struct_layout *l)
{
	rt_struct_span *sp = malloc(sizeof(rt_struct_span) * 2 * (size_t) l->nfields);
	bool		ok = sp != NULL;

	for (int i = 0; ok && i < l->nfields; i++)
	{
		const tmebox_struct_field *f = &l->fields[i];
		unsigned	w = tmebox_type_class_of(f->type) == TMEBOX_CLASS_BUF ? 8 :
			f->type == TMEBOX_T_STRUCT ? 0 : tmebox_type_width(f->type);

		sp[2 * i].off = f->off;
		sp[2 * i].len = w;
		sp[2 * i + 1].off = f->null_off;
		sp[2 * i + 1].len = 1;
	}
	if (ok)
		qsort(sp, 2 * (size_t) l->nfields, sizeof(rt_struct_span), rt_struct_span_cmp);
	/* a nested row's value (len 0: its members are fields of their own)
	 * starts inside the struct and overlaps nothing */
	for (int i = 0, prev = -1; ok && i < 2 * l->nfields; i++)
	{
		ok = sp[i].off <= l->size && sp[i].len <= l->size - sp[i].off &&
			(prev < 0 || sp[i].off >= sp[prev].off + sp[prev].len);
		if (sp[i].len > 0)
			prev = i;
	}
	free(sp);
	return ok;
}

/*
 * The parent of a field named [name, name + n) whose last dot is at dot
 * (NULL: none), the fields before it being out->fields[0, nfields): -1
 * for a top-level member; the index of the nested row [name, dot) when
 * that is the field before it or one of that field's ancestors (the
 * members of a nested row follow it at once, depth first); -2 when there
 * is no such row or it would be nested deeper than
 * TMEBOX_STRUCT_MAX_DEPTH.  O(TMEBOX_STRUCT_MAX_DEPTH).
 */
static int
rt_struct_parent(const tmebox_struct_layout *out, const char *name, const char *dot)
{
	int			depth = 0;

	if (dot == NULL)
		return -1;
	for (int k = out->nfields - 1; k >= 0; k = out->fields[k].parent)
	{
		const tmebox_struct_field *p = &out->fields[k];

		if (p->type == TMEBOX_T_STRUCT && strlen(p->name) == (size_t) (dot - name) &&
			memcmp(p->name, name, dot - name) == 0)
		{
			for (int a = k; a >= 0; a = out->fields[a].parent)
				depth++;
			return depth > TMEBOX_STRUCT_MAX_DEPTH ? -2 : k;
		}
	}
	return -2;
}

/*
 * "struct:SIZE:F,..." / "structs:SIZE:F,...", F "NAME=CODE@OFF/NULLOFF"
 * or, for a nested row, "NAME=struct@OFF/NULLOFF" followed by its
 * members "NAME.MEMBER=..." (tmebox_abi.h).  Linear in n (times
 * TMEBOX_STRUCT_MAX_DEPTH for the nesting; plus the sort of the overlap
 * check).
 */
int
tmebox_struct_layout_parse(const char *s, size_t n, tmebox_type *type,
						tmebox_struct_layout *out, char *err, size_t errlen)
{
	const char *p = s;
	const char *end = s + n;
	int			cap = 0;

	memset(out, 0, sizeof(*out));
	if (n > 8 && memcmp(s, "structs:", 8) == 0)
	{
		*type = TMEBOX_T_STRUCTS;
		p += 8;
	}
	else if (n > 7 && memcmp(s, "struct:", 7) == 0)
	{
		*type = TMEBOX_T_STRUCT;
		p += 7;
	}
	else
		goto bad;
	if (!rt_struct_number(&p, end, TMEBOX_STRUCT_MAX_SIZE, &out->size) || out->size == 0 ||
		p >= end || *p++ != ':')
		goto bad;
	while (p < end)
	{
		const char *name = p;
		const char *eq = memchr(p, '=', end - p);
		const char *at;
		const char *dot;
		const char *last;
		tmebox_struct_field *f;
		int			code;
		int			parent;
		unsigned	w;

		if (eq == NULL)
			goto bad;
		for (dot = eq; dot > name && dot[-1] != '.'; dot--)
			;
		last = dot;
		dot = dot > name ? dot - 1 : NULL;
		if (!rt_is_ident(last, eq - last) || (parent = rt_struct_parent(out, name, dot)) < -1)
			goto bad;
		/* the members of a nested row follow it at once: one at least */
		if (out->nfields > 0 && out->fields[out->nfields - 1].type == TMEBOX_T_STRUCT &&
			parent != out->nfields - 1)
			goto bad;
		at = memchr(eq, '@', end - eq);
		if (at == NULL)
			goto bad;
		if (at - eq - 1 == 6 && memcmp(eq + 1, "struct", 6) == 0)
			code = TMEBOX_T_STRUCT;
		else if ((code = tmebox_type_parse(eq + 1, at - eq - 1)) < 0)
			goto bad;
		switch (tmebox_type_class_of(code))
		{
			case TMEBOX_CLASS_BOOL:
			case TMEBOX_CLASS_INT:
			case TMEBOX_CLASS_FLOAT:
				w = tmebox_type_width(code);
				break;
			case TMEBOX_CLASS_BUF:
				w = 8;			/* a sandbox pointer */
				break;
			case TMEBOX_CLASS_STRUCT:
				w = 1;			/* a nested row: only its flag is read */
				break;
			default:
				goto bad;
		}
		if (out->nfields == TMEBOX_STRUCT_MAX_FIELDS)
			goto bad;
		if (out->nfields == cap)
		{
			tmebox_struct_field *nf;

			cap = cap ? 2 * cap : 8;
			nf = realloc(out->fields, sizeof(*nf) * cap);
			if (nf == NULL)
				goto oom;
			out->fields = nf;
		}
		f = &out->fields[out->nfields];
		f->type = code;
		f->parent = parent;
		p = at + 1;
		if (!rt_struct_number(&p, end, UINT32_MAX, &f->off) || p >= end || *p++ != '/' ||
			!rt_struct_number(&p, end, UINT32_MAX, &f->null_off) ||
			f->off % w != 0)
			goto bad;
		if ((f->name = rt_strndup(name, eq - name)) == NULL)
			goto oom;
		out->nfields++;
		if (p < end && (*p++ != ',' || p == end))
			goto bad;
	}
	if (out->nfields == 0)
		goto bad;
	if (out->fields[out->nfields - 1].type == TMEBOX_T_STRUCT)
	{
		/* a nested row without members */
		rt_errf(err, errlen, "invalid struct layout (field %d)", out->nfields);
		goto fail;
	}
	if (!rt_struct_disjoint(out))
	{
		rt_errf(err, errlen, "invalid struct layout (fields overlap or lie outside the struct)");
		goto fail;
	}
	return 0;

bad:
	rt_errf(err, errlen, "invalid struct layout (field %d)", out->nfields + 1);
	goto fail;
oom:
	rt_errf(err, errlen, "out of memory");
fail:
	tmebox_struct_layout_free(out);
	return -1;
}

/* Free what a signature owns. */
static void
rt_signature_free(tmebox_signature *sig)
{
	free(sig->name);
	free(sig->csig);
	if (sig->structs != NULL)
		for (int i = 0; i <= TMEBOX_MAX_ARGS; i++)
			tmebox_struct_layout_free(&sig->structs[i]);
	free(sig->structs);
	sig->name = sig->csig = NULL;
	sig->structs = NULL;
}

void
tmebox_module_info_free(tmebox_module_info *info)
{
	int			i;

	if (info == NULL)
		return;
	for (i = 0; i < info->nexports; i++)
		rt_signature_free(&info->exports[i]);
	for (i = 0; i < info->nskipped; i++)
		free(info->skipped[i]);
	free(info->exports);
	free(info->skipped);
	free(info);
}

/*
 * The names of a module's functions (exports and skipped) during a parse:
 * an open-addressing hash set (linear probing, at most half full) of
 * references into the info being built.
 */
typedef struct rt_name_slot
{
	uint32_t	hash;
	int32_t		ref;			/* 0: empty; k > 0: export k - 1; k < 0:
								 * skipped -k - 1 */
} rt_name_slot;

typedef struct rt_names
{
	uint32_t	mask;
	uint64_t	key[2];			/* of the hash, random per parse */
	rt_name_slot *slot;
} rt_names;

#define RT_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define RT_SIPROUND \
	do { \
		v0 += v1; v1 = RT_ROTL(v1, 13); v1 ^= v0; v0 = RT_ROTL(v0, 32); \
		v2 += v3; v3 = RT_ROTL(v3, 16); v3 ^= v2; \
		v0 += v3; v3 = RT_ROTL(v3, 21); v3 ^= v0; \
		v2 += v1; v1 = RT_ROTL(v1, 17); v1 ^= v2; v2 = RT_ROTL(v2, 32); \
	} while (0)

/*
 * SipHash-1-3 of S[0..N) under a random key: a file cannot be made of
 * names that all land in one chain (with a known hash, names crafted to
 * collide made a parse of 10000 200-byte names take seconds).
 */
static uint32_t
rt_name_hash(const rt_names *set, const char *s, size_t n)
{
	uint64_t	v0 = UINT64_C(0x736f6d6570736575) ^ set->key[0];
	uint64_t	v1 = UINT64_C(0x646f72616e646f6d) ^ set->key[1];
	uint64_t	v2 = UINT64_C(0x6c7967656e657261) ^ set->key[0];
	uint64_t	v3 = UINT64_C(0x7465646279746573) ^ set->key[1];
	uint64_t	b = (uint64_t) n << 56;
	size_t		i;

	for (i = 0; i + 8 <= n; i += 8)
	{
		uint64_t	m = 0;
		int			k;

		for (k = 7; k >= 0; k--)
			m = m << 8 | (unsigned char) s[i + k];
		v3 ^= m;
		RT_SIPROUND;
		v0 ^= m;
	}
	for (; i < n; i++)
		b |= (uint64_t) (unsigned char) s[i] << (8 * (i & 7));
	v3 ^= b;
	RT_SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	RT_SIPROUND;
	RT_SIPROUND;
	RT_SIPROUND;
	return (uint32_t) (v0 ^ v1 ^ v2 ^ v3);
}

/* Room for NAMES names; false if out of memory. */
static bool
rt_names_init(rt_names *set, size_t names)
{
	size_t		size = 16;
	struct timespec ts;

	while (size < 2 * names)
		size <<= 1;
	set->mask = (uint32_t) (size - 1);
	set->slot = calloc(size, sizeof(rt_name_slot));
	if (getrandom(set->key, sizeof(set->key), GRND_NONBLOCK) != sizeof(set->key))
	{
		/* no entropy yet (early boot): the clock and the heap's address */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		set->key[0] = (uint64_t) ts.tv_nsec << 32 ^ (uint64_t) ts.tv_sec;
		set->key[1] = (uint64_t) (uintptr_t) set->slot;
	}
	return set->slot != NULL;
}

/* The slot of NAME: its entry, or the empty slot where it would go. */
static rt_name_slot *
rt_names_slot(const rt_names *set, const tmebox_module_info *info,
			  const char *name, size_t n)
{
	uint32_t	h = rt_name_hash(set, name, n);
	uint32_t	i;

	for (i = h & set->mask;; i = (i + 1) & set->mask)
	{
		rt_name_slot *sl = &set->slot[i];
		const char *have;

		if (sl->ref == 0)
		{
			sl->hash = h;
			return sl;
		}
		if (sl->hash != h)
			continue;
		have = sl->ref > 0 ? info->exports[sl->ref - 1].name :
			info->skipped[-sl->ref - 1];
		/* a skipped entry is "NAME REASON" */
		if (strncmp(have, name, n) == 0 && (have[n] == '\0' || have[n] == ' '))
			return sl;
	}
}

/* Parse one "export NAME RET [ARG...]" payload (after "export "). */
static int
rt_parse_export(tmebox_module_info *info, rt_names *names, const char *s,
				size_t n, int lineno, char *err, size_t errlen)
{
	rt_name_slot *slot = NULL;
	char		q[128];
	tmebox_signature *sig;
	const char *end = s + n;
	const char *tok = s;
	int			ntok = 0;

	sig = &info->exports[info->nexports];
	memset(sig, 0, sizeof(*sig));
	while (tok <= end)
	{
		const char *sp = memchr(tok, ' ', end - tok);
		size_t		tl = (sp ? sp : end) - tok;

		if (ntok == 0)
		{
			if (!rt_is_ident(tok, tl))
			{
				rt_errf(err, errlen, "metadata line %d: invalid export name", lineno);
				return -1;
			}
			slot = rt_names_slot(names, info, tok, tl);
			if (slot->ref != 0)
			{
				rt_errf(err, errlen, "metadata line %d: duplicate name \"%.*s\"",
						lineno, (int) tl, tok);
				return -1;
			}
			sig->name = rt_strndup(tok, tl);
			if (sig->name == NULL)
				goto oom;
		}
		else
		{
			int			code = tmebox_type_parse(tok, tl);
			int			pos = ntok == 1 ? 0 : sig->nargs + 1;

			if (code < 0 && tl > 7 && memcmp(tok, "struct", 6) == 0 &&
				pos <= TMEBOX_MAX_ARGS)
			{
				/* a composite value: its code carries its struct's layout */
				tmebox_type rt;
				char		why[128];

				if (sig->structs == NULL &&
					(sig->structs = calloc(TMEBOX_MAX_ARGS + 1, sizeof(tmebox_struct_layout))) == NULL)
					goto oom;
				if (tmebox_struct_layout_parse(tok, tl, &rt, &sig->structs[pos], why, sizeof(why)) < 0)
				{
					rt_errf(err, errlen, "metadata line %d: %s", lineno, why);
					goto fail;
				}
				code = rt;
			}
			if (code < 0 || (ntok > 1 && (code == TMEBOX_T_VOID || code == TMEBOX_T_STRUCTS ||
								code == TMEBOX_T_ROWS)))
			{
				rt_errf(err, errlen, "metadata line %d: invalid type code \"%s\"",
						lineno, rt_quote(q, sizeof(q), tok, tl, 20));
				goto fail;
			}
			if (ntok == 1)
				sig->ret = code;
			else
			{
				if (sig->nargs >= TMEBOX_MAX_ARGS)
				{
					rt_errf(err, errlen, "metadata line %d: more than %d arguments",
							lineno, TMEBOX_MAX_ARGS);
					goto fail;
				}
				sig->args[sig->nargs++] = code;
			}
		}
		ntok++;
		if (sp == NULL)
			break;
		tok = sp + 1;
	}
	if (ntok < 2)
	{
		rt_errf(err, errlen, "metadata line %d: export without a return type", lineno);
		goto fail;
	}
	info->nexports++;
	slot->ref = info->nexports;
	return 0;

oom:
	rt_errf(err, errlen, "out of memory");
fail:
	rt_signature_free(sig);
	return -1;
}

/*
 * Parse the metadata text into a new tmebox_module_info.
 */
int
rt_parse_meta(const char *meta, size_t metalen, tmebox_module_info **out,
			  char *err, size_t errlen)
{
	tmebox_module_info *info;
	rt_names	names = {0};
	const char *p = meta;
	const char *end = meta + metalen;
	int			lineno = 0;
	size_t		maxnames = 0;
	bool		seen_view_bits = false;
	char		q[256];
	size_t		i;

	*out = NULL;
	if (metalen > TMEBOX_MODULE_MAX_METADATA)
	{
		rt_errf(err, errlen, "module metadata too large (%zu bytes, at most %d)",
				metalen, TMEBOX_MODULE_MAX_METADATA);
		return -1;
	}
	/* count lines to size the arrays: at most one function per line */
	for (i = 0; i < metalen; i++)
		if (meta[i] == '\n')
			maxnames++;
	maxnames++;
	if (maxnames > TMEBOX_MODULE_MAX_FUNCTIONS)
		maxnames = TMEBOX_MODULE_MAX_FUNCTIONS;

	info = calloc(1, sizeof(*info));
	if (info == NULL)
		goto oom;
	info->exports = calloc(maxnames, sizeof(tmebox_signature));
	info->skipped = calloc(maxnames, sizeof(char *));
	if (info->exports == NULL || info->skipped == NULL ||
		!rt_names_init(&names, maxnames))
		goto oom;

	while (p < end)
	{
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end;
		size_t		ll = le - p;
		const char *sp;

		lineno++;
		for (i = 0; i < ll; i++)
		{
			unsigned char c = (unsigned char) p[i];

			if (c < 0x20 || c == 0x7f)
			{
				rt_errf(err, errlen, "metadata line %d: control character", lineno);
				goto fail;
			}
		}
		if (ll == 0)
		{
			rt_errf(err, errlen, "metadata line %d: empty line", lineno);
			goto fail;
		}
		sp = memchr(p, ' ', ll);
		if (lineno == 1)
		{
			if (ll != 15 || memcmp(p, "tmebox-module 1", 15) != 0)
			{
				rt_errf(err, errlen, "metadata line 1: expected \"tmebox-module 1\"");
				goto fail;
			}
		}
		else if (sp == NULL)
		{
			rt_errf(err, errlen, "metadata line %d: unknown line \"%s\"",
					lineno, rt_quote(q, sizeof(q), p, ll, 40));
			goto fail;
		}
		else if (sp - p == 9 && memcmp(p, "view-bits", 9) == 0)
		{
			if (seen_view_bits)
			{
				rt_errf(err, errlen, "metadata line %d: duplicate view-bits", lineno);
				goto fail;
			}
			if (ll != 12 || memcmp(p, "view-bits 32", 12) != 0)
			{
				rt_errf(err, errlen, "metadata line %d: unsupported view-bits (expected %d)",
						lineno, TMEBOX_VIEW_BITS);
				goto fail;
			}
			seen_view_bits = true;
		}
		else if (sp - p == 6 && memcmp(p, "export", 6) == 0)
		{
			if (info->nexports + info->nskipped >= TMEBOX_MODULE_MAX_FUNCTIONS)
				goto too_many;
			if (rt_parse_export(info, &names, sp + 1, le - sp - 1, lineno,
								err, errlen) < 0)
				goto fail;
		}
		else if ((sp - p == 4 && memcmp(p, "csig", 4) == 0) ||
				 (sp - p == 7 && memcmp(p, "skipped", 7) == 0))
		{
			const char *name = sp + 1;
			const char *sp2 = memchr(name, ' ', le - name);
			size_t		nl2 = sp2 ? (size_t) (sp2 - name) : 0;
			rt_name_slot *slot;

			if (sp2 == NULL || !rt_is_ident(name, nl2) || sp2 + 1 >= le)
			{
				rt_errf(err, errlen, "metadata line %d: expected \"%.*s NAME TEXT\"",
						lineno, (int) (sp - p), p);
				goto fail;
			}
			slot = rt_names_slot(&names, info, name, nl2);
			if (*p == 'c')
			{
				int			k = slot->ref - 1;

				if (slot->ref <= 0)
				{
					rt_errf(err, errlen, "metadata line %d: csig for \"%.*s\", which is not exported (csig must follow its export)",
							lineno, (int) nl2, name);
					goto fail;
				}
				if (info->exports[k].csig != NULL)
				{
					rt_errf(err, errlen, "metadata line %d: duplicate csig for \"%.*s\"",
							lineno, (int) nl2, name);
					goto fail;
				}
				info->exports[k].csig = rt_strndup(sp2 + 1, le - sp2 - 1);
				if (info->exports[k].csig == NULL)
					goto oom;
			}
			else
			{
				if (slot->ref != 0)
				{
					rt_errf(err, errlen, "metadata line %d: duplicate name \"%.*s\"",
							lineno, (int) nl2, name);
					goto fail;
				}
				if (info->nexports + info->nskipped >= TMEBOX_MODULE_MAX_FUNCTIONS)
					goto too_many;
				info->skipped[info->nskipped] = rt_strndup(name, le - name);
				if (info->skipped[info->nskipped] == NULL)
					goto oom;
				info->nskipped++;
				slot->ref = -info->nskipped;
			}
		}
		else
		{
			rt_errf(err, errlen, "metadata line %d: unknown key \"%s\"",
					lineno, rt_quote(q, sizeof(q), p, sp - p, 40));
			goto fail;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (lineno == 0)
	{
		rt_errf(err, errlen, "empty metadata");
		goto fail;
	}
	if (!seen_view_bits)
	{
		rt_errf(err, errlen, "metadata has no view-bits line");
		goto fail;
	}
	for (i = 0; i < (size_t) info->nexports; i++)
		if (info->exports[i].csig == NULL)
		{
			rt_errf(err, errlen, "metadata: export \"%s\" has no csig line",
					info->exports[i].name);
			goto fail;
		}
	free(names.slot);
	*out = info;
	return 0;

too_many:
	rt_errf(err, errlen, "metadata line %d: more than %d functions in one module",
			lineno, TMEBOX_MODULE_MAX_FUNCTIONS);
	goto fail;
oom:
	rt_errf(err, errlen, "out of memory");
fail:
	free(names.slot);
	tmebox_module_info_free(info);
	return -1;
}

int
tmebox_module_parse(const void *file, size_t len, tmebox_module_info **out,
					char *err, size_t errlen)
{
	const char *meta;
	size_t		metalen;
	const uint8_t *obj;
	size_t		objlen;

	*out = NULL;
	if (rt_split_file(file, len, &meta, &metalen, &obj, &objlen, err, errlen) < 0)
		return -1;
	return rt_parse_meta(meta, metalen, out, err, errlen);
}
