/* Step 4: globals (incl. string literals, pointers to globals and function
 * pointers in initialisers) are laid out into the image at constant view
 * offsets; no symbol of sandbox data remains. */
// EXPORT: get
// image base 0x110000 = 1114112
static int counter = 5;
static long zeroed[4];
static int table[3] = {10, 20, 30};
static int *ptrs[2] = {&table[1], &counter};
static int add1(int x) { return x + 1; }
static int add2(int x) { return x + 2; }
static int (*fns[2])(int) = {add1, add2};
static const char *msg = "hi";

// CHECK: @__tmebox_image = constant <{
// The image holds the pointer fields as view offsets and fns as index 1
// CHECK-SAME: [2 x ptr] [ptr getelementptr (i8, ptr inttoptr (i64 [[TABLE:[0-9]+]] to ptr), i64 4), ptr inttoptr (i64 1114112 to ptr)]
// CHECK-SAME: [2 x ptr] [ptr inttoptr (i64 1 to ptr), ptr inttoptr (i64 2 to ptr)]
// CHECK: @__tmebox_layout = constant { i32, i32, i32, i32, i32, i32, i32, i32 } { i32 1, i32 32, i32 1114112, i32 [[ISZ:[0-9]+]], i32 {{[0-9]+}}, i32 1118208, i32 {{[0-9]+}}, i32 2 }
// CHECK-NOT: @counter
// CHECK-NOT: @table
// CHECK-LABEL: @__tmebox_export_get(
// CHECK: load i32, ptr addrspace(256) inttoptr (i64 {{111[0-9]+}} to ptr addrspace(256))
// CHECK: store i32 {{.*}}, ptr addrspace(256) inttoptr (i64 1114112 to ptr addrspace(256))
long get(int i)
{
	zeroed[i & 3] = counter++;
	return *ptrs[i & 1] + fns[(i >> 1) & 1](i) + msg[i & 1] + zeroed[0];
}
