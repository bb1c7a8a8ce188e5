/* Toolchain: data placed in .init_array would be a constructor. */
// EXPECT-REJECT: section attribute
// EXPECT-NO-LINE
typedef void (*fn)(void);
static void evil(void) { }
__attribute__((section(".init_array"), used)) static fn ctor = evil;
int main(void) { return 0; }
