/*-------------------------------------------------------------------------
 *
 * rt_hostcall.c
 *		The host functions sandboxed code reaches through __tmebox_hosttab
 *		(TMEBOX_HOSTCALLS in tmebox_abi.h), one C function each.
 *
 * Invariants:
 *	- Every pointer argument is an untrusted 64-bit value: only its low 32
 *	  bits are used, as a view offset, and [off, off + n) is checked to lie
 *	  in the committed range [TMEBOX_NULL_GUARD, brk) of the running
 *	  instance before the host touches it.  A range that fails the check
 *	  ends the call with a segmentation fault at that offset, exactly as if
 *	  the sandbox had made the access itself.
 *	- Sizes are bounded before anything is allocated or formatted: error
 *	  and log keep at most TMEBOX_MESSAGE_MAX - 1 bytes, strtod/strtof copy
 *	  at most RT_STRTOD_MAX bytes out of the view, fmt_double only accepts
 *	  a short, fully validated conversion spec.
 *	- These functions run on the native sandbox stack with %gs = view
 *	  base, and only while rt_st.cur != NULL.
 *	- Every table slot is filled: unused indices, and slots the host
 *	  implements (tmebox_rt_set_host_function) that it has not set, trap
 *	  with BAD_CALL, so a call through them never jumps to NULL.  Used ones point at the
 *	  function's thunk (rt_hostthunk.c), which clears the host's scratch
 *	  registers before returning into the sandbox.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

/* Longest number text strtod/strtof look at. */
#define RT_STRTOD_MAX	512
/* Longest conversion spec fmt_double accepts, and its width/precision. */
#define RT_SPEC_MAX		16
#define RT_SPEC_NUM_MAX	3		/* digits: width and precision <= 999 */

/* The committed range check; leaves with SEGV on failure. */
static void *
rt_host_range(uint64_t off, uint64_t n)
{
	tmebox_instance *inst = rt_st.cur;

	off = (uint32_t) off;
	if (!rt_view_ok(inst, off, n))
		rt_leave_segv(off >= TMEBOX_NULL_GUARD && off <= inst->brk ? inst->brk : off);
	return inst->base + off;
}

static void
rt_host_trap(int32_t code)
{
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	if (code == TMEBOX_TRAP_DSTACK_OVERFLOW)
		rt_st.fault.kind = TMEBOX_FAULT_STACK_OVERFLOW;
	else
		rt_st.fault.kind = TMEBOX_FAULT_TRAP;
	rt_st.fault.trap_code = code;
	rt_leave();
}

/*
 * The host's interrupt flag is set: ask the host (its handler may raise
 * its own error and never return, PostgreSQL's CHECK_FOR_INTERRUPTS) or,
 * without a handler, leave with INTERRUPTED.  Called on the host stack:
 * before every entry (rt_call.c, rt_enter.c's trampolines) and after every
 * host call that returns (rt_hostthunk.c); the host call `interrupt` is
 * the same.  Clears rt_intr_late first: the trampolines and thunks call it
 * again while a signal landed during the call.
 */
RT_HIDDEN void
rt_poll_interrupt(void)
{
	bool		leave;

	rt_intr_late = 0;			/* a signal from now on: poll again */
	if (rt_st.intr_handler != NULL)
		leave = rt_st.intr_handler() != 0;
	else
	{
		leave = *rt_intr_flag != 0;
		if (leave && rt_intr_flag == &rt_own_flag)
			rt_own_flag = 0;
	}
	if (leave)
	{
		memset(&rt_st.fault, 0, sizeof(rt_st.fault));
		rt_st.fault.kind = TMEBOX_FAULT_INTERRUPTED;
		rt_leave();
	}
}

static uint64_t
rt_host_sbrk(uint64_t increment)
{
	tmebox_instance *inst = rt_st.cur;
	uint64_t	old = inst->brk;
	uint64_t	limit;

	if (increment == 0)
		return old;
	if ((int64_t) increment < 0)
	{
		/* a decrement (two's complement): give memory back, never below
		 * the heap's start */
		uint64_t	dec = -increment;

		if (dec > old - inst->mod->layout.heap_base)
			rt_leave_oom(0);
		rt_view_shrink(inst, old - dec);
		return old;
	}
	if (increment > TMEBOX_HEAP_MAX - old)
		rt_leave_oom(0);
	if (rt_view_grow(inst, old + increment, &limit) < 0)
		rt_leave_oom(limit);
	return old;
}

static void
rt_host_memmove(uint64_t dst, uint64_t src, uint64_t n)
{
	void	   *d,
			   *s;

	if (n == 0)
		return;
	d = rt_host_range(dst, n);
	s = rt_host_range(src, n);
	memmove(d, s, n);
}

static void
rt_host_memset(uint64_t dst, int32_t c, uint64_t n)
{
	if (n == 0)
		return;
	memset(rt_host_range(dst, n), (unsigned char) c, n);
}

/* Copy at most TMEBOX_MESSAGE_MAX - 1 bytes of [msg, msg + len), stopping
 * at a NUL; returns the length copied into buf (NUL-terminated). */
static size_t
rt_copy_message(uint64_t msg, uint64_t len, char *buf)
{
	const char *src;
	const char *nul;

	if (len > TMEBOX_MESSAGE_MAX - 1)
		len = TMEBOX_MESSAGE_MAX - 1;
	if (len == 0)
	{
		buf[0] = '\0';
		return 0;
	}
	src = rt_host_range(msg, len);
	nul = memchr(src, '\0', len);
	if (nul != NULL)
		len = nul - src;
	memcpy(buf, src, len);
	buf[len] = '\0';
	return len;
}

static void
rt_host_error(uint64_t msg, uint64_t len)
{
	char		buf[TMEBOX_MESSAGE_MAX];

	rt_copy_message(msg, len, buf);
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_USER_ERROR;
	memcpy(rt_st.fault.message, buf, sizeof(buf));
	rt_leave();
}

/*
 * A SQLSTATE the sandbox may raise (packed as TMEBOX_SQLSTATE): five of
 * 0-9 A-Z and the class of an error (not 00 success, 01 warning, 02 no
 * data); P0001 (raise_exception) for anything else.
 */
static int32_t
rt_sqlstate_ok(int32_t code)
{
	uint32_t	u = (uint32_t) code;
	char		c[5];

	if ((u >> 30) != 0)
		return TMEBOX_SQLSTATE('P', '0', '0', '0', '1');
	for (int i = 0; i < 5; i++)
	{
		c[i] = (char) (((u >> (6 * i)) & 0x3F) + '0');
		if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'A' && c[i] <= 'Z')))
			return TMEBOX_SQLSTATE('P', '0', '0', '0', '1');
	}
	if (c[0] == '0' && (c[1] == '0' || c[1] == '1' || c[1] == '2'))
		return TMEBOX_SQLSTATE('P', '0', '0', '0', '1');
	return code;
}

/* error with a SQLSTATE (tmebox.h's tmebox_error_code). */
static void
rt_host_error_code(int32_t sqlstate, uint64_t msg, uint64_t len)
{
	char		buf[TMEBOX_MESSAGE_MAX];

	rt_copy_message(msg, len, buf);
	memset(&rt_st.fault, 0, sizeof(rt_st.fault));
	rt_st.fault.kind = TMEBOX_FAULT_USER_ERROR;
	rt_st.fault.sqlstate = rt_sqlstate_ok(sqlstate);
	memcpy(rt_st.fault.message, buf, sizeof(buf));
	rt_leave();
}

static void
rt_host_log(int32_t level, uint64_t msg, uint64_t len)
{
	char		buf[TMEBOX_MESSAGE_MAX];
	size_t		n = rt_copy_message(msg, len, buf);

	if (level < TMEBOX_LOG_DEBUG)
		level = TMEBOX_LOG_DEBUG;
	if (level > TMEBOX_LOG_WARNING)
		level = TMEBOX_LOG_WARNING;
	if (rt_st.log_handler != NULL)
		rt_st.log_handler(level, buf, n);
	else
	{
		fwrite(buf, 1, n, stderr);
		fflush(stderr);
	}
}

/* Is spec a complete %[-+ #0]*[0-9]*(\.[0-9]*)?[aAeEfFgG] conversion? */
static bool
rt_spec_ok(const char *s, size_t n)
{
	size_t		i = 0,
				d;

	if (n < 2 || s[i++] != '%')
		return false;
	while (i < n && strchr("-+ #0", s[i]) != NULL && s[i] != '\0')
		i++;
	for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (++d > RT_SPEC_NUM_MAX)
			return false;
	if (i < n && s[i] == '.')
	{
		i++;
		for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (++d > RT_SPEC_NUM_MAX)
				return false;
	}
	return i == n - 1 && s[i] != '\0' && strchr("aAeEfFgG", s[i]) != NULL;
}

static int32_t
rt_host_fmt_double(uint64_t out, uint64_t cap, uint64_t spec, uint64_t speclen,
				   double v)
{
	char		sp[RT_SPEC_MAX + 1];
	char	   *dst;
	char		dummy[1];
	int			r;

	if (speclen > RT_SPEC_MAX)
		return -1;
	memcpy(sp, rt_host_range(spec, speclen), speclen);
	sp[speclen] = '\0';
	if (!rt_spec_ok(sp, speclen))
		return -1;
	if (cap == 0)
		dst = dummy;
	else
		dst = rt_host_range(out, cap);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	r = snprintf(dst, cap, sp, v);
#pragma GCC diagnostic pop
	return r;
}

/* Copy the NUL-terminated text at str (at most RT_STRTOD_MAX bytes, never
 * past brk) into buf. */
static void
rt_copy_number(uint64_t str, char *buf)
{
	tmebox_instance *inst = rt_st.cur;
	uint64_t	n;
	const char *src = rt_host_range(str, 1);
	const char *nul;

	str = (uint32_t) str;
	n = inst->brk - str;
	if (n > RT_STRTOD_MAX)
		n = RT_STRTOD_MAX;
	nul = memchr(src, '\0', n);
	if (nul != NULL)
		n = nul - src;
	memcpy(buf, src, n);
	buf[n] = '\0';
}

static void
rt_store_end(uint64_t str, uint64_t endp, size_t consumed)
{
	uint64_t	val = (uint64_t) (uint32_t) str + consumed;

	if ((uint32_t) endp != 0)
		memcpy(rt_host_range(endp, 8), &val, 8);
}

static double
rt_host_strtod(uint64_t str, uint64_t endp)
{
	char		buf[RT_STRTOD_MAX + 1];
	char	   *end;
	double		r;

	rt_copy_number(str, buf);
	r = strtod(buf, &end);
	rt_store_end(str, endp, end - buf);
	return r;
}

static float
rt_host_strtof(uint64_t str, uint64_t endp)
{
	char		buf[RT_STRTOD_MAX + 1];
	char	   *end;
	float		r;

	rt_copy_number(str, buf);
	r = strtof(buf, &end);
	rt_store_end(str, endp, end - buf);
	return r;
}

/* The runtime's own slots by name (tmebox_abi.h TMEBOX_HOSTCALLS). */
enum
{
#define RT_SLOT_ENUM(idx, name, ret, params) RT_SLOT_##name = idx,
	TMEBOX_HOSTCALLS(RT_SLOT_ENUM)
#undef RT_SLOT_ENUM
};

/*
 * libm under the names of TMEBOX_HOSTCALLS_MATH; "log_" is log (the name
 * log is taken by the logging host call).
 */
#define log_ log

void
rt_fill_hosttab(void **tab, uint32_t nslots)
{
	int			i;

	rt_host_real[RT_SLOT_trap] = (void *) rt_host_trap;
	rt_host_real[RT_SLOT_interrupt] = (void *) rt_poll_interrupt;
	rt_host_real[RT_SLOT_sbrk] = (void *) rt_host_sbrk;
	rt_host_real[RT_SLOT_memmove] = (void *) rt_host_memmove;
	rt_host_real[RT_SLOT_memset] = (void *) rt_host_memset;
	rt_host_real[RT_SLOT_error] = (void *) rt_host_error;
	rt_host_real[RT_SLOT_log] = (void *) rt_host_log;
	rt_host_real[RT_SLOT_fmt_double] = (void *) rt_host_fmt_double;
	rt_host_real[RT_SLOT_strtod] = (void *) rt_host_strtod;
	rt_host_real[RT_SLOT_strtof] = (void *) rt_host_strtof;
	rt_host_real[RT_SLOT_error_code] = (void *) rt_host_error_code;
#define RT_MATH_SLOT(idx, name, ret, params) rt_host_real[idx] = (void *) name;
	TMEBOX_HOSTCALLS_MATH(RT_MATH_SLOT)
#undef RT_MATH_SLOT
	/* sandboxed code calls each through its thunk (rt_hostthunk.c); a
	 * host-implemented slot nobody set traps */
	for (i = 0; i < (int) nslots; i++)
		tab[i] = rt_host_thunk(i) && rt_host_real[i] ? (void *) rt_host_thunk(i) :
			(void *) rt_host_thunk_bad;
}

/* Is slot idx one of the runtime's own host functions (above)? */
static bool
rt_host_own(int idx)
{
	switch (idx)
	{
		case RT_SLOT_trap:
		case RT_SLOT_interrupt:
		case RT_SLOT_sbrk:
		case RT_SLOT_memmove:
		case RT_SLOT_memset:
		case RT_SLOT_error:
		case RT_SLOT_log:
		case RT_SLOT_fmt_double:
		case RT_SLOT_strtod:
		case RT_SLOT_strtof:
		case RT_SLOT_error_code:
#define RT_MATH_CASE(idx, name, ret, params) case idx:
			TMEBOX_HOSTCALLS_MATH(RT_MATH_CASE)
#undef RT_MATH_CASE
			return true;
		default:
			return false;
	}
}

int
tmebox_rt_set_host_function(int index, void *fn)
{
	if (index < 0 || index >= TMEBOX_HOST_COUNT || rt_host_own(index) ||
		rt_host_thunk(index) == NULL)
		return -1;
	rt_host_real[index] = fn;
	return 0;
}

void *
tmebox_rt_view_ptr(uint64_t off, uint64_t n)
{
	tmebox_instance *inst = rt_st.cur;

	off = (uint32_t) off;
	if (inst == NULL || !rt_view_ok(inst, off, n))
		return NULL;
	return inst->base + off;
}

void
tmebox_rt_fault_segv(uint64_t off)
{
	tmebox_instance *inst = rt_st.cur;

	off = (uint32_t) off;
	rt_leave_segv(off >= TMEBOX_NULL_GUARD && off <= inst->brk ? inst->brk : off);
}
