/*
 * Functions named after linker-defined/reserved symbols (_DYNAMIC,
 * _GLOBAL_OFFSET_TABLE_, __ehdr_start, _init, _fini): ld.lld gives some of
 * them meaning (DT_INIT/DT_FINI when _init/_fini are defined).
 * Expected safe outcome: contained (internal symbols never reach the
 * dynamic symbol table) or refused.
 */
// EXPECT-OUTPUT: 5
int _init(int x) { return x + 1; }
int _fini(int x) { return x + 2; }
static int __ehdr_start_(int x) { return x; }
int sum(int x) { return _init(x) + _fini(x) + __ehdr_start_(0); }
// RUN: sum 1
