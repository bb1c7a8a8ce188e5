/*-------------------------------------------------------------------------
 *
 * rt_call.c
 *		tmebox_call: marshal arguments into the view, enter the sandbox on
 *		the native sandbox stack with %gs = view base, call the export
 *		through libffi, validate and copy out the result.
 *
 * Two ways in: when every argument travels in a register (<= 6 integer
 * class, <= 8 SSE class: nearly every UDF) rt_fast_call loads the SysV
 * argument registers itself and calls the export; otherwise libffi's
 * ffi_call runs on the host's stack and rt_clean_entry moves the stack
 * arguments to the native sandbox stack (ffi_call alone costs about 45 ns
 * here).  All-scalar signatures take the shortest path,
 * tmebox_call_prepared (directly from a host that prepared the call, or
 * through rt_call_scalar from tmebox_call).
 *
 * Order of one call:
 *	 rt_setjmp (no signal mask: no syscall) -> the interrupt flag polled
 *	 (general path) -> the native stack cleared
 *	 when another tenant used it last (rt_stack_enter) -> %gs (skipped
 *	 when already set) -> for each buffer argument: room at the top of the data stack
 *	 (small inputs: rt_inputs_fit_dstack) or __tmebox_rt_malloc in the
 *	 sandbox, offset checked, bytes copied -> the export (every entry,
 *	 __tmebox_rt_malloc/free's too, polls the interrupt flag last in its
 *	 trampoline: rt_enter.c) -> result buffer checked
 *	 ([off, off + header + len) inside [NULL_GUARD, brk)) and copied out
 *	 with result_alloc -> result and heap inputs freed with __tmebox_rt_free
 *	 (data-stack inputs: the data-stack pointer back to DSTACK_TOP).
 *
 * Invariants:
 *	- A fault anywhere in the sandbox (signal or host call) lands in the
 *	  rt_setjmp branch, which restores "no call active", unblocks the
 *	  signal that was delivered, marks the instance for reset and returns
 *	  -1 with the fault.  The native stack is simply abandoned.
 *	- Offsets and lengths that come back from the sandbox are trusted only
 *	  after rt_view_ok; the host reads the view only inside [NULL_GUARD,
 *	  brk) and only between sandbox entries (single thread).
 *	- An array of buffers (ABUF) is one block in the view on input: the
 *	  array, then each element's buffer (NUL-terminated, 8-byte aligned).
 *	  A returned one is refused (BAD_RESULT) unless the array, every
 *	  element pointer (0, or a 32-bit view offset: upper bits zero) and
 *	  every element buffer lie inside [NULL_GUARD, brk), and its elements
 *	  together (an element pointed to twice counts twice) take no more
 *	  bytes than the view has committed, so the host's copy stays in
 *	  proportion to the tenant's memory.
 *
 *-------------------------------------------------------------------------
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

/*
 * The libffi path: ffi_call runs on the host's stack and calls the export
 * through rt_clean_entry, which moves the stack arguments to the native
 * sandbox stack and clears the host's registers (rt_enter.c).
 */
static inline void
rt_enter_ffi(rt_export *ex, void *rvalue, void **avalues)
{
	rt_clean_target = (void *) ex->fn;
	rt_clean_nstack = ex->stack_args;
	rt_st.in_sandbox = 1;
	ffi_call(&ex->cif, rt_clean_entry, rvalue, avalues);
	rt_st.in_sandbox = 0;
}

/*
 * Same, through rt_fast_call: f's registers, then fn.  Without `vector`
 * (no argument in an xmm register) rt_fast_call_int clears xmm0-7
 * instead of loading them, and f->xmm need not be set.
 */
static inline void
rt_enter_fast(void (*fn) (void), rt_fast *f, bool vector)
{
	f->fn = (void *) fn;
	f->stack_top = rt_entry_top;
	rt_st.in_sandbox = 1;
	if (vector)
		rt_fast_call(f);
	else
		rt_fast_call_int(f);
	rt_st.in_sandbox = 0;
}

/* The sandbox's allocator entry points: one integer argument each. */
static uint64_t
rt_sandbox_mem_call(void (*fn) (void), uint64_t arg)
{
	rt_fast		fc;

	rt_fast_clear_regs(&fc, false);
	fc.gpr[0] = arg;
	rt_enter_fast(fn, &fc, false);
	return fc.rax;
}

static uint64_t
rt_sandbox_malloc(tmebox_instance *inst, uint64_t size)
{
	return (uint32_t) rt_sandbox_mem_call((void (*) (void)) inst->mod->rt_malloc, size);
}

static void
rt_sandbox_free(tmebox_instance *inst, uint64_t off)
{
	rt_sandbox_mem_call((void (*) (void)) inst->mod->rt_free, off);
}

/*
 * Hand each of the n offsets of list (an rt_*_frees list, malloc'd) to
 * the sandbox's free, then free the list.  A fault in the sandbox's free
 * leaves through rt_fail before the list is freed: the caller keeps it in
 * its volatile free_list until this returns, for the fault path to free.
 */
static void
rt_sandbox_free_each(tmebox_instance *inst, uint64_t *list, int n)
{
	for (int i = 0; i < n; i++)
		rt_sandbox_free(inst, list[i]);
	free(list);
}

/*
 * An array argument with a shape (NULL elements, other dimensions)?  For
 * an array of buffers (dimensions only) the shape follows the element
 * values: at (char *) (data + n).
 */
static inline bool
rt_shaped(tmebox_type t, const tmebox_value *a)
{
	return (tmebox_type_class_of(t) == TMEBOX_CLASS_ARRAY ||
			tmebox_type_class_of(t) == TMEBOX_CLASS_BUFARRAY) &&
		(a->v.buf.len & TMEBOX_ARRAY_SHAPED) != 0;
}

/* Header size and element size of a buffer or array type. */
static void
rt_buf_shape(tmebox_type t, uint64_t *hdr, uint64_t *elsz)
{
	/* a dynamic row (record) is its image, header included: copied as is */
	*hdr = tmebox_type_class_of(t) == TMEBOX_CLASS_BUF ? RT_BUF_HDR :
		tmebox_type_class_of(t) == TMEBOX_CLASS_ROW ? 0 : RT_ARRAY_HDR;
	*elsz = tmebox_type_width(t);
}

static bool
rt_is_buf(tmebox_type t)
{
	return tmebox_type_by_ref(t);
}

/* A byte string (a NUL follows its data in the view)? */
static bool
rt_is_string(tmebox_type t)
{
	return tmebox_type_class_of(t) == TMEBOX_CLASS_BUF;
}

/* Bits above a scalar's width that a sign extension replaces. */
static inline int
rt_int_shift(tmebox_type t)
{
	return 64 - 8 * (int) tmebox_type_width(t);
}

/* Refuse a call before entering: HOST_ERROR, instance untouched. */
static int	rt_refuse(tmebox_fault *fault, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

static int
rt_refuse(tmebox_fault *fault, const char *fmt,...)
{
	va_list		ap;

	memset(fault, 0, sizeof(*fault));
	fault->kind = TMEBOX_FAULT_HOST_ERROR;
	va_start(ap, fmt);
	vsnprintf(fault->message, sizeof(fault->message), fmt, ap);
	va_end(ap);
	return -1;
}

static void rt_held_free_all(void);

/* End the call with the fault in rt_st.fault (called on the host stack). */
static int
rt_fail(tmebox_instance *inst, tmebox_fault *fault)
{
	rt_st.in_sandbox = 0;
	rt_st.cur = NULL;
	rt_held_free_all();
	rt_sbx_sp = 0;
	rt_stack_abandoned();
	if (rt_st.fault.signo != 0)
	{
		sigset_t	set;

		sigemptyset(&set);
		sigaddset(&set, rt_st.fault.signo);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
	}
	inst->needs_reset = true;
	*fault = rt_st.fault;
	return -1;
}

/* Set a BAD_RESULT fault in rt_st.fault. */
void
rt_bad_result(const char *fmt, uint64_t a, uint64_t b)
{
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_BAD_RESULT;
	snprintf(rt_st.fault.message, sizeof(rt_st.fault.message), fmt,
			 (unsigned long long) a, (unsigned long long) b);
}

/* Set a HOST_ERROR fault: no host memory for the copy of fname's result. */
void
rt_result_oom(const char *fname)
{
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_HOST_ERROR;
	snprintf(rt_st.fault.message, sizeof(rt_st.fault.message),
			 "out of memory copying the result of \"%s\"", fname);
}

/* The register image of scalar argument a of type t. */
static inline uint64_t
rt_scalar_bits(tmebox_type t, const tmebox_value *a)
{
	uint64_t	bits = 0;

	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_BOOL:
			return a->v.b ? 1 : 0;
		case TMEBOX_CLASS_INT:
			return (uint64_t) ((int64_t) ((uint64_t) a->v.i << rt_int_shift(t)) >> rt_int_shift(t));
		case TMEBOX_CLASS_FLOAT:
			if (tmebox_type_width(t) == sizeof(float))
				memcpy(&bits, &a->v.f, sizeof(float));
			else
				memcpy(&bits, &a->v.d, sizeof(double));
			return bits;
		default:
			return 0;
	}
}

/*
 * Register image bits of a scalar of type t, as the callee expects it:
 * bool 0/1, integers sign-extended from their width, float in the low 32
 * bits.  Whatever the upper bits held before does not matter.
 */
static inline uint64_t
rt_norm_bits(tmebox_type t, uint64_t bits)
{
	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_BOOL:
			return bits != 0;
		case TMEBOX_CLASS_INT:
			return (uint64_t) ((int64_t) (bits << rt_int_shift(t)) >> rt_int_shift(t));
		case TMEBOX_CLASS_FLOAT:
			return tmebox_type_width(t) == sizeof(float) ? (uint32_t) bits : bits;
		case TMEBOX_CLASS_VOID:
			return 0;
		default:
			return bits;
	}
}

/* The result image of type t from the returned %rax / %xmm0. */
static inline uint64_t
rt_result_bits(tmebox_type t, uint64_t rax, uint64_t xmm0)
{
	if (tmebox_type_class_of(t) == TMEBOX_CLASS_FLOAT)
		return rt_norm_bits(t, xmm0);
	if (tmebox_type_class_of(t) == TMEBOX_CLASS_BOOL)
		return (uint8_t) rax != 0;
	return rt_norm_bits(t, rax);
}

/*
 * rt_result_bits from the prepared call's precomputed class and width (no
 * type switch per call): bool 0/1, integers sign-extended from their
 * width, a float's bits (float4 zero-extended from 32), void 0; byte
 * strings: the offset, as returned.
 */
static inline uint64_t
rt_prepared_result(const tmebox_prepared *p, uint64_t rax, uint64_t xmm0)
{
	switch (p->ret_cls)
	{
		case TMEBOX_CLASS_FLOAT:
			return (xmm0 << p->ret_shift) >> p->ret_shift;
		case TMEBOX_CLASS_INT:
			return (uint64_t) ((int64_t) (rax << p->ret_shift) >> p->ret_shift);
		case TMEBOX_CLASS_BOOL:
			return (uint8_t) rax != 0;
		case TMEBOX_CLASS_VOID:
			return 0;
		default:
			return rax;
	}
}

/* A scalar result as a tmebox_value, from its normalised image. */
static inline void
rt_scalar_result(tmebox_type t, uint64_t bits, tmebox_value *r)
{
	uint32_t	f32 = (uint32_t) bits;

	r->isnull = false;
	r->v.i = 0;
	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_BOOL:
			r->v.b = bits != 0;
			break;
		case TMEBOX_CLASS_INT:
			r->v.i = (int64_t) bits;
			break;
		case TMEBOX_CLASS_FLOAT:
			if (tmebox_type_width(t) == sizeof(float))
				memcpy(&r->v.f, &f32, sizeof(float));
			else
				memcpy(&r->v.d, &bits, sizeof(double));
			break;
		default:
			break;
	}
}

/*
 * Why a call cannot be made now: nested, no such export, instance needing
 * a reset.  0 when it can.
 */
static int
rt_call_refused(tmebox_instance *inst, int export_index, tmebox_fault *fault)
{
	tmebox_module *mod = inst->mod;

	if (rt_st.cur != NULL)
		return rt_refuse(fault, "nested sandbox call");
	if (export_index < 0 || export_index >= mod->info->nexports)
		return rt_refuse(fault, "no export with index %d", export_index);
	if (inst->needs_reset)
		return rt_refuse(fault, "instance must be reset after a fault before calling \"%s\"",
						 mod->info->exports[export_index].name);
	return 0;
}

/* May export_index of inst be called now through the all-scalar path? */
static inline bool
rt_scalar_ready(tmebox_instance *inst, int export_index)
{
	tmebox_module *mod = inst->mod;

	return rt_st.cur == NULL && !inst->needs_reset &&
		export_index >= 0 && export_index < mod->info->nexports &&
		mod->exports[export_index].scalar;
}

/* May export_index of inst be called now through rt_call_bytes? */
static inline bool
rt_bytes_ready(tmebox_instance *inst, int export_index)
{
	tmebox_module *mod = inst->mod;

	return rt_st.cur == NULL && !inst->needs_reset &&
		export_index >= 0 && export_index < mod->info->nexports &&
		mod->exports[export_index].bytes;
}

/*
 * The common case kept short (an all-scalar export, described by p): no
 * view memory to prepare, no result to check.  Same protocol as
 * tmebox_call's general path.  args holds the arguments' images (any
 * upper bits), *result gets the result's normalised image.  One function
 * from the checks to the entry: with rt_setjmp in it, it cannot be inlined
 * into a caller, so it is the caller.
 */
int
tmebox_call_prepared(const tmebox_prepared *p, const uint64_t *args, uint64_t *result,
					 tmebox_fault *fault)
{
	tmebox_instance *inst = p->inst;
	rt_fast		fc;

	if (__builtin_expect(rt_st.cur != NULL, 0))
		return rt_refuse(fault, "nested sandbox call");
	if (__builtin_expect(inst->needs_reset, 0))
		return rt_refuse(fault, "instance must be reset after a fault before calling \"%s\"",
						 p->name);
	rt_fast_clear_regs(&fc, p->vector_args);
	for (int i = 0; i < p->nargs; i++)
	{
		uint64_t	b = args[i];

		/* rt_norm_bits without its jump table: bool, or a sign extension
		 * (float's upper half is ignored by the callee) */
		if (p->cls[i] == TMEBOX_CLASS_BOOL)
			b = b != 0;
		else
			b = (uint64_t) ((int64_t) (b << p->shift[i]) >> p->shift[i]);
		if (p->slot[i] < 6)
			fc.gpr[p->slot[i]] = b;
		else
			fc.xmm[p->slot[i] - 6] = b;
	}
	rt_st.cur = inst;
	if (rt_setjmp(&rt_st.env) != 0)
		return rt_fail(inst, fault);
	/* the interrupt poll: the trampoline's, after everything (rt_enter.c) */
	rt_stack_enter(inst);
	rt_set_gs((uintptr_t) inst->base);
	rt_enter_fast(p->fn, &fc, p->vector_args);
	rt_st.cur = NULL;
	*result = rt_prepared_result(p, fc.rax, fc.xmm0);
	return 0;
}

/* The all-scalar case of tmebox_call: tmebox_values in and out. */
static int
rt_call_scalar(tmebox_instance *inst, int export_index, const tmebox_value *args,
			   tmebox_value *result, tmebox_fault *fault)
{
	const tmebox_signature *sig = &inst->mod->info->exports[export_index];
	tmebox_prepared p = inst->mod->exports[export_index].proto;
	uint64_t	bits[TMEBOX_MAX_ARGS];
	uint64_t	r;

	for (int i = 0; i < sig->nargs; i++)
	{
		if (args[i].isnull)
			return rt_refuse(fault, "function \"%s\": argument %d cannot be NULL",
							 sig->name, i + 1);
		bits[i] = rt_scalar_bits(sig->args[i], &args[i]);
	}
	p.inst = inst;
	if (tmebox_call_prepared(&p, bits, &r, fault) != 0)
		return -1;
	rt_scalar_result(sig->ret, r, result);
	return 0;
}

int
tmebox_prepare(tmebox_instance *inst, int export_index, tmebox_prepared *p)
{
	tmebox_module *mod = inst->mod;

	if (export_index < 0 || export_index >= mod->info->nexports ||
		!mod->exports[export_index].scalar)
		return -1;
	*p = mod->exports[export_index].proto;
	p->inst = inst;
	p->export_index = export_index;
	return 0;
}

/*
 * Bytes by-reference argument i of sig, a (not NULL), takes in the view:
 * one block (an array of buffers: the array, then its elements' buffers;
 * a row: its struct, then its buf fields' buffers).
 */
static uint64_t
rt_arg_size(const tmebox_signature *sig, int i, const tmebox_value *a)
{
	tmebox_type t = sig->args[i];
	uint64_t	hdr,
				elsz,
				size;

	if (tmebox_type_class_of(t) == TMEBOX_CLASS_STRUCT)
		return rt_struct_arg_size(tmebox_signature_struct(sig, i), a);
	rt_buf_shape(t, &hdr, &elsz);
	if (rt_shaped(t, a) && tmebox_type_class_of(t) == TMEBOX_CLASS_ARRAY)
	{
		/* the elements, then the shape at the next 8-byte boundary */
		uint32_t	n = a->v.buf.len & ~TMEBOX_ARRAY_SHAPED;
		uint64_t	bytes = (uint64_t) n * elsz;

		return hdr + ((bytes + 7) & ~(uint64_t) 7) +
			tmebox_array_shape_size((const char *) a->v.buf.data +
									TMEBOX_ARRAY_SHAPE_AT(bytes), n);
	}
	if (tmebox_type_class_of(t) == TMEBOX_CLASS_BUFARRAY)
	{
		const tmebox_value *el = a->v.buf.data;
		uint32_t	n = a->v.buf.len & ~TMEBOX_ARRAY_SHAPED;

		/* the array, each element's buffer, the shape (header only) */
		size = hdr + (uint64_t) n * elsz;
		for (uint32_t i = 0; i < n; i++)
			if (!el[i].isnull)
				size += rt_elem_size(el[i].v.buf.len);
		return size + (rt_shaped(t, a) ? TMEBOX_ARRAY_SHAPE_HDR : 0);
	}
	size = hdr + (uint64_t) a->v.buf.len * elsz + (rt_is_string(t) ? 1 : 0);
	return size;
}

/*
 * Large copies into and out of the view during a call (after its
 * rt_setjmp, rt_st.cur set: rt_call_general's arguments and results) and
 * the host's other passes over a large result (its rows, its elements,
 * the list of blocks to free, rt_dynrow.c, rt_struct.c) look at the
 * host's interrupt flag after every RT_COPY_PIECE bytes or entries they
 * handle (rt_copy_account): a cancel or statement_timeout that comes then
 * ends the call within one piece (rt_poll_interrupt leaves with
 * INTERRUPTED through the call's rt_setjmp; the instance is reset), not
 * when the work on a value of up to 1 GB ends (red team s11 redC F2:
 * seconds late).  Host memory such work allocates for itself is held
 * (rt_held_alloc) until it is handed on or freed, and the failure frees
 * it (rt_fail): an interrupt leaks nothing.
 */
uint64_t	rt_copied;			/* bytes since the last look at the flag */

void
rt_copy_poll(void)
{
	rt_copied = 0;
	if (*rt_intr_flag != 0)
		rt_poll_interrupt();	/* may leave with INTERRUPTED */
}

void
rt_copy_pieces(uint8_t *dst, const uint8_t *src, uint64_t n)
{
	while (n > 0)
	{
		uint64_t	piece = n < RT_COPY_PIECE ? n : RT_COPY_PIECE;

		memcpy(dst, src, piece);
		dst += piece;
		src += piece;
		n -= piece;
		rt_copy_account(piece);
	}
}

#define RT_HELD_MAX	4
static void *rt_held[RT_HELD_MAX];

void *
rt_held_alloc(size_t size)
{
	for (int i = 0; i < RT_HELD_MAX; i++)
		if (rt_held[i] == NULL)
			return rt_held[i] = malloc(size);
	return NULL;				/* never: at most two are held at a time */
}

void
rt_held_release(void *p)
{
	for (int i = 0; i < RT_HELD_MAX; i++)
		if (p != NULL && rt_held[i] == p)
			rt_held[i] = NULL;
}

static void
rt_held_free_all(void)
{
	for (int i = 0; i < RT_HELD_MAX; i++)
	{
		free(rt_held[i]);
		rt_held[i] = NULL;
	}
}

static int
rt_cmp_offset(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return x < y ? -1 : x > y;
}

/*
 * Sort the k offsets of list and drop repeats: how many are left (the
 * lists of what the host frees after a result's copy, rt_dynrow.c,
 * rt_struct.c and rt_bufarray_frees).  View offsets are below 2^32: a
 * radix sort of four 8-bit digits, linear in k, that looks at the
 * interrupt flag as it goes (a list can hold tens of millions of
 * offsets: qsort of them took seconds no interrupt could cut short); its
 * second buffer is held, so an interrupt frees it.  Short lists, and any
 * list without memory for the buffer, take qsort.
 */
int
rt_sort_unique(uint64_t *list, size_t k)
{
	uint64_t   *tmp = NULL;
	int			n = 0;

	if (k > 64)
	{
		bool		small = true;

		for (size_t i = 0; i < k; i++)
			small &= (list[i] >> 32) == 0;
		if (small)
			tmp = rt_held_alloc(k * sizeof(uint64_t));
	}
	if (tmp == NULL)
		qsort(list, k, sizeof(uint64_t), rt_cmp_offset);
	else
	{
		uint64_t   *src = list,
				   *dst = tmp;

		for (int shift = 0; shift < 32; shift += 8)
		{
			size_t		count[256] = {0};
			size_t		pos = 0;
			uint64_t   *t;

			for (size_t i = 0; i < k; i++)
			{
				count[(src[i] >> shift) & 255]++;
				rt_copy_account(sizeof(uint64_t));
			}
			for (int d = 0; d < 256; d++)
			{
				size_t		c = count[d];

				count[d] = pos;
				pos += c;
			}
			for (size_t i = 0; i < k; i++)
			{
				dst[count[(src[i] >> shift) & 255]++] = src[i];
				rt_copy_account(sizeof(uint64_t));
			}
			t = src;
			src = dst;
			dst = t;
		}
		/* an even number of passes: the sorted offsets are in list */
		rt_held_release(tmp);
		free(tmp);
	}
	for (size_t i = 0; i < k; i++)
		if (i == 0 || list[i] != list[i - 1])
			list[n++] = list[i];
	return n;
}

/* View offset of element pointer i of the array of buffers at off. */
static inline uint64_t
rt_elem_slot(uint64_t off, uint32_t i)
{
	return off + RT_ARRAY_HDR + (uint64_t) i * RT_ELEM_PTR;
}

/*
 * Copy array of buffers a into the view at off (rt_arg_size(t, a) bytes,
 * checked): {n, 0, v[n]}, then each non-NULL element's {len, data, NUL}
 * at the next 8-byte boundary, v[i] its offset (0 for a NULL element).
 */
static void
rt_put_bufarray(tmebox_instance *inst, uint64_t off, const tmebox_value *a)
{
	const tmebox_value *el = a->v.buf.data;
	uint32_t	n = a->v.buf.len & ~TMEBOX_ARRAY_SHAPED;
	uint32_t	head[2] = {n, 0};
	uint64_t	p = rt_elem_slot(off, n);

	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	ptr = 0;

		if (!el[i].isnull)
		{
			uint32_t	len = el[i].v.buf.len;

			ptr = p;
			memcpy(inst->base + p, &len, sizeof(len));
			if (len > 0)
				rt_copy_polled(inst->base + p + RT_BUF_HDR, el[i].v.buf.data, len);
			inst->base[p + RT_BUF_HDR + len] = '\0';
			p += rt_elem_size(len);
		}
		memcpy(inst->base + rt_elem_slot(off, i), &ptr, sizeof(ptr));
		rt_copy_account(RT_ELEM_PTR);
	}
	if (a->v.buf.len & TMEBOX_ARRAY_SHAPED)
	{
		/* the shape after the last element (p is 8-byte aligned) */
		memcpy(inst->base + p, el + n, TMEBOX_ARRAY_SHAPE_HDR);
		head[1] = (uint32_t) p;
	}
	memcpy(inst->base + off, head, sizeof(head));
}

/*
 * Element i of the array of buffers at off (its header checked): *ptr its
 * pointer, and when not 0 *len its length, the buffer checked to lie in
 * the committed view.  false with a BAD_RESULT fault otherwise.
 */
static bool
rt_get_elem(tmebox_instance *inst, uint64_t off, uint32_t i, uint64_t *ptr, uint32_t *len)
{
	memcpy(ptr, inst->base + rt_elem_slot(off, i), sizeof(*ptr));
	if (*ptr == 0)
		return true;
	if ((*ptr >> TMEBOX_VIEW_BITS) != 0 || !rt_view_ok(inst, *ptr, RT_BUF_HDR))
	{
		rt_bad_result("element %llu of the returned array points to 0x%llx, outside the sandbox's committed memory",
					  i, *ptr);
		return false;
	}
	memcpy(len, inst->base + *ptr, sizeof(*len));
	if (!rt_view_ok(inst, *ptr + RT_BUF_HDR, *len))
	{
		rt_bad_result("element %llu of the returned array claims %llu bytes, past the end of the sandbox's memory",
					  i, *len);
		return false;
	}
	return true;
}

/*
 * The shape block of a returned ARRAY of n elements at view offset shape
 * (the header's second word, not 0): its header checked to lie in
 * [NULL_GUARD, brk), has_nulls 0 or 1, its flags too; *hdr its header's
 * copy, *size its bytes.  Only what the copy needs is checked here; the
 * fields' meaning (ndim, dims against n) is the host's (pl_call.c).
 * false with a BAD_RESULT fault.
 */
static bool
rt_get_shape(tmebox_instance *inst, uint64_t shape, uint32_t n,
			 uint8_t hdr[TMEBOX_ARRAY_SHAPE_HDR], uint64_t *size)
{
	uint32_t	has_nulls;

	if (n & TMEBOX_ARRAY_SHAPED)
	{
		rt_bad_result("the returned array claims %llu elements (at most %llu with a shape)",
					  n, TMEBOX_ARRAY_SHAPED - 1);
		return false;
	}
	if (!rt_view_ok(inst, shape, TMEBOX_ARRAY_SHAPE_HDR))
	{
		rt_bad_result("the returned array's shape at 0x%llx is outside the sandbox's committed memory",
					  shape, 0);
		return false;
	}
	memcpy(hdr, inst->base + shape, TMEBOX_ARRAY_SHAPE_HDR);
	memcpy(&has_nulls, hdr + 4, sizeof(has_nulls));
	if (has_nulls > 1)
	{
		rt_bad_result("the returned array's shape says has_nulls = %llu (0 or 1)",
					  has_nulls, 0);
		return false;
	}
	*size = tmebox_array_shape_size(hdr, n);
	if (!rt_view_ok(inst, shape, *size))
	{
		rt_bad_result("the returned array's NULL flags at 0x%llx claim %llu bytes, past the end of the sandbox's memory",
					  shape, *size);
		return false;
	}
	return true;
}

/*
 * The array of buffers at view offset off (returned by the sandbox, the
 * header's offset not yet checked) into *result: v.buf.len elements,
 * v.buf.data a tmebox_value[len] at the first 8-byte boundary of one
 * block from result_alloc (malloc when NULL: *own_copy), each element's
 * bytes in the same block, a NUL after each.  false with a fault in
 * rt_st.fault (BAD_RESULT, or HOST_ERROR when the copy cannot be
 * allocated).
 */
static bool
rt_get_bufarray(tmebox_instance *inst, const char *fname, uint64_t off,
				tmebox_alloc_fn result_alloc, void *alloc_arg,
				uint8_t *volatile *own_copy, tmebox_value *result)
{
	uint32_t	n,
				shape;
	uint64_t	ptr,
				total = 0,
				size,
				left,
				ssize = 0;
	uint32_t	len;
	uint8_t    *block;
	tmebox_value *vals;
	uint8_t    *bytes;
	uint8_t		shdr[TMEBOX_ARRAY_SHAPE_HDR];

	if (!rt_view_ok(inst, off, RT_ARRAY_HDR))
	{
		rt_bad_result("returned array offset 0x%llx is outside the sandbox's committed memory",
					  off, 0);
		return false;
	}
	memcpy(&n, inst->base + off, sizeof(n));
	memcpy(&shape, inst->base + off + sizeof(n), sizeof(shape));
	if (shape != 0)
	{
		/* dimensions only: NULL elements are NULL pointers */
		if (!rt_get_shape(inst, shape, n, shdr, &ssize))
			return false;
		if (ssize != TMEBOX_ARRAY_SHAPE_HDR)
		{
			rt_bad_result("the returned array of buffers has NULL flags in its shape at 0x%llx (its NULL elements are NULL pointers)",
						  shape, 0);
			return false;
		}
	}
	if (!rt_view_ok(inst, off + RT_ARRAY_HDR, (uint64_t) n * RT_ELEM_PTR))
	{
		rt_bad_result("returned array at offset 0x%llx claims %llu bytes of element pointers, past the end of the sandbox's memory",
					  off, (uint64_t) n * RT_ELEM_PTR);
		return false;
	}
	/* each element <= 4 GiB, n < 2^29: the sum fits in 64 bits */
	for (uint32_t i = 0; i < n; i++)
	{
		if (!rt_get_elem(inst, off, i, &ptr, &len))
			return false;
		if (ptr != 0)
			total += (uint64_t) len + 1;
		rt_copy_account(RT_ELEM_PTR);
	}
	if (total > inst->brk - TMEBOX_NULL_GUARD)
	{
		rt_bad_result("the elements of the returned array take %llu bytes, more than the sandbox's %llu bytes of memory",
					  total, inst->brk - TMEBOX_NULL_GUARD);
		return false;
	}
	size = 7 + (uint64_t) n * sizeof(tmebox_value) + ssize + total + 1;
	block = result_alloc ? result_alloc(size, alloc_arg) : malloc(size);
	if (block == NULL)
	{
		rt_result_oom(fname);
		return false;
	}
	if (result_alloc == NULL)
		*own_copy = block;
	vals = (tmebox_value *) (((uintptr_t) block + 7) & ~(uintptr_t) 7);
	bytes = (uint8_t *) (vals + n);
	if (ssize > 0)
	{
		/* the shape right after the values (tmebox_rt.h) */
		memcpy(bytes, shdr, ssize);
		bytes += ssize;
	}
	left = total;
	for (uint32_t i = 0; i < n; i++)
	{
		memset(&vals[i], 0, sizeof(vals[i]));
		/* checked again: the copy never writes past what was counted */
		if (!rt_get_elem(inst, off, i, &ptr, &len))
			return false;
		if (ptr != 0 && (uint64_t) len + 1 > left)
		{
			rt_bad_result("element %llu of the returned array changed while it was copied",
						  i, 0);
			return false;
		}
		if (ptr == 0)
		{
			vals[i].isnull = true;
			continue;
		}
		rt_copy_polled(bytes, inst->base + ptr + RT_BUF_HDR, len);
		rt_copy_account(RT_ELEM_PTR);
		bytes[len] = '\0';
		vals[i].v.buf.data = bytes;
		vals[i].v.buf.len = len;
		bytes += (uint64_t) len + 1;
		left -= (uint64_t) len + 1;
	}
	result->v.buf.data = vals;
	result->v.buf.len = n | (ssize > 0 ? TMEBOX_ARRAY_SHAPED : 0);
	return true;
}

/*
 * The buffer or array of type t at view offset off (returned by the
 * sandbox, not yet checked) into *result: its header and its data checked
 * to lie in [NULL_GUARD, brk), the data copied with a NUL after it into a
 * block from result_alloc (malloc when NULL: *own_copy).  off 0 is a NULL
 * result.  An ARRAY with a shape (its header's second word, *shape_off
 * when shape_off is not NULL) has it copied after the data
 * (TMEBOX_ARRAY_SHAPE_AT) and v.buf.len TMEBOX_ARRAY_SHAPED set; an ARRAY
 * of 2^31 elements or more is refused either way.  false with a fault in
 * rt_st.fault (BAD_RESULT, or HOST_ERROR when the copy cannot be
 * allocated).
 */
static inline bool
rt_get_buf(tmebox_instance *inst, tmebox_type t, const char *fname, uint64_t off,
		   tmebox_alloc_fn result_alloc, void *alloc_arg,
		   uint8_t *volatile *own_copy, tmebox_value *result, uint64_t *shape_off)
{
	uint64_t	hdr,
				elsz,
				bytes,
				size,
				ssize = 0;
	uint32_t	head[2] = {0, 0};
	uint8_t		shdr[TMEBOX_ARRAY_SHAPE_HDR];
	uint8_t    *data;

	result->v.buf.data = NULL;
	result->v.buf.len = 0;
	if (shape_off != NULL)
		*shape_off = 0;
	if (off == 0)
	{
		result->isnull = true;
		return true;
	}
	rt_buf_shape(t, &hdr, &elsz);
	if (!rt_view_ok(inst, off, hdr))
	{
		rt_bad_result("returned buffer offset 0x%llx is outside the sandbox's committed memory",
					  off, 0);
		return false;
	}
	/* two fixed-size loads: a copy of hdr bytes (4 or 8, not known here)
	 * is made byte by byte, and reading head[0] back then stalls on store
	 * forwarding (~6 % of a text call's time) */
	memcpy(&head[0], inst->base + off, sizeof(head[0]));
	if (hdr > sizeof(head[0]))
		memcpy(&head[1], inst->base + off + sizeof(head[0]), sizeof(head[1]));
	bytes = (uint64_t) head[0] * elsz;
	if (!rt_view_ok(inst, off + hdr, bytes))
	{
		rt_bad_result("returned buffer at offset 0x%llx claims %llu bytes, past the end of the sandbox's memory",
					  off, bytes);
		return false;
	}
	size = bytes + 1;
	if (tmebox_type_class_of(t) == TMEBOX_CLASS_ARRAY)
	{
		if (head[0] & TMEBOX_ARRAY_SHAPED)
		{
			rt_bad_result("the returned array claims %llu elements (at most %llu)",
						  head[0], TMEBOX_ARRAY_SHAPED - 1);
			return false;
		}
		if (head[1] != 0)
		{
			if (!rt_get_shape(inst, head[1], head[0], shdr, &ssize))
				return false;
			size = TMEBOX_ARRAY_SHAPE_AT(bytes) + ssize;
			if (shape_off != NULL)
				*shape_off = head[1];
		}
	}
	data = result_alloc ? result_alloc(size, alloc_arg) : malloc(size);
	if (data == NULL)
	{
		rt_result_oom(fname);
		return false;
	}
	if (result_alloc == NULL)
		*own_copy = data;
	rt_copy_polled(data, inst->base + off + hdr, bytes);
	data[bytes] = '\0';
	result->v.buf.data = data;
	result->v.buf.len = head[0];
	if (ssize > 0)
	{
		uint8_t    *s = data + TMEBOX_ARRAY_SHAPE_AT(bytes);

		memset(data + bytes + 1, 0, s - (data + bytes + 1));
		memcpy(s, shdr, TMEBOX_ARRAY_SHAPE_HDR);
		memcpy(s + TMEBOX_ARRAY_SHAPE_HDR, inst->base + head[1] + TMEBOX_ARRAY_SHAPE_HDR,
			   ssize - TMEBOX_ARRAY_SHAPE_HDR);
		result->v.buf.len |= TMEBOX_ARRAY_SHAPED;
	}
	return true;
}

/* Does view offset p lie inside one of the n input blocks [in[j], +insz[j])? */
static bool
rt_in_inputs(uint64_t p, const uint64_t *in, const uint64_t *insz, int n)
{
	for (int j = 0; j < n; j++)
		if (p >= in[j] && p - in[j] < insz[j])
			return true;
	return false;
}

/*
 * Element i of the returned array of buffers at off when the host is to
 * free it: a pointer into the heap that is not inside an input block
 * [in[j], +insz[j]); 0 otherwise (NULL, data stack, static data, input).
 */
static uint64_t
rt_bufarray_heap_elem(tmebox_instance *inst, uint64_t off, uint32_t i,
					  const uint64_t *in, const uint64_t *insz, int nin)
{
	uint64_t	ptr;

	memcpy(&ptr, inst->base + rt_elem_slot(off, i), sizeof(ptr));
	return rt_heap_owned(inst, ptr, in, insz, nin) ? ptr : 0;
}

/*
 * What the host frees after copying the returned array of buffers at off
 * (checked by rt_get_bufarray): the array, and each distinct element
 * buffer in the heap that is not inside an input block [in[j], +insz[j])
 * (an element met twice is freed once; static data and data-stack bytes
 * are not the heap's).  A malloc'd list of *nfree offsets, sorted; NULL
 * when the host has no memory for it (then only the array is freed, and
 * the elements stay in the sandbox's heap until its reset).
 */
static uint64_t *
rt_bufarray_frees(tmebox_instance *inst, uint64_t off, const uint64_t *in,
				  const uint64_t *insz, int nin, int *nfree)
{
	uint32_t	n;
	uint64_t   *list;
	int			k = 0;
	uint32_t	nheap = 0;

	memcpy(&n, inst->base + off, sizeof(n));
	/* sized by the elements in the heap, not by n (NULLs cost nothing) */
	for (uint32_t i = 0; i < n; i++)
	{
		if (rt_bufarray_heap_elem(inst, off, i, in, insz, nin) != 0)
			nheap++;
		rt_copy_account(RT_ELEM_PTR);
	}
	list = rt_held_alloc(((size_t) nheap + 2) * sizeof(uint64_t));
	if (list == NULL)
		return NULL;
	list[k++] = off;
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	ptr = rt_bufarray_heap_elem(inst, off, i, in, insz, nin);

		if (ptr != 0 && (uint32_t) k <= nheap)	/* nothing ran between: same count */
			list[k++] = ptr;
		rt_copy_account(RT_ELEM_PTR);
	}
	{
		/* a shape of its own in the heap (checked by rt_get_bufarray) */
		uint32_t	shape;

		memcpy(&shape, inst->base + off + sizeof(n), sizeof(shape));
		if (shape >= inst->mod->layout.heap_base && shape != off &&
			!rt_in_inputs(shape, in, insz, nin))
			list[k++] = shape;
	}
	*nfree = rt_sort_unique(list, k);
	rt_held_release(list);		/* the caller's now */
	return list;
}

/* Is view offset off one of the call's n input blocks in[] (a result that
 * is an argument's copy: freed with the inputs, not on its own)? */
static bool
rt_is_input(uint64_t off, const uint64_t *in, int n)
{
	for (int i = 0; i < n; i++)
		if (in[i] == off)
			return true;
	return false;
}

/*
 * Buffer and array arguments that together take at most RT_DSTACK_ARGS_MAX
 * bytes go at the top of the data stack instead of the sandbox's heap:
 * no __tmebox_rt_malloc / __tmebox_rt_free entries into the sandbox for
 * them.  The data-stack pointer is set below them for the call (its
 * frames start there) and back to DSTACK_TOP after it; a fault resets the
 * instance, which restores it from the image.  The sandbox owns those
 * bytes as it owned its heap copies: it may read and write them during
 * the call, and they are gone after it (as the heap copies were freed).
 */
#define RT_DSTACK_ARGS_MAX	(64 * 1024)

static bool
rt_inputs_fit_dstack(const tmebox_signature *sig, const tmebox_value *args)
{
	uint64_t	total = 0;

	for (int i = 0; i < sig->nargs; i++)
		if (rt_is_buf(sig->args[i]) && !args[i].isnull)
		{
			total += (rt_arg_size(sig, i, &args[i]) + 1 + 15) & ~(uint64_t) 15;
			if (total > RT_DSTACK_ARGS_MAX)
				return false;
		}
	return true;
}

/* The data-stack pointer of inst (ABI.md "Stacks"). */
static void
rt_set_dsp(tmebox_instance *inst, uint64_t dsp)
{
	memcpy(inst->base + inst->mod->layout.dsp_slot, &dsp, sizeof(dsp));
}

/* Everything but the all-scalar case: buffers, arrays, libffi. */
static __attribute__((noinline)) int
rt_call_general(tmebox_instance *inst, int export_index, const tmebox_value *args,
				tmebox_value *result, tmebox_alloc_fn result_alloc, void *alloc_arg,
				tmebox_fault *fault)
{
	tmebox_module *mod = inst->mod;
	const tmebox_signature *sig;
	rt_export  *ex;
	rt_fast		fc;
	uint64_t	av[TMEBOX_MAX_ARGS];	/* argument register images */
	void	   *avp[TMEBOX_MAX_ARGS];
	uint64_t	inbuf[TMEBOX_MAX_ARGS];
	uint64_t	insize[TMEBOX_MAX_ARGS];
	volatile int ninbuf = 0;	/* set after rt_setjmp */
	uint64_t	rv[2];
	int			i;
	bool		on_dstack;
	volatile uint64_t dtop = TMEBOX_DSTACK_TOP;	/* set after rt_setjmp */

	/*
	 * The result copy the runtime malloc'ed itself (result_alloc NULL),
	 * until the call has returned: the sandbox's frees of the result and
	 * of the inputs run after the copy and can still fault (a tenant that
	 * corrupted its heap), and then the copy is ours to free.  A copy made
	 * with the caller's result_alloc is the caller's allocator's business.
	 */
	uint8_t    *volatile own_copy = NULL;
	/* the host's list of the result's element buffers to free (ABUF) */
	uint64_t   *volatile free_list = NULL;

	if (rt_call_refused(inst, export_index, fault) != 0)
		return -1;
	sig = &mod->info->exports[export_index];
	ex = &mod->exports[export_index];
	for (i = 0; i < sig->nargs; i++)
	{
		if (!rt_is_buf(sig->args[i]))
		{
			if (args[i].isnull)
				return rt_refuse(fault, "function \"%s\": argument %d cannot be NULL",
								 sig->name, i + 1);
		}
		else if (!args[i].isnull && args[i].v.buf.len > 0 && args[i].v.buf.data == NULL)
			return rt_refuse(fault, "function \"%s\": argument %d has no data",
							 sig->name, i + 1);
		else if (!args[i].isnull &&
				 tmebox_type_class_of(sig->args[i]) == TMEBOX_CLASS_STRUCT)
		{
			const tmebox_value *fv = args[i].v.buf.data;
			const tmebox_struct_layout *l = tmebox_signature_struct(sig, i);

			if (l == NULL || fv == NULL || args[i].v.buf.len != (uint32_t) l->nfields)
				return rt_refuse(fault, "function \"%s\": argument %d is not a row of %d fields",
								 sig->name, i + 1, l ? l->nfields : 0);
			for (int k = 0; k < l->nfields; k++)
				if (!fv[k].isnull && tmebox_type_class_of(l->fields[k].type) == TMEBOX_CLASS_BUF &&
					fv[k].v.buf.len > 0 && fv[k].v.buf.data == NULL)
					return rt_refuse(fault, "function \"%s\": field %d of argument %d has no data",
									 sig->name, k + 1, i + 1);
		}
		else if (!args[i].isnull &&
				 tmebox_type_class_of(sig->args[i]) == TMEBOX_CLASS_BUFARRAY)
		{
			const tmebox_value *el = args[i].v.buf.data;

			for (uint32_t k = 0; k < (args[i].v.buf.len & ~TMEBOX_ARRAY_SHAPED); k++)
				if (!el[k].isnull && el[k].v.buf.len > 0 && el[k].v.buf.data == NULL)
					return rt_refuse(fault, "function \"%s\": element %u of argument %d has no data",
									 sig->name, k + 1, i + 1);
		}
	}

	on_dstack = rt_inputs_fit_dstack(sig, args);

	/* unused argument registers carry zeros, not host data */
	rt_fast_clear_regs(&fc, true);
	rt_st.cur = inst;
	if (rt_setjmp(&rt_st.env) != 0)
	{
		free(own_copy);
		free(free_list);
		return rt_fail(inst, fault);
	}
	/* a pending interrupt ends the call before the copy; one that comes
	 * during it, after the next few MB (rt_copy_polled) or at the
	 * trampoline's poll (rt_enter.c) */
	if (*rt_intr_flag != 0)
		rt_poll_interrupt();	/* may leave with INTERRUPTED */
	rt_stack_enter(inst);
	rt_set_gs((uintptr_t) inst->base);

	/* ---- arguments ---- */
	for (i = 0; i < sig->nargs; i++)
	{
		const tmebox_value *a = &args[i];

		/* libffi reads each argument's low bytes (x86-64 is little-endian) */
		avp[i] = &av[i];
		switch (tmebox_type_class_of(sig->args[i]))
		{
			default:
				av[i] = rt_scalar_bits(sig->args[i], a);
				break;
			case TMEBOX_CLASS_BUF:
			case TMEBOX_CLASS_ARRAY:
			case TMEBOX_CLASS_BUFARRAY:
			case TMEBOX_CLASS_STRUCT:
			case TMEBOX_CLASS_ROW:
				{
					uint64_t	hdr,
								elsz,
								bytes,
								size,
								off;
					uint32_t	head[2];

					av[i] = 0;
					if (a->isnull)
						break;
					rt_buf_shape(sig->args[i], &hdr, &elsz);
					bytes = (uint64_t) a->v.buf.len * elsz;
					size = rt_arg_size(sig, i, a);
					if (on_dstack)
						off = dtop = dtop - ((size + 15) & ~(uint64_t) 15);
					else if ((off = rt_sandbox_malloc(inst, size)) == 0)
						rt_leave_oom(inst->budget ? inst->budget->limit : 0);
					if (!rt_view_ok(inst, off, size))
					{
						rt_bad_result("__tmebox_rt_malloc(%llu) returned offset 0x%llx, outside the sandbox's memory",
									  size, off);
						return rt_fail(inst, fault);
					}
					av[i] = off;
					inbuf[ninbuf] = off;
					insize[ninbuf++] = size;
					if (tmebox_type_class_of(sig->args[i]) == TMEBOX_CLASS_BUFARRAY)
					{
						rt_put_bufarray(inst, off, a);
						break;
					}
					if (tmebox_type_class_of(sig->args[i]) == TMEBOX_CLASS_STRUCT)
					{
						rt_struct_put(inst, off, tmebox_signature_struct(sig, i), a);
						break;
					}
					head[0] = a->v.buf.len;
					head[1] = 0;
					if (rt_shaped(sig->args[i], a))
					{
						/* the shape after the elements (rt_arg_size) */
						uint64_t	at;

						head[0] &= ~TMEBOX_ARRAY_SHAPED;
						bytes = (uint64_t) head[0] * elsz;
						at = hdr + ((bytes + 7) & ~(uint64_t) 7);
						head[1] = (uint32_t) (off + at);
						memcpy(inst->base + off + at,
							   (const char *) a->v.buf.data + TMEBOX_ARRAY_SHAPE_AT(bytes),
							   size - at);
					}
					memcpy(inst->base + off, head, hdr);
					if (bytes > 0)
						rt_copy_polled(inst->base + off + hdr, a->v.buf.data, bytes);
					if (rt_is_string(sig->args[i]))
						inst->base[off + hdr + bytes] = '\0';
				}
				break;
		}
		if (ex->fast)
		{
			if (ex->slot[i] < 6)
				fc.gpr[ex->slot[i]] = av[i];
			else
				fc.xmm[ex->slot[i] - 6] = av[i];
		}
	}

	/* ---- the call ---- */
	if (dtop != TMEBOX_DSTACK_TOP)
		rt_set_dsp(inst, dtop);
	rv[0] = rv[1] = 0;
	if (ex->fast)
	{
		rt_enter_fast(ex->fn, &fc, true);
		rv[0] = tmebox_type_class_of(sig->ret) == TMEBOX_CLASS_FLOAT ? fc.xmm0 : fc.rax;
	}
	else
		rt_enter_ffi(ex, rv, avp);

	/* ---- result ---- */
	result->isnull = false;
	switch (tmebox_type_class_of(sig->ret))
	{
		default:
			rt_scalar_result(sig->ret, rt_result_bits(sig->ret, rv[0], rv[0]), result);
			break;
		case TMEBOX_CLASS_BUFARRAY:
			{
				uint64_t	off = (uint32_t) rv[0];
				int			nfree = 0;

				result->v.buf.data = NULL;
				result->v.buf.len = 0;
				if (off == 0)
				{
					result->isnull = true;
					break;
				}
				if (!rt_get_bufarray(inst, sig->name, off, result_alloc, alloc_arg,
									 &own_copy, result))
					return rt_fail(inst, fault);
				if (rt_is_input(off, inbuf, ninbuf))
					break;
				free_list = rt_bufarray_frees(inst, off, inbuf, insize, ninbuf, &nfree);
				if (free_list == NULL)
					rt_sandbox_free(inst, off);
				rt_sandbox_free_each(inst, free_list, nfree);
				free_list = NULL;
			}
			break;
		case TMEBOX_CLASS_STRUCT:
		case TMEBOX_CLASS_STRUCTS:
			{
				uint64_t	off = (uint32_t) rv[0];
				const tmebox_struct_layout *l = tmebox_signature_struct(sig, -1);
				bool		rows = tmebox_type_class_of(sig->ret) == TMEBOX_CLASS_STRUCTS;
				int			nfree = 0;

				result->v.buf.data = NULL;
				result->v.buf.len = 0;
				if (off == 0)
				{
					result->isnull = true;
					break;
				}
				if (!rt_struct_get(inst, sig->name, l, rows, off, result_alloc, alloc_arg,
								&own_copy, result))
					return rt_fail(inst, fault);
				free_list = rt_struct_frees(inst, l, rows, off, inbuf, insize, ninbuf, &nfree);
				rt_sandbox_free_each(inst, free_list, nfree);
				free_list = NULL;
			}
			break;
		case TMEBOX_CLASS_ROW:
		case TMEBOX_CLASS_ROWS:
			{
				/* record: a dynamic row, or a set of them (rt_dynrow.c) */
				uint64_t	off = (uint32_t) rv[0];
				bool		set = tmebox_type_class_of(sig->ret) == TMEBOX_CLASS_ROWS;
				int			nfree = 0;

				result->v.buf.data = NULL;
				result->v.buf.len = 0;
				if (off == 0)
				{
					result->isnull = true;
					break;
				}
				if (!rt_dynrow_get(inst, sig->name, set, off, result_alloc, alloc_arg,
								   &own_copy, result))
					return rt_fail(inst, fault);
				free_list = rt_dynrow_frees(inst, set, off, inbuf, insize, ninbuf, &nfree);
				rt_sandbox_free_each(inst, free_list, nfree);
				free_list = NULL;
			}
			break;
		case TMEBOX_CLASS_BUF:
		case TMEBOX_CLASS_ARRAY:
			{
				uint64_t	off = (uint32_t) rv[0],
							shape;

				if (!rt_get_buf(inst, sig->ret, sig->name, off, result_alloc, alloc_arg,
								&own_copy, result, &shape))
					return rt_fail(inst, fault);
				if (off != 0 && !rt_is_input(off, inbuf, ninbuf))
					rt_sandbox_free(inst, off);
				/* a shape of its own in the heap goes with the array */
				if (shape >= inst->mod->layout.heap_base && shape != off &&
					!rt_in_inputs(shape, inbuf, insize, ninbuf))
					rt_sandbox_free(inst, shape);
			}
			break;
	}
	if (dtop != TMEBOX_DSTACK_TOP)
		rt_set_dsp(inst, TMEBOX_DSTACK_TOP);
	else
		for (i = 0; i < ninbuf; i++)
			rt_sandbox_free(inst, inbuf[i]);
	rt_st.cur = NULL;
	return 0;
}

/*
 * A result block of at most this many data bytes goes to the sandbox's
 * pending-free slot instead of its free (rt_free_result).
 */
#define RT_PENDING_FREE_MAX	4096

/*
 * The view offset of the pending-free slot of inst's module (the libc's
 * pending_free, ABI.md), asked once per module during a call (rt_st.cur
 * set: a fault in the sandbox lands in the call's rt_setjmp).  0 when the
 * module's libc has none (it returns 0 for the query) or when the offset
 * is not an aligned uint64_t inside the module's globals (image and bss,
 * always committed): the host writes there, so the sandbox's answer is
 * checked like any offset it returns.
 */
static uint64_t
rt_pending_slot(tmebox_instance *inst)
{
	tmebox_module *mod = inst->mod;

	if (__builtin_expect(!mod->pending_known, 0))
	{
		uint64_t	slot = rt_sandbox_malloc(inst, TMEBOX_RT_PENDING_FREE_QUERY);
		uint64_t	lo = mod->layout.image_base;
		uint64_t	hi = lo + (uint64_t) mod->layout.image_size + mod->layout.bss_size;

		mod->pending_slot = slot != 0 && slot % 8 == 0 && slot >= lo && slot + 8 <= hi &&
			hi <= mod->layout.heap_base ? slot : 0;
		mod->pending_known = true;
	}
	return mod->pending_slot;
}

/*
 * Free the result block the sandbox returned at off (checked to lie in
 * [NULL_GUARD, brk), its len data bytes copied out).  A small block in the
 * heap goes to the module's pending-free slot when the slot is empty: the
 * sandbox's next malloc, free or realloc frees it, and the call needs no
 * second entry.  Anything else (a large block, one outside the heap or
 * not 16-byte aligned as every block is, one whose chunk header the
 * sandbox's free would refuse, a slot still holding one, a libc without
 * the slot) goes to the sandbox's free now, whose checks raise the error
 * for a pointer that is no block in that call; only a header changed
 * after the call raises at the sandbox's next malloc, free or realloc.
 */
/*
 * The sandbox malloc's chunk header (sandbox/libc/malloc.c: prev_size,
 * then size | INUSE | PREV_INUSE | CACHED, 16 bytes before the data).
 * A libc whose blocks looked otherwise would never get a block deferred
 * (every check below fails: each block goes to its free at once).
 */
#define RT_CHUNK_HDR		16
#define RT_CHUNK_MIN		32
#define RT_CHUNK_INUSE		UINT64_C(1)
#define RT_CHUNK_PREV_INUSE UINT64_C(2)
#define RT_CHUNK_CACHED		UINT64_C(4)

/*
 * Would the sandbox's free take the block at off (holding len bytes) as
 * a live block?  The checks its free makes (malloc.c checked_chunk),
 * against the break, on the view's bytes as they are now: a block that
 * passes is deferred, anything else goes to free in this call, so a
 * result that is no block is refused in the call that returned it, as
 * before the slot existed (fuzz_call's oracle: a genuine call after a
 * forged one must not fault).  Nothing here is trusted beyond choosing
 * the path: a sandbox that changes the header afterwards only makes its
 * own next malloc raise.
 */
static inline bool
rt_pending_block_ok(const tmebox_instance *inst, uint64_t off, uint64_t len)
{
	uint64_t	c = off - RT_CHUNK_HDR;
	uint64_t	brk = inst->brk;
	uint64_t	word;
	uint64_t	size;

	if (off % 16 != 0 || off < inst->mod->layout.heap_base + RT_CHUNK_HDR || off >= brk)
		return false;
	memcpy(&word, inst->base + c + 8, sizeof(word));
	size = word & ~(RT_CHUNK_INUSE | RT_CHUNK_PREV_INUSE | RT_CHUNK_CACHED);
	if (!(word & RT_CHUNK_INUSE) || (word & RT_CHUNK_CACHED) || size < RT_CHUNK_MIN ||
		size % 16 != 0 || size > brk - c - RT_CHUNK_HDR || len > size - RT_CHUNK_HDR)
		return false;
	memcpy(&word, inst->base + c + size + 8, sizeof(word));
	return (word & RT_CHUNK_PREV_INUSE) != 0;
}

static inline void
rt_free_result(tmebox_instance *inst, uint64_t off, uint64_t len)
{
	uint64_t	slot = rt_pending_slot(inst);
	uint64_t	cur;

	if (slot != 0 && len <= RT_PENDING_FREE_MAX && rt_pending_block_ok(inst, off, len))
	{
		memcpy(&cur, inst->base + slot, sizeof(cur));
		if (cur == 0)
		{
			memcpy(inst->base + slot, &off, sizeof(off));
			return;
		}
	}
	rt_sandbox_free(inst, off);
}

/*
 * rt_get_buf for a byte string (every BUF-class type: 1-byte elements, a
 * 4-byte header), kept short for rt_call_bytes: the same checks (header
 * and data in [NULL_GUARD, brk)), the same messages, the data copied
 * (in interruptible pieces, as rt_get_buf's) with a NUL after it into a
 * block from result_alloc.
 */
static inline bool
rt_get_string(tmebox_instance *inst, const char *fname, uint64_t off,
			  tmebox_alloc_fn result_alloc, void *alloc_arg, tmebox_value *result)
{
	uint32_t	len;
	uint8_t    *data;

	result->v.buf.data = NULL;
	result->v.buf.len = 0;
	if (off == 0)
	{
		result->isnull = true;
		return true;
	}
	if (!rt_view_ok(inst, off, RT_BUF_HDR))
	{
		rt_bad_result("returned buffer offset 0x%llx is outside the sandbox's committed memory",
					  off, 0);
		return false;
	}
	memcpy(&len, inst->base + off, sizeof(len));
	if (!rt_view_ok(inst, off + RT_BUF_HDR, len))
	{
		rt_bad_result("returned buffer at offset 0x%llx claims %llu bytes, past the end of the sandbox's memory",
					  off, len);
		return false;
	}
	data = result_alloc((uint64_t) len + 1, alloc_arg);
	if (data == NULL)
	{
		rt_result_oom(fname);
		return false;
	}
	rt_copy_polled(data, inst->base + off + RT_BUF_HDR, len);
	data[len] = '\0';
	result->v.buf.data = data;
	result->v.buf.len = len;
	return true;
}

/*
 * The byte-string case kept short (rt_export.bytes: text in, text out):
 * every argument a scalar or a byte string in a register, the result a
 * scalar, void or a byte string, the inputs on the data stack.  Same
 * protocol and checks as rt_call_general, from the export's register
 * plan (proto) instead of a type switch per argument.  A call that does
 * not fit (inputs too large for the data stack, no result_alloc) goes to
 * rt_call_general.
 *
 * The inputs are staged (copied to the data stack, the register image
 * filled, the data-stack pointer set) before the entry's rt_setjmp: they
 * are plain host writes into the instance's own memory, within
 * rt_view_ok, that no fault or interrupt can interrupt half-way into
 * anything the entry depends on, and nothing of the copy then has to live
 * in memory across the setjmp.
 */
static int
rt_call_bytes(tmebox_instance *inst, int export_index, const tmebox_value *args,
			  tmebox_value *result, tmebox_alloc_fn result_alloc, void *alloc_arg,
			  tmebox_fault *fault)
{
	const tmebox_prepared *p = &inst->mod->exports[export_index].proto;
	const tmebox_signature *sig = &inst->mod->info->exports[export_index];
	rt_fast		fc;
	uint64_t	dtop = TMEBOX_DSTACK_TOP;
	uint64_t	in[TMEBOX_MAX_ARGS];	/* view offsets of the byte strings */
	int			nin = 0;
	uint64_t	total = 0;
	uint64_t	off;
	int			i;

	if (result_alloc == NULL)
		return rt_call_general(inst, export_index, args, result, result_alloc, alloc_arg,
							   fault);
	/* unused argument registers carry zeros, not host data */
	rt_fast_clear_regs(&fc, p->vector_args);
	for (i = 0; i < p->nargs; i++)
	{
		const tmebox_value *a = &args[i];
		uint64_t	b = 0;

		if (p->cls[i] != TMEBOX_CLASS_BUF)
		{
			if (a->isnull)
				return rt_refuse(fault, "function \"%s\": argument %d cannot be NULL",
								 p->name, i + 1);
			b = rt_scalar_bits(sig->args[i], a);
		}
		else if (!a->isnull)
		{
			uint32_t	head[2] = {a->v.buf.len, 0};
			uint64_t	size = RT_BUF_HDR + (uint64_t) a->v.buf.len + 1;

			if (a->v.buf.len > 0 && a->v.buf.data == NULL)
				return rt_refuse(fault, "function \"%s\": argument %d has no data",
								 p->name, i + 1);
			/* rt_inputs_fit_dstack's measure: header, bytes, NUL, a spare
			 * byte; past it (nothing set yet but bytes in the free part of
			 * the data stack) the general path makes the call */
			total += (size + 1 + 15) & ~(uint64_t) 15;
			if (total > RT_DSTACK_ARGS_MAX)
				return rt_call_general(inst, export_index, args, result, result_alloc,
									   alloc_arg, fault);
			b = dtop = dtop - ((size + 15) & ~(uint64_t) 15);
			if (!rt_view_ok(inst, b, size))
			{
				rt_bad_result("data-stack argument offset 0x%llx (%llu bytes) is outside the sandbox's memory",
							  b, size);
				return rt_fail(inst, fault);
			}
			memcpy(inst->base + b, head, RT_BUF_HDR);
			if (a->v.buf.len > 0)
				memcpy(inst->base + b + RT_BUF_HDR, a->v.buf.data, a->v.buf.len);
			inst->base[b + RT_BUF_HDR + a->v.buf.len] = '\0';
			in[nin++] = b;
		}
		if (p->slot[i] < 6)
			fc.gpr[p->slot[i]] = b;
		else
			fc.xmm[p->slot[i] - 6] = b;
	}
	if (dtop != TMEBOX_DSTACK_TOP)
		rt_set_dsp(inst, dtop);

	rt_st.cur = inst;
	if (rt_setjmp(&rt_st.env) != 0)
		return rt_fail(inst, fault);
	/* the interrupt poll: the trampoline's, after everything (rt_enter.c) */
	rt_stack_enter(inst);
	rt_set_gs((uintptr_t) inst->base);
	rt_enter_fast(p->fn, &fc, p->vector_args);

	result->isnull = false;
	if (tmebox_type_class_of(p->ret) == TMEBOX_CLASS_BUF)
	{
		off = (uint32_t) fc.rax;
		if (!rt_get_string(inst, p->name, off, result_alloc, alloc_arg, result))
			return rt_fail(inst, fault);
		if (off != 0 && !rt_is_input(off, in, nin))
			rt_free_result(inst, off, result->v.buf.len);
	}
	else
		rt_scalar_result(p->ret, rt_prepared_result(p, fc.rax, fc.xmm0), result);
	if (nin > 0)
		rt_set_dsp(inst, TMEBOX_DSTACK_TOP);
	rt_st.cur = NULL;
	return 0;
}

int
tmebox_prepare_bytes(tmebox_instance *inst, int export_index, tmebox_prepared *p)
{
	tmebox_module *mod = inst->mod;

	if (export_index < 0 || export_index >= mod->info->nexports ||
		!mod->exports[export_index].bytes)
		return -1;
	*p = mod->exports[export_index].proto;
	p->inst = inst;
	p->export_index = export_index;
	return 0;
}

int
tmebox_call_bytes(const tmebox_prepared *p, const tmebox_value *args, tmebox_value *result,
				  tmebox_alloc_fn result_alloc, void *alloc_arg, tmebox_fault *fault)
{
	tmebox_instance *inst = p->inst;

	if (__builtin_expect(rt_st.cur != NULL, 0))
		return rt_refuse(fault, "nested sandbox call");
	if (__builtin_expect(inst->needs_reset, 0))
		return rt_refuse(fault, "instance must be reset after a fault before calling \"%s\"",
						 p->name);
	return rt_call_bytes(inst, p->export_index, args, result, result_alloc, alloc_arg, fault);
}

int
tmebox_call(tmebox_instance *inst, int export_index, const tmebox_value *args,
			tmebox_value *result, tmebox_alloc_fn result_alloc, void *alloc_arg,
			tmebox_fault *fault)
{
	/* the all-scalar fast path, then byte strings; anything unusual takes
	 * the general one */
	if (rt_scalar_ready(inst, export_index))
		return rt_call_scalar(inst, export_index, args, result, fault);
	if (rt_bytes_ready(inst, export_index))
		return rt_call_bytes(inst, export_index, args, result, result_alloc, alloc_arg, fault);
	return rt_call_general(inst, export_index, args, result, result_alloc, alloc_arg,
						   fault);
}
