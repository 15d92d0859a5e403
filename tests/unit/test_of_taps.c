/* test_of_taps.c - the controller core's taps and its provider's view of a
 * switch, against a mock switch on a socketpair: several taps, in the order
 * they were added, each getting every packet-in (in) and everything sent
 * through the core's one send chokepoint (out) both decoded and as the
 * exact wire bytes, in OpenFlow 1.0 and 1.3; adding, refusing and removing
 * taps; features and ports read through the provider's ops, and a wrapping
 * provider (what a slice will be) that shows fewer ports and whose sends
 * still pass the chokepoint.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "openflow/of_core.h"
#include "openflow/of_wire.h"
#include "../lib/of_mock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct nfp_loop *loop;
static struct of_core *core;

static const struct of_port ports[] = {
	{ .port_no = 1, .name = "s1-eth1", .hw_addr = { 2, 0, 0, 0, 1, 1 } },
	{ .port_no = 2, .name = "s1-eth2", .hw_addr = { 2, 0, 0, 0, 1, 2 } },
};

/* ---- a subscriber that remembers the switch and counts packet-ins ---- */

static struct of_switch *up_switch;
static int packet_ins;

static void on_up(void *ctx, struct of_switch *sw)
{
	(void)ctx;
	up_switch = sw;
}

static void on_down(void *ctx, struct of_switch *sw)
{
	(void)ctx;
	if (sw == up_switch)
		up_switch = NULL;
}

static enum of_disposition on_packet_in(void *ctx, struct of_switch *sw,
					const struct of_packet_in *pi)
{
	(void)ctx;
	(void)sw;
	(void)pi;
	packet_ins++;
	return OF_CONTINUE;
}

static const struct of_listener listener = {
	.switch_up = on_up, .switch_down = on_down, .packet_in = on_packet_in,
};

static void run_until_up(void)
{
	uint64_t deadline = nfp_now_ms() + 2000;

	while (!up_switch && nfp_now_ms() < deadline)
		nfp_loop_run_once(loop, 10);
	assert_non_null(up_switch);
}

static void run_until_packet_ins(int want)
{
	uint64_t deadline = nfp_now_ms() + 2000;

	while (packet_ins < want && nfp_now_ms() < deadline)
		nfp_loop_run_once(loop, 10);
	assert_int_equal(packet_ins, want);
}

/* ---- recording taps ---- */

#define MAX_SEEN 16

/* What one tap saw of one message: the struct fields copied out (the
 * pointers are only valid during the call) and the wire bytes. */
struct seen_msg {
	int tap;               /* which tap, in call order */
	enum of_tap_dir dir;
	enum of_msg_kind kind;
	uint64_t dpid;
	uint8_t version;
	uint32_t xid;
	uint32_t port;         /* packet-in in_port, packet-out in_port, flow-mod out_port */
	uint16_t priority;     /* flow-mod */
	uint8_t data[128];     /* packet-in / packet-out frame */
	size_t data_len;
	uint8_t wire[256];
	size_t wire_len;
};

static struct seen_msg seen[MAX_SEEN];
static int n_seen;

static void record(void *ctx, const struct of_tap_msg *m)
{
	struct seen_msg *s;

	assert_true(n_seen < MAX_SEEN);
	s = &seen[n_seen++];
	memset(s, 0, sizeof(*s));
	s->tap = (int)(intptr_t)ctx;
	s->dir = m->dir;
	s->kind = m->msg.kind;
	s->dpid = m->dpid;
	s->version = m->version;
	s->xid = m->xid;
	switch (m->msg.kind) {
	case OF_MSG_PACKET_IN:
		s->port = m->msg.packet_in->in_port;
		s->data_len = m->msg.packet_in->data_len;
		memcpy(s->data, m->msg.packet_in->data, s->data_len);
		break;
	case OF_MSG_PACKET_OUT:
		s->port = m->msg.packet_out->in_port;
		s->data_len = m->msg.packet_out->data_len;
		memcpy(s->data, m->msg.packet_out->data, s->data_len);
		break;
	case OF_MSG_FLOW_MOD:
		s->port = m->msg.flow_mod->out_port;
		s->priority = m->msg.flow_mod->priority;
		break;
	default:
		break;
	}
	assert_true(m->wire_len <= sizeof(s->wire));
	assert_int_equal(of_get16(m->wire + 2), m->wire_len); /* one whole message */
	memcpy(s->wire, m->wire, m->wire_len);
	s->wire_len = m->wire_len;
}

/* The same message seen by taps 1 then 2, as @dir/@kind. */
static void assert_both_taps(int at, enum of_tap_dir dir, enum of_msg_kind kind)
{
	assert_true(n_seen >= at + 2);
	assert_int_equal(seen[at].tap, 1);
	assert_int_equal(seen[at + 1].tap, 2);
	for (int i = at; i < at + 2; i++) {
		assert_int_equal(seen[i].dir, dir);
		assert_int_equal(seen[i].kind, kind);
	}
	assert_int_equal(seen[at + 1].wire_len, seen[at].wire_len);
	assert_memory_equal(seen[at + 1].wire, seen[at].wire, seen[at].wire_len);
}

/* ---- fixture ---- */

static int setup(void **state)
{
	struct of_core_config cfg;

	(void)state;
	up_switch = NULL;
	packet_ins = 0;
	n_seen = 0;
	of_core_default_config(&cfg);
	cfg.tick_ms = 10;
	loop = nfp_loop_new();
	core = of_core_new(loop, NULL, NULL, &cfg);
	assert_non_null(core);
	of_mock_init(loop, core);
	assert_true(of_subscribe(of_core_provider(core), &listener, NULL) >= 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	of_core_free(core);
	nfp_loop_run_once(loop, 0);
	nfp_loop_free(loop);
	return 0;
}

/* ---- tests ---- */

static void taps_see_every_message_decoded_and_whole(void **state)
{
	struct of_provider *prov;
	uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06 };

	(void)state;
	prov = of_core_provider(core);
	assert_int_equal(of_core_add_tap(core, record, (void *)1), 0);
	assert_int_equal(of_core_add_tap(core, record, (void *)2), 0);
	for (int v = 0; v < 2; v++) {
		uint8_t version = v ? OF_VERSION_13 : OF_VERSION_10;
		struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 3,
					   .total_len = sizeof(frame), .data = frame,
					   .data_len = sizeof(frame) };
		struct of_packet_out po = { .buffer_id = OF_NO_BUFFER, .in_port = 3,
					    .data = frame, .data_len = sizeof(frame) };
		struct of_flow_mod fm;
		struct of_buf b = { 0 };
		struct of_mock_peer *p = of_mock_peer_new();
		int xid;

		n_seen = 0;
		of_mock_handshake(p, version, 0x77, ports, 2);
		if (version == OF_VERSION_13) {
			/* the handshake's table-miss entry passes the chokepoint too */
			of_mock_expect(p, OFPT_FLOW_MOD);
			run_until_up();
			assert_both_taps(0, OF_TAP_OUT, OF_MSG_FLOW_MOD);
			assert_int_equal(seen[0].priority, 0);
			assert_int_equal(seen[0].wire_len, p->msg_len);
			assert_memory_equal(seen[0].wire, p->msg, p->msg_len);
			n_seen = 0;
		}
		run_until_up();

		/* in: a packet-in, decoded (port, frame) and as the bytes sent */
		of_encode_packet_in(&b, version, 0x1234, &pi);
		{
			uint8_t sent[256];
			size_t sent_len = b.len;

			memcpy(sent, b.data, b.len);
			of_mock_send(p, &b);
			run_until_packet_ins(v + 1);
			assert_both_taps(0, OF_TAP_IN, OF_MSG_PACKET_IN);
			assert_int_equal(seen[0].dpid, 0x77);
			assert_int_equal(seen[0].version, version);
			assert_int_equal(seen[0].xid, 0x1234);
			assert_int_equal(seen[0].port, 3);
			assert_int_equal(seen[0].data_len, sizeof(frame));
			assert_memory_equal(seen[0].data, frame, sizeof(frame));
			assert_int_equal(seen[0].wire_len, sent_len);
			assert_memory_equal(seen[0].wire, sent, sent_len);
		}

		/* out: a flow-mod, as given and as the switch receives it */
		of_flow_mod_init(&fm, OF_FC_ADD);
		fm.priority = 100;
		fm.out_port = 2;
		of_match_set_eth_dst(&fm.match, frame + 6);
		of_actions_output(&fm.actions, 2);
		xid = of_send_flow_mod(prov, up_switch, &fm);
		assert_true(xid > 0);
		assert_both_taps(2, OF_TAP_OUT, OF_MSG_FLOW_MOD);
		assert_int_equal(seen[2].xid, (uint32_t)xid);
		assert_int_equal(seen[2].priority, 100);
		assert_int_equal(seen[2].port, 2);
		of_mock_expect(p, OFPT_FLOW_MOD);
		assert_int_equal(seen[2].wire_len, p->msg_len);
		assert_memory_equal(seen[2].wire, p->msg, p->msg_len);

		/* out: a packet-out with its frame */
		of_actions_output(&po.actions, OF_PORT_FLOOD);
		assert_true(of_send_packet_out(prov, up_switch, &po) > 0);
		assert_both_taps(4, OF_TAP_OUT, OF_MSG_PACKET_OUT);
		assert_int_equal(seen[4].data_len, sizeof(frame));
		assert_memory_equal(seen[4].data, frame, sizeof(frame));
		of_mock_expect(p, OFPT_PACKET_OUT);
		assert_memory_equal(seen[4].wire, p->msg, p->msg_len);

		/* out: a barrier (no body) */
		assert_true(of_send_barrier(prov, up_switch, NULL, NULL) > 0);
		assert_both_taps(6, OF_TAP_OUT, OF_MSG_BARRIER);
		of_mock_expect(p, of_type_barrier_request(version));
		assert_memory_equal(seen[6].wire, p->msg, p->msg_len);
		assert_int_equal(n_seen, 8);

		/* a send the version cannot say is refused before any tap */
		fm.match.fields |= OF_F_ETH_TYPE | OF_F_IPV6_SRC;
		fm.match.eth_type = 0x86dd;
		memset(fm.match.ipv6_src_mask, 0xff, 16);
		if (version == OF_VERSION_10)
			assert_int_equal(of_send_flow_mod(prov, up_switch, &fm), -EINVAL);
		else
			assert_true(of_send_flow_mod(prov, up_switch, &fm) > 0);
		assert_int_equal(n_seen, version == OF_VERSION_10 ? 8 : 10);
		of_buf_free(&b);
		of_mock_peer_free(p);
	}
}

static void taps_are_added_refused_and_removed(void **state)
{
	struct of_mock_peer *p = of_mock_peer_new();
	struct of_flow_mod fm;

	(void)state;
	assert_int_equal(of_core_add_tap(core, record, (void *)1), 0);
	assert_int_equal(of_core_add_tap(core, record, (void *)1), -EEXIST);
	for (int i = 2; i <= OF_MAX_TAPS; i++)
		assert_int_equal(of_core_add_tap(core, record, (void *)(intptr_t)i), 0);
	assert_int_equal(of_core_add_tap(core, record, (void *)99), -ENOSPC);
	for (int i = 3; i <= OF_MAX_TAPS; i++)
		of_core_remove_tap(core, record, (void *)(intptr_t)i);
	of_core_remove_tap(core, record, (void *)99); /* not there: nothing */
	of_mock_handshake(p, OF_VERSION_10, 5, ports, 2);
	run_until_up();
	of_flow_mod_init(&fm, OF_FC_ADD);
	assert_true(of_send_flow_mod(of_core_provider(core), up_switch, &fm) > 0);
	assert_int_equal(n_seen, 2);
	assert_int_equal(seen[0].tap, 1);
	assert_int_equal(seen[1].tap, 2);
	/* the first removed: the second alone, still called */
	of_core_remove_tap(core, record, (void *)1);
	n_seen = 0;
	assert_true(of_send_flow_mod(of_core_provider(core), up_switch, &fm) > 0);
	assert_int_equal(n_seen, 1);
	assert_int_equal(seen[0].tap, 2);
	of_core_remove_tap(core, record, (void *)2);
	n_seen = 0;
	assert_true(of_send_flow_mod(of_core_provider(core), up_switch, &fm) > 0);
	assert_int_equal(n_seen, 0);
	of_mock_peer_free(p);
}

/* ---- a provider wrapping the core's, as a slice will: it forwards
 * subscriptions and sends, and shows only port 1 ---- */

struct slice {
	struct of_provider provider; /* first */
	struct of_provider *under;
	int sends;
};

static int slice_subscribe(struct of_provider *p, const struct of_listener *l, void *ctx)
{
	return of_subscribe(((struct slice *)p)->under, l, ctx);
}

static void slice_unsubscribe(struct of_provider *p, int id)
{
	of_unsubscribe(((struct slice *)p)->under, id);
}

static int slice_send(struct of_provider *p, struct of_switch *sw, const struct of_msg *m,
		      of_reply_cb cb, void *ctx)
{
	struct slice *s = (struct slice *)p;

	s->sends++;
	return of_send(s->under, sw, m, cb, ctx);
}

static const struct of_features *slice_features(struct of_provider *p,
						const struct of_switch *sw)
{
	return of_get_features(((struct slice *)p)->under, sw);
}

static const struct of_port *slice_ports(struct of_provider *p, const struct of_switch *sw,
					 size_t *n)
{
	const struct of_port *all = of_get_ports(((struct slice *)p)->under, sw, n);

	for (size_t i = 0; i < *n; i++) {
		if (all[i].port_no == 1) {
			*n = 1;
			return &all[i];
		}
	}
	*n = 0;
	return NULL;
}

static const struct of_provider_ops slice_ops = {
	.subscribe = slice_subscribe, .unsubscribe = slice_unsubscribe, .send = slice_send,
	.features = slice_features, .ports = slice_ports,
};

static void provider_shows_features_and_ports(void **state)
{
	struct slice s = { .provider = { &slice_ops }, .under = of_core_provider(core) };
	const struct of_features *f;
	const struct of_port *got;
	struct of_flow_mod fm;
	struct of_mock_peer *p = of_mock_peer_new();
	size_t n;

	(void)state;
	of_mock_handshake(p, OF_VERSION_13, 0xabc, ports, 2);
	of_mock_expect(p, OFPT_FLOW_MOD);
	run_until_up();
	/* the core's provider: the switch as it is */
	f = of_get_features(of_core_provider(core), up_switch);
	assert_int_equal(f->dpid, 0xabc);
	assert_int_equal(f->n_tables, 254);
	got = of_get_ports(of_core_provider(core), up_switch, &n);
	assert_int_equal(n, 2);
	assert_string_equal(got[0].name, "s1-eth1");
	assert_string_equal(got[1].name, "s1-eth2");
	assert_ptr_equal(of_switch_ports(up_switch, &n), got);
	/* the wrapper: the same features, its own port list */
	assert_ptr_equal(of_get_features(&s.provider, up_switch), f);
	got = of_get_ports(&s.provider, up_switch, &n);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].port_no, 1);
	/* a send through the wrapper passes its op, then the core's chokepoint */
	assert_int_equal(of_core_add_tap(core, record, (void *)1), 0);
	of_flow_mod_init(&fm, OF_FC_ADD);
	assert_true(of_send_flow_mod(&s.provider, up_switch, &fm) > 0);
	assert_int_equal(s.sends, 1);
	assert_int_equal(n_seen, 1);
	assert_int_equal(seen[0].kind, OF_MSG_FLOW_MOD);
	of_mock_expect(p, OFPT_FLOW_MOD);
	/* a switch that is gone: the core's send refuses, no tap */
	of_mock_peer_free(p);
	for (uint64_t deadline = nfp_now_ms() + 2000; up_switch && nfp_now_ms() < deadline;)
		nfp_loop_run_once(loop, 10);
	assert_null(up_switch);
	n_seen = 0;
	assert_true(of_send(of_core_provider(core), NULL,
			    &(struct of_msg){ .kind = OF_MSG_FLOW_MOD, .flow_mod = &fm }, NULL,
			    NULL) == -ENOTCONN);
	assert_int_equal(n_seen, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(taps_see_every_message_decoded_and_whole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(taps_are_added_refused_and_removed, setup, teardown),
		cmocka_unit_test_setup_teardown(provider_shows_features_and_ports, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
