/*-------------------------------------------------------------------------
 *
 * fuzz_module.c
 *		libFuzzer harness over module-file parsing, verification and
 *		loading: tmebox_module_parse (header + metadata),
 *		tmebox_module_verify (everything tmebox_module_load checks before
 *		mapping: header, metadata, the ELF object, the ABI symbols), and
 *		for a file verify accepts, tmebox_module_load + unload (the
 *		runtime's own loader: mapping, relocations, protections; no module
 *		code runs while loading).  The seed corpus is
 *		real modules written by tmebox-cc (see the Makefile); libFuzzer's
 *		mutations then go where coverage leads, where the runtime's own
 *		`make fuzz` (tests/fuzz_verify.c) flips random bytes of one file.
 *
 * The first input byte is the size of the error buffer (0..255, allocated
 * to exactly that size so ASan sees any overflow of it); the rest is the
 * module file, in a block of exactly its size.
 *
 * Oracles, on top of ASan/UBSan/LSan: every message is NUL-terminated
 * inside the error buffer; what verify accepts, parse accepts; a parsed
 * description is well formed (names, type codes, argument counts); the
 * loader neither crashes nor leaks on whatever verify accepted.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>

#include "fz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fz_check_err(const char *err, size_t errlen, const char *what)
{
	if (errlen > 0 && memchr(err, '\0', errlen) == NULL)
		fz_fail("%s: error message not terminated inside its buffer", what);
}

static bool
fz_ident(const char *s)
{
	if (s == NULL || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
					   (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			  (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static void
fz_check_info(const tmebox_module_info *info)
{
	int			i,
				j;

	if (info->nexports < 0 || info->nskipped < 0)
		fz_fail("negative counts");
	for (i = 0; i < info->nexports; i++)
	{
		const tmebox_signature *s = &info->exports[i];

		if (!fz_ident(s->name) || s->csig == NULL)
			fz_fail("export %d: bad name or no csig", i);
		if (s->nargs < 0 || s->nargs > TMEBOX_MAX_ARGS)
			fz_fail("export %s: %d arguments", s->name, s->nargs);
		if (s->ret < TMEBOX_T_VOID || s->ret >= TMEBOX_T_COUNT)
			fz_fail("export %s: bad return type %d", s->name, s->ret);
		for (j = 0; j < s->nargs; j++)
			if (s->args[j] <= TMEBOX_T_VOID || s->args[j] >= TMEBOX_T_COUNT)
				fz_fail("export %s: bad argument type %d", s->name, s->args[j]);
		for (j = 0; j < i; j++)
			if (strcmp(info->exports[j].name, s->name) == 0)
				fz_fail("duplicate export %s accepted", s->name);
	}
	for (i = 0; i < info->nskipped; i++)
		if (info->skipped[i] == NULL)
			fz_fail("skipped entry %d is NULL", i);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		errlen;
	char	   *err;
	uint8_t    *file;
	size_t		len;
	tmebox_module_info *info = NULL;
	int			prc,
				vrc;

	if (size < 1)
		return 0;
	errlen = data[0];
	len = size - 1;
	err = malloc(errlen ? errlen : 1);
	file = malloc(len ? len : 1);
	memcpy(file, data + 1, len);

	prc = tmebox_module_parse(file, len, &info, err, errlen);
	if (prc == 0)
	{
		fz_check_info(info);
		tmebox_module_info_free(info);
	}
	else
		fz_check_err(err, errlen, "parse");
	vrc = tmebox_module_verify(file, len, err, errlen);
	if (vrc != 0)
		fz_check_err(err, errlen, "verify");
	if (vrc == 0 && prc != 0)
		fz_fail("verify accepted a file that parse refused");
	if (vrc == 0)
	{
		tmebox_module *mod = NULL;

		if (tmebox_module_load(file, len, &mod, err, errlen) == 0)
			tmebox_module_unload(mod);
		else
			fz_check_err(err, errlen, "load");
	}
	free(file);
	free(err);
	return 0;
}
