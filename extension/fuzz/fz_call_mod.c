/*-------------------------------------------------------------------------
 *
 * fz_call_mod.c
 *		Sandboxed side of fuzz_call: a tmebox module (compiled by tmebox-cc
 *		when the harness is built) whose exports hand the host whatever the
 *		fuzzer asks for -- genuine buffers, forged offsets, lying length
 *		headers, input buffers returned or freed, a corrupted heap, arrays
 *		of buffers with forged, aliased and NULL elements -- and
 *		hash what they received, so the harness can check the runtime's
 *		argument marshalling and its checks of returned buffers.
 *
 * Invariants:
 *	- Before returning a buffer, every forge function stores the offset it
 *	  returns and the length it claimed in fz_st (a global whose view
 *	  offset status_addr() gives); the harness reads it through the view.
 *	- The hashes here and in fuzz_call.c (fz_hash*) are the same FNV-1a.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tmebox.h>

typedef struct fz_status
{
	uint64_t	ret_off;		/* offset returned by the last forge call */
	uint64_t	claimed;		/* element count claimed in its header */
	uint64_t	sum;			/* FNV-1a of the claimed payload (mode & 8) */
	uint64_t	has_sum;
} fz_status;

fz_status	fz_st;

#define FNV_INIT	UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME	UINT64_C(0x100000001b3)

static uint64_t
fz_hash(uint64_t h, const void *p, uint64_t n)
{
	const unsigned char *s = p;

	for (uint64_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

static uint64_t
fz_hash_u64(uint64_t h, uint64_t v)
{
	return fz_hash(h, &v, sizeof(v));
}

int64_t
status_addr(void)
{
	return (int64_t) (uintptr_t) &fz_st;
}

/* A genuine buffer of n elements after hdr header bytes, pattern-filled. */
static unsigned char *
fz_genuine(uint32_t n, size_t hdr, size_t elsz)
{
	size_t		bytes = (size_t) n * elsz;
	unsigned char *p = malloc(hdr + bytes + 1);

	memset(p, 0, hdr);
	memcpy(p, &n, 4);
	for (size_t i = 0; i < bytes; i++)
		p[hdr + i] = (unsigned char) (i * 31 + 7);
	p[hdr + bytes] = 0;
	return p;
}

/*
 * What every forge_* export does.  mode & 7 picks the lie:
 *	0 genuine buffer of (len_field & 0xffff) elements
 *	1 store len_field as the header at offset off, return off
 *	2 return off untouched
 *	3 genuine buffer, return it moved by (off % 8192) - 4096 bytes
 *	4 genuine buffer, then smash its allocator header (the host's free
 *	  of the result then fails inside the sandbox, after the copy-out)
 *	5 genuine buffer whose header then claims len_field elements
 *	6 genuine buffer, also free it before returning (dangling)
 *	7 genuine buffer, plus a leaked second one with a smashed header next
 *	  to it
 * mode & 8: hash the claimed payload into fz_st (may fault, contained).
 */
static void *
fz_forge(int64_t off, int64_t len_field, int64_t mode, size_t hdr, size_t elsz)
{
	unsigned char *p;
	uint32_t	n;

	fz_st.has_sum = 0;
	switch (mode & 7)
	{
		case 0:
			p = fz_genuine((uint32_t) (len_field & 0xffff), hdr, elsz);
			break;
		case 1:
			p = (unsigned char *) (uintptr_t) off;
			n = (uint32_t) len_field;
			memcpy(p, &n, 4);
			break;
		case 2:
			p = (unsigned char *) (uintptr_t) off;
			break;
		case 3:
			p = fz_genuine((uint32_t) (len_field & 0xff), hdr, elsz);
			p += (off % 8192) - 4096;
			break;
		case 4:
			p = fz_genuine((uint32_t) (len_field & 0xff), hdr, elsz);
			memset(p - 16, 0x5a, 16);
			break;
		case 5:
			p = fz_genuine((uint32_t) (off & 0xff), hdr, elsz);
			n = (uint32_t) len_field;
			memcpy(p, &n, 4);
			break;
		case 6:
			p = fz_genuine((uint32_t) (len_field & 0xff), hdr, elsz);
			free(p);
			break;
		default:
			{
				unsigned char *q;

				p = fz_genuine((uint32_t) (len_field & 0xff), hdr, elsz);
				q = fz_genuine(3, hdr, elsz);
				memset(q - 8, 0xff, 8);
			}
			break;
	}
	fz_st.ret_off = (uint64_t) (uint32_t) (uintptr_t) p;
	memcpy(&n, p, 4);
	fz_st.claimed = n;
	if (mode & 8)
	{
		fz_st.sum = fz_hash(FNV_INIT, p + hdr, (uint64_t) n * elsz);
		fz_st.has_sum = 1;
	}
	return p;
}

tmebox_buf *
forge_buf(int64_t off, int64_t len_field, int64_t mode)
{
	return fz_forge(off, len_field, mode, 4, 1);
}

tmebox_array_i32 *
forge_ai32(int64_t off, int64_t len_field, int64_t mode)
{
	return fz_forge(off, len_field, mode, 8, 4);
}

tmebox_array_i64 *
forge_ai64(int64_t off, int64_t len_field, int64_t mode)
{
	return fz_forge(off, len_field, mode, 8, 8);
}

tmebox_array_f64 *
forge_af64(int64_t off, int64_t len_field, int64_t mode)
{
	return fz_forge(off, len_field, mode, 8, 8);
}

/*
 * echo: mode 0 returns b itself; 1 returns it with its header replaced by
 * mode >> 8; 2 frees it, then returns it; 3 returns a copy.
 */
tmebox_buf *
echo(tmebox_buf *b, int64_t mode)
{
	fz_st.has_sum = 0;
	if (b == NULL)
		return NULL;
	switch (mode & 3)
	{
		case 1:
			b->len = (uint32_t) (mode >> 8);
			return b;
		case 2:
			free(b);
			return b;
		case 3:
			return tmebox_buf_from(b->data, b->len);
		default:
			return b;
	}
}

/* Hash of a buffer argument: length, bytes, terminating NUL; NULL hashes
 * a marker. */
static uint64_t
fz_hash_buf(uint64_t h, const tmebox_buf *b)
{
	if (b == NULL)
		return fz_hash_u64(h, UINT64_C(0xdead));
	h = fz_hash_u64(h, b->len);
	h = fz_hash(h, b->data, b->len);
	return fz_hash_u64(h, (uint64_t) (unsigned char) b->data[b->len]);
}

static uint64_t
fz_hash_arr(uint64_t h, const void *a, size_t elsz)
{
	uint32_t	n,
				pad;

	if (a == NULL)
		return fz_hash_u64(h, UINT64_C(0xdead));
	memcpy(&n, a, 4);
	memcpy(&pad, (const char *) a + 4, 4);
	h = fz_hash_u64(h, n);
	h = fz_hash_u64(h, pad);
	return fz_hash(h, (const char *) a + 8, (uint64_t) n * elsz);
}

/* Everything in registers: rt_fast_call. */
int64_t
take_all(const tmebox_buf *b, tmebox_array_i32 *x, tmebox_array_i64 *y,
		 tmebox_array_f64 *z, int16_t s, bool flag, float f, double d)
{
	uint64_t	h = FNV_INIT;

	h = fz_hash_buf(h, b);
	h = fz_hash_arr(h, x, 4);
	h = fz_hash_arr(h, y, 8);
	h = fz_hash_arr(h, z, 8);
	h = fz_hash_u64(h, (uint64_t) (int64_t) s);
	h = fz_hash_u64(h, flag ? 1 : 0);
	h = fz_hash(h, &f, sizeof(f));
	h = fz_hash(h, &d, sizeof(d));
	return (int64_t) h;
}

/* Seven integer-class and nine SSE arguments: the libffi path. */
int64_t
take_many(int64_t a1, int32_t a2, const tmebox_buf *b, int16_t a4, bool a5,
		  int64_t a6, tmebox_array_i64 *y, double d1, double d2, double d3,
		  double d4, double d5, double d6, double d7, double d8, float f9)
{
	uint64_t	h = FNV_INIT;

	h = fz_hash_u64(h, (uint64_t) a1);
	h = fz_hash_u64(h, (uint64_t) (int64_t) a2);
	h = fz_hash_buf(h, b);
	h = fz_hash_u64(h, (uint64_t) (int64_t) a4);
	h = fz_hash_u64(h, a5 ? 1 : 0);
	h = fz_hash_u64(h, (uint64_t) a6);
	h = fz_hash_arr(h, y, 8);
	h = fz_hash(h, &d1, 8);
	h = fz_hash(h, &d2, 8);
	h = fz_hash(h, &d3, 8);
	h = fz_hash(h, &d4, 8);
	h = fz_hash(h, &d5, 8);
	h = fz_hash(h, &d6, 8);
	h = fz_hash(h, &d7, 8);
	h = fz_hash(h, &d8, 8);
	h = fz_hash(h, &f9, 4);
	return (int64_t) h;
}

/* Scalar results of every width, straight from the arguments. */
int16_t
ret_i16(int64_t v)
{
	return (int16_t) v;
}

bool
ret_bool(int64_t v)
{
	return (v & 0xff) != 0;
}

float
ret_f32(double v)
{
	return (float) v;
}

/*
 * An array of buffers for fuzz_call's abuf step: one element per 8-byte
 * word of w (at most 64), chosen by the word's low 2 bits:
 *	0 a genuine buffer of (word >> 8) & 0xff bytes, byte j = j * 31 + 7
 *	1 the word itself as the element pointer (forged: anywhere, upper
 *	  bits too)
 *	2 the previous element again (an alias; NULL for the first)
 *	3 NULL
 * claim != 0: the header then claims claim elements (a lie).
 */
tmebox_array_buf *
forge_abuf(const tmebox_buf *w, int64_t claim)
{
	uint32_t	n = w->len / 8 > 64 ? 64 : w->len / 8;
	tmebox_array_buf *r = tmebox_array_buf_new(n);

	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	word;

		memcpy(&word, w->data + 8 * i, 8);
		switch (word & 3)
		{
			case 0:
				{
					uint32_t	len = (uint32_t) (word >> 8) & 0xff;
					tmebox_buf *b = tmebox_buf_new(len);

					for (uint32_t j = 0; j < len; j++)
						b->data[j] = (char) (j * 31 + 7);
					r->v[i] = b;
					break;
				}
			case 1:
				memcpy(&r->v[i], &word, 8);
				break;
			case 2:
				r->v[i] = i > 0 ? r->v[i - 1] : NULL;
				break;
			default:
				r->v[i] = NULL;
				break;
		}
	}
	if (claim != 0)
		r->n = (uint32_t) claim;
	return r;
}
