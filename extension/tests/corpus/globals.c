/* Globals holding pointers to globals and to functions, string tables,
 * static locals, and function-pointer dispatch tables. */
#include <stdio.h>
#include <string.h>

static int counter;
static int values[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };
static int *value_ptrs[3] = { &values[1], &values[5], &counter };
static const char *const names[] = { "alpha", "beta", "gamma", "delta" };
struct op { const char *name; int (*fn)(int, int); };
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static const struct op ops[] = { { "add", add }, { "sub", sub }, { "mul", mul } };
static char buffer[64] = "initial";
static char *bufp = buffer + 3;

static int next_id(void)
{
	static int id = 100;
	return id++;
}

int main(void)
{
	int acc = 0;

	for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
	{
		acc = acc * 7 + ops[i].fn(values[i], values[i + 3]);
		printf("%s(%d,%d) -> %d\n", ops[i].name, values[i], values[i + 3], ops[i].fn(values[i], values[i + 3]));
	}
	*value_ptrs[2] = 41;
	counter++;
	printf("acc = %d ptrs = %d %d %d\n", acc, *value_ptrs[0], *value_ptrs[1], *value_ptrs[2]);
	for (int i = 0; i < 4; i++) printf("name[%d] = %s (%zu)\n", i, names[i], strlen(names[i]));
	strcat(buffer, "+more");
	printf("buffer = %s bufp = %s\n", buffer, bufp);
	printf("ids = %d %d %d\n", next_id(), next_id(), next_id());
	return 0;
}
