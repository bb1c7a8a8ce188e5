/* #embed of a server file. */
const char data[] = {
#embed "/etc/passwd"
};
int f(void) { return data[0]; }
