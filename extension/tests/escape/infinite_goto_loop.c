/* §2.4: an irreducible goto loop is interrupted too. */
// RUN-OPTS: --timeout 300
// EXPECT-FAULT: interrupted
int main(void)
{
	volatile int x = 0;
	if (x) goto b;
a:	x++;
b:	x--;
	if (x < 1000) goto a;
	goto b;
}
