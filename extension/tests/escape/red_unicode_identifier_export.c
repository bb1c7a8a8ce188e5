/*
 * A function whose name clang accepts but no module file can carry (a
 * Unicode identifier) made tmebox-cc fail with "internal error: bad
 * signature line from the libclang helper".  Such a function is simply
 * not exported (no SQL function could name it); the module compiles and
 * the rest of it runs.
 */
// EXPECT-OUTPUT: 7
int café(int x) { return x + 1; }
int main(void) { return café(6); }
