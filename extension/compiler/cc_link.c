/*-------------------------------------------------------------------------
 *
 * cc_link.c
 *		Runs ld.lld on the emitted object, inside the private temp
 *		directory and under the child limits, after checking that the
 *		object asks the linker for nothing but the link itself.
 *
 * Why the check: an ELF object can name further linker inputs.
 * `#pragma comment(lib, "PATH")` becomes an SHT_LLVM_DEPENDENT_LIBRARIES
 * section (.deplibs) that lld opens as an input (any file on the server:
 * an archive with native code, a linker script, a file whose first line
 * lld then quotes in its error), and `#pragma comment(linker, ...)` an
 * SHT_LLVM_LINKER_OPTIONS section.  The IR check refuses both pragmas
 * (cc_check.c); this check and --no-dependent-libraries hold even if it
 * did not.  An undefined symbol would be resolved by lld from whatever it
 * was given: the object must have none.
 *
 * Invariants kept here:
 *	- Inputs and outputs are fixed names in job->tmpdir (never a
 *	  predictable path in a shared directory); lld gets exactly one input,
 *	  the compiler's own object, which has only the section types of
 *	  cc_link_section_ok and no undefined symbol.
 *	- The flags below are the whole link, every option explicit: no
 *	  default libraries, no search paths, no dependent libraries, no
 *	  undefined symbols; no static symbol table (--strip-all): the module
 *	  carries no source file name or internal symbol, so the same source
 *	  always gives the same bytes, whatever its file name (the backend
 *	  shares identical modules between tenants).
 *	- lld's own output (which names the temp directory) is captured and
 *	  shown only with -v: a failed link is an internal error, never a
 *	  channel for file contents or server paths.
 *	- Every offset and size read from the object is bounds-checked.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_link.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest shared object accepted back from the linker. */
#define CC_LINK_MAX_SO	(1u << 30)

#ifndef SHT_X86_64_UNWIND
#define SHT_X86_64_UNWIND	0x70000001
#endif
#define CC_SHT_LLVM_ADDRSIG	0x6fff4c03

/* Section types the code generator emits for a module. */
static int
cc_link_section_ok(uint32_t type)
{
	switch (type)
	{
		case SHT_NULL:
		case SHT_PROGBITS:
		case SHT_NOBITS:
		case SHT_SYMTAB:
		case SHT_STRTAB:
		case SHT_RELA:
		case SHT_NOTE:
		case SHT_X86_64_UNWIND:
		case CC_SHT_LLVM_ADDRSIG:
			return 1;
		default:
			return 0;
	}
}

/* [off, off + n) inside a buffer of len bytes? */
static int
cc_link_in(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

/*
 * Check the object before lld sees it: only expected section types, no
 * undefined symbol.  0, or -1 after a message.
 */
static int
cc_link_check_object(const uint8_t *obj, size_t len)
{
	Elf64_Ehdr	eh;
	uint64_t	i;

	if (len < sizeof(eh))
		goto bad;
	memcpy(&eh, obj, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
		eh.e_type != ET_REL || eh.e_shentsize != sizeof(Elf64_Shdr) ||
		!cc_link_in(len, eh.e_shoff, (uint64_t) eh.e_shnum * sizeof(Elf64_Shdr)))
		goto bad;
	for (i = 0; i < eh.e_shnum; i++)
	{
		Elf64_Shdr	sh;

		memcpy(&sh, obj + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (!cc_link_section_ok(sh.sh_type))
		{
			cc_msg("error: the object asks the linker for more than the link "
				   "(section type 0x%x; #pragma comment and similar are not allowed)",
				   (unsigned) sh.sh_type);
			return -1;
		}
		if (sh.sh_type == SHT_SYMTAB)
		{
			uint64_t	j;

			if (sh.sh_entsize != sizeof(Elf64_Sym) || !cc_link_in(len, sh.sh_offset, sh.sh_size) ||
				sh.sh_link >= eh.e_shnum)
				goto bad;
			for (j = 1; j < sh.sh_size / sizeof(Elf64_Sym); j++)
			{
				Elf64_Sym	sym;

				memcpy(&sym, obj + sh.sh_offset + j * sizeof(sym), sizeof(sym));
				if (sym.st_shndx == SHN_UNDEF && sym.st_name != 0)
				{
					Elf64_Shdr	strs;
					const char *name = "?";

					memcpy(&strs, obj + eh.e_shoff + (uint64_t) sh.sh_link * sizeof(strs), sizeof(strs));
					if (cc_link_in(len, strs.sh_offset, strs.sh_size) && sym.st_name < strs.sh_size &&
						memchr(obj + strs.sh_offset + sym.st_name, '\0', strs.sh_size - sym.st_name))
						name = (const char *) obj + strs.sh_offset + sym.st_name;
					if (strcmp(name, "_GLOBAL_OFFSET_TABLE_") == 0)
						continue;
					cc_msg("error: the generated code needs the external symbol \"%s\", "
						   "which the sandbox does not provide", name);
					return -1;
				}
			}
		}
	}
	return 0;

bad:
	cc_msg("internal error: the code generator produced a malformed object");
	return -1;
}

int
cc_link_shared(const cc_job *job, const void *obj, size_t objlen, cc_buf *so)
{
	char	   *opath = cc_asprintf("%s/module.o", job->tmpdir);
	char	   *spath = cc_asprintf("%s/module.so", job->tmpdir);
	const char *argv[] = {
		job->lld_path, "-shared", "-nostdlib", "--no-dependent-libraries",
		"--no-undefined", "-z", "defs", "-z", "noexecstack", "-z", "relro",
		"-z", "now", "--hash-style=gnu", "--build-id=none", "--strip-all",
		"--error-limit=1",
		"-o", spath, opath, NULL
	};
	cc_buf		out;
	int			rc = -1;

	cc_buf_init(&out);
	if (cc_link_check_object(obj, objlen) == 0 &&
		cc_write_file(opath, obj, objlen) == 0)
	{
		int			st = cc_run(argv, NULL, NULL, "ld.lld", job->tmpdir,
								&job->limits, &out, job->verbose);

		if (st > 0)
		{
			cc_msg("internal error: linking the module failed (ld.lld exit status %d)", st);
			if (job->verbose && out.len > 0)
				fprintf(stderr, "%.*s", (int) out.len, out.data);
		}
		else if (st == 0)
			rc = cc_read_file(spath, CC_LINK_MAX_SO, so);
	}
	cc_buf_free(&out);
	free(opath);
	free(spath);
	return rc;
}
