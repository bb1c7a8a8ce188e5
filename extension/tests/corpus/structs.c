/* Structs and unions: by value, nested, arrays of structs, type punning. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

struct vec3 { double x, y, z; };
struct big { int32_t a[20]; char name[16]; struct vec3 v; };
union pun { float f; uint32_t u; unsigned char b[4]; };
struct packed_like { char c; int64_t l; short s; };

static struct vec3 cross(struct vec3 a, struct vec3 b)
{
	struct vec3 r = { a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x };
	return r;
}
static struct big make_big(int seed)
{
	struct big b;
	for (int i = 0; i < 20; i++) b.a[i] = seed * i - 7;
	snprintf(b.name, sizeof b.name, "big%d", seed);
	b.v = (struct vec3) { seed, -seed, 0.5 * seed };
	return b;
}
static int64_t sum_big(struct big b)	/* passed by value: a copy */
{
	int64_t s = 0;
	for (int i = 0; i < 20; i++) s += b.a[i];
	b.a[0] = 999999;	/* must not affect the caller */
	return s + (int64_t) strlen(b.name) + (int64_t) b.v.z;
}

int main(void)
{
	struct vec3 c = cross((struct vec3) {1, 2, 3}, (struct vec3) {4, 5, 6});
	struct big arr[3];
	union pun p;
	struct packed_like pl[4];
	int64_t total = 0;

	printf("cross = %g %g %g\n", c.x, c.y, c.z);
	for (int i = 0; i < 3; i++) arr[i] = make_big(i + 2);
	for (int i = 0; i < 3; i++) total += sum_big(arr[i]);
	printf("total = %lld first = %d name = %s\n", (long long) total, arr[1].a[0], arr[2].name);
	p.f = 1.5f;
	printf("pun = %08x bytes = %02x %02x %02x %02x\n", p.u, p.b[0], p.b[1], p.b[2], p.b[3]);
	for (int i = 0; i < 4; i++) pl[i] = (struct packed_like) { (char) ('a' + i), (int64_t) i << 40, (short) -i };
	printf("sizeof = %zu last = %c %lld %d\n", sizeof pl[0], pl[3].c, (long long) pl[3].l, pl[3].s);
	return 0;
}
