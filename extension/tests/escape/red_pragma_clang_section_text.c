/*
 * #pragma clang section text=".init_array" makes clang add the function
 * attribute "implicit-section-name" (not the IR `section` field that
 * cc_check tests), so code generation places the function in a section of
 * the tenant's choice.  .init_array would make the loader run it as a
 * constructor (DT_INIT_ARRAY), and .text-less layouts confuse the checks.
 * Expected safe outcome: refused like __attribute__((section)).
 */
// EXPECT-REJECT: section
#pragma clang section text=".init_array"
int ctor(void) { return 42; }
#pragma clang section text=""
int main(void) { return ctor(); }
