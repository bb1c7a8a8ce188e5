/* long double and i128 division need library support: rejected. */
long double g(long double a, long double b)
{
	// CHECK-DAG: reject_longdouble.c:[[@LINE+1]]: error: long double is not supported
	return a * b;
}
__int128 h(__int128 a, __int128 b)
{
	// CHECK-DAG: reject_longdouble.c:[[@LINE+1]]: error: 128-bit integer division is not supported
	return a / b;
}
