/* §2.4: an infinite loop without calls is interrupted by the timeout. */
// RUN-OPTS: --timeout 300
// EXPECT-FAULT: interrupted
int main(void)
{
	volatile unsigned x = 0;
	for (;;)
		x++;
}
