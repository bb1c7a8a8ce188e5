/*-------------------------------------------------------------------------
 *
 * cc_instr_globals.c
 *		Step 4: every global variable of the module (user data, sandbox
 *		libc, string literals, lookup tables, __tmebox_dsp) moves into the
 *		view image at TMEBOX_IMAGE_BASE (ABI.md "Globals").
 *
 *		Initialised globals come first (the image), zero-initialised ones
 *		after them (bss, not stored).  Every use of @g, in instructions and
 *		in constant expressions and other initialisers, becomes the constant
 *		inttoptr(i64 IMAGE_BASE + offset) (LLVMReplaceAllUsesWith, which
 *		refolds constant users), so pointer fields of the image are view
 *		offsets; function pointers are already indices (step 4 first half).
 *		__tmebox_image is one packed constant struct of the rewritten
 *		initialisers with explicit [N x i8] padding, __tmebox_layout the
 *		struct tmebox_layout describing it; the old globals are deleted.
 *
 * Invariants kept:
 *	- After this step the only global variables are ABI ones; no code
 *	  refers to sandbox data by a symbol, so no RIP-relative access to
 *	  sandbox data can be emitted.
 *	- Offsets respect each global's alignment, at least 64 bytes (a cache
 *	  line) for globals of 64 bytes or more; the image size is checked
 *	  against the data layout's size of the packed struct.
 *	- image + bss fit below TMEBOX_HEAP_MAX; heap_base is page aligned.
 *
 *-------------------------------------------------------------------------
 */
#include "cc_ir.h"

#include <stdlib.h>
#include <string.h>

static uint64_t
cc_align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t
cc_global_align(cc_sandbox *S, LLVMValueRef g)
{
	uint64_t	a = LLVMGetAlignment(g);
	uint64_t	t = LLVMABIAlignmentOfType(S->td, LLVMGlobalGetValueType(g));

	if (a < t)
		a = t;
	/* arrays and structs of a cache line or more start on one: vector
	 * loops over them then never split a line (the performance of a kernel
	 * had hung on where an unrelated global pushed its array) */
	if (a < 64 && LLVMABISizeOfType(S->td, LLVMGlobalGetValueType(g)) >= 64)
		a = 64;
	return a ? a : 1;
}

static LLVMValueRef
cc_padding(cc_sandbox *S, uint64_t n)
{
	return LLVMConstNull(LLVMArrayType2(S->i8, n));
}

void
cc_instr_globals(cc_sandbox *S)
{
	LLVMValueRef g,
				next;
	LLVMValueRef *gv;
	uint64_t   *off;
	int			n = 0,
				ninit = 0,
				i,
				k,
				nfields = 0;
	uint64_t	pos = 0,
				image_size = 0,
				bss_end,
				heap_base,
				dsp_slot = 0;
	LLVMValueRef *fields,
				image,
				layout,
				lv[8];
	LLVMTypeRef lt[8];
	int			pass;

	for (g = LLVMGetFirstGlobal(S->mod); g; g = LLVMGetNextGlobal(g))
		n++;
	gv = malloc(sizeof(LLVMValueRef) * (n + 1));
	off = malloc(sizeof(uint64_t) * (n + 1));
	fields = malloc(sizeof(LLVMValueRef) * (2 * n + 2));

	/* order: initialised (pass 0) then zero-initialised (pass 1) */
	n = 0;
	for (pass = 0; pass < 2; pass++)
	{
		for (g = LLVMGetFirstGlobal(S->mod); g; g = LLVMGetNextGlobal(g))
		{
			LLVMValueRef init = LLVMGetInitializer(g);

			if (cc_is_abi_global_name(cc_name(g)))
				continue;
			if (init == NULL)
			{
				if (pass == 0)
					cc_internal_error(S, NULL, "global '%s' has no definition", cc_name(g));
				continue;
			}
			if ((LLVMIsNull(init) != 0) != (pass == 1))
				continue;
			pos = cc_align_up(pos, cc_global_align(S, g));
			off[n] = pos;
			gv[n++] = g;
			pos += LLVMABISizeOfType(S->td, LLVMGlobalGetValueType(g));
		}
		if (pass == 0)
		{
			ninit = n;
			image_size = pos;
		}
	}
	bss_end = pos;
	heap_base = cc_align_up(TMEBOX_IMAGE_BASE + bss_end, TMEBOX_PAGE_SIZE);
	if (S->nerrors)
		goto out;
	if (heap_base >= TMEBOX_HEAP_MAX)
	{
		cc_error(S, NULL, "global variables are too large (%llu bytes)", (unsigned long long) bss_end);
		goto out;
	}

	/* every use of a global becomes its view address */
	for (i = 0; i < n; i++)
	{
		if (strcmp(cc_name(gv[i]), CC_DSP_NAME) == 0)
			dsp_slot = TMEBOX_IMAGE_BASE + off[i];
		LLVMReplaceAllUsesWith(gv[i], cc_const_addr(S, TMEBOX_IMAGE_BASE + off[i]));
	}
	if (dsp_slot == 0)
	{
		cc_internal_error(S, NULL, "the data-stack pointer global is missing");
		goto out;
	}

	/* the image: rewritten initialisers with explicit padding */
	pos = 0;
	for (i = 0; i < ninit; i++)
	{
		LLVMValueRef init = LLVMGetInitializer(gv[i]);

		if (off[i] > pos)
			fields[nfields++] = cc_padding(S, off[i] - pos);
		fields[nfields++] = init;
		pos = off[i] + LLVMABISizeOfType(S->td, LLVMTypeOf(init));
	}
	image = LLVMConstStructInContext(S->ctx, fields, nfields, 1);
	if (LLVMABISizeOfType(S->td, LLVMTypeOf(image)) != image_size)
	{
		cc_internal_error(S, NULL, "image size %llu differs from the layout %llu",
						  (unsigned long long) LLVMABISizeOfType(S->td, LLVMTypeOf(image)),
						  (unsigned long long) image_size);
		goto out;
	}
	g = LLVMAddGlobal(S->mod, LLVMTypeOf(image), TMEBOX_SYM_IMAGE);
	LLVMSetInitializer(g, image);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetLinkage(g, LLVMExternalLinkage);
	LLVMSetAlignment(g, 16);

	/* struct tmebox_layout: eight uint32_t */
	for (k = 0; k < 8; k++)
		lt[k] = S->i32;
	lv[0] = LLVMConstInt(S->i32, TMEBOX_ABI_VERSION, 0);
	lv[1] = LLVMConstInt(S->i32, TMEBOX_VIEW_BITS, 0);
	lv[2] = LLVMConstInt(S->i32, TMEBOX_IMAGE_BASE, 0);
	lv[3] = LLVMConstInt(S->i32, image_size, 0);
	lv[4] = LLVMConstInt(S->i32, bss_end - image_size, 0);
	lv[5] = LLVMConstInt(S->i32, heap_base, 0);
	lv[6] = LLVMConstInt(S->i32, dsp_slot, 0);
	lv[7] = LLVMConstInt(S->i32, S->nfntab, 0);
	layout = LLVMConstStructInContext(S->ctx, lv, 8, 0);
	g = LLVMAddGlobal(S->mod, LLVMStructTypeInContext(S->ctx, lt, 8, 0), TMEBOX_SYM_LAYOUT);
	LLVMSetInitializer(g, layout);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetLinkage(g, LLVMExternalLinkage);
	LLVMSetAlignment(g, 8);

	/* the old globals go */
	for (i = 0; i < n; i++)
		LLVMDeleteGlobal(gv[i]);
	for (g = LLVMGetFirstGlobal(S->mod); g; g = next)
	{
		next = LLVMGetNextGlobal(g);
		if (!cc_is_abi_global_name(cc_name(g)))
			cc_internal_error(S, NULL, "global '%s' was not laid out", cc_name(g));
	}
out:
	free(gv);
	free(off);
	free(fields);
}
