/*
 * #pragma weak alias = target creates an IR alias; aliases are refused.
 * Expected safe outcome: refused naming the alias.
 */
// EXPECT-REJECT: alias
int target(void) { return 1; }
#pragma weak alias_fn = target
int alias_fn(void);
int main(void) { return alias_fn(); }
