/*
 * 3000 address-taken functions in a function-pointer table and a switch
 * over them: function-table size, jump-table bounds, compile time.
 * Expected safe outcome: contained; call(1999) returns f2999() - 1000 = 1999.
 */
// EXPECT-OUTPUT: 1999
#define F(n) static int f##n(void) { return n; }
#define R10(M, b) M(b##0) M(b##1) M(b##2) M(b##3) M(b##4) M(b##5) M(b##6) M(b##7) M(b##8) M(b##9)
#define R100(M, b) R10(M, b##0) R10(M, b##1) R10(M, b##2) R10(M, b##3) R10(M, b##4) R10(M, b##5) R10(M, b##6) R10(M, b##7) R10(M, b##8) R10(M, b##9)
#define R1000(M, b) R100(M, b##0) R100(M, b##1) R100(M, b##2) R100(M, b##3) R100(M, b##4) R100(M, b##5) R100(M, b##6) R100(M, b##7) R100(M, b##8) R100(M, b##9)
R1000(F, 1) R1000(F, 2) R1000(F, 3)
#define P(n) f##n,
static int (*const tab[])(void) = { R1000(P, 1) R1000(P, 2) R1000(P, 3) };
int call(int i) { return (i >= 0 && i < 3000) ? tab[i]() - 1000 : -1; }
// RUN: call 1999
