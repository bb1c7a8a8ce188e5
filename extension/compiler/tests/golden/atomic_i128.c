/* 128-bit atomics (cmpxchg16b) are not supported. */
static __int128 v;
long f(void)
{
	__int128 old = __atomic_fetch_add(&v, 1, __ATOMIC_SEQ_CST);
	return (long) old;
}
