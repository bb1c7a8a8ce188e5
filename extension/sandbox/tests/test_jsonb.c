/*-------------------------------------------------------------------------
 *
 * test_jsonb.c
 *		tmebox_json.h's reader of binary jsonb against documents PostgreSQL
 *		15 wrote (their bytes as the sql/jsonb.sql function raw() returns
 *		them): each walked whole prints jsonb_out's text; then every cut,
 *		every 4-byte overwrite with values that break offsets, counts,
 *		types and flags, and 20 000 random damages of each, placed so that
 *		the document's last byte is the last before an inaccessible page:
 *		the reader must give a value or raise "malformed jsonb", and a
 *		read past the document faults (ends the run).
 *
 * Invariants: every host error is caught with tmb_catch; the documents
 * are copies, the table stays intact.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tmb.h"
#include "../include/tmebox_json.h"

extern tmebox_json tmb_tmebox_jsonb_root(const tmebox_jsonb *doc);
extern const char *tmb_tmebox_json_type_name(tmebox_json v);
extern tmebox_json tmb_tmebox_json_get(tmebox_json obj, const char *key);
extern tmebox_json tmb_tmebox_json_getn(tmebox_json obj, const char *key, uint32_t len);
extern tmebox_json tmb_tmebox_json_at(tmebox_json arr, uint32_t i);
extern uint32_t tmb_tmebox_json_count(tmebox_json v);
extern void tmb_tmebox_json_iter_init(tmebox_json_iter *it, tmebox_json c);
extern bool tmb_tmebox_json_next(tmebox_json_iter *it, tmebox_json *k, tmebox_json *v);
extern const char *tmb_tmebox_json_str(tmebox_json v, uint32_t *len);
extern bool tmb_tmebox_json_streq(tmebox_json v, const char *s);
extern int	tmb_tmebox_json_bool(tmebox_json v);
extern int	tmb_tmebox_json_number_text(tmebox_json v, char *out, uint32_t cap);
extern bool tmb_tmebox_json_int64(tmebox_json v, int64_t *out);
extern bool tmb_tmebox_json_double(tmebox_json v, double *out);
extern void *tmb_tmebox_json_numeric(tmebox_json v);

/* PostgreSQL's text and binary form of each document */
static const struct
{
	const char *text;
	const char *hex;
}			docs[] = {
	{"null",
		"01000050000000c0"},
	{"true",
		"01000050000000b0"},
	{"false",
		"01000050000000a0"},
	{"0",
		"0100005006000090180000000080"},
	{"-12.50",
		"010000500a0000902800000000a10c008813"},
	{"\"a string\"",
		"01000050080000806120737472696e67"},
	{"\"\"",
		"0100005000000080"},
	{"{}",
		"00000020"},
	{"[]",
		"00000040"},
	{"[[]]",
		"01000040040000d000000040"},
	{"{\"a\": {}}",
		"0100002001000080070000506100000000000020"},
	{"{\"a\": [1, \"two\", 3.0, null, true, false, {\"c\": [[], {}]}], \"b\": 1, \"longer key\": {\"x\": -0.0000001}}",
		"0300002001000080010000000a00000058000050080000101800005061626c6f6e676572"
		"206b65790700004008000090030000000900001000000040000000300000002024000050"
		"200000000080010074776f00200000008080030001000020010000801700005063000000"
		"02000040040000d004000050000000400000002020000000008001000100002001000080"
		"0b0000107800000020000000fea30a00"},
	{"{\"\346\227\245\346\234\254\": \"\350\252\236\", \"tab\\tkey\": \"line\\nbreak \\\"quoted\\\" back\\\\slash \\u0001\", \"\320\272\320\273\321\216\321\207\": \"\320\267\320\275\320\260\321\207\320\265\320\275\320\270\320\265\", \"emoji \360\237\216\211\": \"\360\237\216\211\"}",
		"040000200600008007000000080000000a00000003000000200000001000000004000000"
		"e697a5e69cac746162096b6579d0bad0bbd18ed187656d6f6a6920f09f8e89e8aa9e6c69"
		"6e650a627265616b202271756f74656422206261636b5c736c6173682001d0b7d0bdd0b0"
		"d187d0b5d0bdd0b8d0b5f09f8e89"},
	{"[10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000, -0.0001, 123456789012345678901234567890, 0.000000000000000000001, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1.000, 10000, 100000000]",
		"0a0000400800009008000010160000100a00001010000010100000101000001008000010"
		"08000010080000102000000019800100200000007fa201005800000007800c00800dd21e"
		"d2042e163423800dd21e000020000000fa8ae8034000000004809a032c0d70016515af16"
		"4000000004a09a032c0d70016515b0164000000004809a032c0d70016515b01620000000"
		"8081010020000000018001002000000002800100"},
	{"{\"deep\": [[[[[[[[[[{\"x\": [[[[[[[[[[1]]]]]]]]]]}]]]]]]]]]]}",
		"0100002004000080b80000506465657001000040b00000d001000040a80000d001000040"
		"a00000d001000040980000d001000040900000d001000040880000d001000040800000d0"
		"01000040780000d001000040700000d001000040680000d001000020010000805b000050"
		"7800000001000040500000d001000040480000d001000040400000d001000040380000d0"
		"01000040300000d001000040280000d001000040200000d001000040180000d001000040"
		"100000d001000040080000902000000000800100"},
	{"{\"k1\": \"s1\", \"k2\": [2, null], \"k3\": 3, \"k4\": \"s4\", \"k5\": [5, null], \"k6\": 6, \"k7\": \"s7\", \"k8\": [8, null], \"k9\": 9, \"k10\": \"s10\", \"k11\": [11, null], \"k12\": 12, \"k13\": \"s13\", \"k14\": [14, null], \"k15\": 15, \"k16\": \"s16\", \"k17\": [17, null], \"k18\": 18, \"k19\": \"s19\", \"k20\": [20, null], \"k21\": 21, \"k22\": \"s22\", \"k23\": [23, null], \"k24\": 24, \"k25\": \"s25\", \"k26\": [26, null], \"k27\": 27, \"k28\": \"s28\", \"k29\": [29, null], \"k30\": 30, \"k31\": \"s31\", \"k32\": [32, null], \"k33\": 33, \"k34\": \"s34\", \"k35\": [35, null], \"k36\": 36, \"k37\": \"s37\", \"k38\": [38, null], \"k39\": 39, \"k40\": \"s40\"}",
		"280000200200008002000000020000000200000002000000020000000200000002000000"
		"020000000300000003000000030000000300000003000000030000000300000003000000"
		"030000000300000003000000030000000300000003000000030000000300000003000000"
		"0300000003000000030000000300000003000000030000005a0000800300000003000000"
		"030000000300000003000000030000000300000002000000170000500800001002000000"
		"160000500800001002000000160000500800001003000000150000500800001003000000"
		"150000500800001003000000150000500800001003000000150000500800001003000000"
		"150000500800001073010080150000500800001003000000150000500800001003000000"
		"150000500800001003000000150000500800001003000000150000500800001003000000"
		"6b316b326b336b346b356b366b376b386b396b31306b31316b31326b31336b31346b3135"
		"6b31366b31376b31386b31396b32306b32316b32326b32336b32346b32356b32366b3237"
		"6b32386b32396b33306b33316b33326b33336b33346b33356b33366b33376b33386b3339"
		"6b3430733100000002000040080000900000004020000000008002002000000000800300"
		"733400000200004008000090000000402000000000800500200000000080060073370000"
		"020000400800009000000040200000000080080020000000008009007331300002000040"
		"08000090000000402000000000800b002000000000800c00733133000200004008000090"
		"000000402000000000800e002000000000800f0073313600020000400800009000000040"
		"200000000080110020000000008012007331390002000040080000900000004020000000"
		"008014002000000000801500733232000200004008000090000000402000000000801700"
		"2000000000801800733235000200004008000090000000402000000000801a0020000000"
		"00801b00733238000200004008000090000000402000000000801d002000000000801e00"
		"733331000200004008000090000000402000000000802000200000000080210073333400"
		"020000400800009000000040200000000080230020000000008024007333370002000040"
		"080000900000004020000000008026002000000000802700733430"},
	{"[\"x\", 2001.0, \"xxx\", 4002.0, \"xxxxx\", 6003.0, \"xxxxxxx\", 8004.0, \"xxxxxxxxx\", 10005.0, \"xxxxxxxxxxx\", 12006.0, \"xxxxxxxxxxxxx\", 14007.0, \"xxxxxxxxxxxxxxx\", 16008.0, \"xxxxxxxxxxxxxxxxx\", 18009.0, \"xxxxxxxxxxxxxxxxxxx\", 20010.0, \"xxxxxxxxxxxxxxxxxxxxx\", 22011.0, \"xxxxxxxxxxxxxxxxxxxxxxx\", 24012.0, \"xxxxxxxxxxxxxxxxxxxxxxxxx\", 26013.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxx\", 28014.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 30015.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 32016.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 34017.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 36018.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 38019.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 40020.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 42021.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 44022.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 46023.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 48024.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 50025.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 52026.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 54027.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 56028.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 58029.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 60030.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 62031.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 64032.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 66033.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 68034.0, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\", 70035.0]",
		"46000040010000800b0000100300000009000010050000000b0000100700000009000010"
		"090000000d0000100b0000000d0000100d0000000b0000100f0000000d00001011000000"
		"0b000010130000000d000010150000000b000010170000000d000010190000000b000010"
		"1b0000000d0000101d0000000b0000101f0000000d000010db0100800b00001023000000"
		"0d000010250000000b000010270000000d000010290000000b0000102b0000000d000010"
		"2d0000000b0000102f0000000d000010310000000b000010330000000d00001035000000"
		"0b000010370000000d000010390000000b0000103b0000000d0000103d0000000b000010"
		"3f0000000d000010bb0500800b000010430000000d000010450000000b00001078000000"
		"200000008080d10778787800200000008080a20f78787878780000002000000080807317"
		"7878787878787800200000008080441f7878787878787878780000002800000081800100"
		"050078787878787878787878780000002800000081800100d60778787878787878787878"
		"787878002800000081800100a70f78787878787878787878787878787800000028000000"
		"8180010078177878787878787878787878787878787878002800000081800100491f7878"
		"787878787878787878787878787878787800000028000000818002000a00787878787878"
		"787878787878787878787878787878002800000081800200db0778787878787878787878"
		"787878787878787878787878780000002800000081800200ac0f78787878787878787878"
		"7878787878787878787878787878780028000000818002007d1778787878787878787878"
		"787878787878787878787878787878787800000028000000818002004e1f787878787878"
		"78787878787878787878787878787878787878787878780028000000818003000f007878"
		"787878787878787878787878787878787878787878787878787878787800000028000000"
		"81800300e007787878787878787878787878787878787878787878787878787878787878"
		"787878002800000081800300b10f78787878787878787878787878787878787878787878"
		"787878787878787878787878780000002800000081800300821778787878787878787878"
		"787878787878787878787878787878787878787878787878787878002800000081800300"
		"531f78787878787878787878787878787878787878787878787878787878787878787878"
		"787878787800000028000000818004001400787878787878787878787878787878787878"
		"7878787878787878787878787878787878787878787878002800000081800400e5077878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"78787878780000002800000081800400b60f787878787878787878787878787878787878"
		"787878787878787878787878787878787878787878787878787878002800000081800400"
		"871778787878787878787878787878787878787878787878787878787878787878787878"
		"787878787878787878787878780000002800000081800400581f78787878787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"787878002800000081800500190078787878787878787878787878787878787878787878"
		"787878787878787878787878787878787878787878787878787878787800000028000000"
		"81800500ea07787878787878787878787878787878787878787878787878787878787878"
		"7878787878787878787878787878787878787878787878002800000081800500bb0f7878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"787878787878787878787878787878787800000028000000818005008c17787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"7878787878787878787878787878780028000000818005005d1f78787878787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"7878787878787878787878787800000028000000818006001e0078787878787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"787878787878787878787878787878002800000081800600ef0778787878787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"78787878787878787878787878787878780000002800000081800600c00f787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"787878787878787878787878787878787878787878787800280000008180060091177878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"787878787878787878787878787878787878787878787878787878787800000028000000"
		"81800600621f787878787878787878787878787878787878787878787878787878787878"
		"787878787878787878787878787878787878787878787878787878787878787878787878"
		"7878780028000000818007002300"},
};

#define NDOCS (sizeof docs / sizeof docs[0])

/* ---- the walk: every accessor on every value, text like jsonb_out ---- */

typedef struct wout
{
	char		buf[65536];
	size_t		n;
} wout;

static void
w_put(wout *o, const char *s, size_t n)
{
	if (o->n + n < sizeof o->buf)
	{
		memcpy(o->buf + o->n, s, n);
		o->buf[o->n + n] = '\0';
	}
	o->n += n;
}

static void
w_puts(wout *o, const char *s)
{
	w_put(o, s, strlen(s));
}

static void
w_str(wout *o, const char *s, uint32_t n)
{
	w_put(o, "\"", 1);
	for (uint32_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[8];

		if (c == '"' || c == '\\')
		{
			esc[0] = '\\';
			esc[1] = (char) c;
			w_put(o, esc, 2);
		}
		else if (c == '\n')
			w_puts(o, "\\n");
		else if (c == '\t')
			w_puts(o, "\\t");
		else if (c < 0x20)
		{
			snprintf(esc, sizeof esc, "\\u%04x", c);
			w_puts(o, esc);
		}
		else
			w_put(o, (const char *) &s[i], 1);
	}
	w_put(o, "\"", 1);
}

static void
walk(wout *o, tmebox_json v, int depth)
{
	tmebox_json_iter it;
	tmebox_json k, e;
	char		small[8];
	char		num[4096];
	const char *s;
	uint32_t	n, i = 0;
	int64_t		i64;
	double		d;
	int			len;

	(void) tmb_tmebox_json_type_name(v);
	switch (tmebox_json_typeof(v))
	{
		case TMEBOX_JSON_NULL:
			w_puts(o, "null");
			break;
		case TMEBOX_JSON_BOOL:
			w_puts(o, tmb_tmebox_json_bool(v) ? "true" : "false");
			break;
		case TMEBOX_JSON_STRING:
			s = tmb_tmebox_json_str(v, &n);
			(void) tmb_tmebox_json_streq(v, "s1");
			w_str(o, s, n);
			break;
		case TMEBOX_JSON_NUMBER:
			len = tmb_tmebox_json_number_text(v, small, sizeof small);
			CHECK(len >= 0 && strlen(small) == (size_t) (len < 8 ? len : 7), "number_text cut");
			if (tmb_tmebox_json_number_text(v, num, sizeof num) < (int) sizeof num)
				w_puts(o, num);
			(void) tmb_tmebox_json_int64(v, &i64);
			(void) tmb_tmebox_json_double(v, &d);
			tmb_free(tmb_tmebox_json_numeric(v));
			break;
		case TMEBOX_JSON_ARRAY:
		case TMEBOX_JSON_OBJECT:
			if (depth > 200)
				return;
			w_puts(o, tmebox_json_typeof(v) == TMEBOX_JSON_ARRAY ? "[" : "{");
			tmb_tmebox_json_iter_init(&it, v);
			while (tmb_tmebox_json_next(&it, &k, &e))
			{
				if (i > 0)
					w_puts(o, ", ");
				if (tmebox_json_typeof(k) == TMEBOX_JSON_STRING)
				{
					tmebox_json g;

					s = tmb_tmebox_json_str(k, &n);
					w_str(o, s, n);
					w_puts(o, ": ");
					/* the lookup finds what the iteration found */
					g = tmb_tmebox_json_getn(v, s, n);
					if (g.type == e.type && g.len == e.len && g.p == e.p)
						tmb_passed++;
					else
						(void) g;	/* a damaged, unsorted object */
				}
				else
				{
					tmebox_json a = tmb_tmebox_json_at(v, i);

					CHECK(a.type == e.type && a.len == e.len && a.p == e.p,
						  "element %u by index differs from the iteration", i);
				}
				walk(o, e, depth + 1);
				i++;
			}
			CHECK(i == tmb_tmebox_json_count(v), "iteration gave %u of %u", i,
				  tmb_tmebox_json_count(v));
			(void) tmb_tmebox_json_at(v, i);
			(void) tmb_tmebox_json_get(v, "zzz-missing");
			w_puts(o, tmebox_json_typeof(v) == TMEBOX_JSON_ARRAY ? "]" : "}");
			break;
		default:
			CHECK(0, "a walked value is MISSING");
	}
}

/* ---- documents ending at an inaccessible page ---- */

static char *region;			/* RW pages, then one PROT_NONE page */
static size_t region_rw;

static tmebox_jsonb *
place(const uint8_t *bytes, uint32_t len)
{
	tmebox_jsonb *d = (tmebox_jsonb *) (region + region_rw - len - sizeof(uint32_t));

	d->len = len;
	memcpy(d->data, bytes, len);
	return d;
}

static uint32_t
unhex(const char *h, uint8_t *out)
{
	uint32_t	n = 0;

	for (; h[0] && h[1]; h += 2)
	{
		unsigned	b;

		sscanf(h, "%2x", &b);
		out[n++] = (uint8_t) b;
	}
	return n;
}

static tmebox_jsonb *walked_doc;
static wout walked;

static void
do_walk(void *arg)
{
	(void) arg;
	walked.n = 0;
	walked.buf[0] = '\0';
	walk(&walked, tmb_tmebox_jsonb_root(walked_doc), 0);
}

static int	n_ok,
			n_refused;

/* Walk d: a value, or "malformed jsonb" (nothing else) */
static void
walk_damaged(tmebox_jsonb *d, const char *what, uint32_t a, uint32_t b)
{
	int			r;

	walked_doc = d;
	r = tmb_catch(do_walk, NULL);
	if (r == 0)
		n_ok++;
	else if (r == 1 && strncmp(tmb_host_msg, "malformed jsonb: ", 17) == 0)
		n_refused++;
	else
		CHECK(0, "%s %u/%u: result %d, %s", what, a, b, r, tmb_host_msg);
}

void
test_jsonb(void)
{
	static const uint32_t vals[] = {
		0, 1, 4, 0xffffffff, 0x0fffffff, 0x80000000, 0x8fffffff, 0x10000001,
		0x20000001, 0x40000001, 0x50000004, 0x30000000, 0x70000000, 0x60000008,
		0x10000000, 0x0000ffff, 0x7fffffff
	};
	long		page = sysconf(_SC_PAGESIZE);
	uint8_t    *bytes = malloc(1 << 20);
	uint8_t    *copy = malloc(1 << 20);
	uint64_t	seed = 12345;

	region_rw = (size_t) page * 16;
	region = mmap(NULL, region_rw + page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(region != MAP_FAILED, "mmap");
	if (region == MAP_FAILED)
		return;
	CHECK(mprotect(region + region_rw, page, PROT_NONE) == 0, "mprotect");
	n_ok = n_refused = 0;

	for (size_t i = 0; i < NDOCS; i++)
	{
		uint32_t	len = unhex(docs[i].hex, bytes);
		int			r;

		/* intact: jsonb_out's text */
		walked_doc = place(bytes, len);
		r = tmb_catch(do_walk, NULL);
		CHECK(r == 0 && strcmp(walked.buf, docs[i].text) == 0,
			  "doc %zu: %d %s\n  walked %s", i, r, r ? tmb_host_msg : "", walked.buf);

		/* every cut: refused (the last entry ends at the end) */
		for (uint32_t n = 0; n < len; n++)
		{
			walked_doc = place(bytes, n);
			r = tmb_catch(do_walk, NULL);
			CHECK(r == 1 && strncmp(tmb_host_msg, "malformed jsonb: ", 17) == 0,
				  "doc %zu cut to %u: %d %s", i, n, r, tmb_host_msg);
		}

		/* every aligned and unaligned 4-byte overwrite */
		for (uint32_t p = 0; p + 4 <= len; p++)
			for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++)
			{
				memcpy(copy, bytes, len);
				memcpy(copy + p, &vals[v], 4);
				walk_damaged(place(copy, len), "overwrite", p, vals[v]);
			}

		/* random damage: 1 to 4 bytes */
		for (int t = 0; t < 20000; t++)
		{
			int			nb;

			memcpy(copy, bytes, len);
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			nb = 1 + (int) ((seed >> 60) & 3);
			for (int k = 0; k < nb; k++)
			{
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				copy[(seed >> 33) % len] = (uint8_t) (seed >> 20);
			}
			walk_damaged(place(copy, len), "random", (uint32_t) t, 0);
		}
	}
	/* both outcomes happen: the damage is not all caught, nor all harmless */
	CHECK(n_ok > 1000 && n_refused > 1000, "damaged: %d walked, %d refused", n_ok, n_refused);

	/* NULL and non-containers */
	{
		tmebox_json m = tmb_tmebox_jsonb_root(NULL);

		CHECK(m.type == TMEBOX_JSON_MISSING && tmb_tmebox_json_count(m) == 0 &&
			  tmb_tmebox_json_get(m, "a").type == TMEBOX_JSON_MISSING &&
			  tmb_tmebox_json_at(m, 0).type == TMEBOX_JSON_MISSING &&
			  tmb_tmebox_json_str(m, NULL) == NULL && tmb_tmebox_json_bool(m) == -1 &&
			  tmb_tmebox_json_number_text(m, NULL, 0) == -1,
			  "MISSING is accepted everywhere");
	}
	munmap(region, region_rw + page);
	free(bytes);
	free(copy);
}
