/* click_proc.h - one real Click driver process for an LVNF: started on a
 * script file with no shell in between, ready when its ControlSocket
 * answers (not after a fixed wait), its exit seen through a pidfd, stopped
 * with TERM then KILL. Its stderr goes to a log file, whose tail is the
 * error when Click refuses the script. */
#ifndef CLICK_PROC_H
#define CLICK_PROC_H

#include <sys/types.h>

struct click_proc {
	pid_t pid;
	int pidfd; /* readable once the process has exited */
};

struct click_proc_error {
	char msg[512];
};

/* Runs `click -f script_file` with stderr to log_path and waits, at most
 * timeout_ms, until control_socket greets. -ECHILD with Click's last words
 * when it exits first; -ETIMEDOUT (and the process killed) when neither
 * happens in time. */
int click_proc_start(struct click_proc *p, const char *click, const char *script_file,
		     const char *control_socket, const char *log_path, int timeout_ms,
		     struct click_proc_error *err);

/* Has it exited? 1 with its wait status (and the process reaped), 0 if it
 * runs, negative errno on error. */
int click_proc_exited(struct click_proc *p, int *status);

/* Watch a Click that another process started (an earlier nfpd): its exit
 * is seen through a pidfd; it is not reaped here (it is not our child).
 * -ESRCH when it is not running. */
int click_proc_adopt(struct click_proc *p, pid_t pid);
/* TERM, then KILL after grace_ms; reaps it. */
void click_proc_stop(struct click_proc *p, int grace_ms);

#endif
