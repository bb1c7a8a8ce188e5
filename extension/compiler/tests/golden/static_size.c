/* Static data no tenant could ever hold (a tenant's memory limit is at
 * most 3 GiB) and initialised data larger than a module may carry are
 * refused at the declaration's line, used or not. */
static char huge[1UL << 32];
char table[80 << 20] = {1};
char fine[1 << 20];

int f(int i)
{
	huge[i] = 1;
	return table[i] + fine[i];
}
