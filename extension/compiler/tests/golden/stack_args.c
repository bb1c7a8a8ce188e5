/* A function with 39 long parameters passes 264 bytes on the stack, more than the
 * 256 the verifier lets a function read above its return address: a clear
 * error naming it (it used to be a refusal of the machine code); 38 compile. */
#define A1(m, p) m(p##0) m(p##1) m(p##2) m(p##3) m(p##4) m(p##5) m(p##6) m(p##7)
#define PARAM(n) long a##n,
#define USE(n) s = s * 3 + a##n;
#define ARG(n) x + 0##n,
#define L(m) A1(m, 1) A1(m, 2) A1(m, 3) A1(m, 4) m(50) m(51) m(52) m(53) m(54) m(55)
__attribute__((noinline)) static long sum(L(PARAM) long last) { long s = last; L(USE) return s; }
long big_call(long x) { return sum(L(ARG) x); }
