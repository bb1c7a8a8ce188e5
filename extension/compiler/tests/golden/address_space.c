/* A non-zero address space in the input could escape the view. */
int f(void)
{
	int __attribute__((address_space(1))) *p = (int __attribute__((address_space(1))) *) 16;
	return *p;
}
