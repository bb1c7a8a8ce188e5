/*-------------------------------------------------------------------------
 *
 * test_rt.c
 *		In-process tests of the sandbox runtime against the hand-made
 *		modules (mod_test.c, bad_*.c).  Every fault is provoked in this one
 *		process, which must survive all of them and keep working: that is
 *		the containment property under test.
 *
 *		usage: test_rt BUILD_DIR
 *
 * Prints one "ok N - ..." / "not ok N - ..." line per check and a final
 * "N passed, N failed" line; exits 1 if anything failed.
 *
 * Invariant: no check can pass vacuously: every expected fault is checked
 * for its kind and its message, every result for its value.
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "../tmebox_rt.h"
#include "mod_layout.h"
#include "test_tap.h"

static const char *builddir;
static tmebox_module *gmod;


/* ---- helpers ---- */


static tmebox_value
I(int64_t x)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.v.i = x;
	return v;
}

static tmebox_value
D(double x)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.v.d = x;
	return v;
}

static tmebox_value
F(float x)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.v.f = x;
	return v;
}

static tmebox_value
B(bool x)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.v.b = x;
	return v;
}

static tmebox_value
S(const char *s)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.v.buf.data = s;
	v.v.buf.len = (uint32_t) strlen(s);
	return v;
}

static tmebox_value
A(const void *p, uint32_t n)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.v.buf.data = p;
	v.v.buf.len = n;
	return v;
}

static tmebox_value
NUL(void)
{
	tmebox_value v;

	memset(&v, 0, sizeof(v));
	v.isnull = true;
	return v;
}

static tmebox_fault lastf;
static char lastmsg[TMEBOX_MESSAGE_MAX + 64];

/*
 * The result allocator call() passes: NULL (the runtime mallocs the copy)
 * or call_malloc (a host's allocator: byte-string signatures then take the
 * runtime's short path, rt_call_bytes).
 */
static tmebox_alloc_fn call_alloc = NULL;

static void *
call_malloc(size_t size, void *arg)
{
	(void) arg;
	return malloc(size);
}

/* Call fn; returns tmebox_call's result, fault text in lastmsg. */
static int
call(tmebox_instance *in, const char *fn, const tmebox_value *args, tmebox_value *res)
{
	int			idx = tmebox_module_find_export(gmod, fn);
	int			r;
	tmebox_value dummy;

	if (idx < 0)
	{
		fprintf(stderr, "test_rt: no export %s\n", fn);
		exit(2);
	}
	memset(&lastf, 0, sizeof(lastf));
	lastmsg[0] = '\0';
	r = tmebox_call(in, idx, args, res ? res : &dummy, call_alloc, NULL, &lastf);
	if (r != 0)
		tmebox_fault_format(&lastf, lastmsg, sizeof(lastmsg));
	if (res == NULL && r == 0 && dummy.v.buf.data != NULL &&
		idx >= 0 && gmod != NULL &&
		tmebox_module_get_info(gmod)->exports[idx].ret >= TMEBOX_T_BUF)
		free((void *) dummy.v.buf.data);
	return r;
}

/* add(2, 3) == 5 on a freshly reset instance */
static bool
reuse_ok(tmebox_instance *in)
{
	char		err[256];
	tmebox_value r;

	if (tmebox_instance_reset(in, err, sizeof(err)) != 0)
		return false;
	return call(in, "add", (tmebox_value[]) {I(2), I(3)}, &r) == 0 && r.v.i == 5;
}

/* fn must fault with kind and a message containing text, and the
 * instance must work again after a reset. */
static void
expect_fault(tmebox_instance *in, const char *what, const char *fn,
			 const tmebox_value *args, tmebox_fault_kind kind, const char *text)
{
	tmebox_value r;
	int			rc = call(in, fn, args, &r);
	bool		ok = rc == -1 && lastf.kind == kind && strstr(lastmsg, text) != NULL;
	bool		refused;
	char		got[sizeof(lastmsg)];

	strcpy(got, rc == -1 ? lastmsg : "(returned normally)");

	if (rc == 0 && r.v.buf.data && tmebox_module_get_info(gmod)->exports[tmebox_module_find_export(gmod, fn)].ret >= TMEBOX_T_BUF)
		free((void *) r.v.buf.data);
	refused = tmebox_instance_needs_reset(in) &&
		call(in, "add", (tmebox_value[]) {I(1), I(1)}, NULL) == -1 &&
		lastf.kind == TMEBOX_FAULT_HOST_ERROR;
	check(ok && refused && reuse_ok(in), "%s: fault \"%s\" (want \"%s\"), refused until reset, reusable",
		  what, got, text);
}

/* Host-side write of a string into a view (test setup only). */
static void
put(tmebox_instance *in, uint64_t off, const char *s)
{
	memcpy((char *) tmebox_instance_view_base(in) + off, s, strlen(s) + 1);
}

static bool
buf_is(const tmebox_value *r, const char *s)
{
	return !r->isnull && r->v.buf.len == strlen(s) &&
		memcmp(r->v.buf.data, s, r->v.buf.len) == 0;
}

/* A module file with the object of mod_test and other metadata. */
static char *
with_meta(const char *file, size_t len, const char *meta, size_t *outlen)
{
	uint32_t	m;
	uint64_t	n;
	size_t		mlen = strlen(meta);
	char	   *out;

	memcpy(&m, file + 12, 4);
	memcpy(&n, file + 16, 8);
	out = malloc(24 + mlen + n);
	memcpy(out, file, 24);
	m = (uint32_t) mlen;
	memcpy(out + 12, &m, 4);
	memcpy(out + 24, meta, mlen);
	memcpy(out + 24 + mlen, file + 24 + (len - 24 - n), n);
	*outlen = 24 + mlen + n;
	return out;
}

/*
 * Metadata of N functions "fK" (export+csig when K is even or EXPORTS_ONLY,
 * else skipped), then EXTRA; malloc'ed.
 */
static char *
meta_functions(int n, bool exports_only, const char *extra)
{
	size_t		cap = 64 + (size_t) n * 48 + strlen(extra);
	char	   *m = malloc(cap);
	size_t		o;
	int			k;

	o = (size_t) sprintf(m, "tmebox-module 1\nview-bits 32\n");
	for (k = 0; k < n; k++)
		o += (size_t) (exports_only || k % 2 == 0 ?
					   sprintf(m + o, "export f%d i32\ncsig f%d int f%d(void)\n", k, k, k) :
					   sprintf(m + o, "skipped f%d why\n", k));
	strcpy(m + o, extra);
	return m;
}

/*
 * Is FILE with metadata META refused with a message that contains WANT and
 * is printable ASCII?  The message is left in ERR.
 */
static bool
meta_refused(const char *file, size_t len, const char *meta, const char *want,
			 char *err, size_t errlen)
{
	tmebox_module_info *info;
	size_t		mlen;
	char	   *m = with_meta(file, len, meta, &mlen);
	bool		refused;
	size_t		k;

	err[0] = '\0';
	refused = tmebox_module_parse(m, mlen, &info, err, errlen) == -1 &&
		strstr(err, want) != NULL;
	for (k = 0; err[k]; k++)
		if ((unsigned char) err[k] < 0x20 || (unsigned char) err[k] >= 0x7f)
			refused = false;
	free(m);
	return refused;
}

/* ---- tests ---- */
/* Byte-string arguments and results: copies, NULLs, frees, sizes. */
static void
test_buffers(tmebox_instance *a)
{
	tmebox_value r;
	int			frees_before;

	frees_before = (call(a, "frees", NULL, &r), (int) r.v.i);
	check(call(a, "upper", (tmebox_value[]) {S("hello, world")}, &r) == 0 &&
		  buf_is(&r, "HELLO, WORLD") && ((char *) r.v.buf.data)[12] == '\0', "upper(buf) -> buf");
	free((void *) r.v.buf.data);
	{
		int			frees_after = (call(a, "frees", NULL, &r), (int) r.v.i);

		check(frees_after == frees_before + 1,
			  "result buffer freed in the sandbox, the small input was on the data stack (%d -> %d)",
			  frees_before, frees_after);
	}
	{
		/* an input past RT_DSTACK_ARGS_MAX (64 kB) goes to the sandbox heap */
		size_t		big = 70000;
		char	   *s = malloc(big + 1);
		tmebox_value in;
		int			frees_after;

		memset(s, 'q', big);
		s[big] = '\0';
		frees_before = (call(a, "frees", NULL, &r), (int) r.v.i);
		in = S(s);
		check(call(a, "upper", &in, &r) == 0 && r.v.buf.len == big &&
			  ((char *) r.v.buf.data)[0] == 'Q' && ((char *) r.v.buf.data)[big - 1] == 'Q',
			  "upper of a 70000-byte buffer");
		free((void *) r.v.buf.data);
		frees_after = (call(a, "frees", NULL, &r), (int) r.v.i);
		check(frees_after == frees_before + 2,
			  "a large input goes to the sandbox heap: input and result freed (%d -> %d)",
			  frees_before, frees_after);
		free(s);
	}
	check(call(a, "upper", (tmebox_value[]) {S("")}, &r) == 0 && buf_is(&r, ""), "empty buffer");
	free((void *) r.v.buf.data);
	check(call(a, "blen", (tmebox_value[]) {S("abc")}, &r) == 0 && r.v.i == 3,
		  "input buffer has length and NUL terminator");
	check(call(a, "blen", (tmebox_value[]) {NUL()}, &r) == 0 && r.v.i == -2, "NULL buffer argument is offset 0");
	check(call(a, "nullbuf", (tmebox_value[]) {S("x")}, &r) == 0 && r.isnull, "NULL buffer result");
	check(call(a, "echo", (tmebox_value[]) {S("same")}, &r) == 0 && buf_is(&r, "same"),
		  "result that is the input buffer");
	free((void *) r.v.buf.data);
	check(call(a, "greeting", NULL, &r) == 0 && buf_is(&r, "hello, view"), "string from the globals image");
	free((void *) r.v.buf.data);
}


static void
test_metadata(const char *file, size_t len)
{
	tmebox_module_info *info;
	char		err[512];
	static const struct
	{
		const char *meta;
		const char *want;
	}			bad[] = {
		{"", "empty metadata"},
		{"tmebox-module 2\nview-bits 32\n", "expected \"tmebox-module 1\""},
		{"tmebox-module 1\n", "no view-bits"},
		{"tmebox-module 1\nview-bits 48\n", "unsupported view-bits"},
		{"tmebox-module 1\nview-bits 32\nview-bits 32\n", "duplicate view-bits"},
		{"tmebox-module 1\nview-bits 32\nfrobnicate x\n", "unknown key"},
		{"tmebox-module 1\nview-bits 32\nexport f i128 i32\ncsig f x\n", "invalid type code"},
		{"tmebox-module 1\nview-bits 32\nexport f i32 void\ncsig f x\n", "invalid type code"},
		{"tmebox-module 1\nview-bits 32\nexport 9f i32\ncsig 9f x\n", "invalid export name"},
		{"tmebox-module 1\nview-bits 32\nexport f i32\nexport f i32\n", "duplicate name"},
		{"tmebox-module 1\nview-bits 32\nexport f i32\n", "has no csig"},
		{"tmebox-module 1\nview-bits 32\nexport f i32\ncsig f a\ncsig f b\n", "duplicate csig"},
		{"tmebox-module 1\nview-bits 32\ncsig g int g(void)\n", "not exported"},
		{"tmebox-module 1\nview-bits 32\nexport f  i32\ncsig f x\n", "invalid type code"},
		{"tmebox-module 1\nview-bits 32\n\nexport f i32\n", "empty line"},
		{"tmebox-module 1\nview-bits 32\nexport f i32\ncsig f a\tb\n", "control character"},
		{"tmebox-module 1\nview-bits 32\nexport f i32\ncsig f x\nskipped f why\n", "duplicate name"},
		/* rows as C structs: the layout in the code, every field checked */
#define STRUCT_META(code) "tmebox-module 1\nview-bits 32\nexport f " code "\ncsig f x\n"
		{STRUCT_META("struct"), "invalid type code"},
		{STRUCT_META("structs i32"), "invalid type code"},
		{STRUCT_META("i32 structs:8:x=i32@0/4"), "invalid type code"},
		{STRUCT_META("struct:8:x=i32@0/2"), "fields overlap"},
		{STRUCT_META("struct:8:x=i32@0/4,y=i16@6/4"), "fields overlap"},
		{STRUCT_META("struct:8:x=i64@8/0"), "fields overlap or lie outside"},
		{STRUCT_META("struct:8:x=i32@0/8"), "fields overlap or lie outside"},
		{STRUCT_META("struct:16:x=i64@4/0"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:s=buf@4/0"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:0:x=i32@0/4"), "invalid struct layout"},
		{STRUCT_META("struct:65537:x=i32@0/4"), "invalid struct layout"},
		{STRUCT_META("struct:08:x=i32@0/4"), "invalid struct layout"},
		{STRUCT_META("struct:8:x=i32@0/4,"), "invalid struct layout (field 2)"},
		{STRUCT_META("struct:8:"), "invalid struct layout"},
		{STRUCT_META("struct:16:x=ai32@0/8"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:x=struct@0/8"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:x=void@0/8"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:9x=i32@0/8"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:x=i32@4294967292/8"), "fields overlap or lie outside"},
		{STRUCT_META("struct:16:x=i32@99999999999/8"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:x=i32@0/8,y=i32@4"), "invalid struct layout (field 2)"},
		/* nested rows: NAME=struct, then its members NAME.MEMBER at once */
		{STRUCT_META("struct:16:p.x=i32@0/8"), "invalid struct layout (field 1)"},
		{STRUCT_META("struct:16:p=struct@0/8,q.x=i32@0/9"), "invalid struct layout (field 2)"},
		{STRUCT_META("struct:16:p=struct@0/8,x=i32@0/9"), "invalid struct layout (field 2)"},
		{STRUCT_META("struct:16:p=i32@0/8,p.x=i32@4/9"), "invalid struct layout (field 2)"},
		{STRUCT_META("struct:16:p=struct@0/8,p..x=i32@0/9"), "invalid struct layout (field 2)"},
		{STRUCT_META("struct:16:p=struct@0/8,p.=i32@0/9"), "invalid struct layout (field 2)"},
		{STRUCT_META("struct:16:p=struct@0/12,p.x=i32@0/13,y=i32@4/14,p.z=i32@8/15"),
		"invalid struct layout (field 4)"},
		{STRUCT_META("struct:16:p=struct@0/8,p.x=i32@0/8"), "fields overlap"},
		{STRUCT_META("struct:16:p=struct@17/8,p.x=i32@0/9"), "fields overlap or lie outside"},
		{STRUCT_META("struct:16:p=struct@0/8,p.q=struct@0/9"), "invalid struct layout (field 2)"},
		/* 9 levels of rows below the row: one too many */
		{STRUCT_META("struct:32:a=struct@0/8,a.a=struct@0/9,a.a.a=struct@0/10,a.a.a.a=struct@0/11,"
					 "a.a.a.a.a=struct@0/12,a.a.a.a.a.a=struct@0/13,a.a.a.a.a.a.a=struct@0/14,"
					 "a.a.a.a.a.a.a.a=struct@0/15,a.a.a.a.a.a.a.a.a=struct@0/16,"
					 "a.a.a.a.a.a.a.a.a.x=i32@0/17"), "invalid struct layout (field 10)"},
#undef STRUCT_META
	};
	size_t		i;
	char	   *m;
	size_t		mlen;
	char		hdr[64];
	char		many[512];

	if (tmebox_module_parse(file, len, &info, err, sizeof(err)) == 0)
	{
		int			k;
		bool		found = false;

		for (k = 0; k < info->nexports; k++)
			if (strcmp(info->exports[k].name, "many") == 0)
				found = info->exports[k].nargs == 18 &&
					info->exports[k].ret == TMEBOX_T_F64 &&
					info->exports[k].args[17] == TMEBOX_T_F64 &&
					strncmp(info->exports[k].csig, "double many(", 12) == 0;
		check(info->nexports == 59 && found && info->nskipped == 1 &&
			  strcmp(info->skipped[0], "helper parameter 1 has type 'char *'") == 0,
			  "parse mod_test metadata: %d exports, signature and skipped line", info->nexports);
		tmebox_module_info_free(info);
	}
	else
		check(false, "parse mod_test metadata: %s", err);
	check(strcmp(tmebox_type_code(TMEBOX_T_AF64), "af64") == 0 &&
		  strcmp(tmebox_type_code(TMEBOX_T_I16), "i16") == 0 &&
		  strcmp(tmebox_type_code((tmebox_type) 99), "?") == 0, "type names");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(meta_refused(file, len, bad[i].meta, bad[i].want, err, sizeof(err)),
			  "metadata refused: %s (want \"%s\")", err, bad[i].want);

	/* 33 arguments */
	strcpy(many, "tmebox-module 1\nview-bits 32\nexport f i32");
	for (i = 0; i < 33; i++)
		strcat(many, " i32");
	strcat(many, "\ncsig f x\n");
	check(meta_refused(file, len, many, "more than 32 arguments", err, sizeof(err)),
		  "metadata refused: %s", err);
	many[strlen(many) - 14] = '\0';	/* 32 arguments is fine */
	strcat(many, "\ncsig f x\n");
	m = with_meta(file, len, many, &mlen);
	if (tmebox_module_parse(m, mlen, &info, err, sizeof(err)) == 0)
	{
		check(info->exports[0].nargs == 32, "32 arguments accepted");
		tmebox_module_info_free(info);
	}
	else
		check(false, "32 arguments accepted: %s", err);
	free(m);

	/* a struct result and argument: the layouts parsed */
	m = with_meta(file, len, "tmebox-module 1\nview-bits 32\n"
				  "export f structs:24:x=i32@0/16,s=buf@8/17 i64 struct:2:b=bool@1/0\ncsig f x\n",
				  &mlen);
	if (tmebox_module_parse(m, mlen, &info, err, sizeof(err)) == 0)
	{
		const tmebox_signature *sig = &info->exports[0];
		const tmebox_struct_layout *r = tmebox_signature_struct(sig, -1);
		const tmebox_struct_layout *a = tmebox_signature_struct(sig, 1);

		check(sig->ret == TMEBOX_T_STRUCTS && sig->nargs == 2 && sig->args[1] == TMEBOX_T_STRUCT &&
			  tmebox_signature_struct(sig, 0) == NULL && r != NULL && a != NULL &&
			  r->size == 24 && r->nfields == 2 && r->fields[1].type == TMEBOX_T_BUF &&
			  r->fields[1].off == 8 && r->fields[1].null_off == 17 &&
			  strcmp(r->fields[1].name, "s") == 0 && a->size == 2 && a->nfields == 1 &&
			  a->fields[0].off == 1 && a->fields[0].null_off == 0,
			  "struct layouts parsed");
		tmebox_module_info_free(info);
	}
	else
		check(false, "struct layouts parsed: %s", err);
	free(m);

	/* nested rows: a STRUCT field (its flag only) and its members, each
	 * with its parent; 8 levels below the row are fine */
	m = with_meta(file, len, "tmebox-module 1\nview-bits 32\n"
				  "export f struct:32:k=i32@0/24,p=struct@8/25,p.x=i32@8/26,p.s=buf@16/27,"
				  "q=bool@4/5 struct:32:a=struct@0/8,a.a=struct@0/9,a.a.a=struct@0/10,"
				  "a.a.a.a=struct@0/11,a.a.a.a.a=struct@0/12,a.a.a.a.a.a=struct@0/13,"
				  "a.a.a.a.a.a.a=struct@0/14,a.a.a.a.a.a.a.a=struct@0/15,"
				  "a.a.a.a.a.a.a.a.x=i32@0/16\ncsig f x\n", &mlen);
	if (tmebox_module_parse(m, mlen, &info, err, sizeof(err)) == 0)
	{
		const tmebox_struct_layout *r = tmebox_signature_struct(&info->exports[0], -1);
		const tmebox_struct_layout *a = tmebox_signature_struct(&info->exports[0], 0);

		check(r != NULL && r->nfields == 5 && r->fields[0].parent == -1 &&
			  r->fields[1].type == TMEBOX_T_STRUCT && r->fields[1].parent == -1 &&
			  r->fields[1].null_off == 25 && r->fields[2].parent == 1 &&
			  r->fields[3].parent == 1 && r->fields[3].type == TMEBOX_T_BUF &&
			  strcmp(r->fields[3].name, "p.s") == 0 && r->fields[4].parent == -1 &&
			  a != NULL && a->nfields == 9 && a->fields[8].parent == 7,
			  "nested row layouts parsed");
		tmebox_module_info_free(info);
	}
	else
		check(false, "nested row layouts parsed: %s", err);
	free(m);

	/* header */
	memcpy(hdr, file, 24);
	hdr[0] = 'X';
	check(tmebox_module_parse(hdr, 24, &info, err, sizeof(err)) == -1 &&
		  strstr(err, "bad magic"), "header refused: %s", err);
	memcpy(hdr, file, 24);
	hdr[8] = 7;
	check(tmebox_module_parse(hdr, 24, &info, err, sizeof(err)) == -1 &&
		  strstr(err, "version 7"), "header refused: %s", err);
	check(tmebox_module_parse(file, 10, &info, err, sizeof(err)) == -1 &&
		  strstr(err, "too short"), "header refused: %s", err);
	{
		char	   *longer = malloc(len + 1);
		bool		all = true;
		size_t		k;

		memcpy(longer, file, len);
		longer[len] = 0;
		check(tmebox_module_load(longer, len + 1, &gmod, err, sizeof(err)) == -1 &&
			  strstr(err, "truncated or corrupt"), "trailing garbage refused: %s", err);
		/* every truncation is refused, by the header check */
		for (k = 0; k < len; k += (k < 4096 ? 1 : 97))
			if (tmebox_module_verify(file, k, err, sizeof(err)) != -1)
				all = false;
		check(all, "every truncated prefix of the module file is refused");
		free(longer);
	}
}

/* The parser's bounds and its duplicate check on many names (hash set). */
static void
test_metadata_bounds(const char *file, size_t len)
{
	tmebox_module_info *info;
	char		err[512];
	char	   *meta;
	char	   *m;
	size_t		mlen;
	int			r;
	size_t		k;
	static const struct
	{
		int			n;			/* functions before EXTRA */
		bool		exports_only;
		const char *extra;
		const char *want;
	}			bad[] = {
		/* duplicates among many names, either kind against either kind */
		{9999, false, "export f5000 i32\ncsig f5000 x\n", "duplicate name \"f5000\""},
		{9999, false, "export f4999 i32\ncsig f4999 x\n", "duplicate name \"f4999\""},
		{9999, false, "skipped f0 why\n", "duplicate name \"f0\""},
		{9999, false, "skipped f9997 why\n", "duplicate name \"f9997\""},
		{9999, false, "csig f4999 x\n", "which is not exported"},
		{9999, false, "csig f9998 y\n", "duplicate csig for \"f9998\""},
		/* one function more than allowed: an export, or a skipped line */
		{10000, true, "export g i32\ncsig g x\n",
		"metadata line 20003: more than 10000 functions in one module"},
		{10000, false, "skipped g why\n", "more than 10000 functions in one module"},
		/* bytes of the file quoted in a message are escaped, never raw */
		{0, false, "\xff\xc0\"\\", "unknown line \"\\xff\\xc0\\x22\\x5c\""},
		{0, false, "export f \xe9\ncsig f x\n", "invalid type code \"\\xe9\""},
		{0, false, "\xe9t\xe9 x\n", "unknown key \"\\xe9t\\xe9\""},
	};

	/* the most functions a module may have: accepted, names all found */
	meta = meta_functions(TMEBOX_MODULE_MAX_FUNCTIONS, false, "");
	m = with_meta(file, len, meta, &mlen);
	r = tmebox_module_parse(m, mlen, &info, err, sizeof(err));
	check(r == 0 && info->nexports == TMEBOX_MODULE_MAX_FUNCTIONS / 2 &&
		  info->nskipped == TMEBOX_MODULE_MAX_FUNCTIONS / 2 &&
		  strcmp(info->exports[4999].name, "f9998") == 0 &&
		  strcmp(info->exports[4999].csig, "int f9998(void)") == 0,
		  "%d functions accepted: %s", TMEBOX_MODULE_MAX_FUNCTIONS, r == 0 ? "" : err);
	if (r == 0)
		tmebox_module_info_free(info);
	free(m);
	free(meta);

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
	{
		meta = meta_functions(bad[k].n, bad[k].exports_only, bad[k].extra);
		check(meta_refused(file, len, meta, bad[k].want, err, sizeof(err)),
			  "%d functions and bad line %zu: refused: %s (want \"%s\")",
			  bad[k].n, k, err, bad[k].want);
		free(meta);
	}

	/* more metadata bytes than allowed, refused before any line is read */
	meta = malloc(TMEBOX_MODULE_MAX_METADATA + 2);
	memset(meta, 'x', TMEBOX_MODULE_MAX_METADATA + 1);
	meta[TMEBOX_MODULE_MAX_METADATA + 1] = '\0';
	memcpy(meta, "tmebox-module 1\nview-bits 32\n", strlen("tmebox-module 1\nview-bits 32\n"));
	check(meta_refused(file, len, meta, "module metadata too large", err, sizeof(err)),
		  "metadata of %d bytes refused: %s", TMEBOX_MODULE_MAX_METADATA + 1, err);
	free(meta);
}

static void
test_elf(const char *file, size_t len)
{
	static const struct
	{
		const char *mod;
		const char *want;
	}			bad[] = {
		{"bad_needed.tmebox", "DT_NEEDED"},
		{"bad_ctor.tmebox", "DT_INIT_ARRAY (constructors)"},
		{"bad_undef.tmebox", "undefined symbol \"evil\""},
		{"bad_nolayout.tmebox", "does not define \"__tmebox_layout\""},
		{"bad_version.tmebox", "ABI version 99"},
		{"bad_wx.tmebox", "writable and executable segment"},
		{"bad_execstack.tmebox", "executable stack"},
		{"bad_ifunc.tmebox", "IFUNC"},
		{"bad_relro.tmebox", "\"__tmebox_hosttab\" is not in a writable, non-RELRO"},
		{"bad_intr.tmebox", "defines __tmebox_intr: it was compiled for an older ABI"},
		{"bad_smalltab.tmebox", "\"__tmebox_hosttab\" is not a data object of at least 448 bytes"},
	};
	size_t		i;
	char		err[512];
	tmebox_module *m = NULL;
	uint64_t	n;
	const char *obj;
	char	   *copy;
	unsigned	seed = 12345;
	int			accepted = 0;
	bool		all;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		size_t		blen;
		char	   *b = tap_load_file(builddir, bad[i].mod, &blen);
		int			r;

		err[0] = '\0';
		r = tmebox_module_load(b, blen, &m, err, sizeof(err));
		check(r == -1 && m == NULL && strstr(err, bad[i].want) != NULL,
			  "%s refused: %s", bad[i].mod, err);
		free(b);
	}
	for (i = 0; i < 2; i++)
	{
		/*
		 * a host table of the first ABI's size (stored modules) and one
		 * larger than this runtime's (a later build) both load
		 */
		const char *tab = i == 0 ? "v1_hosttab.tmebox" : "big_hosttab.tmebox";
		size_t		blen;
		char	   *b = tap_load_file(builddir, tab, &blen);

		err[0] = '\0';
		check(tmebox_module_load(b, blen, &m, err, sizeof(err)) == 0 && m != NULL,
			  "%s loads: %s", tab, err);
		if (m != NULL)
			tmebox_module_unload(m);
		m = NULL;
		free(b);
	}

	/*
	 * The loader verifies the machine code before every load (objects come
	 * from the catalog): mod_test with one %gs access turned into a plain
	 * one (segment prefix 0x65 -> 0x3e, same length: an access to host
	 * memory) passes the ELF checks and must still be refused.
	 */
	{
		char	   *c = malloc(len);
		size_t		k;

		memcpy(c, file, len);
		for (k = 0; k + 2 < len; k++)
			if ((uint8_t) c[k] == 0x65 && (uint8_t) c[k + 1] == 0x67 &&
				((uint8_t) c[k + 2] == 0x8b || (uint8_t) c[k + 2] == 0x89))
				break;
		check(k + 2 < len, "mod_test has a %%gs load or store to mutate");
		c[k] = (char) 0x3e;
		err[0] = '\0';
		check(tmebox_module_load(c, len, &m, err, sizeof(err)) == -1 && m == NULL &&
			  strstr(err, "%gs") != NULL,
			  "a module whose code reaches host memory is refused by the loader: %s", err);
		free(c);
	}

	/* garbage object */
	{
		char		g[24 + 40 + 256];
		uint32_t	m32 = 29;
		uint64_t	n64 = 256;

		memcpy(g, "TMEBOXM\0", 8);
		m32 = 1;
		memcpy(g + 8, &m32, 4);
		m32 = 29;
		memcpy(g + 12, &m32, 4);
		memcpy(g + 16, &n64, 8);
		memcpy(g + 24, "tmebox-module 1\nview-bits 32\n", 29);
		for (i = 0; i < 256; i++)
			g[24 + 29 + i] = (char) (rand_r(&seed) & 0xff);
		check(tmebox_module_load(g, 24 + 29 + 256, &m, err, sizeof(err)) == -1 &&
			  strstr(err, "not an ELF file"), "garbage object refused: %s", err);
		memcpy(g + 24 + 29, "\177ELF", 4);
		check(tmebox_module_load(g, 24 + 29 + 256, &m, err, sizeof(err)) == -1 &&
			  strstr(err, "ELF64"), "garbage ELF header refused: %s", err);
	}

	/* truncated objects with a consistent header */
	{
		uint32_t	mlen;
		size_t		objlen;
		uint64_t	loaded_end;

		memcpy(&mlen, file + 12, 4);
		obj = file + 24 + mlen;
		objlen = len - 24 - mlen;
		all = true;
		copy = malloc(len);
		/* only what the loader reads matters: up to the end of the last
		 * PT_LOAD's file data (section headers, .symtab may go) */
		{
			Elf64_Ehdr	eh;
			Elf64_Phdr	ph;
			int			k;

			memcpy(&eh, obj, sizeof(eh));
			loaded_end = 0;
			for (k = 0; k < eh.e_phnum; k++)
			{
				memcpy(&ph, obj + eh.e_phoff + k * sizeof(ph), sizeof(ph));
				if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > loaded_end)
					loaded_end = ph.p_offset + ph.p_filesz;
			}
		}
		for (n = 0; n < loaded_end; n += 61)
		{
			uint64_t	nn = n;

			memcpy(copy, file, 24 + mlen + n);
			memcpy(copy + 16, &nn, 8);
			if (tmebox_module_verify(copy, 24 + mlen + n, err, sizeof(err)) != -1)
				all = false;
		}
		check(all && loaded_end > 4096,
			  "every ELF object truncated before %llu bytes is refused (last: %s)",
			  (unsigned long long) loaded_end, err);

		/* random corruption: the checker must never crash or read out of
		 * bounds; whatever it accepts must still be a sane module */
		for (i = 0; i < 3000; i++)
		{
			int			k,
						flips = 1 + rand_r(&seed) % 4;

			memcpy(copy, file, len);
			for (k = 0; k < flips; k++)
			{
				size_t		pos = 24 + mlen + (size_t) rand_r(&seed) % objlen;

				/* mostly the headers and dynamic data, where it matters */
				if (k == 0 && rand_r(&seed) % 2)
					pos = 24 + mlen + (size_t) rand_r(&seed) % 4096;
				copy[pos] = (char) (rand_r(&seed) & 0xff);
			}
			if (tmebox_module_verify(copy, len, err, sizeof(err)) == 0)
				accepted++;
		}
		check(true, "3000 corrupted objects checked without a crash (%d still acceptable)",
			  accepted);
		free(copy);
		(void) obj;
	}
}

static int	log_level = -1;
static char log_text[TMEBOX_MESSAGE_MAX];
static size_t log_len;
static tmebox_instance *nested_inst;
static int	nested_rc;
static tmebox_fault nested_fault;
static int	nested_prepared_rc;
static tmebox_fault nested_prepared_fault;
static sigjmp_buf *log_escape;
static bool log_raise;

static void
test_log_handler(int level, const char *msg, size_t len)
{
	log_level = level;
	log_len = len;
	memcpy(log_text, msg, len);
	log_text[len] = '\0';
	if (nested_inst != NULL)
	{
		tmebox_value r;

		tmebox_prepared p;
		uint64_t	bits;

		nested_rc = tmebox_call(nested_inst, tmebox_module_find_export(gmod, "add"),
								(tmebox_value[]) {I(1), I(2)}, &r, NULL, NULL,
								&nested_fault);
		nested_prepared_rc = 0;
		if (tmebox_prepare(nested_inst, tmebox_module_find_export(gmod, "add"), &p) == 0)
			nested_prepared_rc = tmebox_call_prepared(&p, (uint64_t[]) {1, 2}, &bits,
													  &nested_prepared_fault);
	}
	if (log_escape != NULL)
		siglongjmp(*log_escape, 1);	/* like a PostgreSQL ereport */
	if (log_raise)
		tmebox_rt_host_raised();	/* like the server's PG_CATCH */
}

/* an interrupt handler and a result allocator that "caught an error" */
static int
raising_interrupt_handler(void)
{
	tmebox_rt_host_raised();
	return 0;
}

static void *
raising_alloc(size_t size, void *arg)
{
	(void) size;
	(void) arg;
	tmebox_rt_host_raised();
	return NULL;
}

static void
alarm_handler(int sig)
{
	(void) sig;
	tmebox_rt_request_interrupt();
}

static int	handler_calls;

static volatile int32_t my_flag;

/* resumes 3 times, then leaves (and lowers the flag, as a host would) */
static int
counting_interrupt_handler(void)
{
	if (++handler_calls < 4)
		return 0;
	my_flag = 0;
	return 1;
}

static volatile int64_t host_canary = 0x1122334455667788LL;

static void
test_calls(tmebox_instance *a, tmebox_instance *b)
{
	tmebox_value r;
	int32_t		ai[] = {1, 2, 3, -4};
	double		af[] = {1.5, 2.5};
	int64_t		al[] = {1, 2, 3};
	int			frees_before;

	check(call(a, "add", (tmebox_value[]) {I(40), I(2)}, &r) == 0 && r.v.i == 42, "add(40, 2) = 42");
	check(call(a, "add", (tmebox_value[]) {I(INT_MAX), I(1)}, &r) == 0 && r.v.i == INT_MIN,
		  "add wraps in 32 bits");
	check(call(a, "add64", (tmebox_value[]) {I(1LL << 40), I(5)}, &r) == 0 && r.v.i == (1LL << 40) + 5,
		  "add64");
	check(call(a, "fmul", (tmebox_value[]) {D(1.5), D(-4)}, &r) == 0 && r.v.d == -6.0, "fmul");
	check(call(a, "fhalf", (tmebox_value[]) {F(3.0f)}, &r) == 0 && r.v.f == 1.5f, "fhalf (f32)");
	check(call(a, "not", (tmebox_value[]) {B(false)}, &r) == 0 && r.v.b == true &&
		  call(a, "not", (tmebox_value[]) {B(true)}, &r) == 0 && r.v.b == false, "not (bool)");
	check(call(a, "inc16", (tmebox_value[]) {I(32767)}, &r) == 0 && r.v.i == -32768, "inc16 (i16)");
	check(call(a, "many", (tmebox_value[]) {I(1), I(1), I(1), I(1), I(1), I(1), I(1), I(1),
				D(1), D(1), D(1), D(1), D(1), D(1), D(1), D(1), D(1), D(1)}, &r) == 0 &&
		  r.v.d == 36 + 55, "18 arguments (stack-passed ones included)");

	test_buffers(a);
	check(call(a, "sum32", (tmebox_value[]) {A(ai, 4)}, &r) == 0 && r.v.i == 2, "ai32 argument");
	check(call(a, "scale", (tmebox_value[]) {A(af, 2), D(2)}, &r) == 0 && r.v.buf.len == 2 &&
		  ((double *) r.v.buf.data)[0] == 3.0 && ((double *) r.v.buf.data)[1] == 5.0, "af64 in and out");
	free((void *) r.v.buf.data);
	check(call(a, "rev64", (tmebox_value[]) {A(al, 3)}, &r) == 0 && r.v.buf.len == 3 &&
		  ((int64_t *) r.v.buf.data)[0] == 3 && ((int64_t *) r.v.buf.data)[2] == 1, "ai64 in and out");
	free((void *) r.v.buf.data);
	check(call(a, "msin", (tmebox_value[]) {D(0)}, &r) == 0 && r.v.d == 0 &&
		  call(a, "mlog", (tmebox_value[]) {D(1)}, &r) == 0 && r.v.d == 0 &&
		  call(a, "mpow", (tmebox_value[]) {D(2), D(10)}, &r) == 0 && r.v.d == 1024 &&
		  call(a, "mpowf", (tmebox_value[]) {F(2), F(3)}, &r) == 0 && r.v.f == 8.0f,
		  "math host calls (sin, log, pow, powf)");
	check(call(a, "add", (tmebox_value[]) {NUL(), I(1)}, &r) == -1 &&
		  lastf.kind == TMEBOX_FAULT_HOST_ERROR && !tmebox_instance_needs_reset(a),
		  "NULL scalar argument refused without harm: %s", lastmsg);

	/* globals and isolation */
	check(call(a, "counter", NULL, &r) == 0 && r.v.i == 101 &&
		  call(a, "counter", NULL, &r) == 0 && r.v.i == 102 &&
		  call(b, "counter", NULL, &r) == 0 && r.v.i == 101,
		  "each instance has its own globals");
	call(a, "poke", (tmebox_value[]) {I(G_BSS + 100), I(77)}, NULL);
	check(call(b, "peek", (tmebox_value[]) {I(G_BSS + 100)}, &r) == 0 && r.v.i == 0 &&
		  call(a, "peek", (tmebox_value[]) {I(G_BSS + 100)}, &r) == 0 && r.v.i == 77 &&
		  *(int32_t *) ((char *) tmebox_instance_view_base(a) + G_BSS + 100) == 77 &&
		  *(int32_t *) ((char *) tmebox_instance_view_base(b) + G_BSS + 100) == 0,
		  "a write in one instance is not seen by the other");
	{
		uint64_t	diff = (uint64_t) ((char *) tmebox_instance_view_base(b) -
									   (char *) tmebox_instance_view_base(a));

		call(a, "poke", (tmebox_value[]) {I((int64_t) (diff + G_BSS + 200)), I(99)}, NULL);
		check(*(int32_t *) ((char *) tmebox_instance_view_base(b) + G_BSS + 200) == 0,
			  "offset forged to reach the other view wraps inside its own view");
	}
	check(call(a, "peek", (tmebox_value[]) {I((1LL << 32) + G_COUNTER)}, &r) == 0 && r.v.i == 102,
		  "upper 32 bits of a pointer are ignored");
	{
		char		err[128];

		check(tmebox_instance_reset(a, err, sizeof(err)) == 0 &&
			  call(a, "counter", NULL, &r) == 0 && r.v.i == 101 &&
			  call(a, "peek", (tmebox_value[]) {I(G_BSS + 100)}, &r) == 0 && r.v.i == 0,
			  "reset restores the globals image and zeroes the bss");
	}

	/* host calls with good arguments */
	check(call(a, "fmt", (tmebox_value[]) {S("%.3f"), D(3.14159)}, &r) == 0 && buf_is(&r, "3.142"),
		  "fmt_double %%.3f");
	free((void *) r.v.buf.data);
	check(call(a, "fmt", (tmebox_value[]) {S("%-+ #012.4e"), D(-1.5)}, &r) == 0 &&
		  buf_is(&r, "-1.5000e+00 "), "fmt_double with all flags");
	free((void *) r.v.buf.data);
	check(call(a, "strtod", (tmebox_value[]) {S("  3.25e2xyz")}, &r) == 0 && r.v.d == 325.0 &&
		  call(a, "strtof", (tmebox_value[]) {S("1.5")}, &r) == 0 && r.v.f == 1.5f &&
		  call(a, "strtod_end", (tmebox_value[]) {S("12.5abc")}, &r) == 0 && r.v.i == 4,
		  "strtod, strtof, end pointer");
	tmebox_rt_set_log_handler(test_log_handler);
	check(call(a, "logmsg", (tmebox_value[]) {I(TMEBOX_LOG_NOTICE), S("hi there")}, NULL) == 0 &&
		  log_level == TMEBOX_LOG_NOTICE && strcmp(log_text, "hi there") == 0 &&
		  call(a, "logmsg", (tmebox_value[]) {I(77), S("x")}, NULL) == 0 &&
		  log_level == TMEBOX_LOG_WARNING,
		  "log host call reaches the log handler, level clamped");
	(void) host_canary;
}

/* prepared call of export fn; *r the result image, lastmsg on -1 */
static int
call_bits(tmebox_instance *in, const char *fn, const uint64_t *args, uint64_t *r)
{
	tmebox_prepared p;
	int			rc;

	memset(&lastf, 0, sizeof(lastf));
	lastmsg[0] = '\0';
	*r = 0xdeadbeef;
	if (tmebox_prepare(in, tmebox_module_find_export(gmod, fn), &p) != 0)
	{
		snprintf(lastmsg, sizeof(lastmsg), "not prepared");
		return -2;
	}
	rc = tmebox_call_prepared(&p, args, r, &lastf);
	if (rc != 0)
		tmebox_fault_format(&lastf, lastmsg, sizeof(lastmsg));
	return rc;
}

/* Prepared all-scalar calls: Datum-like images in, normalised image out. */
/*
 * Arrays of buffers (abuf): the host's input layout (each element
 * NUL-terminated, NULL elements as NULL pointers, on the data stack or in
 * the heap), results copied with their NULL elements, aliases and
 * overlaps, the host's frees, and every forged result a BAD_RESULT fault.
 */
static bool
abuf_is(const tmebox_value *r, int n, const char *const *want)
{
	const tmebox_value *v = r->v.buf.data;

	if (r->isnull || r->v.buf.len != (uint32_t) n)
		return false;
	for (int i = 0; i < n; i++)
		if (want[i] == NULL ? !v[i].isnull :
			(v[i].isnull || !buf_is(&v[i], want[i]) ||
			 ((const char *) v[i].v.buf.data)[v[i].v.buf.len] != '\0'))
			return false;
	return true;
}

static void
test_abuf(tmebox_instance *a)
{
	tmebox_value el[4] = {S("one"), NUL(), S(""), S("f\xc3\xbcr")};
	tmebox_value r;
	tmebox_value *big;
	char	   *bigs;
	int32_t		f0 = 0,
				f1 = 0;
	static const char *const rev[] = {"f\xc3\xbcr", "", NULL, "one"};
	static const char *const alias[] = {"dup", "dup", "one", NULL, NULL};
	static const char *const ok[] = {"ok", NULL};
	const uint32_t nbig = 20000;

	check(call(a, "abuf_join", (tmebox_value[]) {A(el, 4)}, &r) == 0 &&
		  buf_is(&r, "one|~||f\xc3\xbcr"),
		  "abuf argument: elements NUL-terminated and aligned, NULL elements NULL (%s)", lastmsg);
	free((void *) r.v.buf.data);
	check(call(a, "abuf_join", (tmebox_value[]) {A(el, 0)}, &r) == 0 && buf_is(&r, ""),
		  "abuf argument: empty array");
	free((void *) r.v.buf.data);
	check(call(a, "abuf_rev", (tmebox_value[]) {A(el, 4)}, &r) == 0 && abuf_is(&r, 4, rev),
		  "abuf result: elements copied, NULL elements NULL (%s)", lastmsg);
	free((void *) r.v.buf.data);
	check(call(a, "abuf_rev", (tmebox_value[]) {NUL()}, &r) == 0 && r.isnull,
		  "abuf result: NULL array");

	/* more than the data stack takes: the inputs go to the heap */
	big = calloc(nbig, sizeof(tmebox_value));
	bigs = malloc(nbig * 8);
	for (uint32_t i = 0; i < nbig; i++)
	{
		snprintf(bigs + 8 * i, 8, "%u", i);
		big[i] = i % 7 == 3 ? NUL() : S(bigs + 8 * i);
	}
	check(call(a, "abuf_rev", (tmebox_value[]) {A(big, nbig)}, &r) == 0 && r.v.buf.len == nbig &&
		  buf_is(&((tmebox_value *) r.v.buf.data)[0], "19999") &&
		  ((tmebox_value *) r.v.buf.data)[nbig - 1 - 3].isnull &&
		  buf_is(&((tmebox_value *) r.v.buf.data)[nbig - 1 - 4], "4"),
		  "abuf of %u elements through the heap (%s)", nbig, lastmsg);
	free((void *) r.v.buf.data);
	free(big);
	free(bigs);

	/* aliases, an input element, a NULL, the array itself as an element:
	 * copied as they are; freed: the array and "dup", once each */
	call(a, "frees", NULL, &r);
	f0 = (int32_t) r.v.i;
	check(call(a, "abuf_alias", (tmebox_value[]) {A(el, 4)}, &r) == 0 &&
		  r.v.buf.len == 5 && (r.v.buf.len = 4, abuf_is(&r, 4, alias)) &&
		  ((tmebox_value *) r.v.buf.data)[4].v.buf.len == 5,
		  "abuf result with aliases, an input and an overlap (%s)", lastmsg);
	free((void *) r.v.buf.data);
	call(a, "frees", NULL, &r);
	f1 = (int32_t) r.v.i;
	check(f1 - f0 == 2, "abuf result: the array and each distinct heap element freed once (%d frees)",
		  f1 - f0);

	check(call(a, "forged_abuf", (tmebox_value[]) {I(0)}, &r) == 0 && abuf_is(&r, 2, ok),
		  "forged_abuf baseline accepted (%s)", lastmsg);
	free((void *) r.v.buf.data);
	expect_fault(a, "abuf element near 4 GiB", "forged_abuf", (tmebox_value[]) {I(1)},
				 TMEBOX_FAULT_BAD_RESULT, "element 1 of the returned array points to 0xfffffff0");
	expect_fault(a, "abuf element with upper bits set", "forged_abuf", (tmebox_value[]) {I(2)},
				 TMEBOX_FAULT_BAD_RESULT, "points to 0x100");
	expect_fault(a, "abuf with a huge count", "forged_abuf", (tmebox_value[]) {I(3)},
				 TMEBOX_FAULT_BAD_RESULT, "claims 34359738360 bytes of element pointers");
	expect_fault(a, "abuf element length one past the break", "forged_abuf", (tmebox_value[]) {I(4)},
				 TMEBOX_FAULT_BAD_RESULT, "element 0 of the returned array claims");
	expect_fault(a, "abuf element in the NULL guard", "forged_abuf", (tmebox_value[]) {I(5)},
				 TMEBOX_FAULT_BAD_RESULT, "points to 0x8,");
	expect_fault(a, "abuf element header straddling the break", "forged_abuf", (tmebox_value[]) {I(6)},
				 TMEBOX_FAULT_BAD_RESULT, "element 1 of the returned array points to");
	expect_fault(a, "abuf header at the break", "forged_abuf", (tmebox_value[]) {I(7)},
				 TMEBOX_FAULT_BAD_RESULT, "returned array offset");
	expect_fault(a, "abuf aliases beyond the committed memory", "forged_abuf", (tmebox_value[]) {I(8)},
				 TMEBOX_FAULT_BAD_RESULT, "more than the sandbox's");
	expect_fault(a, "abuf pointers one past the break", "forged_abuf", (tmebox_value[]) {I(9)},
				 TMEBOX_FAULT_BAD_RESULT, "bytes of element pointers, past the end");
	expect_fault(a, "abuf element at the break", "forged_abuf", (tmebox_value[]) {I(10)},
				 TMEBOX_FAULT_BAD_RESULT, "element 1 of the returned array points to");
}

static void
test_scalar_bits(tmebox_instance *a)
{
	uint64_t	r;
	double		d = -6.0;
	float		f = 1.5f;
	uint64_t	dbits = 0,
				fbits = 0,
				d15 = 0,
				dm4 = 0,
				f3 = 0;
	double		x15 = 1.5,
				xm4 = -4;
	float		x3 = 3.0f;

	memcpy(&dbits, &d, 8);
	memcpy(&fbits, &f, 4);
	memcpy(&d15, &x15, 8);
	memcpy(&dm4, &xm4, 8);
	memcpy(&f3, &x3, 4);
	{
		tmebox_prepared p;

		check(tmebox_prepare(a, tmebox_module_find_export(gmod, "add"), &p) == 0 &&
			  tmebox_prepare(a, tmebox_module_find_export(gmod, "upper"), &p) == -1 &&
			  tmebox_prepare(a, tmebox_module_find_export(gmod, "many"), &p) == -1 &&
			  tmebox_prepare(a, -1, &p) == -1 && tmebox_prepare(a, 100000, &p) == -1,
			  "tmebox_prepare: all-scalar register signatures only");
	}
	/* the upper halves carry junk: only the low 32 bits are the int32 */
	check(call_bits(a, "add", (uint64_t[]) {0xffffffff00000028ULL, 0x1234567800000002ULL}, &r) == 0 &&
		  r == 42, "scalar: add ignores upper bits (%llu)", (unsigned long long) r);
	check(call_bits(a, "add", (uint64_t[]) {0x7fffffff, 1}, &r) == 0 &&
		  r == (uint64_t) (int64_t) INT32_MIN, "scalar: int32 result sign-extended");
	check(call_bits(a, "inc16", (uint64_t[]) {0xabcd7fffULL}, &r) == 0 &&
		  r == (uint64_t) (int64_t) -32768, "scalar: int16 argument cut to 16 bits, result sign-extended");
	check(call_bits(a, "add64", (uint64_t[]) {1ULL << 40, 5}, &r) == 0 && r == (1ULL << 40) + 5,
		  "scalar: add64");
	check(call_bits(a, "not", (uint64_t[]) {0x100}, &r) == 0 && r == 0 &&
		  call_bits(a, "not", (uint64_t[]) {0}, &r) == 0 && r == 1,
		  "scalar: bool argument non-zero is true, result 0/1");
	check(call_bits(a, "fmul", (uint64_t[]) {d15, dm4}, &r) == 0 && r == dbits, "scalar: double");
	check(call_bits(a, "fhalf", (uint64_t[]) {0xffffffff00000000ULL | f3}, &r) == 0 && r == fbits,
		  "scalar: float in the low 32 bits, result too");
	check(call_bits(a, "setscratch", (uint64_t[]) {77}, &r) == 0 && r == 0 &&
		  call_bits(a, "getscratch", NULL, &r) == 0 && r == 77, "scalar: void result is 0, no arguments");
	check(call_bits(a, "div", (uint64_t[]) {1, 0}, &r) == -1 && lastf.kind == TMEBOX_FAULT_DIVZERO &&
		  tmebox_instance_needs_reset(a), "scalar: fault contained: %s", lastmsg);
	check(call_bits(a, "add", (uint64_t[]) {1, 1}, &r) == -1 && lastf.kind == TMEBOX_FAULT_HOST_ERROR &&
		  strstr(lastmsg, "must be reset"), "scalar: refused until reset: %s", lastmsg);
	check(reuse_ok(a), "scalar: reusable after reset");
}

/* Forged buffer and array results: every one a BAD_RESULT fault. */
/*
 * The prepared byte-string call (tmebox_prepare_bytes, tmebox_call_bytes):
 * the results and frees of tmebox_call, an input past the data stack
 * through the general path, exports it cannot take refused, a fault
 * refusing further calls until the instance is reset.
 */
static void
test_call_bytes(tmebox_instance *a)
{
	tmebox_prepared p;
	tmebox_prepared q;
	tmebox_value r;
	tmebox_value in;
	tmebox_fault f;
	int			frees0;
	int			frees1;
	char	   *big = malloc(70001);

	memset(big, 'q', 70000);
	big[70000] = '\0';
	check(tmebox_prepare_bytes(a, tmebox_module_find_export(gmod, "upper"), &p) == 0,
		  "tmebox_prepare_bytes(upper)");
	frees0 = (call(a, "frees", NULL, &r), (int) r.v.i);
	in = S("abc");
	check(tmebox_call_bytes(&p, &in, &r, call_malloc, NULL, &f) == 0 && buf_is(&r, "ABC"),
		  "tmebox_call_bytes: upper(abc)");
	free((void *) r.v.buf.data);
	frees1 = (call(a, "frees", NULL, &r), (int) r.v.i);
	check(frees1 == frees0 + 1, "... its result freed in the sandbox (%d -> %d)", frees0, frees1);
	in = S(big);
	check(tmebox_call_bytes(&p, &in, &r, call_malloc, NULL, &f) == 0 && r.v.buf.len == 70000 &&
		  ((char *) r.v.buf.data)[69999] == 'Q', "tmebox_call_bytes: a 70000-byte input (general path)");
	free((void *) r.v.buf.data);
	in = NUL();
	check(tmebox_call_bytes(&p, &in, &r, call_malloc, NULL, &f) == 0 && r.isnull,
		  "tmebox_call_bytes: a NULL input, a NULL result");
	check(tmebox_prepare_bytes(a, tmebox_module_find_export(gmod, "sum32"), &q) == -1 &&
		  tmebox_prepare_bytes(a, -1, &q) == -1 &&
		  tmebox_prepare_bytes(a, tmebox_module_get_info(gmod)->nexports, &q) == -1,
		  "tmebox_prepare_bytes refuses an array argument and indices out of range");
	call(a, "setscratch", (tmebox_value[]) {I(RT_FREE_FAILS)}, NULL);
	in = S("abc");
	check(tmebox_call_bytes(&p, &in, &r, call_malloc, NULL, &f) == -1 &&
		  f.kind == TMEBOX_FAULT_USER_ERROR &&
		  tmebox_call_bytes(&p, &in, &r, call_malloc, NULL, &f) == -1 &&
		  f.kind == TMEBOX_FAULT_HOST_ERROR && reuse_ok(a),
		  "tmebox_call_bytes: a fault, then refused until the instance is reset");
	free(big);
}

static void
test_forged(tmebox_instance *a)
{
	tmebox_value r;
	int			rc;

	expect_fault(a, "result offset in the NULL guard", "forged", (tmebox_value[]) {I(0)},
				 TMEBOX_FAULT_BAD_RESULT, "invalid result: returned buffer offset 0x8");
	expect_fault(a, "result offset at the break", "forged", (tmebox_value[]) {I(1)},
				 TMEBOX_FAULT_BAD_RESULT, "outside the sandbox's committed memory");
	expect_fault(a, "result with a huge length", "forged", (tmebox_value[]) {I(2)},
				 TMEBOX_FAULT_BAD_RESULT, "claims 4294967280 bytes");
	expect_fault(a, "result offset near 4 GiB", "forged", (tmebox_value[]) {I(3)},
				 TMEBOX_FAULT_BAD_RESULT, "offset 0xfffffff0");
	expect_fault(a, "result one byte past the break", "forged", (tmebox_value[]) {I(6)},
				 TMEBOX_FAULT_BAD_RESULT, "past the end");
	rc = call(a, "forged", (tmebox_value[]) {I(4)}, &r);
	check(rc == 0 && !r.isnull,
		  "result ending exactly at the break is accepted (%u bytes)", r.v.buf.len);
	free((void *) r.v.buf.data);
	check(call(a, "forged", (tmebox_value[]) {I(5)}, &r) == 0 && buf_is(&r, "ok"),
		  "result offset with upper bits set is truncated to 32 bits");
	free((void *) r.v.buf.data);
	check(call(a, "forged_arr", (tmebox_value[]) {I(2)}, &r) == 0 && r.v.buf.len == 2 &&
		  ((int64_t *) r.v.buf.data)[1] == 8, "ai64 result");
	free((void *) r.v.buf.data);
	expect_fault(a, "array result with a huge count", "forged_arr", (tmebox_value[]) {I(1 << 30)},
				 TMEBOX_FAULT_BAD_RESULT, "claims 8589934592 bytes");
}

static void
test_faults(tmebox_instance *a)
{
	tmebox_value r;
	uint64_t	commit_end;
	char		msg[64];
	int64_t		canary_addr = (int64_t) (uintptr_t) &host_canary;
	char	   *long_num;
	int			rc;

	expect_fault(a, "NULL read", "peek", (tmebox_value[]) {I(0)},
				 TMEBOX_FAULT_SEGV, "segmentation fault at view offset 0x0");
	expect_fault(a, "read in the NULL guard", "peek", (tmebox_value[]) {I(0xfff0)},
				 TMEBOX_FAULT_SEGV, "at view offset 0xfff0");
	expect_fault(a, "forged offset near 4 GiB", "peek", (tmebox_value[]) {I(0xfffffff0LL)},
				 TMEBOX_FAULT_SEGV, "at view offset 0xfffffff0");
	expect_fault(a, "8-byte read straddling the 4 GiB end", "peek64", (tmebox_value[]) {I(0xfffffffdLL)},
				 TMEBOX_FAULT_SEGV, "at view offset 0xfffffffd");
	commit_end = TMEBOX_NULL_GUARD + tmebox_instance_committed(a);
	snprintf(msg, sizeof(msg), "at view offset 0x%llx", (unsigned long long) commit_end);
	expect_fault(a, "write past the break", "poke", (tmebox_value[]) {I((int64_t) commit_end), I(1)},
				 TMEBOX_FAULT_SEGV, msg);

	/* host pointers: only their low 32 bits count, as a view offset */
	{
		int			rc = call(a, "peek64", (tmebox_value[]) {I(canary_addr)}, &r);

		check((rc == -1 && lastf.kind == TMEBOX_FAULT_SEGV &&
			   lastf.view_offset == (uint32_t) canary_addr) ||
			  (rc == 0 && r.v.i != host_canary),
			  "read through a host pointer does not see the host (%s)", rc ? lastmsg : "read view data");
		reuse_ok(a);
		rc = call(a, "poke64", (tmebox_value[]) {I(canary_addr), I(0)}, NULL);
		check(host_canary == 0x1122334455667788LL,
			  "write through a host pointer leaves the host canary intact (%s)",
			  rc ? lastmsg : "wrote view memory");
		reuse_ok(a);
	}

	expect_fault(a, "division by zero", "div", (tmebox_value[]) {I(1), I(0)},
				 TMEBOX_FAULT_DIVZERO, "division by zero");
	/* #DE for both; the divisor tells them apart (rt_divfault.c) */
	expect_fault(a, "INT_MIN / -1", "div", (tmebox_value[]) {I(INT_MIN), I(-1)},
				 TMEBOX_FAULT_INTOVF, "integer out of range in division");
	expect_fault(a, "INT_MIN / 0", "div", (tmebox_value[]) {I(INT_MIN), I(0)},
				 TMEBOX_FAULT_DIVZERO, "division by zero");
	expect_fault(a, "INT64_MIN / -1", "div64", (tmebox_value[]) {I(INT64_MIN), I(-1)},
				 TMEBOX_FAULT_INTOVF, "integer out of range in division");
	expect_fault(a, "int64 division by zero", "div64", (tmebox_value[]) {I(5), I(0)},
				 TMEBOX_FAULT_DIVZERO, "division by zero");
	expect_fault(a, "INT_MIN % -1", "mod32", (tmebox_value[]) {I(INT_MIN), I(-1)},
				 TMEBOX_FAULT_INTOVF, "integer out of range in division");
	expect_fault(a, "% 0", "mod32", (tmebox_value[]) {I(7), I(0)},
				 TMEBOX_FAULT_DIVZERO, "division by zero");
	expect_fault(a, "INT_MIN / -1, divisor in the view", "divmem", (tmebox_value[]) {I(INT_MIN), I(-1)},
				 TMEBOX_FAULT_INTOVF, "integer out of range in division");
	expect_fault(a, "division by zero, divisor in the view", "divmem", (tmebox_value[]) {I(INT_MIN), I(0)},
				 TMEBOX_FAULT_DIVZERO, "division by zero");
	expect_fault(a, "unbounded recursion", "recurse", (tmebox_value[]) {I(0)},
				 TMEBOX_FAULT_STACK_OVERFLOW, "stack overflow");
	expect_fault(a, "trap host call", "trap", (tmebox_value[]) {I(TMEBOX_TRAP_UNREACHABLE)},
				 TMEBOX_FAULT_TRAP, "trap: reached unreachable code");
	expect_fault(a, "trap BAD_CALL", "trap", (tmebox_value[]) {I(TMEBOX_TRAP_BAD_CALL)},
				 TMEBOX_FAULT_TRAP, "trap: indirect call through an invalid function pointer");
	expect_fault(a, "data-stack trap", "trap", (tmebox_value[]) {I(TMEBOX_TRAP_DSTACK_OVERFLOW)},
				 TMEBOX_FAULT_STACK_OVERFLOW, "stack overflow");
	expect_fault(a, "unknown trap code", "trap", (tmebox_value[]) {I(1234)},
				 TMEBOX_FAULT_TRAP, "trap: code 1234");
	expect_fault(a, "unused host-table slot", "badhost", NULL,
				 TMEBOX_FAULT_TRAP, "invalid function pointer");
	expect_fault(a, "__builtin_trap (ud2, SIGILL)", "builtin_trap", NULL,
				 TMEBOX_FAULT_TRAP, "__builtin_trap");
	expect_fault(a, "error host call", "fail", (tmebox_value[]) {S("boom: bad input")},
				 TMEBOX_FAULT_USER_ERROR, "error raised by the function: boom: bad input");
	expect_fault(a, "error with a bad message offset", "failraw", (tmebox_value[]) {I(0x10), I(5)},
				 TMEBOX_FAULT_SEGV, "at view offset 0x10");
	expect_fault(a, "error with a huge length (clamped, stops at NUL)", "failraw",
				 (tmebox_value[]) {I(G_GREETING), I(1LL << 40)},
				 TMEBOX_FAULT_USER_ERROR, "function: hello, view");

	/* memory limit */
	expect_fault(a, "sbrk past TMEBOX_HEAP_MAX", "rawsbrk", (tmebox_value[]) {I(0xF0000000LL)},
				 TMEBOX_FAULT_OUT_OF_MEMORY, "out of memory");
	expect_fault(a, "sbrk with a negative increment", "rawsbrk", (tmebox_value[]) {I(-4096)},
				 TMEBOX_FAULT_OUT_OF_MEMORY, "out of memory");

	test_forged(a);

	/* hostile host-call arguments */
	expect_fault(a, "memmove from the NULL guard", "hmove",
				 (tmebox_value[]) {I(G_BSS), I(0x100), I(16)}, TMEBOX_FAULT_SEGV, "offset 0x100");
	expect_fault(a, "memmove with a huge length", "hmove",
				 (tmebox_value[]) {I(G_BSS), I(G_GREETING), I(1LL << 40)}, TMEBOX_FAULT_SEGV,
				 "segmentation fault at view offset");
	expect_fault(a, "memmove to a host address", "hmove",
				 (tmebox_value[]) {I(canary_addr), I(G_GREETING), I(8)}, TMEBOX_FAULT_SEGV,
				 "segmentation fault");
	check(host_canary == 0x1122334455667788LL, "host canary intact after memmove");
	check(call(a, "hmove", (tmebox_value[]) {I((1LL << 32) + G_BSS), I(G_GREETING), I(5)}, NULL) == 0 &&
		  memcmp((char *) tmebox_instance_view_base(a) + G_BSS, "hello", 5) == 0,
		  "memmove truncates offsets to 32 bits");
	expect_fault(a, "memmove across the break", "hmove",
				 (tmebox_value[]) {I(tmebox_instance_brk(a) - 8), I(G_BSS), I(16)},
				 TMEBOX_FAULT_SEGV, "segmentation fault at view offset");
	expect_fault(a, "memset of 4 GiB", "hset",
				 (tmebox_value[]) {I(G_BSS), I('A'), I(0xffffffffLL)}, TMEBOX_FAULT_SEGV,
				 "segmentation fault");
	check(call(a, "hset", (tmebox_value[]) {I(0), I(0), I(0)}, NULL) == 0 &&
		  call(a, "hset", (tmebox_value[]) {I(G_BSS), I('z'), I(3)}, NULL) == 0 &&
		  memcmp((char *) tmebox_instance_view_base(a) + G_BSS, "zzz\0", 4) == 0,
		  "memset inside the view; zero length touches nothing");
	{
		static const char *const specs[] = {"%s", "%n", "%d", "%9999f", "%.9999f", "%.3f%n",
		"%%", "f", "%", "%5", "%.3fX", "%*f", "%lf", "%1$f"};
		size_t		i;
		bool		all = true;

		for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
			if (call(a, "fmt", (tmebox_value[]) {S(specs[i]), D(1)}, &r) != 0 || !buf_is(&r, "ERR"))
				all = false;
			else
				free((void *) r.v.buf.data);
		check(all, "fmt_double refuses %zu hostile conversion specs", i);
	}
	put(a, G_BSS + 64, "%g");
	expect_fault(a, "fmt_double output in the NULL guard", "fmtraw",
				 (tmebox_value[]) {I(0x10), I(64), I(G_BSS + 64), I(2), D(1)},
				 TMEBOX_FAULT_SEGV, "offset 0x10");
	put(a, G_BSS + 64, "%g");
	expect_fault(a, "fmt_double with a huge capacity", "fmtraw",
				 (tmebox_value[]) {I(G_BSS), I(1LL << 33), I(G_BSS + 64), I(2), D(1)},
				 TMEBOX_FAULT_SEGV, "segmentation fault at view offset");
	expect_fault(a, "fmt_double with a bad spec offset", "fmtraw",
				 (tmebox_value[]) {I(G_BSS), I(64), I(0x20), I(4), D(1)},
				 TMEBOX_FAULT_SEGV, "offset 0x20");
	put(a, G_BSS + 64, "%g");
	check(call(a, "fmtraw", (tmebox_value[]) {I(G_BSS), I(64), I(G_BSS + 64), I(1LL << 40), D(1)}, &r) == 0 &&
		  r.v.i == -1, "fmt_double with a huge spec length returns -1");
	check(call(a, "fmtraw", (tmebox_value[]) {I(0), I(0), I(G_BSS + 64), I(2), D(1234.5)}, &r) == 0 &&
		  r.v.i == 6, "fmt_double with capacity 0 only measures");
	expect_fault(a, "strtod from the NULL guard", "strtodraw", (tmebox_value[]) {I(0x30), I(0)},
				 TMEBOX_FAULT_SEGV, "offset 0x30");
	expect_fault(a, "strtod with a bad end pointer", "strtodraw",
				 (tmebox_value[]) {I(G_BSS + 64), I(0x40)}, TMEBOX_FAULT_SEGV, "offset 0x40");
	memcpy((char *) tmebox_instance_view_base(a) + tmebox_instance_brk(a) - 1, "7", 1);
	check(call(a, "strtodraw", (tmebox_value[]) {I(tmebox_instance_brk(a) - 1), I(0)}, &r) == 0 &&
		  r.v.d == 7.0, "strtod of an unterminated number at the break reads nothing past it");
	long_num = malloc(2001);
	memset(long_num, '1', 2000);
	long_num[2000] = '\0';
	rc = call(a, "strtod_end", (tmebox_value[]) {S(long_num)}, &r);
	check(rc == 0 && r.v.i == 512,
		  "strtod copies at most 512 bytes out of the view (consumed %lld)", (long long) r.v.i);
	free(long_num);
}

static void
arm_timer(long first_ms, long interval_ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = first_ms / 1000;
	it.it_value.tv_usec = (first_ms % 1000) * 1000;
	it.it_interval.tv_sec = interval_ms / 1000;
	it.it_interval.tv_usec = (interval_ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static volatile int leave_calls;

/* should_leave: the host counts only every fourth signal as a cancel */
static bool
leave_on_fourth(void)
{
	return ++leave_calls >= 4;
}

static volatile int replacement_calls;

static void
replacement_alarm_handler(int sig)
{
	(void) sig;
	replacement_calls++;
	tmebox_rt_request_interrupt();
}

static void
test_interrupts(tmebox_instance *a)
{
	char		err[256] = "";

	/* asynchronous interruption: SIGALRM plays the server's SIGINT */
	signal(SIGALRM, alarm_handler);
	check(tmebox_rt_set_interrupt_signals((const int[]) {SIGALRM}, 1, NULL, err, sizeof(err)) == 0,
		  "SIGALRM becomes an interrupt signal (%s)", err);
	arm_timer(100, 0);
	expect_fault(a, "endless loop without polls stopped by a timer signal", "spin", NULL,
				 TMEBOX_FAULT_INTERRUPTED, "interrupted");
	arm_timer(100, 0);
	expect_fault(a, "endless loop of host calls stopped by a timer signal", "spin_host", NULL,
				 TMEBOX_FAULT_INTERRUPTED, "interrupted");
	tmebox_rt_request_interrupt();
	expect_fault(a, "interrupt pending before the call", "add",
				 (tmebox_value[]) {I(1), I(2)}, TMEBOX_FAULT_INTERRUPTED, "interrupted");

	/* a signal the host does not count as a cancel changes nothing */
	leave_calls = 0;
	check(tmebox_rt_set_interrupt_signals((const int[]) {SIGALRM}, 1, leave_on_fourth,
										  err, sizeof(err)) == 0,
		  "interrupt signals with a should_leave predicate (%s)", err);
	arm_timer(20, 20);
	expect_fault(a, "three signals resume the loop, the fourth leaves", "spin", NULL,
				 TMEBOX_FAULT_INTERRUPTED, "interrupted");
	arm_timer(0, 0);
	check(leave_calls == 4, "should_leave asked %d times (want 4)", leave_calls);
	tmebox_rt_clear_interrupt();

	/* a handler replaced behind the runtime's back is wrapped again */
	check(tmebox_rt_set_interrupt_signals((const int[]) {SIGALRM}, 1, NULL, err, sizeof(err)) == 0,
		  "interrupt signals reset (%s)", err);
	signal(SIGALRM, replacement_alarm_handler);
	check(tmebox_rt_check_interrupt_signals(err, sizeof(err)) == 1,
		  "a replaced interrupt handler is re-installed");
	check(tmebox_rt_check_interrupt_signals(err, sizeof(err)) == 0,
		  "an installed interrupt handler is left alone");
	replacement_calls = 0;
	arm_timer(100, 0);
	expect_fault(a, "after re-installing, the replacement runs and the loop stops", "spin", NULL,
				 TMEBOX_FAULT_INTERRUPTED, "interrupted");
	check(replacement_calls == 1, "the replacement handler ran %d times (want 1)",
		  replacement_calls);

	/* host-provided flag and handler (the PostgreSQL way): the polls after
	 * host calls ask the handler, which may resume */
	my_flag = 1;
	handler_calls = 0;
	tmebox_rt_set_interrupt_flag(&my_flag);
	tmebox_rt_set_interrupt_handler(counting_interrupt_handler);
	expect_fault(a, "custom handler resumes 3 times, then leaves", "spin_host", NULL,
				 TMEBOX_FAULT_INTERRUPTED, "interrupted");
	check(handler_calls == 4, "interrupt handler ran %d times (want 4)", handler_calls);
	tmebox_rt_set_interrupt_flag(NULL);
	tmebox_rt_set_interrupt_handler(NULL);
	check(tmebox_rt_set_interrupt_signals(NULL, 0, NULL, err, sizeof(err)) == 0,
		  "no interrupt signals (%s)", err);
}

/*
 * A large argument or result is copied in pieces of a few MB with a look
 * at the host's interrupt flag between them (rt_copy_polled): a cancel
 * that comes during the copy of a very large value ends the call there,
 * not when the copy ends.
 */
static bool copy_leave;			/* copy_interrupt_handler leaves, or resumes */
static void *flagged_block;

static int
copy_interrupt_handler(void)
{
	handler_calls++;
	if (!copy_leave)
		return 0;
	my_flag = 0;
	return 1;
}

/* a result allocator that raises the host's flag: the interrupt comes
 * while the result is copied out */
static void *
flagging_alloc(size_t size, void *arg)
{
	(void) arg;
	my_flag = 1;
	flagged_block = malloc(size);
	if (flagged_block != NULL)
		memset(flagged_block, 0, size);
	return flagged_block;
}

static void
test_copy_interrupts(tmebox_instance *a)
{
	const uint32_t n = UINT32_C(32) << 20;
	char	   *big = malloc(n);
	tmebox_value r;
	tmebox_fault f;
	int			rc;

	memset(big, 'x', n);
	tmebox_rt_set_interrupt_flag(&my_flag);
	tmebox_rt_set_interrupt_handler(copy_interrupt_handler);

	/* a flag that stays up and a handler that resumes (an interrupt that
	 * is no cancel): asked after every piece, the call completes */
	my_flag = 1;
	copy_leave = false;
	handler_calls = 0;
	rc = call(a, "blen", (tmebox_value[]) {A(big, n)}, &r);
	check(rc == 0 && r.v.i == (int32_t) n && handler_calls >= 12,
		  "a 32 MB argument's copy asks the interrupt handler between pieces (rc %d, %d calls; want >= 12: 5 without the pieces)",
		  rc, handler_calls);

	/* the flag raised when the result's copy begins: the copy stops */
	my_flag = 0;
	copy_leave = true;
	handler_calls = 0;
	flagged_block = NULL;
	memset(&f, 0, sizeof(f));
	rc = tmebox_call(a, tmebox_module_find_export(gmod, "echo"),
					 (tmebox_value[]) {A(big, n)}, &r, flagging_alloc, NULL, &f);
	check(rc == -1 && f.kind == TMEBOX_FAULT_INTERRUPTED && handler_calls == 1 &&
		  flagged_block != NULL && ((char *) flagged_block)[n - 1] != 'x',
		  "an interrupt during a 32 MB result's copy ends the call before the copy ends (rc %d, fault %d, %d calls)",
		  rc, (int) f.kind, handler_calls);
	free(flagged_block);
	check(reuse_ok(a), "reusable after an interrupted copy");

	my_flag = 0;
	tmebox_rt_set_interrupt_flag(NULL);
	tmebox_rt_set_interrupt_handler(NULL);
	free(big);
}

/*
 * The list of blocks the host frees after a result's copy is sorted
 * without repeats by a radix sort that looks at the interrupt flag as it
 * goes (rt_sort_unique, rt_call.c; red team s11 redC F2: a qsort of
 * millions of aliased offsets took seconds no cancel could cut short).
 * Called directly (a runtime-internal function): the same result as
 * qsort and unique on random offsets with repeats, short and long lists,
 * and with a flag that stays up and a handler that resumes, the handler
 * asked while a 4-million-entry list is sorted.
 */
extern int	rt_sort_unique(uint64_t *list, size_t k);

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return x < y ? -1 : x > y;
}

static void
test_sort_unique(void)
{
	static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000, 4000000};
	bool		same = true;
	uint64_t	seed = 42;

	tmebox_rt_set_interrupt_flag(&my_flag);
	tmebox_rt_set_interrupt_handler(counting_interrupt_handler);
	for (size_t t = 0; t < sizeof(sizes) / sizeof(sizes[0]); t++)
	{
		size_t		k = sizes[t];
		uint64_t   *a = malloc((k + 1) * sizeof(uint64_t));
		uint64_t   *b = malloc((k + 1) * sizeof(uint64_t));
		int			n,
					m = 0;

		for (size_t i = 0; i < k; i++)
		{
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			/* many repeated (k / 3 distinct values), below 2^32 but for
			 * k = 1000 (qsort's case: no view offset is that large) */
			a[i] = ((seed >> 33) % (k / 3 + 1)) * 16 + 0x10000 + (i % 7 == 0 ? 0x80000000u : 0) +
				(k == 1000 && i % 5 == 0 ? UINT64_C(1) << 33 : 0);
		}
		memcpy(b, a, k * sizeof(uint64_t));
		qsort(b, k, sizeof(uint64_t), cmp_u64);
		for (size_t i = 0; i < k; i++)
			if (i == 0 || b[i] != b[i - 1])
				b[m++] = b[i];
		my_flag = k == 4000000;	/* up while the long list is sorted */
		handler_calls = -1000000;	/* counting_interrupt_handler resumes */
		n = rt_sort_unique(a, k);
		if (k == 4000000)
			check(handler_calls + 1000000 >= 20,
				  "sorting 4 million offsets asks the interrupt handler (%d times; want >= 20)",
				  handler_calls + 1000000);
		same &= n == m && memcmp(a, b, (size_t) m * sizeof(uint64_t)) == 0;
		free(a);
		free(b);
	}
	my_flag = 0;
	tmebox_rt_set_interrupt_flag(NULL);
	tmebox_rt_set_interrupt_handler(NULL);
	check(same, "rt_sort_unique: the same offsets as qsort and unique (0 to 4 million entries)");
}

/*
 * No interrupt is lost between the runtime's last poll and sandboxed code
 * (red team s10 redB F1: a signal after the poll, during the argument
 * copy, the trampoline or a host-call thunk's exit, was only flagged, and
 * a loop without host calls then ran on).  A poll runs the host's
 * interrupt handler (win_interrupt_handler), which lowers the flag and
 * turns on single-stepping (EFLAGS.TF); at step n the SIGTRAP handler
 * raises SIGALRM, blocked in the handler, so it is delivered at that
 * instruction as if it had arrived there, and win_alarm raises the flag
 * as PostgreSQL's handlers do.  For n = 1, 2, ... until a step lands in
 * sandboxed code, the call must end INTERRUPTED through that signal, not
 * through the backstop timer's (a lost interrupt needs a second signal).
 * Entry: the flag is up before the call (the first poll is the entry's);
 * thunk: poll_spin's host call `interrupt` runs the handler, then loops.
 */
extern char __executable_start[];
extern char etext[];

static volatile int win_step,
			win_at,
			win_alarms,
			win_handler_calls;
static volatile bool win_raised,
			win_reached;
static uintptr_t win_host_sp;

static void
win_alarm(int sig)
{
	(void) sig;
	win_alarms++;
	my_flag = 1;
}

static int
win_interrupt_handler(void)
{
	my_flag = 0;
	if (win_handler_calls++ > 0)
		return 1;				/* a later poll: the raised signal's */
	win_step = 0;
	/* below the red zone: set TF; the trap comes after the next insn */
	__asm__ volatile ("leaq -128(%%rsp), %%rsp\n\tpushfq\n\torq $0x100, (%%rsp)\n\t"
					  "popfq\n\tleaq 128(%%rsp), %%rsp":::"memory", "cc");
	return 0;
}

static void
win_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t	pc = (uintptr_t) uc->uc_mcontext.gregs[REG_RIP];
	uintptr_t	sp = (uintptr_t) uc->uc_mcontext.gregs[REG_RSP];

	/* sandboxed code: outside this program's text and its stack */
	bool		sandbox = (pc < (uintptr_t) __executable_start || pc >= (uintptr_t) etext) &&
		(sp > win_host_sp + (1 << 20) || sp < win_host_sp - (64 << 20));

	(void) sig;
	(void) si;
	if (++win_step < win_at && !sandbox)
		return;
	uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t) 0x100;
	win_reached = sandbox;
	win_raised = true;
	raise(SIGALRM);				/* blocked until this handler returns */
}

static void
win_scan(tmebox_instance *a, const char *what, const char *fn,
		 const tmebox_value *args, bool flag_first)
{
	int			n,
				lost = 0,
				first_lost = 0;

	win_reached = false;
	for (n = 1; n <= 4000 && !win_reached; n++)
	{
		char		err[256];
		bool		ok;
		int			rc;

		win_at = n;
		win_alarms = 0;
		win_handler_calls = 0;
		win_raised = false;
		my_flag = flag_first;
		arm_timer(300, 0);		/* backstop */
		rc = call(a, fn, args, NULL);
		arm_timer(0, 0);
		ok = rc == -1 && lastf.kind == TMEBOX_FAULT_INTERRUPTED && win_raised &&
			win_alarms == 1;
		if (!ok && lost++ == 0)
			first_lost = n;
		if (tmebox_instance_reset(a, err, sizeof(err)) != 0)
			break;
	}
	check(lost == 0 && win_reached,
		  "%s: a signal at each of the %d instructions from the poll into the sandbox ends the call (lost at %d of them, first at step %d)",
		  what, n - 1, lost, first_lost);
}

static void
test_interrupt_windows(tmebox_instance *a)
{
	char		err[256] = "";
	struct sigaction sa,
				old_trap;
	int			here;

	win_host_sp = (uintptr_t) &here;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = win_trap;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGALRM);
	sigaction(SIGTRAP, &sa, &old_trap);
	signal(SIGALRM, win_alarm);
	check(tmebox_rt_set_interrupt_signals((const int[]) {SIGALRM}, 1, NULL, err, sizeof(err)) == 0,
		  "SIGALRM becomes an interrupt signal (%s)", err);
	tmebox_rt_set_interrupt_flag(&my_flag);
	tmebox_rt_set_interrupt_handler(win_interrupt_handler);

	win_scan(a, "entry (all-scalar path)", "spin", NULL, true);
	win_scan(a, "entry (buffer argument)", "spin_buf", (tmebox_value[]) {S("abc")}, true);
	win_scan(a, "host-call thunk's exit", "poll_spin", NULL, false);

	tmebox_rt_set_interrupt_flag(NULL);
	tmebox_rt_set_interrupt_handler(NULL);
	check(tmebox_rt_set_interrupt_signals(NULL, 0, NULL, err, sizeof(err)) == 0,
		  "no interrupt signals (%s)", err);
	sigaction(SIGTRAP, &old_trap, NULL);
	signal(SIGALRM, SIG_DFL);
}

/*
 * sbrk with a negative increment (the libc's trim): x holds a 100000-byte
 * heap (102400 committed).  Lowering the break to 4096 bytes into the heap
 * gives the pages above back: out of the process (mincore: not resident),
 * out of reach (a read faults) and out of the budget; growing again
 * commits zero-filled pages.  Below the heap's start is refused.
 */
static void
test_shrink(tmebox_instance *x, tmebox_budget *budget, uint64_t base_charge)
{
	uint64_t	heap_base = TMEBOX_NULL_GUARD + base_charge;
	uint64_t	used = budget->used;
	uint64_t	brk = tmebox_instance_brk(x);
	uint8_t    *gone = (uint8_t *) tmebox_instance_view_base(x) + heap_base + 4096;
	unsigned char vec[24];
	tmebox_value r;
	int			resident = 0;
	int			rc;

	check(brk == heap_base + 100000 && call(x, "poke", (tmebox_value[]) {I(heap_base + 8192), I(77)}, NULL) == 0,
		  "heap of 100000 bytes at 0x%llx (break 0x%llx)", (unsigned long long) heap_base,
		  (unsigned long long) brk);
	rc = call(x, "rawsbrk", (tmebox_value[]) {I(-(int64_t) (brk - heap_base - 4096))}, &r);
	if (mincore(gone, sizeof(vec) * 4096, vec) == 0)
		for (size_t i = 0; i < sizeof(vec); i++)
			resident += vec[i] & 1;
	else
		resident = -1;
	check(rc == 0 && (uint64_t) r.v.i == brk && tmebox_instance_brk(x) == heap_base + 4096 &&
		  tmebox_instance_committed(x) == base_charge + 4096 && budget->used == used - 98304 &&
		  resident == 0,
		  "shrinking the break returns its pages (old break 0x%llx, committed %llu, budget %llu, %d resident)",
		  (unsigned long long) r.v.i, (unsigned long long) tmebox_instance_committed(x),
		  (unsigned long long) budget->used, resident);
	rc = call(x, "rawsbrk", (tmebox_value[]) {I(8192)}, &r);
	check(rc == 0 && call(x, "peek", (tmebox_value[]) {I(heap_base + 8192)}, &r) == 0 && r.v.i == 0 &&
		  budget->used == used - 98304 + 8192,
		  "growing again commits fresh zero pages (read %lld)", (long long) r.v.i);
	rc = call(x, "rawsbrk", (tmebox_value[]) {I(-8192)}, &r);
	check(rc == 0 && budget->used == used - 98304, "and shrinking again credits them");
	expect_fault(x, "read above a lowered break", "peek", (tmebox_value[]) {I(heap_base + 8192)},
				 TMEBOX_FAULT_SEGV, "segmentation fault");
	expect_fault(x, "sbrk below the heap's start", "rawsbrk", (tmebox_value[]) {I(-1)},
				 TMEBOX_FAULT_OUT_OF_MEMORY, "out of memory");
	check(budget->used == used - 102400,
		  "after the reset x is charged for its stack and globals only (%llu)", (unsigned long long) budget->used);
}

static void
test_budget(tmebox_module *mod)
{
	tmebox_budget budget = {.limit = (2 << 20) + 2 * 12288 + 102400 + 503808 + 65536,.used = 0};
	tmebox_instance *x,
			   *y;
	char		err[256];
	tmebox_value r;
	uint64_t	base_charge;
	int			rc;

	if (tmebox_instance_create(mod, 7, &budget, &x, err, sizeof(err)) != 0 ||
		tmebox_instance_create(mod, 7, &budget, &y, err, sizeof(err)) != 0)
	{
		check(false, "create instances with a budget: %s", err);
		return;
	}
	base_charge = budget.used / 2;
	check(budget.used == 2 * (TMEBOX_DSTACK_SIZE + 12288) && tmebox_instance_keyid(x) == 7,
		  "data stacks and globals of two instances charged (%llu bytes)",
		  (unsigned long long) budget.used);
	rc = call(x, "alloc", (tmebox_value[]) {I(100000)}, &r);
	check(rc == 0 && budget.used == 2 * base_charge + 102400,
		  "heap growth charged page by page (%llu)", (unsigned long long) budget.used);
	rc = call(y, "alloc", (tmebox_value[]) {I(500000)}, &r);
	check(rc == 0 && budget.used == 2 * base_charge + 102400 + 503808,
		  "second instance charges the same budget (%llu)", (unsigned long long) budget.used);
	expect_fault(y, "allocation over the tenant limit", "alloc", (tmebox_value[]) {I(600000)},
				 TMEBOX_FAULT_OUT_OF_MEMORY, "tenant memory limit of 2793472 bytes reached");
	check(budget.used == 2 * base_charge + 102400,
		  "reset gives the heap back to the budget (%llu)", (unsigned long long) budget.used);
	check(tmebox_instance_committed(x) == base_charge + 102400,
		  "committed bytes reported (%llu)", (unsigned long long) tmebox_instance_committed(x));
	test_shrink(x, &budget, base_charge);
	tmebox_instance_destroy(x);
	tmebox_instance_destroy(y);
	check(budget.used == 0, "destroy gives everything back");
	budget.limit = 4096;
	check(tmebox_instance_create(mod, 7, &budget, &x, err, sizeof(err)) == -1 &&
		  strstr(err, "tenant memory limit of 4096 bytes"), "instance refused over the limit: %s", err);
}

static int
count_maps(void)
{
	FILE	   *f = fopen("/proc/self/maps", "r");
	int			n = 0,
				c;

	if (f == NULL)
		return -1;
	while ((c = fgetc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

static int
count_view_maps(tmebox_instance *in)
{
	FILE	   *f = fopen("/proc/self/maps", "r");
	char		line[512];
	int			n = 0;
	uintptr_t	lo = (uintptr_t) tmebox_instance_view_base(in),
				hi = lo + TMEBOX_VIEW_SPAN;

	while (f && fgets(line, sizeof(line), f))
	{
		unsigned long s,
					e;

		/* neighbouring PROT_NONE ends may merge with other views */
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < hi && e > lo)
			n++;
	}
	if (f)
		fclose(f);
	return n;
}

static void
test_many(tmebox_module *mod)
{
	enum
	{
	NINST = 1000};
	static tmebox_instance *inst[NINST];
	tmebox_budget budget = {.limit = UINT64_MAX,.used = 0};
	char		err[256];
	int			before = count_maps(),
				i,
				created = 0,
				good = 0;
	tmebox_value r;

	for (i = 0; i < NINST; i++)
	{
		if (tmebox_instance_create(mod, (uint32_t) i, &budget, &inst[i], err, sizeof(err)) != 0)
			break;
		created++;
	}
	check(created == NINST, "%d instances alive at once (%s)", created, created == NINST ? "ok" : err);
	for (i = 0; i < created; i++)
		if (call(inst[i], "add", (tmebox_value[]) {I(i), I(1)}, &r) == 0 && r.v.i == i + 1)
			good++;
	check(good == created, "a call in each of them (%d good)", good);
	check(count_view_maps(inst[0]) == 3, "3 mappings per view (%d)", count_view_maps(inst[0]));
	for (i = 0; i < created; i++)
		tmebox_instance_destroy(inst[i]);
	check(budget.used == 0 && count_maps() == before,
		  "all destroyed: budget %llu, mappings %d -> %d", (unsigned long long) budget.used,
		  before, count_maps());
}

/* Host SIGFPE handler installed before the runtime (like PostgreSQL's). */
static sigjmp_buf host_fpe_env;
static volatile int host_fpe_seen;

static void
host_fpe_handler(int sig)
{
	(void) sig;
	host_fpe_seen++;
	siglongjmp(host_fpe_env, 1);
}

/*
 * Regression (found by extension/fuzz/fuzz_call): when the sandbox's free
 * of the result faulted after the runtime had malloc'ed the result copy
 * (result_alloc NULL), tmebox_call returned the fault and leaked the copy.
 */
static void
test_result_free_fault(tmebox_instance *a)
{
	static char big[64 * 1024];
	struct mallinfo2 before,
				after;
	int			round,
				faults = 0;
	char		err[256];
	tmebox_value r;

	memset(big, 'x', sizeof(big) - 1);
	before = mallinfo2();
	for (round = 0; round < 64; round++)
	{
		if (call(a, "setscratch", (tmebox_value[]) {I(RT_FREE_FAILS)}, NULL) != 0)
			break;
		if (call(a, "upper", (tmebox_value[]) {S(big)}, &r) == -1 &&
			lastf.kind == TMEBOX_FAULT_USER_ERROR && strstr(lastmsg, "hello") != NULL)
			faults++;
		if (tmebox_instance_reset(a, err, sizeof(err)) != 0)
			break;
	}
	after = mallinfo2();
	check(faults == 64, "a failing free of the result after the copy-out is a fault (%d of 64)",
		  faults);
	check(after.uordblks + after.hblkhd < before.uordblks + before.hblkhd + (1 << 20),
		  "... and the result copy is not leaked (%zu -> %zu bytes in use)",
		  before.uordblks + before.hblkhd, after.uordblks + after.hblkhd);
	check(reuse_ok(a), "instance reusable after failing frees");
}

static void
usr2_handler(int sig)
{
	(void) sig;
}

static void
test_host_signals(tmebox_instance *a)
{
	volatile int zero = 0;
	volatile int x = 1;
	pid_t		pid;
	int			status;
	stack_t		ss = {0};
	struct sigaction sa;
	char		err[256] = "";

	/* every handler on the alternate stack, which is large enough */
	check(sigaltstack(NULL, &ss) == 0 && !(ss.ss_flags & SS_DISABLE) &&
		  ss.ss_size >= 256 * 1024,
		  "the alternate signal stack has %zu bytes (want 256 kB at least)", ss.ss_size);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = usr2_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGWINCH, SIG_DFL);
	check(tmebox_rt_handlers_onstack(err, sizeof(err)) == 0 &&
		  sigaction(SIGUSR2, NULL, &sa) == 0 && (sa.sa_flags & SA_ONSTACK) &&
		  sa.sa_handler == usr2_handler &&
		  sigaction(SIGWINCH, NULL, &sa) == 0 && !(sa.sa_flags & SA_ONSTACK) &&
		  sigaction(SIGFPE, NULL, &sa) == 0 && (sa.sa_flags & SA_ONSTACK),
		  "tmebox_rt_handlers_onstack adds SA_ONSTACK to installed handlers only (%s)", err);
	signal(SIGUSR2, SIG_DFL);

	if (sigsetjmp(host_fpe_env, 1) == 0)
		x = x / zero;
	check(host_fpe_seen == 1, "a host SIGFPE goes to the handler installed before the runtime");
	check(reuse_ok(a), "runtime still works after a host SIGFPE");

	fflush(stdout);
	pid = fork();
	if (pid == 0)
	{
		volatile int *volatile p = NULL;

		*p = 1;					/* a host bug: must crash as usual */
		_exit(0);
	}
	waitpid(pid, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
		  "a host SIGSEGV outside the sandbox still kills (the child) with SIGSEGV");
	(void) x;
}

static void
test_nesting_and_unwind(tmebox_instance *a, tmebox_instance *b)
{
	sigjmp_buf	env;
	tmebox_value r;

	tmebox_rt_set_log_handler(test_log_handler);
	nested_inst = b;
	nested_rc = 0;
	check(call(a, "logmsg", (tmebox_value[]) {I(1), S("x")}, NULL) == 0 &&
		  nested_rc == -1 && nested_fault.kind == TMEBOX_FAULT_HOST_ERROR &&
		  strstr(nested_fault.message, "nested") != NULL &&
		  nested_prepared_rc == -1 && nested_prepared_fault.kind == TMEBOX_FAULT_HOST_ERROR &&
		  strstr(nested_prepared_fault.message, "nested") != NULL,
		  "a host call cannot enter a sandbox again (tmebox_call, tmebox_call_prepared)");
	nested_inst = NULL;

	log_escape = &env;
	if (sigsetjmp(env, 1) == 0)
	{
		call(a, "logmsg", (tmebox_value[]) {I(1), S("escape")}, NULL);
		check(false, "log handler longjmp did not happen");
	}
	else
	{
		bool		in = tmebox_rt_in_call();

		tmebox_rt_unwind();
		check(in && !tmebox_rt_in_call() && tmebox_instance_needs_reset(a) &&
			  call(b, "add", (tmebox_value[]) {I(2), I(2)}, &r) == 0 && r.v.i == 4 &&
			  reuse_ok(a),
			  "longjmp out of a host call + tmebox_rt_unwind leaves the runtime usable");
	}
	log_escape = NULL;

	/*
	 * A host function that caught an error of the host's own ends the call
	 * through tmebox_rt_host_raised: the call returns HOST_RAISED with the
	 * runtime's state restored and the instance marked for reset.
	 */
	log_raise = true;
	check(call(a, "logmsg", (tmebox_value[]) {I(1), S("raise")}, NULL) == -1 &&
		  lastf.kind == TMEBOX_FAULT_HOST_RAISED && !tmebox_rt_in_call() &&
		  tmebox_instance_needs_reset(a) &&
		  call(b, "add", (tmebox_value[]) {I(2), I(2)}, &r) == 0 && r.v.i == 4 &&
		  reuse_ok(a),
		  "an error caught in the log handler ends the call (HOST_RAISED, reset, reusable)");
	log_raise = false;
	tmebox_rt_set_log_handler(NULL);

	my_flag = 1;
	tmebox_rt_set_interrupt_flag(&my_flag);
	tmebox_rt_set_interrupt_handler(raising_interrupt_handler);
	check(call(b, "add", (tmebox_value[]) {I(2), I(2)}, &r) == -1 &&
		  lastf.kind == TMEBOX_FAULT_HOST_RAISED && !tmebox_rt_in_call() &&
		  tmebox_instance_needs_reset(b),
		  "an error caught in the interrupt check before the entry ends the call");
	my_flag = 0;
	tmebox_rt_set_interrupt_flag(NULL);
	tmebox_rt_set_interrupt_handler(NULL);
	check(reuse_ok(b), "... and the instance is reusable after a reset");

	{
		tmebox_fault f;
		int			rc;

		rc = tmebox_call(a, tmebox_module_find_export(gmod, "upper"),
						 (tmebox_value[]) {S("abc")}, &r, raising_alloc, NULL, &f);
		check(rc == -1 && f.kind == TMEBOX_FAULT_HOST_RAISED && !tmebox_rt_in_call() &&
			  tmebox_instance_needs_reset(a) && reuse_ok(a),
			  "an error caught in result_alloc ends the call");
	}
	tmebox_rt_host_raised();
	check(!tmebox_rt_in_call(), "tmebox_rt_host_raised returns when no call is in progress");
}

/*
 * Host calls the embedding host implements (tmebox_rt_set_host_function):
 * refused for the runtime's own slots and slots outside the table; a
 * slot nobody set traps BAD_CALL (badhost calls slot 12, sql_free, in
 * test_faults); once set, modules loaded afterwards call the host's
 * function through its thunk; NULL unsets it.
 */
static int	host12_calls;
static int32_t host12_arg;
static bool host12_saw_view;

static void
host12(int32_t h)
{
	host12_calls++;
	host12_arg = h;
	/* inside a call: the committed view is reachable, the NULL guard not */
	host12_saw_view = tmebox_rt_view_ptr(TMEBOX_NULL_GUARD, 16) != NULL &&
		tmebox_rt_view_ptr(0x10, 16) == NULL &&
		tmebox_rt_view_ptr(UINT64_C(0xfffffff0), 64) == NULL;
}

static void
test_host_function(const char *file, size_t len)
{
	tmebox_module *m;
	tmebox_instance *x;
	char		err[512];

	check(tmebox_rt_set_host_function(0, (void *) host12) == -1 &&
		  tmebox_rt_set_host_function(2, (void *) host12) == -1 &&
		  tmebox_rt_set_host_function(16, (void *) host12) == -1 &&
		  tmebox_rt_set_host_function(-1, (void *) host12) == -1 &&
		  tmebox_rt_set_host_function(TMEBOX_HOST_COUNT, (void *) host12) == -1 &&
		  tmebox_rt_set_host_function(15, (void *) host12) == -1,
		  "set_host_function refuses the runtime's slots and slots without a host call");
	check(tmebox_rt_view_ptr(TMEBOX_NULL_GUARD, 1) == NULL,
		  "view_ptr outside a call is NULL");
	check(tmebox_rt_set_host_function(12, (void *) host12) == 0,
		  "set_host_function sets a host-implemented slot");
	if (tmebox_module_load(file, len, &m, err, sizeof(err)) != 0 ||
		tmebox_instance_create(m, 3, NULL, &x, err, sizeof(err)) != 0)
	{
		check(false, "load mod_test again: %s", err);
		return;
	}
	host12_calls = 0;
	check(call(x, "badhost", NULL, NULL) == 0 && host12_calls == 1 && host12_saw_view,
		  "a module loaded afterwards calls the host's function through slot 12");
	tmebox_instance_destroy(x);
	tmebox_module_unload(m);
	check(tmebox_rt_set_host_function(12, NULL) == 0, "NULL unsets the slot");
	if (tmebox_module_load(file, len, &m, err, sizeof(err)) != 0 ||
		tmebox_instance_create(m, 3, NULL, &x, err, sizeof(err)) != 0)
	{
		check(false, "load mod_test again: %s", err);
		return;
	}
	expect_fault(x, "unset host slot again", "badhost", NULL,
				 TMEBOX_FAULT_TRAP, "invalid function pointer");
	tmebox_instance_destroy(x);
	tmebox_module_unload(m);
}

int
main(int argc, char **argv)
{
	size_t		len;
	char	   *file;
	char		err[512];
	tmebox_instance *a,
			   *b;

	if (argc != 2)
	{
		fprintf(stderr, "usage: test_rt BUILD_DIR\n");
		return 2;
	}
	builddir = argv[1];
	signal(SIGFPE, host_fpe_handler);	/* before the runtime, as in a backend */

	file = tap_load_file(builddir, "mod_test.tmebox", &len);
	test_metadata(file, len);
	test_metadata_bounds(file, len);
	test_elf(file, len);
	if (tmebox_module_load(file, len, &gmod, err, sizeof(err)) != 0)
	{
		check(false, "load mod_test: %s", err);
		printf("%d passed, %d failed\n", npass, nfail);
		return 1;
	}
	check(true, "load mod_test");
	if (tmebox_instance_create(gmod, 1, NULL, &a, err, sizeof(err)) != 0 ||
		tmebox_instance_create(gmod, 2, NULL, &b, err, sizeof(err)) != 0)
	{
		check(false, "create instances: %s", err);
		printf("%d passed, %d failed\n", npass, nfail);
		return 1;
	}
	test_calls(a, b);
	test_abuf(a);
	test_scalar_bits(a);
	test_faults(a);
	/* with a host's result allocator: byte-string signatures take the
	 * short path (rt_call_bytes); same results, frees and faults */
	call_alloc = call_malloc;
	test_buffers(a);
	test_forged(a);
	call_alloc = NULL;
	test_call_bytes(a);
	test_interrupts(a);
	test_copy_interrupts(a);
	test_sort_unique();
	test_interrupt_windows(a);
	test_budget(gmod);
	test_host_signals(a);
	test_result_free_fault(a);
	test_nesting_and_unwind(a, b);
	test_host_function(file, len);
	test_many(gmod);
	tmebox_instance_destroy(a);
	tmebox_instance_destroy(b);
	tmebox_module_unload(gmod);
	free(file);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
