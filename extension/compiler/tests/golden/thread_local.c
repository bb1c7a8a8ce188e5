/* Thread-local storage would live outside the view. */
_Thread_local int counter;
int f(void)
{
	return ++counter;
}
