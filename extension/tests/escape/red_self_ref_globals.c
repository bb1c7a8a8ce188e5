/*
 * Initialisers with self-references, one-past-end pointers, function
 * pointers and pointer arithmetic that lands outside the object: all must
 * become view offsets / table indices in the image, never host addresses.
 * Expected safe outcome: contained; returns 1.
 */
// EXPECT-OUTPUT: 1
static int arr[4] = {1, 2, 3, 4};
void *self = &self;
int *end = arr + 4;
int *far_ = arr - 0x1000;
int f(void) { return 1; }
int (*fp)(void) = f;
long check(void) {
	return self == (void *) &self && end - arr == 4 && (unsigned long) far_ < 0x100000000UL
		&& (unsigned long) fp < 0x10000 && fp() == 1;
}
// RUN: check
