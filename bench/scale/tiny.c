#include <stdint.h>
int32_t inc(int32_t x) { return x + 1; }
