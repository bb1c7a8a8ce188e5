/*-------------------------------------------------------------------------
 *
 * cc_modfile.c
 *		Writes, validates and describes tmebox module files.
 *
 * Invariants kept here:
 *	- The writer emits exactly the layout of tmebox_abi.h, and the
 *	  metadata lines of ABI.md in a fixed order: the two header lines, then
 *	  for each user function in source order either "export"+"csig" or
 *	  "skipped".
 *	- The validator trusts nothing in the file: every length is checked
 *	  against the real size (without overflow) before use.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_modfile.h"
#include "tmebox_abi.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest module file --print-info reads. */
#define CC_MOD_MAX_FILE	(1u << 30)

static void
cc_mod_put_le(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

static uint64_t
cc_mod_get_le(const unsigned char *p, int bytes)
{
	uint64_t	v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

void
cc_modfile_metadata(const cc_sigs *sigs, cc_buf *meta)
{
	cc_buf_printf(meta, "tmebox-module %d\nview-bits %d\n",
				  TMEBOX_ABI_VERSION, TMEBOX_VIEW_BITS);
	for (int i = 0; i < sigs->n; i++)
	{
		const cc_sig *s = &sigs->v[i];

		if (s->exported)
			cc_buf_printf(meta, "export %s %s\ncsig %s %s\n", s->name, s->codes,
						  s->name, s->csig);
		else
			cc_buf_printf(meta, "skipped %s %s\n", s->name, s->reason);
	}
}

int
cc_modfile_write(const char *path, const cc_buf *meta, const void *obj, size_t objlen)
{
	cc_buf		file;
	unsigned char hdr[TMEBOX_MODULE_HEADER_SIZE];
	int			rc;

	if (meta->len > UINT32_MAX)
	{
		cc_msg("error: module metadata too large");
		return -1;
	}
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, TMEBOX_MODULE_MAGIC, sizeof(TMEBOX_MODULE_MAGIC));
	cc_mod_put_le(hdr + 8, TMEBOX_ABI_VERSION, 4);
	cc_mod_put_le(hdr + 12, meta->len, 4);
	cc_mod_put_le(hdr + 16, objlen, 8);
	cc_buf_init(&file);
	cc_buf_append(&file, hdr, sizeof(hdr));
	cc_buf_append(&file, meta->data, meta->len);
	cc_buf_append(&file, obj, objlen);
	rc = cc_write_replace(path, file.data, file.len);
	cc_buf_free(&file);
	return rc;
}

static bool
cc_mod_ident(const char *s, size_t n)
{
	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			  (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static bool
cc_mod_code(const char *s, size_t n, bool first)
{
	static const char *const codes[] = {
		"void", "bool", "i16", "i32", "i64", "f32", "f64", "buf", "ai32", "ai64", "af64", NULL
	};

	for (int i = 0; codes[i]; i++)
		if (strlen(codes[i]) == n && memcmp(codes[i], s, n) == 0)
			return first || i > 0;	/* void only as the return type */
	return false;
}

/* Names seen so far, per kind (0 export, 1 csig, 2 skipped). */
typedef struct cc_mod_names
{
	char	  **v;
	int			n;
	int			cap;
	int		   *kind;
} cc_mod_names;

static bool
cc_mod_seen(const cc_mod_names *nm, const char *name, size_t n, int kind)
{
	for (int i = 0; i < nm->n; i++)
		if (nm->kind[i] == kind && strlen(nm->v[i]) == n && memcmp(nm->v[i], name, n) == 0)
			return true;
	return false;
}

static void
cc_mod_add(cc_mod_names *nm, const char *name, size_t n, int kind)
{
	if (nm->n == nm->cap)
	{
		nm->cap = nm->cap ? nm->cap * 2 : 16;
		nm->v = cc_realloc(nm->v, sizeof(char *) * nm->cap);
		nm->kind = cc_realloc(nm->kind, sizeof(int) * nm->cap);
	}
	nm->v[nm->n] = strndup(name, n);
	if (nm->v[nm->n] == NULL)
		nm->v[nm->n] = cc_strdup("");
	nm->kind[nm->n++] = kind;
}

static void
cc_mod_names_free(cc_mod_names *nm)
{
	for (int i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	free(nm->kind);
}

/* Validate the metadata text (ABI.md).  NULL when valid, else the reason. */
static const char *
cc_mod_check_meta(const char *m, size_t len)
{
	cc_mod_names nm = {0};
	const char *why = NULL;
	size_t		pos = 0;
	int			lineno = 0;
	char		head[2][32];

	snprintf(head[0], sizeof(head[0]), "tmebox-module %d", TMEBOX_ABI_VERSION);
	snprintf(head[1], sizeof(head[1]), "view-bits %d", TMEBOX_VIEW_BITS);
	if (len == 0 || m[len - 1] != '\n')
		return "metadata does not end with a newline";
	if (memchr(m, '\0', len) != NULL)
		return "metadata contains a NUL byte";
	while (pos < len && why == NULL)
	{
		const char *line = m + pos;
		size_t		n = (size_t) ((const char *) memchr(line, '\n', len - pos) - line);
		const char *sp = memchr(line, ' ', n);
		size_t		keylen = sp ? (size_t) (sp - line) : n;
		const char *rest = sp ? sp + 1 : line + n;
		size_t		restlen = n - (sp ? keylen + 1 : keylen);
		const char *nsp = memchr(rest, ' ', restlen);
		size_t		namelen = nsp ? (size_t) (nsp - rest) : restlen;

		pos += n + 1;
		if (lineno < 2)
		{
			if (n != strlen(head[lineno]) || memcmp(line, head[lineno], n) != 0)
				why = lineno == 0 ? "metadata does not start with \"tmebox-module 1\""
					: "metadata second line is not \"view-bits 32\"";
			lineno++;
			continue;
		}
		lineno++;
		if (!cc_mod_ident(rest, namelen))
			why = "metadata line without a valid function name";
		else if (keylen == 6 && memcmp(line, "export", 6) == 0)
		{
			const char *t = rest + namelen;
			const char *end = line + n;
			int			ncodes = 0;

			if (cc_mod_seen(&nm, rest, namelen, 0) || cc_mod_seen(&nm, rest, namelen, 2))
				why = "duplicate function in metadata";
			while (why == NULL && t < end)
			{
				const char *c = t + 1;
				const char *ce = memchr(c, ' ', (size_t) (end - c));

				if (ce == NULL)
					ce = end;
				if (*t != ' ' || !cc_mod_code(c, (size_t) (ce - c), ncodes == 0))
					why = "bad type code in an export line";
				ncodes++;
				t = ce;
			}
			if (why == NULL && (ncodes == 0 || ncodes > 33))
				why = "export line with a bad number of types";
			if (why == NULL)
				cc_mod_add(&nm, rest, namelen, 0);
		}
		else if (keylen == 4 && memcmp(line, "csig", 4) == 0)
		{
			if (!cc_mod_seen(&nm, rest, namelen, 0) || cc_mod_seen(&nm, rest, namelen, 1))
				why = "csig line without its export line, or duplicated";
			else if (nsp == NULL || nsp + 1 >= line + n)
				why = "csig line without a declaration";
			else
				cc_mod_add(&nm, rest, namelen, 1);
		}
		else if (keylen == 7 && memcmp(line, "skipped", 7) == 0)
		{
			if (cc_mod_seen(&nm, rest, namelen, 0) || cc_mod_seen(&nm, rest, namelen, 2))
				why = "duplicate function in metadata";
			else if (nsp == NULL || nsp + 1 >= line + n)
				why = "skipped line without a reason";
			else
				cc_mod_add(&nm, rest, namelen, 2);
		}
		else
			why = "unknown metadata line";
	}
	if (why == NULL && lineno < 2)
		why = "metadata is truncated";
	for (int i = 0; why == NULL && i < nm.n; i++)
		if (nm.kind[i] == 0 && !cc_mod_seen(&nm, nm.v[i], strlen(nm.v[i]), 1))
			why = "export without a csig line";
	cc_mod_names_free(&nm);
	return why;
}

int
cc_modfile_validate(const unsigned char *data, size_t len, const char **meta,
					size_t *metalen, size_t *objlen, const char **why)
{
	uint64_t	m;
	uint64_t	n;
	const unsigned char *obj;

	if (len < TMEBOX_MODULE_HEADER_SIZE ||
		memcmp(data, TMEBOX_MODULE_MAGIC, sizeof(TMEBOX_MODULE_MAGIC)) != 0)
	{
		*why = "not a tmebox module (bad magic)";
		return -1;
	}
	if (cc_mod_get_le(data + 8, 4) != TMEBOX_ABI_VERSION)
	{
		*why = "unsupported module format version";
		return -1;
	}
	m = cc_mod_get_le(data + 12, 4);
	n = cc_mod_get_le(data + 16, 8);
	if (m > len - TMEBOX_MODULE_HEADER_SIZE ||
		n != len - TMEBOX_MODULE_HEADER_SIZE - m)
	{
		*why = "section lengths do not match the file size";
		return -1;
	}
	*why = cc_mod_check_meta((const char *) data + TMEBOX_MODULE_HEADER_SIZE, (size_t) m);
	if (*why != NULL)
		return -1;
	obj = data + TMEBOX_MODULE_HEADER_SIZE + m;
	if (n < 64 || memcmp(obj, "\177ELF", 4) != 0 || obj[4] != 2 /* ELFCLASS64 */ ||
		obj[5] != 1 /* ELFDATA2LSB */ ||
		cc_mod_get_le(obj + 16, 2) != 3 /* ET_DYN */ ||
		cc_mod_get_le(obj + 18, 2) != 62 /* EM_X86_64 */ )
	{
		*why = "the object is not an ELF64 x86-64 shared object";
		return -1;
	}
	*meta = (const char *) data + TMEBOX_MODULE_HEADER_SIZE;
	*metalen = (size_t) m;
	*objlen = (size_t) n;
	return 0;
}

int
cc_modfile_print_info(const char *path, bool verbose)
{
	cc_buf		file;
	const char *meta;
	const char *why;
	size_t		metalen;
	size_t		objlen;

	if (cc_read_file(path, CC_MOD_MAX_FILE, &file) != 0)
		return -1;
	if (cc_modfile_validate((const unsigned char *) file.data, file.len,
							&meta, &metalen, &objlen, &why) != 0)
	{
		cc_msg("error: \"%s\": %s", path, why);
		cc_buf_free(&file);
		return -1;
	}
	fwrite(meta, 1, metalen, stdout);
	if (verbose)
		printf("object ELF64 x86-64 shared object, %zu bytes\n", objlen);
	cc_buf_free(&file);
	if (fflush(stdout) != 0)
	{
		cc_msg("error: cannot write to standard output");
		return -1;
	}
	return 0;
}
