/* A header from an -I directory is readable. */
#include "consts.h"
int scaled(int x) { return x * SCALE; }
