/*-------------------------------------------------------------------------
 *
 * __tmebox_fmt.h
 *		Sandbox C library: typed argument packs for the printf family.
 *
 * Sandboxed code cannot define (or usefully call) variadic functions:
 * va_list lives on the native stack, out of the view's reach.  Instead
 * printf-like macros (snprintf, printf, fprintf, tmebox_error, ...) turn
 * their arguments into a compound-literal array of __tmebox_arg, each
 * element tagged by the C type of the argument (chosen with _Generic),
 * and call an ordinary function with (array, count).  The formatter then
 * checks every conversion against the tag: a mismatch prints a marker
 * such as "%!d(string)" instead of being undefined behaviour.
 *
 * Each macro also passes its arguments to an unevaluated sizeof of a call
 * to a printf-attributed prototype, so the compiler's -Wformat checks still
 * apply; sizeof never evaluates the call, so no variadic call is emitted.
 *
 * Invariants:
 *	- At most __TMEBOX_MAXARGS (32) arguments, format string included;
 *	  more is a compile error.
 *	- float and every integer type narrower than int are packed as the
 *	  default argument promotions would pass them; long double is packed
 *	  as double (the host formats doubles).
 *	- char, signed char and unsigned char pointers are strings; any other
 *	  object pointer is a pointer; other types (structs, function
 *	  pointers) do not compile.
 *	- Self-contained: depends on compiler builtins only.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_FMT_H
#define _TMEBOX_FMT_H

#define __TMEBOX_MAXARGS 32

enum
{
	__TMEBOX_ARG_INT = 1,		/* signed integer, value in __i */
	__TMEBOX_ARG_UINT = 2,		/* unsigned integer, value in __u */
	__TMEBOX_ARG_DOUBLE = 3,	/* float/double/long double, in __d */
	__TMEBOX_ARG_STR = 4,		/* (const) [un]signed char *, in __p */
	__TMEBOX_ARG_PTR = 5		/* any other object pointer, in __p */
};

typedef struct __tmebox_arg
{
	int			__tag;			/* __TMEBOX_ARG_* */
	int			__size;			/* sizeof the argument before packing */
	union
	{
		long long	__i;
		unsigned long long __u;
		double		__d;
		const volatile void *__p;
	}			__v;
} __tmebox_arg;

#define __TMEBOX_MKARG(name, ctype, tag, field) \
static inline __tmebox_arg \
name(ctype __x) \
{ \
	__tmebox_arg __a; \
	__a.__tag = (tag); \
	__a.__size = (int) sizeof(ctype); \
	__a.__v.field = __x; \
	return __a; \
}

__TMEBOX_MKARG(__tmebox_arg_b, _Bool, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_c, char, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_sc, signed char, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_uc, unsigned char, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_s, short, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_us, unsigned short, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_i, int, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_u, unsigned int, __TMEBOX_ARG_UINT, __u)
__TMEBOX_MKARG(__tmebox_arg_l, long, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_ul, unsigned long, __TMEBOX_ARG_UINT, __u)
__TMEBOX_MKARG(__tmebox_arg_ll, long long, __TMEBOX_ARG_INT, __i)
__TMEBOX_MKARG(__tmebox_arg_ull, unsigned long long, __TMEBOX_ARG_UINT, __u)
__TMEBOX_MKARG(__tmebox_arg_f, float, __TMEBOX_ARG_DOUBLE, __d)
__TMEBOX_MKARG(__tmebox_arg_d, double, __TMEBOX_ARG_DOUBLE, __d)
__TMEBOX_MKARG(__tmebox_arg_str, const volatile char *, __TMEBOX_ARG_STR, __p)
__TMEBOX_MKARG(__tmebox_arg_sstr, const volatile signed char *, __TMEBOX_ARG_STR, __p)
__TMEBOX_MKARG(__tmebox_arg_ustr, const volatile unsigned char *, __TMEBOX_ARG_STR, __p)
__TMEBOX_MKARG(__tmebox_arg_p, const volatile void *, __TMEBOX_ARG_PTR, __p)

/* long double is formatted as double: the conversion is explicit. */
static inline __tmebox_arg
__tmebox_arg_ld(long double __x)
{
	return __tmebox_arg_d((double) __x);
}

/* Chooses the packer by type; only the selected one is called. */
#define __TMEBOX_ARG(x) _Generic((x), \
	_Bool: __tmebox_arg_b, \
	char: __tmebox_arg_c, \
	signed char: __tmebox_arg_sc, \
	unsigned char: __tmebox_arg_uc, \
	short: __tmebox_arg_s, \
	unsigned short: __tmebox_arg_us, \
	int: __tmebox_arg_i, \
	unsigned int: __tmebox_arg_u, \
	long: __tmebox_arg_l, \
	unsigned long: __tmebox_arg_ul, \
	long long: __tmebox_arg_ll, \
	unsigned long long: __tmebox_arg_ull, \
	float: __tmebox_arg_f, \
	double: __tmebox_arg_d, \
	long double: __tmebox_arg_ld, \
	char *: __tmebox_arg_str, \
	const char *: __tmebox_arg_str, \
	volatile char *: __tmebox_arg_str, \
	const volatile char *: __tmebox_arg_str, \
	signed char *: __tmebox_arg_sstr, \
	const signed char *: __tmebox_arg_sstr, \
	unsigned char *: __tmebox_arg_ustr, \
	const unsigned char *: __tmebox_arg_ustr, \
	default: __tmebox_arg_p)(x)

#define __TMEBOX_MAP1(a) __TMEBOX_ARG(a)
#define __TMEBOX_MAP2(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP1(__VA_ARGS__)
#define __TMEBOX_MAP3(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP2(__VA_ARGS__)
#define __TMEBOX_MAP4(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP3(__VA_ARGS__)
#define __TMEBOX_MAP5(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP4(__VA_ARGS__)
#define __TMEBOX_MAP6(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP5(__VA_ARGS__)
#define __TMEBOX_MAP7(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP6(__VA_ARGS__)
#define __TMEBOX_MAP8(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP7(__VA_ARGS__)
#define __TMEBOX_MAP9(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP8(__VA_ARGS__)
#define __TMEBOX_MAP10(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP9(__VA_ARGS__)
#define __TMEBOX_MAP11(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP10(__VA_ARGS__)
#define __TMEBOX_MAP12(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP11(__VA_ARGS__)
#define __TMEBOX_MAP13(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP12(__VA_ARGS__)
#define __TMEBOX_MAP14(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP13(__VA_ARGS__)
#define __TMEBOX_MAP15(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP14(__VA_ARGS__)
#define __TMEBOX_MAP16(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP15(__VA_ARGS__)
#define __TMEBOX_MAP17(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP16(__VA_ARGS__)
#define __TMEBOX_MAP18(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP17(__VA_ARGS__)
#define __TMEBOX_MAP19(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP18(__VA_ARGS__)
#define __TMEBOX_MAP20(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP19(__VA_ARGS__)
#define __TMEBOX_MAP21(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP20(__VA_ARGS__)
#define __TMEBOX_MAP22(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP21(__VA_ARGS__)
#define __TMEBOX_MAP23(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP22(__VA_ARGS__)
#define __TMEBOX_MAP24(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP23(__VA_ARGS__)
#define __TMEBOX_MAP25(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP24(__VA_ARGS__)
#define __TMEBOX_MAP26(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP25(__VA_ARGS__)
#define __TMEBOX_MAP27(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP26(__VA_ARGS__)
#define __TMEBOX_MAP28(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP27(__VA_ARGS__)
#define __TMEBOX_MAP29(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP28(__VA_ARGS__)
#define __TMEBOX_MAP30(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP29(__VA_ARGS__)
#define __TMEBOX_MAP31(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP30(__VA_ARGS__)
#define __TMEBOX_MAP32(a, ...) __TMEBOX_ARG(a), __TMEBOX_MAP31(__VA_ARGS__)
#define __TMEBOX_NARGS(...) __TMEBOX_NARGS_(__VA_ARGS__, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define __TMEBOX_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, N, ...) N
#define __TMEBOX_CAT_(a, b) a ## b
#define __TMEBOX_CAT(a, b) __TMEBOX_CAT_(a, b)

/*
 * __TMEBOX_PACK(x1, ..., xn) expands to two function arguments: a pointer
 * to a block-scope array of n packed arguments, and n.
 */
#define __TMEBOX_PACK(...) \
	((const __tmebox_arg[]) { \
		__TMEBOX_CAT(__TMEBOX_MAP, __TMEBOX_NARGS(__VA_ARGS__))(__VA_ARGS__) \
	}), __TMEBOX_NARGS(__VA_ARGS__)

/*
 * Compile-time format checking: never called, only named inside sizeof,
 * so no variadic call reaches the object code.
 */
extern int	__tmebox_fmtcheck(const char *__fmt, ...)
			__attribute__((__format__(__printf__, 1, 2)));
#define __TMEBOX_FMTCHECK(...) ((void) sizeof(__tmebox_fmtcheck(__VA_ARGS__)))

/*
 * The formatter.  Formats pack[0] (a string: the format) with pack[1..n-1]
 * into buf[0..cap-1] (always NUL-terminated when cap > 0) and returns the
 * length the full output has, like snprintf; negative if the first
 * element is not a string.
 */
extern int	__tmebox_snprintf(char *__buf, __SIZE_TYPE__ __cap,
							  const __tmebox_arg *__pack, int __n);

#endif							/* _TMEBOX_FMT_H */
