/*
 * __builtin_prefetch on a host-looking address: the prefetch must be
 * dropped or made %gs-relative; a raw `prefetcht0 (%rax)` in the machine
 * code would touch host cache lines at a tenant-chosen address.
 * Expected safe outcome: compiles, runs, no prefetch without %gs in the
 * code; returns 0.
 */
// EXPECT-OUTPUT: 0
int pf(long a) { __builtin_prefetch((void *) a, 0, 3); __builtin_prefetch((void *) (a + 64), 1, 0); return 0; }
// RUN: pf 140737488351232
