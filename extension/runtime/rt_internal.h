/*-------------------------------------------------------------------------
 *
 * rt_internal.h
 *		Structures and functions shared by the runtime's rt_*.c files; not
 *		part of the public API.
 *
 * Invariants:
 *	- rt_state.cur is non-NULL exactly while a tmebox_call is in progress;
 *	  rt_state.env is then a valid jump target, and rt_leave() may be used
 *	  by host calls and the signal handler to end the call with a fault.
 *	- An instance's [TMEBOX_NULL_GUARD, commit_end) is mapped read-write,
 *	  the rest of its TMEBOX_VIEW_SPAN is PROT_NONE; brk <= commit_end and
 *	  commit_end is page aligned.  Three VMAs per view.
 *	- Nothing in these structures lives inside a view.
 *
 *-------------------------------------------------------------------------
 */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>
#include <signal.h>
#include <string.h>
#include <ffi.h>

#include "tmebox_rt.h"

#define RT_HIDDEN __attribute__((visibility("hidden")))

/* Header bytes before the payload of a buffer / array in the view. */
#define RT_BUF_HDR		4
#define RT_ARRAY_HDR	8

/* Longest export name accepted (symbol = prefix + name). */
#define RT_NAME_MAX		TMEBOX_NAME_MAX

/* Native sandbox stack: default size and guard below it. */
#define RT_NATIVE_STACK_DEFAULT	(UINT64_C(1) << 20)
#define RT_NATIVE_GUARD			(UINT64_C(64) << 10)

/*
 * The top of the native sandbox stack (rt_enter.c, ABI.md "Stacks"):
 *	[stack_hi - RT_ENTRY_SAVE, stack_hi)	rt_fast_call's saved values:
 *		entry_top + RT_ENTRY_FN_OFF: the export, + RT_ENTRY_F_OFF: the
 *		rt_fast, + RT_ENTRY_SP_OFF: the host's %rsp (8 bytes unused above)
 *	[entry_top, entry_top + RT_ENTRY_ZERO)	zero, never written: the stack
 *		arguments a callee may read above its return address (verifier:
 *		TVF_MAX_STACK_ARGS) end here at the latest
 *	below entry_top						the export's return address (and,
 *		on the libffi path, its stack arguments first), then its frames
 * entry_top = stack_hi - RT_ENTRY_SAVE - RT_ENTRY_ZERO is 16-byte aligned.
 */
#define RT_ENTRY_ZERO	256
#define RT_ENTRY_SAVE	32
#define RT_ENTRY_FN_OFF	256
#define RT_ENTRY_F_OFF	264
#define RT_ENTRY_SP_OFF	272

/*
 * Native-stack bytes below entry_top that a call can dirty besides the
 * verifier's bound (which counts below the export's return address): the
 * return address and, on the libffi path, the stack arguments with their
 * alignment slot.
 */
#define RT_ENTRY_EXTRA	(8 + 8 * TMEBOX_MAX_ARGS + 8)

/* Most PT_LOAD segments a module may have (lld writes four), and the
 * largest address span its segments may cover. */
#define RT_MAX_LOADS	8
#define RT_MAX_SPAN		(UINT64_C(1) << 30)

/* One PT_LOAD segment, as checked. */
typedef struct rt_elf_load
{
	uint64_t	vaddr;
	uint64_t	memsz;
	uint64_t	offset;
	uint64_t	filesz;
	uint32_t	flags;			/* PF_R | PF_W | PF_X */
} rt_elf_load;

/* What the ELF check learned about the object (addresses are link-time
 * virtual addresses, relative to the load base; offsets are file offsets,
 * all bounds-checked against the object). */
typedef struct rt_elf_syms
{
	uint64_t	layout_addr;
	uint64_t	image_addr;
	uint64_t	hosttab_addr;
	uint32_t	hosttab_slots;	/* TMEBOX_HOST_COUNT_V1..TMEBOX_HOST_COUNT */
	uint64_t	rt_malloc_addr;
	uint64_t	rt_free_addr;
	uint64_t	text_lo;		/* executable PT_LOAD range */
	uint64_t	text_hi;
	tmebox_layout layout;		/* copy read from the file */

	/* what rt_load_object needs */
	rt_elf_load loads[RT_MAX_LOADS];
	int			nloads;
	uint64_t	span;			/* highest vaddr + memsz of a PT_LOAD */
	uint64_t	relro_lo;		/* PT_GNU_RELRO, 0/0 if none */
	uint64_t	relro_hi;
	uint64_t	rela_off;		/* DT_RELA table: file offset, entries */
	uint64_t	rela_count;
	uint64_t	jmprel_off;		/* DT_JMPREL table */
	uint64_t	jmprel_count;
	uint64_t	symoff;			/* .dynsym: file offset, entries */
	uint64_t	nsyms;
} rt_elf_syms;

typedef struct rt_export
{
	void		(*fn) (void);
	ffi_cif		cif;
	ffi_type   *atypes[TMEBOX_MAX_ARGS];
	bool		fast;			/* all arguments in registers: rt_fast_call */
	bool		scalar;			/* fast, and no buffer argument or result */
	bool		bytes;			/* fast, every argument and the result a
								 * scalar or a byte string (BUF; the result
								 * void too): rt_call_bytes */
	int8_t		slot[TMEBOX_MAX_ARGS];	/* fast: 0..5 = GPR, 6..13 = XMM0..7 */
	tmebox_prepared proto;		/* scalar or bytes: the register plan (the
								 * prepared call when scalar), inst NULL */
	uint32_t	stack_bound;	/* native-stack bytes a call of it can touch
								 * below its return address (verifier;
								 * UINT32_MAX: unbounded) */
	uint32_t	stack_args;		/* bytes of arguments on the stack (SysV) */
} rt_export;

/*
 * Assembly text clearing xmm1-7 and xmm8-15, which neither side of the
 * sandbox boundary may see of the other (rt_enter.c on the way in,
 * rt_hostthunk.c on the way back from host calls).
 */
#define RT_ASM_CLEAR_XMM1_7 \
		"	pxor	%xmm1, %xmm1\n" \
		"	pxor	%xmm2, %xmm2\n" \
		"	pxor	%xmm3, %xmm3\n" \
		"	pxor	%xmm4, %xmm4\n" \
		"	pxor	%xmm5, %xmm5\n" \
		"	pxor	%xmm6, %xmm6\n" \
		"	pxor	%xmm7, %xmm7\n"
#define RT_ASM_CLEAR_XMM8_15 \
		"	pxor	%xmm8, %xmm8\n" \
		"	pxor	%xmm9, %xmm9\n" \
		"	pxor	%xmm10, %xmm10\n" \
		"	pxor	%xmm11, %xmm11\n" \
		"	pxor	%xmm12, %xmm12\n" \
		"	pxor	%xmm13, %xmm13\n" \
		"	pxor	%xmm14, %xmm14\n" \
		"	pxor	%xmm15, %xmm15\n"

/*
 * Register image for rt_fast_call (offsets are used by the assembly in
 * rt_enter.c: keep them in sync).  A SysV call whose arguments all travel
 * in registers needs nothing else, which is most UDF signatures; libffi
 * (≈45 ns per ffi_call here) handles the rest.
 */
typedef struct __attribute__((aligned(16))) rt_fast
{
	uint64_t	gpr[6];			/* 0: rdi rsi rdx rcx r8 r9 */
	uint64_t	xmm[8];			/* 48: xmm0..7 (low 8 bytes) */
	void	   *fn;				/* 112 */
	void	   *stack_top;		/* 120 */
	uint64_t	rax;			/* 128: result */
	uint64_t	xmm0;			/* 136: result */
} rt_fast;

struct tmebox_module
{
	tmebox_module_info *info;
	uint8_t    *map;			/* the object, mapped by rt_load_object */
	size_t		map_len;
	tmebox_layout layout;
	const uint8_t *image;
	void	  **hosttab;
	uint64_t	(*rt_malloc) (uint64_t);
	void		(*rt_free) (uint64_t);
	rt_export  *exports;		/* info->nexports entries */
	uintptr_t	text_lo;		/* absolute text range, for the handler */
	uintptr_t	text_hi;
	uint32_t	stack_bound;	/* native-stack bytes a call can touch below
								 * its return address (the verifier's
								 * tvf_stats.max_stack; UINT32_MAX:
								 * unbounded): max of every export's
								 * and mem_stack_bound */
	uint32_t	mem_stack_bound;	/* the same for rt_malloc and rt_free */
	int			ninstances;
	bool		pending_known;	/* pending_slot asked (rt_call.c) */
	uint64_t	pending_slot;	/* view offset of the libc's pending-free
								 * slot, checked; 0: none (free at once) */
};

struct tmebox_instance
{
	tmebox_module *mod;
	uint32_t	keyid;
	tmebox_budget *budget;
	uint8_t    *base;			/* view base = %gs base while running */
	uint64_t	brk;			/* view offset of the break */
	uint64_t	commit_end;		/* RW up to here (page aligned) */
	uint64_t	charged;		/* bytes charged to the budget */
	uint64_t	domain;			/* native-stack domain: its budget's
								 * tmebox_budget.domain, or its own for a
								 * NULL budget (rt_stack.c) */
	struct rt_key *key;			/* the tenant's key: every view operation
								 * goes through key->ops (rt_keyid.h) */
	bool		needs_reset;
};

/*
 * rt_setjmp / rt_longjmp (rt_enter.c): setjmp without the signal mask,
 * pointer mangling and PLT call of glibc's sigsetjmp(env, 0), whose cost
 * was a sixth of a scalar call.  The buffer lives in the runtime's data,
 * out of sandboxed code's reach.  Leaving a signal handler through
 * rt_longjmp is what siglongjmp would do: the handler's signal stays
 * blocked (rt_fail unblocks it).
 */
typedef struct rt_jmpbuf
{
	uint64_t	rbx,
				rbp,
				r12,
				r13,
				r14,
				r15,
				rsp,
				rip;
} rt_jmpbuf;

/* Process-wide state of the runtime (one user thread, see tmebox_rt.h). */
typedef struct rt_state
{
	bool		initialised;
	bool		have_fsgsbase;
	uintptr_t	gs_cached;		/* current %gs base */
	uint8_t    *stack_lo;		/* native stack [stack_lo, stack_hi) */
	uint8_t    *stack_hi;
	uint8_t    *guard_lo;		/* guard [guard_lo, stack_lo) */

	/* native-stack ownership (rt_stack.c) */
	tmebox_instance *stack_inst;	/* instance of the last entry, or NULL */
	uint64_t	stack_domain;	/* its domain */
	size_t		stack_dirty;	/* bytes below entry_top its domain's
								 * calls may have written */
	uint64_t	stack_clears;	/* clears done (for tests) */
	int			(*intr_handler) (void);
	void		(*log_handler) (int, const char *, size_t);

	/* the call in progress */
	tmebox_instance *volatile cur;
	volatile sig_atomic_t in_sandbox;	/* inside a sandbox entry */
	rt_jmpbuf	env;			/* where a fault leaves to (rt_leave) */
	tmebox_fault fault;			/* filled by rt_leave / the handler */
} rt_state;

extern RT_HIDDEN rt_state rt_st;
/* rt_enter.c: %rsp before the call of an export (RT_ENTRY_* above) */
extern RT_HIDDEN uint8_t *rt_entry_top;

/* The host's interrupt flag (tmebox_rt_set_interrupt_flag), or the
 * runtime's own; read by the entry paths and the host-call thunks. */
extern RT_HIDDEN const volatile int32_t *rt_intr_flag;
/* rt_hostcall.c: the flag is set; ask the host or leave INTERRUPTED. */
extern RT_HIDDEN void rt_poll_interrupt(void);

/* rt_hostthunk.c: the host's %rsp at the sandbox entry (host calls run
 * below it) and the sandbox's %rsp while a host call runs (0 otherwise). */
extern RT_HIDDEN uint64_t rt_host_sp;
extern RT_HIDDEN volatile uint64_t rt_sbx_sp;
extern RT_HIDDEN volatile int32_t rt_own_flag;
/* rt_interrupt.c sets it when an interrupt signal lands in host code,
 * rt_poll_interrupt clears it first: set after a poll, a signal came
 * during it (after the host's handler looked), and the runtime code that
 * called it polls again before going back to sandboxed code. */
extern RT_HIDDEN volatile int32_t rt_intr_late;

/* Bytes of an element pointer of an array of buffers (a sandbox pointer). */
#define RT_ELEM_PTR		8

/* Bytes an input element buffer of len bytes takes (header, NUL, padding). */
static inline uint64_t
rt_elem_size(uint32_t len)
{
	return (RT_BUF_HDR + (uint64_t) len + 1 + 7) & ~(uint64_t) 7;
}

/* rt_call.c: a BAD_RESULT fault (fmt with two numbers), a HOST_ERROR for
 * a result the host has no memory to copy, in rt_st.fault */
extern RT_HIDDEN void rt_bad_result(const char *fmt, uint64_t a, uint64_t b);
extern RT_HIDDEN void rt_result_oom(const char *fname);

/*
 * rt_call.c: host work over a call's large values looks at the interrupt
 * flag every RT_COPY_PIECE bytes or entries (rt_copy_account, inside a
 * call only: it may leave through the call's rt_setjmp); host memory of
 * that work is held until released, and a failure frees it (rt_fail).
 */
#define RT_COPY_PIECE	(UINT64_C(4) << 20)
extern RT_HIDDEN uint64_t rt_copied;
extern RT_HIDDEN void rt_copy_poll(void);
extern RT_HIDDEN void rt_copy_pieces(uint8_t *dst, const uint8_t *src, uint64_t n);
extern RT_HIDDEN void *rt_held_alloc(size_t size);
extern RT_HIDDEN void rt_held_release(void *p);

static inline void
rt_copy_account(uint64_t n)
{
	rt_copied += n;
	if (__builtin_expect(rt_copied >= RT_COPY_PIECE, 0))
		rt_copy_poll();
}

/* memcpy of n bytes, counted: a copy of more than a piece goes in pieces */
static inline void
rt_copy_polled(uint8_t *dst, const uint8_t *src, uint64_t n)
{
	if (__builtin_expect(n > RT_COPY_PIECE, 0))
	{
		rt_copy_pieces(dst, src, n);
		return;
	}
	memcpy(dst, src, n);
	rt_copy_account(n);
}

/* What the host frees after a result's copy: a heap block in no input
 * block (rt_struct.c); a sorted list of offsets without repeats (rt_call.c) */
extern RT_HIDDEN bool rt_heap_owned(const tmebox_instance *inst, uint64_t p,
									const uint64_t *in, const uint64_t *insz, int nin);
extern RT_HIDDEN int rt_sort_unique(uint64_t *list, size_t k);

/* rt_struct.c: composite values (ABI.md "Rows") */
extern RT_HIDDEN uint64_t rt_struct_arg_size(const tmebox_struct_layout *l, const tmebox_value *a);
extern RT_HIDDEN void rt_struct_put(tmebox_instance *inst, uint64_t off,
								 const tmebox_struct_layout *l, const tmebox_value *a);
extern RT_HIDDEN bool rt_struct_get(tmebox_instance *inst, const char *fname,
								 const tmebox_struct_layout *l, bool rows, uint64_t off,
								 tmebox_alloc_fn result_alloc, void *alloc_arg,
								 uint8_t *volatile *own_copy, tmebox_value *result);
extern RT_HIDDEN uint64_t *rt_struct_frees(tmebox_instance *inst, const tmebox_struct_layout *l,
										bool rows, uint64_t off, const uint64_t *in,
										const uint64_t *insz, int nin, int *nfree);

/* rt_dynrow.c: record values, dynamic rows (tmebox_abi.h ROW, ROWS) */
extern RT_HIDDEN bool rt_dynrow_get(tmebox_instance *inst, const char *fname, bool set,
									uint64_t off, tmebox_alloc_fn result_alloc, void *alloc_arg,
									uint8_t *volatile *own_copy, tmebox_value *result);
extern RT_HIDDEN uint64_t *rt_dynrow_frees(tmebox_instance *inst, bool set, uint64_t off,
										   const uint64_t *in, const uint64_t *insz,
										   int nin, int *nfree);

/* rt_meta.c */
extern RT_HIDDEN int rt_split_file(const void *file, size_t len,
								   const char **meta, size_t *metalen,
								   const uint8_t **obj, size_t *objlen,
								   char *err, size_t errlen);
extern RT_HIDDEN int rt_parse_meta(const char *meta, size_t metalen,
								   tmebox_module_info **out,
								   char *err, size_t errlen);

/* rt_elf.c: export_addrs (NULL, or info->nexports entries) receives the
 * vaddr of each export's function */
extern RT_HIDDEN int rt_elf_check(const uint8_t *obj, size_t len,
								  const tmebox_module_info *info,
								  rt_elf_syms *syms, uint64_t *export_addrs,
								  char *err, size_t errlen);

/* rt_load.c */
extern RT_HIDDEN int rt_load_object(const uint8_t *obj, size_t len,
									const rt_elf_syms *syms,
									uint8_t **map, size_t *map_len,
									char *err, size_t errlen);

/* rt_enter.c */
extern RT_HIDDEN void rt_set_gs_slow(uintptr_t base);
extern RT_HIDDEN int rt_setjmp(rt_jmpbuf *env) __attribute__((returns_twice));
extern RT_HIDDEN void rt_longjmp(rt_jmpbuf *env) __attribute__((noreturn));
extern RT_HIDDEN void rt_fast_call(rt_fast *f);
extern RT_HIDDEN void rt_fast_call_int(rt_fast *f);	/* no vector arguments */
extern RT_HIDDEN void rt_clean_entry(void);
extern RT_HIDDEN void *rt_clean_target;	/* what rt_clean_entry calls */
extern RT_HIDDEN uint64_t rt_clean_nstack;	/* its stack-argument bytes */
extern RT_HIDDEN void rt_leave(void) __attribute__((noreturn));
extern RT_HIDDEN void rt_leave_segv(uint64_t off) __attribute__((noreturn));
extern RT_HIDDEN void rt_leave_oom(uint64_t limit) __attribute__((noreturn));
extern RT_HIDDEN void rt_stack_abandoned(void);

/*
 * Zero *f's integer argument registers, and its vector ones too when
 * `vector`, with explicit 16-byte stores: memset of this size (or a loop,
 * which GCC turns back into one) compiles to `rep stos`, whose start-up
 * cost was a quarter of tmebox_call.
 */
static inline void
rt_fast_clear_regs(rt_fast *f, bool vector)
{
	typedef uint64_t rt_v2 __attribute__((vector_size(16), may_alias));
	rt_v2	   *p = (rt_v2 *) f;
	const rt_v2 z = {0, 0};

	_Static_assert(offsetof(rt_fast, xmm) == 3 * sizeof(rt_v2) &&
				   offsetof(rt_fast, fn) == 7 * sizeof(rt_v2), "rt_fast argument area");
	p[0] = z;
	p[1] = z;
	p[2] = z;
	if (vector)
	{
		p[3] = z;
		p[4] = z;
		p[5] = z;
		p[6] = z;
	}
}

/* %gs base = base (written only when it changes: rt_set_gs_slow) */
static inline void
rt_set_gs(uintptr_t base)
{
	if (base != rt_st.gs_cached)
		rt_set_gs_slow(base);
}

/* rt_stack.c */
extern RT_HIDDEN uint64_t rt_stack_new_domain(void);
extern RT_HIDDEN void rt_stack_switch(tmebox_instance *inst);
extern RT_HIDDEN void rt_stack_forget(tmebox_instance *inst);

/*
 * Before entering inst: when the native sandbox stack was last used by
 * another instance, rt_stack_switch clears what that instance's domain
 * (tenant) left there if inst belongs to another one.  One compare when
 * the instance is the last one's.
 */
static inline void
rt_stack_enter(tmebox_instance *inst)
{
	if (__builtin_expect(inst != rt_st.stack_inst, 0))
		rt_stack_switch(inst);
}

/* rt_view.c */
extern RT_HIDDEN int rt_view_grow(tmebox_instance *inst, uint64_t new_brk,
								  uint64_t *limit_hit);
extern RT_HIDDEN void rt_view_shrink(tmebox_instance *inst, uint64_t new_brk);

/* rt_hostcall.c */
extern RT_HIDDEN void rt_fill_hosttab(void **tab, uint32_t nslots);

/* rt_hostthunk.c: the implementation behind each slot, and its thunk */
extern RT_HIDDEN void *rt_host_real[TMEBOX_HOST_COUNT];
extern RT_HIDDEN void (*rt_host_thunk(int idx)) (void);
/* every slot without a host function: TRAP bad call, on the host stack */
extern RT_HIDDEN void rt_host_thunk_bad(void);

/*
 * Runtime code between the last interrupt poll and sandboxed code (red
 * team s10 redB F1): the host-call thunks and their exits
 * [rt_thunk_text_lo, rt_thunk_text_hi), and each entry trampoline from the
 * instruction after its poll up to and including its call of the export
 * [NAME_w_lo, NAME_w_hi] (rt_enter.c).  rt_intr_handler ends the call when
 * a signal lands there during an entry, as in the module's text.
 */
extern RT_HIDDEN const char rt_thunk_text_lo[], rt_thunk_text_hi[];
extern RT_HIDDEN const char rt_fast_call_w_lo[], rt_fast_call_w_hi[];
extern RT_HIDDEN const char rt_fast_call_int_w_lo[], rt_fast_call_int_w_hi[];
extern RT_HIDDEN const char rt_clean_entry_w_lo[], rt_clean_entry_w_hi[];

static inline bool
rt_intr_window(uintptr_t pc)
{
	return (pc >= (uintptr_t) rt_thunk_text_lo && pc < (uintptr_t) rt_thunk_text_hi) ||
		(pc >= (uintptr_t) rt_fast_call_w_lo && pc <= (uintptr_t) rt_fast_call_w_hi) ||
		(pc >= (uintptr_t) rt_fast_call_int_w_lo && pc <= (uintptr_t) rt_fast_call_int_w_hi) ||
		(pc >= (uintptr_t) rt_clean_entry_w_lo && pc <= (uintptr_t) rt_clean_entry_w_hi);
}

/* rt_signal.c */
extern RT_HIDDEN int rt_signal_init(char *err, size_t errlen);

/*
 * Was sandboxed code running when the signal came (pc, sp: the interrupted
 * context)?  Exactly when a call is in progress inside an entry, the PC
 * lies in the running module's text AND %rsp lies on the native sandbox
 * stack or its guard (a frame of at most 60 KiB can move it into the
 * guard before the first access faults; the guard is 64 KiB).  Host code
 * that a host call runs is never the sandbox's: its PC is not in the
 * module's text and it runs on the host's stack (rt_hostthunk.c).
 */
static inline bool
rt_sandbox_context(uintptr_t pc, uintptr_t sp)
{
	tmebox_instance *inst = rt_st.cur;

	return inst != NULL && rt_st.in_sandbox &&
		pc >= inst->mod->text_lo && pc < inst->mod->text_hi &&
		sp >= (uintptr_t) rt_st.guard_lo && sp < (uintptr_t) rt_st.stack_hi;
}

/* rt_divfault.c: the kind of a divide error at ucontext `uc` (TMEBOX_FAULT_
 * DIVZERO or, for a non-zero divisor, TMEBOX_FAULT_INTOVF) */
extern RT_HIDDEN tmebox_fault_kind rt_divide_fault_kind(const void *uc);

/* rt_meta.c */
extern RT_HIDDEN void rt_errf(char *err, size_t errlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/*
 * True when [off, off + n) lies inside the committed part [NULL_GUARD, brk)
 * of inst's view.  off and n are untrusted 64-bit values.
 */
static inline bool
rt_view_ok(const tmebox_instance *inst, uint64_t off, uint64_t n)
{
	return off >= TMEBOX_NULL_GUARD && off <= inst->brk &&
		n <= inst->brk - off;
}

#endif							/* RT_INTERNAL_H */
