/* Atomics wider than 8 bytes are rejected. */
__int128 big;
__int128 f(__int128 v)
{
	// CHECK: reject_atomic128.c:[[@LINE+1]]: error: 128-bit atomics are not supported
	__atomic_store_n(&big, v, __ATOMIC_SEQ_CST);
	// CHECK: reject_atomic128.c:[[@LINE+1]]: error: 128-bit atomics are not supported
	return __atomic_load_n(&big, __ATOMIC_SEQ_CST);
}
