/* Dense and sparse switch statements (jump-table shaped), fall-through,
 * and a small bytecode interpreter. */
#include <stdio.h>
#include <stdint.h>

static int dense(int x)
{
	switch (x)
	{
		case 0: return 11; case 1: return 22; case 2: return 35; case 3: return 47;
		case 4: return 51; case 5: return 68; case 6: return 70; case 7: return 89;
		case 8: return 93; case 9: return 104; case 10: return 117; case 11: return 120;
		default: return -1;
	}
}
static const char *sparse(unsigned x)
{
	switch (x)
	{
		case 1: return "one"; case 10: return "ten"; case 100: return "hundred";
		case 1000: return "thousand"; case 65536: return "64k"; default: return "other";
	}
}
static int fallthrough(int x)
{
	int r = 0;
	switch (x)
	{
		case 3: r += 100; /* fall through */
		case 2: r += 10; /* fall through */
		case 1: r += 1; break;
		default: r = -x;
	}
	return r;
}
enum { OP_PUSH, OP_ADD, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC, OP_HALT };
static int64_t run(const int *code)
{
	int64_t st[32]; int sp = 0, pc = 0;
	for (;;)
	{
		switch (code[pc++])
		{
			case OP_PUSH: st[sp++] = code[pc++]; break;
			case OP_ADD: sp--; st[sp - 1] += st[sp]; break;
			case OP_MUL: sp--; st[sp - 1] *= st[sp]; break;
			case OP_DUP: st[sp] = st[sp - 1]; sp++; break;
			case OP_SWAP: { int64_t t = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = t; break; }
			case OP_DEC: st[sp - 1]--; break;
			case OP_JNZ: { int target = code[pc++]; if (st[sp - 1]) pc = target; break; }
			case OP_HALT: return st[sp - 2];
		}
	}
}

int main(void)
{
	/* a small counting loop for the stack machine */
	static const int prog[] = { OP_PUSH, 1, OP_PUSH, 15,
		/* 4 */ OP_DUP, OP_SWAP, OP_DEC, OP_SWAP, /* stack: acc n-1 n */
		OP_SWAP, OP_DUP, OP_JNZ, 14, OP_HALT, 0,
		/* 14 */ OP_HALT };
	int s = 0;
	for (int i = -2; i < 14; i++) s = s * 3 + dense(i);
	printf("dense = %d\n", s);
	printf("sparse = %s %s %s %s\n", sparse(1), sparse(100), sparse(65536), sparse(7));
	printf("fall = %d %d %d %d\n", fallthrough(1), fallthrough(2), fallthrough(3), fallthrough(9));
	printf("vm = %lld\n", (long long) run(prog));
	return 0;
}
