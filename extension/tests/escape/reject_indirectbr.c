/* §5: computed goto (indirectbr/blockaddress) is rejected. */
// EXPECT-REJECT: goto
int main(void)
{
	static void *labels[] = { &&a, &&b };
	volatile int i = 1;
	goto *labels[i];
a:	return 1;
b:	return 2;
}
