/*-------------------------------------------------------------------------
 *
 * cc_link.c
 *		Runs ld.lld on the emitted object, inside the private temp
 *		directory and under the child limits.
 *
 * Invariants kept here:
 *	- Inputs and outputs are fixed names in job->tmpdir (never a
 *	  predictable path in a shared directory).
 *	- The flags below are the whole link: no default libraries, no search
 *	  paths, no undefined symbols; no static symbol table (--strip-all):
 *	  the module carries no source file name or internal symbol, so the
 *	  same source always gives the same bytes, whatever its file name
 *	  (the backend shares identical modules between tenants).
 *
 *-------------------------------------------------------------------------
 */
#include "cc_link.h"

#include <stdlib.h>

/* The largest shared object accepted back from the linker. */
#define CC_LINK_MAX_SO	(1u << 30)

int
cc_link_shared(const cc_job *job, const void *obj, size_t objlen, cc_buf *so)
{
	char	   *opath = cc_asprintf("%s/module.o", job->tmpdir);
	char	   *spath = cc_asprintf("%s/module.so", job->tmpdir);
	const char *argv[] = {
		job->lld_path, "-shared", "-nostdlib", "--no-undefined", "-z", "defs",
		"-z", "noexecstack", "-z", "relro", "-z", "now", "--hash-style=gnu",
		"--build-id=none", "--strip-all", "-o", spath, opath, NULL
	};
	int			rc = -1;

	if (cc_write_file(opath, obj, objlen) == 0)
	{
		int			st = cc_run(argv, NULL, NULL, "ld.lld", job->tmpdir,
								&job->limits, NULL, job->verbose);

		if (st > 0)
			cc_msg("internal error: linking the module failed (ld.lld exit status %d)", st);
		else if (st == 0)
			rc = cc_read_file(spath, CC_LINK_MAX_SO, so);
	}
	free(opath);
	free(spath);
	return rc;
}
