/*
 * __builtin_readcyclecounter / __builtin_ia32_rdtsc / rdtscp(ptr): rdtscp
 * writes TSC_AUX through a pointer the intrinsic receives (a raw store if
 * not instrumented); rdtsc is a timing source (out of scope, but must be a
 * deliberate choice).
 * Expected safe outcome: refused (intrinsics off the allow-list).
 */
// EXPECT-REJECT: not allowed
unsigned aux;
long t(void) { return (long) __builtin_ia32_rdtscp(&aux) + (long) __builtin_readcyclecounter(); }
int main(void) { return (int) t(); }
