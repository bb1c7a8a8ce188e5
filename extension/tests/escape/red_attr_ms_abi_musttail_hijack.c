/*
 * Host control-flow hijack with an ms_abi export and musttail.
 *
 * The runtime calls every export with the SysV convention (libffi ->
 * rt_clean_entry -> export, all on the native sandbox stack) whatever
 * calling convention the tenant gave the function.  An ms_abi function's
 * 5th..Nth arguments live at [rsp+40], [rsp+48], ...; with 11 SysV
 * arguments the caller provides only 5 stack slots ([rsp+8..rsp+48)), so
 * ms_abi arguments 6..9 alias libffi's ffi_call_unix64 frame above them
 * (flags, raddr = where the result is stored, saved %rbp, return address
 * into libffi).  Reading them leaks host stack and code addresses
 * (attr_ms_abi_stack_args.c); a musttail call to another ms_abi function
 * stores its outgoing arguments into those very slots.  Here argument 9
 * (libffi's return address) becomes 0x414141414141: when ffi_call_unix64
 * returns, the host jumps there (gdb: SIGSEGV with rip = 0x414141414141).
 * raddr (argument 7) gives an arbitrary 8-byte host write the same way.
 * No inline assembly, no linker trick: plain C with two attributes.
 *
 * Expected safe outcome: refused (an exported function, or any function
 * whose address escapes to the host, must have the C calling convention;
 * musttail/ms_abi/sysv_abi/regcall/preserve_* etc. refused or normalised),
 * or contained: the call returns normally or faults inside the sandbox.
 */
// EXPECT-REJECT: calling convention other than C
// RUN: hijack 1 2 3 4 5 6 7 8 9 10 11
#define P long a, long b, long c, long d, long e, long g, long h, long i, long j, long k, long l
__attribute__((ms_abi, noinline)) static long t(P) { return a + b + c + d + e + g + h + i + j + k + l; }
__attribute__((ms_abi)) long hijack(P) {
	(void) j;
	__attribute__((musttail)) return t(a, b, c, d, e, g, h, i, 0x414141414141L, k, l);
}
