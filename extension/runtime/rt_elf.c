/*-------------------------------------------------------------------------
 *
 * rt_elf.c
 *		Check a module's ELF object before anything of it is mapped, and
 *		record what the loader (rt_load.c) needs.
 *
 * What is refused (each with a message naming the problem): anything but
 * an ELF64 little-endian x86-64 ET_DYN; PT_INTERP, PT_TLS, unknown program
 * headers; a writable+executable or an unreadable segment; a missing or executable
 * PT_GNU_STACK (glibc would make every thread stack executable); dynamic
 * tags that make the loader run code or load other objects (DT_NEEDED,
 * DT_INIT, DT_INIT_ARRAY, DT_PREINIT_ARRAY, DT_FINI, DT_FINI_ARRAY,
 * DT_AUXILIARY, DT_FILTER) or patch text (DT_TEXTREL); undefined, TLS or
 * IFUNC symbols in .dynsym; relocations other than RELATIVE / 64 /
 * GLOB_DAT / JUMP_SLOT, or naming a symbol outside .dynsym; missing or
 * malformed ABI symbols (ABI.md), including a host table or interrupt slot
 * that the runtime could not write (read-only, or in a page RELRO makes
 * read-only).
 *
 * Invariants:
 *	- Every offset, size, address and count read from the object is
 *	  checked against the buffer with overflow-safe arithmetic before it
 *	  is dereferenced: a hostile object can make the check fail, never
 *	  read out of bounds.
 *	- The loader reads the object through its program headers and
 *	  PT_DYNAMIC, so that is what is checked (section headers are ignored).
 *
 *-------------------------------------------------------------------------
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "rt_internal.h"

#define RT_MAX_PHDRS	64

typedef struct rt_elf
{
	const uint8_t *data;
	size_t		len;
	Elf64_Phdr	ph[RT_MAX_PHDRS];	/* copy (the object may be unaligned) */
	int			phnum;
	uint64_t	relro_lo;
	uint64_t	relro_hi;
	uint64_t	symoff;			/* file offset of .dynsym */
	uint64_t	nsyms;
	const char *strtab;
	uint64_t	strsz;
	char	   *err;
	size_t		errlen;
} rt_elf;

/* [off, off + n) inside the buffer? */
static bool
rt_in_file(const rt_elf *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

/*
 * File offset of the n bytes at virtual address addr, which must lie in
 * the file-backed part of one PT_LOAD.  -1 if none.
 */
static int64_t
rt_vaddr_to_off(const rt_elf *e, uint64_t addr, uint64_t n)
{
	int			i;

	for (i = 0; i < e->phnum; i++)
	{
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (addr >= p->p_vaddr && addr - p->p_vaddr <= p->p_filesz &&
			n <= p->p_filesz - (addr - p->p_vaddr))
			return (int64_t) (p->p_offset + (addr - p->p_vaddr));
	}
	return -1;
}

/* The PT_LOAD covering [addr, addr + n) in memory (memsz), or NULL. */
static const Elf64_Phdr *
rt_load_of(const rt_elf *e, uint64_t addr, uint64_t n)
{
	int			i;

	for (i = 0; i < e->phnum; i++)
	{
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (addr >= p->p_vaddr && addr - p->p_vaddr <= p->p_memsz &&
			n <= p->p_memsz - (addr - p->p_vaddr))
			return p;
	}
	return NULL;
}

/* NUL-terminated name of a symbol, or NULL if st_name is out of range. */
static const char *
rt_sym_name(const rt_elf *e, const Elf64_Sym *s)
{
	if (s->st_name >= e->strsz)
		return NULL;
	if (memchr(e->strtab + s->st_name, '\0', e->strsz - s->st_name) == NULL)
		return NULL;
	return e->strtab + s->st_name;
}

/* Copy of symbol i (i < nsyms, checked by the caller). */
static void
rt_get_sym(const rt_elf *e, uint64_t i, Elf64_Sym *s)
{
	memcpy(s, e->data + e->symoff + i * sizeof(Elf64_Sym), sizeof(*s));
}

/* Defined global symbol NAME (what dlsym would return) into *out; false
 * if there is none. */
static bool
rt_find_sym(const rt_elf *e, const char *name, Elf64_Sym *out)
{
	uint64_t	i;

	for (i = 1; i < e->nsyms; i++)
	{
		Elf64_Sym	s;
		const char *n;
		int			bind;

		rt_get_sym(e, i, &s);
		n = rt_sym_name(e, &s);
		bind = ELF64_ST_BIND(s.st_info);
		if (n == NULL || strcmp(n, name) != 0)
			continue;
		if ((bind == STB_GLOBAL || bind == STB_WEAK) &&
			(ELF64_ST_VISIBILITY(s.st_other) == STV_DEFAULT ||
			 ELF64_ST_VISIBILITY(s.st_other) == STV_PROTECTED) &&
			s.st_shndx != SHN_UNDEF)
		{
			*out = s;
			return true;
		}
	}
	return false;
}

/* Symbol NAME must be a data object of at least size bytes; writable
 * means: in a PF_W PT_LOAD and outside PT_GNU_RELRO. */
static int
rt_need_object(rt_elf *e, const char *name, uint64_t size, bool writable,
			   uint64_t *addr)
{
	Elf64_Sym	sym;
	const Elf64_Sym *s = &sym;
	const Elf64_Phdr *p;

	if (!rt_find_sym(e, name, &sym))
	{
		rt_errf(e->err, e->errlen, "module object does not define \"%s\"", name);
		return -1;
	}
	if (ELF64_ST_TYPE(s->st_info) != STT_OBJECT || s->st_size < size)
	{
		rt_errf(e->err, e->errlen,
				"module object: \"%s\" is not a data object of at least %llu bytes",
				name, (unsigned long long) size);
		return -1;
	}
	/* RELRO is made read-only in whole pages: [page_down(lo), page_down(hi));
	 * what the runtime writes (pointers) must be 8-byte aligned */
	p = rt_load_of(e, s->st_value, size);
	if (p == NULL || (p->p_flags & PF_X) || (writable && s->st_value % 8 != 0) ||
		(writable && (!(p->p_flags & PF_W) ||
					  (s->st_value < (e->relro_hi & ~(uint64_t) (TMEBOX_PAGE_SIZE - 1)) &&
					   s->st_value + size > (e->relro_lo & ~(uint64_t) (TMEBOX_PAGE_SIZE - 1))))))
	{
		rt_errf(e->err, e->errlen,
				"module object: \"%s\" is not in a %s segment", name,
				writable ? "writable, non-RELRO data (8-byte aligned)" : "data");
		return -1;
	}
	*addr = s->st_value;
	return 0;
}

/* Symbol NAME must be a function inside an executable segment. */
static int
rt_need_func(rt_elf *e, const char *name, uint64_t *addr)
{
	Elf64_Sym	sym;
	const Elf64_Sym *s = &sym;
	const Elf64_Phdr *p;

	if (!rt_find_sym(e, name, &sym))
	{
		rt_errf(e->err, e->errlen, "module object does not define \"%s\"", name);
		return -1;
	}
	p = rt_load_of(e, s->st_value, 1);
	if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || p == NULL ||
		!(p->p_flags & PF_X))
	{
		rt_errf(e->err, e->errlen,
				"module object: \"%s\" is not a function in an executable segment", name);
		return -1;
	}
	*addr = s->st_value;
	return 0;
}

/* Number of .dynsym entries from DT_HASH or DT_GNU_HASH. */
static int
rt_count_syms(rt_elf *e, uint64_t hash, uint64_t gnuhash, uint64_t *count)
{
	int64_t		off;

	if (hash != 0)
	{
		off = rt_vaddr_to_off(e, hash, 8);
		if (off < 0)
			goto bad;
		{
			uint32_t	nchain;

			memcpy(&nchain, e->data + off + 4, 4);
			*count = nchain;
		}
		return 0;
	}
	if (gnuhash != 0)
	{
		uint32_t	hdr[4];
		uint64_t	nbuckets,
					symoffset,
					bloom,
					buckets_addr,
					chains_addr,
					maxsym = 0,
					i;

		off = rt_vaddr_to_off(e, gnuhash, 16);
		if (off < 0)
			goto bad;
		memcpy(hdr, e->data + off, 16);
		nbuckets = hdr[0];
		symoffset = hdr[1];
		bloom = hdr[2];
		if (nbuckets == 0 || nbuckets > (1u << 24) || bloom > (1u << 24))
			goto bad;
		buckets_addr = gnuhash + 16 + bloom * 8;
		chains_addr = buckets_addr + nbuckets * 4;
		off = rt_vaddr_to_off(e, buckets_addr, nbuckets * 4);
		if (off < 0)
			goto bad;
		for (i = 0; i < nbuckets; i++)
		{
			uint32_t	b;

			memcpy(&b, e->data + off + i * 4, 4);
			if (b > maxsym)
				maxsym = b;
		}
		if (maxsym == 0)
		{
			*count = symoffset;
			return 0;
		}
		if (maxsym < symoffset)
			goto bad;
		for (;;)
		{
			uint32_t	c;
			int64_t		coff = rt_vaddr_to_off(e, chains_addr + (maxsym - symoffset) * 4, 4);

			if (coff < 0 || maxsym > (1u << 24))
				goto bad;
			memcpy(&c, e->data + coff, 4);
			if (c & 1)
				break;
			maxsym++;
		}
		*count = maxsym + 1;
		return 0;
	}
	rt_errf(e->err, e->errlen, "module object has no DT_HASH or DT_GNU_HASH");
	return -1;
bad:
	rt_errf(e->err, e->errlen, "module object: malformed symbol hash table");
	return -1;
}

/* Check one relocation table (RELA format). */
static int
rt_check_rela(rt_elf *e, uint64_t addr, uint64_t size, const char *what)
{
	int64_t		off;
	uint64_t	i;

	if (size == 0)
		return 0;
	if (size % sizeof(Elf64_Rela) != 0 ||
		(off = rt_vaddr_to_off(e, addr, size)) < 0)
	{
		rt_errf(e->err, e->errlen, "module object: malformed %s table", what);
		return -1;
	}
	for (i = 0; i < size / sizeof(Elf64_Rela); i++)
	{
		Elf64_Rela	r;
		uint64_t	type,
					sym;

		memcpy(&r, e->data + off + i * sizeof(Elf64_Rela), sizeof(r));
		type = ELF64_R_TYPE(r.r_info);
		sym = ELF64_R_SYM(r.r_info);
		if (type != R_X86_64_NONE && type != R_X86_64_RELATIVE &&
			type != R_X86_64_64 && type != R_X86_64_GLOB_DAT &&
			type != R_X86_64_JUMP_SLOT)
		{
			rt_errf(e->err, e->errlen,
					"module object: relocation type %llu is not allowed",
					(unsigned long long) type);
			return -1;
		}
		if (sym >= e->nsyms)
		{
			rt_errf(e->err, e->errlen,
					"module object: relocation names symbol %llu outside .dynsym",
					(unsigned long long) sym);
			return -1;
		}
	}
	return 0;
}

static const char *
rt_forbidden_tag(int64_t tag)
{
	switch (tag)
	{
		case DT_NEEDED:
			return "DT_NEEDED (depends on another shared object)";
		case DT_INIT:
			return "DT_INIT (initialisation function)";
		case DT_FINI:
			return "DT_FINI (finalisation function)";
		case DT_INIT_ARRAY:
		case DT_INIT_ARRAYSZ:
			return "DT_INIT_ARRAY (constructors)";
		case DT_FINI_ARRAY:
		case DT_FINI_ARRAYSZ:
			return "DT_FINI_ARRAY (destructors)";
		case DT_PREINIT_ARRAY:
		case DT_PREINIT_ARRAYSZ:
			return "DT_PREINIT_ARRAY";
		case DT_TEXTREL:
			return "DT_TEXTREL (text relocations)";
		case DT_AUXILIARY:
		case DT_FILTER:
			return "DT_AUXILIARY/DT_FILTER (filter object)";
		case DT_REL:
		case DT_RELSZ:
			return "DT_REL (REL relocations)";
		default:
			return NULL;
	}
}

int
rt_elf_check(const uint8_t *obj, size_t len, const tmebox_module_info *info,
			 rt_elf_syms *out, uint64_t *export_addrs, char *err, size_t errlen)
{
	Elf64_Sym	intr_sym;
	rt_elf		e;
	Elf64_Ehdr	eh;
	int			i;
	bool		have_stack = false;
	bool		have_load = false;
	const Elf64_Phdr *dyn = NULL;
	uint64_t	symtab = 0,
				strtab = 0,
				strsz = 0,
				syment = 0,
				hash = 0,
				gnuhash = 0,
				rela = 0,
				relasz = 0,
				jmprel = 0,
				pltrelsz = 0,
				pltrel = DT_RELA,
				n;
	int64_t		off;
	uint64_t	layout_off;
	char		name[sizeof(TMEBOX_EXPORT_PREFIX) + RT_NAME_MAX];
	uint64_t	dummy;

	memset(&e, 0, sizeof(e));
	memset(out, 0, sizeof(*out));
	e.data = obj;
	e.len = len;
	e.err = err;
	e.errlen = errlen;
	e.relro_lo = e.relro_hi = 0;

	/* ---- ELF header ---- */
	if (len < sizeof(Elf64_Ehdr))
	{
		rt_errf(err, errlen, "module object is too short to be an ELF file");
		return -1;
	}
	memcpy(&eh, obj, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
	{
		rt_errf(err, errlen, "module object is not an ELF file");
		return -1;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
		eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_machine != EM_X86_64 ||
		eh.e_version != EV_CURRENT)
	{
		rt_errf(err, errlen, "module object is not an ELF64 little-endian x86-64 object");
		return -1;
	}
	if (eh.e_type != ET_DYN)
	{
		rt_errf(err, errlen, "module object is not a shared object (ET_DYN)");
		return -1;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
		eh.e_phnum > RT_MAX_PHDRS ||
		!rt_in_file(&e, eh.e_phoff, (uint64_t) eh.e_phnum * sizeof(Elf64_Phdr)))
	{
		rt_errf(err, errlen, "module object: malformed program header table");
		return -1;
	}
	memcpy(e.ph, obj + eh.e_phoff, (size_t) eh.e_phnum * sizeof(Elf64_Phdr));
	e.phnum = eh.e_phnum;

	/* ---- program headers ---- */
	for (i = 0; i < e.phnum; i++)
	{
		const Elf64_Phdr *p = &e.ph[i];

		switch (p->p_type)
		{
			case PT_LOAD:
				if (!rt_in_file(&e, p->p_offset, p->p_filesz) ||
					p->p_filesz > p->p_memsz ||
					p->p_vaddr + p->p_memsz < p->p_vaddr)
				{
					rt_errf(err, errlen, "module object: PT_LOAD %d lies outside the file", i);
					return -1;
				}
				if ((p->p_flags & PF_W) && (p->p_flags & PF_X))
				{
					rt_errf(err, errlen, "module object has a writable and executable segment");
					return -1;
				}
				if (!(p->p_flags & PF_R))
				{
					rt_errf(err, errlen, "module object has an unreadable segment");
					return -1;
				}
				if (out->nloads == RT_MAX_LOADS || p->p_memsz > RT_MAX_SPAN ||
					p->p_vaddr > RT_MAX_SPAN - p->p_memsz)
				{
					rt_errf(err, errlen, "module object: too many or too large PT_LOAD segments");
					return -1;
				}
				out->loads[out->nloads].vaddr = p->p_vaddr;
				out->loads[out->nloads].memsz = p->p_memsz;
				out->loads[out->nloads].offset = p->p_offset;
				out->loads[out->nloads].filesz = p->p_filesz;
				out->loads[out->nloads].flags = p->p_flags;
				out->nloads++;
				if (p->p_vaddr + p->p_memsz > out->span)
					out->span = p->p_vaddr + p->p_memsz;
				have_load = true;
				if (p->p_flags & PF_X)
				{
					if (out->text_hi == 0 || p->p_vaddr < out->text_lo)
						out->text_lo = p->p_vaddr;
					if (p->p_vaddr + p->p_memsz > out->text_hi)
						out->text_hi = p->p_vaddr + p->p_memsz;
				}
				break;
			case PT_DYNAMIC:
				if (dyn != NULL || !rt_in_file(&e, p->p_offset, p->p_filesz))
				{
					rt_errf(err, errlen, "module object: malformed PT_DYNAMIC");
					return -1;
				}
				dyn = p;
				break;
			case PT_GNU_STACK:
				if (p->p_flags & PF_X)
				{
					rt_errf(err, errlen, "module object requests an executable stack");
					return -1;
				}
				have_stack = true;
				break;
			case PT_GNU_RELRO:
				e.relro_lo = p->p_vaddr;
				e.relro_hi = p->p_vaddr + p->p_memsz;
				if (e.relro_hi < e.relro_lo)
				{
					rt_errf(err, errlen, "module object: malformed PT_GNU_RELRO");
					return -1;
				}
				break;
			case PT_NULL:
			case PT_NOTE:
			case PT_PHDR:
			case PT_GNU_EH_FRAME:
			case PT_GNU_PROPERTY:
				break;
			case PT_INTERP:
				rt_errf(err, errlen, "module object has a program interpreter (PT_INTERP)");
				return -1;
			case PT_TLS:
				rt_errf(err, errlen, "module object uses thread-local storage (PT_TLS)");
				return -1;
			default:
				rt_errf(err, errlen, "module object has an unsupported program header (type 0x%x)",
						p->p_type);
				return -1;
		}
	}
	if (!have_load || dyn == NULL)
	{
		rt_errf(err, errlen, "module object has no loadable segment or no PT_DYNAMIC");
		return -1;
	}
	if (!have_stack)
	{
		rt_errf(err, errlen, "module object has no PT_GNU_STACK (would get an executable stack)");
		return -1;
	}
	if (out->text_hi == 0)
	{
		rt_errf(err, errlen, "module object has no executable segment");
		return -1;
	}

	/* ---- dynamic section ---- */
	n = dyn->p_filesz / sizeof(Elf64_Dyn);
	for (i = 0;; i++)
	{
		Elf64_Dyn	d;
		const char *why;

		if ((uint64_t) i >= n)
		{
			rt_errf(err, errlen, "module object: PT_DYNAMIC has no DT_NULL");
			return -1;
		}
		memcpy(&d, obj + dyn->p_offset + i * sizeof(Elf64_Dyn), sizeof(d));
		if (d.d_tag == DT_NULL)
			break;
		why = rt_forbidden_tag(d.d_tag);
		if (why != NULL)
		{
			rt_errf(err, errlen, "module object has %s", why);
			return -1;
		}
		switch (d.d_tag)
		{
			case DT_SYMTAB:
				symtab = d.d_un.d_ptr;
				break;
			case DT_STRTAB:
				strtab = d.d_un.d_ptr;
				break;
			case DT_STRSZ:
				strsz = d.d_un.d_val;
				break;
			case DT_SYMENT:
				syment = d.d_un.d_val;
				break;
			case DT_HASH:
				hash = d.d_un.d_ptr;
				break;
			case DT_GNU_HASH:
				gnuhash = d.d_un.d_ptr;
				break;
			case DT_RELA:
				rela = d.d_un.d_ptr;
				break;
			case DT_RELASZ:
				relasz = d.d_un.d_val;
				break;
			case DT_RELAENT:
				if (d.d_un.d_val != sizeof(Elf64_Rela))
				{
					rt_errf(err, errlen, "module object: bad DT_RELAENT");
					return -1;
				}
				break;
			case DT_JMPREL:
				jmprel = d.d_un.d_ptr;
				break;
			case DT_PLTRELSZ:
				pltrelsz = d.d_un.d_val;
				break;
			case DT_PLTREL:
				pltrel = d.d_un.d_val;
				break;
			case DT_FLAGS:
				if (d.d_un.d_val & DF_TEXTREL)
				{
					rt_errf(err, errlen, "module object has DT_TEXTREL (text relocations)");
					return -1;
				}
				break;
			default:
				break;
		}
	}
	if (symtab == 0 || strtab == 0 || strsz == 0 ||
		(syment != 0 && syment != sizeof(Elf64_Sym)) || pltrel != DT_RELA)
	{
		rt_errf(err, errlen, "module object: incomplete or unsupported dynamic section");
		return -1;
	}
	off = rt_vaddr_to_off(&e, strtab, strsz);
	if (off < 0)
	{
		rt_errf(err, errlen, "module object: string table lies outside the file");
		return -1;
	}
	e.strtab = (const char *) obj + off;
	e.strsz = strsz;
	if (rt_count_syms(&e, hash, gnuhash, &e.nsyms) < 0)
		return -1;
	if (e.nsyms == 0 || e.nsyms > (1u << 24) ||
		(off = rt_vaddr_to_off(&e, symtab, e.nsyms * sizeof(Elf64_Sym))) < 0)
	{
		rt_errf(err, errlen, "module object: symbol table lies outside the file");
		return -1;
	}
	e.symoff = (uint64_t) off;

	/* ---- symbols ---- */
	for (n = 1; n < e.nsyms; n++)
	{
		Elf64_Sym	sym;
		const Elf64_Sym *s = &sym;
		const char *nm;
		int			type;

		rt_get_sym(&e, n, &sym);
		nm = rt_sym_name(&e, s);
		type = ELF64_ST_TYPE(s->st_info);

		if (nm == NULL)
		{
			rt_errf(err, errlen, "module object: symbol %llu has a bad name",
					(unsigned long long) n);
			return -1;
		}
		if (s->st_shndx == SHN_UNDEF)
		{
			rt_errf(err, errlen, "module object has an undefined symbol \"%.100s\"", nm);
			return -1;
		}
		if (type == STT_TLS || type == STT_GNU_IFUNC)
		{
			rt_errf(err, errlen, "module object: symbol \"%.100s\" is %s", nm,
					type == STT_TLS ? "thread-local" : "an IFUNC");
			return -1;
		}
	}
	if (rt_check_rela(&e, rela, relasz, "DT_RELA") < 0 ||
		rt_check_rela(&e, jmprel, pltrelsz, "DT_JMPREL") < 0)
		return -1;
	out->relro_lo = e.relro_lo;
	out->relro_hi = e.relro_hi;
	out->rela_off = relasz ? (uint64_t) rt_vaddr_to_off(&e, rela, relasz) : 0;
	out->rela_count = relasz / sizeof(Elf64_Rela);
	out->jmprel_off = pltrelsz ? (uint64_t) rt_vaddr_to_off(&e, jmprel, pltrelsz) : 0;
	out->jmprel_count = pltrelsz / sizeof(Elf64_Rela);
	out->symoff = e.symoff;
	out->nsyms = e.nsyms;

	/* ---- ABI symbols ---- */
	if (rt_need_object(&e, TMEBOX_SYM_LAYOUT, sizeof(tmebox_layout), false,
					   &out->layout_addr) < 0)
		return -1;
	off = rt_vaddr_to_off(&e, out->layout_addr, sizeof(tmebox_layout));
	if (off < 0)
	{
		rt_errf(err, errlen, "module object: \"%s\" has no initial value in the file",
				TMEBOX_SYM_LAYOUT);
		return -1;
	}
	layout_off = (uint64_t) off;
	memcpy(&out->layout, obj + layout_off, sizeof(tmebox_layout));
	{
		const tmebox_layout *l = &out->layout;
		uint64_t	data_end = (uint64_t) l->image_base + l->image_size + l->bss_size;

		if (l->abi_version != TMEBOX_ABI_VERSION)
		{
			rt_errf(err, errlen, "module was built for ABI version %u (runtime has %d)",
					l->abi_version, TMEBOX_ABI_VERSION);
			return -1;
		}
		if (l->view_bits != TMEBOX_VIEW_BITS)
		{
			rt_errf(err, errlen, "module uses %u-bit views (runtime has %d)",
					l->view_bits, TMEBOX_VIEW_BITS);
			return -1;
		}
		if (l->image_base != TMEBOX_IMAGE_BASE || data_end > TMEBOX_HEAP_MAX ||
			l->heap_base % TMEBOX_PAGE_SIZE != 0 || l->heap_base < data_end ||
			l->heap_base > TMEBOX_HEAP_MAX ||
			l->heap_base - data_end >= TMEBOX_PAGE_SIZE ||
			l->dsp_slot < l->image_base || (uint64_t) l->dsp_slot + 8 > data_end)
		{
			rt_errf(err, errlen, "module has an invalid view layout");
			return -1;
		}
	}
	if (rt_need_object(&e, TMEBOX_SYM_IMAGE, out->layout.image_size, false,
					   &out->image_addr) < 0)
		return -1;
	if (out->layout.image_size > 0 &&
		rt_vaddr_to_off(&e, out->image_addr, out->layout.image_size) < 0)
	{
		rt_errf(err, errlen, "module object: \"%s\" has no initial value in the file",
				TMEBOX_SYM_IMAGE);
		return -1;
	}
	/*
	 * The host table: at least the first ABI's slots, at most today's
	 * (ABI.md); what lies past TMEBOX_HOST_COUNT is never written and the
	 * verifier refuses calls through it.
	 */
	{
		Elf64_Sym	ht;
		uint64_t	slots = TMEBOX_HOST_COUNT_V1;

		if (rt_find_sym(&e, TMEBOX_SYM_HOSTTAB, &ht) &&
			ht.st_size / sizeof(void *) > slots)
			slots = ht.st_size / sizeof(void *) < TMEBOX_HOST_COUNT ?
				ht.st_size / sizeof(void *) : TMEBOX_HOST_COUNT;
		out->hosttab_slots = (uint32_t) slots;
	}
	if (rt_need_object(&e, TMEBOX_SYM_HOSTTAB, sizeof(void *) * out->hosttab_slots,
					   true, &out->hosttab_addr) < 0 ||
		rt_need_func(&e, TMEBOX_SYM_RT_MALLOC, &out->rt_malloc_addr) < 0 ||
		rt_need_func(&e, TMEBOX_SYM_RT_FREE, &out->rt_free_addr) < 0)
		return -1;
	/*
	 * Sandboxed code no longer polls an interrupt slot (the runtime checks
	 * the host's flag at every entry and after every host call): a module
	 * that defines one was compiled for the older ABI, whose polls would
	 * now read a slot nobody fills.
	 */
	if (rt_find_sym(&e, TMEBOX_SYM_INTR, &intr_sym))
	{
		rt_errf(err, errlen, "module defines %s: it was compiled for an older ABI (interrupt polls); compile it again",
				TMEBOX_SYM_INTR);
		return -1;
	}
	for (i = 0; i < info->nexports; i++)
	{
		snprintf(name, sizeof(name), "%s%s", TMEBOX_EXPORT_PREFIX,
				 info->exports[i].name);
		if (rt_need_func(&e, name, export_addrs ? &export_addrs[i] : &dummy) < 0)
			return -1;
	}
	return 0;
}
