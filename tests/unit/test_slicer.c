/* test_slicer.c - the slicer (slicing/slicer.h) between the real controller
 * core and each slice's module, against a mock OpenFlow 1.0 switch (dpid 1,
 * ports 1-4) on a socketpair, with the exact messages the switch receives
 * compared byte for byte with what the codec makes of the expected ones
 * (FlowVisor's regression style): packet-in routing by flowspace with
 * buffer ids for WRITE slices only, a flow-mod expanded once per WRITE
 * intersection with FLOOD turned into the slice's ports and the buffer id
 * on the first only, outputs outside the slice, LOCAL and NORMAL refused
 * with nothing sent, packet-outs checked for buffer and packet, and each
 * slice's view of the ports.
 *
 * Flowspace on dpid 1:  a: in_port=1 (7), in_port=2 (7)
 *                       b: in_port=3,dl_src=02:00:00:00:00:0b (WRITE, prio 200)
 *                          in_port=3 (READ, prio 100)
 *                       port 4: nobody's
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "openflow/of_core.h"
#include "openflow/of_codec.h"
#include "slicing/slicer.h"
#include "../lib/of_mock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct nfp_loop *loop;
static struct of_core *core;
static struct fs_slicer *slicer;
static struct fs_slice *slice_a, *slice_b;
static struct of_mock_peer *sw_peer;

static const struct of_port ports[] = {
	{ .port_no = 1, .name = "s1-eth1" }, { .port_no = 2, .name = "s1-eth2" },
	{ .port_no = 3, .name = "s1-eth3" }, { .port_no = 4, .name = "s1-eth4" },
};

/* What a slice's module saw. */
struct seen {
	struct of_switch *sw;
	int packet_ins;
	uint32_t last_in_port, last_buffer;
	int errors;
	uint32_t last_error_xid;
};
static struct seen seen_a, seen_b;

static void on_up(void *ctx, struct of_switch *sw)
{
	((struct seen *)ctx)->sw = sw;
}

static void on_down(void *ctx, struct of_switch *sw)
{
	(void)sw;
	((struct seen *)ctx)->sw = NULL;
}

static enum of_disposition on_packet_in(void *ctx, struct of_switch *sw,
					const struct of_packet_in *pi)
{
	struct seen *s = ctx;

	(void)sw;
	s->packet_ins++;
	s->last_in_port = pi->in_port;
	s->last_buffer = pi->buffer_id;
	return OF_STOP; /* the other slice must still see its packets */
}

static void on_error(void *ctx, struct of_switch *sw, uint32_t xid, const struct of_error_msg *e)
{
	struct seen *s = ctx;

	(void)sw;
	(void)e;
	s->errors++;
	s->last_error_xid = xid;
}

static const struct of_listener module = {
	.switch_up = on_up, .switch_down = on_down, .packet_in = on_packet_in, .error = on_error,
};

static struct fs_rule rule(const char *name, uint32_t prio, const char *match, const char *perms)
{
	struct fs_rule r = { .priority = prio, .dpid = 1 };
	char err[256];

	snprintf(r.name, sizeof(r.name), "%s", name);
	assert_int_equal(fs_match_parse(match, &r.match, err, sizeof(err)), 0);
	assert_int_equal(fs_perm_parse(perms, &r, err, sizeof(err)), 0);
	return r;
}

static void run_until(bool (*cond)(void))
{
	uint64_t deadline = nfp_now_ms() + 2000;

	while (!cond() && nfp_now_ms() < deadline)
		nfp_loop_run_once(loop, 10);
	assert_true(cond());
}

static bool both_up(void)
{
	return seen_a.sw && seen_b.sw;
}

static int setup(void **state)
{
	struct of_core_config cfg;
	struct fs_rule rules[] = {
		rule("a1", 100, "in_port=1", "a=7"),
		rule("a2", 100, "in_port=2", "a=7"),
		rule("b-write", 200, "in_port=3,dl_src=02:00:00:00:00:0b", "b=4"),
		rule("b-read", 100, "in_port=3", "b=2"),
	};

	(void)state;
	memset(&seen_a, 0, sizeof(seen_a));
	memset(&seen_b, 0, sizeof(seen_b));
	of_core_default_config(&cfg);
	cfg.tick_ms = 10;
	loop = nfp_loop_new();
	core = of_core_new(loop, NULL, NULL, &cfg);
	assert_non_null(core);
	of_mock_init(loop, core);
	slicer = fs_slicer_new(of_core_provider(core));
	assert_non_null(slicer);
	fs_slicer_set_flowspace(slicer, fs_map_new(FS_MAP_FEDERATED, rules, 4));
	slice_a = fs_slicer_add_slice(slicer, "a");
	slice_b = fs_slicer_add_slice(slicer, "b");
	assert_non_null(slice_a);
	assert_non_null(slice_b);
	assert_null(fs_slicer_add_slice(slicer, "a")); /* the name is taken */
	assert_true(of_subscribe(fs_slice_provider(slice_a), &module, &seen_a) >= 0);
	assert_true(of_subscribe(fs_slice_provider(slice_b), &module, &seen_b) >= 0);
	sw_peer = of_mock_peer_new();
	of_mock_handshake(sw_peer, OF_VERSION_10, 1, ports, 4);
	run_until(both_up);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	of_mock_peer_free(sw_peer);
	fs_slicer_free(slicer);
	of_core_free(core);
	nfp_loop_run_once(loop, 0);
	nfp_loop_free(loop);
	return 0;
}

/* An Ethernet/IPv4/UDP frame from @src_last (02:00:00:00:00:xx). */
static size_t frame(uint8_t *f, uint8_t src_last)
{
	memset(f, 0, 60);
	memcpy(f, "\x02\x00\x00\x00\x00\x99\x02\x00\x00\x00\x00", 11);
	f[11] = src_last;
	memcpy(f + 12, "\x08\x00\x45\x00\x00\x1c\x00\x00\x00\x00\x40\x11\x00\x00"
		       "\x0a\x00\x00\x01\x0a\x00\x00\x02\x04\x00\x00\x50",
	       26);
	return 60;
}

static int delivered;
static bool got_delivery(void)
{
	return seen_a.packet_ins + seen_b.packet_ins >= delivered;
}

static void packet_in(uint32_t in_port, uint32_t buffer, uint8_t src_last)
{
	uint8_t f[60];
	struct of_packet_in pi = { .buffer_id = buffer, .in_port = in_port, .data = f,
				   .data_len = frame(f, src_last), .total_len = 60 };
	struct of_buf b = { 0 };

	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	of_buf_free(&b);
}

static void test_packet_ins_go_by_flowspace(void **state)
{
	struct fs_slicer_stats st;
	struct fs_slice_stats sa;

	(void)state;
	packet_in(1, 77, 0x01);
	delivered = 1;
	run_until(got_delivery);
	assert_int_equal(seen_a.packet_ins, 1);
	assert_int_equal(seen_a.last_buffer, 77); /* a holds WRITE */
	assert_int_equal(seen_b.packet_ins, 0);

	/* port 3, any source: b's READ rule; the buffer is not b's to use */
	packet_in(3, 78, 0x01);
	delivered = 2;
	run_until(got_delivery);
	assert_int_equal(seen_b.packet_ins, 1);
	assert_int_equal(seen_b.last_buffer, OF_NO_BUFFER);
	/* port 3 from ...:0b: b's WRITE rule, buffer and all */
	packet_in(3, 79, 0x0b);
	delivered = 3;
	run_until(got_delivery);
	assert_int_equal(seen_b.last_buffer, 79);

	/* port 4: in no flowspace, dropped and counted; then port 2 goes on */
	packet_in(4, OF_NO_BUFFER, 0x01);
	packet_in(2, OF_NO_BUFFER, 0x01);
	delivered = 4;
	run_until(got_delivery);
	assert_int_equal(seen_a.packet_ins, 2);
	assert_int_equal(seen_a.last_in_port, 2);
	assert_int_equal(seen_b.packet_ins, 2);
	fs_slicer_stats(slicer, &st);
	assert_int_equal(st.packet_ins, 5);
	assert_int_equal(st.packet_ins_no_rule, 1);
	fs_slice_stats(slice_a, &sa);
	assert_int_equal(sa.packet_ins, 2);
}

/* The flow-mod the switch gets must be exactly @want, whatever its xid. */
static void expect_flow_mod(const struct of_flow_mod *want)
{
	struct of_buf b = { 0 };

	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	of_encode_flow_mod(&b, OF_VERSION_10, of_get32(sw_peer->msg + 4), want);
	assert_int_equal(sw_peer->msg_len, b.len);
	assert_memory_equal(sw_peer->msg, b.data, b.len);
	of_buf_free(&b);
}

static void test_flow_mod_expands_per_write_intersection(void **state)
{
	struct of_provider *pa = fs_slice_provider(slice_a);
	struct of_flow_mod fm, want;

	(void)state;
	packet_in(1, 500, 0x01); /* give a buffer 500 */
	delivered = 1;
	run_until(got_delivery);

	/* "everything, flood" from a: one flow-mod per port of a, FLOOD made
	 * the slice's other port; the buffer goes with the first only */
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.priority = 10;
	fm.buffer_id = 500;
	fm.flags = OF_FF_SEND_FLOW_REM | OF_FF_CHECK_OVERLAP;
	of_actions_output(&fm.actions, OF_PORT_FLOOD);
	assert_true(of_send_flow_mod(pa, seen_a.sw, &fm) >= 0);

	want = fm;
	want.flags = OF_FF_SEND_FLOW_REM;
	want.match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = 1 };
	want.actions.n = 0;
	of_actions_output(&want.actions, 2);
	expect_flow_mod(&want);
	want.match.in_port = 2;
	want.buffer_id = OF_NO_BUFFER;
	want.actions.n = 0;
	of_actions_output(&want.actions, 1);
	expect_flow_mod(&want);
	assert_true(of_mock_quiet(sw_peer, 50));
}

static void test_flow_mod_outside_the_slice_is_refused(void **state)
{
	struct of_provider *pa = fs_slice_provider(slice_a), *pb = fs_slice_provider(slice_b);
	struct of_flow_mod fm, want;
	struct fs_slice_stats st;
	char err[128];

	(void)state;
	/* an output to b's port */
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = 1 };
	of_actions_output(&fm.actions, 3);
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EACCES);
	/* LOCAL and NORMAL are nobody's */
	fm.actions.n = 0;
	of_actions_output(&fm.actions, OF_PORT_LOCAL);
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EACCES);
	fm.actions.n = 0;
	of_actions_output(&fm.actions, OF_PORT_NORMAL);
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EACCES);
	/* a match in b's flowspace only */
	fm.actions.n = 0;
	of_actions_output(&fm.actions, 2);
	assert_int_equal(fs_match_parse("in_port=3", &fm.match, err, sizeof(err)), 0);
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EPERM);
	/* a buffer a was never given */
	assert_int_equal(fs_match_parse("in_port=1", &fm.match, err, sizeof(err)), 0);
	fm.buffer_id = 4242;
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -ENOENT);
	assert_true(of_mock_quiet(sw_peer, 50)); /* none of it reached the switch */
	fs_slice_stats(slice_a, &st);
	assert_int_equal(st.eperm, 5);
	assert_int_equal(st.flow_mods_out, 0);

	/* b on port 3: two rules intersect, only the WRITE one is written */
	of_flow_mod_init(&fm, OF_FC_ADD);
	assert_int_equal(fs_match_parse("in_port=3", &fm.match, err, sizeof(err)), 0);
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	assert_true(of_send_flow_mod(pb, seen_b.sw, &fm) >= 0);
	want = fm;
	assert_int_equal(fs_match_parse("in_port=3,dl_src=02:00:00:00:00:0b", &want.match, err,
					sizeof(err)), 0);
	expect_flow_mod(&want);
	assert_true(of_mock_quiet(sw_peer, 50));

	/* rewriting the source MAC out of b's WRITE flowspace is writing
	 * outside it: refused; rewriting it to what it is stays in */
	of_flow_mod_init(&fm, OF_FC_ADD);
	assert_int_equal(fs_match_parse("in_port=3,dl_src=02:00:00:00:00:0b", &fm.match, err,
					sizeof(err)), 0);
	fm.actions.a[0] = (struct of_action){ .type = OF_ACT_SET_ETH_SRC,
					      .mac = { 2, 0, 0, 0, 0, 0x0c } };
	fm.actions.n = 1;
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	assert_int_equal(of_send_flow_mod(pb, seen_b.sw, &fm), -EACCES);
	assert_true(of_mock_quiet(sw_peer, 50));
	fm.actions.a[0].mac[5] = 0x0b;
	assert_true(of_send_flow_mod(pb, seen_b.sw, &fm) >= 0);
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
}

static void test_packet_out_checks_buffer_and_packet(void **state)
{
	struct of_provider *pa = fs_slice_provider(slice_a);
	uint8_t f[60];
	struct of_packet_out po = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .data = f,
				    .data_len = frame(f, 0x01) };
	struct of_buf b = { 0 };

	(void)state;
	of_actions_output(&po.actions, OF_PORT_FLOOD);
	assert_true(of_send_packet_out(pa, seen_a.sw, &po) >= 0);
	of_mock_expect(sw_peer, OFPT_PACKET_OUT);
	po.actions.n = 0;
	of_actions_output(&po.actions, 2); /* flooded to a's ports but the ingress */
	of_encode_packet_out(&b, OF_VERSION_10, of_get32(sw_peer->msg + 4), &po);
	assert_int_equal(sw_peer->msg_len, b.len);
	assert_memory_equal(sw_peer->msg, b.data, b.len);
	of_buf_free(&b);

	/* a packet from port 3 is b's */
	po.in_port = 3;
	assert_int_equal(of_send_packet_out(pa, seen_a.sw, &po), -EPERM);
	/* a buffer never given to a */
	po.in_port = 1;
	po.buffer_id = 9;
	assert_int_equal(of_send_packet_out(pa, seen_a.sw, &po), -ENOENT);
	assert_true(of_mock_quiet(sw_peer, 50));
}

static void test_each_slice_sees_its_ports(void **state)
{
	size_t n;
	const struct of_port *p = of_get_ports(fs_slice_provider(slice_a), seen_a.sw, &n);

	(void)state;
	assert_int_equal(n, 2);
	assert_int_equal(p[0].port_no, 1);
	assert_int_equal(p[1].port_no, 2);
	p = of_get_ports(fs_slice_provider(slice_b), seen_b.sw, &n);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].port_no, 3);
	assert_true(fs_slice_has_port(slicer, slice_b, 1, 3));
	assert_false(fs_slice_has_port(slicer, slice_b, 1, 4));
	assert_false(fs_slice_has_port(slicer, slice_a, 2, 1)); /* another datapath */
}

/* A 77-byte LLDP frame (FlowVisor throws on one) is, for a slice that
 * asked for LLDP, a packet like any other: classified by its rule,
 * delivered, nothing else happens. */
static void test_a_77_byte_lldp_frame_is_routed_by_flowspace(void **state)
{
	uint8_t f[77] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 2, 0, 0, 0, 0, 1, 0x88, 0xcc,
			  0x02, 0x07, 0x04, 2, 0, 0, 0, 0, 1 }; /* chassis id TLV, then junk */
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .data = f,
				   .data_len = sizeof(f), .total_len = sizeof(f) };
	struct of_buf b = { 0 };

	(void)state;
	fs_slice_set_recv_lldp(slice_a, true);
	memset(f + 23, 0xee, sizeof(f) - 23);
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	pi.in_port = 4; /* nobody's port: dropped */
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	pi.in_port = 2;
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	delivered = 2;
	run_until(got_delivery);
	assert_int_equal(seen_a.packet_ins, 2);
	assert_int_equal(seen_a.last_in_port, 2);
	assert_int_equal(seen_b.packet_ins, 0);
	of_buf_free(&b);
}

/* A slice's own LLDP probe comes back to it from any port, even one that
 * is not its own; other LLDP does not reach a slice that did not ask. */
static void test_a_slices_own_lldp_probe_comes_back_to_it(void **state)
{
	uint8_t probe[64] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 2, 0, 0, 0, 0, 0x0b, 0x88, 0xcc,
			      0x02, 0x07, 0x04, 2, 0, 0, 0, 0, 0x0b };
	uint8_t other[64];
	struct of_packet_out po = { .buffer_id = OF_NO_BUFFER, .in_port = OF_PORT_CONTROLLER,
				    .data = probe, .data_len = sizeof(probe) };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .data = probe,
				   .data_len = sizeof(probe), .total_len = sizeof(probe) };
	struct of_buf b = { 0 };

	(void)state;
	memcpy(other, probe, sizeof(other));
	other[20] = 0x77; /* another chassis */
	/* b sends its probe out of its port 3 */
	of_actions_output(&po.actions, 3);
	assert_true(of_send_packet_out(fs_slice_provider(slice_b), seen_b.sw, &po) >= 0);
	of_mock_expect(sw_peer, OFPT_PACKET_OUT);
	/* out of a's port: not b's to send */
	po.actions.n = 0;
	of_actions_output(&po.actions, 1);
	assert_int_equal(of_send_packet_out(fs_slice_provider(slice_b), seen_b.sw, &po), -EACCES);

	/* it comes back on port 1 (a's): to b only */
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	/* someone else's LLDP on b's port 3: to nobody (neither asked) */
	pi.data = other;
	pi.in_port = 3;
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	/* then a plain packet for a, to know both went through */
	packet_in(2, OF_NO_BUFFER, 0x01);
	delivered = 2;
	run_until(got_delivery);
	assert_int_equal(seen_b.packet_ins, 1);
	assert_int_equal(seen_b.last_in_port, 1);
	assert_int_equal(seen_a.packet_ins, 1);
	assert_int_equal(seen_a.last_in_port, 2);
	of_buf_free(&b);
}

/* What a slice's stats callback got. */
static int stats_entries, stats_status;
static uint32_t stats_ports[8];

static void on_stats_reply(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	size_t off = 0;

	(void)sw;
	(void)ctx;
	stats_status = r->status;
	stats_entries = 0;
	if (r->stats_type == OF_ST_FLOW) {
		struct of_flow_stats fs;

		while (of_flow_stats_next(r->version, r->body, r->body_len, &off, &fs) > 0)
			stats_ports[stats_entries++ & 7] = fs.match.in_port;
	} else {
		struct of_port_stats ps;

		while (of_port_stats_next(r->version, r->body, r->body_len, &off, &ps) > 0)
			stats_ports[stats_entries++ & 7] = ps.port_no;
	}
	stats_entries += 100; /* answered */
}

static bool stats_answered(void)
{
	return stats_entries >= 100;
}

/* The switch answers the stats request it got with @body. */
static void answer_stats(uint16_t type, struct of_buf *body)
{
	struct of_buf b = { 0 };

	of_mock_expect(sw_peer, OFPT10_STATS_REQUEST);
	of_encode_stats_reply(&b, OF_VERSION_10, of_get32(sw_peer->msg + 4), type, 0, body->data,
			      body->len);
	of_mock_send(sw_peer, &b);
	of_buf_free(&b);
	body->len = 0;
}

/* Stats are cut to the slice: flow stats to flows in its flowspace, port
 * stats to its ports; asking for another slice's port is refused. */
static void test_stats_replies_are_cut_to_the_slice(void **state)
{
	struct of_provider *pb = fs_slice_provider(slice_b);
	struct of_stats_request rq = { .type = OF_ST_FLOW, .table_id = OF_TABLE_ALL,
				       .out_port = OF_PORT_ANY, .port_no = OF_PORT_ANY };
	struct of_buf body = { 0 };

	(void)state;
	assert_true(of_send_stats_request(pb, seen_b.sw, &rq, on_stats_reply, NULL) >= 0);
	for (uint32_t port = 1; port <= 4; port++) {
		struct of_flow_stats fs = { .priority = 10 };

		fs.match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = port };
		of_encode_flow_stats(&body, OF_VERSION_10, &fs);
	}
	answer_stats(OF_ST_FLOW, &body);
	stats_entries = 0;
	run_until(stats_answered);
	assert_int_equal(stats_status, 0);
	assert_int_equal(stats_entries, 100 + 1); /* only the flow on b's port 3 */
	assert_int_equal(stats_ports[0], 3);

	rq.type = OF_ST_PORT;
	assert_true(of_send_stats_request(pb, seen_b.sw, &rq, on_stats_reply, NULL) >= 0);
	for (uint32_t port = 1; port <= 4; port++) {
		struct of_port_stats ps = { .port_no = port, .rx_packets = port };

		of_encode_port_stats(&body, OF_VERSION_10, &ps);
	}
	answer_stats(OF_ST_PORT, &body);
	stats_entries = 0;
	run_until(stats_answered);
	assert_int_equal(stats_entries, 100 + 1);
	assert_int_equal(stats_ports[0], 3);

	rq.port_no = 1; /* a's */
	assert_int_equal(of_send_stats_request(pb, seen_b.sw, &rq, on_stats_reply, NULL), -EACCES);
	assert_true(of_mock_quiet(sw_peer, 50));
	of_buf_free(&body);
}

/* A slice's flow-entry quota: an ADD that would take it over is refused
 * whole (its two intersections need two entries), a DELETE releases one. */
static void test_flow_mod_quota(void **state)
{
	struct of_provider *pa = fs_slice_provider(slice_a);
	struct of_flow_mod fm;
	struct fs_slice_stats st;

	(void)state;
	fs_slice_set_limits(slice_a, 3, -1);
	of_flow_mod_init(&fm, OF_FC_ADD);
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	assert_true(of_send_flow_mod(pa, seen_a.sw, &fm) >= 0); /* 2 entries */
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EDQUOT); /* 4 > 3 */
	assert_true(of_mock_quiet(sw_peer, 50));
	fm.match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = 1 };
	assert_true(of_send_flow_mod(pa, seen_a.sw, &fm) >= 0); /* the third */
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EDQUOT);
	fm.command = OF_FC_DELETE_STRICT;
	fm.actions.n = 0;
	assert_true(of_send_flow_mod(pa, seen_a.sw, &fm) >= 0);
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	fm.command = OF_FC_ADD;
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	assert_true(of_send_flow_mod(pa, seen_a.sw, &fm) >= 0);
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	fs_slice_stats(slice_a, &st);
	assert_int_equal(st.over_quota, 2);
	assert_int_equal(st.flow_entries, 3);
}

/* A rate limit of 3 messages a second: the fourth in a burst is refused. */
static void test_rate_limit(void **state)
{
	struct of_provider *pa = fs_slice_provider(slice_a);
	struct of_flow_mod fm;
	struct fs_slice_stats st;

	(void)state;
	fs_slice_set_limits(slice_a, -1, 3);
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = 1 };
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	for (int i = 0; i < 3; i++) {
		assert_true(of_send_flow_mod(pa, seen_a.sw, &fm) >= 0);
		of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	}
	assert_int_equal(of_send_flow_mod(pa, seen_a.sw, &fm), -EBUSY);
	assert_true(of_mock_quiet(sw_peer, 50));
	fs_slice_stats(slice_a, &st);
	assert_int_equal(st.rate_limited, 1);
	/* slice b has its own limits: none */
	fm.match = (struct of_match){ .fields = OF_F_IN_PORT | OF_F_ETH_SRC, .in_port = 3,
				      .eth_src = { 2, 0, 0, 0, 0, 0x0b } };
	memset(fm.match.eth_src_mask, 0xff, 6);
	assert_true(of_send_flow_mod(fs_slice_provider(slice_b), seen_b.sw, &fm) >= 0);
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_packet_ins_go_by_flowspace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow_mod_expands_per_write_intersection, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flow_mod_outside_the_slice_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_packet_out_checks_buffer_and_packet, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_each_slice_sees_its_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_77_byte_lldp_frame_is_routed_by_flowspace, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_slices_own_lldp_probe_comes_back_to_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_replies_are_cut_to_the_slice, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flow_mod_quota, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
