/*
 * target("general-regs-only") / no-sse: floating point through x87 with
 * native-stack temporaries; the function called with SSE arguments.
 * Expected safe outcome: refused (target attribute) or contained.
 */
// EXPECT-REJECT: instruction-set features
__attribute__((target("no-sse"))) long f(long x) { return x * 2; }
int main(void) { return (int) f(21); }
