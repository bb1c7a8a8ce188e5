/*-------------------------------------------------------------------------
 *
 * mkmodule.c
 *		Test packer: writes a tmebox module file (tmebox_abi.h "Module
 *		file": 24-byte header, metadata, ELF object) from a metadata text
 *		file and a shared object.  Stands in for tmebox-cc's output stage.
 *
 *		usage: mkmodule -o OUT METADATA OBJECT
 *
 * Invariant: writes the header exactly as the ABI says (little endian)
 * and nothing else; does not validate the inputs (tests want bad ones).
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/tmebox_abi.h"

static const char *progname = "mkmodule";

static void
usage(void)
{
	fprintf(stderr, "usage: %s -o OUT METADATA OBJECT\n", progname);
	exit(2);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	size_t		cap = 0,
				n = 0;

	if (f == NULL)
	{
		fprintf(stderr, "%s: could not open \"%s\": %s\n", progname, path, strerror(errno));
		exit(1);
	}
	for (;;)
	{
		size_t		r;

		if (n == cap)
		{
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (buf == NULL)
			{
				fprintf(stderr, "%s: out of memory\n", progname);
				exit(1);
			}
		}
		r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f))
	{
		fprintf(stderr, "%s: could not read \"%s\"\n", progname, path);
		exit(1);
	}
	fclose(f);
	*len = n;
	return buf;
}

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	char	   *meta,
			   *obj;
	size_t		mlen,
				olen;
	unsigned char hdr[TMEBOX_MODULE_HEADER_SIZE];
	FILE	   *f;

	if (argc != 5 || strcmp(argv[1], "-o") != 0)
		usage();
	out = argv[2];
	meta = slurp(argv[3], &mlen);
	obj = slurp(argv[4], &olen);
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, TMEBOX_MODULE_MAGIC, 8);
	put_le(hdr + 8, TMEBOX_ABI_VERSION, 4);
	put_le(hdr + 12, mlen, 4);
	put_le(hdr + 16, olen, 8);
	f = fopen(out, "wb");
	if (f == NULL ||
		fwrite(hdr, 1, sizeof(hdr), f) != sizeof(hdr) ||
		fwrite(meta, 1, mlen, f) != mlen ||
		fwrite(obj, 1, olen, f) != olen ||
		fclose(f) != 0)
	{
		fprintf(stderr, "%s: could not write \"%s\": %s\n", progname, out, strerror(errno));
		return 1;
	}
	free(meta);
	free(obj);
	return 0;
}
