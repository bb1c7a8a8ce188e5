/* §2.3: __builtin_trap() is a clean trap error. */
// EXPECT-FAULT: trap
int main(void) { __builtin_trap(); }
