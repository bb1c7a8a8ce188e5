/*-------------------------------------------------------------------------
 *
 * pl_guc.c
 *		Settings of the tmebox language.
 *
 * Invariants kept here:
 *	- Everything that names a program or directory the backend executes or
 *	  reads (compiler path, sandbox directory) and every resource limit of
 *	  compilation is PGC_SUSET: a tenant can never point the server at a
 *	  program of its choosing or lift its own limits.
 *	- tmebox.tenant is PGC_USERSET: it only selects among tenants the
 *	  function's owner is allowed to use, which is checked at every bind.
 *	  A function's tenant comes from its own SET clause (proconfig), never
 *	  from the caller's session; the session value serves DO blocks.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/guc.h"

#include "pl_guc.h"

#ifndef TMEBOX_BINDIR
#define TMEBOX_BINDIR "/usr/lib/postgresql/15/bin"
#endif
#ifndef TMEBOX_SHAREDIR
#define TMEBOX_SHAREDIR "/usr/share/postgresql/15"
#endif

char	   *tmebox_compiler_path = NULL;
char	   *tmebox_sandbox_dir = NULL;
int			tmebox_compile_timeout = 30;
int			tmebox_compile_memory_limit = 2048;
char	   *tmebox_current_tenant = NULL;
int			tmebox_max_instances = 10000;

void
tmebox_pl_define_gucs(void)
{
	DefineCustomStringVariable("tmebox.compiler_path",
							   "Path of the tmebox-cc compiler.",
							   NULL,
							   &tmebox_compiler_path,
							   TMEBOX_BINDIR "/tmebox-cc",
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("tmebox.sandbox_dir",
							   "Directory holding the sandbox headers and libc.",
							   NULL,
							   &tmebox_sandbox_dir,
							   TMEBOX_SHAREDIR "/tmebox/sandbox",
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);
	DefineCustomIntVariable("tmebox.compile_timeout",
							"Wall-clock limit for compiling one module.",
							NULL,
							&tmebox_compile_timeout,
							30, 1, 3600,
							PGC_SUSET, GUC_UNIT_S,
							NULL, NULL, NULL);
	DefineCustomIntVariable("tmebox.compile_memory_limit",
							"Address-space limit of the compiler, in megabytes.",
							NULL,
							&tmebox_compile_memory_limit,
							2048, 256, 65536,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("tmebox.max_instances",
							"Most sandbox instances one backend keeps resident.",
							NULL,
							&tmebox_max_instances,
							10000, 1, 1000000,
							PGC_SUSET, 0,
							NULL, NULL, NULL);
	DefineCustomStringVariable("tmebox.tenant",
							   "Tenant that runs the code of a role owning several tenants.",
							   "A function's own SET clause chooses its tenant; set in the session, it chooses the tenant of DO blocks only.",
							   &tmebox_current_tenant,
							   "",
							   PGC_USERSET, 0,
							   NULL, NULL, NULL);
}
