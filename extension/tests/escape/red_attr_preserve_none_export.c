/*
 * An exported function with the preserve_none calling convention (clang
 * 19, x86-64: every GPR but rsp/rbp is caller-saved).  The runtime calls
 * exports with the SysV convention and expects rbx, r12-r15 preserved; the
 * tenant's code clobbers them under register pressure and the host resumes
 * with sandbox-chosen values in its callee-saved registers.
 * Expected safe outcome: refused (exports must use the C calling
 * convention) or the runtime's entry saves/restores every callee-saved
 * register itself: contained, the call returns 1.
 */
// EXPECT-REJECT: calling convention other than C
__attribute__((noinline)) static long mix(long a, long b) { return a * 31 + b; }
__attribute__((preserve_none)) long pn(long x) {
	volatile long r[14];
	long a = x + 0x4141414141, b = x + 0x4242, c = x + 0x4343, d = x + 0x44, e = x + 0x45,
		f = x + 0x46, g = x + 0x47, h = x + 0x48, i = x + 0x49, j = x + 0x50,
		k = x + 0x51, l = x + 0x52;
	for (int n = 0; n < 3; n++) {
		a = mix(a, b); b = mix(b, c); c = mix(c, d); d = mix(d, e); e = mix(e, f);
		f = mix(f, g); g = mix(g, h); h = mix(h, i); i = mix(i, j); j = mix(j, k);
		k = mix(k, l); l = mix(l, a);
	}
	r[0] = a; r[1] = b; r[2] = c; r[3] = d; r[4] = e; r[5] = f; r[6] = g;
	r[7] = h; r[8] = i; r[9] = j; r[10] = k; r[11] = l;
	return 1 + 0 * r[3];
}
// RUN: pn 5
