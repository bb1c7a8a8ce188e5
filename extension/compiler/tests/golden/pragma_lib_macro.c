/* A linker directive from a macro (_Pragma) is refused at the line where
 * the macro is used: clang's metadata has no location, the preprocessed
 * source has. */
#define LINK_WITH(x) _Pragma(#x)
#define PASSWD LINK_WITH(comment(lib, "/etc/passwd"))

int f(void) { return 0; }
PASSWD
int g(void) { return 1; }
