/*-------------------------------------------------------------------------
 *
 * cc_util.c
 *		Messages, memory, buffers, the private temporary directory and the
 *		limited child runner of tmebox-cc.
 *
 * Invariants kept here:
 *	- A child never sees the parent's environment: it gets PATH and LANG=C
 *	  only (clang reads CPATH, C_INCLUDE_PATH, CCC_OVERRIDE_OPTIONS...).
 *	- A child that execs gets RLIMIT_AS = memory limit + CC_TOOL_AS_MB (a
 *	  forked helper keeps tmebox-cc's own), RLIMIT_CPU = timeout + 1 s,
 *	  RLIMIT_FSIZE = memory limit, RLIMIT_CORE = 0, and is killed with its
 *	  whole process group once the wall-clock timeout expires.
 *	- cc_tmpdir_remove never follows a symlink out of the tree it removes.
 *	- tmebox-cc itself runs under RLIMIT_AS = its start-up mappings +
 *	  memory limit (cc_limit_self); running out of memory, its own or a
 *	  child's, ends in one message and exit status CC_EXIT_OOM.
 *
 *-------------------------------------------------------------------------
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "cc_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile pid_t cc_child_pgid = 0;
void		(*cc_fatal_cleanup) (void) = NULL;

/* For cc_out_of_memory: set by cc_limit_self, read in a failed allocation. */
static pid_t cc_limited_pid = 0;
static unsigned cc_limited_mb = 0;

void
cc_msg(const char *fmt,...)
{
	va_list		ap;

	fflush(stdout);
	fputs(CC_PROGNAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

static void
cc_oom(void)
{
	cc_out_of_memory("the compiler");
}

void
cc_out_of_memory(const char *what)
{
	static const char head[] = CC_PROGNAME ": error: ";
	static const char mid[] = " ran out of memory (the memory limit is ";
	static const char tail[] = " MB)\n";
	char		num[16];
	int			i = sizeof(num);
	unsigned	v = cc_limited_mb;

	/* a forked helper (pid differs): the parent reports and cleans up */
	if (cc_limited_pid != 0 && getpid() != cc_limited_pid)
		_exit(CC_EXIT_OOM);
	do
	{
		num[--i] = '0' + v % 10;
		v /= 10;
	} while (v > 0 && i > 0);
	if (write(STDERR_FILENO, head, sizeof(head) - 1) >= 0 &&
		write(STDERR_FILENO, what, strlen(what)) >= 0 &&
		write(STDERR_FILENO, mid, sizeof(mid) - 1) >= 0 &&
		write(STDERR_FILENO, num + i, sizeof(num) - i) >= 0)
		(void) !write(STDERR_FILENO, tail, sizeof(tail) - 1);
	if (cc_fatal_cleanup != NULL)
		cc_fatal_cleanup();
	_exit(CC_EXIT_OOM);
}

int
cc_limit_self(const cc_limits *lim)
{
	struct rlimit rl;
	unsigned long pages = 0;
	FILE	   *f = fopen("/proc/self/statm", "r");
	rlim_t		mapped;

	if (f == NULL || fscanf(f, "%lu", &pages) != 1)
	{
		cc_msg("error: cannot read /proc/self/statm: %s", strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	mapped = (rlim_t) pages * (rlim_t) sysconf(_SC_PAGESIZE);
	cc_limited_pid = getpid();
	cc_limited_mb = lim->memory_mb;
	rl.rlim_cur = mapped + ((rlim_t) lim->memory_mb << 20);
	/* the hard limit leaves room for the children's own (cc_child_setup) */
	rl.rlim_max = (rlim_t) (lim->memory_mb + CC_TOOL_AS_MB) << 20;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_AS, &rl) != 0)
	{
		cc_msg("error: cannot set the memory limit: %s", strerror(errno));
		return -1;
	}
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = (rlim_t) lim->memory_mb << 20;
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
	{
		cc_msg("error: cannot set the file size limit: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void *
cc_malloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		cc_oom();
	return p;
}

void *
cc_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		cc_oom();
	return p;
}

char *
cc_strdup(const char *s)
{
	size_t		n = strlen(s) + 1;

	return memcpy(cc_malloc(n), s, n);
}

char *
cc_asprintf(const char *fmt,...)
{
	va_list		ap;
	char	   *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		cc_oom();
	va_end(ap);
	return s;
}

void
cc_buf_init(cc_buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->data = cc_malloc(b->cap);
	b->data[0] = '\0';
}

void
cc_buf_free(cc_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
cc_buf_append(cc_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		while (b->len + n + 1 > b->cap)
			b->cap *= 2;
		b->data = cc_realloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
cc_buf_puts(cc_buf *b, const char *s)
{
	cc_buf_append(b, s, strlen(s));
}

void
cc_buf_printf(cc_buf *b, const char *fmt,...)
{
	va_list		ap;
	char	   *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		cc_oom();
	va_end(ap);
	cc_buf_puts(b, s);
	free(s);
}

void
cc_buf_replace(cc_buf *b, const char *from, const char *to)
{
	size_t		flen = strlen(from);
	cc_buf		out;
	const char *p = b->data;
	const char *end = b->data + b->len;
	const char *hit;

	if (flen == 0 || memmem(p, b->len, from, flen) == NULL)
		return;
	cc_buf_init(&out);
	while ((hit = memmem(p, (size_t) (end - p), from, flen)) != NULL)
	{
		cc_buf_append(&out, p, (size_t) (hit - p));
		cc_buf_puts(&out, to);
		p = hit + flen;
	}
	cc_buf_append(&out, p, (size_t) (end - p));
	cc_buf_free(b);
	*b = out;
}

void
cc_strv_push(cc_strv *sv, const char *s)
{
	if (sv->n + 2 > sv->cap)
	{
		sv->cap = sv->cap ? sv->cap * 2 : 16;
		sv->v = cc_realloc(sv->v, sizeof(char *) * sv->cap);
	}
	sv->v[sv->n++] = cc_strdup(s);
	sv->v[sv->n] = NULL;
}

void
cc_strv_free(cc_strv *sv)
{
	for (int i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int
cc_read_file(const char *path, size_t limit, cc_buf *out)
{
	int			fd;
	char		chunk[65536];
	ssize_t		r;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
	{
		cc_msg("error: cannot open \"%s\": %s", path, strerror(errno));
		return -1;
	}
	cc_buf_init(out);
	while ((r = read(fd, chunk, sizeof(chunk))) != 0)
	{
		if (r < 0)
		{
			if (errno == EINTR)
				continue;
			cc_msg("error: cannot read \"%s\": %s", path, strerror(errno));
			goto fail;
		}
		if (out->len + (size_t) r > limit)
		{
			cc_msg("error: \"%s\" is larger than %zu bytes", path, limit);
			goto fail;
		}
		cc_buf_append(out, chunk, (size_t) r);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return 0;

fail:
	if (fd != STDIN_FILENO)
		close(fd);
	cc_buf_free(out);
	return -1;
}

int
cc_write_file(const char *path, const void *p, size_t n)
{
	int			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	const char *c = p;

	if (fd < 0)
	{
		cc_msg("error: cannot create \"%s\": %s", path, strerror(errno));
		return -1;
	}
	while (n > 0)
	{
		ssize_t		w = write(fd, c, n);

		if (w < 0)
		{
			if (errno == EINTR)
				continue;
			cc_msg("error: cannot write \"%s\": %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		c += w;
		n -= (size_t) w;
	}
	if (close(fd) != 0)
	{
		cc_msg("error: cannot write \"%s\": %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
cc_write_replace(const char *path, const void *p, size_t n)
{
	char	   *tmp = cc_asprintf("%s.XXXXXX", path);
	int			fd = mkostemp(tmp, O_CLOEXEC);
	const char *c = p;
	mode_t		mask;

	if (fd < 0)
	{
		cc_msg("error: cannot create \"%s\": %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		goto fail;
	while (n > 0)
	{
		ssize_t		w = write(fd, c, n);

		if (w < 0)
		{
			if (errno == EINTR)
				continue;
			goto fail;
		}
		c += w;
		n -= (size_t) w;
	}
	if (close(fd) != 0)
	{
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return 0;

fail:
	cc_msg("error: cannot write \"%s\": %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

char *
cc_tmpdir_create(void)
{
	const char *base = getenv("TMPDIR");
	char	   *templ;

	if (base == NULL || base[0] != '/')
		base = "/tmp";
	templ = cc_asprintf("%s/tmebox-cc.XXXXXX", base);
	if (mkdtemp(templ) == NULL)
	{
		cc_msg("error: cannot create a temporary directory in \"%s\": %s",
			   base, strerror(errno));
		free(templ);
		return NULL;
	}
	return templ;
}

static int
cc_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	(void) ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void
cc_tmpdir_remove(const char *path)
{
	if (path != NULL)
		nftw(path, cc_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Runs in the child between fork and exec/fn: never returns on failure. */
static void
cc_child_setup(const char *cwd, const cc_limits *lim, int capture_fd, bool exec)
{
	struct rlimit rl;
	int			devnull;

	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);

	/*
	 * A program that execs gets the memory limit beyond the mappings of the
	 * toolchain's shared libraries; a forked helper is a copy
	 * of tmebox-cc with LLVM and libclang mapped and keeps its limit
	 * (cc_limit_self: the mappings + the memory limit).
	 */
	rl.rlim_cur = rl.rlim_max = (rlim_t) (lim->memory_mb + CC_TOOL_AS_MB) << 20;
	if (exec)
		setrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = rl.rlim_max = (rlim_t) lim->memory_mb << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = lim->timeout_sec + 1;
	rl.rlim_max = lim->timeout_sec + 2;
	setrlimit(RLIMIT_CPU, &rl);
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);

	devnull = open("/dev/null", O_RDONLY);
	if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0)
		_exit(127);
	if (capture_fd >= 0 &&
		(dup2(capture_fd, STDOUT_FILENO) < 0 || dup2(capture_fd, STDERR_FILENO) < 0))
		_exit(127);
	closefrom(3);

	if (chdir(cwd) != 0)
	{
		fprintf(stderr, CC_PROGNAME ": error: cannot enter \"%s\": %s\n",
				cwd, strerror(errno));
		_exit(127);
	}
	if (clearenv() != 0 ||
		setenv("PATH", "/usr/bin:/bin", 1) != 0 ||
		setenv("LANG", "C", 1) != 0)
		_exit(127);
}

static double
cc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
cc_run(const char *const *argv, cc_child_fn fn, void *arg,
	   const char *what, const char *cwd, const cc_limits *lim,
	   cc_buf *capture, bool verbose)
{
	int			pipefd[2] = {-1, -1};
	pid_t		pid;
	int			status = 0;
	bool		exited = false;
	bool		timed_out = false;
	double		deadline;

	if (verbose && argv != NULL)
	{
		fputs(CC_PROGNAME ": running", stderr);
		for (int i = 0; argv[i]; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "  (in %s)\n", cwd);
	}
	if (capture != NULL && pipe2(pipefd, O_CLOEXEC) != 0)
	{
		cc_msg("error: cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
	{
		cc_msg("error: cannot start %s: %s", what, strerror(errno));
		if (capture != NULL)
		{
			close(pipefd[0]);
			close(pipefd[1]);
		}
		return -1;
	}
	if (pid == 0)
	{
		if (capture != NULL)
			close(pipefd[0]);
		cc_child_setup(cwd, lim, pipefd[1], argv != NULL);
		if (argv != NULL)
		{
			execv(argv[0], (char *const *) argv);
			fprintf(stderr, CC_PROGNAME ": error: cannot run \"%s\": %s\n",
					argv[0], strerror(errno));
			_exit(127);
		}
		fflush(stdout);
		_exit(fn(arg) & 0xff);
	}
	setpgid(pid, pid);			/* also done by the child: no race */
	cc_child_pgid = pid;
	if (capture != NULL)
	{
		close(pipefd[1]);
		pipefd[1] = -1;
		fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	}

	deadline = cc_now() + lim->timeout_sec;
	for (;;)
	{
		/* Drain the capture pipe (or just sleep a little). */
		if (pipefd[0] >= 0)
		{
			struct pollfd pfd = {.fd = pipefd[0],.events = POLLIN};
			char		chunk[8192];
			ssize_t		r;

			if (poll(&pfd, 1, 10) > 0)
			{
				while ((r = read(pipefd[0], chunk, sizeof(chunk))) > 0)
				{
					if (capture->len + (size_t) r > ((size_t) 64 << 20))
						break;	/* absurd output: drop the rest */
					cc_buf_append(capture, chunk, (size_t) r);
				}
				if (r == 0)
				{
					close(pipefd[0]);
					pipefd[0] = -1;
				}
			}
		}
		else if (exited)
			break;
		else
		{
			struct timespec ts = {0, 5 * 1000 * 1000};

			nanosleep(&ts, NULL);
		}
		if (!exited)
		{
			siginfo_t	info;

			/*
			 * Look without reaping: while the leader is a zombie its group
			 * id cannot be reused, so killing the group (a grandchild might
			 * hold the pipe open) only reaches our own processes.
			 */
			memset(&info, 0, sizeof(info));
			if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
				info.si_pid == pid)
			{
				kill(-pid, SIGKILL);
				cc_child_pgid = 0;
				while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
					;
				exited = true;
			}
		}
		if (!exited && cc_now() > deadline)
		{
			timed_out = true;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			cc_child_pgid = 0;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			exited = true;
		}
	}
	cc_child_pgid = 0;
	if (pipefd[0] >= 0)
		close(pipefd[0]);

	if (timed_out)
	{
		cc_msg("error: %s exceeded the time limit of %u s", what, lim->timeout_sec);
		return -1;
	}
	/*
	 * Out of memory: a forked helper says so by its exit status, a program
	 * (clang, ld.lld) by LLVM's message before it aborts or exits.
	 */
	if ((argv == NULL && WIFEXITED(status) && WEXITSTATUS(status) == CC_EXIT_OOM) ||
		(capture != NULL && !(WIFEXITED(status) && WEXITSTATUS(status) == 0) &&
		 (memmem(capture->data, capture->len, "LLVM ERROR: out of memory", 25) != NULL ||
		  memmem(capture->data, capture->len, "std::bad_alloc", 14) != NULL ||
		  /* libclang parses on a thread with an 8 MB stack */
		  memmem(capture->data, capture->len, "LIBCLANG FATAL ERROR: pthread_create", 36) != NULL)))
		cc_out_of_memory(what);
	if (WIFSIGNALED(status))
	{
		int			sig = WTERMSIG(status);

		if (sig == SIGXCPU)
			cc_msg("error: %s exceeded the CPU time limit of %u s",
				   what, lim->timeout_sec);
		else if (sig == SIGXFSZ)
			cc_msg("error: %s exceeded the file size limit of %u MB",
				   what, lim->memory_mb);
		else
			cc_msg("error: %s was killed by signal %d (%s); the memory limit is %u MB",
				   what, sig, strsignal(sig), lim->memory_mb);
		return -1;
	}
	return WEXITSTATUS(status);
}
