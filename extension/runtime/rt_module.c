/*-------------------------------------------------------------------------
 *
 * rt_module.c
 *		Load a verified module from memory: rt_elf_check, the verifier of
 *		its machine code (extension/verify, before every load: objects
 *		come from the catalog), rt_load_object
 *		(our own loader: one anonymous mapping, no file, no descriptor, no
 *		dlopen), fill the host table and interrupt slot, record the text
 *		range and the verifier's native-stack bounds (the module's, each
 *		export's, the allocator's), prepare one ffi_cif per export.
 *
 * Invariants:
 *	- Nothing is mapped before rt_elf_check accepted the object, and no
 *	  module code runs while loading (no constructors, IFUNCs or
 *	  dependencies exist to run).
 *	- Every address used (ABI symbols, exports) is the load base plus a
 *	  value the ELF check validated: inside the right kind of segment.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rt_internal.h"
#include "tvf.h"

static ffi_type *
rt_ffi_type(tmebox_type t)
{
	unsigned	w = tmebox_type_width(t);

	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_VOID:
			return &ffi_type_void;
		case TMEBOX_CLASS_BOOL:
			return &ffi_type_uint8;
		case TMEBOX_CLASS_INT:
			return w == 2 ? &ffi_type_sint16 : w == 4 ? &ffi_type_sint32 : &ffi_type_sint64;
		case TMEBOX_CLASS_FLOAT:
			return w == 4 ? &ffi_type_float : &ffi_type_double;
		case TMEBOX_CLASS_BUF:
		case TMEBOX_CLASS_ARRAY:
		case TMEBOX_CLASS_BUFARRAY:
		case TMEBOX_CLASS_STRUCT:
		case TMEBOX_CLASS_STRUCTS:
		case TMEBOX_CLASS_ROW:
		case TMEBOX_CLASS_ROWS:
			return &ffi_type_uint64;	/* view offset */
	}
	return NULL;
}

/* A scalar, void or a byte string (rt_export.bytes: what rt_call_bytes takes)? */
static bool
rt_scalar_or_bytes(tmebox_type t)
{
	return !tmebox_type_by_ref(t) || tmebox_type_class_of(t) == TMEBOX_CLASS_BUF;
}

int
tmebox_module_verify(const void *file, size_t len, char *err, size_t errlen)
{
	const char *meta;
	size_t		metalen;
	const uint8_t *obj;
	size_t		objlen;
	tmebox_module_info *info;
	rt_elf_syms syms;
	int			r;

	if (rt_split_file(file, len, &meta, &metalen, &obj, &objlen, err, errlen) < 0 ||
		rt_parse_meta(meta, metalen, &info, err, errlen) < 0)
		return -1;
	r = rt_elf_check(obj, objlen, info, &syms, NULL, err, errlen);
	tmebox_module_info_free(info);
	/* the boundary: the code of every object is verified (extension/verify) */
	if (r == 0)
		r = tvf_verify_object(obj, objlen, err, errlen);
	return r;
}

int
tmebox_module_load(const void *file, size_t len, tmebox_module **out,
				   char *err, size_t errlen)
{
	const char *meta;
	size_t		metalen;
	const uint8_t *obj;
	size_t		objlen;
	tmebox_module *mod;
	rt_elf_syms syms;
	uint64_t   *export_addrs = NULL;	/* then rt_malloc, rt_free */
	uint32_t   *bounds = NULL;
	uintptr_t	base;
	tvf_stats	vst;
	int			i,
				n;

	*out = NULL;
	if (tmebox_rt_init(0, err, errlen) < 0)
		return -1;
	mod = calloc(1, sizeof(*mod));
	if (mod == NULL)
	{
		rt_errf(err, errlen, "out of memory");
		return -1;
	}
	if (rt_split_file(file, len, &meta, &metalen, &obj, &objlen, err, errlen) < 0 ||
		rt_parse_meta(meta, metalen, &mod->info, err, errlen) < 0)
		goto fail;
	mod->exports = calloc(mod->info->nexports ? mod->info->nexports : 1,
						  sizeof(rt_export));
	n = mod->info->nexports;
	export_addrs = calloc(n + 2, sizeof(uint64_t));
	bounds = calloc(n + 2, sizeof(uint32_t));
	if (mod->exports == NULL || export_addrs == NULL || bounds == NULL)
	{
		rt_errf(err, errlen, "out of memory");
		goto fail;
	}
	if (rt_elf_check(obj, objlen, mod->info, &syms, export_addrs, err, errlen) < 0)
		goto fail;
	/* the machine code, and how deep each entry point reaches */
	export_addrs[n] = syms.rt_malloc_addr;
	export_addrs[n + 1] = syms.rt_free_addr;
	if (tvf_verify_roots(obj, objlen, export_addrs, bounds, (size_t) n + 2, &vst,
						 err, errlen) < 0 ||
		rt_load_object(obj, objlen, &syms, &mod->map, &mod->map_len, err, errlen) < 0)
		goto fail;
	base = (uintptr_t) mod->map;

	/* ---- ABI symbols ---- */
	mod->layout = syms.layout;
	mod->image = (const uint8_t *) (base + syms.image_addr);
	mod->hosttab = (void **) (base + syms.hosttab_addr);
	mod->rt_malloc = (uint64_t (*) (uint64_t)) (base + syms.rt_malloc_addr);
	mod->rt_free = (void (*) (uint64_t)) (base + syms.rt_free_addr);
	if (memcmp((const void *) (base + syms.layout_addr), &syms.layout,
			   sizeof(tmebox_layout)) != 0)
	{
		rt_errf(err, errlen, "module layout changed while loading");
		goto fail;
	}
	mod->text_lo = base + syms.text_lo;
	mod->text_hi = base + syms.text_hi;
	mod->stack_bound = vst.max_stack;
	mod->mem_stack_bound = bounds[n] > bounds[n + 1] ? bounds[n] : bounds[n + 1];
	rt_fill_hosttab(mod->hosttab, syms.hosttab_slots);

	/* ---- exports ---- */
	for (i = 0; i < mod->info->nexports; i++)
	{
		const tmebox_signature *sig = &mod->info->exports[i];
		rt_export  *ex = &mod->exports[i];
		int			a,
					ngpr,
					nxmm;

		ex->fn = (void (*) (void)) (base + export_addrs[i]);
		ex->stack_bound = bounds[i];
		ngpr = nxmm = 0;
		for (a = 0; a < sig->nargs; a++)
		{
			ex->atypes[a] = rt_ffi_type(sig->args[a]);
			if (tmebox_type_class_of(sig->args[a]) == TMEBOX_CLASS_FLOAT)
				ex->slot[a] = (int8_t) (6 + nxmm++);
			else
				ex->slot[a] = (int8_t) ngpr++;
		}
		ex->fast = ngpr <= 6 && nxmm <= 8;
		/* SysV: every argument past the registers of its class takes one
		 * 8-byte stack slot (all tmebox types are scalars or offsets) */
		ex->stack_args = 8 * (uint32_t) ((ngpr > 6 ? ngpr - 6 : 0) +
										 (nxmm > 8 ? nxmm - 8 : 0));
		ex->scalar = ex->fast && !tmebox_type_by_ref(sig->ret);
		ex->bytes = ex->fast && rt_scalar_or_bytes(sig->ret);
		for (a = 0; a < sig->nargs; a++)
		{
			if (tmebox_type_by_ref(sig->args[a]))
				ex->scalar = false;
			if (!rt_scalar_or_bytes(sig->args[a]))
				ex->bytes = false;
		}
		if (ex->scalar || ex->bytes)
		{
			ex->proto.fn = ex->fn;
			ex->proto.name = sig->name;
			ex->proto.nargs = (uint8_t) sig->nargs;
			ex->proto.ret = (uint8_t) sig->ret;
			ex->proto.ret_cls = (uint8_t) tmebox_type_class_of(sig->ret);
			ex->proto.ret_shift = (uint8_t) (64 - 8 * tmebox_type_width(sig->ret));
			for (a = 0; a < sig->nargs; a++)
			{
				ex->proto.cls[a] = (uint8_t) tmebox_type_class_of(sig->args[a]);
				ex->proto.slot[a] = ex->slot[a];
				if (ex->slot[a] >= 6)
					ex->proto.vector_args = true;
				/* integers sign-extend from their width; a float's
				 * upper bits do not matter (zeroed from 32 like an int) */
				ex->proto.shift[a] = tmebox_type_class_of(sig->args[a]) == TMEBOX_CLASS_BOOL ? 0 :
					(uint8_t) (64 - 8 * tmebox_type_width(sig->args[a]));
			}
		}
		if (ffi_prep_cif(&ex->cif, FFI_DEFAULT_ABI, (unsigned) sig->nargs,
						 rt_ffi_type(sig->ret), ex->atypes) != FFI_OK)
		{
			rt_errf(err, errlen, "libffi cannot describe the signature of \"%s\"", sig->name);
			goto fail;
		}
	}
	free(export_addrs);
	free(bounds);
	*out = mod;
	return 0;

fail:
	if (mod->map != NULL)
		munmap(mod->map, mod->map_len);
	tmebox_module_info_free(mod->info);
	free(mod->exports);
	free(export_addrs);
	free(bounds);
	free(mod);
	return -1;
}

void
tmebox_module_unload(tmebox_module *mod)
{
	if (mod == NULL || mod->ninstances > 0)
		return;
	munmap(mod->map, mod->map_len);
	tmebox_module_info_free(mod->info);
	free(mod->exports);
	free(mod);
}

const tmebox_module_info *
tmebox_module_get_info(const tmebox_module *mod)
{
	return mod->info;
}

int
tmebox_module_find_export(const tmebox_module *mod, const char *name)
{
	int			i;

	for (i = 0; i < mod->info->nexports; i++)
		if (strcmp(mod->info->exports[i].name, name) == 0)
			return i;
	return -1;
}
