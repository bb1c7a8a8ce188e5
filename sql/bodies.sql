-- bodies: a function body that is a whole translation unit (it defines a C
-- function named like the SQL function: helpers, static data, qsort
-- comparators, recursion), next to the statement form; DO blocks likewise
-- (their function is do_block).
\pset null '(null)'

CREATE ROLE regress_bodies LOGIN;
GRANT USAGE ON LANGUAGE tmebox TO regress_bodies;
GRANT USAGE ON SCHEMA tmebox TO regress_bodies;
GRANT CREATE ON SCHEMA public TO regress_bodies;
SELECT tmebox.create_tenant('bodies', owner => 'regress_bodies') > 0 AS created;
SET ROLE regress_bodies;

-- a static helper and a qsort comparator
CREATE FUNCTION sort_ints(a int4[]) RETURNS int4[] LANGUAGE tmebox IMMUTABLE STRICT AS $$
static int cmp_i32(const void *x, const void *y)
{
	int32_t a = *(const int32_t *) x, b = *(const int32_t *) y;
	return (a > b) - (a < b);
}

static tmebox_array_i32 *copy(const tmebox_array_i32 *a)
{
	tmebox_array_i32 *r = tmebox_array_i32_new(a->n);
	memcpy(r->v, a->v, a->n * sizeof(int32_t));
	return r;
}

tmebox_array_i32 *sort_ints(const tmebox_array_i32 *a)
{
	tmebox_array_i32 *r = copy(a);
	qsort(r->v, r->n, sizeof(int32_t), cmp_i32);
	return r;
}
$$;
SELECT sort_ints(ARRAY[5, -3, 9, 0, 2147483647, -2147483648, 5]);
SELECT sort_ints('{}'::int4[]);

-- recursion
CREATE FUNCTION fib(n int4) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS $$
/* the naive definition: recursion through the function itself */
int64_t fib(int32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
$$;
SELECT n, fib(n) FROM unnest(ARRAY[0, 1, 2, 10, 25]) n;

-- static data: a lookup table, and a global that keeps its value
CREATE FUNCTION roman(n int4) RETURNS text LANGUAGE tmebox IMMUTABLE STRICT AS $$
static const struct { int value; const char *digits; } table[] = {
	{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
	{50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
};

tmebox_buf *roman(int32_t n)
{
	char buf[64];
	size_t len = 0;

	if (n <= 0 || n >= 4000)
		tmebox_error("%d has no roman numeral", n);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (; n >= table[i].value; n -= table[i].value)
			for (const char *d = table[i].digits; *d; d++)
				buf[len++] = *d;
	return tmebox_buf_from(buf, (uint32_t) len);
}
$$;
SELECT roman(1994), roman(3888);
SELECT roman(0);

-- a non-STRICT function: its extra bool per argument, as in a module
CREATE FUNCTION or_zero(x int4) RETURNS int4 LANGUAGE tmebox AS $$
static int32_t calls;
int32_t or_zero(int32_t x, bool x_isnull) { calls++; return x_isnull ? -calls : x; }
$$;
SELECT or_zero(7), or_zero(NULL), or_zero(NULL);

-- the C function must match the SQL signature (the existing check)
CREATE FUNCTION mismatch(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
int64_t mismatch(int64_t x) { return x; }
$$;
CREATE FUNCTION mismatch(x int4) RETURNS int4 LANGUAGE tmebox AS $$
int32_t mismatch(int32_t x) { return x; }
$$;
-- defining functions, but none named like the SQL function
CREATE FUNCTION unnamed(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
static int32_t twice(int32_t x) { return 2 * x; }
int32_t un_named(int32_t x) { return twice(x); }
$$;
-- a compile error reports the body's own line (5; line 1 is the rest of
-- the line of the opening $$)
CREATE FUNCTION broken(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
static int32_t twice(int32_t x) { return 2 * x; }
int32_t broken(int32_t x)
{
	return twice(x) +;
}
$$;
-- and so does an error of tmebox-cc's own, after clang (line 2), in both
-- forms
CREATE FUNCTION aligned(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
static _Alignas(1 << 20) char big[16];
int32_t aligned(int32_t x) { return big[x & 15]; }
$$;
CREATE FUNCTION aligned(x int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
	static _Alignas(1 << 20) char big[16];
	return big[x & 15];
$$;

-- deep recursion ends in the sandbox's clean stack overflow; the backend
-- stays and the function works again
CREATE FUNCTION depth(n int4) RETURNS int4 LANGUAGE tmebox STRICT AS $$
int32_t depth(int32_t n)
{
	volatile int32_t local = n;
	return n == 0 ? 0 : depth(n - 1) + local - n + 1;
}
$$;
SELECT depth(1000);
SELECT depth(100000000);
SELECT depth(10) AS still_alive;

-- the statement form is unchanged, a body that happens to look like a
-- definition through a macro included
CREATE FUNCTION add_one(x int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS $$ return x + 1; $$;
CREATE FUNCTION count_to(n int4) RETURNS int4 LANGUAGE tmebox IMMUTABLE STRICT AS $$
#define REPEAT(i, n) for (int32_t i = 0; i < (n); i++)
	int32_t total = 0;
	REPEAT(i, n) {
		total += 1;
	}
	return total;
$$;
SELECT add_one(41), count_to(5);
-- a statement-form error still reports the statement-form diagnostics
CREATE FUNCTION wrong(x int4) RETURNS int4 LANGUAGE tmebox AS $$
	int32_t y = x;
	return y +;
$$;

-- DO blocks: statements as before, or a translation unit with do_block
DO $$ tmebox_notice("statements: %d", 1); $$ LANGUAGE tmebox;
DO $$
static int32_t gcd(int32_t a, int32_t b) { return b ? gcd(b, a % b) : a; }
void do_block(void) { tmebox_notice("gcd: %d", gcd(1071, 462)); }
$$ LANGUAGE tmebox;
DO $$
static int32_t gcd(int32_t a, int32_t b) { return b ? gcd(b, a % b) : a; }
int32_t do_block(int32_t x) { return gcd(x, 6); }
$$ LANGUAGE tmebox;
DO $$
static void helper(void) { }


void do_block(void) { helper() }
$$ LANGUAGE tmebox;

-- the same body under another function name is not that function's
CREATE FUNCTION fib2(n int4) RETURNS int8 LANGUAGE tmebox IMMUTABLE STRICT AS $$
/* the naive definition: recursion through the function itself */
int64_t fib(int32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
$$;

-- a new session binds from the stored objects
\c
SET ROLE regress_bodies;
SELECT sort_ints(ARRAY[3, 1, 2]), fib(20), roman(2024), add_one(1), count_to(3);
SELECT module LIKE '#%' AS body_module, count(*) FROM tmebox.instances
	WHERE tenant = 'bodies' GROUP BY 1;

-- clean up
RESET ROLE;
DROP FUNCTION sort_ints(int4[]), fib(int4), roman(int4), or_zero(int4),
	depth(int4), add_one(int4), count_to(int4);
SELECT tmebox.drop_tenant('bodies');
REVOKE ALL ON SCHEMA public FROM regress_bodies;
REVOKE ALL ON LANGUAGE tmebox FROM regress_bodies;
REVOKE ALL ON SCHEMA tmebox FROM regress_bodies;
DROP ROLE regress_bodies;
