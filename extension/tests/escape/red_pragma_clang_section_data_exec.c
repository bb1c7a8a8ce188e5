/*
 * #pragma clang section text=".data": code placed in a section named .data
 * (ld.lld merges it with the real .data: a writable+executable output
 * section), or text=".rodata" (code in the module's read-only data).
 * Expected safe outcome: refused (section attribute on a function).
 */
// EXPECT-REJECT: section
#pragma clang section text=".rodata.tenant"
int f(int x) { return x * 3; }
#pragma clang section text=""
int main(void) { return f(2); }
