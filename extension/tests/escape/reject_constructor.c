/* §5: constructors are rejected (nothing may run at load time). */
// EXPECT-REJECT: constructor
static int ready;
__attribute__((constructor)) static void init(void) { ready = 1; }
int main(void) { return ready; }
