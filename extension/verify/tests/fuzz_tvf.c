/*-------------------------------------------------------------------------
 *
 * fuzz_tvf.c
 *		libFuzzer harness of the verifier: any byte string given to
 *		tvf_verify_object must give 0 or -1 with a NUL-terminated message,
 *		never a memory error (built with ASan + UBSan by `make fuzz`;
 *		seeds: the hand-written test modules).
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "tvf.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		err[256];
	int			r;

	err[0] = 'x';
	r = tvf_verify_object(data, size, err, sizeof(err));
	if ((r != 0 && r != -1) || (r == -1 && memchr(err, '\0', sizeof(err)) == NULL))
		abort();
	return 0;
}
