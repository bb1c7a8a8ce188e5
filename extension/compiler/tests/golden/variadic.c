/* Variadic definitions cannot be sandboxed. */
int f(int n, ...)
{
	return n;
}
