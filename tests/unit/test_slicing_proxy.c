/* test_slicing_proxy.c - a slice with an external controller (slicing/
 * proxy.h): the real controller core, the slicer, a mock OpenFlow 1.0
 * switch (dpid 1, ports 1-4) on a socketpair, and a mock controller on a
 * TCP socket the proxy connects to. The controller is answered as a switch
 * (hello, features with the slice's ports only, echo); its flow-mod
 * outside the flowspace comes back as FLOW_MOD_FAILED/EPERM with its own
 * xid and the whole request as data, nothing sent to the switch; one
 * inside is expanded at the switch; packet-ins reach it; a barrier comes
 * back under its xid; and a session it closes is opened again.
 *
 * Flowspace on dpid 1: slice a: in_port=1 (7), in_port=2 (7).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "openflow/of_codec.h"
#include "openflow/of_core.h"
#include "slicing/proxy.h"
#include "slicing/slicer.h"
#include "../lib/of_mock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct nfp_loop *loop;
static struct of_core *core;
static struct fs_slicer *slicer;
static struct fs_slice *slice_a;
static struct fs_proxy *proxy;
static struct of_mock_peer *sw_peer, *ctl;
static int listen_fd;

static const struct of_port ports[] = {
	{ .port_no = 1, .name = "s1-eth1" }, { .port_no = 2, .name = "s1-eth2" },
	{ .port_no = 3, .name = "s1-eth3" }, { .port_no = 4, .name = "s1-eth4" },
};

/* Accept the proxy's next session (within 3 s) and do the controller's
 * side of the hello. */
static struct of_mock_peer *accept_session(void)
{
	uint64_t deadline = nfp_now_ms() + 3000;
	struct of_mock_peer *p;
	struct of_buf b = { 0 };
	int fd = -1;

	while (fd < 0 && nfp_now_ms() < deadline) {
		fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK);
		if (fd < 0)
			nfp_loop_run_once(loop, 10);
	}
	assert_true(fd >= 0);
	p = of_mock_peer_wrap(fd);
	of_mock_expect(p, OFPT_HELLO);
	assert_int_equal(p->msg[0], OF_VERSION_10); /* the switch's version */
	of_encode_hello(&b, 1, 1u << OF_VERSION_10);
	of_mock_send(p, &b);
	of_buf_free(&b);
	return p;
}

static int setup(void **state)
{
	struct of_core_config cfg;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	struct fs_rule rules[2] = { { .priority = 100, .dpid = 1 }, { .priority = 100, .dpid = 1 } };
	char err[128], addr[64];

	(void)state;
	of_core_default_config(&cfg);
	cfg.tick_ms = 10;
	loop = nfp_loop_new();
	core = of_core_new(loop, NULL, NULL, &cfg);
	of_mock_init(loop, core);
	slicer = fs_slicer_new(of_core_provider(core));
	for (int i = 0; i < 2; i++) {
		snprintf(rules[i].name, sizeof(rules[i].name), "r%d", i);
		rules[i].match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = 1u + (unsigned)i };
		assert_int_equal(fs_perm_parse("a=7", &rules[i], err, sizeof(err)), 0);
	}
	fs_slicer_set_flowspace(slicer, fs_map_new(FS_MAP_FEDERATED, rules, 2));
	slice_a = fs_slicer_add_slice(slicer, "a");

	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(bind(listen_fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(listen_fd, 4), 0);
	assert_int_equal(getsockname(listen_fd, (struct sockaddr *)&sin, &sl), 0);
	snprintf(addr, sizeof(addr), "tcp:127.0.0.1:%u", ntohs(sin.sin_port));
	proxy = fs_proxy_start(loop, slice_a, addr, FS_DROP_EXACT);
	assert_non_null(proxy);

	sw_peer = of_mock_peer_new();
	of_mock_handshake(sw_peer, OF_VERSION_10, 1, ports, 4);
	ctl = accept_session();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fs_proxy_stop(proxy);
	of_mock_peer_free(ctl);
	of_mock_peer_free(sw_peer);
	fs_slicer_free(slicer);
	of_core_free(core);
	close(listen_fd);
	nfp_loop_run_once(loop, 0);
	nfp_loop_free(loop);
	return 0;
}

static void test_the_controller_sees_a_switch_of_the_slices_ports(void **state)
{
	struct of_buf b = { 0 };
	struct of_features f;

	(void)state;
	of_encode_simple(&b, OF_VERSION_10, OFPT_FEATURES_REQUEST, 77, NULL, 0);
	of_mock_send(ctl, &b);
	of_mock_expect(ctl, OFPT_FEATURES_REPLY);
	assert_int_equal(of_get32(ctl->msg + 4), 77);
	assert_int_equal(of_decode_features_reply(ctl->msg, ctl->msg_len, &f), OF_OK);
	assert_int_equal(f.dpid, 1);
	assert_int_equal(f.ports_len, 2 * 48); /* ports 1 and 2 of 4 */
	assert_int_equal(of_get16(f.ports), 1);
	assert_int_equal(of_get16(f.ports + 48), 2);

	of_encode_simple(&b, OF_VERSION_10, OFPT_ECHO_REQUEST, 5, (const uint8_t *)"abc", 3);
	of_mock_send(ctl, &b);
	of_mock_expect(ctl, OFPT_ECHO_REPLY);
	assert_int_equal(of_get32(ctl->msg + 4), 5);
	assert_memory_equal(ctl->msg + 8, "abc", 3);
	assert_true(of_mock_quiet(sw_peer, 50)); /* answered here, not by the switch */
	of_buf_free(&b);
}

static void test_a_flow_mod_outside_the_flowspace_gets_eperm_with_xid_and_data(void **state)
{
	struct of_flow_mod fm;
	struct of_buf b = { 0 };
	size_t len;

	(void)state;
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match = (struct of_match){ .fields = OF_F_IN_PORT, .in_port = 3 };
	of_actions_output(&fm.actions, 2);
	of_actions_output(&fm.actions, 1);
	of_encode_flow_mod(&b, OF_VERSION_10, 1234, &fm);
	len = b.len;
	uint8_t *req = malloc(len);

	memcpy(req, b.data, len);
	of_mock_send(ctl, &b);
	of_mock_expect(ctl, OFPT_ERROR);
	assert_int_equal(of_get32(ctl->msg + 4), 1234);       /* its own xid */
	assert_int_equal(of_get16(ctl->msg + 8), 3);          /* FLOW_MOD_FAILED */
	assert_int_equal(of_get16(ctl->msg + 10), 2);         /* EPERM */
	assert_int_equal(ctl->msg_len, 12 + len);             /* the whole request */
	assert_memory_equal(ctl->msg + 12, req, len);
	assert_true(of_mock_quiet(sw_peer, 50));

	/* an output to a port of another slice: BAD_ACTION/EPERM */
	fm.match.in_port = 1;
	fm.actions.n = 0;
	of_actions_output(&fm.actions, 4);
	of_encode_flow_mod(&b, OF_VERSION_10, 1235, &fm);
	of_mock_send(ctl, &b);
	of_mock_expect(ctl, OFPT_ERROR);
	assert_int_equal(of_get32(ctl->msg + 4), 1235);
	assert_int_equal(of_get16(ctl->msg + 8), 2);
	assert_int_equal(of_get16(ctl->msg + 10), 9);
	assert_true(of_mock_quiet(sw_peer, 50));
	free(req);
	of_buf_free(&b);
}

static void test_flow_mods_packet_ins_and_barriers_pass(void **state)
{
	struct of_flow_mod fm, got;
	struct of_buf b = { 0 };
	uint8_t f[60] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 2, .data = f,
				   .data_len = sizeof(f), .total_len = sizeof(f) };
	uint32_t sw_xid;

	(void)state;
	/* match-all, FLOOD: one flow-mod per port of the slice */
	of_flow_mod_init(&fm, OF_FC_ADD);
	of_actions_output(&fm.actions, OF_PORT_FLOOD);
	of_encode_flow_mod(&b, OF_VERSION_10, 9, &fm);
	of_mock_send(ctl, &b);
	for (uint32_t port = 1; port <= 2; port++) {
		of_mock_expect(sw_peer, OFPT_FLOW_MOD);
		assert_int_equal(of_decode_flow_mod(sw_peer->msg, sw_peer->msg_len, &got), OF_OK);
		assert_int_equal(got.match.in_port, port);
		assert_int_equal(got.actions.n, 1);
		assert_int_equal(got.actions.a[0].value, 3 - port);
	}

	/* a packet-in on the slice's port reaches the controller */
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	of_mock_expect(ctl, OFPT_PACKET_IN);

	/* a barrier: the switch gets one, and its reply goes back under the
	 * controller's xid */
	of_encode_simple(&b, OF_VERSION_10, OFPT10_BARRIER_REQUEST, 42, NULL, 0);
	of_mock_send(ctl, &b);
	of_mock_expect(sw_peer, OFPT10_BARRIER_REQUEST);
	sw_xid = of_get32(sw_peer->msg + 4);
	of_encode_simple(&b, OF_VERSION_10, OFPT10_BARRIER_REPLY, sw_xid, NULL, 0);
	of_mock_send(sw_peer, &b);
	of_mock_expect(ctl, OFPT10_BARRIER_REPLY);
	assert_int_equal(of_get32(ctl->msg + 4), 42);
	of_buf_free(&b);
}

static void wait_sessions(uint64_t n)
{
	uint64_t deadline = nfp_now_ms() + 2000;
	struct fs_proxy_stats st;

	do {
		nfp_loop_run_once(loop, 10);
		fs_proxy_stats(proxy, &st);
	} while (st.sessions < n && nfp_now_ms() < deadline);
	assert_int_equal(st.sessions, n);
}

static void test_a_closed_session_is_opened_again(void **state)
{
	struct fs_proxy_stats st;

	(void)state;
	wait_sessions(1);
	assert_int_equal(fs_proxy_connected(proxy), 1);
	of_mock_peer_free(ctl);
	ctl = accept_session(); /* the back-off starts at 0.5 s */
	wait_sessions(2);
	fs_proxy_stats(proxy, &st);
	assert_int_equal(st.reconnects, 1);
	assert_int_equal(fs_proxy_connected(proxy), 1);
}

/* While the controller is away, a packet-in the slice may write gets
 * FlowVisor's drop rule: exact on the packet, no actions, idle 1 s. */
static void test_with_the_controller_away_packets_get_a_drop_rule(void **state)
{
	uint8_t f[60] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06 };
	struct of_packet_in pi = { .buffer_id = 77, .in_port = 1, .data = f, .data_len = sizeof(f),
				   .total_len = sizeof(f) };
	struct of_flow_mod got;
	struct of_buf b = { 0 };
	struct fs_proxy_stats st;

	(void)state;
	wait_sessions(1);
	of_mock_peer_free(ctl);
	ctl = NULL;
	for (uint64_t deadline = nfp_now_ms() + 2000;
	     fs_proxy_connected(proxy) && nfp_now_ms() < deadline;)
		nfp_loop_run_once(loop, 10);
	assert_int_equal(fs_proxy_connected(proxy), 0);
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	of_mock_expect(sw_peer, OFPT_FLOW_MOD);
	assert_int_equal(of_decode_flow_mod(sw_peer->msg, sw_peer->msg_len, &got), OF_OK);
	assert_int_equal(got.command, OF_FC_ADD);
	assert_int_equal(got.actions.n, 0);
	assert_int_equal(got.priority, 0);
	assert_int_equal(got.idle_timeout, 1);
	assert_int_equal(got.hard_timeout, 0);
	assert_int_equal(got.flags, OF_FF_SEND_FLOW_REM);
	assert_int_equal(got.buffer_id, 77);
	assert_int_equal(got.match.in_port, 1);
	assert_int_equal(got.match.eth_type, 0x0806);
	assert_int_equal(got.match.eth_src[5], 1);
	/* a packet on a port the slice does not have: nothing */
	pi.in_port = 3;
	of_encode_packet_in(&b, OF_VERSION_10, 0, &pi);
	of_mock_send(sw_peer, &b);
	assert_true(of_mock_quiet(sw_peer, 50));
	fs_proxy_stats(proxy, &st);
	assert_int_equal(st.drop_rules, 1);
	ctl = accept_session();
	of_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_the_controller_sees_a_switch_of_the_slices_ports,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_flow_mod_outside_the_flowspace_gets_eperm_with_xid_and_data, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_flow_mods_packet_ins_and_barriers_pass, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_closed_session_is_opened_again, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_with_the_controller_away_packets_get_a_drop_rule,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
