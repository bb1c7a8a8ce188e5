/*-------------------------------------------------------------------------
 *
 * tpg_compile.c
 *		Compile a tenant's C source into a module by running tmebox-cc as a
 *		child process of the backend.
 *
 * The compiler is never linked into the backend (LLVM aborts on fatal
 * errors, and PostgreSQL may load its own LLVM for JIT): it is a separate
 * program whose path is the superuser-only GUC tmebox.compiler_path.
 *
 * Invariants kept here:
 *	- The source is written to, and the module read from, a private
 *	  directory made by mkdtemp() (mode 0700, unpredictable name) under the
 *	  data directory's base/pgsql_tmp; it is removed on every path.
 *	- The child runs in its own process group with a wall-clock limit
 *	  (tmebox.compile_timeout) and an address-space limit
 *	  (tmebox.compile_memory_limit) that tmebox-cc also applies to clang;
 *	  a query cancel or statement_timeout kills the whole group.
 *	- What the child prints is kept only up to TPG_MAX_DIAGNOSTICS bytes and
 *	  no server path survives in it (tpg_scrub_paths): the private
 *	  directory's name (absolute or relative) is removed, so diagnostics
 *	  show the display name the caller chose, and the sandbox directory
 *	  becomes <sandbox>.  tmebox-cc itself prints neither; this holds even
 *	  if it did.
 *	- tmebox-cc's own temporary directory is inside the private directory
 *	  (TMPDIR), so the tenant's source never lands in /tmp, and a compiler
 *	  killed by SIGKILL (cancel, timeout) leaves nothing behind.
 *	- Exit status 1 of tmebox-cc is a compile error (the caller reports the
 *	  diagnostics), 3 the compiler's memory limit (53200, naming
 *	  tmebox.compile_memory_limit); anything else is an internal error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "portability/instr_time.h"
#include "storage/fd.h"
#include "storage/latch.h"
#include "utils/wait_event.h"

#include "tpg_compile.h"
#include "tpg_guc.h"

#define TPG_MAX_DIAGNOSTICS	(64 * 1024)
#define TPG_MAX_MODULE		(256 * 1024 * 1024)

/* Read a whole file into palloc'd memory; NULL (errno set) on failure. */
static char *
tpg_read_file(const char *path, size_t limit, size_t *len)
{
	int			fd;
	struct stat st;
	char	   *buf;
	size_t		done = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
	{
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((size_t) st.st_size > limit)
	{
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = palloc((size_t) st.st_size + 1);
	while (done < (size_t) st.st_size)
	{
		ssize_t		n = read(fd, buf + done, (size_t) st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t) n;
	}
	close(fd);
	buf[done] = '\0';
	*len = done;
	return buf;
}

/* Write all of buf to a new file (mode 0600); false (errno set) on failure. */
static bool
tpg_write_file(const char *path, const char *buf, size_t len)
{
	int			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t		done = 0;

	if (fd < 0)
		return false;
	while (done < len)
	{
		ssize_t		n = write(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
		{
			int			save = errno;

			close(fd);
			errno = save ? save : EIO;
			return false;
		}
		done += (size_t) n;
	}
	return close(fd) == 0;
}

/* tmebox-cc's exit status when it ran out of memory (cc_util.h). */
#define TPG_CC_EXIT_OOM		3

/* A palloc'd copy of `text` with every `from` (non-empty) replaced by `to`. */
static char *
tpg_replace(const char *text, const char *from, const char *to)
{
	StringInfoData out;
	size_t		flen = strlen(from);
	const char *p = text;
	const char *hit;

	initStringInfo(&out);
	while ((hit = strstr(p, from)) != NULL)
	{
		appendBinaryStringInfo(&out, p, hit - p);
		appendStringInfoString(&out, to);
		p = hit + flen;
	}
	appendStringInfoString(&out, p);
	return out.data;
}

/*
 * The compiler's output without server paths: `dir` (the private
 * directory, relative to the data directory) and its absolute spelling
 * vanish with the slash after them, the sandbox directory (as configured
 * and resolved) becomes <sandbox>.
 */
static char *
tpg_scrub_paths(const char *text, const char *dir)
{
	char	   *abs = psprintf("%s/%s", DataDir, dir);
	char	   *real;
	char	   *res;

	res = tpg_replace(text, psprintf("%s/", abs), "");
	res = tpg_replace(res, abs, "");
	res = tpg_replace(res, psprintf("%s/", dir), "");
	res = tpg_replace(res, dir, "");
	if (tmebox_sandbox_dir != NULL && tmebox_sandbox_dir[0] != '\0')
	{
		/* malloc'd: a fixed buffer must be PATH_MAX bytes (fortify) */
		real = realpath(tmebox_sandbox_dir, NULL);
		if (real != NULL && strcmp(real, "/") != 0)
			res = tpg_replace(res, real, "<sandbox>");
		free(real);
		if (strcmp(tmebox_sandbox_dir, "/") != 0)
			res = tpg_replace(res, tmebox_sandbox_dir, "<sandbox>");
	}
	return res;
}

/*
 * Child side of fork(): only async-signal-safe calls until execv.
 */
static void
tpg_exec_compiler(char **argv, const char *logpath, const char *tmpdir)
{
	int			fd;
	struct rlimit rl;

	setpgid(0, 0);
	/* the backend is single-threaded: setenv is safe after fork */
	if (setenv("TMPDIR", tmpdir, 1) != 0)
		_exit(127);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
	{
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
	{
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max = (rlim_t) tmebox_compile_timeout + 5;
	setrlimit(RLIMIT_CPU, &rl);
	execv(argv[0], argv);
	_exit(127);
}

/* Kill the compiler's process group and reap it. */
static void
tpg_kill_compiler(pid_t pid)
{
	int			status;

	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/*
 * Wait for the compiler, honouring query cancel, statement_timeout and
 * tmebox.compile_timeout; on any error the child's group is killed first.
 */
static int
tpg_wait_compiler(pid_t pid)
{
	int			status = 0;
	instr_time	start,
				now;

	INSTR_TIME_SET_CURRENT(start);
	PG_TRY();
	{
		for (;;)
		{
			pid_t		r = waitpid(pid, &status, WNOHANG);

			if (r == pid)
				break;
			if (r < 0 && errno != EINTR)
				ereport(ERROR,
						(errcode(ERRCODE_INTERNAL_ERROR),
						 errmsg("could not wait for the tmebox compiler: %m")));
			INSTR_TIME_SET_CURRENT(now);
			INSTR_TIME_SUBTRACT(now, start);
			if (INSTR_TIME_GET_MILLISEC(now) > (double) tmebox_compile_timeout * 1000.0 + 2000.0)
				ereport(ERROR,
						(errcode(ERRCODE_QUERY_CANCELED),
						 errmsg("compilation did not finish within %d seconds",
								tmebox_compile_timeout),
						 errhint("Simplify the source or raise tmebox.compile_timeout.")));
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
							 5L, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			CHECK_FOR_INTERRUPTS();
		}
	}
	PG_CATCH();
	{
		tpg_kill_compiler(pid);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return status;
}

/*
 * Compile `source` (shown in diagnostics as `display_name`, which must be a
 * plain file name ending in .c).  With `prelude`, the default UDF headers
 * are included first.  On success returns true and a palloc'd module file
 * in *object / *object_len.  On a compile error returns false with the
 * compiler's diagnostics in *diagnostics.  Any other failure (the compiler
 * is missing, timed out, crashed) is reported with ereport(ERROR).
 */
bool
tpg_compile(const char *source, const char *display_name, bool prelude,
			   char **object, size_t *object_len, char **diagnostics)
{
	char		tmpl[MAXPGPATH];
	char	   *dir;
	char		srcpath[MAXPGPATH];
	char		outpath[MAXPGPATH];
	char		logpath[MAXPGPATH];
	char		abstmp[MAXPGPATH];
	char		timeout_arg[32];
	char		memory_arg[32];
	char	   *argv[16];
	int			argc = 0;
	pid_t		pid;
	int			status = 0;
	volatile bool ok = false;
	size_t		loglen = 0;
	char	   *log;

	*object = NULL;
	*object_len = 0;
	*diagnostics = NULL;

	if (tmebox_compiler_path == NULL || tmebox_compiler_path[0] != '/')
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("tmebox.compiler_path must be an absolute path")));
	if (access(tmebox_compiler_path, X_OK) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not execute the tmebox compiler \"%s\": %m",
						tmebox_compiler_path),
				 errhint("Check tmebox.compiler_path.")));

	/* private directory: base/pgsql_tmp/tmeboxcc.XXXXXX, mode 0700 */
	snprintf(tmpl, sizeof(tmpl), "base/%s", PG_TEMP_FILES_DIR);
	if (MakePGDirectory(tmpl) < 0 && errno != EEXIST)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create directory \"%s\": %m", tmpl)));
	snprintf(tmpl, sizeof(tmpl), "base/%s/tmeboxcc.XXXXXX", PG_TEMP_FILES_DIR);
	dir = mkdtemp(tmpl);
	if (dir == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create a temporary directory for the compiler: %m")));

	PG_TRY();
	{
		snprintf(srcpath, sizeof(srcpath), "%s/%s", dir, display_name);
		snprintf(outpath, sizeof(outpath), "%s/module.tmbx", dir);
		snprintf(logpath, sizeof(logpath), "%s/diagnostics.txt", dir);
		snprintf(abstmp, sizeof(abstmp), "%s/%s", DataDir, dir);
		if (!tpg_write_file(srcpath, source, strlen(source)))
			ereport(ERROR,
					(errcode_for_file_access(),
					 errmsg("could not write file \"%s\": %m", srcpath)));

		snprintf(timeout_arg, sizeof(timeout_arg), "%d", tmebox_compile_timeout);
		snprintf(memory_arg, sizeof(memory_arg), "%d", tmebox_compile_memory_limit);
		argv[argc++] = tmebox_compiler_path;
		argv[argc++] = "--timeout";
		argv[argc++] = timeout_arg;
		argv[argc++] = "--memory-limit";
		argv[argc++] = memory_arg;
		if (tmebox_sandbox_dir && tmebox_sandbox_dir[0])
		{
			argv[argc++] = "--sandbox-dir";
			argv[argc++] = tmebox_sandbox_dir;
		}
		if (prelude)
			argv[argc++] = "--prelude";
		argv[argc++] = "-o";
		argv[argc++] = outpath;
		argv[argc++] = srcpath;
		argv[argc] = NULL;

		fflush(NULL);
		pid = fork();
		if (pid < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
					 errmsg("could not start the tmebox compiler: %m")));
		if (pid == 0)
			tpg_exec_compiler(argv, logpath, abstmp);

		status = tpg_wait_compiler(pid);

		log = tpg_read_file(logpath, TPG_MAX_DIAGNOSTICS, &loglen);
		if (log == NULL)
			log = pstrdup("");
		log = tpg_scrub_paths(log, dir);
		loglen = strlen(log);
		while (loglen > 0 && (log[loglen - 1] == '\n' || log[loglen - 1] == ' '))
			log[--loglen] = '\0';

		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		{
			*object = tpg_read_file(outpath, TPG_MAX_MODULE, object_len);
			if (*object == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INTERNAL_ERROR),
						 errmsg("the tmebox compiler produced no module: %m"),
						 errdetail_internal("%s", log)));
			ok = true;
		}
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			*diagnostics = log;		/* an error in the tenant's source */
		else if (WIFEXITED(status) && WEXITSTATUS(status) == TPG_CC_EXIT_OOM)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("compilation ran out of memory"),
					 errdetail_internal("%s", log),
					 errhint("The compiler may use tmebox.compile_memory_limit (%d MB): "
							 "simplify the source or ask a superuser to raise the limit.",
							 tmebox_compile_memory_limit)));
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIG_FILE_ERROR),
					 errmsg("could not execute the tmebox compiler \"%s\"",
							tmebox_compiler_path)));
		else
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("the tmebox compiler failed (%s %d)",
							WIFSIGNALED(status) ? "signal" : "exit status",
							WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status)),
					 errdetail_internal("%s", log)));
	}
	PG_FINALLY();
	{
		rmtree(dir, true);
	}
	PG_END_TRY();

	return ok;
}
