/*
 * sandbox_prog.c -- a tenant-style program compiled like tmebox-cc does
 * (against include/, linked with lib/libc.bc, optimised together), then
 * run natively by bc_driver.c: checks that the bitcode libc and the header
 * macros work end to end, not only the natively compiled sources.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <tmebox.h>

static int
cmp_desc(const void *a, const void *b)
{
	int			x = *(const int *) a,
				y = *(const int *) b;

	return (x < y) - (x > y);
}

int			sandbox_main(int n);

int
sandbox_main(int n)
{
	int		   *v = malloc((size_t) n * sizeof(int));
	char		buf[128];
	char	   *end;
	long		sum = 0;
	tmebox_buf *b;

	if (n < 0)
		tmebox_error("negative n %d", n);
	for (int i = 0; i < n; i++)
		v[i] = (i * 7919) % 1000;
	qsort(v, (size_t) n, sizeof(int), cmp_desc);
	v = realloc(v, (size_t) n * 2 * sizeof(int));
	for (int i = 0; i < n; i++)
		sum += v[i] * (long) (i + 1);
	printf("top %d %d %d sum %ld\n", v[0], v[1], v[n - 1], sum);
	snprintf(buf, sizeof buf, "%-6s|%+.3e|%#x|%5.1f%%", "ab", sqrt(2.0), 255, 99.44);
	puts(buf);
	printf("%ld %s|%g\n", strtol("  -0x1F", &end, 0), end, fma(0.1, 10.0, -1.0));
	b = tmebox_buf_from_cstr("payload");
	tmebox_notice("buf %u %s", b->len, b->data);
	free(b);
	free(v);
	return (int) (sum % 100000);
}
