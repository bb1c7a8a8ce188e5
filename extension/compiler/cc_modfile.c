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
 *	- There is one reader of module files: the validator is the runtime's
 *	  tmebox_module_parse (rt_meta.c, compiled into tmebox-cc), which
 *	  trusts nothing in the file, plus a check of the object's ELF header.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_modfile.h"
#include "tmebox_abi.h"
#include "tmebox_rt.h"

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

	if (meta->len > TMEBOX_MODULE_MAX_METADATA)
	{
		/* every reader refuses it (rt_meta.c) */
		cc_msg("error: module metadata too large (%zu bytes, at most %d): the C declarations of the exports are too long",
			   meta->len, TMEBOX_MODULE_MAX_METADATA);
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

int
cc_modfile_validate(const unsigned char *data, size_t len, const char **meta,
					size_t *metalen, size_t *objlen, const char **why)
{
	static char err[256];
	tmebox_module_info *info;
	uint64_t	m;
	uint64_t	n;
	const unsigned char *obj;

	/* header and metadata: the runtime's own reader (rt_meta.c) */
	if (tmebox_module_parse(data, len, &info, err, sizeof(err)) != 0)
	{
		*why = err;
		return -1;
	}
	tmebox_module_info_free(info);
	m = cc_mod_get_le(data + 12, 4);
	n = cc_mod_get_le(data + 16, 8);
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
