/* §2.4: an infinite loop of calls is interrupted too. */
// RUN-OPTS: --timeout 300
// EXPECT-FAULT: interrupted
static volatile int sink;
static void __attribute__((noinline)) tick(void) { sink++; }
int main(void)
{
	for (;;)
		tick();
}
