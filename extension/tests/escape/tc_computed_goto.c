/* Toolchain: labels as values (indirectbr). */
// EXPECT-REJECT: computed goto
int main(void) { static void *l[] = {&&a, &&b}; goto *l[1]; a: return 1; b: return 0; }
