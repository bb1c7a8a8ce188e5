/* A function body of the SQL statements form: the body starts after
 * #line 1, and tmebox-cc's own errors after clang (the variable checks)
 * name the body's lines, as clang's do.  Used to name the line in the
 * file (spelling location), 3 more than the body's. */
int f(int i)
{
#line 1

	static char local[8] __attribute__((aligned(8192)));
	local[i & 7] = 1;
	return local[0];
}
