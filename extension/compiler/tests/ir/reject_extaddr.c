/* The address of an external function, external variables and reserved
 * names are rejected. */
void host_thing(void);
extern int environ_like;
void (*fp)(void);
// CHECK-DAG: error: the name '__tmebox_hosttab' is reserved for tmebox
void *__tmebox_hosttab[1];
int f(void)
{
	// CHECK-DAG: reject_extaddr.c:[[@LINE+1]]: error: the address of external function 'host_thing' is not allowed
	fp = host_thing;
	// CHECK-DAG: reject_extaddr.c:[[@LINE+1]]: error: external variable 'environ_like' is not defined
	return environ_like + (__tmebox_hosttab[0] != 0);
}
