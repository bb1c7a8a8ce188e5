/* 40 MB of initialised data within a memory limit of 32 MB: tmebox-cc's
 * own work (code generation) runs out of memory, which ends in one message
 * and exit status 3, not an abort of LLVM (oom_self.args). */
char table[40 << 20] = {1};

int f(int i) { table[i] = 2; return table[0]; }
