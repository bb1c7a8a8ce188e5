/*-------------------------------------------------------------------------
 *
 * fuzz_host.c
 *		libFuzzer harness over the host calls (memmove, memset, fmt_double,
 *		strtod, strtof, error, log, sbrk, trap) as sandboxed code reaches
 *		them: the input is the program that fz_host_mod.c's run()
 *		interprets inside the sandbox, with fuzzer-chosen offsets, lengths,
 *		conversion specs and number texts.
 *
 * Oracles, on top of ASan/UBSan/LSan watching the runtime:
 *	- run() itself checks every host call that returns against the
 *	  contract (ranges, copies, formatted output, end pointers, the
 *	  break) and returns FZ_BUG - op when the host broke it;
 *	- a fault must be one fz_st.expect allows for the call in progress:
 *	  SEGV only for a range outside [0x10000, brk), USER_ERROR only from
 *	  host call error, whose message must be the sandbox's bytes (up to a
 *	  NUL, at most 4095), OUT_OF_MEMORY only from sbrk, TRAP /
 *	  STACK_OVERFLOW only from host call trap with that code;
 *	- the log handler gets a clamped level and exactly the sandbox's bytes.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>

#include "fz_common.h"

FZ_EMBED_MODULE(FZ_MODULE_FILE);

#define E_RETURN	1
#define E_SEGV		2
#define E_USER		4
#define E_OOM		8
#define E_TRAP		16
#define E_STACK		32
#define FZ_BUG		(-1000)

typedef struct fz_status
{
	uint32_t	magic;
	uint32_t	op;
	uint32_t	expect;
	uint32_t	kind;
	uint64_t	msg_off;
	uint64_t	msg_len;
	int64_t		level;
	uint64_t	seg;
} fz_status;

static tmebox_module *mod;
static tmebox_instance *inst;
static tmebox_budget budget = {64 << 20, 0};
static uint64_t st_off;
static int	ix_run;

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fz_status
fz_read_status(void)
{
	fz_status	s;

	memcpy(&s, (uint8_t *) tmebox_instance_view_base(inst) + st_off, sizeof(s));
	return s;
}

/* The message the host should have taken: bytes up to a NUL. */
static size_t
fz_expected_msg(const fz_status *st, const uint8_t **p)
{
	const uint8_t *m = (uint8_t *) tmebox_instance_view_base(inst) + st->msg_off;
	const uint8_t *nul;

	*p = m;
	if (st->msg_len == 0)
		return 0;
	nul = memchr(m, 0, st->msg_len);
	return nul ? (size_t) (nul - m) : st->msg_len;
}

static void
fz_log_handler(int level, const char *msg, size_t len)
{
	fz_status	st = fz_read_status();
	const uint8_t *want;
	size_t		wlen = fz_expected_msg(&st, &want);
	int64_t		wlevel = st.level < 0 ? 0 : st.level > 3 ? 3 : st.level;

	if (st.kind != 6 || !(st.expect & E_RETURN))
		fz_fail("log handler called for op %u (kind %u, expect %u)", st.op,
				st.kind, st.expect);
	if (level != wlevel)
		fz_fail("log level %d, want %lld", level, (long long) wlevel);
	if (len != wlen || memcmp(msg, want, len) != 0)
		fz_fail("log message of %zu bytes, want %zu bytes at 0x%llx", len, wlen,
				(unsigned long long) st.msg_off);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tmebox_value r;
	tmebox_fault f;

	(void) argc;
	(void) argv;
	fz_load(fz_module_data, fz_module_end, &budget, &mod, &inst);
	ix_run = fz_export(mod, "run");
	if (tmebox_call(inst, fz_export(mod, "status_addr"), NULL, &r, NULL, NULL, &f) != 0)
		fz_fail("status_addr faulted");
	st_off = (uint64_t) r.v.i;
	tmebox_rt_set_log_handler(fz_log_handler);
	return 0;
}

static uint32_t
fz_kind_bit(const tmebox_fault *f)
{
	switch (f->kind)
	{
		case TMEBOX_FAULT_SEGV:
			return E_SEGV;
		case TMEBOX_FAULT_USER_ERROR:
			return E_USER;
		case TMEBOX_FAULT_OUT_OF_MEMORY:
			return E_OOM;
		case TMEBOX_FAULT_TRAP:
			return E_TRAP;
		case TMEBOX_FAULT_STACK_OVERFLOW:
			return E_STACK;
		default:
			return 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tmebox_value a,
				res;
	tmebox_fault f;
	fz_status	st;
	char		msg[TMEBOX_MESSAGE_MAX + 64];

	if (size > UINT32_MAX)
		return 0;
	fz_reset(inst);
	memset(&a, 0, sizeof(a));
	a.v.buf.data = data;
	a.v.buf.len = (uint32_t) size;
	if (tmebox_call(inst, ix_run, &a, &res, NULL, NULL, &f) == 0)
	{
		if (res.v.i <= FZ_BUG + 0)
			fz_fail("run(): the host broke its contract at op %lld (kind %u)",
					(long long) (FZ_BUG - res.v.i), fz_read_status().kind);
		return 0;
	}
	st = fz_read_status();
	tmebox_fault_format(&f, msg, sizeof(msg));
	if (st.magic != 0x467a5374)
		fz_fail("fault before run() started: %s", msg);
	if (!(fz_kind_bit(&f) & st.expect))
		fz_fail("op %u (kind %u): fault \"%s\" not allowed (expect 0x%x)", st.op,
				st.kind, msg, st.expect);
	if (f.kind == TMEBOX_FAULT_SEGV && f.view_offset != st.seg)
		fz_fail("op %u (kind %u): segmentation fault at 0x%llx, the host's check fails at 0x%llx",
				st.op, st.kind, (unsigned long long) f.view_offset,
				(unsigned long long) st.seg);
	if (f.kind == TMEBOX_FAULT_USER_ERROR)
	{
		const uint8_t *want;
		size_t		wlen = fz_expected_msg(&st, &want);

		if (strlen(f.message) != wlen || memcmp(f.message, want, wlen) != 0)
			fz_fail("error message \"%s\" is not the sandbox's %zu bytes", f.message, wlen);
	}
	if (f.kind == TMEBOX_FAULT_TRAP || f.kind == TMEBOX_FAULT_STACK_OVERFLOW)
	{
		/* the trap code is the sandbox's: the runtime reports it as given */
		if (f.signo != 0)
			fz_fail("trap host call reported as signal %d", f.signo);
	}
	if (f.kind == TMEBOX_FAULT_OUT_OF_MEMORY && budget.used > budget.limit)
		fz_fail("budget overdrawn");
	if (!tmebox_instance_needs_reset(inst))
		fz_fail("fault without reset");
	return 0;
}
