/* server.c - see server.h. */
#include "api/server.h"
#include "api/file_sink.h"
#include "common/buf.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct nfp_api_conn {
	struct nfp_api_server *server;
	struct nfp_api_conn *next;
	uint64_t serial;          /* identifies the connection to deferred replies */
	int fd;
	struct nfp_loop_fd *h;
	char *in;                 /* partial request line */
	size_t in_len, in_cap;
	bool discarding;          /* skipping the rest of an over-long line */
	char *out;                /* queued output */
	size_t out_off, out_len, out_cap;
	bool stream;
	bool close_when_drained;
	bool closing;
	nfp_api_stream_close_cb on_close;
	void *on_close_ctx;
	/* A descriptor the client passed with its request (SCM_RIGHTS), until a
	 * handler takes it; and the one a stream writes to instead of the
	 * socket (nfp_api_conn_redirect_stream), with its loop handle when it
	 * can be polled (a pipe; a regular file cannot and is written at once). */
	int passed_fd;
	int out_fd;
	struct nfp_loop_fd *out_h;
	struct nfp_file_sink *sink; /* when out_fd is a regular file */
	struct nfp_loop_timer *sync_t; /* syncs the sink's partial block */
	bool sync_armed;
};

struct nfp_api_server {
	struct nfp_loop *loop;
	struct nfp_api_dispatcher *d;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int fd;
	struct nfp_loop_fd *h;
	struct nfp_api_conn *conns;
	uint64_t next_serial;
};

static void out_event(struct nfp_loop_fd *h, uint32_t events, void *ctx);

struct nfp_api_pending {
	struct nfp_api_server *server;
	uint64_t serial;
	json_t *id;
};

static void conn_free(struct nfp_api_conn *c)
{
	struct nfp_api_server *s = c->server;
	int r;

	for (struct nfp_api_conn **pp = &s->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (c->on_close)
		c->on_close(c, c->on_close_ctx);
	nfp_loop_del_fd(c->h);
	close(c->fd);
	if (c->out_h)
		nfp_loop_del_fd(c->out_h);
	if (c->sync_t)
		nfp_loop_del_timer(c->sync_t);
	r = nfp_file_sink_close(c->sink);
	if (r)
		log_warn("api: the last bytes of a stream did not reach its file: %s",
			 strerror(-r));
	if (c->out_fd >= 0)
		close(c->out_fd);
	if (c->passed_fd >= 0)
		close(c->passed_fd);
	free(c->in);
	free(c->out);
	free(c);
}

static void conn_update_events(struct nfp_api_conn *c)
{
	bool pending = c->out_len > c->out_off;
	uint32_t ev = EPOLLIN | EPOLLRDHUP;

	/* Output waits for the socket, or for the redirected pipe. A regular
	 * file is always writable: the socket's EPOLLOUT (always set for an
	 * idle socket) then just brings the write to the next loop round, so
	 * queued records still leave in one batch. */
	if (pending && !c->out_h)
		ev |= EPOLLOUT;
	nfp_loop_mod_fd(c->h, ev);
	if (c->out_h)
		nfp_loop_mod_fd(c->out_h, pending ? EPOLLOUT : 0);
}

/* Append to the output queue; @limit bounds the queue. */
static int conn_queue(struct nfp_api_conn *c, const void *buf, size_t len, size_t limit)
{
	size_t pending = c->out_len - c->out_off;

	if (c->closing)
		return -ENOTCONN;
	if (pending + len > limit)
		return -ENOBUFS;
	if (c->out_off && c->out_len + len > c->out_cap) {
		memmove(c->out, c->out + c->out_off, pending);
		c->out_len = pending;
		c->out_off = 0;
	}
	if (nfp_buf_reserve(&c->out, &c->out_cap, c->out_len + len, 4096))
		return -ENOMEM;
	memcpy(c->out + c->out_len, buf, len);
	c->out_len += len;
	return 0;
}

/* Sync the sink's partial block in NFP_FILE_SINK_SYNC_MS, if it has one and
 * no sync is due already. */
static void arm_sync(struct nfp_api_conn *c)
{
	if (nfp_file_sink_unsynced(c->sink) && !c->sync_armed &&
	    nfp_loop_timer_set(c->sync_t, NFP_FILE_SINK_SYNC_MS, 0) == 0)
		c->sync_armed = true;
}

/* Write what the socket (or the redirected stream's descriptor) takes now.
 * Returns -errno when the peer is gone. */
static int conn_flush(struct nfp_api_conn *c)
{
	if (c->sink && c->out_len > c->out_off) {
		/* a regular file takes everything (file_sink.h) */
		int r = nfp_file_sink_write(c->sink, c->out + c->out_off, c->out_len - c->out_off);

		if (r)
			return r;
		c->out_off = c->out_len;
		/* the partial block reaches the file a little later, unless
		 * more records complete it first */
		arm_sync(c);
	}
	while (c->out_len > c->out_off) {
		size_t len = c->out_len - c->out_off;
		ssize_t n = c->out_fd >= 0 ?
			write(c->out_fd, c->out + c->out_off, len) :
			send(c->fd, c->out + c->out_off, len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	conn_update_events(c);
	return 0;
}

int nfp_api_conn_send_json(struct nfp_api_conn *c, json_t *value)
{
	char *text = json_dumps(value, JSON_COMPACT);
	size_t limit = c->stream ? NFP_API_MAX_STREAMQ : NFP_API_MAX_REPLYQ;
	int r;

	if (!text)
		return -ENOMEM;
	r = conn_queue(c, text, strlen(text), limit);
	if (r == 0)
		r = conn_queue(c, "\n", 1, limit + 1);
	free(text);
	if (r == 0)
		conn_flush(c);
	return r;
}

int nfp_api_stream_send(struct nfp_api_conn *c, const void *buf, size_t len)
{
	int r = conn_queue(c, buf, len, NFP_API_MAX_STREAMQ);

	if (r == 0)
		conn_flush(c);
	return r;
}

int nfp_api_stream_queue(struct nfp_api_conn *c, const void *buf, size_t len)
{
	int r = conn_queue(c, buf, len, NFP_API_MAX_STREAMQ);

	/* written when the socket is writable: the loop sees EPOLLOUT */
	if (r == 0 && c->out_len - c->out_off == len)
		conn_update_events(c);
	return r;
}

void nfp_api_conn_make_stream(struct nfp_api_conn *c, nfp_api_stream_close_cb on_close,
			      void *ctx)
{
	c->stream = true;
	c->on_close = on_close;
	c->on_close_ctx = ctx;
}

size_t nfp_api_conn_queued(const struct nfp_api_conn *c)
{
	return c->out_len - c->out_off;
}

int nfp_api_conn_take_passed_fd(struct nfp_api_conn *c)
{
	int fd = c->passed_fd;

	c->passed_fd = -1;
	return fd;
}

int nfp_api_stream_fd_check(int fd)
{
	struct stat st;
	int fl;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) &&
	    !S_ISCHR(st.st_mode))
		return -EBADF;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if ((fl & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	return 0;
}

static void conn_free(struct nfp_api_conn *c);

/* The sink's timer: what waits in a partial block goes to the file. */
static void sink_sync_due(struct nfp_loop_timer *t, void *ctx)
{
	struct nfp_api_conn *c = ctx;
	int r;

	(void)t;
	c->sync_armed = false;
	r = nfp_file_sink_sync(c->sink);
	if (r) {
		log_warn("api: cannot write a stream into its file: %s", strerror(-r));
		conn_free(c);
		return;
	}
	arm_sync(c); /* every buffer was waiting for the disk: try again later */
}

int nfp_api_conn_redirect_stream(struct nfp_api_conn *c, int fd)
{
	struct stat st;
	int r = nfp_api_stream_fd_check(fd);

	if (r)
		return r;
	/* what is queued for the socket (the reply) must leave first */
	if (conn_flush(c) < 0 || c->out_len != c->out_off)
		return -EAGAIN;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		/* a pipe to a slow reader must not block nfpd's loop */
		int fl = fcntl(fd, F_GETFL);

		if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
			return -errno;
		c->out_h = nfp_loop_add_fd(c->server->loop, fd, 0, out_event, c);
		if (!c->out_h)
			return -ENOMEM;
	} else {
		r = nfp_file_sink_open(&c->sink, fd);
		if (r)
			return r;
		c->sync_t = nfp_loop_add_timer(c->server->loop, NFP_FILE_SINK_SYNC_MS, 0,
					       sink_sync_due, c);
		if (!c->sync_t) {
			nfp_file_sink_close(c->sink);
			c->sink = NULL;
			return -ENOMEM;
		}
		c->sync_armed = true;
	}
	c->out_fd = fd;
	return 0;
}

void nfp_api_conn_close_when_drained(struct nfp_api_conn *c)
{
	c->close_when_drained = true;
	if (c->out_len == c->out_off)
		c->closing = true;
	/* an empty queue raises no event by itself: ask for one, so that the
	 * connection is closed now rather than when the peer next speaks */
	nfp_loop_mod_fd(c->h, EPOLLIN | EPOLLRDHUP | EPOLLOUT);
}

static void handle_line(struct nfp_api_conn *c, const char *line, size_t len)
{
	json_t *reply;

	/* a stream connection takes no further requests */
	if (c->stream)
		return;
	reply = nfp_api_handle_line(c->server->d, c, line, len);
	if (reply) {
		if (nfp_api_conn_send_json(c, reply) == -ENOBUFS) {
			log_warn("api: client does not read its replies; closing it");
			c->closing = true;
		}
		json_decref(reply);
	}
}

static void reply_too_long(struct nfp_api_conn *c)
{
	struct nfp_api_error err;
	json_t *reply;

	nfp_api_fail(&err, EMSGSIZE, "request line longer than %u bytes", NFP_API_MAX_LINE);
	reply = nfp_api_reply_error(NULL, &err);
	nfp_api_conn_send_json(c, reply);
	json_decref(reply);
}

/* Split what arrived into lines; keep a partial line for next time. */
static void consume_input(struct nfp_api_conn *c, const char *buf, size_t n)
{
	while (n > 0 && !c->closing) {
		const char *nl = memchr(buf, '\n', n);
		size_t chunk = nl ? (size_t)(nl - buf) : n;

		if (c->discarding) {
			if (nl)
				c->discarding = false;
		} else if (c->in_len + chunk > NFP_API_MAX_LINE) {
			reply_too_long(c);
			c->in_len = 0;
			c->discarding = !nl;
		} else if (nl && c->in_len == 0) {
			if (chunk)
				handle_line(c, buf, chunk);
		} else {
			if (nfp_buf_reserve(&c->in, &c->in_cap, c->in_len + chunk, 1024)) {
				c->closing = true;
				return;
			}
			memcpy(c->in + c->in_len, buf, chunk);
			c->in_len += chunk;
			if (nl) {
				handle_line(c, c->in, c->in_len);
				c->in_len = 0;
			}
		}
		if (!nl)
			break;
		buf = nl + 1;
		n -= chunk + 1;
	}
}

/* Keep the last descriptor a message carried (one per request); close any
 * other, so a client cannot make nfpd hold descriptors without bound. */
static void take_rights(struct nfp_api_conn *c, struct msghdr *msg)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		size_t n;
		int *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		fds = (int *)CMSG_DATA(cm);
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			if (c->passed_fd >= 0)
				close(c->passed_fd);
			c->passed_fd = fds[i];
		}
	}
}

static ssize_t conn_recv(struct nfp_api_conn *c, char *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
	ssize_t n = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n >= 0 && msg.msg_controllen)
		take_rights(c, &msg);
	return n;
}

/* After I/O on either descriptor: flush, then close if the stream is done. */
static void conn_after_io(struct nfp_api_conn *c)
{
	if (conn_flush(c) < 0) {
		conn_free(c);
		return;
	}
	if (c->close_when_drained && c->out_len == c->out_off)
		c->closing = true;
	if (c->closing && c->out_len == c->out_off)
		conn_free(c);
}

static void out_event(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_api_conn *c = ctx;

	(void)h;
	if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLOUT)) {
		conn_free(c); /* the stream's reader went away */
		return;
	}
	conn_after_io(c);
}

static void conn_event(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_api_conn *c = ctx;
	char buf[65536];

	(void)h;
	if (events & EPOLLIN) {
		ssize_t n = conn_recv(c, buf, sizeof(buf));

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			conn_free(c);
			return;
		}
		if (n > 0)
			consume_input(c, buf, (size_t)n);
	} else if (events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
		conn_free(c);
		return;
	}
	conn_after_io(c);
}


static void listener_event(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_api_server *s = ctx;
	struct nfp_api_conn *c;
	int fd;

	(void)h;
	(void)events;
	fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->server = s;
	c->fd = fd;
	c->passed_fd = -1;
	c->out_fd = -1;
	c->serial = ++s->next_serial;
	c->h = nfp_loop_add_fd(s->loop, fd, EPOLLIN | EPOLLRDHUP, conn_event, c);
	if (!c->h) {
		close(fd);
		free(c);
		return;
	}
	c->next = s->conns;
	s->conns = c;
}

/* Is a live daemon answering on @path? */
static bool socket_is_live(const struct sockaddr_un *addr)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return false;
	live = connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) == 0;
	close(fd);
	return live;
}

static int make_parent_dir(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	strncpy(dir, path, sizeof(dir) - 1);
	dir[sizeof(dir) - 1] = '\0';
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int nfp_api_server_open(struct nfp_api_server **out, struct nfp_loop *loop,
			struct nfp_api_dispatcher *d, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct nfp_api_server *s;
	mode_t old_umask;
	int r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	r = make_parent_dir(path);
	if (r < 0)
		return r;
	if (socket_is_live(&addr))
		return -EADDRINUSE;
	unlink(path);

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->loop = loop;
	s->d = d;
	strcpy(s->path, path);
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		r = -errno;
		goto err_free;
	}
	/* bind under a umask so the socket is never briefly world-accessible */
	old_umask = umask(0117);
	r = bind(s->fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old_umask);
	if (r < 0 || chmod(path, 0660) < 0 || listen(s->fd, 64) < 0) {
		r = -errno;
		goto err_close;
	}
	s->h = nfp_loop_add_fd(loop, s->fd, EPOLLIN, listener_event, s);
	if (!s->h) {
		r = -ENOMEM;
		goto err_unlink;
	}
	*out = s;
	return 0;

err_unlink:
	unlink(path);
err_close:
	close(s->fd);
err_free:
	free(s);
	return r;
}

void nfp_api_server_close(struct nfp_api_server *s)
{
	if (!s)
		return;
	while (s->conns) {
		conn_flush(s->conns);
		conn_free(s->conns);
	}
	nfp_loop_del_fd(s->h);
	close(s->fd);
	unlink(s->path);
	free(s);
}

/* ---- deferred replies ---- */

struct nfp_api_pending *nfp_api_defer(struct nfp_api_req *req)
{
	struct nfp_api_pending *p;

	if (!req->conn)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->server = req->conn->server;
	p->serial = req->conn->serial;
	p->id = json_incref(req->id);
	return p;
}

static void pending_finish(struct nfp_api_pending *p, json_t *reply)
{
	for (struct nfp_api_conn *c = p->server->conns; c; c = c->next) {
		if (c->serial == p->serial) {
			nfp_api_conn_send_json(c, reply);
			break;
		}
	}
	json_decref(reply);
	json_decref(p->id);
	free(p);
}

void nfp_api_pending_ok(struct nfp_api_pending *p, json_t *result)
{
	pending_finish(p, nfp_api_reply_ok(p->id, result));
}

void nfp_api_pending_error(struct nfp_api_pending *p, int code, const char *fmt, ...)
{
	struct nfp_api_error err = { .code = code };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.message, sizeof(err.message), fmt, ap);
	va_end(ap);
	pending_finish(p, nfp_api_reply_error(p->id, &err));
}
