/* Toolchain: complex division is the libcall __divdc3 (refused: not in the sandbox libc). */
// EXPECT-REJECT: __divdc3
double _Complex z(double _Complex a, double _Complex b) { return a / b; }
int main(void) { double _Complex r = z(1.0 + 1.0i, 1.0 - 1.0i); return (int) __real__ r; }
