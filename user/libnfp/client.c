/* client.c - see client.h. */
#include "libnfp/client.h"
#include "common/errname.h"
#include "nfplane/common.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LINE (64u << 20)

struct nfp_client {
	int fd;
	int timeout_ms;       /* how long a call waits for its reply; < 0: for ever */
	long long next_id;
	char *buf;
	size_t off, len, cap; /* unconsumed bytes are buf[off, len) */
};

int nfp_client_connect(struct nfp_client **out, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct nfp_client *c;

	if (!path)
		path = NFP_SOCK_PATH_DEFAULT;
	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int r = -errno;

		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return r;
	}
	c->next_id = 1;
	c->timeout_ms = NFP_CLIENT_TIMEOUT_MS_DEFAULT;
	*out = c;
	return 0;
}

void nfp_client_close(struct nfp_client *c)
{
	if (!c)
		return;
	close(c->fd);
	free(c->buf);
	free(c);
}

int nfp_client_fd(const struct nfp_client *c)
{
	return c->fd;
}

void nfp_client_set_timeout(struct nfp_client *c, int timeout_ms)
{
	c->timeout_ms = timeout_ms;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

long nfp_client_read_line(struct nfp_client *c, const char **line, int timeout_ms)
{
	for (;;) {
		char *nl = c->len > c->off ? memchr(c->buf + c->off, '\n', c->len - c->off) : NULL;
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		ssize_t n;
		int pr;

		if (nl) {
			long len = nl - (c->buf + c->off);

			*nl = '\0';
			*line = c->buf + c->off;
			c->off += (size_t)len + 1;
			return len;
		}
		if (c->off) {
			memmove(c->buf, c->buf + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
		}
		if (c->len + 65536 > c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 131072;
			char *p;

			if (cap > MAX_LINE)
				return -EMSGSIZE;
			p = realloc(c->buf, cap);
			if (!p)
				return -ENOMEM;
			c->buf = p;
			c->cap = cap;
		}
		pr = poll(&pfd, 1, timeout_ms);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return -errno;
		if (pr == 0)
			return -ETIMEDOUT;
		n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		c->len += (size_t)n;
	}
}

size_t nfp_client_take_buffered(struct nfp_client *c, void *buf, size_t len)
{
	size_t n = c->len - c->off;

	if (n > len)
		n = len;
	memcpy(buf, c->buf + c->off, n);
	c->off += n;
	return n;
}

static int fail(struct nfp_client_error *err, int code, const char *fmt, const char *arg)
{
	if (err) {
		err->code = code;
		snprintf(err->name, sizeof(err->name), "%s", nfp_errname(code));
		snprintf(err->message, sizeof(err->message), fmt, arg);
	}
	return -code;
}

/* The first byte goes with the descriptor, the rest as usual. */
static int send_with_fd(int sock, const char *p, size_t n, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *)p, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return send_all(sock, p + 1, n - 1);
}

static int call(struct nfp_client *c, const char *cmd, json_t *args, int fd, json_t **result,
		struct nfp_client_error *err, int timeout_ms);

int nfp_client_call_timeout(struct nfp_client *c, const char *cmd, json_t *args,
			    json_t **result, struct nfp_client_error *err, int timeout_ms)
{
	return call(c, cmd, args, -1, result, err, timeout_ms);
}

int nfp_client_call_fd(struct nfp_client *c, const char *cmd, json_t *args, int fd,
		       json_t **result, struct nfp_client_error *err)
{
	return call(c, cmd, args, fd, result, err, c->timeout_ms);
}

static int call(struct nfp_client *c, const char *cmd, json_t *args, int fd, json_t **result,
		struct nfp_client_error *err, int timeout_ms)
{
	long long id = c->next_id++;
	json_t *req = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)id, "cmd", cmd, "args",
				args ? args : json_object());
	char *text;
	int r;

	*result = NULL;
	if (!req)
		return fail(err, ENOMEM, "%s", "cannot build the request");
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!text)
		return fail(err, ENOMEM, "%s", "cannot build the request");
	r = fd >= 0 ? send_with_fd(c->fd, text, strlen(text), fd) :
		      send_all(c->fd, text, strlen(text));
	if (!r)
		r = send_all(c->fd, "\n", 1);
	free(text);
	if (r)
		return fail(err, -r, "cannot send to nfpd: %s", strerror(-r));

	for (;;) {
		const char *line;
		long n = nfp_client_read_line(c, &line, timeout_ms);
		json_t *reply, *rid, *e;
		json_error_t jerr;

		if (n == 0)
			return fail(err, ECONNRESET, "%s", "nfpd closed the connection");
		if (n == -ETIMEDOUT) {
			char waited[32];

			snprintf(waited, sizeof(waited), "%d ms", timeout_ms);
			return fail(err, ETIMEDOUT, "no reply from nfpd within %s", waited);
		}
		if (n < 0)
			return fail(err, (int)-n, "no reply from nfpd: %s", strerror((int)-n));
		reply = json_loads(line, 0, &jerr);
		if (!reply)
			return fail(err, EPROTO, "nfpd sent invalid JSON: %s", jerr.text);
		rid = json_object_get(reply, "id");
		/* a reply to another request (or a stream record): skip it */
		if (!json_is_integer(rid) || json_integer_value(rid) != id) {
			if (json_object_get(reply, "ok") && json_is_null(rid) &&
			    !json_is_true(json_object_get(reply, "ok"))) {
				/* the daemon could not tell which request failed */
			} else {
				json_decref(reply);
				continue;
			}
		}
		if (json_is_true(json_object_get(reply, "ok"))) {
			*result = json_incref(json_object_get(reply, "result"));
			json_decref(reply);
			return 0;
		}
		e = json_object_get(reply, "error");
		{
			const char *name = json_string_value(json_object_get(e, "code"));
			const char *msg = json_string_value(json_object_get(e, "message"));
			int code = name ? nfp_errno_from_name(name) : 0;

			if (!code)
				code = EIO;
			fail(err, code, "%s", msg ? msg : "unknown error");
			if (err && name)
				snprintf(err->name, sizeof(err->name), "%s", name);
		}
		json_decref(reply);
		return -(err ? err->code : EIO);
	}
}

int nfp_client_call(struct nfp_client *c, const char *cmd, json_t *args, json_t **result,
		    struct nfp_client_error *err)
{
	return nfp_client_call_timeout(c, cmd, args, result, err, c->timeout_ms);
}
