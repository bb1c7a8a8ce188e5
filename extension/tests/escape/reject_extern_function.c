/* §5: an undeclared-in-the-sandbox external symbol (a server function). */
// EXPECT-REJECT: palloc
void *palloc(unsigned long n);
int main(void) { return palloc(10) != 0; }
