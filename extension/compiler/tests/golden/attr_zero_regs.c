/* zero_call_used_regs("all") clears the x87 stack with instructions the
 * verifier refuses: refused in the IR with a clear message. */
__attribute__((zero_call_used_regs("all"))) int f(int x) { return x; }
