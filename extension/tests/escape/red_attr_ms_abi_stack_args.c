/*
 * Exported ms_abi functions with 11 integer parameters.  The runtime calls
 * every export with the SysV convention (6 arguments in registers, 5 on the
 * native stack at [rsp+8..rsp+48)); an ms_abi callee reads arguments 5..11
 * from [rsp+40], [rsp+48], ...: beyond what the caller provided, inside
 * libffi's ffi_call_unix64 frame on the native sandbox stack.  s7 returns
 * a host stack address (0x7ffc...: ffi's raddr), s8 a saved %rbp, s9 a
 * return address into libffi.so (ASLR leak of host code).
 * Expected safe outcome: refused, or arguments arrive as passed:
 * s9ok(1..11) = 4242 (s9 returns 9).
 */
// EXPECT-REJECT: calling convention other than C
// RUN: s9ok 1 2 3 4 5 6 7 8 9 10 11
#define P long a, long b, long c, long d, long e, long g, long h, long i, long j, long k, long l
__attribute__((ms_abi)) long s7(P) { return h; }
__attribute__((ms_abi)) long s8(P) { return i; }
__attribute__((ms_abi)) long s9(P) { return j; }
__attribute__((ms_abi)) long s9ok(P) { return j == 9 ? 4242 : j; }
