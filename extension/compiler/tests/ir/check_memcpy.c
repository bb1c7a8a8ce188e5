/* Step 3b: small constant copies become plain (instrumented) loads and
 * stores; large or variable ones a call of host memmove (3) / memset (4). */
// EXPORT: small big var clear
struct small { long a, b, c; };
struct big { char x[200]; };

// CHECK-LABEL: @__tmebox_export_small(
// CHECK-NOT: call
// CHECK: load i64, ptr addrspace(256)
// CHECK: store i64 {{.*}}, ptr addrspace(256)
// CHECK: ret void
void small(struct small *d, struct small *s) { *d = *s; }

// CHECK-LABEL: @__tmebox_export_big(
// CHECK: [[F:%.*]] = load ptr, ptr getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 3)
// CHECK: call void [[F]](ptr %0, ptr %1, i64 200)
void big(struct big *d, struct big *s) { *d = *s; }

// CHECK-LABEL: @__tmebox_export_var(
// CHECK: [[F:%.*]] = load ptr, ptr getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 3)
// CHECK: call void [[F]](ptr %0, ptr %1, i64 %{{.*}})
void var(char *d, const char *s, long n) { __builtin_memmove(d, s, n); }

// CHECK-LABEL: @__tmebox_export_clear(
// CHECK: [[F:%.*]] = load ptr, ptr getelementptr inbounds ([{{[0-9]+}} x ptr], ptr @__tmebox_hosttab, i64 0, i64 4)
// CHECK: call void [[F]](ptr %0, i32 0, i64 %{{.*}})
void clear(char *d, long n) { __builtin_memset(d, 0, n); }
// CHECK-NOT: @llvm.mem
