/*
 * An exported function with a 4000-character name: metadata lines, the
 * runtime's RT_NAME_MAX buffers and SQL names have limits.
 * Expected safe outcome: refused or skipped with a clear message, or
 * loaded and callable; never a crash or truncation that maps to another
 * export.
 */
// EXPECT-CONTAINED
#define A10 aaaaaaaaaa
#define C2(a, b) a##b
#define C(a, b) C2(a, b)
#define A100 C(C(C(C(C(C(C(C(C(A10, A10), A10), A10), A10), A10), A10), A10), A10), A10)
#define A1000 C(C(C(C(C(C(C(C(C(A100, A100), A100), A100), A100), A100), A100), A100), A100), A100)
#define NAME C(C(C(C(A1000, A1000), A1000), A1000), x)
int NAME(int x) { return x; }
int main(void) { return NAME(0); }
