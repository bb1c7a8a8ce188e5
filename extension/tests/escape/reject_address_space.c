/* §5: explicit address spaces (e.g. %gs/%fs segments) are rejected. */
// EXPECT-REJECT: address space
int main(void)
{
	int __attribute__((address_space(256))) *p = 0;
	return *p;
}
