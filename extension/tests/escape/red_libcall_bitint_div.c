/*
 * _BitInt(256) division and remainder: LLVM expands >128-bit division
 * inside the code generator (ExpandLargeDivRem) or calls __udivmodei4 /
 * __divei4 with pointers to stack temporaries.
 * Expected safe outcome: refused (wide division) or correct result 3.
 */
// EXPECT-REJECT: division
unsigned _BitInt(256) a = 10, b = 3;
int main(void) { return (int) (a / b); }
