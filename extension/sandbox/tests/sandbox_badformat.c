/*
 * sandbox_badformat.c -- must draw a -Wformat warning: the printf macros
 * keep the compiler's format checking (run_all.sh compiles it with
 * -Werror=format and expects failure).
 */
#include <stdio.h>

void		bad(void);

void
bad(void)
{
	printf("%d\n", "not an int");
}
