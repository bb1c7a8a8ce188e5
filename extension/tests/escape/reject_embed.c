/* §2.6: #embed of a server file finds nothing. */
// EXPECT-REJECT: not found
static const char data[] = {
#embed "/etc/passwd"
};
int main(void) { return data[0]; }
