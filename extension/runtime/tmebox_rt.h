/*-------------------------------------------------------------------------
 *
 * tmebox_rt.h
 *		Public API of the tmebox sandbox runtime: load modules written by
 *		tmebox-cc, create instances (one 4 GiB view each), call exported
 *		functions inside the sandbox and contain every fault.
 *
 * Invariants kept by the runtime behind this API:
 *	- Host code touches a view only inside its committed range
 *	  [TMEBOX_NULL_GUARD, brk), after checking every offset and length that
 *	  came from the sandbox; no metadata the host relies on lives in a view.
 *	- A signal caused by sandboxed code (or by a host call working for it)
 *	  never kills the process: it ends the call with a tmebox_fault.  Any
 *	  other signal goes to the handler that was installed before ours, or
 *	  to the default action.
 *	- After a fault an instance refuses calls until tmebox_instance_reset.
 *
 * Threading: the runtime keeps one "current call" and one native sandbox
 * stack per process; only one thread may use it (a PostgreSQL backend, a
 * command-line tool).  Calls do not nest: a host call may not call into a
 * sandbox again.
 *
 * No PostgreSQL dependency: plain C11 + libffi.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TMEBOX_RT_H
#define TMEBOX_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../abi/tmebox_abi.h"

/* ---- Module description (metadata of a module file) ---- */

/* tmebox_type, its classes and widths: TMEBOX_VALUE_TYPES in tmebox_abi.h */

#define TMEBOX_MAX_ARGS 32

/*
 * The C struct of a composite value (ROW, ROWS; ABI.md "Rows"), as the
 * compiler read it: one field per SQL column, in the columns' order.  A
 * parsed layout is sound: every value and flag inside the struct, none
 * overlapping another, each value aligned to its width (buf: 8).
 */
typedef struct tmebox_struct_field
{
	char	   *name;			/* the member's name (the column's); a nested
								 * row's member: "ROW.NAME" */
	tmebox_type type;			/* a scalar (BOOL, INT, FLOAT), of class BUF,
								 * or STRUCT: a nested row (only its flag;
								 * its members follow) */
	uint32_t	off;			/* byte offset of the value */
	uint32_t	null_off;		/* byte offset of its bool NULL flag */
	int			parent;			/* index of the nested row (a STRUCT field
								 * before it) it is a member of; -1: none */
} tmebox_struct_field;

typedef struct tmebox_struct_layout
{
	uint32_t	size;			/* sizeof the struct: a ROWS value's stride */
	int			nfields;		/* 1..TMEBOX_STRUCT_MAX_FIELDS; 0: no row */
	tmebox_struct_field *fields;
} tmebox_struct_layout;

typedef struct tmebox_signature
{
	char	   *name;			/* exported C name (without the prefix) */
	char	   *csig;			/* C declaration from the metadata, never NULL */
	tmebox_type ret;
	int			nargs;
	tmebox_type args[TMEBOX_MAX_ARGS];
	/* NULL when no argument and not the result is a struct; else
	 * structs[0] the result's layout, structs[1 + i] argument i's
	 * (nfields 0 for the others) */
	tmebox_struct_layout *structs;
} tmebox_signature;

/* The layout of the result (i = -1) or argument i of sig, or NULL. */
static inline const tmebox_struct_layout *
tmebox_signature_struct(const tmebox_signature *sig, int i)
{
	if (sig->structs == NULL || sig->structs[i + 1].nfields == 0)
		return NULL;
	return &sig->structs[i + 1];
}

/*
 * Parse the metadata code of a composite value, [s, s + n) ("struct:..."
 * or "structs:...", tmebox_abi.h), into *type and *out (out->fields malloc'ed;
 * tmebox_struct_layout_free).  0, or -1 with err filled.  The one parser of
 * row codes: the metadata reader and tmebox-cc's signature reader use it.
 */
int			tmebox_struct_layout_parse(const char *s, size_t n, tmebox_type *type,
									tmebox_struct_layout *out, char *err, size_t errlen);
void		tmebox_struct_layout_free(tmebox_struct_layout *l);

typedef struct tmebox_module_info
{
	int			nexports;
	tmebox_signature *exports;
	int			nskipped;
	char	  **skipped;		/* "NAME REASON" */
} tmebox_module_info;

/*
 * Parse header + metadata only (no ELF checks, nothing mapped); for catalogs and
 * tools.  0 = ok (*out to be freed with tmebox_module_info_free), else -1
 * and err filled with a one-line message.
 */
int			tmebox_module_parse(const void *file, size_t len,
								tmebox_module_info **out,
								char *err, size_t errlen);
void		tmebox_module_info_free(tmebox_module_info *info);

/*
 * Everything tmebox_module_load checks before mapping (header, metadata, ELF
 * object, ABI symbols), without loading anything.  0 = acceptable.
 */
int			tmebox_module_verify(const void *file, size_t len,
								 char *err, size_t errlen);

/* ---- Loaded modules ---- */

typedef struct tmebox_module tmebox_module;

/*
 * Verify and load a module file from memory (the runtime's own loader,
 * rt_load.c: never a file, a descriptor or dlopen).  The file buffer is not kept.  Also initialises the
 * runtime (signal handlers, sigaltstack, native stack) on first use.
 */
int			tmebox_module_load(const void *file, size_t len,
							   tmebox_module **out, char *err, size_t errlen);
/* The module must have no live instances (it is then left loaded). */
void		tmebox_module_unload(tmebox_module *mod);
const tmebox_module_info *tmebox_module_get_info(const tmebox_module *mod);
/* Index of export NAME in get_info()->exports, or -1. */
int			tmebox_module_find_export(const tmebox_module *mod, const char *name);

/* ---- Instances ---- */

/*
 * Memory accounting shared by a tenant's instances, owned by the caller.
 * Charged: each instance's 1 MiB data stack, globals image, bss and heap
 * (page granular; rt_view.c) and the host memory blocks kept for the
 * tenant (tmebox_host_alloc); the native sandbox stack, one per process,
 * is not charged.
 * A NULL budget means "no limit".
 */
typedef struct tmebox_budget
{
	uint64_t	limit;
	uint64_t	used;

	/*
	 * The tenant's native-stack domain: 0 until the runtime gives it a
	 * number never used before (at the first instance created with this
	 * budget).  Instances of one domain share what they leave on the
	 * process's native sandbox stack; it is cleared before an instance of
	 * another domain runs (an instance without a budget is a domain of
	 * its own).  Zero it (e.g. initialise the whole struct) whenever the
	 * struct starts serving another tenant.
	 */
	uint64_t	domain;
} tmebox_budget;

typedef struct tmebox_instance tmebox_instance;

/*
 * A new instance of mod for the tenant of KeyID keyid, charged to budget,
 * its view mapped with the tenant's key of the KeyID backend the host
 * chose (tmebox_rt_set_keyid_chooser).  0, or -1 (out of memory, budget,
 * mappings, a backend the host refused) or TMEBOX_INSTANCE_NO_KEY (the
 * backend has no hardware key left for a new tenant: a configuration
 * limit, PostgreSQL's 53400) with err filled; nothing is left behind.
 */
#define TMEBOX_INSTANCE_NO_KEY	(-2)
int			tmebox_instance_create(tmebox_module *mod, uint32_t keyid,
								   tmebox_budget *budget,
								   tmebox_instance **out,
								   char *err, size_t errlen);
void		tmebox_instance_destroy(tmebox_instance *inst);
/* Fresh globals, empty heap (memory returned to the budget). */
int			tmebox_instance_reset(tmebox_instance *inst, char *err, size_t errlen);
/* Bytes committed (read-write) in the view, data stack included. */
uint64_t	tmebox_instance_committed(const tmebox_instance *inst);
uint32_t	tmebox_instance_keyid(const tmebox_instance *inst);
/* True after a fault, until tmebox_instance_reset. */
bool		tmebox_instance_needs_reset(const tmebox_instance *inst);
/* Current break (end of the heap), a view offset. */
uint32_t	tmebox_instance_brk(const tmebox_instance *inst);
/* Base address of the view (for tests and diagnostics only). */
void	   *tmebox_instance_view_base(const tmebox_instance *inst);

/*
 * Host memory of a tenant (rt_hostmem.c): size usable bytes, zeroed, in a
 * mapping of their own outside every view, mapped through the tenant's
 * key (the key of budget's domain for KeyID keyid, the one its views
 * carry) and charged to budget (*charged: the whole mapping, page
 * granular, a TMEBOX_HOST_HEADER-byte header of the runtime's included).
 * 0, or -1 (err filled), TMEBOX_INSTANCE_NO_KEY, or TMEBOX_HOST_OVER_LIMIT
 * (the budget's limit would be passed); nothing is left behind.
 * tmebox_host_free unmaps a block, credits the budget and drops its key
 * reference (the key goes with its tenant's last view or block).
 */
#define TMEBOX_HOST_OVER_LIMIT	(-3)
#define TMEBOX_HOST_HEADER		64
int			tmebox_host_alloc(tmebox_budget *budget, uint32_t keyid, size_t size,
							  void **out, size_t *charged,
							  char *err, size_t errlen);
void		tmebox_host_free(void *p);

/* ---- KeyID backends (rt_keyid.h, DESIGN.md §6) ---- */

typedef enum tmebox_keyid_backend
{
	TMEBOX_KEYID_EMULATED = 0,	/* private memory per view, KeyID a label */
	TMEBOX_KEYID_TME_MK = 1		/* Intel Labs' TME-MK kernel (Linux 5.15) */
} tmebox_keyid_backend;

/* Key algorithms of that kernel's "mktme" keys (where firmware activated them). */
typedef enum tmebox_tmemk_algorithm
{
	TMEBOX_TMEMK_AES_XTS_128 = 0,	/* "aes-xts-128" */
	TMEBOX_TMEMK_AES_XTS_128_I = 1, /* "aes-xts-128-i": with integrity */
	TMEBOX_TMEMK_AES_XTS_256 = 2	/* "aes-xts-256" */
} tmebox_tmemk_algorithm;

typedef struct tmebox_keyid_config
{
	tmebox_keyid_backend backend;
	long		sys_encrypt_mprotect;	/* tme-mk: encrypt_mprotect's number */
	tmebox_tmemk_algorithm algorithm;	/* tme-mk: the keys' algorithm */
} tmebox_keyid_config;

/*
 * The host's choice of backend, asked at every tmebox_instance_create
 * before anything is allocated: fill *cfg and return 0, or return -1 with
 * err (the creation fails with it).  A host may also leave it by longjmp
 * (PostgreSQL's ERROR).  NULL (the default) chooses emulated.  Instances
 * keep the key they were created with; a tenant's next instance under
 * another choice gets a key of that backend.
 */
typedef int (*tmebox_keyid_chooser) (tmebox_keyid_config *cfg,
									 char *err, size_t errlen);
void		tmebox_rt_set_keyid_chooser(tmebox_keyid_chooser chooser);

/* "emulated" / "tme-mk": the backend whose key inst's view carries. */
const char *tmebox_instance_backend(const tmebox_instance *inst);

/* ---- Calls ---- */

typedef struct tmebox_value
{
	union
	{
		int64_t		i;			/* BOOL uses b; I16/I32/I64 use i */
		double		d;
		float		f;
		bool		b;
		struct
		{
			const void *data;
			uint32_t	len;	/* BUF: bytes; arrays: element count */
		}			buf;
	}			v;
	bool		isnull;			/* only BUF/array values may be NULL */
} tmebox_value;

/*
 * An ARRAY-class argument or result whose v.buf.len has TMEBOX_ARRAY_SHAPED
 * set holds n = len & ~TMEBOX_ARRAY_SHAPED elements at data, then, at
 * data + TMEBOX_ARRAY_SHAPE_AT(n * width), its shape block
 * (TMEBOX_ARRAY_SHAPE_HDR bytes, then n NULL flags when has_nulls; see
 * tmebox_abi.h): NULL elements or other dimensions.  Without the bit the
 * array is one-dimensional, lower bound 1, without NULLs, as before.  The
 * runtime lays an argument's shape out in the view and points the
 * header's second word at it; a result's shape is copied and checked.
 * A BUFARRAY (array of buffers) may have one too, for its dimensions
 * only (has_nulls 0: NULL elements are NULL values): its shape block
 * follows the n element values, at (const char *) (data + n) with data
 * the tmebox_value array.
 */
#define TMEBOX_ARRAY_SHAPED		0x80000000u
#define TMEBOX_ARRAY_SHAPE_AT(bytes)	((((uint64_t) (bytes)) + 1 + 7) & ~(uint64_t) 7)

/* Bytes of the shape block at s (host memory) of an array of n elements. */
static inline uint64_t
tmebox_array_shape_size(const void *s, uint32_t n)
{
	uint32_t	has_nulls;

	memcpy(&has_nulls, (const char *) s + 4, sizeof(has_nulls));
	return TMEBOX_ARRAY_SHAPE_HDR + (has_nulls ? (uint64_t) n : 0);
}

/*
 * A scalar of type t (class BOOL, INT or FLOAT) to and from its in-memory
 * bytes (an array element): width bytes, little endian, integers
 * sign-extended on load.
 */
static inline void
tmebox_scalar_store(tmebox_type t, const tmebox_value *v, void *dst)
{
	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_FLOAT:
			if (tmebox_type_width(t) == sizeof(float))
				memcpy(dst, &v->v.f, sizeof(float));
			else
				memcpy(dst, &v->v.d, sizeof(double));
			break;
		case TMEBOX_CLASS_BOOL:
			*(uint8_t *) dst = v->v.b ? 1 : 0;
			break;
		default:
			memcpy(dst, &v->v.i, tmebox_type_width(t));
			break;
	}
}

static inline void
tmebox_scalar_load(tmebox_type t, const void *src, tmebox_value *v)
{
	unsigned	w = tmebox_type_width(t);

	memset(v, 0, sizeof(*v));
	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_FLOAT:
			if (w == sizeof(float))
				memcpy(&v->v.f, src, sizeof(float));
			else
				memcpy(&v->v.d, src, sizeof(double));
			break;
		case TMEBOX_CLASS_BOOL:
			v->v.b = *(const uint8_t *) src != 0;
			break;
		default:
			if (w > 0 && w <= 8)
			{
				uint64_t	u = 0;
				int			shift = 64 - 8 * (int) w;

				memcpy(&u, src, w);
				v->v.i = (int64_t) (u << shift) >> shift;
			}
			break;
	}
}

typedef enum tmebox_fault_kind
{
	TMEBOX_FAULT_NONE,
	TMEBOX_FAULT_SEGV,
	TMEBOX_FAULT_DIVZERO,
	TMEBOX_FAULT_FPE,
	TMEBOX_FAULT_STACK_OVERFLOW,
	TMEBOX_FAULT_TRAP,
	TMEBOX_FAULT_INTERRUPTED,
	TMEBOX_FAULT_OUT_OF_MEMORY,
	TMEBOX_FAULT_USER_ERROR,
	TMEBOX_FAULT_BAD_RESULT,
	/* added: the call could not be made (bad argument, instance needing a
	 * reset, nested call); the instance is not marked for reset */
	TMEBOX_FAULT_HOST_ERROR,
	/* added: a host function the runtime called during the call (the log
	 * or interrupt handler, result_alloc) caught an error of the host's
	 * own and ended the call with tmebox_rt_host_raised; the host has the
	 * error (PostgreSQL: on its error stack, to rethrow).  The instance is
	 * marked for reset. */
	TMEBOX_FAULT_HOST_RAISED,
	/* added: a divide error whose divisor was not zero: the quotient does
	 * not fit (the most negative value divided by -1, also with %) */
	TMEBOX_FAULT_INTOVF
} tmebox_fault_kind;

/* view_offset value of a SEGV whose address is not known / not in the view */
#define TMEBOX_OFFSET_UNKNOWN	UINT64_MAX

typedef struct tmebox_fault
{
	tmebox_fault_kind kind;
	int			signo;			/* signal that caused it, 0 if none */
	uint64_t	view_offset;	/* SEGV: faulting view offset */
	int32_t		trap_code;		/* TRAP: TMEBOX_TRAP_* */
	uint64_t	mem_limit;		/* OUT_OF_MEMORY: limit that was hit */
	int32_t		sqlstate;		/* USER_ERROR: its SQLSTATE
								 * (TMEBOX_SQLSTATE), 0 for the default */
	char		message[TMEBOX_MESSAGE_MAX];	/* USER_ERROR, BAD_RESULT,
												 * HOST_ERROR */
} tmebox_fault;

/*
 * Human-readable one-line description ("segmentation fault at view offset
 * 0x10", "division by zero", ...).  Returns what snprintf returns.
 */
int			tmebox_fault_format(const tmebox_fault *f, char *buf, size_t len);

/* Result BUF/array payloads are allocated with result_alloc(size, arg)
 * (malloc when NULL) so that PostgreSQL can palloc them. */
typedef void *(*tmebox_alloc_fn) (size_t size, void *arg);

/*
 * Call export export_index of inst's module.  args has nargs entries typed
 * as in the signature.  0 = returned normally (*result filled; BUF/array
 * data allocated with result_alloc, NULL for a zero-length payload is never
 * returned: at least one byte is allocated); -1 = fault described in
 * *fault.  Unless the kind is HOST_ERROR the instance must then be reset.
 * On -1 the runtime has freed what it malloc'ed itself, but a block that
 * result_alloc handed out may have been abandoned (the sandbox's free of
 * the result can fault after the copy-out): use an allocator that is
 * reclaimed wholesale, such as a memory context.
 */
int			tmebox_call(tmebox_instance *inst, int export_index,
						const tmebox_value *args, tmebox_value *result,
						tmebox_alloc_fn result_alloc, void *alloc_arg,
						tmebox_fault *fault);

/*
 * The all-scalar short cut, for hosts that call the same function many
 * times.  tmebox_prepare fills *p for export export_index of inst when its
 * arguments and result are all scalars that travel in registers (returns
 * -1 otherwise: use tmebox_call); p stays valid while inst exists.  Its
 * fields are the runtime's: one cache line holding everything a call
 * needs, so a call touches little host memory.
 *
 * tmebox_call_prepared: args[i] holds argument i in its low bytes (bool:
 * non-zero is true; integers: the low 16/32/64 bits; float: the bit
 * pattern in the low 32 bits; double: the bit pattern), which is how a
 * PostgreSQL Datum holds them.  On 0, *result holds the result the same
 * way, normalised (bool 0/1, integers sign-extended to 64 bits, float in
 * the low 32 bits, void 0).  Faults and refusals as in tmebox_call.
 */
#define TMEBOX_PREPARED_MAX_ARGS 14 /* 6 integer + 8 vector registers */

typedef struct tmebox_prepared
{
	tmebox_instance *inst;
	void		(*fn) (void);
	const char *name;
	uint8_t		nargs;
	uint8_t		ret;			/* tmebox_type */
	uint8_t		ret_cls;		/* its tmebox_type_class */
	uint8_t		ret_shift;		/* 64 - its width (scalars) */
	bool		vector_args;	/* some argument travels in an xmm register */
	uint8_t		cls[TMEBOX_PREPARED_MAX_ARGS];	/* tmebox_type_class */
	int8_t		slot[TMEBOX_PREPARED_MAX_ARGS];	/* 0..5 GPR, 6..13 XMM0..7 */
	uint8_t		shift[TMEBOX_PREPARED_MAX_ARGS];	/* 64 - width */
	int32_t		export_index;
} tmebox_prepared;

int			tmebox_prepare(tmebox_instance *inst, int export_index, tmebox_prepared *p);
int			tmebox_call_prepared(const tmebox_prepared *p, const uint64_t *args,
								 uint64_t *result, tmebox_fault *fault);

/*
 * The byte-string short cut (text in, text out): tmebox_prepare_bytes
 * fills *p for export export_index of inst when every argument is a
 * scalar or a byte string (TMEBOX_CLASS_BUF) in a register and the result
 * a scalar, void or a byte string (returns -1 otherwise: use
 * tmebox_call); p stays valid while inst exists.  tmebox_call_bytes is
 * tmebox_call for such an export, without finding its way there: same
 * tmebox_values, result allocator (required), checks, faults and results.
 */
int			tmebox_prepare_bytes(tmebox_instance *inst, int export_index,
								 tmebox_prepared *p);
int			tmebox_call_bytes(const tmebox_prepared *p, const tmebox_value *args,
							  tmebox_value *result, tmebox_alloc_fn result_alloc,
							  void *alloc_arg, tmebox_fault *fault);

/* ---- Embedding hooks ---- */

/*
 * Initialise the process-wide state (fault handlers, sigaltstack, native
 * sandbox stack of native_stack_size bytes, 0 = 1 MiB).  Called implicitly
 * by the first tmebox_module_load; call it explicitly after installing the
 * host's own signal handlers, which ours chain to.
 */
int			tmebox_rt_init(size_t native_stack_size, char *err, size_t errlen);

/* Interrupt flag polled by sandboxed code (default: the runtime's own). */
void		tmebox_rt_set_interrupt_flag(const volatile int32_t *flag);
/* Async-signal-safe: raise the runtime's own flag. */
void		tmebox_rt_request_interrupt(void);
/* Lower the runtime's own flag (done automatically when it interrupts). */
void		tmebox_rt_clear_interrupt(void);
/*
 * Run by host call `interrupt` when the flag is seen set: nonzero = leave
 * the sandbox with INTERRUPTED, 0 = resume.  NULL restores the default
 * (leave iff the flag is set; the runtime's own flag is then lowered).
 */
void		tmebox_rt_set_interrupt_handler(int (*handler) (void));
/*
 * Asynchronous interruption.  Sandboxed loops do not poll the interrupt
 * flag; instead the runtime handles `signals` (at most 8: the ones through
 * which the host learns of cancellation, e.g. SIGINT): its handler runs
 * the handler installed before it, then, if sandboxed code was running
 * (the PC in the running module's text) and should_leave() returns true
 * (NULL: the interrupt flag is set), ends the call with INTERRUPTED.
 * should_leave must be async-signal-safe.  Replaces an earlier set (the
 * handlers it had replaced are restored first).  0, or -1 and err.
 */
int			tmebox_rt_set_interrupt_signals(const int *signals, int nsignals,
											bool (*should_leave) (void),
											char *err, size_t errlen);
/*
 * Re-install the handler of any interrupt signal whose handler was
 * replaced since (chaining to the replacement).  Returns how many were
 * re-installed, or -1 and err.  Two system calls per signal: call it
 * occasionally (the server: once per statement), not per call.
 */
int			tmebox_rt_check_interrupt_signals(char *err, size_t errlen);
/* Add SA_ONSTACK to every installed signal handler (the host's too), so
 * that no signal is delivered on a nearly full native sandbox stack.
 * Call after the host has installed its handlers.  0, or -1 with err. */
int			tmebox_rt_handlers_onstack(char *err, size_t errlen);
/* Sandbox log output (printf of the sandbox arrives at TMEBOX_LOG_INFO).
 * msg is not NUL-terminated.  NULL restores the default (raw to stderr). */
void		tmebox_rt_set_log_handler(void (*handler) (int level, const char *msg,
													   size_t len));

/*
 * Called by a host function that the runtime called during a call (the
 * log or interrupt handler, result_alloc), on the host's stack, when it
 * caught an error of its own (PostgreSQL: in PG_CATCH): ends the call at
 * once.  tmebox_call / tmebox_call_prepared return -1 with
 * TMEBOX_FAULT_HOST_RAISED, the runtime's call state already restored and
 * the instance marked for reset; the host then rethrows its error.  Does
 * not return while a call is in progress; returns at once when none is.
 */
void		tmebox_rt_host_raised(void);

/*
 * After a longjmp out of a host call (PostgreSQL ereport from the log or
 * interrupt handler, or from result_alloc), restore the runtime to "not in
 * a sandbox" and mark the instance that was running for reset.  Harmless
 * when no call is active.
 */
void		tmebox_rt_unwind(void);

/* True while a tmebox_call is in progress (inside or between entries). */
bool		tmebox_rt_in_call(void);

/*
 * Host calls the embedding host implements (e.g. SQL access, which needs
 * the server): fn becomes the host function of slot `index` of
 * TMEBOX_HOSTCALLS, called through its thunk with the table's parameters
 * (pointers as uint64_t view offsets, untrusted).  Only for slots the
 * runtime does not implement itself; modules loaded afterwards get it
 * (set it before the first load; NULL unsets it).  A slot without a host
 * function traps with BAD_CALL.  0, or -1 (no such slot, or the
 * runtime's own).
 */
int			tmebox_rt_set_host_function(int index, void *fn);

/*
 * For such host functions, during their call only: the host address of
 * [off, off + n) of the running instance's view (off's low 32 bits),
 * or NULL when that range is not inside the committed [0x10000, brk).
 * The address is valid until the host function returns.
 */
void	   *tmebox_rt_view_ptr(uint64_t off, uint64_t n);

/*
 * End the running call with a segmentation fault at view offset off, as
 * if the sandbox had made the access (a host function given a bad
 * range).  Never returns; it leaves by the runtime's own longjmp, so the
 * caller must not be inside the host's own error handling (PG_TRY).
 */
void		tmebox_rt_fault_segv(uint64_t off) __attribute__((noreturn));

#endif							/* TMEBOX_RT_H */
