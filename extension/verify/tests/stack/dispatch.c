/*
 * dispatch.c - the native-stack bound of a compiled module (make
 * check-corpus): recursion through a function pointer.  tmebox-cc
 * dispatches the call as a switch of direct calls of every function of
 * the signature, down() among them: a cycle, so the bound is unbounded.
 */
#include <tmebox.h>

typedef int (*step_fn) (int);

static int	twice(int n);
static int	down(int n);

static step_fn steps[2] = {twice, down};

static int
twice(int n)
{
	return n * 2;
}

static int
down(int n)
{
	return n <= 0 ? 0 : 1 + steps[n & 1](n - 1);
}

int
run(int n)
{
	return steps[n & 1](n);
}
