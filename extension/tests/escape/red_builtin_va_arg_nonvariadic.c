/*
 * __builtin_va_arg on a va_list received as a parameter by a non-variadic
 * function: on x86-64 va_list points to {gp_offset, fp_offset,
 * overflow_arg_area, reg_save_area}; clang's inline va_arg lowering loads
 * reg_save_area + gp_offset.  With a forged va_list those are tenant
 * pointers: the loads must stay %gs-relative (or va_arg be refused).
 * Expected safe outcome: contained (fault inside the view) or refused.
 */
// EXPECT-CONTAINED
long take(__builtin_va_list ap) { return __builtin_va_arg(ap, long); }
struct fake { unsigned gp, fp; void *over, *save; };
int main(void) {
	struct fake f = {8, 48, (void *) 0x7fff12345678, (void *) 0x7fff12345000};
	return (int) take((void *) &f);
}
