/* §5: thread-locals are rejected. */
// EXPECT-REJECT: thread-local
static _Thread_local int counter;
int main(void) { return ++counter; }
