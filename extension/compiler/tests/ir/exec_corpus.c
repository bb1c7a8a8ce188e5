/* Execution: recursion, structs by value, unions, globals holding pointers
 * and function pointers, qsort through a comparator, a switch, strings,
 * a VLA and bulk copies - sandboxed result == native result. */
// ARGS: 0 1 2 3 5 8 13 40 77 100 255 1000
typedef unsigned long size_t;

struct pt { long x, y; char tag[40]; };
union num { double d; long l; unsigned char b[8]; };

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static long ack(long m, long n)
{
	if (m == 0) return n + 1;
	if (n == 0) return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *) a, y = *(const long *) b;
	return (x > y) - (x < y);
}
static int cmp_rev(const void *a, const void *b) { return cmp_long(b, a); }

static void swap_bytes(char *a, char *b, size_t n)
{
	while (n--) { char t = *a; *a++ = *b; *b++ = t; }
}

/* a plain qsort (insertion sort + recursion) through a function pointer */
static void my_qsort(void *base, size_t n, size_t sz, int (*cmp)(const void *, const void *))
{
	char *b = base;
	if (n < 2) return;
	size_t p = 0;
	for (size_t i = 1; i < n; i++)
		if (cmp(b + i * sz, b) < 0)
			swap_bytes(b + ++p * sz, b + i * sz, sz);
	swap_bytes(b, b + p * sz, sz);
	my_qsort(b, p, sz, cmp);
	my_qsort(b + (p + 1) * sz, n - p - 1, sz, cmp);
}

static size_t my_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static void my_strcpy(char *d, const char *s) { while ((*d++ = *s++)) ; }

static int (*comparators[])(const void *, const void *) = {cmp_long, cmp_rev};
static const char *words[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
static long data[64] = {5, 3, 9, 1};
static long *data_ptrs[] = {&data[0], &data[3], &data[10]};
static struct pt origin = {1, 2, "origin"};
static long state = 17;

static struct pt move(struct pt p, long dx)
{
	p.x += dx;
	p.y -= dx;
	p.tag[0] = 'M';
	return p;
}

static long classify(long v)
{
	switch (v % 11)
	{
		case 0: return 100;
		case 1: return 7 * v;
		case 2: return -v;
		case 3: return v ^ 0x55;
		case 5: return v << 2;
		case 7: return 3;
		case 8: return v / 3;
		case 10: return 42;
		default: return v + 1;
	}
}

static long vla_sum(int n)
{
	long a[n + 1];
	for (int i = 0; i <= n; i++) a[i] = i * (long) i;
	long s = 0;
	for (int i = 0; i <= n; i++) s += a[i];
	return s;
}

long test_main(long k)
{
	long r = 0;
	long arr[32];
	char buf[128];
	struct pt p, q;
	union num u;

	r += fib(k % 20) + ack(2, k % 7);
	for (int i = 0; i < 32; i++) arr[i] = (i * 7919 + k) % 101;
	my_qsort(arr, 32, sizeof(long), comparators[k & 1]);
	for (int i = 0; i < 32; i++) r = r * 3 + arr[i];
	my_strcpy(buf, words[k % 5]);
	my_strcpy(buf + my_strlen(buf), words[(k + 2) % 5]);
	r += (long) my_strlen(buf) * 1000 + buf[k % my_strlen(buf)];
	p = origin;
	q = move(p, k);
	r += q.x * 10 + q.y + q.tag[0] + origin.tag[1];
	u.d = (double) k * 1.5;
	r += u.b[6] + (u.l & 0xff);
	r += classify(k) + classify(k + 3);
	r += *data_ptrs[k % 3] + vla_sum((int) (k % 50));
	data[k % 64] += r & 0xff;
	state = state * 31 + r;
	__builtin_memcpy(buf, arr, 128);   /* bulk copy through the host */
	__builtin_memset(arr, (int) k, sizeof(arr));
	r += buf[9] + ((char *) arr)[5];
	return r ^ state;
}
