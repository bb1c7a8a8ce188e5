/* A function defined by a macro expanded in this file is one of its
 * exports (tmebox.h's TMEBOX_TRIGGER defines the trigger function `trg`);
 * static ones stay unexported, whoever defines them. */
#include <stdint.h>
#include <tmebox.h>

#define DEFINE_INC(name, k) int32_t name(int32_t x) { return x + k; }
#define STATIC_INC(name) static int32_t name(int32_t x) { return x; }

DEFINE_INC(inc1, 1)
DEFINE_INC(inc2, 2)
STATIC_INC(hidden)

int32_t
use_hidden(int32_t x)
{
	return hidden(x);
}

TMEBOX_TRIGGER(trg)
{
	return tg->new_row;
}
