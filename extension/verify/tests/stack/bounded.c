/*
 * bounded.c - the native-stack bound of a compiled module (make
 * check-corpus): calls through a function pointer and printf, no
 * recursion, so the module has a bound.  With the sandbox libc's
 * malloc -> snprintf -> malloc cycle (before 2519952) every module was
 * unbounded.
 */
#include <stdio.h>
#include <tmebox.h>

typedef int (*step_fn) (int);

static int
twice(int n)
{
	return n * 2;
}

static int
square(int n)
{
	return n * n;
}

static step_fn steps[2] = {twice, square};

int
run(int n)
{
	int			r = steps[n & 1](n);

	printf("run(%d) = %d\n", n, r);
	return r;
}
