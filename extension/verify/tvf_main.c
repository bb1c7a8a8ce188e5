/*-------------------------------------------------------------------------
 *
 * tvf_main.c
 *		tmebox-verify: run the verifier on module files (.tmbx, as
 *		tmebox-cc writes them and the catalog stores them) or on bare ELF
 *		shared objects, and say for each whether it passes.
 *
 *	  tmebox-verify [-q] FILE...
 *
 * A file that passes gets its statistics, with the native-stack bound of
 * any call into it (tvf_stats.max_stack).
 *
 * Exit status: 0 when every file passes, 1 when one is refused or
 * unreadable, 2 on a usage error.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmebox_abi.h"
#include "tvf.h"

#define TVF_MAX_FILE	(1u << 30)

static uint8_t *
read_all(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t    *buf = NULL;
	size_t		n = 0,
				cap = 0;

	if (f == NULL)
		return NULL;
	for (;;)
	{
		size_t		r;

		if (n == cap)
		{
			uint8_t    *b;

			cap = cap ? cap * 2 : 65536;
			if (cap > TVF_MAX_FILE || (b = realloc(buf, cap)) == NULL)
			{
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f))
	{
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	int			rc = 0;
	int			first = 1;
	int			quiet = 0;

	if (argc > 1 && strcmp(argv[1], "-q") == 0)
	{
		quiet = 1;
		first = 2;
	}
	if (first >= argc || strcmp(argv[first], "-h") == 0 || strcmp(argv[first], "--help") == 0)
	{
		fprintf(first >= argc ? stderr : stdout,
				"usage: tmebox-verify [-q] MODULE.tmbx|OBJECT.so...\n"
				"Check each module object against the tmebox verifier's rules\n"
				"(extension/verify/README.md).  -q: print refusals only.\n"
				"Exit status: 0 all pass, 1 a file is refused or unreadable, 2 usage.\n");
		return first >= argc ? 2 : 0;
	}
	for (int i = first; i < argc; i++)
	{
		size_t		len = 0;
		uint8_t    *buf = read_all(argv[i], &len);
		const uint8_t *obj;
		size_t		objlen;
		char		err[512];
		tvf_stats	st;

		if (buf == NULL)
		{
			fprintf(stderr, "tmebox-verify: %s: cannot read the file\n", argv[i]);
			rc = 1;
			continue;
		}
		obj = buf;
		objlen = len;
		if (len >= 8 && memcmp(buf, TMEBOX_MODULE_MAGIC, 8) == 0 &&
			tvf_module_object(buf, len, &obj, &objlen, err, sizeof(err)) < 0)
		{
			fprintf(stderr, "%s: error: %s\n", argv[i], err);
			rc = 1;
		}
		else if (tvf_verify_object_ex(obj, objlen, &st, err, sizeof(err)) < 0)
		{
			fprintf(stderr, "%s: error: %s\n", argv[i], err);
			rc = 1;
		}
		else if (!quiet)
		{
			char		bound[96];

			if (st.max_stack == TVF_STACK_UNBOUNDED && st.stack_cycle != 0)
				snprintf(bound, sizeof(bound), "unbounded (recursion through the function at 0x%llx)",
						 (unsigned long long) st.stack_cycle);
			else if (st.max_stack == TVF_STACK_UNBOUNDED)
				snprintf(bound, sizeof(bound), "unbounded (4 GiB or more)");
			else
				snprintf(bound, sizeof(bound), "%u bytes", st.max_stack);
			printf("%s: ok (%u functions from %u roots, %u instructions, %u host calls, deepest frame %u bytes, native stack bound %s)\n",
				   argv[i], st.nfunctions, st.nroots, st.ninsns, st.nhostcalls, st.max_frame,
				   bound);
		}
		free(buf);
	}
	return rc;
}
