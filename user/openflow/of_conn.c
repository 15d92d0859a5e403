/* of_conn.c - one switch connection: non-blocking reads of whole batches of
 * messages, buffered writes, the handshake (hello, features, 1.3 port-desc,
 * set-config, 1.3 table-miss entry), echo keepalive, xid-matched replies,
 * and the errors sent back for malformed messages.
 *
 * Throughput matters here (cbench): one read() takes everything the kernel
 * has, every whole message in it is handled, replies are encoded straight
 * into the output buffer, and the output is written once per batch by the
 * core (of_core_leave). Nothing on this path allocates or logs.
 */
#include "openflow/of_core_priv.h"
#include "openflow/of_wire.h"
#include "common/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static void on_io(struct nfp_loop_fd *h, uint32_t events, void *ctx);

struct of_switch *of_conn_new(struct of_core *core, int fd, const char *peer)
{
	struct of_switch *sw = calloc(1, sizeof(*sw));

	if (!sw)
		return NULL;
	sw->in = malloc(OF_IN_BUF);
	if (!sw->in) {
		free(sw);
		return NULL;
	}
	sw->core = core;
	sw->fd = fd;
	snprintf(sw->peer, sizeof(sw->peer), "%s", peer);
	sw->connected_ms = sw->last_rx_ms = nfp_now_ms();
	sw->next_xid = 1;
	sw->epoll_events = EPOLLIN;
	sw->h = nfp_loop_add_fd(core->loop, fd, sw->epoll_events, on_io, sw);
	if (!sw->h) {
		free(sw->in);
		free(sw);
		return NULL;
	}
	sw->state = OF_CONN_HELLO;
	if (of_encode_hello(&sw->out, 0, OF_OUR_VERSIONS) == 0)
		of_conn_mark_dirty(sw);
	return sw;
}

uint32_t of_conn_xid(struct of_switch *sw)
{
	uint32_t x = sw->next_xid++;

	if (sw->next_xid == 0) /* 0 is for unsolicited messages */
		sw->next_xid = 1;
	return x;
}

void of_conn_mark_dirty(struct of_switch *sw)
{
	if (sw->dirty || sw->state == OF_CONN_CLOSED)
		return;
	sw->dirty = true;
	sw->next_dirty = sw->core->dirty;
	sw->core->dirty = sw;
}

static void set_events(struct of_switch *sw, uint32_t ev)
{
	if (ev != sw->epoll_events && sw->state != OF_CONN_CLOSED) {
		sw->epoll_events = ev;
		nfp_loop_mod_fd(sw->h, ev);
	}
}

void of_conn_flush(struct of_switch *sw)
{
	size_t pending;

	while (sw->out_sent < sw->out.len) {
		ssize_t n = send(sw->fd, sw->out.data + sw->out_sent, sw->out.len - sw->out_sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			of_conn_close(sw, strerror(errno));
			return;
		}
		sw->out_sent += (size_t)n;
	}
	if (sw->out_sent == sw->out.len) {
		sw->out.len = sw->out_sent = 0;
	} else if (sw->out_sent > sw->out.cap / 2) {
		memmove(sw->out.data, sw->out.data + sw->out_sent, sw->out.len - sw->out_sent);
		sw->out.len -= sw->out_sent;
		sw->out_sent = 0;
	}
	/* back-pressure: a switch that does not read its replies stops being
	 * read, instead of growing our buffer without bound */
	pending = sw->out.len - sw->out_sent;
	if (pending > OF_OUT_PAUSE)
		sw->read_paused = true;
	else if (pending < OF_OUT_RESUME)
		sw->read_paused = false;
	set_events(sw, (sw->read_paused ? 0 : EPOLLIN) | (pending ? EPOLLOUT : 0));
}

static void fail_pending(struct of_switch *sw)
{
	while (sw->pending) {
		struct of_pending *p = sw->pending;
		struct of_reply r = { .status = -ENOTCONN, .version = sw->version };

		of_conn_finish_pending(sw, p, &r);
	}
}

void of_conn_close(struct of_switch *sw, const char *why)
{
	struct of_core *core = sw->core;

	if (sw->state == OF_CONN_CLOSED)
		return;
	/* best effort: an error queued just before (HELLO_FAILED, BAD_LEN) */
	if (sw->out.len > sw->out_sent)
		(void)send(sw->fd, sw->out.data + sw->out_sent, sw->out.len - sw->out_sent,
			   MSG_NOSIGNAL | MSG_DONTWAIT);
	if (sw->state == OF_CONN_READY)
		of_core_switch_gone(core, sw, why);
	else
		log_info("openflow: %s closed during the handshake: %s", sw->peer, why);
	sw->state = OF_CONN_CLOSED;
	fail_pending(sw);
	nfp_loop_del_fd(sw->h);
	close(sw->fd);
	sw->fd = -1;
	/* unlink from the core's list; freed when the current round ends */
	for (struct of_switch **pp = &core->conns; *pp; pp = &(*pp)->next) {
		if (*pp == sw) {
			*pp = sw->next;
			break;
		}
	}
	sw->next = core->dead;
	core->dead = sw;
}

void of_conn_free(struct of_switch *sw)
{
	fail_pending(sw);
	of_buf_free(&sw->out);
	free(sw->ports);
	free(sw->in);
	free(sw);
}

/* ---- pending requests ---- */

int of_conn_add_pending(struct of_switch *sw, uint32_t xid, bool internal, of_reply_cb cb,
			void *ctx)
{
	struct of_pending *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->xid = xid;
	p->internal = internal;
	p->cb = cb;
	p->ctx = ctx;
	p->deadline_ms = nfp_now_ms() + sw->core->cfg.request_timeout_ms;
	p->next = sw->pending;
	sw->pending = p;
	return 0;
}

static struct of_pending *find_pending(struct of_switch *sw, uint32_t xid)
{
	for (struct of_pending *p = sw->pending; p; p = p->next)
		if (p->xid == xid)
			return p;
	return NULL;
}

void of_conn_finish_pending(struct of_switch *sw, struct of_pending *p, const struct of_reply *r)
{
	for (struct of_pending **pp = &sw->pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	if (p->cb)
		p->cb(sw, r, p->ctx);
	of_buf_free(&p->mp.body);
	free(p);
}

/* ---- sending helpers ---- */

static void send_error(struct of_switch *sw, uint32_t xid, enum of_err e, const uint8_t *msg,
		       size_t len)
{
	uint8_t v = sw->version ? sw->version : OF_VERSION_13;

	if (of_encode_error_for(&sw->out, v, xid, e, msg, len) == 0)
		of_conn_mark_dirty(sw);
}

static void send_simple(struct of_switch *sw, uint8_t type, uint32_t xid, const uint8_t *payload,
			size_t len)
{
	if (of_encode_simple(&sw->out, sw->version, type, xid, payload, len) == 0)
		of_conn_mark_dirty(sw);
}

/* ---- the handshake ---- */

static void become_ready(struct of_switch *sw)
{
	struct of_switch_config cfg = { .flags = 0, .miss_send_len = 0xffff };

	/* whole packets to the controller: OVS does not buffer anyway */
	of_encode_switch_config(&sw->out, sw->version, OFPT_SET_CONFIG, of_conn_xid(sw), &cfg);
	if (sw->version == OF_VERSION_13) {
		/* 1.3 switches drop what misses the table unless told otherwise */
		struct of_flow_mod fm;

		of_flow_mod_init(&fm, OF_FC_ADD);
		fm.priority = 0;
		of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
		/* through the chokepoint: the taps see every flow-mod, ours too */
		of_core_send(sw, &(struct of_msg){ .kind = OF_MSG_FLOW_MOD, .flow_mod = &fm },
			     NULL, NULL);
	}
	of_conn_mark_dirty(sw);
	sw->state = OF_CONN_READY;
	of_core_switch_ready(sw->core, sw);
}

static int add_port(struct of_switch *sw, const struct of_port *p)
{
	for (size_t i = 0; i < sw->n_ports; i++) {
		if (sw->ports[i].port_no == p->port_no) {
			sw->ports[i] = *p;
			return 0;
		}
	}
	if (sw->n_ports >= OF_MAX_PORTS)
		return -ENOSPC; /* a switch inventing ports must not grow us without bound */
	if (sw->n_ports == sw->cap_ports) {
		size_t cap = sw->cap_ports ? sw->cap_ports * 2 : 16;
		struct of_port *n = realloc(sw->ports, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		sw->ports = n;
		sw->cap_ports = cap;
	}
	sw->ports[sw->n_ports++] = *p;
	return 0;
}

static void del_port(struct of_switch *sw, uint32_t port_no)
{
	for (size_t i = 0; i < sw->n_ports; i++) {
		if (sw->ports[i].port_no == port_no) {
			sw->ports[i] = sw->ports[--sw->n_ports];
			return;
		}
	}
}

static void on_port_desc(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	struct of_port p;
	size_t off = 0;
	int n;

	(void)ctx;
	if (sw->state != OF_CONN_PORT_DESC)
		return;
	if (r->status) {
		of_conn_close(sw, "no answer to the port-desc request");
		return;
	}
	while ((n = of_port_next(sw->version, r->body, r->body_len, &off, &p)) == 1)
		add_port(sw, &p);
	if (n < 0) {
		of_conn_close(sw, "malformed port-desc reply");
		return;
	}
	become_ready(sw);
}

static void on_hello(struct of_switch *sw, const uint8_t *msg, size_t len)
{
	uint32_t bitmap;
	enum of_err e = of_decode_hello(msg, len, &bitmap);
	uint8_t v;

	if (e != OF_OK) {
		sw->version = of_version_supported(msg[0]) ? msg[0] : OF_VERSION_10;
		send_error(sw, of_get32(msg + 4), e, msg, len);
		of_conn_close(sw, "malformed HELLO");
		return;
	}
	v = of_negotiate(OF_OUR_VERSIONS, msg[0], bitmap);
	if (!v) {
		char why[96];

		/* say it in a version the peer reads: its own, or our lowest */
		sw->version = msg[0] < OF_VERSION_13 ? OF_VERSION_10 : OF_VERSION_13;
		send_error(sw, of_get32(msg + 4), OF_E_HELLO_INCOMPATIBLE, NULL, 0);
		snprintf(why, sizeof(why), "no common OpenFlow version (peer offers 0x%x, bitmap 0x%x)",
			 msg[0], bitmap);
		of_conn_close(sw, why);
		return;
	}
	sw->version = v;
	sw->state = OF_CONN_FEATURES;
	send_simple(sw, OFPT_FEATURES_REQUEST, of_conn_xid(sw), NULL, 0);
}

static void on_features(struct of_switch *sw, const uint8_t *msg, size_t len)
{
	struct of_features f;
	enum of_err e = of_decode_features_reply(msg, len, &f);
	struct of_port p;
	size_t off = 0;

	if (e != OF_OK) {
		send_error(sw, of_get32(msg + 4), e, msg, len);
		of_conn_close(sw, "malformed FEATURES_REPLY");
		return;
	}
	sw->features = f;
	sw->features.ports = NULL;
	sw->features.ports_len = 0;
	if (sw->version == OF_VERSION_10) {
		while (of_port_next(OF_VERSION_10, f.ports, f.ports_len, &off, &p) == 1)
			add_port(sw, &p);
		become_ready(sw);
		return;
	}
	{
		struct of_stats_request rq = { .type = OF_ST_PORT_DESC };
		uint32_t xid = of_conn_xid(sw);

		sw->state = OF_CONN_PORT_DESC;
		if (of_conn_add_pending(sw, xid, true, on_port_desc, NULL) ||
		    of_encode_stats_request(&sw->out, sw->version, xid, &rq)) {
			of_conn_close(sw, "out of memory");
			return;
		}
		of_conn_mark_dirty(sw);
	}
}

/* ---- replies ---- */

static void on_stats_reply(struct of_switch *sw, const uint8_t *msg, size_t len, uint32_t xid)
{
	struct of_pending *p = find_pending(sw, xid);
	struct of_stats_part part;
	enum of_err e;

	if (!p)
		return; /* nobody waits (timed out): drop */
	e = of_decode_stats_reply(msg, len, &part);
	if (e == OF_OK)
		e = of_mp_add(&p->mp, sw->version, &part);
	if (e != OF_OK) {
		struct of_error_msg em = { 0 };
		struct of_reply r = { .status = -EPROTO, .error = &em, .version = sw->version };

		of_error_wire(sw->version, e, &em.type, &em.code);
		send_error(sw, xid, e, msg, len);
		of_conn_finish_pending(sw, p, &r);
		return;
	}
	if (p->mp.done) {
		struct of_reply r = { .status = 0, .stats_type = p->mp.type, .version = sw->version,
				      .body = p->mp.body.data, .body_len = p->mp.body.len };

		of_conn_finish_pending(sw, p, &r);
	}
}

static void on_error(struct of_switch *sw, const uint8_t *msg, size_t len, uint32_t xid)
{
	struct of_error_msg em;
	struct of_pending *p;
	char name[80];

	if (of_decode_error(msg, len, &em) != OF_OK)
		return; /* an error about our error would loop; drop it */
	sw->stats.errors_rx++;
	if (sw->errors_logged < 10) {
		sw->errors_logged++;
		log_warn("openflow: %016llx sent ERROR %s for xid %u%s",
			 (unsigned long long)sw->features.dpid,
			 of_error_name(sw->version, em.type, em.code, name, sizeof(name)), xid,
			 sw->errors_logged == 10 ? " (not logging more from this switch)" : "");
	}
	p = find_pending(sw, xid);
	if (p) {
		struct of_reply r = { .status = -EPROTO, .error = &em, .version = sw->version };

		of_conn_finish_pending(sw, p, &r);
		return;
	}
	if (sw->state == OF_CONN_READY)
		of_core_deliver_error(sw->core, sw, xid, &em);
}

/* ---- one message ---- */

static void handle(struct of_switch *sw, const uint8_t *msg, size_t len)
{
	uint8_t type = msg[1];
	uint32_t xid = of_get32(msg + 4);
	enum of_err e = OF_OK;

	sw->stats.rx_msgs++;
	if (sw->state == OF_CONN_HELLO) {
		if (type != OFPT_HELLO) {
			sw->version = of_version_supported(msg[0]) ? msg[0] : OF_VERSION_13;
			send_error(sw, xid, OF_E_BAD_TYPE, msg, len);
			of_conn_close(sw, "a message before HELLO");
			return;
		}
		on_hello(sw, msg, len);
		return;
	}
	if (msg[0] != sw->version) {
		send_error(sw, xid, OF_E_BAD_VERSION, msg, len);
		return;
	}
	/* the hot path first */
	if (type == OFPT_PACKET_IN && sw->state == OF_CONN_READY) {
		struct of_packet_in pi;

		e = of_decode_packet_in(msg, len, &pi);
		if (e == OF_OK) {
			sw->stats.packet_ins++;
			of_core_tap(sw->core, OF_TAP_IN, sw, xid,
				    &(struct of_msg){ .kind = OF_MSG_PACKET_IN, .packet_in = &pi },
				    msg, len);
			of_core_deliver_packet_in(sw->core, sw, &pi);
			return;
		}
	} else if (type == OFPT_ECHO_REQUEST) {
		send_simple(sw, OFPT_ECHO_REPLY, xid, msg + OFP_HEADER_LEN, len - OFP_HEADER_LEN);
		return;
	} else if (type == OFPT_ECHO_REPLY || type == OFPT_HELLO) {
		return; /* liveness was noted when the bytes arrived */
	} else if (type == OFPT_ERROR) {
		on_error(sw, msg, len, xid);
		return;
	} else if (type == OFPT_FEATURES_REPLY) {
		if (sw->state == OF_CONN_FEATURES)
			on_features(sw, msg, len);
		return;
	} else if (type == of_type_stats_reply(sw->version)) {
		on_stats_reply(sw, msg, len, xid);
		return;
	} else if (type == of_type_barrier_reply(sw->version)) {
		struct of_pending *p = find_pending(sw, xid);
		struct of_reply r = { .status = 0, .version = sw->version };

		if (p)
			of_conn_finish_pending(sw, p, &r);
		return;
	} else if (type == OFPT_PORT_STATUS) {
		struct of_port_status ps;

		e = of_decode_port_status(msg, len, &ps);
		if (e == OF_OK) {
			if (ps.reason == OF_PR_DELETE)
				del_port(sw, ps.port.port_no);
			else
				add_port(sw, &ps.port);
			if (sw->state == OF_CONN_READY)
				of_core_deliver_port_status(sw->core, sw, &ps);
			return;
		}
	} else if (type == OFPT_FLOW_REMOVED) {
		struct of_flow_removed fr;

		e = of_decode_flow_removed(msg, len, &fr);
		if (e == OF_OK) {
			if (sw->state == OF_CONN_READY)
				of_core_deliver_flow_removed(sw->core, sw, &fr);
			return;
		}
	} else if (type == OFPT_GET_CONFIG_REPLY || type == OFPT_PACKET_IN) {
		return; /* packet-ins before switch_up: nobody to give them to */
	} else if (type == OFPT_EXPERIMENTER) {
		e = OF_E_BAD_EXPERIMENTER;
	} else {
		e = OF_E_BAD_TYPE;
	}
	send_error(sw, xid, e, msg, len);
}

/* ---- I/O ---- */

static void on_readable(struct of_switch *sw)
{
	size_t pos = 0;
	ssize_t n;
	long mlen;
	struct of_header h;

	n = read(sw->fd, sw->in + sw->in_len, OF_IN_BUF - sw->in_len);
	if (n == 0) {
		of_conn_close(sw, "connection closed by the switch");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			of_conn_close(sw, strerror(errno));
		return;
	}
	sw->in_len += (size_t)n;
	sw->last_rx_ms = nfp_now_ms();
	sw->echo_outstanding = false;
	while ((mlen = of_frame(sw->in + pos, sw->in_len - pos, &h)) > 0) {
		handle(sw, sw->in + pos, (size_t)mlen);
		if (sw->state == OF_CONN_CLOSED)
			return;
		pos += (size_t)mlen;
	}
	if (mlen < 0) {
		/* a length below the header size: nothing after it can be framed */
		send_error(sw, h.xid, OF_E_BAD_LEN, sw->in + pos, sw->in_len - pos);
		of_conn_close(sw, "message length below the OpenFlow header size");
		return;
	}
	if (pos) {
		memmove(sw->in, sw->in + pos, sw->in_len - pos);
		sw->in_len -= pos;
	}
}

static void on_io(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct of_switch *sw = ctx;
	struct of_core *core = sw->core;

	(void)h;
	of_core_enter(core);
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		on_readable(sw);
	if ((events & EPOLLOUT) && sw->state != OF_CONN_CLOSED)
		of_conn_mark_dirty(sw);
	of_core_leave(core);
}

/* ---- timers ---- */

void of_conn_tick(struct of_switch *sw, uint64_t now)
{
	const struct of_core_config *cfg = &sw->core->cfg;
	struct of_pending *p, *next;

	if (sw->state == OF_CONN_CLOSED)
		return;
	if (sw->state != OF_CONN_READY && now - sw->connected_ms > cfg->handshake_timeout_ms) {
		of_conn_close(sw, "handshake timed out");
		return;
	}
	if (sw->echo_outstanding && now - sw->echo_sent_ms > cfg->echo_timeout_ms) {
		of_conn_close(sw, "no reply to an echo request");
		return;
	}
	if (!sw->echo_outstanding && sw->version && now - sw->last_rx_ms >= cfg->echo_interval_ms) {
		send_simple(sw, OFPT_ECHO_REQUEST, of_conn_xid(sw), NULL, 0);
		sw->echo_outstanding = true;
		sw->echo_sent_ms = now;
		sw->stats.echo_sent++;
	}
	/* a callback may send (adding entries) or close the switch: restart
	 * the walk after each expiry */
	for (p = sw->pending; p; p = next) {
		next = p->next;
		if (now >= p->deadline_ms) {
			struct of_reply r = { .status = -ETIMEDOUT, .version = sw->version };

			if (p->internal) {
				of_conn_close(sw, "request timed out during the handshake");
				return;
			}
			of_conn_finish_pending(sw, p, &r);
			if (sw->state == OF_CONN_CLOSED)
				return;
			next = sw->pending;
		}
	}
}
