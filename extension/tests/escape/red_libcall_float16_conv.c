/*
 * _Float16 / __bf16 conversions: the code generator calls
 * __truncdfhf2/__extendhfsf2/__truncdfbf2.
 * Expected safe outcome: refused (half precision).
 */
// EXPECT-REJECT: half
_Float16 h;
int main(void) { h = (_Float16) 1.5; return (int) (float) h; }
