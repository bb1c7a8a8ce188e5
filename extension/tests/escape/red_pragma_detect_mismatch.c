/*
 * #pragma detect_mismatch("name", "value") emits llvm.linker.options /
 * metadata for the linker (MSVC feature).  Must not reach ld.lld.
 * Expected safe outcome: contained (ignored) or refused.
 */
// EXPECT-CONTAINED
#pragma detect_mismatch("/etc/passwd", "1")
int main(void) { return 0; }
