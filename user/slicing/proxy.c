/* proxy.c - see proxy.h. One struct px_conn per switch of the slice: a
 * non-blocking TCP session to the controller on nfpd's event loop, its
 * input framed with of_frame and its output buffered in an of_buf.
 *
 * Barrier and stats replies come back through the provider's callbacks,
 * maybe after the session they were asked on is gone (or the proxy is):
 * each request carries the switch's dpid and the session's number, and is
 * on the proxy's list so that stopping the proxy can orphan it; a reply
 * for a session that is no more is dropped.
 */
#include "slicing/proxy.h"
#include "common/log.h"
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"
#include "slicing/fs_match.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define PX_XIDS 512
#define PX_BACKOFF_MIN_MS 500
#define PX_BACKOFF_MAX_MS 8000
/* Packet-ins wait no deeper than this for a slow controller: past it they
 * are dropped (and counted). Without a bound nfpd would read switches as
 * fast as they send and queue without limit: memory, and answers that come
 * for packets whose buffers the switch reused long ago. */
#define PX_OUT_MAX (1024 * 1024)
/* Packet-ins a controller may have unanswered (no flow-mod or packet-out
 * for them yet) before more are dropped: a controller slower than its
 * switches otherwise works through a queue of packets whose buffers are
 * long gone, and every answer is refused (BUFFER_UNKNOWN). A controller
 * that answers nothing for a second is not held to it (a hub answers with
 * one flow). */
#define PX_WINDOW 2048

struct px_conn {
	struct fs_proxy *px;
	struct px_conn *next;
	struct of_switch *sw;
	uint64_t dpid;
	uint8_t version;
	int fd;
	struct nfp_loop_fd *h;
	bool connecting, up;
	uint64_t session;             /* numbers sessions (a hello): replies match them */
	uint64_t opens;               /* numbers sockets: a callback sees if it changed */
	struct nfp_loop_timer *retry;
	unsigned backoff_ms;
	uint8_t in[1 << 16];
	size_t in_len;
	struct of_buf out;
	struct { uint32_t sw, ctl; } xids[PX_XIDS]; /* switch xid -> controller's */
	unsigned n_xids;
	uint32_t unanswered;          /* packet-ins sent it, not yet answered */
	uint64_t answered_ms;         /* when it last answered one */
};

struct px_req {
	struct px_req *next, **pprev;
	struct fs_proxy *px;          /* NULL once the proxy is stopped */
	uint64_t dpid, session;
	uint32_t ctl_xid;
};

struct fs_proxy {
	struct nfp_loop *loop;
	struct fs_slice *slice;
	struct of_provider *p;
	enum fs_drop_policy drop;
	int sub_id;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char name[160];
	struct px_conn *conns;
	struct px_req *reqs;
	struct fs_proxy_stats st;
};

static void conn_open(struct px_conn *c);

static struct px_conn *conn_by_dpid(struct fs_proxy *px, uint64_t dpid)
{
	for (struct px_conn *c = px->conns; c; c = c->next)
		if (c->dpid == dpid)
			return c;
	return NULL;
}

/* ---- the session ---- */

static void conn_close_fd(struct px_conn *c)
{
	if (c->h)
		nfp_loop_del_fd(c->h);
	if (c->fd >= 0)
		close(c->fd);
	c->h = NULL;
	c->fd = -1;
	c->connecting = c->up = false;
	c->unanswered = 0;
	c->in_len = 0;
	c->out.len = 0;
	c->n_xids = 0;
}

static void on_retry(struct nfp_loop_timer *t, void *ctx)
{
	struct px_conn *c = ctx;

	(void)t;
	conn_open(c);
}

/* The session failed: close it and try again after the back-off. */
static void conn_fail(struct px_conn *c, const char *why)
{
	if (c->up || c->connecting)
		log_info("slicing: controller %s for switch %016llx: %s", c->px->name,
			 (unsigned long long)c->dpid, why);
	conn_close_fd(c);
	c->px->st.reconnects++;
	if (!c->retry)
		c->retry = nfp_loop_add_timer(c->px->loop, c->backoff_ms, 0, on_retry, c);
	else
		nfp_loop_timer_set(c->retry, c->backoff_ms, 0);
	c->backoff_ms = c->backoff_ms * 2 > PX_BACKOFF_MAX_MS ? PX_BACKOFF_MAX_MS : c->backoff_ms * 2;
}

/* Write what is buffered; watch for room when some is left. */
static void flush(struct px_conn *c)
{
	size_t off = 0;

	while (off < c->out.len) {
		ssize_t n = send(c->fd, c->out.data + off, c->out.len - off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			conn_fail(c, strerror(errno));
			return;
		}
		off += (size_t)n;
	}
	if (off) {
		memmove(c->out.data, c->out.data + off, c->out.len - off);
		c->out.len -= off;
	}
	nfp_loop_mod_fd(c->h, EPOLLIN | (c->out.len ? EPOLLOUT : 0));
}

static void sent(struct px_conn *c, int r)
{
	if (r) {
		conn_fail(c, "out of memory");
		return;
	}
	c->px->st.to_controller++;
	flush(c);
}

static void remember_xid(struct px_conn *c, int sw_xid, uint32_t ctl_xid)
{
	unsigned i;

	if (sw_xid < 0)
		return;
	i = c->n_xids++ % PX_XIDS;
	c->xids[i].sw = (uint32_t)sw_xid;
	c->xids[i].ctl = ctl_xid;
}

static bool ctl_xid_of(const struct px_conn *c, uint32_t sw_xid, uint32_t *ctl)
{
	unsigned n = c->n_xids < PX_XIDS ? c->n_xids : PX_XIDS;

	for (unsigned i = 0; i < n; i++)
		if (c->xids[i].sw == sw_xid) {
			*ctl = c->xids[i].ctl;
			return true;
		}
	return false;
}

/* The OpenFlow error for what the slicer said of a request (slicer.h). */
static void refusal(uint8_t version, uint8_t type, int r, uint16_t *et, uint16_t *ec)
{
	bool v13 = version == OF_VERSION_13;

	switch (r) {
	case -EPERM:
		if (type == OFPT_PACKET_OUT) {
			*et = 2, *ec = 9;          /* BAD_ACTION, EPERM */
			return;
		}
		/* fall through */
	case -EDQUOT:
		*et = v13 ? 5 : 3;                /* FLOW_MOD_FAILED */
		*ec = v13 ? 6 : 2;                /* EPERM */
		return;
	case -EACCES:
		*et = 2, *ec = 9;                  /* BAD_ACTION, EPERM */
		return;
	case -ENOENT:
		*et = 1, *ec = 8;                  /* BAD_REQUEST, BUFFER_UNKNOWN */
		return;
	default:  /* -EBUSY (rate), -EOPNOTSUPP (no slice's to send), the rest */
		*et = 1, *ec = 5;                  /* BAD_REQUEST, EPERM */
		return;
	}
}

static void refuse(struct px_conn *c, const uint8_t *msg, size_t len, int r)
{
	uint16_t et, ec;

	refusal(c->version, msg[1], r, &et, &ec);
	c->px->st.errors_sent++;
	sent(c, of_encode_error_whole(&c->out, c->version, of_get32(msg + 4), et, ec, msg, len));
}

static void refuse_decode(struct px_conn *c, const uint8_t *msg, size_t len, enum of_err e)
{
	c->px->st.errors_sent++;
	sent(c, of_encode_error_for(&c->out, c->version, of_get32(msg + 4), e, msg, len));
}

/* ---- replies that come later ---- */

static struct px_req *req_new(struct px_conn *c, uint32_t ctl_xid)
{
	struct px_req *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->px = c->px;
	q->dpid = c->dpid;
	q->session = c->session;
	q->ctl_xid = ctl_xid;
	q->next = c->px->reqs;
	if (q->next)
		q->next->pprev = &q->next;
	q->pprev = &c->px->reqs;
	c->px->reqs = q;
	return q;
}

/* The session the request was asked on, if it is still there; unlinks it. */
static struct px_conn *req_done(struct px_req *q)
{
	struct px_conn *c = NULL;

	if (q->px) {
		*q->pprev = q->next;
		if (q->next)
			q->next->pprev = q->pprev;
		c = conn_by_dpid(q->px, q->dpid);
		if (c && (!c->up || c->session != q->session))
			c = NULL;
	}
	return c;
}

static void on_reply(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	struct px_req *q = ctx;
	struct px_conn *c = req_done(q);

	(void)sw;
	if (c && r->status == -EPROTO && r->error) {
		sent(c, of_encode_error_whole(&c->out, c->version, q->ctl_xid, r->error->type,
					      r->error->code, r->error->data, r->error->data_len));
	} else if (c && r->status == 0 && r->body) {
		sent(c, of_encode_stats_reply(&c->out, c->version, q->ctl_xid, r->stats_type, 0,
					      r->body, r->body_len));
	} else if (c && r->status == 0) {
		sent(c, of_encode_simple(&c->out, c->version, of_type_barrier_reply(c->version),
					 q->ctl_xid, NULL, 0));
	}
	free(q);
}

/* ---- from the controller ---- */

static void from_controller(struct px_conn *c, const uint8_t *msg, size_t len)
{
	struct fs_proxy *px = c->px;
	uint8_t type = msg[1];
	uint32_t xid = of_get32(msg + 4);

	if (!c->up) {
		uint32_t bitmap = 0;

		if (type != OFPT_HELLO || of_decode_hello(msg, len, &bitmap) != OF_OK ||
		    of_negotiate(1u << c->version, msg[0], bitmap) != c->version) {
			of_encode_error_for(&c->out, c->version, xid, OF_E_HELLO_INCOMPATIBLE, msg,
					    len);
			flush(c);
			conn_fail(c, "it does not speak the switch's OpenFlow version");
			return;
		}
		c->up = true;
		c->session++;
		c->backoff_ms = PX_BACKOFF_MIN_MS;
		px->st.sessions++;
		log_info("slicing: switch %016llx connected to controller %s",
			 (unsigned long long)c->dpid, px->name);
		return;
	}
	px->st.from_controller++;
	if (type == OFPT_HELLO || type == OFPT_ECHO_REPLY || type == OFPT_SET_CONFIG)
		return;
	if (type == OFPT_ECHO_REQUEST) {
		sent(c, of_encode_simple(&c->out, c->version, OFPT_ECHO_REPLY, xid, msg + 8, len - 8));
	} else if (type == OFPT_FEATURES_REQUEST) {
		size_t n;
		const struct of_port *ports = of_get_ports(px->p, c->sw, &n);

		sent(c, of_encode_features_reply(&c->out, c->version, xid,
						 of_get_features(px->p, c->sw), ports, n));
	} else if (type == OFPT_GET_CONFIG_REQUEST) {
		struct of_switch_config cfg = { .flags = 0, .miss_send_len = 0xffff };

		sent(c, of_encode_switch_config(&c->out, c->version, OFPT_GET_CONFIG_REPLY, xid,
						&cfg));
	} else if (type == OFPT_FLOW_MOD || type == OFPT_PACKET_OUT) {
		union of_msg_body body;
		struct of_msg m;
		enum of_err e = of_decode_msg(msg, len, &m, &body);
		int r;

		if (e != OF_OK) {
			refuse_decode(c, msg, len, e);
			return;
		}
		if (type == OFPT_PACKET_OUT || m.flow_mod->buffer_id != OF_NO_BUFFER) {
			c->unanswered -= c->unanswered > 0;
			c->answered_ms = nfp_now_ms();
		}
		r = of_send(px->p, c->sw, &m, NULL, NULL);
		if (r < 0)
			refuse(c, msg, len, r);
		else
			remember_xid(c, r, xid);
	} else if (type == of_type_barrier_request(c->version)) {
		struct px_req *q = req_new(c, xid);
		int r = q ? of_send_barrier(px->p, c->sw, on_reply, q) : -ENOMEM;

		if (r < 0) {
			if (q) {
				req_done(q);
				free(q);
			}
			refuse(c, msg, len, r);
		}
	} else if (type == of_type_stats_request(c->version)) {
		struct of_stats_request rq;
		enum of_err e = of_decode_stats_request(msg, len, &rq);
		struct px_req *q;
		int r;

		if (e != OF_OK) {
			refuse_decode(c, msg, len, e);
			return;
		}
		q = req_new(c, xid);
		r = q ? of_send_stats_request(px->p, c->sw, &rq, on_reply, q) : -ENOMEM;
		if (r < 0) {
			if (q) {
				req_done(q);
				free(q);
			}
			refuse(c, msg, len, r);
		}
	} else {
		/* port-mod, vendor, group/table-mod, roles...: not a slice's to send */
		refuse(c, msg, len, -EOPNOTSUPP);
	}
}

static void on_io(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct px_conn *c = ctx;

	(void)h;
	if (c->connecting) {
		int err = 0;
		socklen_t el = sizeof(err);

		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) || err) {
			conn_fail(c, strerror(err ? err : errno));
			return;
		}
		c->connecting = false;
		if (of_encode_hello(&c->out, 0, 1u << c->version)) {
			conn_fail(c, "out of memory");
			return;
		}
		flush(c);
		return;
	}
	if (events & EPOLLOUT) {
		flush(c);
		if (c->fd < 0)
			return;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	for (;;) {
		ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
		struct of_header hdr;
		size_t off = 0;
		long m;

		if (n == 0) {
			conn_fail(c, "closed by the controller");
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_fail(c, strerror(errno));
			return;
		}
		c->in_len += (size_t)n;
		while ((m = of_frame(c->in + off, c->in_len - off, &hdr)) > 0) {
			uint64_t opens = c->opens;

			from_controller(c, c->in + off, (size_t)m);
			if (c->fd < 0 || opens != c->opens)
				return; /* it failed: this input is gone with it */
			off += (size_t)m;
		}
		if (m < 0) {
			conn_fail(c, "a message with a bad length");
			return;
		}
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
}

static void conn_open(struct px_conn *c)
{
	struct fs_proxy *px = c->px;

	c->opens++;
	c->fd = socket(px->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		conn_fail(c, strerror(errno));
		return;
	}
	/* small messages one after another: Nagle's wait for an ACK the peer
	 * delays would stall each round trip by tens of milliseconds */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	c->connecting = true;
	if (connect(c->fd, (struct sockaddr *)&px->addr, px->addr_len) && errno != EINPROGRESS) {
		conn_fail(c, strerror(errno));
		return;
	}
	c->h = nfp_loop_add_fd(px->loop, c->fd, EPOLLIN | EPOLLOUT, on_io, c);
	if (!c->h)
		conn_fail(c, "cannot watch the socket");
}

/* ---- from the switches (the slice's provider) ---- */

static void px_switch_up(void *ctx, struct of_switch *sw)
{
	struct fs_proxy *px = ctx;
	struct px_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return;
	c->px = px;
	c->sw = sw;
	c->dpid = of_switch_dpid(sw);
	c->version = of_switch_version(sw);
	c->fd = -1;
	c->backoff_ms = PX_BACKOFF_MIN_MS;
	c->next = px->conns;
	px->conns = c;
	conn_open(c);
}

static void conn_free(struct px_conn *c)
{
	conn_close_fd(c);
	if (c->retry)
		nfp_loop_del_timer(c->retry);
	of_buf_free(&c->out);
	free(c);
}

static void px_switch_down(void *ctx, struct of_switch *sw)
{
	struct fs_proxy *px = ctx;

	for (struct px_conn **pp = &px->conns; *pp; pp = &(*pp)->next)
		if ((*pp)->sw == sw) {
			struct px_conn *c = *pp;

			*pp = c->next;
			conn_free(c);
			return;
		}
}

static struct px_conn *up_conn(struct fs_proxy *px, struct of_switch *sw)
{
	struct px_conn *c = conn_by_dpid(px, of_switch_dpid(sw));

	return c && c->up ? c : NULL;
}

/* FlowVisor's drop rule for a packet-in its controller cannot have. */
static void drop_rule(struct fs_proxy *px, struct of_switch *sw, const struct of_packet_in *pi)
{
	const struct fs_rule *r = fs_slice_packet_rule(px->slice, sw, pi);
	struct of_flow_mod fm;

	if (!r || !(fs_rule_perm(r, fs_slice_name(px->slice)) & FS_PERM_WRITE))
		return;
	of_flow_mod_init(&fm, OF_FC_ADD);
	if (px->drop == FS_DROP_RULE)
		fm.match = r->match;
	else if (!fs_match_from_frame(pi->data, pi->data_len, pi->in_port, &fm.match))
		return;
	fm.priority = 0;
	fm.idle_timeout = 1;
	fm.flags = OF_FF_SEND_FLOW_REM;
	fm.buffer_id = pi->buffer_id; /* and the packet goes nowhere */
	if (of_send_flow_mod(px->p, sw, &fm) >= 0)
		px->st.drop_rules++;
}

static enum of_disposition px_packet_in(void *ctx, struct of_switch *sw,
					const struct of_packet_in *pi)
{
	struct fs_proxy *px = ctx;
	struct px_conn *c = up_conn(px, sw);

	if (!c) {
		drop_rule(px, sw, pi);
		return OF_CONTINUE;
	}
	if (c->unanswered >= PX_WINDOW && nfp_now_ms() - c->answered_ms > 1000)
		c->unanswered = 0; /* it answers none: no window for it */
	if (c->out.len > PX_OUT_MAX || c->unanswered >= PX_WINDOW) {
		c->px->st.packet_ins_dropped++;
		return OF_CONTINUE;
	}
	c->unanswered++;
	sent(c, of_encode_packet_in(&c->out, c->version, 0, pi));
	return OF_CONTINUE;
}

static void px_port_status(void *ctx, struct of_switch *sw, const struct of_port_status *ps)
{
	struct px_conn *c = up_conn(ctx, sw);

	if (c)
		sent(c, of_encode_port_status(&c->out, c->version, 0, ps));
}

static void px_flow_removed(void *ctx, struct of_switch *sw, const struct of_flow_removed *fr)
{
	struct px_conn *c = up_conn(ctx, sw);

	if (c)
		sent(c, of_encode_flow_removed(&c->out, c->version, 0, fr));
}

static void px_error(void *ctx, struct of_switch *sw, uint32_t xid, const struct of_error_msg *e)
{
	struct px_conn *c = up_conn(ctx, sw);
	uint32_t ctl;

	if (c && ctl_xid_of(c, xid, &ctl))
		sent(c, of_encode_error_whole(&c->out, c->version, ctl, e->type, e->code, e->data,
					      e->data_len));
}

static const struct of_listener px_listener = {
	.switch_up = px_switch_up,
	.switch_down = px_switch_down,
	.packet_in = px_packet_in,
	.port_status = px_port_status,
	.flow_removed = px_flow_removed,
	.error = px_error,
};

struct fs_proxy *fs_proxy_start(struct nfp_loop *loop, struct fs_slice *slice,
				const char *controller, enum fs_drop_policy drop)
{
	struct of_provider *p = fs_slice_provider(slice);
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	struct fs_proxy *px;
	char host[128];
	const char *colon;

	if (strncmp(controller, "tcp:", 4) || !(colon = strrchr(controller + 4, ':')) ||
	    colon == controller + 4 || (size_t)(colon - controller - 4) >= sizeof(host)) {
		errno = EINVAL;
		return NULL;
	}
	memcpy(host, controller + 4, (size_t)(colon - controller - 4));
	host[colon - controller - 4] = '\0';
	/* "[::1]" as people write IPv6 hosts */
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	if (getaddrinfo(host, colon + 1, &hints, &res) || !res) {
		errno = EINVAL;
		return NULL;
	}
	px = calloc(1, sizeof(*px));
	if (!px) {
		freeaddrinfo(res);
		errno = ENOMEM;
		return NULL;
	}
	px->loop = loop;
	px->slice = slice;
	px->p = p;
	px->drop = drop;
	memcpy(&px->addr, res->ai_addr, res->ai_addrlen);
	px->addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	snprintf(px->name, sizeof(px->name), "%s", controller + 4);
	/* switches already up are announced at once, and sessions open */
	px->sub_id = of_subscribe(p, &px_listener, px);
	if (px->sub_id < 0) {
		errno = -px->sub_id;
		free(px);
		return NULL;
	}
	return px;
}

void fs_proxy_stop(struct fs_proxy *px)
{
	if (!px)
		return;
	of_unsubscribe(px->p, px->sub_id); /* switch_down for each: sessions close */
	while (px->conns) {
		struct px_conn *c = px->conns;

		px->conns = c->next;
		conn_free(c);
	}
	for (struct px_req *q = px->reqs; q; q = q->next)
		q->px = NULL; /* freed by their callbacks, which now drop the reply */
	free(px);
}

void fs_proxy_stats(const struct fs_proxy *px, struct fs_proxy_stats *st)
{
	*st = px->st;
}

unsigned fs_proxy_connected(const struct fs_proxy *px)
{
	unsigned n = 0;

	for (const struct px_conn *c = px->conns; c; c = c->next)
		n += c->up;
	return n;
}
