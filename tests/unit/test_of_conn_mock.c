/* test_of_conn_mock.c - switch connections and the broker against a mock
 * switch on a socketpair (the real-switch side is covered by the Mininet
 * system test): the 1.0 and 1.3 handshakes, version negotiation failure,
 * echo in both directions, dropping a silent switch, errors for malformed
 * messages without losing the stream, a DPID that reconnects, xid-matched
 * replies with multipart reassembly, and the learning-switch module. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "openflow/of_core.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the mock switch ---- */

struct peer {
	int fd;
	uint8_t in[1 << 16];
	size_t in_len;
	uint8_t msg[1 << 16]; /* the last message received */
	size_t msg_len;
	uint8_t version;
};

static struct nfp_loop *loop;
static struct of_core *core;

static struct peer *peer_new(void)
{
	struct peer *p = calloc(1, sizeof(*p));
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	p->fd = sv[0];
	assert_int_equal(of_core_adopt_fd(core, sv[1], "mock"), 0);
	return p;
}

static void peer_free(struct peer *p)
{
	close(p->fd);
	free(p);
}

static void peer_send(struct peer *p, struct of_buf *b)
{
	assert_int_equal(write(p->fd, b->data, b->len), (ssize_t)b->len);
	b->len = 0;
}

/* Next message from nfpd within 2 s; false when the connection closed. */
static bool peer_recv(struct peer *p)
{
	uint64_t deadline = nfp_now_ms() + 2000;

	while (nfp_now_ms() < deadline) {
		struct of_header h;
		long n = of_frame(p->in, p->in_len, &h);
		ssize_t r;

		if (n > 0) {
			memcpy(p->msg, p->in, (size_t)n);
			p->msg_len = (size_t)n;
			memmove(p->in, p->in + n, p->in_len - (size_t)n);
			p->in_len -= (size_t)n;
			return true;
		}
		r = read(p->fd, p->in + p->in_len, sizeof(p->in) - p->in_len);
		if (r == 0)
			return false;
		if (r > 0) {
			p->in_len += (size_t)r;
			continue;
		}
		nfp_loop_run_once(loop, 10);
	}
	fail_msg("nothing from nfpd within 2 s");
	return false;
}

static void expect(struct peer *p, uint8_t type)
{
	assert_true(peer_recv(p));
	if (p->msg[1] != type)
		fail_msg("got %s, want %s", of_type_name(p->msg[0], p->msg[1]),
			 of_type_name(p->msg[0], type));
}

static void expect_error(struct peer *p, uint16_t type, uint16_t code)
{
	struct of_error_msg e;

	expect(p, OFPT_ERROR);
	assert_int_equal(of_decode_error(p->msg, p->msg_len, &e), OF_OK);
	assert_int_equal(e.type, type);
	assert_int_equal(e.code, code);
}

static bool peer_closed(struct peer *p)
{
	uint64_t deadline = nfp_now_ms() + 2000;

	while (nfp_now_ms() < deadline) {
		uint8_t b[4096];
		ssize_t r = read(p->fd, b, sizeof(b));

		if (r == 0)
			return true;
		nfp_loop_run_once(loop, 10);
	}
	return false;
}

static const struct of_port ports[] = {
	{ .port_no = 1, .name = "s1-eth1", .hw_addr = { 2, 0, 0, 0, 1, 1 } },
	{ .port_no = 2, .name = "s1-eth2", .hw_addr = { 2, 0, 0, 0, 1, 2 } },
};

/* Play a switch's side of the handshake up to ready. */
static void handshake(struct peer *p, uint8_t version, uint64_t dpid)
{
	struct of_features f = { .dpid = dpid, .n_buffers = 0, .n_tables = 254 };
	struct of_buf b = { 0 };
	uint32_t bitmap;

	p->version = version;
	expect(p, OFPT_HELLO);
	assert_int_equal(of_decode_hello(p->msg, p->msg_len, &bitmap), OF_OK);
	assert_int_equal(bitmap, OF_OUR_VERSIONS);
	if (version == OF_VERSION_10)
		of_encode_simple(&b, 1, OFPT_HELLO, 1, NULL, 0); /* 1.0: no bitmap */
	else
		of_encode_hello(&b, 1, (1u << 1) | (1u << 4) | (1u << 5)); /* 1.0, 1.3, 1.4 */
	peer_send(p, &b);
	expect(p, OFPT_FEATURES_REQUEST);
	assert_int_equal(p->msg[0], version);
	of_encode_features_reply(&b, version, of_get32(p->msg + 4), &f, ports, 2);
	peer_send(p, &b);
	if (version == OF_VERSION_13) {
		struct of_stats_request rq;
		struct of_buf body = { 0 };
		uint32_t xid;

		expect(p, OFPT13_MULTIPART_REQUEST);
		assert_int_equal(of_decode_stats_request(p->msg, p->msg_len, &rq), OF_OK);
		assert_int_equal(rq.type, OF_ST_PORT_DESC);
		xid = of_get32(p->msg + 4);
		/* the ports in two parts: the first with MORE */
		of_port_encode(&body, version, &ports[0]);
		of_encode_stats_reply(&b, version, xid, OF_ST_PORT_DESC, OFPSF_REPLY_MORE, body.data,
				      body.len);
		body.len = 0;
		of_port_encode(&body, version, &ports[1]);
		of_encode_stats_reply(&b, version, xid, OF_ST_PORT_DESC, 0, body.data, body.len);
		peer_send(p, &b);
		of_buf_free(&body);
	}
	expect(p, OFPT_SET_CONFIG);
	if (version == OF_VERSION_13) {
		struct of_flow_mod fm;

		expect(p, OFPT_FLOW_MOD);
		assert_int_equal(of_decode_flow_mod(p->msg, p->msg_len, &fm), OF_OK);
		assert_int_equal(fm.priority, 0);
		assert_int_equal(fm.match.fields, 0);
		assert_int_equal(fm.actions.a[0].value, OF_PORT_CONTROLLER);
	}
	of_buf_free(&b);
}

/* ---- a recording subscriber ---- */

static struct {
	int up, down, packet_ins, errors, replies;
	uint32_t error_xid;
	struct of_switch *last;
	int reply_status;
	size_t reply_entries;
	uint16_t reply_err_type;
} seen;

static void rec_up(void *ctx, struct of_switch *sw)
{
	(void)ctx;
	seen.up++;
	seen.last = sw;
}

static void rec_down(void *ctx, struct of_switch *sw)
{
	(void)ctx;
	(void)sw;
	seen.down++;
}

static enum of_disposition rec_packet_in(void *ctx, struct of_switch *sw,
					 const struct of_packet_in *pi)
{
	(void)ctx;
	(void)sw;
	(void)pi;
	seen.packet_ins++;
	return OF_CONTINUE;
}

static void rec_error(void *ctx, struct of_switch *sw, uint32_t xid, const struct of_error_msg *e)
{
	(void)ctx;
	(void)sw;
	(void)e;
	seen.errors++;
	seen.error_xid = xid;
}

static const struct of_listener recorder = {
	.switch_up = rec_up, .switch_down = rec_down, .packet_in = rec_packet_in, .error = rec_error,
};

/* events the core publishes (nfpd sends them to the API stream) */
static char last_event[64];
static json_t *last_body;

static void record_event(void *ctx, const char *type, json_t *body)
{
	(void)ctx;
	snprintf(last_event, sizeof(last_event), "%s", type);
	json_decref(last_body);
	last_body = body;
}

static int setup_with(uint32_t echo_interval_ms, uint32_t echo_timeout_ms)
{
	struct of_core_config cfg;

	memset(&seen, 0, sizeof(seen));
	of_core_default_config(&cfg);
	cfg.tick_ms = 10;
	cfg.echo_interval_ms = echo_interval_ms;
	cfg.echo_timeout_ms = echo_timeout_ms;
	cfg.request_timeout_ms = 500;
	loop = nfp_loop_new();
	core = of_core_new(loop, record_event, NULL, &cfg);
	assert_non_null(core);
	assert_true(of_subscribe(of_core_provider(core), &recorder, NULL) >= 0);
	return 0;
}

/* Echo probes slow enough never to interleave with what a test expects. */
static int setup(void **state)
{
	(void)state;
	return setup_with(5000, 15000);
}

static int setup_fast_echo(void **state)
{
	(void)state;
	return setup_with(100, 300);
}

static int teardown(void **state)
{
	(void)state;
	of_core_free(core);
	json_decref(last_body);
	last_body = NULL;
	nfp_loop_run_once(loop, 0);
	nfp_loop_free(loop);
	return 0;
}

static bool run_until(int *counter, int want)
{
	uint64_t deadline = nfp_now_ms() + 2000;

	while (*counter < want && nfp_now_ms() < deadline)
		nfp_loop_run_once(loop, 10);
	return *counter >= want;
}

/* ---- tests ---- */

static void test_handshake_of10(void **state)
{
	struct peer *p = peer_new();
	const struct of_port *got;
	size_t n;

	(void)state;
	handshake(p, OF_VERSION_10, 0x42);
	assert_true(run_until(&seen.up, 1));
	assert_int_equal(of_switch_dpid(seen.last), 0x42);
	assert_int_equal(of_switch_version(seen.last), OF_VERSION_10);
	got = of_switch_ports(seen.last, &n);
	assert_int_equal(n, 2);
	assert_string_equal(got[1].name, "s1-eth2");
	assert_ptr_equal(of_core_find_switch(core, 0x42), seen.last);
	peer_free(p);
	assert_true(run_until(&seen.down, 1));
	assert_null(of_core_find_switch(core, 0x42));
}

static void test_handshake_of13_with_port_desc_in_parts(void **state)
{
	struct peer *p = peer_new();
	size_t n;

	(void)state;
	handshake(p, OF_VERSION_13, 0x13);
	assert_true(run_until(&seen.up, 1));
	assert_int_equal(of_switch_version(seen.last), OF_VERSION_13);
	of_switch_ports(seen.last, &n);
	assert_int_equal(n, 2);
	peer_free(p);
}

static void test_no_common_version(void **state)
{
	struct peer *p = peer_new();
	struct of_buf b = { 0 };

	(void)state;
	expect(p, OFPT_HELLO);
	of_encode_simple(&b, 3, OFPT_HELLO, 5, NULL, 0); /* 1.2, no bitmap */
	peer_send(p, &b);
	expect_error(p, OFPET_HELLO_FAILED, 0);
	assert_int_equal(of_get32(p->msg + 4), 5);
	assert_true(peer_closed(p));
	assert_int_equal(seen.up, 0);
	of_buf_free(&b);
	peer_free(p);
}

static void test_echo_both_ways_and_silent_switch_dropped(void **state)
{
	struct peer *p = peer_new();
	struct of_buf b = { 0 };
	static const uint8_t payload[] = "abc";

	(void)state;
	handshake(p, OF_VERSION_10, 1);
	of_encode_simple(&b, 1, OFPT_ECHO_REQUEST, 77, payload, sizeof(payload));
	peer_send(p, &b);
	do /* nfpd's own probe may come first on a slow machine */
		assert_true(peer_recv(p));
	while (p->msg[1] == OFPT_ECHO_REQUEST);
	assert_int_equal(p->msg[1], OFPT_ECHO_REPLY);
	assert_int_equal(of_get32(p->msg + 4), 77);
	assert_int_equal(p->msg_len, 8 + sizeof(payload));
	assert_memory_equal(p->msg + 8, payload, sizeof(payload));
	/* idle: nfpd probes; an answer keeps the switch */
	expect(p, OFPT_ECHO_REQUEST);
	of_encode_simple(&b, 1, OFPT_ECHO_REPLY, of_get32(p->msg + 4), NULL, 0);
	peer_send(p, &b);
	expect(p, OFPT_ECHO_REQUEST);
	assert_int_equal(seen.down, 0);
	/* silence: dropped */
	assert_true(peer_closed(p));
	assert_int_equal(seen.down, 1);
	of_buf_free(&b);
	peer_free(p);
}

static void test_malformed_messages_answered_stream_kept(void **state)
{
	struct peer *p = peer_new();
	struct of_buf b = { 0 };
	uint8_t frame[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .data = frame,
				   .data_len = sizeof(frame) };
	uint8_t short_pin[12] = { 1, OFPT_PACKET_IN, 0, 12, 0, 0, 0, 9 };
	uint8_t unknown[8] = { 1, 99, 0, 8, 0, 0, 0, 10 };
	uint8_t wrong_version[8] = { 4, OFPT_ECHO_REQUEST, 0, 8, 0, 0, 0, 11 };
	uint8_t bad_len[8] = { 1, OFPT_ECHO_REQUEST, 0, 4, 0, 0, 0, 12 };
	struct of_buf raw = { 0 };

	(void)state;
	handshake(p, OF_VERSION_10, 2);
	assert_true(run_until(&seen.up, 1));
	/* a truncated packet-in, an unknown type, a wrong version, then a good
	 * packet-in: three errors, and the good one still arrives */
	memcpy(of_buf_put_zero(&raw, 12), short_pin, 12);
	memcpy(of_buf_put_zero(&raw, 8), unknown, 8);
	memcpy(of_buf_put_zero(&raw, 8), wrong_version, 8);
	peer_send(p, &raw);
	of_encode_packet_in(&b, 1, 13, &pi);
	peer_send(p, &b);
	expect_error(p, OFPET_BAD_REQUEST, 6); /* BAD_LEN */
	assert_int_equal(of_get32(p->msg + 4), 9);
	expect_error(p, OFPET_BAD_REQUEST, 1); /* BAD_TYPE */
	expect_error(p, OFPET_BAD_REQUEST, 0); /* BAD_VERSION */
	assert_true(run_until(&seen.packet_ins, 1));
	/* a length below the header: error, then the connection goes */
	memcpy(of_buf_put_zero(&raw, 8), bad_len, 8);
	peer_send(p, &raw);
	expect_error(p, OFPET_BAD_REQUEST, 6);
	assert_true(peer_closed(p));
	assert_int_equal(seen.down, 1);
	of_buf_free(&b);
	of_buf_free(&raw);
	peer_free(p);
}

static void test_reconnecting_dpid_replaces_old_connection(void **state)
{
	struct peer *old = peer_new(), *fresh;

	(void)state;
	handshake(old, OF_VERSION_10, 7);
	assert_true(run_until(&seen.up, 1));
	fresh = peer_new();
	handshake(fresh, OF_VERSION_13, 7);
	assert_true(run_until(&seen.up, 2));
	assert_true(peer_closed(old));
	assert_int_equal(seen.down, 1);
	assert_int_equal(of_switch_version(of_core_find_switch(core, 7)), OF_VERSION_13);
	peer_free(old);
	peer_free(fresh);
}

static void on_reply(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	struct of_flow_stats fs;
	size_t off = 0;

	(void)sw;
	(void)ctx;
	seen.replies++;
	seen.reply_status = r->status;
	seen.reply_entries = 0;
	if (r->error)
		seen.reply_err_type = r->error->type;
	while (r->status == 0 && of_flow_stats_next(r->version, r->body, r->body_len, &off, &fs) == 1)
		seen.reply_entries++;
}

static void test_replies_reach_who_asked(void **state)
{
	struct peer *p = peer_new();
	struct of_provider *prov = of_core_provider(core);
	struct of_stats_request rq = { .type = OF_ST_FLOW, .table_id = OF_TABLE_ALL,
				       .out_port = OF_PORT_ANY };
	struct of_flow_stats fs = { .priority = 5 };
	struct of_buf b = { 0 }, body = { 0 };
	struct of_flow_mod fm;
	uint32_t xid;
	int r;

	(void)state;
	handshake(p, OF_VERSION_13, 3);
	assert_true(run_until(&seen.up, 1));
	/* flow stats in two parts */
	r = of_send_stats_request(prov, seen.last, &rq, on_reply, NULL);
	assert_true(r > 0);
	expect(p, OFPT13_MULTIPART_REQUEST);
	xid = of_get32(p->msg + 4);
	assert_int_equal(xid, (uint32_t)r);
	of_encode_flow_stats(&body, 4, &fs);
	of_encode_stats_reply(&b, 4, xid, OF_ST_FLOW, OFPSF_REPLY_MORE, body.data, body.len);
	of_encode_stats_reply(&b, 4, xid, OF_ST_FLOW, 0, body.data, body.len);
	peer_send(p, &b);
	assert_true(run_until(&seen.replies, 1));
	assert_int_equal(seen.reply_status, 0);
	assert_int_equal(seen.reply_entries, 2);
	/* an ERROR for a barrier goes to the barrier's callback */
	r = of_send_barrier(prov, seen.last, on_reply, NULL);
	expect(p, OFPT13_BARRIER_REQUEST);
	of_encode_error(&b, 4, of_get32(p->msg + 4), 1, 1, p->msg, p->msg_len);
	peer_send(p, &b);
	assert_true(run_until(&seen.replies, 2));
	assert_int_equal(seen.reply_status, -EPROTO);
	assert_int_equal(seen.reply_err_type, 1);
	/* an ERROR for a flow-mod goes to the subscribers with its xid */
	of_flow_mod_init(&fm, OF_FC_ADD);
	r = of_send_flow_mod(prov, seen.last, &fm);
	expect(p, OFPT_FLOW_MOD);
	of_encode_error(&b, 4, of_get32(p->msg + 4), 5, 0, p->msg, p->msg_len);
	peer_send(p, &b);
	assert_true(run_until(&seen.errors, 1));
	assert_int_equal(seen.error_xid, (uint32_t)r);
	/* a request nobody answers times out */
	of_send_barrier(prov, seen.last, on_reply, NULL);
	expect(p, OFPT13_BARRIER_REQUEST);
	assert_true(run_until(&seen.replies, 3));
	assert_int_equal(seen.reply_status, -ETIMEDOUT);
	/* a request outstanding when the switch goes gets -ENOTCONN */
	of_send_barrier(prov, seen.last, on_reply, NULL);
	peer_free(p);
	assert_true(run_until(&seen.replies, 4));
	assert_int_equal(seen.reply_status, -ENOTCONN);
	of_buf_free(&b);
	of_buf_free(&body);
}

/* the trace tap: counts per direction and message type */
static int tapped[2][32];

static void count_tap(void *ctx, const struct of_tap_msg *m)
{
	(void)ctx;
	assert_true(m->wire_len >= 8 && of_get16(m->wire + 2) == m->wire_len);
	tapped[m->dir][m->wire[1] & 31]++;
}

static void test_learning_switch(void **state)
{
	const struct of_module *m = of_module_find("learning-switch");
	struct peer *p = peer_new();
	uint8_t frame[60] = { 0 };
	static const uint8_t h1[6] = { 2, 0, 0, 0, 0, 1 }, h2[6] = { 2, 0, 0, 0, 0, 2 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .data = frame,
				   .data_len = sizeof(frame) };
	struct of_packet_out po;
	struct of_flow_mod fm;
	struct of_buf b = { 0 };
	void *ms = NULL;

	(void)state;
	assert_non_null(m);
	assert_null(of_module_find("no-such-module"));
	assert_int_equal(m->start(of_core_provider(core), &ms), 0);
	memset(tapped, 0, sizeof(tapped));
	assert_int_equal(of_core_add_tap(core, count_tap, NULL), 0);
	for (int v = 0; v < 2; v++) {
		uint8_t version = v ? OF_VERSION_13 : OF_VERSION_10;

		if (v) {
			peer_free(p);
			p = peer_new();
		}
		handshake(p, version, 9);
		/* h1 (port 1) broadcasts an ARP request: flooded, no flow */
		memset(frame, 0xff, 6);
		memcpy(frame + 6, h1, 6);
		frame[12] = 0x08;
		frame[13] = 0x06;
		pi.in_port = 1;
		of_encode_packet_in(&b, version, 0, &pi);
		peer_send(p, &b);
		expect(p, OFPT_PACKET_OUT);
		assert_int_equal(of_decode_packet_out(p->msg, p->msg_len, &po), OF_OK);
		assert_int_equal(po.actions.a[0].value, OF_PORT_FLOOD);
		assert_int_equal(po.data_len, sizeof(frame));
		/* h2 (port 2) answers h1: a flow to port 1, and the packet sent there */
		memcpy(frame, h1, 6);
		memcpy(frame + 6, h2, 6);
		pi.in_port = 2;
		of_encode_packet_in(&b, version, 0, &pi);
		peer_send(p, &b);
		expect(p, OFPT_FLOW_MOD);
		assert_int_equal(of_decode_flow_mod(p->msg, p->msg_len, &fm), OF_OK);
		assert_int_equal(fm.match.in_port, 2);
		assert_memory_equal(fm.match.eth_dst, h1, 6);
		assert_memory_equal(fm.match.eth_src, h2, 6);
		assert_int_equal(fm.idle_timeout, 60);
		assert_int_equal(fm.actions.a[0].value, 1);
		expect(p, OFPT_PACKET_OUT);
		assert_int_equal(of_decode_packet_out(p->msg, p->msg_len, &po), OF_OK);
		assert_int_equal(po.actions.a[0].value, 1);
	}
	of_core_remove_tap(core, count_tap, NULL);
	/* per version: 2 packet-ins in; 1 flow-mod (+ the 1.3 table-miss entry)
	 * and 2 packet-outs out */
	assert_int_equal(tapped[OF_TAP_IN][OFPT_PACKET_IN], 4);
	assert_int_equal(tapped[OF_TAP_OUT][OFPT_FLOW_MOD], 3);
	assert_int_equal(tapped[OF_TAP_OUT][OFPT_PACKET_OUT], 4);
	m->stop(ms);
	of_buf_free(&b);
	peer_free(p);
}

/* What nfpd must answer to one garbage message: an ERROR with the
 * message's xid, the error type and code for what was wrong, and the head
 * of the message (OpenFlow asks for at least 64 bytes of the failed
 * request; nfpd sends that much). */
struct want_error {
	uint32_t xid;
	uint16_t type, code;
	uint8_t msg_type;
	size_t data_len;
	uint8_t data[64];
};

/* Whether nfpd answers garbage message @m (of a ready switch speaking
 * @version) with an error, and which. Replies to requests nobody made are
 * dropped silently; the messages a switch sends are decoded (random bytes
 * may make a valid one, which nfpd then takes); anything else is a type a
 * switch does not send: BAD_REQUEST/BAD_TYPE. */
static bool garbage_answer(uint8_t version, const uint8_t *m, size_t len, struct want_error *w)
{
	uint8_t type = m[1];
	enum of_err e = OF_OK;

	memset(w, 0, sizeof(*w));
	w->xid = of_get32(m + 4);
	w->msg_type = type;
	w->data_len = len < 64 ? len : 64;
	memcpy(w->data, m, w->data_len);
	if (type == (version == OF_VERSION_10 ? OFPT10_STATS_REPLY : OFPT13_MULTIPART_REPLY) ||
	    type == (version == OF_VERSION_10 ? OFPT10_BARRIER_REPLY : OFPT13_BARRIER_REPLY))
		return false;
	if (type == OFPT_PACKET_IN || type == OFPT_PORT_STATUS || type == OFPT_FLOW_REMOVED) {
		struct of_packet_in pi;
		struct of_port_status ps;
		struct of_flow_removed fr;

		e = type == OFPT_PACKET_IN	  ? of_decode_packet_in(m, len, &pi)
		    : type == OFPT_PORT_STATUS ? of_decode_port_status(m, len, &ps)
					      : of_decode_flow_removed(m, len, &fr);
		if (e == OF_OK)
			return false;
		of_error_wire(version, e, &w->type, &w->code);
		return true;
	}
	w->type = OFPET_BAD_REQUEST;
	w->code = 1; /* OFPBRC_BAD_TYPE, in 1.0 and 1.3 */
	return true;
}

/* Check the complete messages nfpd has sent so far against @want, in
 * order, from *next on; nfpd's own echo probes are let through. Returns
 * true once the echo reply with xid @echo_xid has come (after everything
 * expected). */
static bool check_replies(struct peer *p, uint8_t version, const struct want_error *want,
			  size_t n_want, size_t *next, uint32_t echo_xid)
{
	struct of_header h;
	long n;
	ssize_t r;

	while ((r = read(p->fd, p->in + p->in_len, sizeof(p->in) - p->in_len)) > 0)
		p->in_len += (size_t)r;
	while ((n = of_frame(p->in, p->in_len, &h)) > 0) {
		const uint8_t *m = p->in;
		const struct want_error *w;
		struct of_error_msg e;
		bool done = false;

		assert_int_equal(h.version, version);
		if (h.type == OFPT_ECHO_REPLY && h.xid == echo_xid) {
			if (*next != n_want)
				fail_msg("echo reply after %zu of %zu errors", *next, n_want);
			done = true;
		} else if (h.type != OFPT_ECHO_REQUEST) {
			if (*next >= n_want)
				fail_msg("unexpected %s (xid %u) after all %zu errors",
					 of_type_name(version, h.type), h.xid, n_want);
			w = &want[*next];
			if (h.type != OFPT_ERROR || h.xid != w->xid)
				fail_msg("reply %zu: %s xid %u, want ERROR xid %u for a %s", *next,
					 of_type_name(version, h.type), h.xid, w->xid,
					 of_type_name(version, w->msg_type));
			assert_int_equal(of_decode_error(m, (size_t)n, &e), OF_OK);
			if (e.type != w->type || e.code != w->code)
				fail_msg("reply %zu (xid %u, a %s): error %u/%u, want %u/%u", *next,
					 w->xid, of_type_name(version, w->msg_type), e.type, e.code,
					 w->type, w->code);
			assert_int_equal(e.data_len, w->data_len);
			assert_memory_equal(e.data, w->data, w->data_len);
			(*next)++;
		}
		memmove(p->in, p->in + n, p->in_len - (size_t)n);
		p->in_len -= (size_t)n;
		if (done)
			return true;
	}
	assert_true(n == 0);
	return false;
}

/* A switch that sends garbage with well-formed headers: nfpd answers each
 * message it cannot take with the right error (type, code, xid, the
 * offending bytes echoed), in order, nothing else, and keeps the
 * connection (a header length below 8 is never sent here); an echo still
 * gets its reply afterwards. */
static void test_garbage_does_not_kill_the_connection(void **state)
{
	enum { N = 3000 };
	static struct want_error want[N];

	(void)state;
	for (int v = 0; v < 2; v++) {
		uint8_t version = v ? OF_VERSION_13 : OF_VERSION_10;
		struct peer *p = peer_new();
		struct of_buf b = { 0 };
		unsigned seed = 99 + (unsigned)v;
		size_t n_want = 0, next = 0, decoded = 0;
		uint64_t deadline;

		handshake(p, version, 20 + (uint64_t)v);
		assert_true(run_until(&seen.up, v + 1));
		p->in_len = 0;
		for (int i = 0; i < N; i++) {
			size_t len = 8 + (size_t)(rand_r(&seed) % 200);
			uint8_t *m = of_buf_put_zero(&b, len);

			for (size_t k = 0; k < len; k++)
				m[k] = (uint8_t)rand_r(&seed);
			m[0] = version;
			/* no HELLO/FEATURES/ECHO: they are not garbage to a peer */
			m[1] = (uint8_t)(9 + rand_r(&seed) % 25);
			of_put16(m + 2, (uint16_t)len);
			if (garbage_answer(version, m, len, &want[n_want])) {
				/* not BAD_TYPE: a switch's message that did not decode */
				decoded += want[n_want].code != 1 || want[n_want].type != OFPET_BAD_REQUEST;
				n_want++;
			}
			if (b.len > 16384) {
				peer_send(p, &b);
				nfp_loop_run_once(loop, 0);
				/* read what nfpd answered so it never stops reading us */
				check_replies(p, version, want, n_want, &next, 0x5151);
			}
		}
		peer_send(p, &b);
		of_encode_simple(&b, version, OFPT_ECHO_REQUEST, 0x5151, NULL, 0);
		peer_send(p, &b);
		deadline = nfp_now_ms() + 5000;
		while (!check_replies(p, version, want, n_want, &next, 0x5151)) {
			if (nfp_now_ms() > deadline)
				fail_msg("%zu of %zu errors, and no echo reply, within 5 s", next, n_want);
			nfp_loop_run_once(loop, 10);
		}
		print_message("# OpenFlow 1.%d: %d garbage messages, %zu errors back (%zu for "
			      "messages that did not decode), each checked\n", v ? 3 : 0, N, n_want,
			      decoded);
		assert_true(n_want > N / 2 && decoded > 0);
		assert_int_equal(seen.down, 0);
		of_buf_free(&b);
		peer_free(p);
		assert_true(run_until(&seen.down, 1));
		seen.down = 0;
	}
}

/* Thousands of replies to a switch that does not read for a while: nfpd's
 * writes come back partial (a small socket buffer), the rest waits in its
 * output buffer, and in the end every reply arrives whole and in order. */
static void test_partial_writes_lose_nothing(void **state)
{
	const struct of_module *hub = of_module_find("hub");
	uint8_t frame[1000];
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .data = frame,
				   .data_len = sizeof(frame) };
	struct of_buf b = { 0 };
	struct peer *p;
	void *hs = NULL;
	int sv[2], small = 4096, outs = 0;
	size_t off = 0;

	(void)state;
	memset(frame, 0xff, sizeof(frame));
	assert_int_equal(hub->start(of_core_provider(core), &hs), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	p = calloc(1, sizeof(*p));
	p->fd = sv[0];
	assert_int_equal(of_core_adopt_fd(core, sv[1], "mock-slow"), 0);
	handshake(p, OF_VERSION_10, 0x77);
	expect(p, OFPT_FLOW_MOD); /* the hub's flood flow */
	for (int i = 0; i < 3000; i++) {
		pi.buffer_id = OF_NO_BUFFER;
		of_encode_packet_in(&b, 1, (uint32_t)i, &pi);
	}
	/* push every packet-in, reading nothing back */
	while (off < b.len) {
		ssize_t n = write(p->fd, b.data + off, b.len - off);

		if (n > 0)
			off += (size_t)n;
		nfp_loop_run_once(loop, 0);
	}
	for (int i = 0; i < 50; i++)
		nfp_loop_run_once(loop, 0);
	/* now read: 3000 packet-outs, each whole */
	while (outs < 3000) {
		struct of_packet_out po;

		expect(p, OFPT_PACKET_OUT);
		assert_int_equal(of_decode_packet_out(p->msg, p->msg_len, &po), OF_OK);
		assert_int_equal(po.data_len, sizeof(frame));
		outs++;
	}
	hub->stop(hs);
	of_buf_free(&b);
	peer_free(p);
}

static bool event_is(const char *type)
{
	return strcmp(last_event, type) == 0;
}

static void test_events_and_port_status(void **state)
{
	struct peer *p = peer_new();
	struct of_port_status ps = { .reason = OF_PR_ADD,
				     .port = { .port_no = 3, .name = "s1-eth3",
					       .state = OF_PORT_STATE_LINK_DOWN } };
	struct of_buf b = { 0 };
	size_t n;

	(void)state;
	handshake(p, OF_VERSION_13, 0x1234);
	assert_true(run_until(&seen.up, 1));
	assert_string_equal(last_event, "switch_up");
	assert_string_equal(json_string_value(json_object_get(last_body, "dpid")),
			    "0000000000001234");
	assert_string_equal(json_string_value(json_object_get(last_body, "version")), "1.3");
	of_encode_port_status(&b, 4, 0, &ps);
	peer_send(p, &b);
	for (uint64_t end = nfp_now_ms() + 2000; !event_is("port_status") && nfp_now_ms() < end;)
		nfp_loop_run_once(loop, 10);
	assert_string_equal(last_event, "port_status");
	assert_string_equal(json_string_value(json_object_get(last_body, "reason")), "add");
	assert_int_equal(json_integer_value(json_object_get(last_body, "port")), 3);
	assert_true(json_is_true(json_object_get(last_body, "link_down")));
	of_switch_ports(seen.last, &n);
	assert_int_equal(n, 3);
	ps.reason = OF_PR_DELETE;
	of_encode_port_status(&b, 4, 0, &ps);
	peer_send(p, &b);
	for (uint64_t end = nfp_now_ms() + 2000; n == 3 && nfp_now_ms() < end;) {
		nfp_loop_run_once(loop, 10);
		of_switch_ports(seen.last, &n);
	}
	assert_int_equal(n, 2);
	peer_free(p);
	assert_true(run_until(&seen.down, 1));
	assert_string_equal(last_event, "switch_down");
	assert_non_null(strstr(json_string_value(json_object_get(last_body, "reason")), "closed"));
	of_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handshake_of10, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handshake_of13_with_port_desc_in_parts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_common_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_both_ways_and_silent_switch_dropped,
						setup_fast_echo, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_messages_answered_stream_kept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reconnecting_dpid_replaces_old_connection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_replies_reach_who_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learning_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_does_not_kill_the_connection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_events_and_port_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_writes_lose_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
