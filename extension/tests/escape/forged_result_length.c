/* §2.5: a function returning a real buffer whose length field was forged
 * to run past the committed memory: refused by the host. */
// RUN: forged
// EXPECT-FAULT: invalid result
#include <tmebox.h>
tmebox_buf *forged(void)
{
	tmebox_buf *b = tmebox_buf_new(8);
	b->len = 0xfffffff0U;
	return b;
}
