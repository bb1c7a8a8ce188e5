/*-------------------------------------------------------------------------
 *
 * errno.h
 *		Sandbox C library: errno and the error numbers the libc sets
 *		(C11 7.5, Linux values).
 *
 * Invariants: a sandbox instance is single-threaded, so errno is one
 * plain global in the view (threads and thread-locals are rejected by
 * tmebox-cc); its value is kept across calls of the same instance until
 * the instance is reset.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _TMEBOX_ERRNO_H
#define _TMEBOX_ERRNO_H

extern int	__tmebox_errno;
#define errno __tmebox_errno

#define EPERM		1
#define ENOENT		2
#define EIO			5
#define EBADF		9
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EEXIST		17
#define EINVAL		22
#define ENOSPC		28
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define ENOSYS		38
#define EOVERFLOW	75
#define EILSEQ		84
#define ENOTSUP		95
#define EOPNOTSUPP	95

#endif							/* _TMEBOX_ERRNO_H */
