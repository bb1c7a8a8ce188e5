/*-------------------------------------------------------------------------
 *
 * rt_module.c
 *		Load a verified module from memory: memfd_create + write + seal,
 *		dlopen("/proc/self/fd/N", RTLD_NOW | RTLD_LOCAL), fill the host
 *		table and interrupt slot, record the text range, prepare one
 *		ffi_cif per export.
 *
 * Invariants:
 *	- Nothing reaches dlopen before rt_elf_check accepted it, so the loader
 *	  runs no module code (no constructors, IFUNCs or dependencies).
 *	- The object never touches the file system: the memfd is sealed
 *	  against writes and kept open while the module is loaded, so the
 *	  /proc/self/fd/N name is unique among loaded modules (glibc matches
 *	  already-loaded objects by name).
 *	- The addresses dlsym returns are checked against the ones the ELF
 *	  check validated (load base + st_value).
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_internal.h"

static ffi_type *
rt_ffi_type(tmebox_type t)
{
	switch (t)
	{
		case TMEBOX_T_VOID:
			return &ffi_type_void;
		case TMEBOX_T_BOOL:
			return &ffi_type_uint8;
		case TMEBOX_T_I16:
			return &ffi_type_sint16;
		case TMEBOX_T_I32:
			return &ffi_type_sint32;
		case TMEBOX_T_I64:
			return &ffi_type_sint64;
		case TMEBOX_T_F32:
			return &ffi_type_float;
		case TMEBOX_T_F64:
			return &ffi_type_double;
		case TMEBOX_T_BUF:
		case TMEBOX_T_AI32:
		case TMEBOX_T_AI64:
		case TMEBOX_T_AF64:
			return &ffi_type_uint64;	/* view offset */
	}
	return NULL;
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
	r = rt_elf_check(obj, objlen, info, &syms, err, errlen);
	tmebox_module_info_free(info);
	return r;
}

/* dlsym(name) must be exactly base + expected. */
static void *
rt_sym(tmebox_module *mod, uintptr_t base, const char *name, uint64_t expected,
	   char *err, size_t errlen)
{
	void	   *p = dlsym(mod->handle, name);

	if (p == NULL || (uintptr_t) p != base + expected)
	{
		rt_errf(err, errlen, "module symbol \"%s\" did not load where expected", name);
		return NULL;
	}
	return p;
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
	char		path[64];
	struct link_map *lm = NULL;
	uintptr_t	base;
	size_t		done;
	const void *layout;
	int			i;

	*out = NULL;
	if (tmebox_rt_init(0, err, errlen) < 0)
		return -1;
	mod = calloc(1, sizeof(*mod));
	if (mod == NULL)
	{
		rt_errf(err, errlen, "out of memory");
		return -1;
	}
	mod->memfd = -1;
	if (rt_split_file(file, len, &meta, &metalen, &obj, &objlen, err, errlen) < 0 ||
		rt_parse_meta(meta, metalen, &mod->info, err, errlen) < 0 ||
		rt_elf_check(obj, objlen, mod->info, &syms, err, errlen) < 0)
		goto fail;

	mod->exports = calloc(mod->info->nexports ? mod->info->nexports : 1,
						  sizeof(rt_export));
	if (mod->exports == NULL)
	{
		rt_errf(err, errlen, "out of memory");
		goto fail;
	}

	/* ---- write the object to a sealed memfd and dlopen it ---- */
	mod->memfd = memfd_create("tmebox-module", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mod->memfd < 0)
	{
		rt_errf(err, errlen, "memfd_create failed: %s", strerror(errno));
		goto fail;
	}
	for (done = 0; done < objlen;)
	{
		ssize_t		w = write(mod->memfd, obj + done, objlen - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
		{
			rt_errf(err, errlen, "could not write the module object: %s", strerror(errno));
			goto fail;
		}
		done += (size_t) w;
	}
	if (fcntl(mod->memfd, F_ADD_SEALS,
			  F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0)
	{
		rt_errf(err, errlen, "could not seal the module object: %s", strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mod->memfd);
	mod->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (mod->handle == NULL)
	{
		const char *e = dlerror();

		rt_errf(err, errlen, "could not load the module object: %s", e ? e : "?");
		goto fail;
	}
	if (dlinfo(mod->handle, RTLD_DI_LINKMAP, &lm) != 0 || lm == NULL)
	{
		rt_errf(err, errlen, "dlinfo failed");
		goto fail;
	}
	base = (uintptr_t) lm->l_addr;

	/* ---- ABI symbols ---- */
	mod->layout = syms.layout;
	mod->image = rt_sym(mod, base, TMEBOX_SYM_IMAGE, syms.image_addr, err, errlen);
	mod->hosttab = rt_sym(mod, base, TMEBOX_SYM_HOSTTAB, syms.hosttab_addr, err, errlen);
	mod->intr = rt_sym(mod, base, TMEBOX_SYM_INTR, syms.intr_addr, err, errlen);
	mod->rt_malloc = (uint64_t (*) (uint64_t))
		rt_sym(mod, base, TMEBOX_SYM_RT_MALLOC, syms.rt_malloc_addr, err, errlen);
	mod->rt_free = (void (*) (uint64_t))
		rt_sym(mod, base, TMEBOX_SYM_RT_FREE, syms.rt_free_addr, err, errlen);
	if (mod->image == NULL || mod->hosttab == NULL || mod->intr == NULL ||
		mod->rt_malloc == NULL || mod->rt_free == NULL)
		goto fail;
	layout = rt_sym(mod, base, TMEBOX_SYM_LAYOUT, syms.layout_addr, err, errlen);
	if (layout == NULL)
		goto fail;
	if (memcmp(layout, &syms.layout, sizeof(tmebox_layout)) != 0)
	{
		rt_errf(err, errlen, "module layout changed while loading");
		goto fail;
	}
	mod->text_lo = base + syms.text_lo;
	mod->text_hi = base + syms.text_hi;
	rt_fill_hosttab(mod->hosttab);
	*mod->intr = rt_st.intr_flag;

	/* ---- exports ---- */
	for (i = 0; i < mod->info->nexports; i++)
	{
		const tmebox_signature *sig = &mod->info->exports[i];
		rt_export  *ex = &mod->exports[i];
		char		name[sizeof(TMEBOX_EXPORT_PREFIX) + RT_NAME_MAX];
		int			a,
					ngpr,
					nxmm;

		snprintf(name, sizeof(name), "%s%s", TMEBOX_EXPORT_PREFIX, sig->name);
		ex->fn = (void (*) (void)) dlsym(mod->handle, name);
		if (ex->fn == NULL || (uintptr_t) ex->fn < mod->text_lo ||
			(uintptr_t) ex->fn >= mod->text_hi)
		{
			rt_errf(err, errlen, "module export \"%s\" did not load", sig->name);
			goto fail;
		}
		ngpr = nxmm = 0;
		for (a = 0; a < sig->nargs; a++)
		{
			ex->atypes[a] = rt_ffi_type(sig->args[a]);
			if (sig->args[a] == TMEBOX_T_F32 || sig->args[a] == TMEBOX_T_F64)
				ex->slot[a] = (int8_t) (6 + nxmm++);
			else
				ex->slot[a] = (int8_t) ngpr++;
		}
		ex->fast = ngpr <= 6 && nxmm <= 8;
		if (ffi_prep_cif(&ex->cif, FFI_DEFAULT_ABI, (unsigned) sig->nargs,
						 rt_ffi_type(sig->ret), ex->atypes) != FFI_OK)
		{
			rt_errf(err, errlen, "libffi cannot describe the signature of \"%s\"", sig->name);
			goto fail;
		}
	}
	*out = mod;
	return 0;

fail:
	if (mod->handle != NULL)
		dlclose(mod->handle);
	if (mod->memfd >= 0)
		close(mod->memfd);
	tmebox_module_info_free(mod->info);
	free(mod->exports);
	free(mod);
	return -1;
}

void
tmebox_module_unload(tmebox_module *mod)
{
	if (mod == NULL || mod->ninstances > 0)
		return;
	dlclose(mod->handle);
	close(mod->memfd);
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
