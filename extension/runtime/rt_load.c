/*-------------------------------------------------------------------------
 *
 * rt_load.c
 *		Map a module object that rt_elf_check accepted: our own minimal
 *		loader instead of dlopen.  One anonymous mapping covers every
 *		PT_LOAD segment; the segments' bytes are copied in, the
 *		relocations applied (RELATIVE, 64, GLOB_DAT, JUMP_SLOT against the
 *		object's own defined symbols), then each segment gets its final
 *		protection (RELRO read-only, gaps none).
 *
 * Why not dlopen: a dlopen'ed object needs a name no other loaded object
 * has (glibc returns the already-loaded object for a known name), which
 * with memfd_create meant one file descriptor held open per module (a
 * backend has about a thousand to share with PostgreSQL), and every
 * loaded object joins glibc's link map, which each further dlopen and
 * every dl_iterate_phdr walk.  A module needs none of what ld.so offers:
 * it has no dependencies, no initialisers, no TLS, no symbol to resolve
 * outside itself.
 *
 * Invariants:
 *	- No byte of the module runs, and no page is executable, before every
 *	  relocation is applied; no page is ever writable and executable.
 *	- Every relocation writes 8 bytes inside a writable PT_LOAD of this
 *	  object and names a symbol defined inside it (text relocations and
 *	  absolute symbols are refused): the loader writes nothing else.
 *	- Nothing of the object touches the file system and no descriptor is
 *	  kept: the mapping is the only resource, released by munmap.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "rt_internal.h"

#define RT_PAGE_DOWN(x)	((x) & ~(uint64_t) (TMEBOX_PAGE_SIZE - 1))
#define RT_PAGE_UP(x)	RT_PAGE_DOWN((x) + TMEBOX_PAGE_SIZE - 1)

/* The writable PT_LOAD containing [addr, addr + 8), or NULL. */
static const rt_elf_load *
rt_writable_load(const rt_elf_syms *s, uint64_t addr)
{
	for (int i = 0; i < s->nloads; i++)
	{
		const rt_elf_load *l = &s->loads[i];

		if ((l->flags & PF_W) && addr >= l->vaddr && l->memsz >= 8 &&
			addr - l->vaddr <= l->memsz - 8)
			return l;
	}
	return NULL;
}

/* Apply the n RELA entries at file offset off.  0, or -1 and err. */
static int
rt_relocate(const uint8_t *obj, const rt_elf_syms *s, uint8_t *map,
			uint64_t off, uint64_t n, char *err, size_t errlen)
{
	for (uint64_t i = 0; i < n; i++)
	{
		Elf64_Rela	r;
		Elf64_Sym	sym;
		uint64_t	type,
					symi,
					val;

		memcpy(&r, obj + off + i * sizeof(r), sizeof(r));
		type = ELF64_R_TYPE(r.r_info);
		symi = ELF64_R_SYM(r.r_info);
		if (type == R_X86_64_NONE)
			continue;
		if (rt_writable_load(s, r.r_offset) == NULL)
		{
			rt_errf(err, errlen, "module object: relocation at 0x%llx is not in writable data",
					(unsigned long long) r.r_offset);
			return -1;
		}
		if (type == R_X86_64_RELATIVE)
			val = (uint64_t) (uintptr_t) map + (uint64_t) r.r_addend;
		else
		{
			/* symi < nsyms was checked; the symbol is defined (no UNDEF) */
			memcpy(&sym, obj + s->symoff + symi * sizeof(sym), sizeof(sym));
			if (symi == 0 || sym.st_shndx == SHN_ABS || sym.st_value >= s->span)
			{
				rt_errf(err, errlen, "module object: relocation against symbol %llu outside the object",
						(unsigned long long) symi);
				return -1;
			}
			val = (uint64_t) (uintptr_t) map + sym.st_value;
			if (type == R_X86_64_64)
				val += (uint64_t) r.r_addend;
		}
		memcpy(map + r.r_offset, &val, sizeof(val));
	}
	return 0;
}

static int
rt_prot(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
		((flags & PF_X) ? PROT_EXEC : 0);
}

int
rt_load_object(const uint8_t *obj, size_t len, const rt_elf_syms *s,
			   uint8_t **map_out, size_t *len_out, char *err, size_t errlen)
{
	uint64_t	span = RT_PAGE_UP(s->span);
	uint64_t	prev_end = 0;
	uint8_t    *map;

	(void) len;					/* every offset used was checked against it */
	*map_out = NULL;
	*len_out = 0;
	if (s->nloads == 0 || span == 0 || span > RT_MAX_SPAN)
	{
		rt_errf(err, errlen, "module object: bad segment span");
		return -1;
	}
	/* segments in address order, never sharing a page */
	for (int i = 0; i < s->nloads; i++)
	{
		const rt_elf_load *l = &s->loads[i];

		if (RT_PAGE_DOWN(l->vaddr) < prev_end)
		{
			rt_errf(err, errlen, "module object: PT_LOAD segments overlap or share a page");
			return -1;
		}
		prev_end = RT_PAGE_UP(l->vaddr + l->memsz);
	}

	map = mmap(NULL, span, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
	{
		rt_errf(err, errlen, "could not map the module object: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < s->nloads; i++)
		memcpy(map + s->loads[i].vaddr, obj + s->loads[i].offset, s->loads[i].filesz);
	if (rt_relocate(obj, s, map, s->rela_off, s->rela_count, err, errlen) < 0 ||
		rt_relocate(obj, s, map, s->jmprel_off, s->jmprel_count, err, errlen) < 0)
		goto fail;

	/* final protections: gaps none, segments theirs, RELRO read-only */
	prev_end = 0;
	for (int i = 0; i <= s->nloads; i++)
	{
		uint64_t	lo = i < s->nloads ? RT_PAGE_DOWN(s->loads[i].vaddr) : span;

		if (lo > prev_end && mprotect(map + prev_end, lo - prev_end, PROT_NONE) != 0)
			goto fail_errno;
		if (i == s->nloads)
			break;
		prev_end = RT_PAGE_UP(s->loads[i].vaddr + s->loads[i].memsz);
		if (mprotect(map + lo, prev_end - lo, rt_prot(s->loads[i].flags)) != 0)
			goto fail_errno;
	}
	if (s->relro_hi > s->relro_lo &&
		RT_PAGE_DOWN(s->relro_hi) > RT_PAGE_DOWN(s->relro_lo) &&
		RT_PAGE_DOWN(s->relro_hi) <= span &&
		mprotect(map + RT_PAGE_DOWN(s->relro_lo),
				 RT_PAGE_DOWN(s->relro_hi) - RT_PAGE_DOWN(s->relro_lo), PROT_READ) != 0)
		goto fail_errno;
	*map_out = map;
	*len_out = span;
	return 0;

fail_errno:
	rt_errf(err, errlen, "could not protect the module object: %s", strerror(errno));
fail:
	munmap(map, span);
	return -1;
}
