/*-------------------------------------------------------------------------
 *
 * errno.c
 *		Sandbox libc: the errno object and strerror.
 *
 * Invariants: one errno per instance (instances are single-threaded);
 * strerror returns a pointer to a constant string for every int.
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <string.h>

int			__tmebox_errno;

char *
strerror(int errnum)
{
	switch (errnum)
	{
		case 0:
			return (char *) "Success";
		case EPERM:
			return (char *) "Operation not permitted";
		case ENOENT:
			return (char *) "No such file or directory";
		case EIO:
			return (char *) "Input/output error";
		case EBADF:
			return (char *) "Bad file descriptor";
		case EAGAIN:
			return (char *) "Resource temporarily unavailable";
		case ENOMEM:
			return (char *) "Cannot allocate memory";
		case EACCES:
			return (char *) "Permission denied";
		case EFAULT:
			return (char *) "Bad address";
		case EEXIST:
			return (char *) "File exists";
		case EINVAL:
			return (char *) "Invalid argument";
		case ENOSPC:
			return (char *) "No space left on device";
		case EPIPE:
			return (char *) "Broken pipe";
		case EDOM:
			return (char *) "Numerical argument out of domain";
		case ERANGE:
			return (char *) "Numerical result out of range";
		case ENOSYS:
			return (char *) "Function not implemented";
		case EOVERFLOW:
			return (char *) "Value too large for defined data type";
		case EILSEQ:
			return (char *) "Invalid or incomplete multibyte or wide character";
		case ENOTSUP:
			return (char *) "Operation not supported";
		default:
			return (char *) "Unknown error";
	}
}
