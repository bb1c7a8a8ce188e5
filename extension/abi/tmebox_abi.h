/*-------------------------------------------------------------------------
 *
 * tmebox_abi.h
 *		The contract between tmebox-cc (which emits modules), the runtime
 *		(which loads and runs them) and the sandbox libc (which runs inside
 *		them).  See ABI.md in this directory for the prose version.
 *
 * Invariants kept here:
 *	- Every constant below is part of the module format: changing one means
 *	  bumping TMEBOX_ABI_VERSION, and the runtime refuses modules of another
 *	  version.
 *	- Host-call indices are dense, start at 0 and never change meaning.
 *
 * Plain C99, no dependencies beyond <stdint.h>: included by the compiler,
 * the runtime, the PostgreSQL glue and the sandbox libc sources.
 *
 *-------------------------------------------------------------------------
 */
#ifndef TMEBOX_ABI_H
#define TMEBOX_ABI_H

#include <stdint.h>

#define TMEBOX_ABI_VERSION		1

/* ---- View layout (all values are view offsets) ---- */

/* A pointer inside the sandbox is a view offset of this many bits. */
#define TMEBOX_VIEW_BITS		32
#define TMEBOX_VIEW_SIZE		(UINT64_C(1) << TMEBOX_VIEW_BITS)
/* Unmapped region after the view: catches vector accesses that straddle
 * the 4 GiB end (an access is at most 64 bytes wide). */
#define TMEBOX_VIEW_GUARD		(UINT64_C(1) << 20)
#define TMEBOX_VIEW_SPAN		(TMEBOX_VIEW_SIZE + TMEBOX_VIEW_GUARD)

#define TMEBOX_PAGE_SIZE		4096
/* [0, NULL_GUARD) is never mapped: NULL and small offsets from it fault. */
#define TMEBOX_NULL_GUARD		UINT32_C(0x10000)
/* The data stack (address-taken locals) grows down from DSTACK_TOP and may
 * not go below DSTACK_LIMIT. */
#define TMEBOX_DSTACK_LIMIT		TMEBOX_NULL_GUARD
#define TMEBOX_DSTACK_SIZE		UINT32_C(0x100000)	/* 1 MiB */
#define TMEBOX_DSTACK_TOP		(TMEBOX_DSTACK_LIMIT + TMEBOX_DSTACK_SIZE)
/* The module's globals image (initialised data, then zeroed bss) starts
 * here; the heap starts at the first page boundary after it. */
#define TMEBOX_IMAGE_BASE		TMEBOX_DSTACK_TOP
/* The heap never grows past this offset (the rest of the view stays
 * unmapped, whatever the memory limit). */
#define TMEBOX_HEAP_MAX			UINT32_C(0xF0000000)

/* ---- Module file (what tmebox-cc writes, what the catalog stores) ----
 *
 *	 offset  size  field
 *	 0       8     magic "TMEBOXM\0"
 *	 8       4     format version (TMEBOX_ABI_VERSION), little endian
 *	 12      4     metadata length M
 *	 16      8     object length N
 *	 24      M     metadata: UTF-8 text, lines, see ABI.md
 *	 24+M    N     object: ELF x86-64 shared object
 */
#define TMEBOX_MODULE_MAGIC		"TMEBOXM"	/* 8 bytes with the NUL */
#define TMEBOX_MODULE_HEADER_SIZE 24
/*
 * Bounds of the metadata every reader (rt_meta.c) refuses beyond, so that
 * no file, forged or not, makes a parse long: at most this many functions
 * (export and skipped lines together; tmebox-cc writes one per function
 * of the source, and refuses a source with more) and this many bytes.
 */
#define TMEBOX_MODULE_MAX_FUNCTIONS 10000
#define TMEBOX_MODULE_MAX_METADATA	(16 * 1024 * 1024)	/* 16 MiB */

/* ---- Symbols of the module's shared object ---- */

/* const struct tmebox_layout */
#define TMEBOX_SYM_LAYOUT		"__tmebox_layout"
/* const uint8_t[layout.image_size]: initial bytes of [IMAGE_BASE, +size) */
#define TMEBOX_SYM_IMAGE		"__tmebox_image"
/* void *[TMEBOX_HOST_COUNT], written by the runtime after loading */
#define TMEBOX_SYM_HOSTTAB		"__tmebox_hosttab"
/* const volatile int32_t *, written by the runtime after loading: the
 * interrupt flag polled at function entries and loop back-edges */
#define TMEBOX_SYM_INTR			"__tmebox_intr"
/* Exported function NAME is the symbol TMEBOX_EXPORT_PREFIX NAME. */
#define TMEBOX_EXPORT_PREFIX	"__tmebox_export_"
/* Allocation entry points of the sandbox libc, always exported; the host
 * uses them to place argument buffers in the view and free results.
 *	 uint64_t __tmebox_rt_malloc(uint64_t size)	returns a view offset or 0
 *	 void	  __tmebox_rt_free(uint64_t offset) */
#define TMEBOX_SYM_RT_MALLOC	"__tmebox_rt_malloc"
#define TMEBOX_SYM_RT_FREE		"__tmebox_rt_free"
/* __tmebox_rt_malloc(TMEBOX_RT_PENDING_FREE_QUERY) returns the view offset
 * of the libc's pending-free slot (a uint64_t in the image: a small result
 * the host copied out is written there and freed by the sandbox's next
 * malloc, free or realloc), or 0 from a libc without one (ABI.md) */
#define TMEBOX_RT_PENDING_FREE_QUERY	UINT64_MAX

typedef struct tmebox_layout
{
	uint32_t	abi_version;	/* TMEBOX_ABI_VERSION */
	uint32_t	view_bits;		/* TMEBOX_VIEW_BITS */
	uint32_t	image_base;		/* TMEBOX_IMAGE_BASE */
	uint32_t	image_size;		/* bytes of initialised data */
	uint32_t	bss_size;		/* zeroed bytes after the image */
	uint32_t	heap_base;		/* page aligned, >= image_base+image+bss */
	uint32_t	dsp_slot;		/* view offset of the uint64_t data-stack
								 * pointer (DSTACK_TOP in the image) */
	uint32_t	fntab_size;		/* entries in the function-pointer table */
} tmebox_layout;

/* ---- Value types: what an exported function takes and returns ----
 *
 * The one description of every value type.  The compiler's signature
 * reader, the module-file reader and writer, the runtime's marshalling and
 * register images, tmebox-run and the language layer all expand these
 * tables; adding a type means a row here, its marshalling in the language
 * layer (pl/pl_call.c) and its tests.
 *
 * X(NAME, CODE, CLASS, WIDTH, CTYPE, ELEM)
 *	NAME	enum tmebox_type member TMEBOX_T_NAME (internal number only; the
 *			module file spells types by CODE)
 *	CODE	spelling in the metadata's export lines (ABI.md)
 *	CLASS	TMEBOX_CLASS_*: how a value travels (register class, view copy)
 *	WIDTH	bytes of a scalar; of one element of a buffer or array (an
 *			array of buffers: 8, the element pointer)
 *	CTYPE	sandbox C type (tmebox.h): the scalar type, or the struct tag of
 *			a buffer or array passed by pointer
 *	ELEM	an array's element type (a scalar NAME, or BUF for an array of
 *			buffers); VOID for the others
 *
 * STRUCT and STRUCTS (composite values: a SQL row as a C struct of the
 * function's own) are never spelled alone: their metadata code carries
 * the struct's layout, "struct:SIZE:FIELD,..." (a pointer to one struct)
 * and "structs:SIZE:FIELD,..." (a pointer to {uint32 n, pad; struct
 * v[n]}, v at offset 8, stride SIZE; results only), each FIELD
 * "NAME=CODE@OFF/NULLOFF": the member NAME of a scalar or BUF-class CODE
 * (buf, num, intv) at byte OFF and its bool NULL flag (the member
 * NAME_isnull) at NULLOFF.  A nested row (a struct member) is
 * "NAME=struct@OFF/NULLOFF", its own NULL flag and where it starts,
 * followed at once by its members, "NAME.MEMBER=..." (offsets from the
 * outer struct's start; at most TMEBOX_STRUCT_MAX_DEPTH levels).
 * Their CTYPE is a placeholder no struct has (ABI.md "Rows as structs").
 *
 * ROW and ROWS are `record` (a row whose columns are known only at the
 * call): a dynamic row image ("Dynamic rows" below), `const tmebox_row *`
 * in and `tmebox_row *` out, and a set of them, `tmebox_rows *` = {uint32
 * n, pad (0); tmebox_row *v[n]} (results only; v[i] NULL: a row of NULLs).
 */
#define TMEBOX_VALUE_TYPES(X) \
	X(VOID, "void", VOID,  0, void,             VOID) \
	X(BOOL, "bool", BOOL,  1, bool,             VOID) \
	X(I16,  "i16",  INT,   2, int16_t,          VOID) \
	X(I32,  "i32",  INT,   4, int32_t,          VOID) \
	X(I64,  "i64",  INT,   8, int64_t,          VOID) \
	X(F32,  "f32",  FLOAT, 4, float,            VOID) \
	X(F64,  "f64",  FLOAT, 8, double,           VOID) \
	X(BUF,  "buf",  BUF,   1, tmebox_buf,       VOID) \
	X(AI32, "ai32", ARRAY, 4, tmebox_array_i32, I32) \
	X(AI64, "ai64", ARRAY, 8, tmebox_array_i64, I64) \
	X(AF64, "af64", ARRAY, 8, tmebox_array_f64, F64) \
	X(AI16, "ai16", ARRAY, 2, tmebox_array_i16, I16) \
	X(AF32, "af32", ARRAY, 4, tmebox_array_f32, F32) \
	X(ABOOL, "abool", ARRAY, 1, tmebox_array_bool, BOOL) \
	X(ABUF, "abuf", BUFARRAY, 8, tmebox_array_buf, BUF) \
	X(JSONB, "jsonb", BUF, 1, tmebox_jsonb, VOID) \
	X(STRUCT, "struct", STRUCT, 0, __tmebox_struct, VOID) \
	X(STRUCTS, "structs", STRUCTS, 0, __tmebox_structs, VOID) \
	X(NUMERIC, "num", BUF, 1, tmebox_numeric, VOID) \
	X(INTERVAL, "intv", BUF, 1, tmebox_interval, VOID) \
	X(ANUM, "anum", BUFARRAY, 8, tmebox_array_numeric, NUMERIC) \
	X(AINTV, "aintv", BUFARRAY, 8, tmebox_array_interval, INTERVAL) \
	X(ROW, "row", ROW, 1, tmebox_row, VOID) \
	X(ROWS, "rows", ROWS, 8, tmebox_rows, ROW)

/*
 * SQL types and the value type each maps to (domains resolve to their
 * base type first).  X(SQL type OID macro, NAME): expanded only by the
 * language layer, where PostgreSQL's OID macros exist.  The first row of
 * a NAME is the SQL type of its array elements.  A SQL type travels in
 * PostgreSQL's own representation: a date is int32 days from 2000-01-01,
 * time and timestamp(tz) int64 microseconds (of the day; from
 * 2000-01-01 00:00, UTC for timestamptz); varchar and char(n) are text
 * (char(n) with its padding).  Results whose type has a value range are
 * checked against it (pl_types.c).  Byte strings of other SQL types
 * (pl_buf_in, pl_buf_out): name as its characters (a result longer than
 * NAMEDATALEN - 1 bytes truncated at a character boundary, as namein
 * does); json as text, a result validated as JSON; jsonb as its text
 * form (jsonb_out), a result parsed by jsonb_in; uuid as its 16 bytes,
 * a result of any other length refused.  Arrays of byte strings (text[],
 * varchar[], bytea[]) are ABUF: their elements travel as the element
 * type's buffers, NULL elements as NULL pointers.  record travels as a
 * dynamic row (ROW; a set of records as ROWS), checked on the way back
 * against the caller's column definition list.
 */
#define TMEBOX_SQL_TYPES(X) \
	X(VOIDOID, VOID) \
	X(BOOLOID, BOOL) \
	X(INT2OID, I16) \
	X(INT4OID, I32) \
	X(INT8OID, I64) \
	X(FLOAT4OID, F32) \
	X(FLOAT8OID, F64) \
	X(TEXTOID, BUF) \
	X(BYTEAOID, BUF) \
	X(VARCHAROID, BUF) \
	X(BPCHAROID, BUF) \
	X(DATEOID, I32) \
	X(TIMEOID, I64) \
	X(TIMESTAMPOID, I64) \
	X(TIMESTAMPTZOID, I64) \
	X(NAMEOID, BUF) \
	X(JSONOID, BUF) \
	X(JSONBOID, BUF) \
	X(UUIDOID, BUF) \
	X(INT4ARRAYOID, AI32) \
	X(INT8ARRAYOID, AI64) \
	X(FLOAT8ARRAYOID, AF64) \
	X(INT2ARRAYOID, AI16) \
	X(FLOAT4ARRAYOID, AF32) \
	X(BOOLARRAYOID, ABOOL) \
	X(TEXTARRAYOID, ABUF) \
	X(VARCHARARRAYOID, ABUF) \
	X(BYTEAARRAYOID, ABUF) \
	X(NUMERICOID, NUMERIC) \
	X(INTERVALOID, INTERVAL) \
	X(NUMERICARRAYOID, ANUM) \
	X(INTERVALARRAYOID, AINTV) \
	X(RECORDOID, ROW)

/*
 * Second value types a SQL type may travel as, chosen by the C function's
 * signature (the C type of its parameter): X(SQL type OID macro, NAME).
 * The SQL type's row in TMEBOX_SQL_TYPES stays its value type for
 * results, statement bodies and every function declared with it; a
 * function whose parameter has NAME's C type receives that form instead.
 * Arguments only.  jsonb: PostgreSQL's binary jsonb (the varlena's data,
 * a JsonbContainer, detoasted) as a buffer: `const tmebox_jsonb *`, read
 * in the sandbox with tmebox.h's tmebox_json_* without a parse.
 */
#define TMEBOX_SQL_ALT_TYPES(X) \
	X(JSONBOID, JSONB)

typedef enum tmebox_type_class
{
	TMEBOX_CLASS_VOID,			/* results only */
	TMEBOX_CLASS_BOOL,			/* 0 or 1 in a general register */
	TMEBOX_CLASS_INT,			/* sign-extended from WIDTH in a general register */
	TMEBOX_CLASS_FLOAT,			/* IEEE binary32/64 in an SSE register */
	TMEBOX_CLASS_BUF,			/* view offset of {uint32 len; WIDTH-byte data[]} */
	TMEBOX_CLASS_ARRAY,			/* view offset of {uint32 n, pad; ELEM v[]} */
	TMEBOX_CLASS_BUFARRAY,		/* view offset of {uint32 n, pad; uint64 v[]}:
								 * v[i] 0 (a NULL element) or the view
								 * offset of a BUF {uint32 len; data[]} */
	TMEBOX_CLASS_STRUCT,		/* view offset of a struct of the layout in
								 * the signature (ABI.md "Rows as structs") */
	TMEBOX_CLASS_STRUCTS,		/* view offset of {uint32 n, pad; struct v[]} */
	TMEBOX_CLASS_ROW,			/* view offset of a dynamic row image
								 * {uint32 ncols, size; ...}: size bytes */
	TMEBOX_CLASS_ROWS			/* view offset of {uint32 n, pad; uint64 v[]}:
								 * v[i] 0 or the view offset of a ROW */
} tmebox_type_class;

typedef enum tmebox_type
{
#define TMEBOX_X_ENUM(name, code, class, width, ctype, elem) TMEBOX_T_##name,
	TMEBOX_VALUE_TYPES(TMEBOX_X_ENUM)
#undef TMEBOX_X_ENUM
	TMEBOX_T_COUNT
} tmebox_type;

/* Export names (the symbol is TMEBOX_EXPORT_PREFIX NAME) are C identifiers
 * of at most this many bytes. */
#define TMEBOX_NAME_MAX			200

/* Is s[0..n) a name a module file may carry (ASCII C identifier, at most
 * TMEBOX_NAME_MAX bytes)?  The reader (rt_meta.c) and the writer
 * (tmebox-cc's signature reader, cc_signature.c) both ask this. */
static inline int
tmebox_name_ok(const char *s, uint64_t n)
{
	if (n == 0 || n > TMEBOX_NAME_MAX)
		return 0;
	for (uint64_t i = 0; i < n; i++)
	{
		char		c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			  (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static inline tmebox_type_class
tmebox_type_class_of(tmebox_type t)
{
	switch (t)
	{
#define TMEBOX_X_CLASS(name, code, class, width, ctype, elem) \
		case TMEBOX_T_##name: return TMEBOX_CLASS_##class;
			TMEBOX_VALUE_TYPES(TMEBOX_X_CLASS)
#undef TMEBOX_X_CLASS
		default:
			return TMEBOX_CLASS_VOID;
	}
}

/* Bytes of a scalar, or of one element of a buffer or array. */
static inline unsigned
tmebox_type_width(tmebox_type t)
{
	switch (t)
	{
#define TMEBOX_X_WIDTH(name, code, class, width, ctype, elem) \
		case TMEBOX_T_##name: return width;
			TMEBOX_VALUE_TYPES(TMEBOX_X_WIDTH)
#undef TMEBOX_X_WIDTH
		default:
			return 0;
	}
}

/* The metadata spelling of t ("?" for a number outside the table). */
static inline const char *
tmebox_type_code(tmebox_type t)
{
	switch (t)
	{
#define TMEBOX_X_CODE(name, code, class, width, ctype, elem) \
		case TMEBOX_T_##name: return code;
			TMEBOX_VALUE_TYPES(TMEBOX_X_CODE)
#undef TMEBOX_X_CODE
		default:
			return "?";
	}
}

/* An array's element type; TMEBOX_T_VOID for every other type. */
static inline tmebox_type
tmebox_type_elem(tmebox_type t)
{
	switch (t)
	{
#define TMEBOX_X_ELEM(name, code, class, width, ctype, elem) \
		case TMEBOX_T_##name: return TMEBOX_T_##elem;
			TMEBOX_VALUE_TYPES(TMEBOX_X_ELEM)
#undef TMEBOX_X_ELEM
		default:
			return TMEBOX_T_VOID;
	}
}

/* Passed by view offset (a buffer or an array)? */
static inline int
tmebox_type_by_ref(tmebox_type t)
{
	tmebox_type_class c = tmebox_type_class_of(t);

	return c == TMEBOX_CLASS_BUF || c == TMEBOX_CLASS_ARRAY ||
		c == TMEBOX_CLASS_BUFARRAY || c == TMEBOX_CLASS_STRUCT ||
		c == TMEBOX_CLASS_STRUCTS || c == TMEBOX_CLASS_ROW ||
		c == TMEBOX_CLASS_ROWS;
}

/* A composite value (its code carries a struct layout)? */
static inline int
tmebox_type_is_struct(tmebox_type t)
{
	tmebox_type_class c = tmebox_type_class_of(t);

	return c == TMEBOX_CLASS_STRUCT || c == TMEBOX_CLASS_STRUCTS;
}

/*
 * Bounds of a row layout every reader refuses beyond: at most this many
 * fields (PostgreSQL's MaxTupleAttributeNumber) in a struct of at most
 * this many bytes.
 */
#define TMEBOX_STRUCT_MAX_FIELDS	1664
#define TMEBOX_STRUCT_MAX_SIZE		65536
/* Levels of nested rows below a row (a member of a member of ...). */
#define TMEBOX_STRUCT_MAX_DEPTH		8
/* Offset of v in a ROWS value {uint32 n, pad; struct v[]}. */
#define TMEBOX_STRUCTS_HDR			8

/* The type whose metadata spelling is [s, s+n), or -1 (also for the bare
 * codes of ROW and ROWS, which are spelled with their layout). */
static inline int
tmebox_type_parse(const char *s, unsigned long n)
{
	static const char *const codes[] = {
#define TMEBOX_X_CODESTR(name, code, class, width, ctype, elem) code,
		TMEBOX_VALUE_TYPES(TMEBOX_X_CODESTR)
#undef TMEBOX_X_CODESTR
	};

	for (int i = 0; i < (int) TMEBOX_T_COUNT; i++)
	{
		unsigned long k = 0;

		while (codes[i][k] != '\0' && k < n && codes[i][k] == s[k])
			k++;
		if (k == n && codes[i][k] == '\0')
			return tmebox_type_is_struct((tmebox_type) i) ? -1 : i;
	}
	return -1;
}

/* ---- Dynamic rows (SQL access, triggers; ABI.md "Dynamic rows") ----
 *
 * A row of N columns is one position-independent block in the view:
 *	 offset  size     field
 *	 0       4        ncols
 *	 4       4        size: bytes of the whole block
 *	 8       24*N     column descriptors (below)
 *	 ...              names (NUL-terminated) and values, each value 8-byte
 *	                  aligned; every offset counts from the block's start
 * Column descriptor (TMEBOX_COL_SIZE bytes, little endian):
 *	 0  uint32 name     offset of the column's name (NUL-terminated)
 *	 4  uint32 value    offset of the value (0 when NULL)
 *	 8  uint32 vsize    bytes of the value: a scalar's width; a buffer's
 *	                    4 + len (a NUL follows, not counted); an array's
 *	                    8 + n * width
 *	 12 uint32 sqltype  the column's SQL type (OID; a domain's own)
 *	 16 uint16 type     value type (tmebox_type number; BUF when TEXT)
 *	 18 uint16 flags    TMEBOX_COL_*
 *	 20 uint32 pad      zero
 * Values of SQL types with a value type of class BOOL, INT, FLOAT, BUF
 * or ARRAY travel as that value type; every other one (and an array with
 * NULL elements or more than one dimension) as its text output
 * (type BUF, flag TEXT).  Rows coming back from the sandbox are checked
 * field by field (pl/pl_row.c).
 */
#define TMEBOX_ROW_HDR			8
#define TMEBOX_COL_SIZE			24
#define TMEBOX_COL_NULL			1	/* SQL NULL: value and vsize 0 */
#define TMEBOX_COL_TEXT			2	/* the value is the type's text form */
#define TMEBOX_COL_DROPPED		4	/* a dropped column: always NULL */
#define TMEBOX_ROW_MAX_COLS		1664	/* MaxTupleAttributeNumber */
#define TMEBOX_ROWS_HDR			8	/* offset of v in a ROWS value */

/* ---- Array shapes (ABI.md "Arrays": NULL elements, several dimensions) ----
 *
 * The word after n in an array's header ({uint32 n, shape; ELEM v[n]}) is
 * 0 for what every array was before: one dimension of n elements, lower
 * bound 1, no NULL element.  Otherwise it is the view offset of a shape
 * block (8-byte aligned):
 *	 offset  size  field
 *	 0       4     ndim, 1..TMEBOX_ARRAY_MAXDIM
 *	 4       4     has_nulls, 0 or 1
 *	 8       24    int32 dims[TMEBOX_ARRAY_MAXDIM] (the first ndim used)
 *	 32      24    int32 lbounds[TMEBOX_ARRAY_MAXDIM]
 *	 56      n     when has_nulls: one byte per element, nonzero = NULL
 *					(arrays of buffers have NULL pointers instead)
 * The product of the dims is n.  The host lays a shape out after the
 * elements of an argument that needs one; a result's is checked (every
 * field) and freed with the array when it lies in the heap.
 */
#define TMEBOX_ARRAY_MAXDIM		6
#define TMEBOX_ARRAY_SHAPE_HDR	56

/* ---- Traps raised by instrumentation (argument of host call TRAP) ---- */
#define TMEBOX_TRAP_UNREACHABLE		1	/* reached `unreachable` */
#define TMEBOX_TRAP_BAD_CALL		2	/* indirect call: bad index or type */
#define TMEBOX_TRAP_DSTACK_OVERFLOW	3	/* data stack exhausted */
#define TMEBOX_TRAP_ABORT			4	/* abort() */
#define TMEBOX_TRAP_BUILTIN			5	/* __builtin_trap() and friends */

/* ---- Host calls ----
 *
 * The sandbox reaches the host only through __tmebox_hosttab[index].  In
 * sandbox C they are declared as ordinary functions named
 * __tmebox_host_NAME (pointer parameters are plain pointers there, i.e.
 * view offsets); tmebox-cc turns every call of such a declaration into a
 * call through the table.  Host implementations receive pointer arguments
 * as uint64_t and MUST treat them as untrusted view offsets.
 *
 * X(INDEX, NAME, RETURN, PARAMS-as-seen-by-the-host)
 */
#define TMEBOX_HOSTCALLS(X) \
	X(0,  trap,       void,     (int32_t code)) \
	X(1,  interrupt,  void,     (void)) \
	X(2,  sbrk,       uint64_t, (uint64_t increment)) \
	X(3,  memmove,    void,     (uint64_t dst, uint64_t src, uint64_t n)) \
	X(4,  memset,     void,     (uint64_t dst, int32_t c, uint64_t n)) \
	X(5,  error,      void,     (uint64_t msg, uint64_t len)) \
	X(6,  log,        void,     (int32_t level, uint64_t msg, uint64_t len)) \
	X(7,  fmt_double, int32_t,  (uint64_t out, uint64_t cap, uint64_t spec, uint64_t speclen, double v)) \
	X(8,  strtod,     double,   (uint64_t str, uint64_t endp)) \
	X(9,  strtof,     float,    (uint64_t str, uint64_t endp)) \
	X(10, sql_info,   uint64_t, (int32_t h, uint64_t out, uint64_t cap)) \
	X(11, sql_row,    uint64_t, (int32_t h, int64_t row, uint64_t out, uint64_t cap)) \
	X(12, sql_free,   void,     (int32_t h)) \
	X(13, sql_raise,  void,     (int32_t h)) \
	TMEBOX_HOSTCALLS_MATH(X) \
	TMEBOX_HOSTCALLS_SQL(X) \
	TMEBOX_HOSTCALLS_TYPES(X) \
	TMEBOX_HOSTCALLS_TRIGGER(X)

/*
 * Value types (80-95).  error_code: host call error with a SQLSTATE,
 * packed as PostgreSQL's MAKE_SQLSTATE (TMEBOX_SQLSTATE); the host
 * refuses codes that are not five of 0-9 A-Z or whose class is no error
 * (00, 01, 02), raising P0001 instead.
 */
#define TMEBOX_HOSTCALLS_TYPES(X) \
	X(80, error_code, void,     (int32_t sqlstate, uint64_t msg, uint64_t len))

#define TMEBOX_SQLSTATE_SIXBIT(c)	(((c) - '0') & 0x3F)
#define TMEBOX_SQLSTATE(a, b, c, d, e) \
	(TMEBOX_SQLSTATE_SIXBIT(a) + (TMEBOX_SQLSTATE_SIXBIT(b) << 6) + \
	 (TMEBOX_SQLSTATE_SIXBIT(c) << 12) + (TMEBOX_SQLSTATE_SIXBIT(d) << 18) + \
	 (TMEBOX_SQLSTATE_SIXBIT(e) << 24))

/*
 * SQL access (the language layer implements them: pl/pl_spi.c; ABI.md
 * "SQL access").  Handles are small integers valid for the current call;
 * query and params are view offsets of the query text and of a dynamic
 * row (above) of parameters; sql_info and sql_row copy into the caller's
 * [out, out + cap) and return the bytes needed.
 */
#define TMEBOX_HOSTCALLS_SQL(X) \
	X(56, sql_exec,   int32_t,  (uint64_t query, uint64_t qlen, uint64_t params, uint64_t psize, int64_t limit, int32_t flags)) \
	X(57, sql_prepare, int32_t, (uint64_t query, uint64_t qlen, uint64_t params, uint64_t psize)) \
	X(58, sql_exec_plan, int32_t, (int32_t plan, uint64_t params, uint64_t psize, int64_t limit, int32_t flags)) \
	X(59, sql_open,   int32_t,  (int32_t plan, uint64_t params, uint64_t psize, int32_t flags)) \
	X(60, sql_fetch,  int32_t,  (int32_t cursor, int64_t n, int32_t flags))

/* flags of sql_exec, sql_exec_plan, sql_open, sql_fetch */
#define TMEBOX_SQL_TRY			1	/* a SQL error becomes the result's */
/* sql_info writes {int32 status (0 ok, 1 failed); char sqlstate[8]
 * (5 characters, NUL-padded); uint32 nrows; int64 processed; uint32
 * msglen; uint32 pad}, then the message and a NUL */
#define TMEBOX_SQL_INFO_SIZE	32

/*
 * Triggers (104-111; the language layer implements them: pl/pl_trigger.c;
 * ABI.md "Triggers").  A trigger function's export is
 *	int32_t NAME(int32_t info_size, int32_t new_size, int32_t old_size)
 * (tmebox.h's TMEBOX_TRIGGER defines it): the sizes of the trigger's
 * description (below) and of its NEW and OLD row images (dynamic rows,
 * above; 0: none).  trigger_data copies the three into the caller's
 * blocks of those sizes (view offsets; 0 for a size 0), trigger_result
 * hands the host the row the trigger returns (a dynamic row, checked
 * against the table); the export returns 1 after trigger_result, 0 for
 * no row.  Both refuse to run outside a trigger call.
 */
#define TMEBOX_HOSTCALLS_TRIGGER(X) \
	X(104, trigger_data,   void,    (uint64_t info, uint64_t new_row, uint64_t old_row)) \
	X(105, trigger_result, void,    (uint64_t row, uint64_t size))

/*
 * A trigger's description (host to sandbox), little endian:
 *	 0  uint32 size      bytes of the block
 *	 4  uint32 op        TMEBOX_TGI_INSERT ... TRUNCATE
 *	 8  uint32 when      TMEBOX_TGI_BEFORE, AFTER, INSTEAD_OF
 *	 12 uint32 level     TMEBOX_TGI_ROW, STATEMENT
 *	 16 uint32 relid     the table's OID
 *	 20 uint32 nargs     arguments of CREATE TRIGGER
 *	 24 uint32 name      offset of the trigger's name
 *	 28 uint32 table     offset of the table's name
 *	 32 uint32 schema    offset of the table's schema's name
 *	 36 uint32 pad
 *	 40 uint32 args[nargs]  offsets of the arguments
 * then the strings, each NUL-terminated; offsets count from the block's
 * start.
 */
#define TMEBOX_TGI_HDR			40
#define TMEBOX_TGI_INSERT		1
#define TMEBOX_TGI_UPDATE		2
#define TMEBOX_TGI_DELETE		3
#define TMEBOX_TGI_TRUNCATE		4
#define TMEBOX_TGI_BEFORE		1
#define TMEBOX_TGI_AFTER		2
#define TMEBOX_TGI_INSTEAD_OF	3
#define TMEBOX_TGI_ROW			1
#define TMEBOX_TGI_STATEMENT	2

/* Pure math functions: scalars in, scalar out, straight from libm. */
#define TMEBOX_HOSTCALLS_MATH(X) \
	X(16, sin,   double, (double)) X(17, cos,   double, (double)) \
	X(18, tan,   double, (double)) X(19, asin,  double, (double)) \
	X(20, acos,  double, (double)) X(21, atan,  double, (double)) \
	X(22, atan2, double, (double, double)) \
	X(23, sinh,  double, (double)) X(24, cosh,  double, (double)) \
	X(25, tanh,  double, (double)) X(26, asinh, double, (double)) \
	X(27, acosh, double, (double)) X(28, atanh, double, (double)) \
	X(29, exp,   double, (double)) X(30, exp2,  double, (double)) \
	X(31, expm1, double, (double)) X(32, log_,  double, (double)) \
	X(33, log2,  double, (double)) X(34, log10, double, (double)) \
	X(35, log1p, double, (double)) X(36, pow,   double, (double, double)) \
	X(37, cbrt,  double, (double)) X(38, hypot, double, (double, double)) \
	X(39, fmod,  double, (double, double)) \
	X(40, remainder, double, (double, double)) \
	X(41, erf,   double, (double)) X(42, erfc,  double, (double)) \
	X(43, tgamma, double, (double)) X(44, lgamma, double, (double)) \
	X(45, round, double, (double)) X(46, nearbyint, double, (double)) \
	X(47, sinf,  float,  (float))  X(48, cosf,  float,  (float)) \
	X(49, tanf,  float,  (float))  X(50, expf,  float,  (float)) \
	X(51, logf,  float,  (float))  X(52, powf,  float,  (float, float)) \
	X(53, fmodf, float,  (float, float)) X(54, atan2f, float, (float, float)) \
	X(55, roundf, float, (float))

/* One past the highest index. */
#define TMEBOX_HOST_COUNT		112

/*
 * The table size of the first ABI version.  A module file records its
 * table's size (the symbol's size); host calls are only ever added, so a
 * module built when the table was smaller still loads: the runtime
 * accepts a table of at least TMEBOX_HOST_COUNT_V1 slots, fills the slots
 * the module has, and the verifier refuses a call through a slot past
 * the module's own table.  Raising TMEBOX_HOST_COUNT never needs a
 * recompile of stored modules.
 */
#define TMEBOX_HOST_COUNT_V1	56

/* Log levels for host call `log`. */
#define TMEBOX_LOG_DEBUG		0
#define TMEBOX_LOG_INFO			1
#define TMEBOX_LOG_NOTICE		2
#define TMEBOX_LOG_WARNING		3

/* Longest message host call `error`/`log` keeps (longer is truncated). */
#define TMEBOX_MESSAGE_MAX		4096

#endif							/* TMEBOX_ABI_H */
