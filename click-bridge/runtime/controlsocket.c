/* controlsocket.c - Click's ControlSocket protocol (see controlsocket.h).
 *
 * A reply is one or more lines "CODE-text" ending with "CODE text"; a
 * successful READ is followed by "DATA n" and n bytes with no newline
 * after them. WRITE goes as WRITEDATA so a value with a newline in it
 * cannot end the command early and be taken as a second one. */
#include "runtime/controlsocket.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(struct click_cs_error *err, int code, int e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct click_cs_error *err, int code, int e, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -e;
}

int click_cs_errno(int code)
{
	switch (code) {
	case 510: /* no such element */
	case 511: /* no such handler */
		return ENOENT;
	case 530: /* permission denied: read-only, write-only */
		return EACCES;
	case 500: /* syntax error */
	case 520: /* handler error */
		return EINVAL;
	case 501: /* unimplemented command */
		return ENOSYS;
	case 540: /* no router installed */
		return ENODEV;
	default:
		return EPROTO;
	}
}

/* more bytes into cs->in, waiting at most the timeout */
static int fill(struct click_cs *cs, struct click_cs_error *err)
{
	struct pollfd p = { cs->fd, POLLIN, 0 };
	ssize_t n;
	int r;

	if (cs->in_len == sizeof(cs->in))
		return fail(err, 0, EPROTO, "a ControlSocket line longer than %zu bytes",
			    sizeof(cs->in));
	do
		r = poll(&p, 1, cs->timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return fail(err, 0, ETIMEDOUT, "Click did not answer within %d ms", cs->timeout_ms);
	if (r < 0)
		return fail(err, 0, errno, "ControlSocket: %s", strerror(errno));
	n = recv(cs->fd, cs->in + cs->in_len, sizeof(cs->in) - cs->in_len, 0);
	if (n == 0)
		return fail(err, 0, EPIPE, "Click closed its ControlSocket");
	if (n < 0)
		return fail(err, 0, errno, "ControlSocket: %s", strerror(errno));
	cs->in_len += (size_t)n;
	return 0;
}

static void consume(struct click_cs *cs, size_t n)
{
	memmove(cs->in, cs->in + n, cs->in_len - n);
	cs->in_len -= n;
}

/* one line without its CR LF into line */
static int get_line(struct click_cs *cs, char *line, size_t cap, struct click_cs_error *err)
{
	for (;;) {
		char *nl = memchr(cs->in, '\n', cs->in_len);

		if (nl) {
			size_t n = (size_t)(nl - cs->in), keep = n;

			if (keep && cs->in[keep - 1] == '\r')
				keep--;
			if (keep >= cap)
				return fail(err, 0, EPROTO, "a ControlSocket line too long");
			memcpy(line, cs->in, keep);
			line[keep] = '\0';
			consume(cs, n + 1);
			return 0;
		}
		int r = fill(cs, err);

		if (r)
			return r;
	}
}

/* a whole reply: its code, and the last line's text in err->msg */
static int get_reply(struct click_cs *cs, int *code, struct click_cs_error *err)
{
	char line[1024];

	for (;;) {
		int r = get_line(cs, line, sizeof(line), err);

		if (r)
			return r;
		if (strlen(line) < 4 || line[0] < '1' || line[0] > '5' || (line[3] != ' ' && line[3] != '-'))
			return fail(err, 0, EPROTO, "not a ControlSocket reply: '%.80s'", line);
		*code = atoi(line);
		err->code = *code;
		snprintf(err->msg, sizeof(err->msg), "%.*s", (int)sizeof(err->msg) - 1, line + 4);
		if (line[3] == ' ')
			return 0;
	}
}

static int send_all(struct click_cs *cs, const char *data, size_t len, struct click_cs_error *err)
{
	while (len) {
		ssize_t n = send(cs->fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(err, 0, errno, "ControlSocket: %s", strerror(errno));
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int check_name(const char *handler, struct click_cs_error *err)
{
	if (!handler || !*handler || strpbrk(handler, " \t\r\n"))
		return fail(err, 0, EINVAL, "'%s' is not a handler name", handler ? handler : "");
	return 0;
}

int click_cs_connect(struct click_cs *cs, const char *path, int timeout_ms,
		     struct click_cs_error *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[256];

	memset(err, 0, sizeof(*err));
	memset(cs, 0, sizeof(*cs));
	cs->fd = -1;
	cs->timeout_ms = timeout_ms;
	if (strlen(path) >= sizeof(sa.sun_path))
		return fail(err, 0, ENAMETOOLONG, "ControlSocket path too long: %s", path);
	strcpy(sa.sun_path, path);
	cs->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cs->fd < 0)
		return fail(err, 0, errno, "socket: %s", strerror(errno));
	if (connect(cs->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(cs->fd);
		cs->fd = -1;
		return fail(err, 0, e, "%s: %s", path, strerror(e));
	}
	{
		int r = get_line(cs, line, sizeof(line), err);

		if (!r && strncmp(line, "Click::ControlSocket/1.", 23))
			r = fail(err, 0, EPROTO, "%s does not greet as Click's ControlSocket: '%.40s'",
				 path, line);
		if (r) {
			click_cs_close(cs);
			return r;
		}
	}
	return 0;
}

void click_cs_close(struct click_cs *cs)
{
	if (cs->fd >= 0)
		close(cs->fd);
	cs->fd = -1;
	cs->in_len = 0;
}

int click_cs_read(struct click_cs *cs, const char *handler, char **data, size_t *len,
		  struct click_cs_error *err)
{
	char cmd[512], line[64];
	unsigned long n;
	size_t have = 0;
	char *buf, *end;
	int code, r;

	memset(err, 0, sizeof(*err));
	*data = NULL;
	if (check_name(handler, err))
		return -EINVAL;
	snprintf(cmd, sizeof(cmd), "READ %s\r\n", handler);
	if ((r = send_all(cs, cmd, strlen(cmd), err)) || (r = get_reply(cs, &code, err)))
		return r;
	if (code / 100 != 2)
		return -click_cs_errno(code);
	if ((r = get_line(cs, line, sizeof(line), err)))
		return r;
	if (strncmp(line, "DATA ", 5) || (n = strtoul(line + 5, &end, 10), *end) || n > (64u << 20))
		return fail(err, 0, EPROTO, "expected 'DATA n' after a READ, got '%.40s'", line);
	buf = malloc(n + 1);
	if (!buf)
		return fail(err, 0, ENOMEM, "out of memory");
	/* what is buffered first, then as much as arrives, in buffer-sized steps */
	while (have < n) {
		size_t take;

		if (!cs->in_len && (r = fill(cs, err))) {
			free(buf);
			return r;
		}
		take = cs->in_len < n - have ? cs->in_len : n - have;
		memcpy(buf + have, cs->in, take);
		consume(cs, take);
		have += take;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int click_cs_write(struct click_cs *cs, const char *handler, const char *value, size_t len,
		   struct click_cs_error *err)
{
	char cmd[512];
	int code, r;

	memset(err, 0, sizeof(*err));
	if (check_name(handler, err))
		return -EINVAL;
	snprintf(cmd, sizeof(cmd), "WRITEDATA %s %zu\r\n", handler, len);
	if ((r = send_all(cs, cmd, strlen(cmd), err)) || (r = send_all(cs, value, len, err)) ||
	    (r = get_reply(cs, &code, err)))
		return r;
	return code / 100 == 2 ? 0 : -click_cs_errno(code);
}
