/*-------------------------------------------------------------------------
 *
 * fuzz_call.c
 *		libFuzzer harness over tmebox_call: argument marshalling into the
 *		view (buffers, arrays, NULLs, every scalar type, the register fast
 *		path and the libffi path) and the checks of what the sandbox hands
 *		back (forged offsets, lying length headers, input buffers returned
 *		or freed, a heap whose allocator fails when the host frees the
 *		result).  Module: fz_call_mod.c, built by tmebox-cc and linked in.
 *
 * Each input is a little program of up to 12 calls (see fz_one_call).
 * Oracles, on top of ASan/UBSan/LSan watching the runtime:
 *	- a result the runtime accepted lies in [NULL_GUARD, brk) of the view,
 *	  has exactly the length its header claimed, ends with a NUL, and its
 *	  bytes are the ones the sandbox saw there (FNV hash the sandbox took);
 *	  genuine buffers come back intact;
 *	- arguments arrive exactly: the sandbox hashes what it received, the
 *	  harness hashes what it passed, they must agree;
 *	- a fault is one the sandbox could have caused (SEGV, BAD_RESULT,
 *	  USER_ERROR, OUT_OF_MEMORY) and leaves the instance needing a reset;
 *	  calls that cannot fault do not; refused calls are HOST_ERROR and
 *	  leave the instance usable.
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdbool.h>

#include "fz_common.h"

FZ_EMBED_MODULE(FZ_MODULE_FILE);

typedef struct fz_status
{
	uint64_t	ret_off;
	uint64_t	claimed;
	uint64_t	sum;
	uint64_t	has_sum;
} fz_status;

static tmebox_module *mod;
static tmebox_instance *inst;
static tmebox_budget budget = {256 << 20, 0};
static uint64_t st_off;
static int	ix_forge[4],
			ix_echo,
			ix_take_all,
			ix_take_many,
			ix_ret_i16,
			ix_ret_bool,
			ix_ret_f32,
			ix_forge_abuf;

/* 8 MiB of zeros: the payload of large array arguments. */
static uint8_t zeros[8 << 20];

/* result_alloc that keeps what it hands out, freed after each input. */
#define FZ_MAX_OWNED 64
static void *owned[FZ_MAX_OWNED];
static int	nowned;

static void *
fz_alloc(size_t size, void *arg)
{
	void	   *p;

	(void) arg;
	if (nowned == FZ_MAX_OWNED)
		return NULL;			/* the runtime must cope */
	p = malloc(size);
	owned[nowned++] = p;
	return p;
}

static void
fz_owned_free(void)
{
	while (nowned > 0)
		free(owned[--nowned]);
}

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	tmebox_value r;
	tmebox_fault f;

	(void) argc;
	(void) argv;
	fz_load(fz_module_data, fz_module_end, &budget, &mod, &inst);
	ix_forge[0] = fz_export(mod, "forge_buf");
	ix_forge[1] = fz_export(mod, "forge_ai32");
	ix_forge[2] = fz_export(mod, "forge_ai64");
	ix_forge[3] = fz_export(mod, "forge_af64");
	ix_echo = fz_export(mod, "echo");
	ix_take_all = fz_export(mod, "take_all");
	ix_take_many = fz_export(mod, "take_many");
	ix_ret_i16 = fz_export(mod, "ret_i16");
	ix_ret_bool = fz_export(mod, "ret_bool");
	ix_ret_f32 = fz_export(mod, "ret_f32");
	ix_forge_abuf = fz_export(mod, "forge_abuf");
	if (tmebox_call(inst, fz_export(mod, "status_addr"), NULL, &r, NULL, NULL, &f) != 0)
		fz_fail("status_addr faulted");
	st_off = (uint64_t) r.v.i;
	return 0;
}

static fz_status
fz_read_status(void)
{
	fz_status	s;

	memcpy(&s, (uint8_t *) tmebox_instance_view_base(inst) + st_off, sizeof(s));
	return s;
}

/* A buffer or array argument: NULL, a slice of the input, or big zeros. */
static void
fz_buf_arg(fz_reader *r, tmebox_value *v, size_t elsz)
{
	uint8_t		sel = fz_u8(r);
	size_t		len;

	memset(v, 0, sizeof(*v));
	switch (sel % 8)
	{
		case 0:
			v->isnull = true;
			break;
		case 1:
			{
				uint32_t	n = fz_u32(r) % (uint32_t) (sizeof(zeros) / elsz + 1);

				v->v.buf.data = zeros;
				v->v.buf.len = n;
			}
			break;
		default:
			v->v.buf.data = fz_bytes(r, (size_t) (sel >> 3) * elsz, &len);
			v->v.buf.len = (uint32_t) (len / elsz);
			if (v->v.buf.len == 0 && sel & 1)
				v->v.buf.data = NULL;	/* allowed for empty values */
			break;
	}
}

/* The sandbox's hash of a buffer / array argument (see fz_call_mod.c). */
static uint64_t
fz_hash_arg(uint64_t h, const tmebox_value *v, size_t elsz, bool is_buf)
{
	if (v->isnull)
		return fz_hash_u64(h, UINT64_C(0xdead));
	h = fz_hash_u64(h, v->v.buf.len);
	if (!is_buf)
		h = fz_hash_u64(h, 0);	/* _pad */
	h = fz_hash(h, v->v.buf.data ? v->v.buf.data : zeros, (uint64_t) v->v.buf.len * elsz);
	if (is_buf)
		h = fz_hash_u64(h, 0);	/* the NUL the host adds */
	return h;
}

static bool
fz_fault_ok(const tmebox_fault *f)
{
	switch (f->kind)
	{
		case TMEBOX_FAULT_SEGV:
		case TMEBOX_FAULT_BAD_RESULT:
		case TMEBOX_FAULT_USER_ERROR:
		case TMEBOX_FAULT_OUT_OF_MEMORY:
			return true;
		default:
			return false;
	}
}

/* After a fault: check it and reset. */
static void
fz_after_fault(const char *what, const tmebox_fault *f, bool may_fault)
{
	char		msg[TMEBOX_MESSAGE_MAX + 64];

	tmebox_fault_format(f, msg, sizeof(msg));
	if (!may_fault || !fz_fault_ok(f))
		fz_fail("%s: unexpected fault: %s", what, msg);
	if (!tmebox_instance_needs_reset(inst))
		fz_fail("%s: fault without reset: %s", what, msg);
	fz_reset(inst);
}

static void
fz_call_forge(fz_reader *r, int kind)
{
	static const uint64_t hdrs[4] = {4, 8, 8, 8};
	static const uint64_t elszs[4] = {1, 4, 8, 8};
	uint64_t	hdr = hdrs[kind],
				elsz = elszs[kind];
	uint8_t		osel = fz_u8(r),
				lsel = fz_u8(r);
	uint8_t		mode = fz_u8(r);
	uint64_t	brk0 = tmebox_instance_brk(inst);
	uint64_t	off,
				lenf;
	tmebox_value a[3],
				res;
	tmebox_fault f;
	bool		use_own = osel & 0x80;
	int			rc;
	fz_status	st;

	switch (osel & 3)
	{
		case 0:
			off = fz_u64(r);
			break;
		case 1:
			off = brk0 - (fz_u16(r) & 0x3fff);
			break;
		case 2:
			off = TMEBOX_NULL_GUARD - 64 + (fz_u16(r) & 0x3fff);
			break;
		default:
			off = TMEBOX_IMAGE_BASE + fz_u16(r);
			break;
	}
	switch (lsel & 3)
	{
		case 0:
			lenf = fz_u64(r);
			break;
		case 1:
			lenf = fz_u16(r);
			break;
		default:
			/* right at the end of the committed range, give or take */
			lenf = ((brk0 - (uint32_t) off - hdr) / elsz) + (int8_t) fz_u8(r) % 3;
			break;
	}
	memset(a, 0, sizeof(a));
	a[0].v.i = (int64_t) off;
	a[1].v.i = (int64_t) lenf;
	a[2].v.i = mode;
	rc = tmebox_call(inst, ix_forge[kind], a, &res, use_own ? fz_alloc : NULL, NULL, &f);
	if (rc != 0)
	{
		/* a genuine buffer that the sandbox only reads cannot fault */
		fz_after_fault("forge", &f, (mode & 7) != 0);
		return;
	}
	st = fz_read_status();
	if (res.isnull)
	{
		if ((uint32_t) st.ret_off != 0)
			fz_fail("forge: NULL result for offset 0x%llx",
					(unsigned long long) st.ret_off);
		return;
	}
	{
		uint64_t	roff = (uint32_t) st.ret_off;
		/* an array's forged header word may lead to an accepted shape */
		bool		shaped = kind > 0 && (res.v.buf.len & TMEBOX_ARRAY_SHAPED) != 0;
		uint32_t	n = kind > 0 ? res.v.buf.len & ~TMEBOX_ARRAY_SHAPED : res.v.buf.len;
		uint64_t	bytes = (uint64_t) n * elsz;
		uint64_t	brk = tmebox_instance_brk(inst);
		const uint8_t *d = res.v.buf.data;

		if (roff < TMEBOX_NULL_GUARD || roff > brk || hdr + bytes > brk - roff)
			fz_fail("forge mode %d: accepted a result [0x%llx, +%llu) outside [0x10000, 0x%llx)",
					mode, (unsigned long long) roff,
					(unsigned long long) (hdr + bytes), (unsigned long long) brk);
		if (n != (uint32_t) st.claimed)
			fz_fail("forge: length %u, the header said %u", n,
					(uint32_t) st.claimed);
		if (d == NULL || d[bytes] != 0)
			fz_fail("forge: result without its terminating NUL");
		if (shaped)
		{
			uint32_t	has_nulls;

			memcpy(&has_nulls, d + TMEBOX_ARRAY_SHAPE_AT(bytes) + 4, 4);
			if (has_nulls > 1)
				fz_fail("forge: accepted a shape with has_nulls %u", has_nulls);
		}
		if (st.has_sum && fz_hash(FNV_INIT, d, bytes) != st.sum)
			fz_fail("forge: result bytes differ from the sandbox's");
		if ((mode & 7) == 0)
		{
			if (n != (lenf & 0xffff) || shaped)
				fz_fail("forge: genuine length %u, want %u", n,
						(unsigned) (lenf & 0xffff));
			for (uint64_t i = 0; i < bytes; i++)
				if (d[i] != (uint8_t) (i * 31 + 7))
					fz_fail("forge: genuine byte %llu differs", (unsigned long long) i);
		}
		if (!use_own)
			free((void *) res.v.buf.data);
	}
}

static void
fz_call_echo(fz_reader *r)
{
	tmebox_value a[2],
				res;
	tmebox_fault f;
	uint64_t	mode;
	int			rc;

	fz_buf_arg(r, &a[0], 1);
	mode = fz_u64(r);
	a[1].isnull = false;
	a[1].v.i = (int64_t) mode;
	rc = tmebox_call(inst, ix_echo, a, &res, NULL, NULL, &f);
	if (rc != 0)
	{
		fz_after_fault("echo", &f, (mode & 3) == 1 || (mode & 3) == 2);
		return;
	}
	if (a[0].isnull != res.isnull)
		fz_fail("echo: NULL in, %s out", res.isnull ? "NULL" : "a buffer");
	if (res.isnull)
		return;
	if ((mode & 3) == 0 || (mode & 3) == 3)
	{
		if (res.v.buf.len != a[0].v.buf.len ||
			(a[0].v.buf.len > 0 &&
			 memcmp(res.v.buf.data, a[0].v.buf.data, a[0].v.buf.len) != 0))
			fz_fail("echo: buffer changed on the way through");
	}
	else if ((mode & 3) == 1 && res.v.buf.len != (uint32_t) (mode >> 8))
		fz_fail("echo: length %u, header said %u", res.v.buf.len,
				(uint32_t) (mode >> 8));
	if (((const uint8_t *) res.v.buf.data)[res.v.buf.len] != 0)
		fz_fail("echo: result without its terminating NUL");
	free((void *) res.v.buf.data);
}

static float
fz_float(fz_reader *r)
{
	uint32_t	b = fz_u32(r);
	float		f;

	memcpy(&f, &b, 4);
	return f;
}

static double
fz_double(fz_reader *r)
{
	uint64_t	b = fz_u64(r);
	double		d;

	memcpy(&d, &b, 8);
	return d;
}

static void
fz_expect_i64(const char *what, int rc, const tmebox_value *res,
			  const tmebox_fault *f, uint64_t want)
{
	char		msg[TMEBOX_MESSAGE_MAX + 64];

	if (rc != 0)
	{
		tmebox_fault_format(f, msg, sizeof(msg));
		/* large inputs may legitimately exceed the budget */
		if (f->kind != TMEBOX_FAULT_OUT_OF_MEMORY)
			fz_fail("%s: fault: %s", what, msg);
		fz_after_fault(what, f, true);
		return;
	}
	if ((uint64_t) res->v.i != want)
		fz_fail("%s: the sandbox received other arguments than were passed", what);
}

static void
fz_call_take_all(fz_reader *r)
{
	tmebox_value a[8],
				res;
	tmebox_fault f;
	uint64_t	h = FNV_INIT;
	int16_t		s;
	float		fl;
	double		d;
	int			rc;

	memset(a, 0, sizeof(a));
	fz_buf_arg(r, &a[0], 1);
	fz_buf_arg(r, &a[1], 4);
	fz_buf_arg(r, &a[2], 8);
	fz_buf_arg(r, &a[3], 8);
	s = (int16_t) fz_u16(r);
	a[4].v.i = (int64_t) fz_u64(r);	/* only the low 16 bits travel */
	a[4].v.i = (a[4].v.i & ~INT64_C(0xffff)) | (uint16_t) s;
	a[5].v.b = fz_u8(r) & 1;
	fl = fz_float(r);
	a[6].v.f = fl;
	d = fz_double(r);
	a[7].v.d = d;
	h = fz_hash_arg(h, &a[0], 1, true);
	h = fz_hash_arg(h, &a[1], 4, false);
	h = fz_hash_arg(h, &a[2], 8, false);
	h = fz_hash_arg(h, &a[3], 8, false);
	h = fz_hash_u64(h, (uint64_t) (int64_t) s);
	h = fz_hash_u64(h, a[5].v.b ? 1 : 0);
	h = fz_hash(h, &fl, 4);
	h = fz_hash(h, &d, 8);
	rc = tmebox_call(inst, ix_take_all, a, &res, NULL, NULL, &f);
	fz_expect_i64("take_all", rc, &res, &f, h);
}

static void
fz_call_take_many(fz_reader *r)
{
	tmebox_value a[16],
				res;
	tmebox_fault f;
	uint64_t	h = FNV_INIT;
	int			rc,
				i;

	memset(a, 0, sizeof(a));
	a[0].v.i = (int64_t) fz_u64(r);
	a[1].v.i = (int32_t) fz_u32(r);
	fz_buf_arg(r, &a[2], 1);
	a[3].v.i = (int16_t) fz_u16(r);
	a[4].v.b = fz_u8(r) & 1;
	a[5].v.i = (int64_t) fz_u64(r);
	fz_buf_arg(r, &a[6], 8);
	for (i = 7; i < 15; i++)
		a[i].v.d = fz_double(r);
	a[15].v.f = fz_float(r);
	h = fz_hash_u64(h, (uint64_t) a[0].v.i);
	h = fz_hash_u64(h, (uint64_t) a[1].v.i);
	h = fz_hash_arg(h, &a[2], 1, true);
	h = fz_hash_u64(h, (uint64_t) a[3].v.i);
	h = fz_hash_u64(h, a[4].v.b ? 1 : 0);
	h = fz_hash_u64(h, (uint64_t) a[5].v.i);
	h = fz_hash_arg(h, &a[6], 8, false);
	for (i = 7; i < 15; i++)
		h = fz_hash(h, &a[i].v.d, 8);
	h = fz_hash(h, &a[15].v.f, 4);
	rc = tmebox_call(inst, ix_take_many, a, &res, NULL, NULL, &f);
	fz_expect_i64("take_many", rc, &res, &f, h);
}

static void
fz_call_scalars(fz_reader *r)
{
	tmebox_value a[1],
				res;
	tmebox_fault f;
	int64_t		v = (int64_t) fz_u64(r);
	double		d;
	float		want;

	memset(a, 0, sizeof(a));
	a[0].v.i = v;
	if (tmebox_call(inst, ix_ret_i16, a, &res, NULL, NULL, &f) != 0 ||
		res.v.i != (int16_t) v)
		fz_fail("ret_i16 wrong");
	if (tmebox_call(inst, ix_ret_bool, a, &res, NULL, NULL, &f) != 0 ||
		res.v.b != ((v & 0xff) != 0))
		fz_fail("ret_bool wrong");
	memcpy(&d, &v, 8);
	a[0].v.d = d;
	want = (float) d;
	if (tmebox_call(inst, ix_ret_f32, a, &res, NULL, NULL, &f) != 0 ||
		(memcmp(&res.v.f, &want, 4) != 0 && !(isnan(want) && isnan(res.v.f))))
		fz_fail("ret_f32 wrong");
}

/*
 * An array of buffers (forge_abuf in fz_call_mod.c) built from the
 * input's words: genuine, forged, aliased and NULL elements, maybe a
 * lying count.  Only forged pointers or a lie may fault; an accepted
 * result has every element NUL-terminated, and genuine, aliased and NULL
 * elements come back as built.
 */
static void
fz_call_abuf(fz_reader *r)
{
	size_t		len;
	const uint8_t *w = fz_bytes(r, 8 * (size_t) (fz_u8(r) % 65), &len);
	uint8_t		csel = fz_u8(r);
	int64_t		claim = (csel & 0x80) ? (int64_t) fz_u32(r) : 0;
	bool		use_own = csel & 1;
	bool		forged = claim != 0;
	uint32_t	n = (uint32_t) (len / 8);
	tmebox_value a[2],
				res;
	tmebox_fault f;
	const tmebox_value *ev;
	int			rc;

	for (uint32_t i = 0; i < n; i++)
		if ((w[8 * i] & 3) == 1)
			forged = true;
	memset(a, 0, sizeof(a));
	a[0].v.buf.data = w;
	a[0].v.buf.len = (uint32_t) len;
	a[1].v.i = claim;
	rc = tmebox_call(inst, ix_forge_abuf, a, &res, use_own ? fz_alloc : NULL, NULL, &f);
	if (rc != 0)
	{
		fz_after_fault("forge_abuf", &f, forged);
		return;
	}
	if (res.isnull)
		fz_fail("forge_abuf: NULL result");
	ev = res.v.buf.data;
	if (res.v.buf.len & TMEBOX_ARRAY_SHAPED)
		fz_fail("forge_abuf: a shape the array never had");	/* its word is 0 */
	for (uint32_t i = 0; i < res.v.buf.len; i++)
		if (!ev[i].isnull &&
			(ev[i].v.buf.data == NULL ||
			 ((const uint8_t *) ev[i].v.buf.data)[ev[i].v.buf.len] != 0))
			fz_fail("forge_abuf: element %u without its terminating NUL", i);
	if (!forged)
	{
		if (res.v.buf.len != n)
			fz_fail("forge_abuf: %u elements, built %u", res.v.buf.len, n);
		for (uint32_t i = 0; i < n; i++)
		{
			uint8_t		k = w[8 * i] & 3;
			uint32_t	want = w[8 * i + 1];
			const tmebox_value *src = &ev[i];

			if (k == 2)
				src = i > 0 ? &ev[i - 1] : NULL;
			if (k == 3 || src == NULL || src->isnull)
			{
				if (!ev[i].isnull)
					fz_fail("forge_abuf: element %u should be NULL", i);
				continue;
			}
			if (ev[i].isnull || ev[i].v.buf.len != src->v.buf.len ||
				memcmp(ev[i].v.buf.data, src->v.buf.data, src->v.buf.len) != 0)
				fz_fail("forge_abuf: element %u differs from what was built", i);
			if (k == 0)
			{
				if (ev[i].v.buf.len != want)
					fz_fail("forge_abuf: element %u has %u bytes, built %u", i,
							ev[i].v.buf.len, want);
				for (uint32_t j = 0; j < want; j++)
					if (((const uint8_t *) ev[i].v.buf.data)[j] != (uint8_t) (j * 31 + 7))
						fz_fail("forge_abuf: element %u byte %u differs", i, j);
			}
		}
	}
	if (!use_own)
		free((void *) res.v.buf.data);
}

/* Calls the runtime must refuse without touching the instance. */
static void
fz_call_refused(fz_reader *r)
{
	tmebox_value a[16],
				res;
	tmebox_fault f;
	uint8_t		sel = fz_u8(r);
	int			idx;

	memset(a, 0, sizeof(a));
	if (sel & 1)
	{
		idx = (sel & 2) ? -1 - (int) fz_u8(r) : tmebox_module_get_info(mod)->nexports + fz_u8(r);
	}
	else
	{
		idx = ix_take_many;
		a[sel % 16 == 2 || sel % 16 == 6 ? 0 : sel % 16].isnull = true;
	}
	if (tmebox_call(inst, idx, a, &res, NULL, NULL, &f) == 0)
		fz_fail("refused call went through (index %d, sel %d)", idx, sel);
	if (f.kind != TMEBOX_FAULT_HOST_ERROR || tmebox_instance_needs_reset(inst))
		fz_fail("refused call: kind %d, needs reset %d", f.kind,
				tmebox_instance_needs_reset(inst));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_reader	r = {data, size};
	int			ncalls = 0;

	fz_reset(inst);
	while (r.n > 0 && ncalls++ < 12)
	{
		uint8_t		op = fz_u8(&r);

		switch (op % 10)
		{
			case 0:
			case 1:
			case 2:
			case 3:
				fz_call_forge(&r, op % 10);
				break;
			case 4:
				fz_call_echo(&r);
				break;
			case 5:
				fz_call_take_all(&r);
				break;
			case 6:
				fz_call_take_many(&r);
				break;
			case 7:
				fz_call_scalars(&r);
				break;
			case 8:
				fz_call_refused(&r);
				break;
			default:
				/* an array of buffers, or a genuine buffer in the middle
				 * of anything */
				if (op >= 128)
					fz_call_abuf(&r);
				else
					fz_call_forge(&r, 0);
				break;
		}
	}
	fz_owned_free();
	if (budget.used > budget.limit)
		fz_fail("budget overdrawn: %llu > %llu", (unsigned long long) budget.used,
				(unsigned long long) budget.limit);
	return 0;
}
