/* Recursion: Ackermann, Fibonacci, mutual recursion, tree depth. */
#include <stdio.h>
#include <stdint.h>

static int64_t fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int ack(int m, int n)
{
	if (m == 0) return n + 1;
	if (n == 0) return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}
static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int hanoi_moves(int n, int from, int to, int via, int *trace)
{
	if (n == 0) return 0;
	int a = hanoi_moves(n - 1, from, via, to, trace);
	*trace = *trace * 31 + from * 3 + to;
	return a + 1 + hanoi_moves(n - 1, via, to, from, trace);
}

int main(void)
{
	int trace = 7;
	printf("fib(27) = %lld\n", (long long) fib(27));
	printf("ack(2,3) = %d ack(3,4) = %d\n", ack(2, 3), ack(3, 4));
	printf("even(1001) = %d odd(777) = %d\n", is_even(1001), is_odd(777));
	printf("hanoi(12) = %d trace = %d\n", hanoi_moves(12, 1, 3, 2, &trace), trace);
	return 0;
}
