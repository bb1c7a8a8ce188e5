/* A global aligned above the page size made the image pad to its
 * alignment: 268 MB of module and 867 MB of compiler memory.  Refused at
 * the declaration's line, also for a static local. */
int counter = 3;
char big[16] __attribute__((aligned(1 << 28))) = {1};

int f(int i)
{
	static char local[8] __attribute__((aligned(8192)));

	counter++;
	big[i & 15]++;
	local[i & 7] = 1;
	return big[0] + counter + local[0];
}
