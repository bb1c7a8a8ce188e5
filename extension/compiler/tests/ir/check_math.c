/* Step 3c: math intrinsics and frem become host math calls (by ABI index);
 * no libm call remains (the object has no undefined symbol: checked by
 * codegen in the test runner). */
// EXPORT: m f
// CFLAGS: -fno-math-errno
// CHECK-LABEL: @__tmebox_export_m(
// sin = 16, pow = 36, fmod = 39, log_ = 32, round = 45, exp = 29
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 16)
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 36)
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 39)
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 32)
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 45)
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 29)
double m(double x, double y, int n)
{
	return __builtin_sin(x) + __builtin_pow(x, y) + __builtin_fmod(x, y) +
		__builtin_log(y) + __builtin_round(x) + __builtin_powi(x, n) + __builtin_exp(y) +
		__builtin_lround(y);
}
// CHECK-LABEL: @__tmebox_export_f(
// fmodf = 53, cosf = 48
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 53)
// CHECK-DAG: getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 48)
float f(float x, float y) { return __builtin_fmodf(x, y) + __builtin_cosf(y); }
// CHECK-NOT: frem
// CHECK-NOT: @llvm.{{(sin|cos|pow|exp|log|round|lround|powi)}}.
