/* click_proc.c - Click driver processes (see click_proc.h). */
#include "runtime/click_proc.h"
#include "runtime/controlsocket.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* the end of the log, one line, for an error message */
static void log_tail(const char *path, char *out, size_t cap)
{
	char buf[400];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t size;
	ssize_t n;

	out[0] = '\0';
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)sizeof(buf) - 1)
		lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	snprintf(out, cap, "%s", buf);
}

int click_proc_start(struct click_proc *p, const char *click, const char *script_file,
		     const char *control_socket, const char *log_path, int timeout_ms,
		     struct click_proc_error *err)
{
	char *const argv[] = { (char *)click, "-f", (char *)script_file, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, defaults;
	long until;
	int r;

	p->pid = -1;
	p->pidfd = -1;
	unlink(control_socket); /* a stale one would look ready */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* a daemon's blocked signals (nfpd takes TERM through a signalfd)
	 * and ignored ones (SIGPIPE) would pass to Click: it would not stop
	 * on TERM */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	sigaddset(&defaults, SIGTERM);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGHUP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	/* its own session: a Ctrl-C or a kill of nfpd's process group must
	 * not take the LVNFs with it (they outlive nfpd) */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					       POSIX_SPAWN_SETSID);
	r = posix_spawn(&p->pid, click, &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (r) {
		snprintf(err->msg, sizeof(err->msg), "cannot run %s: %s", click, strerror(r));
		p->pid = -1;
		return -r;
	}
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->pidfd < 0) {
		r = -errno;
		snprintf(err->msg, sizeof(err->msg), "pidfd_open: %s", strerror(errno));
		click_proc_stop(p, 0);
		return r;
	}
	for (until = now_ms() + timeout_ms;;) {
		struct pollfd pf = { p->pidfd, POLLIN, 0 };
		struct click_cs cs;
		struct click_cs_error cerr;
		int status;

		if (click_proc_exited(p, &status) == 1) {
			char tail[400];

			log_tail(log_path, tail, sizeof(tail));
			snprintf(err->msg, sizeof(err->msg), "Click exited (%s %d) before it was ready: %s",
				 WIFEXITED(status) ? "status" : "signal",
				 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), tail);
			return -ECHILD;
		}
		if (!access(control_socket, F_OK) &&
		    !click_cs_connect(&cs, control_socket, 1000, &cerr)) {
			click_cs_close(&cs);
			return 0;
		}
		if (now_ms() >= until)
			break;
		/* wakes at once if Click exits; else looks again in 1 ms */
		poll(&pf, 1, 1);
	}
	snprintf(err->msg, sizeof(err->msg), "Click's ControlSocket %s did not answer within %d ms",
		 control_socket, timeout_ms);
	click_proc_stop(p, 0);
	return -ETIMEDOUT;
}

int click_proc_exited(struct click_proc *p, int *status)
{
	pid_t r;

	if (p->pid <= 0)
		return -ECHILD;
	r = waitpid(p->pid, status, WNOHANG);
	if (r < 0 && errno == ECHILD && p->pidfd >= 0) {
		/* adopted, not our child: its pidfd says it has gone (whoever
		 * is its parent reaps it); the status is not ours to know */
		struct pollfd pf = { p->pidfd, POLLIN, 0 };

		if (poll(&pf, 1, 0) == 0)
			return 0;
		*status = 0;
		r = p->pid;
	} else if (r < 0) {
		return -errno;
	}
	if (r == 0)
		return 0;
	p->pid = -1;
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
	return 1;
}

/* Through the pidfd when there is one: it names this process, never one
 * that took its pid after it died */
static void signal_proc(const struct click_proc *p, int sig)
{
	if (p->pidfd >= 0)
		(void)syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0);
	else
		kill(p->pid, sig);
}

void click_proc_stop(struct click_proc *p, int grace_ms)
{
	struct pollfd pf = { p->pidfd, POLLIN, 0 };
	int status;

	if (p->pid <= 0)
		return;
	signal_proc(p, SIGTERM);
	if (grace_ms > 0 && p->pidfd >= 0)
		poll(&pf, 1, grace_ms);
	if (click_proc_exited(p, &status) != 1) {
		signal_proc(p, SIGKILL);
		if (waitpid(p->pid, &status, 0) < 0 && p->pidfd >= 0)
			poll(&pf, 1, 1000); /* adopted: gone when its pidfd says so */
		p->pid = -1;
		if (p->pidfd >= 0)
			close(p->pidfd);
		p->pidfd = -1;
	}
}

int click_proc_adopt(struct click_proc *p, pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return -errno;
	p->pid = pid;
	p->pidfd = fd;
	return 0;
}
