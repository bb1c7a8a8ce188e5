/* #pragma comment(lib) naming the compiler's own libc bitcode (the path
 * comes in through -D BC=...) once sent ld.lld into unbounded memory use;
 * the pragma is refused before anything is linked. */
#define STR2(x) #x
#define STR(x) STR2(x)
#pragma comment(lib, STR(BC))
int f(void) { return 0; }
