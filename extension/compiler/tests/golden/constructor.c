/* Constructors would run at load time, in the server. */
static int ready;
__attribute__((constructor)) static void init(void) { ready = 1; }
int f(void) { return ready; }
