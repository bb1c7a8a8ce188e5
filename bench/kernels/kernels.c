/*-------------------------------------------------------------------------
 *
 * kernels.c
 *		The benchmark kernels: small, self-contained pieces of work of the
 *		kind user-defined functions do (string transforms, hashing,
 *		tokenizing and parsing, sorting, numeric loops, matrix work,
 *		compression, geometry).  The same file is compiled three ways:
 *		natively (clang-19 -O2), by tmebox-cc into a sandbox module, and
 *		for wasm32 (then wasm2c), see bench/Makefile.
 *
 * Interface: every kernel is
 *		int64_t k_NAME(int32_t n)
 * and returns a checksum of n repetitions of its work over an input it
 * generates on the first call.  Kernels are listed in kernels.def.
 *
 * Invariants:
 *	- Dependency-free: only <stdint.h>; no libc calls (the compiler may
 *	  still emit memcpy/memset, which every build provides).  No libm:
 *	  floating point uses + - * / and comparisons only.
 *	- Deterministic and identical in the three builds: inputs come from a
 *	  fixed xorshift generator, unsigned arithmetic where it may wrap,
 *	  floating point without contraction (-ffp-contract=off everywhere,
 *	  x86-64-v2 has no FMA anyway), no pointer values in checksums.
 *	- A call's result depends only on n: state kept between calls (the
 *	  generated inputs, tables) is never modified by the work itself.
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>

/* every function that is not a kernel is static (not exported by tmebox) */
#define KB_STATIC static

typedef union
{
	double		d;
	int64_t		i;
} kb_bits;

KB_STATIC uint32_t
kb_rand(uint32_t *s)
{
	uint32_t	x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

KB_STATIC uint64_t
kb_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

/*
 * Shared text input: 64 KiB of words (lower and upper case letters, digits),
 * separated by spaces and punctuation, with repetitions (so that LZ77 finds
 * matches and the word count has duplicates).
 */
#define KB_TEXT_LEN 65536
static char kb_text[KB_TEXT_LEN + 1];
static int	kb_text_ready;

static const char *const kb_words[] = {
	"select", "from", "where", "tenant", "sandbox", "Postgres", "value",
	"index", "memory", "row", "column", "view", "Function", "call", "trusted",
	"segment", "x86", "encrypt", "key", "page", "2025", "query", "plan",
	"join", "hash", "sort", "group", "Merge", "scan", "tuple", "buffer", "wal"
};

KB_STATIC void
kb_text_init(void)
{
	uint32_t	s = 12345;
	int			i = 0;

	if (kb_text_ready)
		return;
	while (i < KB_TEXT_LEN)
	{
		uint32_t	r = kb_rand(&s);
		const char *w;
		char		rnd[12];
		int			wl;

		if (r % 4 == 0)
		{
			/* a random word */
			int			k;

			wl = 2 + (r >> 8) % 9;
			for (k = 0; k < wl; k++)
				rnd[k] = 'a' + kb_rand(&s) % 26;
			w = rnd;
		}
		else
		{
			w = kb_words[(r >> 4) % (sizeof(kb_words) / sizeof(kb_words[0]))];
			for (wl = 0; w[wl]; wl++)
				;
		}
		for (int k = 0; k < wl && i < KB_TEXT_LEN; k++)
			kb_text[i++] = w[k];
		if (i < KB_TEXT_LEN)
		{
			uint32_t	p = (r >> 12) % 16;

			kb_text[i++] = p == 0 ? ',' : p == 1 ? '.' : p == 2 ? '\n' : ' ';
		}
	}
	kb_text[KB_TEXT_LEN] = '\0';
	kb_text_ready = 1;
}

/* ---- 1. string transform: upper-case + reverse + initcap ---- */

static char kb_out[KB_TEXT_LEN + 16];

int64_t
k_str_transform(int32_t n)
{
	uint64_t	h = 0;

	kb_text_init();
	for (int32_t it = 0; it < n; it++)
	{
		int			start = 1;

		for (int i = 0; i < KB_TEXT_LEN; i++)
		{
			char		c = kb_text[KB_TEXT_LEN - 1 - i];

			if (c >= 'a' && c <= 'z')
			{
				if (!start && ((i + it) & 1))
					c -= 'a' - 'A';
				else if (start)
					c -= 'a' - 'A';
				start = 0;
			}
			else if (c >= 'A' && c <= 'Z')
				start = 0;
			else
				start = 1;
			kb_out[i] = c;
		}
		for (int i = 0; i < KB_TEXT_LEN; i += 8)
		{
			uint64_t	v = 0;

			for (int k = 0; k < 8; k++)
				v = (v << 8) | (unsigned char) kb_out[i + k];
			h = kb_mix(h, v);
		}
	}
	return (int64_t) h;
}

/* ---- 2. FNV-1a 64 over the text ---- */

int64_t
k_fnv1a(int32_t n)
{
	uint64_t	acc = 0;

	kb_text_init();
	for (int32_t it = 0; it < n; it++)
	{
		uint64_t	h = 0xcbf29ce484222325ULL ^ (uint64_t) it;

		for (int i = 0; i < KB_TEXT_LEN; i++)
		{
			h ^= (unsigned char) kb_text[i];
			h *= 0x100000001b3ULL;
		}
		acc += h;
	}
	return (int64_t) acc;
}

/* ---- 3. CRC-32 (IEEE, table driven) ---- */

static uint32_t kb_crc_table[256];
static int	kb_crc_ready;

int64_t
k_crc32(int32_t n)
{
	uint64_t	acc = 0;

	kb_text_init();
	if (!kb_crc_ready)
	{
		for (uint32_t i = 0; i < 256; i++)
		{
			uint32_t	c = i;

			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
			kb_crc_table[i] = c;
		}
		kb_crc_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		uint32_t	c = 0xffffffffu ^ (uint32_t) it;

		for (int i = 0; i < KB_TEXT_LEN; i++)
			c = kb_crc_table[(c ^ (unsigned char) kb_text[i]) & 0xff] ^ (c >> 8);
		acc = acc * 31 + (c ^ 0xffffffffu);
	}
	return (int64_t) acc;
}

/* ---- 4. SHA-256 of 16 KiB ---- */

static const uint32_t kb_sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define KB_ROR(x, r) (((x) >> (r)) | ((x) << (32 - (r))))

KB_STATIC void
kb_sha256_block(uint32_t st[8], const unsigned char *p)
{
	uint32_t	w[64];
	uint32_t	a, b, c, d, e, f, g, h;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16 |
			(uint32_t) p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++)
	{
		uint32_t	s0 = KB_ROR(w[i - 15], 7) ^ KB_ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t	s1 = KB_ROR(w[i - 2], 17) ^ KB_ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = st[0]; b = st[1]; c = st[2]; d = st[3];
	e = st[4]; f = st[5]; g = st[6]; h = st[7];
	for (int i = 0; i < 64; i++)
	{
		uint32_t	t1 = h + (KB_ROR(e, 6) ^ KB_ROR(e, 11) ^ KB_ROR(e, 25)) +
		((e & f) ^ (~e & g)) + kb_sha_k[i] + w[i];
		uint32_t	t2 = (KB_ROR(a, 2) ^ KB_ROR(a, 13) ^ KB_ROR(a, 22)) +
		((a & b) ^ (a & c) ^ (b & c));

		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	st[0] += a; st[1] += b; st[2] += c; st[3] += d;
	st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

int64_t
k_sha256(int32_t n)
{
	uint64_t	acc = 0;
	const int	len = 16384;

	kb_text_init();
	for (int32_t it = 0; it < n; it++)
	{
		uint32_t	st[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
		unsigned char last[64];
		uint64_t	bits = (uint64_t) len * 8;

		for (int off = 0; off < len; off += 64)
			kb_sha256_block(st, (const unsigned char *) kb_text + off + (it & 7));
		/* padding block of an exact multiple of 64 bytes */
		for (int i = 0; i < 64; i++)
			last[i] = 0;
		last[0] = 0x80;
		for (int i = 0; i < 8; i++)
			last[63 - i] = (unsigned char) (bits >> (8 * i));
		kb_sha256_block(st, last);
		for (int i = 0; i < 8; i++)
			acc = kb_mix(acc, st[i]);
	}
	return (int64_t) acc;
}

/* ---- 5. tokenizer + word count (open-addressing hash table) ---- */

#define KB_WT_SIZE 8192
static uint32_t kb_wt_hash[KB_WT_SIZE];
static uint32_t kb_wt_count[KB_WT_SIZE];

int64_t
k_tokenize(int32_t n)
{
	uint64_t	acc = 0;

	kb_text_init();
	for (int32_t it = 0; it < n; it++)
	{
		int			ntok = 0,
					ndistinct = 0,
					maxcount = 0;

		for (int i = 0; i < KB_WT_SIZE; i++)
			kb_wt_hash[i] = 0;
		for (int i = 0; i < KB_TEXT_LEN;)
		{
			uint32_t	h = 2166136261u;
			int			len = 0;
			uint32_t	slot;

			while (i < KB_TEXT_LEN)
			{
				char		c = kb_text[i];

				if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
					(c >= '0' && c <= '9'))
					break;
				i++;
			}
			while (i < KB_TEXT_LEN)
			{
				char		c = kb_text[i];

				if (c >= 'A' && c <= 'Z')
					c += 'a' - 'A';
				else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
					break;
				h = (h ^ (unsigned char) c) * 16777619u;
				len++;
				i++;
			}
			if (len == 0)
				break;
			h |= 1;				/* 0 marks an empty slot */
			ntok++;
			slot = h & (KB_WT_SIZE - 1);
			while (kb_wt_hash[slot] != 0 && kb_wt_hash[slot] != h)
				slot = (slot + 1) & (KB_WT_SIZE - 1);
			if (kb_wt_hash[slot] == 0)
			{
				kb_wt_hash[slot] = h;
				kb_wt_count[slot] = 0;
				ndistinct++;
			}
			if ((int) ++kb_wt_count[slot] > maxcount)
				maxcount = kb_wt_count[slot];
		}
		acc = kb_mix(acc, (uint64_t) ntok << 32 | (uint64_t) ndistinct << 16 | maxcount);
	}
	return (int64_t) acc;
}

/* ---- 6. CSV parsing: integers and fixed-point decimals ---- */

#define KB_CSV_LEN 65536
static char kb_csv[KB_CSV_LEN + 64];
static int	kb_csv_len;

KB_STATIC int
kb_put_int(char *p, int64_t v)
{
	char		tmp[24];
	int			n = 0,
				k = 0;
	uint64_t	u = v < 0 ? (uint64_t) 0 - (uint64_t) v : (uint64_t) v;

	if (v < 0)
		p[k++] = '-';
	do
	{
		tmp[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (n)
		p[k++] = tmp[--n];
	return k;
}

int64_t
k_csv_parse(int32_t n)
{
	uint64_t	acc = 0;

	if (kb_csv_len == 0)
	{
		uint32_t	s = 777;
		int			len = 0;

		while (len < KB_CSV_LEN - 64)
		{
			len += kb_put_int(kb_csv + len, (int32_t) kb_rand(&s) % 1000000);
			kb_csv[len++] = ',';
			len += kb_put_int(kb_csv + len, (int32_t) (kb_rand(&s) % 20000) - 10000);
			kb_csv[len++] = '.';
			len += kb_put_int(kb_csv + len, 10 + kb_rand(&s) % 90);
			kb_csv[len++] = ',';
			kb_csv[len++] = '"';
			for (int k = kb_rand(&s) % 8; k >= 0; k--)
				kb_csv[len++] = 'a' + kb_rand(&s) % 26;
			kb_csv[len++] = '"';
			kb_csv[len++] = '\n';
		}
		kb_csv_len = len;
	}
	for (int32_t it = 0; it < n; it++)
	{
		int64_t		isum = 0,
					dsum = 0;
		int			rows = 0,
					slen = 0;
		const char *p = kb_csv,
				   *end = kb_csv + kb_csv_len;

		while (p < end)
		{
			int64_t		v = 0,
						frac = 0;
			int			neg = 0;

			/* field 1: integer */
			if (*p == '-')
				neg = 1, p++;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			isum += neg ? -v : v;
			p++;				/* ',' */
			/* field 2: decimal with 2 fractional digits, kept in cents */
			neg = 0;
			v = 0;
			if (*p == '-')
				neg = 1, p++;
			while (*p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			if (*p == '.')
			{
				p++;
				while (*p >= '0' && *p <= '9')
					frac = frac * 10 + (*p++ - '0');
			}
			v = v * 100 + frac;
			dsum += neg ? -v : v;
			p++;				/* ',' */
			/* field 3: quoted string */
			if (*p == '"')
			{
				p++;
				while (*p != '"')
					p++, slen++;
				p++;
			}
			p++;				/* '\n' */
			rows++;
		}
		acc = kb_mix(acc, (uint64_t) isum ^ ((uint64_t) dsum << 20) ^
					 ((uint64_t) rows << 40) ^ (uint64_t) slen ^ (uint64_t) it);
	}
	return (int64_t) acc;
}

/* ---- 7. JSON scanning: structure, strings, numbers ---- */

#define KB_JSON_LEN 65536
static char kb_json[KB_JSON_LEN + 256];
static int	kb_json_len;

int64_t
k_json_scan(int32_t n)
{
	uint64_t	acc = 0;

	if (kb_json_len == 0)
	{
		uint32_t	s = 4242;
		int			len = 0,
					depth = 0;

		kb_json[len++] = '[';
		while (len < KB_JSON_LEN - 200)
		{
			uint32_t	r = kb_rand(&s) % 10;

			if (r < 3 && depth < 6)
			{
				kb_json[len++] = '{';
				depth++;
			}
			else if (r < 5 && depth > 0)
			{
				kb_json[len++] = '}';
				depth--;
				if (len < KB_JSON_LEN - 200)
					kb_json[len++] = ',';
				continue;
			}
			kb_json[len++] = '"';
			for (int k = 1 + kb_rand(&s) % 8; k > 0; k--)
			{
				uint32_t	c = kb_rand(&s) % 40;

				if (c == 0)
				{
					kb_json[len++] = '\\';
					kb_json[len++] = 'n';
				}
				else
					kb_json[len++] = 'a' + c % 26;
			}
			kb_json[len++] = '"';
			kb_json[len++] = ':';
			len += kb_put_int(kb_json + len, (int32_t) (kb_rand(&s) % 200000) - 100000);
			kb_json[len++] = ',';
		}
		kb_json[len++] = '0';
		while (depth-- > 0)
			kb_json[len++] = '}';
		kb_json[len++] = ']';
		kb_json_len = len;
	}
	for (int32_t it = 0; it < n; it++)
	{
		int			depth = 0,
					maxdepth = 0,
					nstr = 0,
					nnum = 0,
					nesc = 0,
					strbytes = 0;
		int64_t		numsum = 0;

		for (int i = 0; i < kb_json_len; i++)
		{
			char		c = kb_json[i];

			switch (c)
			{
				case '{':
				case '[':
					if (++depth > maxdepth)
						maxdepth = depth;
					break;
				case '}':
				case ']':
					depth--;
					break;
				case '"':
					nstr++;
					for (i++; kb_json[i] != '"'; i++)
					{
						if (kb_json[i] == '\\')
						{
							nesc++;
							i++;
						}
						strbytes++;
					}
					break;
				case '-':
				case '0': case '1': case '2': case '3': case '4':
				case '5': case '6': case '7': case '8': case '9':
					{
						int			neg = c == '-';
						int64_t		v = 0;

						if (neg)
							i++;
						while (kb_json[i] >= '0' && kb_json[i] <= '9')
							v = v * 10 + (kb_json[i++] - '0');
						i--;
						numsum += neg ? -v : v;
						nnum++;
					}
					break;
				default:
					break;
			}
		}
		acc = kb_mix(acc, (uint64_t) numsum + (uint64_t) it);
		acc = kb_mix(acc, (uint64_t) maxdepth << 48 | (uint64_t) nstr << 32 |
					 (uint64_t) nnum << 16 | (uint64_t) (nesc + strbytes + depth));
	}
	return (int64_t) acc;
}

/* ---- 8. quicksort of 32-bit integers ---- */

#define KB_QS_N 32768
static int32_t kb_qs_in[KB_QS_N];
static int32_t kb_qs_work[KB_QS_N];
static int	kb_qs_ready;

KB_STATIC void
kb_qsort(int32_t *a, int lo, int hi)
{
	while (hi - lo > 16)
	{
		int			mid = lo + (hi - lo) / 2;
		int32_t		x = a[lo],
					y = a[mid],
					z = a[hi];
		int32_t		pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		int			i = lo,
					j = hi;

		while (i <= j)
		{
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j)
			{
				int32_t		t = a[i];

				a[i] = a[j];
				a[j] = t;
				i++;
				j--;
			}
		}
		/* recurse into the smaller part, loop on the larger */
		if (j - lo < hi - i)
		{
			kb_qsort(a, lo, j);
			lo = i;
		}
		else
		{
			kb_qsort(a, i, hi);
			hi = j;
		}
	}
	for (int i = lo + 1; i <= hi; i++)
	{
		int32_t		v = a[i];
		int			j = i - 1;

		while (j >= lo && a[j] > v)
		{
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

int64_t
k_qsort(int32_t n)
{
	uint64_t	acc = 0;

	if (!kb_qs_ready)
	{
		uint32_t	s = 99;

		for (int i = 0; i < KB_QS_N; i++)
			kb_qs_in[i] = (int32_t) kb_rand(&s);
		kb_qs_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		for (int i = 0; i < KB_QS_N; i++)
			kb_qs_work[i] = kb_qs_in[i] ^ it;
		kb_qsort(kb_qs_work, 0, KB_QS_N - 1);
		for (int i = 1; i < KB_QS_N; i++)
			if (kb_qs_work[i - 1] > kb_qs_work[i])
				return -1;
		for (int i = 0; i < KB_QS_N; i += 97)
			acc = kb_mix(acc, (uint32_t) kb_qs_work[i]);
	}
	return (int64_t) acc;
}

/* ---- 9. merge sort of strings (indices into a string pool) ---- */

#define KB_SS_N 4096
static uint16_t kb_ss_off[KB_SS_N];
static uint16_t kb_ss_idx[KB_SS_N];
static uint16_t kb_ss_tmp[KB_SS_N];
static char kb_ss_pool[KB_SS_N * 12];
static int	kb_ss_ready;

KB_STATIC int
kb_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char) *a - (unsigned char) *b;
}

int64_t
k_sort_strings(int32_t n)
{
	uint64_t	acc = 0;

	if (!kb_ss_ready)
	{
		uint32_t	s = 31337;
		int			off = 0;

		for (int i = 0; i < KB_SS_N; i++)
		{
			int			len = 3 + kb_rand(&s) % 8;

			kb_ss_off[i] = (uint16_t) off;
			/* a small alphabet makes long common prefixes */
			for (int k = 0; k < len; k++)
				kb_ss_pool[off++] = 'a' + kb_rand(&s) % 4;
			kb_ss_pool[off++] = '\0';
		}
		kb_ss_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		for (int i = 0; i < KB_SS_N; i++)
			kb_ss_idx[i] = (uint16_t) ((i * 7 + it) % KB_SS_N);
		/* bottom-up merge sort, stable */
		for (int width = 1; width < KB_SS_N; width *= 2)
		{
			for (int lo = 0; lo < KB_SS_N; lo += 2 * width)
			{
				int			mid = lo + width < KB_SS_N ? lo + width : KB_SS_N;
				int			hi = lo + 2 * width < KB_SS_N ? lo + 2 * width : KB_SS_N;
				int			i = lo,
							j = mid,
							k = lo;

				while (i < mid && j < hi)
				{
					if (kb_strcmp(kb_ss_pool + kb_ss_off[kb_ss_idx[j]],
								  kb_ss_pool + kb_ss_off[kb_ss_idx[i]]) < 0)
						kb_ss_tmp[k++] = kb_ss_idx[j++];
					else
						kb_ss_tmp[k++] = kb_ss_idx[i++];
				}
				while (i < mid)
					kb_ss_tmp[k++] = kb_ss_idx[i++];
				while (j < hi)
					kb_ss_tmp[k++] = kb_ss_idx[j++];
			}
			for (int i = 0; i < KB_SS_N; i++)
				kb_ss_idx[i] = kb_ss_tmp[i];
		}
		for (int i = 0; i < KB_SS_N; i += 13)
			acc = kb_mix(acc, kb_ss_idx[i]);
	}
	return (int64_t) acc;
}

/* ---- 10. Mandelbrot set (double-precision numeric loop) ---- */

int64_t
k_mandelbrot(int32_t n)
{
	uint64_t	acc = 0;

	for (int32_t it = 0; it < n; it++)
	{
		int64_t		total = 0;

		for (int py = 0; py < 64; py++)
		{
			double		ci = -1.2 + 2.4 * py / 64.0;

			for (int px = 0; px < 96; px++)
			{
				double		cr = -2.1 + 3.0 * px / 96.0 + it * 1e-9;
				double		zr = 0,
							zi = 0;
				int			k = 0;

				while (k < 256 && zr * zr + zi * zi <= 4.0)
				{
					double		t = zr * zr - zi * zi + cr;

					zi = 2.0 * zr * zi + ci;
					zr = t;
					k++;
				}
				total += k;
			}
		}
		acc = kb_mix(acc, (uint64_t) total);
	}
	return (int64_t) acc;
}

/* ---- 11. matrix multiply (double, 96 x 96, i-k-j order) ---- */

#define KB_MM_N 96
static double kb_mm_a[KB_MM_N * KB_MM_N];
static double kb_mm_b[KB_MM_N * KB_MM_N];
static double kb_mm_c[KB_MM_N * KB_MM_N];
static int	kb_mm_ready;

int64_t
k_matmul(int32_t n)
{
	uint64_t	acc = 0;

	if (!kb_mm_ready)
	{
		uint32_t	s = 2718;

		for (int i = 0; i < KB_MM_N * KB_MM_N; i++)
		{
			kb_mm_a[i] = (double) (kb_rand(&s) % 2001) / 1000.0 - 1.0;
			kb_mm_b[i] = (double) (kb_rand(&s) % 2001) / 1000.0 - 1.0;
		}
		kb_mm_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		kb_bits		sum;

		for (int i = 0; i < KB_MM_N * KB_MM_N; i++)
			kb_mm_c[i] = 0.0;
		for (int i = 0; i < KB_MM_N; i++)
			for (int k = 0; k < KB_MM_N; k++)
			{
				double		aik = kb_mm_a[i * KB_MM_N + k] + it;

				for (int j = 0; j < KB_MM_N; j++)
					kb_mm_c[i * KB_MM_N + j] += aik * kb_mm_b[k * KB_MM_N + j];
			}
		sum.d = 0;
		for (int i = 0; i < KB_MM_N * KB_MM_N; i++)
			sum.d += kb_mm_c[i];
		acc = kb_mix(acc, (uint64_t) sum.i);
	}
	return (int64_t) acc;
}

/* ---- 12. LZ77 compression + decompression round trip ---- */

#define KB_LZ_HBITS 12
static uint16_t kb_lz_head[1 << KB_LZ_HBITS];
static unsigned char kb_lz_comp[KB_TEXT_LEN * 2];
static char kb_lz_dec[KB_TEXT_LEN + 16];

/*
 * Format: a literal run byte L (1..127) followed by L bytes, or a match
 * byte 0x80|(len-4) (len 4..131) followed by a 16-bit distance.
 */
int64_t
k_lz77(int32_t n)
{
	uint64_t	acc = 0;
	const unsigned char *in = (const unsigned char *) kb_text;

	kb_text_init();
	for (int32_t it = 0; it < n; it++)
	{
		int			ip = 0,
					op = 0,
					lit_start = 0,
					dp = 0;

		for (int i = 0; i < (1 << KB_LZ_HBITS); i++)
			kb_lz_head[i] = 0xffff;
		while (ip + 4 <= KB_TEXT_LEN)
		{
			uint32_t	v = in[ip] | in[ip + 1] << 8 | in[ip + 2] << 16 | (uint32_t) in[ip + 3] << 24;
			uint32_t	h = (v * 2654435761u) >> (32 - KB_LZ_HBITS);
			int			cand = kb_lz_head[h];
			int			len = 0;

			kb_lz_head[h] = (uint16_t) ip;
			if (cand != 0xffff && cand < ip && ip - cand < 65536)
			{
				while (ip + len < KB_TEXT_LEN && len < 131 && in[cand + len] == in[ip + len])
					len++;
			}
			if (len >= 4)
			{
				int			dist = ip - cand;

				while (lit_start < ip)
				{
					int			run = ip - lit_start > 127 ? 127 : ip - lit_start;

					kb_lz_comp[op++] = (unsigned char) run;
					for (int k = 0; k < run; k++)
						kb_lz_comp[op++] = in[lit_start + k];
					lit_start += run;
				}
				kb_lz_comp[op++] = (unsigned char) (0x80 | (len - 4));
				kb_lz_comp[op++] = (unsigned char) dist;
				kb_lz_comp[op++] = (unsigned char) (dist >> 8);
				ip += len;
				lit_start = ip;
			}
			else
				ip++;
		}
		ip = KB_TEXT_LEN;
		while (lit_start < ip)
		{
			int			run = ip - lit_start > 127 ? 127 : ip - lit_start;

			kb_lz_comp[op++] = (unsigned char) run;
			for (int k = 0; k < run; k++)
				kb_lz_comp[op++] = in[lit_start + k];
			lit_start += run;
		}
		/* decompress */
		for (int cp = 0; cp < op;)
		{
			unsigned char t = kb_lz_comp[cp++];

			if (t & 0x80)
			{
				int			len = (t & 0x7f) + 4;
				int			dist = kb_lz_comp[cp] | kb_lz_comp[cp + 1] << 8;

				cp += 2;
				for (int k = 0; k < len; k++, dp++)
					kb_lz_dec[dp] = kb_lz_dec[dp - dist];
			}
			else
			{
				for (int k = 0; k < t; k++)
					kb_lz_dec[dp++] = (char) kb_lz_comp[cp++];
			}
		}
		if (dp != KB_TEXT_LEN)
			return -1;
		for (int i = 0; i < KB_TEXT_LEN; i++)
			if (kb_lz_dec[i] != kb_text[i])
				return -2;
		acc = kb_mix(acc, (uint64_t) op + (uint64_t) it);
	}
	return (int64_t) acc;
}

/* ---- 13. base64 encode + decode round trip ---- */

static const char kb_b64[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static char kb_b64_enc[KB_TEXT_LEN * 4 / 3 + 8];
static char kb_b64_dec[KB_TEXT_LEN];
static signed char kb_b64_rev[256];
static int	kb_b64_ready;

int64_t
k_base64(int32_t n)
{
	uint64_t	acc = 0;
	const int	len = 49152;		/* a multiple of 3 */

	kb_text_init();
	if (!kb_b64_ready)
	{
		for (int i = 0; i < 256; i++)
			kb_b64_rev[i] = -1;
		for (int i = 0; i < 64; i++)
			kb_b64_rev[(unsigned char) kb_b64[i]] = (signed char) i;
		kb_b64_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		const unsigned char *in = (const unsigned char *) kb_text + (it & 15);
		int			o = 0,
					d = 0;
		uint32_t	h = 0;

		for (int i = 0; i < len; i += 3)
		{
			uint32_t	v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];

			kb_b64_enc[o++] = kb_b64[v >> 18];
			kb_b64_enc[o++] = kb_b64[(v >> 12) & 63];
			kb_b64_enc[o++] = kb_b64[(v >> 6) & 63];
			kb_b64_enc[o++] = kb_b64[v & 63];
		}
		for (int i = 0; i < o; i += 4)
		{
			int			a = kb_b64_rev[(unsigned char) kb_b64_enc[i]],
						b = kb_b64_rev[(unsigned char) kb_b64_enc[i + 1]],
						c = kb_b64_rev[(unsigned char) kb_b64_enc[i + 2]],
						e = kb_b64_rev[(unsigned char) kb_b64_enc[i + 3]];
			uint32_t	v;

			if ((a | b | c | e) < 0)
				return -1;
			v = (uint32_t) a << 18 | (uint32_t) b << 12 | (uint32_t) c << 6 | (uint32_t) e;
			kb_b64_dec[d++] = (char) (v >> 16);
			kb_b64_dec[d++] = (char) (v >> 8);
			kb_b64_dec[d++] = (char) v;
		}
		for (int i = 0; i < d; i++)
		{
			if (kb_b64_dec[i] != (char) in[i])
				return -2;
			h = h * 31 + (unsigned char) kb_b64_enc[i];
		}
		acc = kb_mix(acc, h);
	}
	return (int64_t) acc;
}

/* ---- 14. geometry: point in polygon (ray casting) + shoelace area ---- */

#define KB_PG_N 64
#define KB_PT_N 8192
static double kb_pg_x[KB_PG_N],
			kb_pg_y[KB_PG_N];
static double kb_pt_x[KB_PT_N],
			kb_pt_y[KB_PT_N];
static int	kb_pg_ready;

int64_t
k_point_in_polygon(int32_t n)
{
	uint64_t	acc = 0;

	if (!kb_pg_ready)
	{
		uint32_t	s = 1618;
		/* star-shaped polygon: vertices on rays at regular angles, with
		 * direction vectors from a table of (cos, sin) built by rotation */
		double		c = 1.0,
					si = 0.0;
		const double dc = 0.99518472667219688624;	/* cos(2 pi / 64) */
		const double ds = 0.09801714032956060199;	/* sin(2 pi / 64) */

		for (int i = 0; i < KB_PG_N; i++)
		{
			double		r = 50.0 + (kb_rand(&s) % 5000) / 100.0;
			double		t;

			kb_pg_x[i] = r * c;
			kb_pg_y[i] = r * si;
			t = c * dc - si * ds;
			si = si * dc + c * ds;
			c = t;
		}
		for (int i = 0; i < KB_PT_N; i++)
		{
			kb_pt_x[i] = (kb_rand(&s) % 20001) / 100.0 - 100.0;
			kb_pt_y[i] = (kb_rand(&s) % 20001) / 100.0 - 100.0;
		}
		kb_pg_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		int			inside = 0;
		kb_bits		area;
		double		shift = it * 0.001;

		for (int p = 0; p < KB_PT_N; p++)
		{
			double		px = kb_pt_x[p] + shift,
						py = kb_pt_y[p];
			int			in = 0;

			for (int i = 0, j = KB_PG_N - 1; i < KB_PG_N; j = i++)
			{
				if ((kb_pg_y[i] > py) != (kb_pg_y[j] > py) &&
					px < (kb_pg_x[j] - kb_pg_x[i]) * (py - kb_pg_y[i]) /
					(kb_pg_y[j] - kb_pg_y[i]) + kb_pg_x[i])
					in = !in;
			}
			inside += in;
		}
		area.d = 0;
		for (int i = 0, j = KB_PG_N - 1; i < KB_PG_N; j = i++)
			area.d += (kb_pg_x[j] + shift) * kb_pg_y[i] - (kb_pg_x[i] + shift) * kb_pg_y[j];
		acc = kb_mix(acc, (uint64_t) inside);
		acc = kb_mix(acc, (uint64_t) area.i);
	}
	return (int64_t) acc;
}

/* ---- 15. Levenshtein edit distance (two-row dynamic programming) ---- */

#define KB_LV_MAX 64
static int	kb_lv_row0[KB_LV_MAX + 1],
			kb_lv_row1[KB_LV_MAX + 1];

KB_STATIC int
kb_levenshtein(const char *a, int la, const char *b, int lb)
{
	int		   *prev = kb_lv_row0,
			   *cur = kb_lv_row1;

	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++)
	{
		int		   *t;

		cur[0] = i;
		for (int j = 1; j <= lb; j++)
		{
			int			del = prev[j] + 1,
						ins = cur[j - 1] + 1,
						sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int			m = del < ins ? del : ins;

			cur[j] = m < sub ? m : sub;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

int64_t
k_levenshtein(int32_t n)
{
	uint64_t	acc = 0;

	kb_text_init();
	for (int32_t it = 0; it < n; it++)
	{
		int			total = 0;

		for (int p = 0; p < 128; p++)
		{
			int			oa = (p * 509 + it) % (KB_TEXT_LEN - KB_LV_MAX),
						ob = (p * 1021 + 7) % (KB_TEXT_LEN - KB_LV_MAX);

			total += kb_levenshtein(kb_text + oa, 24 + p % 40,
									kb_text + ob, 20 + (p * 3) % 44);
		}
		acc = kb_mix(acc, (uint64_t) total);
	}
	return (int64_t) acc;
}

/* ---- 16. hash aggregation: GROUP BY key, count and sum ---- */

#define KB_HA_ROWS 65536
#define KB_HA_SIZE 16384
static uint32_t kb_ha_rowkey[KB_HA_ROWS];
static int32_t kb_ha_rowval[KB_HA_ROWS];
static uint32_t kb_ha_key[KB_HA_SIZE];
static int64_t kb_ha_sum[KB_HA_SIZE];
static uint32_t kb_ha_cnt[KB_HA_SIZE];
static int	kb_ha_ready;

int64_t
k_hash_agg(int32_t n)
{
	uint64_t	acc = 0;

	if (!kb_ha_ready)
	{
		uint32_t	s = 555;

		for (int i = 0; i < KB_HA_ROWS; i++)
		{
			kb_ha_rowkey[i] = 1 + kb_rand(&s) % 6000;
			kb_ha_rowval[i] = (int32_t) (kb_rand(&s) % 100000) - 50000;
		}
		kb_ha_ready = 1;
	}
	for (int32_t it = 0; it < n; it++)
	{
		int			groups = 0;
		uint64_t	h = 0;

		for (int i = 0; i < KB_HA_SIZE; i++)
			kb_ha_key[i] = 0;
		for (int i = 0; i < KB_HA_ROWS; i++)
		{
			uint32_t	k = kb_ha_rowkey[i] ^ (uint32_t) it;
			uint32_t	slot = (k * 2654435761u) >> 18;

			if (k == 0)
				k = 0x80000000u;
			while (kb_ha_key[slot] != 0 && kb_ha_key[slot] != k)
				slot = (slot + 1) & (KB_HA_SIZE - 1);
			if (kb_ha_key[slot] == 0)
			{
				kb_ha_key[slot] = k;
				kb_ha_sum[slot] = 0;
				kb_ha_cnt[slot] = 0;
				groups++;
			}
			kb_ha_sum[slot] += kb_ha_rowval[i];
			kb_ha_cnt[slot]++;
		}
		for (int i = 0; i < KB_HA_SIZE; i++)
			if (kb_ha_key[i] != 0)
				h += (uint64_t) kb_ha_key[i] * (uint64_t) kb_ha_sum[i] + kb_ha_cnt[i];
		acc = kb_mix(acc, h + (uint64_t) groups);
	}
	return (int64_t) acc;
}

/* ---- 17. sieve of Eratosthenes (integer loop, byte array) ---- */

#define KB_SV_N 262144
static unsigned char kb_sv[KB_SV_N];

int64_t
k_sieve(int32_t n)
{
	uint64_t	acc = 0;

	for (int32_t it = 0; it < n; it++)
	{
		int			limit = KB_SV_N - (it & 255);
		int			count = 0;
		uint64_t	sum = 0;

		for (int i = 0; i < limit; i++)
			kb_sv[i] = 1;
		kb_sv[0] = kb_sv[1] = 0;
		for (int i = 2; i * i < limit; i++)
			if (kb_sv[i])
				for (int j = i * i; j < limit; j += i)
					kb_sv[j] = 0;
		for (int i = 0; i < limit; i++)
			if (kb_sv[i])
			{
				count++;
				sum += (uint64_t) i;
			}
		acc = kb_mix(acc, sum ^ (uint64_t) count);
	}
	return (int64_t) acc;
}
