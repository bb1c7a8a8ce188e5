/*-------------------------------------------------------------------------
 *
 * tmebox_run.c
 *		tmebox-run: load a tmebox module, create one sandbox instance and
 *		call one exported function with arguments from the command line.
 *
 *		tmebox-run [--timeout MS] [--memory-limit BYTES] [--keyid N]
 *				   MODULE FUNCTION [ARG...]
 *		tmebox-run --list MODULE
 *
 * Arguments are parsed by the export's signature (integers, floats,
 * true/false, strings for buffers, comma-separated lists for arrays).  The
 * result goes to stdout: integers in decimal, floats with %.17g, bool as
 * true/false, a buffer as its raw bytes plus a newline, an array as a
 * comma-separated list, a NULL buffer/array as "NULL", void as nothing.
 * Sandbox log output at INFO (printf) goes to stdout, other levels to
 * stderr.
 *
 * Exit status: 0 = returned normally; 1 = the module could not be read or
 * loaded, or a runtime error; 2 = usage error (bad option, unknown
 * function, wrong number or format of arguments); 3 = the call ended with
 * a contained fault, printed as "tmebox-run: <fault>" on stderr.
 *
 * Invariant: --timeout interrupts the sandbox exactly as the server's
 * cancel does: the SIGALRM handler only calls tmebox_rt_request_interrupt,
 * and SIGALRM is the runtime's interrupt signal (the server's is SIGINT).
 *
 *-------------------------------------------------------------------------
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "../runtime/tmebox_rt.h"

static const char *progname = "tmebox-run";

static void
usage(FILE *out)
{
	fprintf(out,
			"%s runs one function of a tmebox module inside a sandbox.\n\n"
			"Usage:\n"
			"  %s [OPTION]... MODULE FUNCTION [ARG...]\n"
			"  %s --list MODULE\n\n"
			"Options:\n"
			"  --timeout MS          interrupt the call after MS milliseconds (exit 3)\n"
			"  --memory-limit BYTES  tenant memory limit (suffixes k, M, G; default none)\n"
			"  --keyid N             KeyID label of the instance (default 1)\n"
			"  --list                print the module's exported signatures and exit\n"
			"  --help                show this help and exit\n\n"
			"Arguments follow the signature: i16/i32/i64 integers, f32/f64 floats,\n"
			"bool true/false, buf any string, ai16/ai32/ai64/af32/af64/abool lists\n"
			"like 1,2,3, abuf lists of strings like a,b,c (a NULL element prints NULL).\n"
			"Exit status: 0 ok, 1 load error, 2 usage error, 3 contained fault.\n",
			progname, progname, progname);
}

static void
die_usage(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

static void
die_usage(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry \"%s --help\" for more information.\n", progname);
	exit(2);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	size_t		cap = 0,
				n = 0;

	if (f == NULL)
	{
		fprintf(stderr, "%s: could not open module \"%s\": %s\n", progname, path,
				strerror(errno));
		exit(1);
	}
	for (;;)
	{
		size_t		r;

		if (n == cap)
		{
			char	   *nb;

			cap = cap ? cap * 2 : 1 << 16;
			nb = realloc(buf, cap);
			if (nb == NULL)
			{
				fprintf(stderr, "%s: out of memory\n", progname);
				exit(1);
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f))
	{
		fprintf(stderr, "%s: could not read module \"%s\"\n", progname, path);
		exit(1);
	}
	fclose(f);
	*len = n;
	return buf;
}

static bool
parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool
parse_double(const char *s, double *out)
{
	char	   *end;

	errno = 0;
	*out = strtod(s, &end);
	return end != s && *end == '\0' && errno != ERANGE;
}

static bool
parse_size(const char *s, uint64_t *out)
{
	char	   *end;
	unsigned long long v;
	uint64_t	mul = 1;

	errno = 0;
	if (*s == '-')
		return false;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return false;
	if (*end == 'k' || *end == 'K')
		mul = UINT64_C(1) << 10;
	else if (*end == 'M')
		mul = UINT64_C(1) << 20;
	else if (*end == 'G')
		mul = UINT64_C(1) << 30;
	if (mul != 1)
		end++;
	if (*end == 'B')
		end++;
	if (*end != '\0' || v > UINT64_MAX / mul)
		return false;
	*out = v * mul;
	return true;
}

/* Parse scalar text s as type t into v (integers range-checked by width). */
static bool
parse_scalar(const char *s, tmebox_type t, tmebox_value *v)
{
	unsigned	bits = 8 * tmebox_type_width(t);
	int64_t		x;
	double		d;

	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_BOOL:
			if (strcmp(s, "true") == 0 || strcmp(s, "t") == 0 || strcmp(s, "1") == 0)
				v->v.b = true;
			else if (strcmp(s, "false") == 0 || strcmp(s, "f") == 0 || strcmp(s, "0") == 0)
				v->v.b = false;
			else
				return false;
			return true;
		case TMEBOX_CLASS_INT:
			if (!parse_int(s, bits == 64 ? INT64_MIN : -((int64_t) 1 << (bits - 1)),
						   bits == 64 ? INT64_MAX : ((int64_t) 1 << (bits - 1)) - 1, &x))
				return false;
			v->v.i = x;
			return true;
		case TMEBOX_CLASS_FLOAT:
			if (!parse_double(s, &d))
				return false;
			if (bits == 32)
				v->v.f = (float) d;
			else
				v->v.d = d;
			return true;
		default:
			return false;
	}
}

/* Parse "1,2,3" into a malloc'ed array of t's elements ("" = empty). */
static bool
parse_array(const char *s, tmebox_type t, tmebox_value *v)
{
	tmebox_type et = tmebox_type_elem(t);
	size_t		n = 0,
				cap = 8,
				el = tmebox_type_width(t);
	char	   *data = malloc(cap * el);
	const char *p = s;
	char		tok[128];

	if (data == NULL)
		return false;
	while (*s != '\0')
	{
		const char *comma = strchr(p, ',');
		size_t		tl = comma ? (size_t) (comma - p) : strlen(p);
		tmebox_value ev;

		if (tl == 0 || tl >= sizeof(tok))
			return false;
		memcpy(tok, p, tl);
		tok[tl] = '\0';
		if (n == cap)
		{
			cap *= 2;
			data = realloc(data, cap * el);
			if (data == NULL)
				return false;
		}
		if (!parse_scalar(tok, et, &ev))
			return false;
		tmebox_scalar_store(et, &ev, data + n * el);
		n++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	if (n > UINT32_MAX)
		return false;
	v->v.buf.data = data;
	v->v.buf.len = (uint32_t) n;
	return true;
}

/*
 * Parse "a,b,c" into an array of buffers ("" = empty; no NULL elements,
 * no commas inside an element): elements point into a malloc'ed copy.
 */
static bool
parse_bufarray(const char *s, tmebox_value *v)
{
	size_t		n = *s == '\0' ? 0 : 1;
	char	   *copy = strdup(s);
	tmebox_value *ev;
	char	   *p = copy;

	for (const char *c = s; *c != '\0'; c++)
		n += *c == ',';
	ev = calloc(n > 0 ? n : 1, sizeof(tmebox_value));
	if (copy == NULL || ev == NULL || n > UINT32_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		char	   *comma = strchr(p, ',');

		if (comma != NULL)
			*comma = '\0';
		ev[i].v.buf.data = p;
		ev[i].v.buf.len = (uint32_t) strlen(p);
		p = comma != NULL ? comma + 1 : p + strlen(p);
	}
	v->v.buf.data = ev;
	v->v.buf.len = (uint32_t) n;
	return true;
}

static void
parse_arg(const tmebox_signature *sig, int i, const char *s, tmebox_value *v)
{
	tmebox_type t = sig->args[i];
	bool		ok;

	memset(v, 0, sizeof(*v));
	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_BUF:
			ok = strlen(s) <= UINT32_MAX;
			v->v.buf.data = s;
			v->v.buf.len = (uint32_t) strlen(s);
			break;
		case TMEBOX_CLASS_ARRAY:
			ok = parse_array(s, t, v);
			break;
		case TMEBOX_CLASS_BUFARRAY:
			ok = parse_bufarray(s, v);
			break;
		default:
			ok = parse_scalar(s, t, v);
			break;
	}
	if (!ok)
		die_usage("argument %d of \"%s\" is not a valid %s: \"%s\"", i + 1,
				  sig->name, tmebox_type_code(t), s);
}

/* Print scalar r of type t (no newline). */
static void
print_scalar(tmebox_type t, const tmebox_value *r)
{
	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_BOOL:
			printf("%s", r->v.b ? "true" : "false");
			break;
		case TMEBOX_CLASS_INT:
			printf("%" PRId64, r->v.i);
			break;
		case TMEBOX_CLASS_FLOAT:
			printf("%.17g", tmebox_type_width(t) == 4 ? (double) r->v.f : r->v.d);
			break;
		default:
			break;
	}
}

static void
print_result(tmebox_type t, const tmebox_value *r)
{
	tmebox_type et = tmebox_type_elem(t);
	unsigned	el = tmebox_type_width(t);

	switch (tmebox_type_class_of(t))
	{
		case TMEBOX_CLASS_VOID:
			return;
		case TMEBOX_CLASS_BUF:
		case TMEBOX_CLASS_ARRAY:
		case TMEBOX_CLASS_BUFARRAY:
			break;
		default:
			print_scalar(t, r);
			putchar('\n');
			return;
	}
	if (r->isnull)
	{
		printf("NULL\n");
		return;
	}
	if (tmebox_type_class_of(t) == TMEBOX_CLASS_BUF)
	{
		fwrite(r->v.buf.data, 1, r->v.buf.len, stdout);
		putchar('\n');
		return;
	}
	if (tmebox_type_class_of(t) == TMEBOX_CLASS_BUFARRAY)
	{
		/* elements separated by commas, a NULL element as NULL */
		const tmebox_value *ev = r->v.buf.data;

		/* a shape's dimensions are not printed: the elements in order */
		for (uint32_t i = 0; i < (r->v.buf.len & ~TMEBOX_ARRAY_SHAPED); i++)
		{
			if (i > 0)
				putchar(',');
			if (ev[i].isnull)
				printf("NULL");
			else
				fwrite(ev[i].v.buf.data, 1, ev[i].v.buf.len, stdout);
		}
		putchar('\n');
		return;
	}
	for (uint32_t i = 0; i < (r->v.buf.len & ~TMEBOX_ARRAY_SHAPED); i++)
	{
		tmebox_value ev;
		uint32_t	n = r->v.buf.len & ~TMEBOX_ARRAY_SHAPED;
		const char *shape = (const char *) r->v.buf.data + TMEBOX_ARRAY_SHAPE_AT((uint64_t) el * n);
		uint32_t	has_nulls = 0;

		if (r->v.buf.len & TMEBOX_ARRAY_SHAPED)
			memcpy(&has_nulls, shape + 4, sizeof(has_nulls));
		if (i > 0)
			putchar(',');
		if (has_nulls && shape[TMEBOX_ARRAY_SHAPE_HDR + i])
		{
			printf("NULL");
			continue;
		}
		tmebox_scalar_load(et, (const char *) r->v.buf.data + (size_t) el * i, &ev);
		print_scalar(et, &ev);
	}
	putchar('\n');
}

static void
log_handler(int level, const char *msg, size_t len)
{
	static const char *const names[] = {"DEBUG", "INFO", "NOTICE", "WARNING"};

	if (level == TMEBOX_LOG_INFO)
	{
		fwrite(msg, 1, len, stdout);
		fflush(stdout);
		return;
	}
	fprintf(stderr, "%s: ", names[level >= 0 && level <= 3 ? level : 3]);
	fwrite(msg, 1, len, stderr);
	if (len == 0 || msg[len - 1] != '\n')
		fputc('\n', stderr);
}

static void
alarm_handler(int sig)
{
	(void) sig;
	tmebox_rt_request_interrupt();
}

static void
list_exports(const tmebox_module_info *info)
{
	int			i,
				a;

	for (i = 0; i < info->nexports; i++)
	{
		const tmebox_signature *s = &info->exports[i];

		printf("%s(", s->name);
		for (a = 0; a < s->nargs; a++)
			printf("%s%s", a ? ", " : "", tmebox_type_code(s->args[a]));
		printf(") -> %s\t%s\n", tmebox_type_code(s->ret), s->csig);
	}
	for (i = 0; i < info->nskipped; i++)
		printf("skipped: %s\n", info->skipped[i]);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"timeout", required_argument, NULL, 't'},
		{"memory-limit", required_argument, NULL, 'm'},
		{"keyid", required_argument, NULL, 'k'},
		{"list", no_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int64_t		timeout_ms = 0;
	uint64_t	limit = 0;
	bool		have_limit = false;
	int64_t		keyid = 1;
	bool		list = false;
	int			c;
	const char *path;
	char	   *file;
	size_t		len;
	char		err[1024];
	tmebox_module *mod;
	tmebox_instance *inst;
	tmebox_budget budget;
	const tmebox_module_info *info;
	const tmebox_signature *sig;
	tmebox_value args[TMEBOX_MAX_ARGS];
	tmebox_value result;
	tmebox_fault fault;
	int			idx,
				i,
				nargs;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1)
	{
		switch (c)
		{
			case 't':
				if (!parse_int(optarg, 1, INT32_MAX, &timeout_ms))
					die_usage("invalid --timeout \"%s\" (milliseconds, > 0)", optarg);
				break;
			case 'm':
				if (!parse_size(optarg, &limit))
					die_usage("invalid --memory-limit \"%s\"", optarg);
				have_limit = true;
				break;
			case 'k':
				if (!parse_int(optarg, 0, UINT32_MAX, &keyid))
					die_usage("invalid --keyid \"%s\"", optarg);
				break;
			case 'l':
				list = true;
				break;
			case 'h':
				usage(stdout);
				return 0;
			default:
				fprintf(stderr, "Try \"%s --help\" for more information.\n", progname);
				return 2;
		}
	}
	if (list ? optind + 1 != argc : optind + 2 > argc)
		die_usage("%s", list ? "--list takes exactly one MODULE" : "missing MODULE or FUNCTION");
	path = argv[optind];
	file = read_file(path, &len);
	if (tmebox_module_load(file, len, &mod, err, sizeof(err)) != 0)
	{
		fprintf(stderr, "%s: could not load module \"%s\": %s\n", progname, path, err);
		return 1;
	}
	free(file);
	info = tmebox_module_get_info(mod);
	if (list)
	{
		list_exports(info);
		return 0;
	}
	idx = tmebox_module_find_export(mod, argv[optind + 1]);
	if (idx < 0)
		die_usage("module \"%s\" exports no function \"%s\"", path, argv[optind + 1]);
	sig = &info->exports[idx];
	/* rows travel as C structs whose members only SQL names */
	for (i = -1; i < sig->nargs; i++)
		if (tmebox_signature_struct(sig, i) != NULL)
			die_usage("function \"%s\" takes or returns a row (a C struct): call it from SQL",
					  sig->name);
	/* records: dynamic rows whose columns only SQL knows */
	for (i = -1; i < sig->nargs; i++)
	{
		tmebox_type t = i < 0 ? sig->ret : sig->args[i];

		if (tmebox_type_class_of(t) == TMEBOX_CLASS_ROW ||
			tmebox_type_class_of(t) == TMEBOX_CLASS_ROWS)
			die_usage("function \"%s\" takes or returns a record (a tmebox_row): call it from SQL",
					  sig->name);
	}
	nargs = argc - optind - 2;
	if (nargs != sig->nargs)
		die_usage("function \"%s\" takes %d argument%s, %d given (%s)", sig->name,
				  sig->nargs, sig->nargs == 1 ? "" : "s", nargs, sig->csig);
	for (i = 0; i < nargs; i++)
		parse_arg(sig, i, argv[optind + 2 + i], &args[i]);

	budget.limit = limit;
	budget.used = 0;
	budget.domain = 0;
	if (tmebox_instance_create(mod, (uint32_t) keyid, have_limit ? &budget : NULL,
							   &inst, err, sizeof(err)) != 0)
	{
		fprintf(stderr, "%s: %s\n", progname, err);
		return strncmp(err, "out of memory", 13) == 0 ? 3 : 1;
	}
	tmebox_rt_set_log_handler(log_handler);
	if (timeout_ms > 0)
	{
		struct sigaction sa;
		struct itimerval it;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = alarm_handler;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		sigaction(SIGALRM, &sa, NULL);
		/* the runtime's handler runs ours, then stops sandboxed code */
		if (tmebox_rt_set_interrupt_signals((const int[]) {SIGALRM}, 1, NULL,
											err, sizeof(err)) != 0)
		{
			fprintf(stderr, "%s: %s\n", progname, err);
			return 1;
		}
		memset(&it, 0, sizeof(it));
		it.it_value.tv_sec = timeout_ms / 1000;
		it.it_value.tv_usec = (timeout_ms % 1000) * 1000;
		setitimer(ITIMER_REAL, &it, NULL);
	}
	if (tmebox_call(inst, idx, args, &result, NULL, NULL, &fault) != 0)
	{
		char		msg[TMEBOX_MESSAGE_MAX + 128];

		fflush(stdout);
		tmebox_fault_format(&fault, msg, sizeof(msg));
		fprintf(stderr, "%s: %s\n", progname, msg);
		return fault.kind == TMEBOX_FAULT_HOST_ERROR ? 1 : 3;
	}
	print_result(sig->ret, &result);
	if (fflush(stdout) != 0)
	{
		fprintf(stderr, "%s: could not write the result: %s\n", progname, strerror(errno));
		return 1;
	}
	tmebox_instance_destroy(inst);
	tmebox_module_unload(mod);
	return 0;
}
