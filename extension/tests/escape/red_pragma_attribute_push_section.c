/*
 * #pragma clang attribute push applies section/visibility/used to every
 * following function and variable.
 * Expected safe outcome: refused (section attribute on functions).
 */
// EXPECT-REJECT: section
#pragma clang attribute push(__attribute__((section(".init_array"))), apply_to = function)
int f(void) { return 3; }
#pragma clang attribute pop
int main(void) { return f(); }
