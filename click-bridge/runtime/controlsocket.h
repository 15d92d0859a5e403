/* controlsocket.h - a client of Click's ControlSocket protocol (1.x) over
 * a unix socket: read and write handlers of a running Click, with Click's
 * reply codes turned into errno values that keep Click's own message.
 * Only unix sockets: the Click runtime never gives Click a TCP port. */
#ifndef CLICK_CONTROLSOCKET_H
#define CLICK_CONTROLSOCKET_H

#include <stddef.h>

struct click_cs {
	int fd;
	char in[4096]; /* bytes received and not yet used */
	size_t in_len;
	int timeout_ms;
};

struct click_cs_error {
	int code;      /* Click's reply code (510, 511, 530, ...); 0 when not from Click */
	char msg[256]; /* Click's words, or ours when the link failed */
};

/* Connects and reads the greeting. timeout_ms bounds every later wait. */
int click_cs_connect(struct click_cs *cs, const char *path, int timeout_ms,
		     struct click_cs_error *err);
void click_cs_close(struct click_cs *cs);

/* READ handler: *data (malloc'd, NUL-terminated, *len bytes before it).
 * Returns 0 or a negative errno: -ENOENT no such element or handler,
 * -EACCES read-only / write-only, -EINVAL the handler refused the value,
 * -ENOSYS the command is not known, -ENODEV no router installed, -EPROTO
 * a reply that is not the protocol, -ETIMEDOUT, -EPIPE Click went away. */
int click_cs_read(struct click_cs *cs, const char *handler, char **data, size_t *len,
		  struct click_cs_error *err);
/* WRITEDATA handler: value may hold any bytes, newlines included. */
int click_cs_write(struct click_cs *cs, const char *handler, const char *value, size_t len,
		   struct click_cs_error *err);

/* Click's code as the errno above */
int click_cs_errno(int code);

#endif
