/*
 * __builtin_eh_return(offset, handler) -> llvm.eh.return.i64: rewrites the
 * return address and adjusts %rsp: an arbitrary jump.
 * Expected safe outcome: refused.
 */
// EXPECT-REJECT: eh.return
void f(long off, void *h) { __builtin_eh_return(off, h); }
int main(void) { f(0, (void *) 0x1234); return 0; }
