/* §5: destructors are rejected. */
// EXPECT-REJECT: destructor
static int done;
__attribute__((destructor)) static void fini(void) { done = 1; }
int main(void) { return done; }
