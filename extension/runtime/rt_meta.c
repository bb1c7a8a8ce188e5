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

static bool
rt_is_ident(const char *s, size_t n)
{
	size_t		i;

	if (n == 0 || n > TMEBOX_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
	{
		char		c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			  (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return true;
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
tmebox_module_info_free(tmebox_module_info *info)
{
	int			i;

	if (info == NULL)
		return;
	for (i = 0; i < info->nexports; i++)
	{
		free(info->exports[i].name);
		free(info->exports[i].csig);
	}
	for (i = 0; i < info->nskipped; i++)
		free(info->skipped[i]);
	free(info->exports);
	free(info->skipped);
	free(info);
}

static int
rt_find_sig(const tmebox_module_info *info, const char *name, size_t n)
{
	int			i;

	for (i = 0; i < info->nexports; i++)
		if (strlen(info->exports[i].name) == n &&
			memcmp(info->exports[i].name, name, n) == 0)
			return i;
	return -1;
}

static bool
rt_skipped_has(const tmebox_module_info *info, const char *name, size_t n)
{
	int			i;

	for (i = 0; i < info->nskipped; i++)
		if (strncmp(info->skipped[i], name, n) == 0 && info->skipped[i][n] == ' ')
			return true;
	return false;
}

/* Parse one "export NAME RET [ARG...]" payload (after "export "). */
static int
rt_parse_export(tmebox_module_info *info, const char *s, size_t n, int lineno,
				char *err, size_t errlen)
{
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
			if (rt_find_sig(info, tok, tl) >= 0 || rt_skipped_has(info, tok, tl))
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

			if (code < 0 || (ntok > 1 && code == TMEBOX_T_VOID))
			{
				rt_errf(err, errlen, "metadata line %d: invalid type code \"%.*s\"",
						lineno, (int) (tl > 20 ? 20 : tl), tok);
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
	return 0;

oom:
	rt_errf(err, errlen, "out of memory");
fail:
	free(sig->name);
	sig->name = NULL;
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
	const char *p = meta;
	const char *end = meta + metalen;
	int			lineno = 0;
	int			maxlines = 0;
	bool		seen_view_bits = false;
	size_t		i;

	*out = NULL;
	/* count lines to size the arrays */
	for (i = 0; i < metalen; i++)
		if (meta[i] == '\n')
			maxlines++;
	maxlines++;

	info = calloc(1, sizeof(*info));
	if (info == NULL)
		goto oom;
	info->exports = calloc(maxlines, sizeof(tmebox_signature));
	info->skipped = calloc(maxlines, sizeof(char *));
	if (info->exports == NULL || info->skipped == NULL)
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
			rt_errf(err, errlen, "metadata line %d: unknown line \"%.*s\"",
					lineno, (int) (ll > 40 ? 40 : ll), p);
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
			if (rt_parse_export(info, sp + 1, le - sp - 1, lineno, err, errlen) < 0)
				goto fail;
		}
		else if ((sp - p == 4 && memcmp(p, "csig", 4) == 0) ||
				 (sp - p == 7 && memcmp(p, "skipped", 7) == 0))
		{
			const char *name = sp + 1;
			const char *sp2 = memchr(name, ' ', le - name);
			size_t		nl2 = sp2 ? (size_t) (sp2 - name) : 0;

			if (sp2 == NULL || !rt_is_ident(name, nl2) || sp2 + 1 >= le)
			{
				rt_errf(err, errlen, "metadata line %d: expected \"%.*s NAME TEXT\"",
						lineno, (int) (sp - p), p);
				goto fail;
			}
			if (*p == 'c')
			{
				int			k = rt_find_sig(info, name, nl2);

				if (k < 0)
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
				if (rt_find_sig(info, name, nl2) >= 0 || rt_skipped_has(info, name, nl2))
				{
					rt_errf(err, errlen, "metadata line %d: duplicate name \"%.*s\"",
							lineno, (int) nl2, name);
					goto fail;
				}
				info->skipped[info->nskipped] = rt_strndup(name, le - name);
				if (info->skipped[info->nskipped] == NULL)
					goto oom;
				info->nskipped++;
			}
		}
		else
		{
			rt_errf(err, errlen, "metadata line %d: unknown key \"%.*s\"",
					lineno, (int) (sp - p > 40 ? 40 : sp - p), p);
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
	*out = info;
	return 0;

oom:
	rt_errf(err, errlen, "out of memory");
fail:
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
