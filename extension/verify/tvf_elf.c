/*-------------------------------------------------------------------------
 *
 * tvf_elf.c
 *		The verifier's own reading of a module object: what the runtime's
 *		loader maps (program headers and PT_DYNAMIC; section headers are
 *		ignored, as the loader ignores them), reduced to what the code
 *		rules need: the executable bytes, the read-only data ranges, the
 *		host table and the roots (every defined STT_FUNC of .dynsym).
 *
 * Invariants:
 *	- Every offset, size, address and count read from the object is
 *	  checked with overflow-safe arithmetic before it is dereferenced.
 *	- The symbol table is found exactly as the runtime finds it (DT_HASH
 *	  first, else DT_GNU_HASH; the same count), so every function the
 *	  runtime can call is a root here.  Duplicate dynamic tags are
 *	  refused instead of guessing which one a loader would take.
 *	- PT_LOAD segments share no page: the bytes decoded here are the bytes
 *	  that run, and no read-only range is writable through another
 *	  segment's page.
 *	- Exactly one executable segment, not writable.
 *	- The host table is 8-byte aligned, in a writable, non-executable
 *	  segment and outside the RELRO pages (the runtime fills it after
 *	  loading; the sandbox can never write it: sandboxed stores only reach
 *	  its view and its own native-stack frame).
 *
 *-------------------------------------------------------------------------
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmebox_abi.h"
#include "tvf_internal.h"

#define PAGE_DOWN(x)	((x) & ~(TVF_PAGE - 1))

typedef struct tvf_elf
{
	const uint8_t *data;
	size_t		len;
	Elf64_Phdr	ph[TVF_MAX_PHDRS];
	int			phnum;
	uint64_t	symoff;
	uint64_t	nsyms;
	const char *strtab;
	uint64_t	strsz;
} tvf_elf;

void
tvf_errf(char *err, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static bool
in_file(const tvf_elf *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

/* Page-rounded end of [v, v + n); false on overflow. */
static bool
page_end(uint64_t v, uint64_t n, uint64_t *end)
{
	uint64_t	e = v + n;

	if (e < v || e > UINT64_MAX - TVF_PAGE)
		return false;
	*end = PAGE_DOWN(e + TVF_PAGE - 1);
	return true;
}

/* File offset of [addr, addr + n) inside the file part of one PT_LOAD. */
static int64_t
vaddr_to_off(const tvf_elf *e, uint64_t addr, uint64_t n)
{
	for (int i = 0; i < e->phnum; i++)
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

/* The PT_LOAD whose memory image holds [addr, addr + n), or NULL. */
static const Elf64_Phdr *
load_of(const tvf_elf *e, uint64_t addr, uint64_t n)
{
	for (int i = 0; i < e->phnum; i++)
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

/* Number of .dynsym entries, as the runtime counts them (rt_elf.c). */
static int
count_syms(tvf_elf *e, uint64_t hash, uint64_t gnuhash, char *err, size_t errlen)
{
	int64_t		off;

	if (hash != 0)
	{
		uint32_t	nchain;

		if ((off = vaddr_to_off(e, hash, 8)) < 0)
			goto bad;
		memcpy(&nchain, e->data + off + 4, 4);
		e->nsyms = nchain;
		return 0;
	}
	if (gnuhash != 0)
	{
		uint32_t	hdr[4];
		uint64_t	nbuckets,
					symoffset,
					bloom,
					buckets,
					chains,
					maxsym = 0;

		if ((off = vaddr_to_off(e, gnuhash, 16)) < 0)
			goto bad;
		memcpy(hdr, e->data + off, 16);
		nbuckets = hdr[0];
		symoffset = hdr[1];
		bloom = hdr[2];
		if (nbuckets == 0 || nbuckets > (1u << 24) || bloom > (1u << 24) ||
			gnuhash > UINT64_MAX - 16 - bloom * 8 - nbuckets * 4)
			goto bad;
		buckets = gnuhash + 16 + bloom * 8;
		chains = buckets + nbuckets * 4;
		if ((off = vaddr_to_off(e, buckets, nbuckets * 4)) < 0)
			goto bad;
		for (uint64_t i = 0; i < nbuckets; i++)
		{
			uint32_t	b;

			memcpy(&b, e->data + off + i * 4, 4);
			if (b > maxsym)
				maxsym = b;
		}
		if (maxsym == 0)
		{
			e->nsyms = symoffset;
			return 0;
		}
		if (maxsym < symoffset)
			goto bad;
		for (;;)
		{
			uint32_t	c;
			int64_t		coff;

			if (maxsym > (1u << 24) ||
				(coff = vaddr_to_off(e, chains + (maxsym - symoffset) * 4, 4)) < 0)
				goto bad;
			memcpy(&c, e->data + coff, 4);
			if (c & 1)
				break;
			maxsym++;
		}
		e->nsyms = maxsym + 1;
		return 0;
	}
	tvf_errf(err, errlen, "object has no DT_HASH or DT_GNU_HASH");
	return -1;
bad:
	tvf_errf(err, errlen, "object has a malformed symbol hash table");
	return -1;
}

/* Symbol name or NULL when out of range / unterminated. */
static const char *
sym_name(const tvf_elf *e, const Elf64_Sym *s)
{
	if (s->st_name >= e->strsz ||
		memchr(e->strtab + s->st_name, '\0', e->strsz - s->st_name) == NULL)
		return NULL;
	return e->strtab + s->st_name;
}

void
tvf_obj_free(tvf_obj *o)
{
	free(o->roots);
	o->roots = NULL;
}

int
tvf_elf_parse(const uint8_t *so, size_t len, tvf_obj *o, char *err, size_t errlen)
{
	tvf_elf		e;
	Elf64_Ehdr	eh;
	const Elf64_Phdr *dyn = NULL;
	const Elf64_Phdr *text = NULL;
	bool		have_relro = false;
	uint64_t	tags[DT_NUM];
	bool		seen[DT_NUM];
	uint64_t	gnuhash = 0;
	bool		seen_gnuhash = false;
	int64_t		off;
	bool		have_hosttab = false;
	Elf64_Sym	ht;

	memset(o, 0, sizeof(*o));
	memset(&e, 0, sizeof(e));
	memset(&ht, 0, sizeof(ht));
	memset(tags, 0, sizeof(tags));
	memset(seen, 0, sizeof(seen));
	e.data = so;
	e.len = len;

	/* ---- ELF header ---- */
	if (so == NULL || len < sizeof(eh))
	{
		tvf_errf(err, errlen, "object is too short to be an ELF file");
		return -1;
	}
	memcpy(&eh, so, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
		eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64 ||
		eh.e_type != ET_DYN)
	{
		tvf_errf(err, errlen, "object is not an ELF64 x86-64 shared object");
		return -1;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
		eh.e_phnum > TVF_MAX_PHDRS ||
		!in_file(&e, eh.e_phoff, (uint64_t) eh.e_phnum * sizeof(Elf64_Phdr)))
	{
		tvf_errf(err, errlen, "object has a malformed program header table");
		return -1;
	}
	memcpy(e.ph, so + eh.e_phoff, (size_t) eh.e_phnum * sizeof(Elf64_Phdr));
	e.phnum = eh.e_phnum;

	/* ---- program headers ---- */
	for (int i = 0; i < e.phnum; i++)
	{
		const Elf64_Phdr *p = &e.ph[i];
		uint64_t	end;

		if (p->p_type == PT_LOAD)
		{
			if (!in_file(&e, p->p_offset, p->p_filesz) || p->p_filesz > p->p_memsz ||
				!page_end(p->p_vaddr, p->p_memsz, &end))
			{
				tvf_errf(err, errlen, "object: PT_LOAD %d lies outside the file or the address space", i);
				return -1;
			}
			if (p->p_flags & PF_X)
			{
				if (text != NULL)
				{
					tvf_errf(err, errlen, "object has more than one executable segment");
					return -1;
				}
				if (p->p_flags & PF_W)
				{
					tvf_errf(err, errlen, "object has a writable and executable segment");
					return -1;
				}
				text = p;
			}
			else if ((p->p_flags & PF_R) && !(p->p_flags & PF_W))
			{
				if (o->nro == TVF_MAX_RO)
				{
					tvf_errf(err, errlen, "object has too many read-only segments");
					return -1;
				}
				o->ro[o->nro].lo = p->p_vaddr;
				o->ro[o->nro].hi = p->p_vaddr + p->p_memsz;
				o->nro++;
			}
			/* no two segments share a page */
			for (int j = 0; j < i; j++)
			{
				const Elf64_Phdr *q = &e.ph[j];
				uint64_t	qend = 0;

				if (q->p_type != PT_LOAD)
					continue;
				(void) page_end(q->p_vaddr, q->p_memsz, &qend);
				if (PAGE_DOWN(p->p_vaddr) < qend && PAGE_DOWN(q->p_vaddr) < end)
				{
					tvf_errf(err, errlen, "object: PT_LOAD segments %d and %d share a page", j, i);
					return -1;
				}
			}
		}
		else if (p->p_type == PT_DYNAMIC)
		{
			if (dyn != NULL || !in_file(&e, p->p_offset, p->p_filesz))
			{
				tvf_errf(err, errlen, "object has a malformed or second PT_DYNAMIC");
				return -1;
			}
			dyn = p;
		}
		else if (p->p_type == PT_GNU_RELRO)
		{
			if (have_relro || !page_end(p->p_vaddr, p->p_memsz, &end))
			{
				tvf_errf(err, errlen, "object has a malformed or second PT_GNU_RELRO");
				return -1;
			}
			have_relro = true;
			o->relro.lo = PAGE_DOWN(p->p_vaddr);
			o->relro.hi = end;
		}
	}
	if (text == NULL || text->p_filesz == 0)
	{
		tvf_errf(err, errlen, "object has no executable segment");
		return -1;
	}
	if (text->p_filesz > TVF_MAX_TEXT)
	{
		tvf_errf(err, errlen, "object's executable segment is larger than %u bytes", TVF_MAX_TEXT);
		return -1;
	}
	o->text = so + text->p_offset;
	o->text_lo = text->p_vaddr;
	o->text_hi = text->p_vaddr + text->p_filesz;
	if (dyn == NULL)
	{
		tvf_errf(err, errlen, "object has no PT_DYNAMIC");
		return -1;
	}

	/* ---- dynamic section ---- */
	for (uint64_t i = 0;; i++)
	{
		Elf64_Dyn	d;

		if (i >= dyn->p_filesz / sizeof(Elf64_Dyn))
		{
			tvf_errf(err, errlen, "object: PT_DYNAMIC has no DT_NULL");
			return -1;
		}
		memcpy(&d, so + dyn->p_offset + i * sizeof(d), sizeof(d));
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_GNU_HASH)
		{
			if (seen_gnuhash)
				goto dup;
			seen_gnuhash = true;
			gnuhash = d.d_un.d_ptr;
		}
		else if (d.d_tag == DT_SYMTAB || d.d_tag == DT_STRTAB || d.d_tag == DT_STRSZ ||
				 d.d_tag == DT_SYMENT || d.d_tag == DT_HASH)
		{
			if (seen[d.d_tag])
				goto dup;
			seen[d.d_tag] = true;
			tags[d.d_tag] = d.d_un.d_val;
		}
	}
	if (tags[DT_SYMTAB] == 0 || tags[DT_STRTAB] == 0 || tags[DT_STRSZ] == 0 ||
		(seen[DT_SYMENT] && tags[DT_SYMENT] != sizeof(Elf64_Sym)))
	{
		tvf_errf(err, errlen, "object has an incomplete dynamic section");
		return -1;
	}
	if ((off = vaddr_to_off(&e, tags[DT_STRTAB], tags[DT_STRSZ])) < 0)
	{
		tvf_errf(err, errlen, "object's string table lies outside the file");
		return -1;
	}
	e.strtab = (const char *) so + off;
	e.strsz = tags[DT_STRSZ];
	if (count_syms(&e, tags[DT_HASH], gnuhash, err, errlen) < 0)
		return -1;
	if (e.nsyms == 0 || e.nsyms > (1u << 24) ||
		(off = vaddr_to_off(&e, tags[DT_SYMTAB], e.nsyms * sizeof(Elf64_Sym))) < 0)
	{
		tvf_errf(err, errlen, "object's symbol table lies outside the file");
		return -1;
	}
	e.symoff = (uint64_t) off;

	/* ---- symbols: roots and the host table ---- */
	o->roots = malloc(e.nsyms * sizeof(tvf_root));
	if (o->roots == NULL)
	{
		tvf_errf(err, errlen, "out of memory");
		return -1;
	}
	for (uint64_t i = 1; i < e.nsyms; i++)
	{
		Elf64_Sym	s;
		const char *nm;
		int			type;

		memcpy(&s, so + e.symoff + i * sizeof(s), sizeof(s));
		nm = sym_name(&e, &s);
		type = ELF64_ST_TYPE(s.st_info);
		if (nm == NULL)
		{
			tvf_errf(err, errlen, "object: symbol %llu has a bad name", (unsigned long long) i);
			goto fail;
		}
		if (type == STT_GNU_IFUNC || type == STT_TLS)
		{
			tvf_errf(err, errlen, "object: symbol \"%.100s\" is an IFUNC or thread-local", nm);
			goto fail;
		}
		if (s.st_shndx == SHN_UNDEF || s.st_shndx == SHN_ABS)
		{
			if (type == STT_FUNC || strcmp(nm, TMEBOX_SYM_HOSTTAB) == 0)
			{
				tvf_errf(err, errlen, "object: symbol \"%.100s\" is undefined or absolute", nm);
				goto fail;
			}
			continue;
		}
		if (type == STT_FUNC)
		{
			if (s.st_value < o->text_lo || s.st_value >= o->text_hi)
			{
				tvf_errf(err, errlen,
						 "object: function \"%.100s\" lies outside the executable segment", nm);
				goto fail;
			}
			o->roots[o->nroots].addr = s.st_value;
			o->roots[o->nroots].name = nm;
			o->nroots++;
		}
		else if (strcmp(nm, TMEBOX_SYM_HOSTTAB) == 0)
		{
			if (have_hosttab)
			{
				tvf_errf(err, errlen, "object defines \"%s\" twice", TMEBOX_SYM_HOSTTAB);
				goto fail;
			}
			have_hosttab = true;
			ht = s;
		}
	}
	if (o->nroots == 0)
	{
		tvf_errf(err, errlen, "object exports no function");
		goto fail;
	}
	if (!have_hosttab)
	{
		tvf_errf(err, errlen, "object does not define \"%s\"", TMEBOX_SYM_HOSTTAB);
		goto fail;
	}
	{
		const Elf64_Phdr *p = load_of(&e, ht.st_value, ht.st_size);

		if (ELF64_ST_TYPE(ht.st_info) != STT_OBJECT || ht.st_size < 8 ||
			ht.st_value % 8 != 0 || p == NULL || !(p->p_flags & PF_W) ||
			(p->p_flags & PF_X) ||
			(have_relro && ht.st_value < o->relro.hi &&
			 ht.st_value + ht.st_size > o->relro.lo))
		{
			tvf_errf(err, errlen,
					 "object: \"%s\" is not an 8-byte aligned data object in writable, non-RELRO data",
					 TMEBOX_SYM_HOSTTAB);
			goto fail;
		}
		o->hosttab = ht.st_value;
		o->nslots = ht.st_size / 8;
		if (o->nslots > TMEBOX_HOST_COUNT)
			o->nslots = TMEBOX_HOST_COUNT;
	}
	return 0;

dup:
	tvf_errf(err, errlen, "object's dynamic section repeats a tag");
	return -1;
fail:
	tvf_obj_free(o);
	return -1;
}

int
tvf_module_object(const uint8_t *file, size_t len, const uint8_t **obj,
				  size_t *objlen, char *err, size_t errlen)
{
	uint32_t	version,
				m;
	uint64_t	n;

	if (file == NULL || len < TMEBOX_MODULE_HEADER_SIZE ||
		memcmp(file, TMEBOX_MODULE_MAGIC, 8) != 0)
	{
		tvf_errf(err, errlen, "not a tmebox module file");
		return -1;
	}
	memcpy(&version, file + 8, 4);
	memcpy(&m, file + 12, 4);
	memcpy(&n, file + 16, 8);
	if (version != TMEBOX_ABI_VERSION)
	{
		tvf_errf(err, errlen, "module format version %u is not supported", version);
		return -1;
	}
	if (m > len - TMEBOX_MODULE_HEADER_SIZE ||
		n != len - TMEBOX_MODULE_HEADER_SIZE - m)
	{
		tvf_errf(err, errlen, "module file is truncated or corrupt");
		return -1;
	}
	*obj = file + TMEBOX_MODULE_HEADER_SIZE + m;
	*objlen = (size_t) n;
	return 0;
}
