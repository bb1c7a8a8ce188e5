/* #pragma GCC dependency checks another file's existence and date. */
#pragma GCC dependency "/etc/passwd"
int f(void) { return 0; }
