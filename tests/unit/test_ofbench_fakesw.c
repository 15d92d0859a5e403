/* test_ofbench_fakesw.c - the benchmark's emulated switch (bench/of/fakesw.c):
 * its handshake answers, the cbench counting rules (what is one response and
 * what is not), latency-mode matching of replies to the outstanding
 * packet-in, and its handling of malformed controller messages.
 *
 * Each test gets a switch on one end of a socketpair; the other end plays
 * the controller, so what the switch writes can be read back and decoded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../bench/of/fakesw.h"
#include "../../bench/of/of10.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct fixture {
	struct fs_config cfg;
	struct fakesw fs;
	int ctl;                    /* the controller's end */
	uint8_t rx[1 << 16];        /* what the switch sent, read back */
	size_t rx_len;
};

static int setup_with(void **state, bool throughput)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int sv[2];

	assert_non_null(f);
	f->cfg = (struct fs_config){ .n_ports = 4, .macs = 1000, .hosts = 2, .learn = true,
				     .buffered = true, .throughput = throughput, .window = 4096,
				     .lost_after_ns = 1000000000ull };
	assert_int_equal(fs_init(&f->fs, 6, &f->cfg), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	f->fs.fd = sv[0];
	f->ctl = sv[1];
	fs_connected(&f->fs);
	*state = f;
	return 0;
}

static int setup(void **state) { return setup_with(state, false); }

static int teardown(void **state)
{
	struct fixture *f = *state;

	fs_free(&f->fs);
	close(f->ctl);
	free(f);
	return 0;
}

/* Flush what the switch queued and read it on the controller's end. */
static void drain(struct fixture *f)
{
	ssize_t n;

	assert_true(fs_pump(&f->fs, 0) >= 0);
	f->rx_len = 0;
	while ((n = read(f->ctl, f->rx + f->rx_len, sizeof(f->rx) - f->rx_len)) > 0)
		f->rx_len += (size_t)n;
}

/* The i-th message of type `type` the switch sent, or NULL. */
static const uint8_t *sent(const struct fixture *f, uint8_t type, int i)
{
	for (size_t off = 0; off + OF10_HEADER_LEN <= f->rx_len; off += get16(f->rx + off + 2)) {
		if (f->rx[off + 1] == type && i-- == 0)
			return f->rx + off;
		if (get16(f->rx + off + 2) < OF10_HEADER_LEN)
			break;
	}
	return NULL;
}

static int handle(struct fixture *f, const uint8_t *msg)
{
	return fs_handle_msg(&f->fs, msg, get16(msg + 2), 1000);
}

static void msg_header(uint8_t *m, uint8_t type, uint16_t len, uint32_t xid)
{
	memset(m, 0, len);
	of10_header(m, type, len, xid);
}

static void flow_mod(uint8_t *m, uint16_t command, uint32_t buffer_id)
{
	msg_header(m, OF10_FLOW_MOD, OF10_FM_MIN_LEN + 8, 0);
	put32(m + OF10_FM_OFF_MATCH, OF10_FW_DL_SRC); /* src wildcarded */
	put16(m + OF10_FM_OFF_COMMAND, command);
	put32(m + OF10_FM_OFF_BUFFER_ID, buffer_id);
	put16(m + OF10_FM_MIN_LEN, 0);                /* output action */
	put16(m + OF10_FM_MIN_LEN + 2, 8);
}

/* packet_out with no actions and a frame of the given ethertype */
static void packet_out(uint8_t *m, uint32_t buffer_id, uint16_t ethertype)
{
	uint16_t len = buffer_id == OF10_NO_BUFFER ? OF10_PO_MIN_LEN + 60 : OF10_PO_MIN_LEN;

	msg_header(m, OF10_PACKET_OUT, len, 0);
	put32(m + OF10_PO_OFF_BUFFER_ID, buffer_id);
	if (buffer_id == OF10_NO_BUFFER)
		put16(m + OF10_PO_MIN_LEN + 12, ethertype);
}

/* Hello, features, both hosts' announcements answered: ready. */
static void handshake(struct fixture *f)
{
	uint8_t m[128];

	msg_header(m, OF10_HELLO, 8, 1);
	m[0] = 0x06;                                  /* a later version is fine */
	assert_int_equal(handle(f, m), 0);
	msg_header(m, OF10_FEATURES_REQUEST, 8, 2);
	assert_int_equal(handle(f, m), 0);
	assert_int_equal(f->fs.state, FS_LEARNING);
	packet_out(m, OF10_NO_BUFFER, ETHTYPE_ARP);
	for (unsigned int h = 0; h < f->cfg.hosts; h++)
		assert_int_equal(handle(f, m), 0);
	assert_int_equal(f->fs.state, FS_READY);
}

static void test_handshake_sends_hello_features_and_host_announcements(void **state)
{
	struct fixture *f = *state;
	const uint8_t *p;

	handshake(f);
	drain(f);
	p = sent(f, OF10_HELLO, 0);
	assert_non_null(p);
	assert_int_equal(p[0], OF10_VERSION);
	p = sent(f, OF10_FEATURES_REPLY, 0);
	assert_non_null(p);
	assert_int_equal(get32(p + 4), 2);                    /* the request's xid */
	assert_int_equal(get16(p + 2), OF10_FEATURES_LEN + 4 * OF10_PHY_PORT_LEN);
	assert_int_equal(get32(p + 12), 7);                   /* dpid idx + 1 */
	assert_int_equal(get16(p + OF10_FEATURES_LEN), 1);    /* first port */
	/* one gratuitous ARP per host, unbuffered, from the hosts' port */
	for (int h = 0; h < 2; h++) {
		p = sent(f, OF10_PACKET_IN, h);
		assert_non_null(p);
		assert_int_equal(get32(p + OF10_PI_OFF_BUFFER_ID), OF10_NO_BUFFER);
		assert_int_equal(get16(p + OF10_PI_OFF_IN_PORT), 2);
		assert_int_equal(get16(p + OF10_PI_DATA + 12), ETHTYPE_ARP);
		assert_int_equal(p[OF10_PI_DATA + 11], h);    /* host MAC ends in h */
	}
	assert_null(sent(f, OF10_PACKET_IN, 2));
	/* announcements are handshake, not measurement */
	assert_int_equal(f->fs.c.packet_outs, 0);
}

static void test_counts_flow_mod_add_and_modify_strict_not_delete(void **state)
{
	struct fixture *f = *state;
	uint8_t m[128];

	handshake(f);
	/* the spec's numbers, not the code's macros: 0 ADD, 2 MODIFY_STRICT */
	flow_mod(m, 0, 5);
	handle(f, m);
	flow_mod(m, 2, 6);
	handle(f, m);
	flow_mod(m, 3 /* DELETE */, OF10_NO_BUFFER);
	handle(f, m);
	assert_int_equal(f->fs.c.flow_mods, 2);
	assert_int_equal(f->fs.c.other_flow_mods, 1);
}

static void test_counts_packet_outs_except_lldp(void **state)
{
	struct fixture *f = *state;
	uint8_t m[128];

	handshake(f);
	packet_out(m, 9, 0);
	handle(f, m);
	packet_out(m, OF10_NO_BUFFER, ETHTYPE_IPV4);
	handle(f, m);
	packet_out(m, OF10_NO_BUFFER, ETHTYPE_LLDP);
	handle(f, m);
	assert_int_equal(f->fs.c.packet_outs, 2);
}

static void test_short_replies_are_malformed_not_counted(void **state)
{
	struct fixture *f = *state;
	uint8_t m[128];

	handshake(f);
	flow_mod(m, OF10_FC_ADD, 5);
	put16(m + 2, 40);                             /* shorter than a flow_mod */
	assert_int_equal(handle(f, m), 0);
	packet_out(m, OF10_NO_BUFFER, ETHTYPE_IPV4);
	put16(m + OF10_PO_OFF_ACTIONS_LEN, 200);      /* actions past the end */
	assert_int_equal(handle(f, m), 0);
	assert_int_equal(f->fs.c.flow_mods + f->fs.c.packet_outs, 0);
	assert_int_equal(f->fs.c.bad_msgs, 2);
}

/* Latency mode: only a reply naming the outstanding packet-in's buffer
 * releases it; a stale one (say a packet-out after its flow-mod) is counted
 * but does not let the next packet-in go early. */
static void test_latency_mode_matches_replies_by_buffer_id(void **state)
{
	struct fixture *f = *state;
	uint8_t m[128];
	const uint8_t *pi;
	uint32_t bid;

	handshake(f);
	drain(f);
	f->fs.running = true;
	drain(f);
	pi = sent(f, OF10_PACKET_IN, 0);
	assert_non_null(pi);
	assert_null(sent(f, OF10_PACKET_IN, 1));      /* exactly one outstanding */
	bid = get32(pi + OF10_PI_OFF_BUFFER_ID);
	assert_int_equal(get16(pi + OF10_PI_OFF_IN_PORT), 1);
	assert_true(f->fs.outstanding);

	packet_out(m, bid + 100, 0);                  /* someone else's */
	handle(f, m);
	assert_true(f->fs.outstanding);
	flow_mod(m, OF10_FC_ADD, bid);
	handle(f, m);
	assert_false(f->fs.outstanding);
	assert_int_equal(f->fs.c.answered, 1);
	assert_int_equal(f->fs.c.packet_outs + f->fs.c.flow_mods, 2);

	drain(f);                                     /* the next one goes out */
	pi = sent(f, OF10_PACKET_IN, 0);
	assert_non_null(pi);
	assert_int_not_equal(get32(pi + OF10_PI_OFF_BUFFER_ID), bid);
	/* a fresh source MAC each time */
	assert_int_equal(pi[OF10_PI_DATA + 6], 0x02);
	assert_int_equal(pi[OF10_PI_DATA + 11], 1);
}

static void test_throughput_mode_fills_the_window(void **state)
{
	struct fixture *f = *state;

	handshake(f);
	drain(f);
	f->fs.running = true;
	drain(f);
	/* at least a window's worth went out, all packet-ins */
	assert_true(f->rx_len >= f->cfg.window);
	assert_non_null(sent(f, OF10_PACKET_IN, (int)(f->cfg.window / 78) - 1));
	assert_false(f->fs.outstanding);
}

static void test_answers_echo_barrier_config_and_rejects_vendor(void **state)
{
	struct fixture *f = *state;
	uint8_t m[64];
	const uint8_t *p;

	msg_header(m, OF10_ECHO_REQUEST, 12, 77);
	memcpy(m + 8, "ping", 4);
	handle(f, m);
	msg_header(m, OF10_SET_CONFIG, 12, 78);
	put16(m + 10, 0xffff);
	handle(f, m);
	msg_header(m, OF10_GET_CONFIG_REQUEST, 8, 79);
	handle(f, m);
	msg_header(m, OF10_BARRIER_REQUEST, 8, 80);
	handle(f, m);
	msg_header(m, OF10_VENDOR, 16, 81);
	handle(f, m);
	msg_header(m, OF10_STATS_REQUEST, 12, 82);    /* desc */
	handle(f, m);
	drain(f);
	assert_non_null(p = sent(f, OF10_ECHO_REPLY, 0));
	assert_int_equal(get32(p + 4), 77);
	assert_memory_equal(p + 8, "ping", 4);
	assert_non_null(p = sent(f, OF10_GET_CONFIG_REPLY, 0));
	assert_int_equal(get16(p + 10), 0xffff);      /* what set_config said */
	assert_non_null(p = sent(f, OF10_BARRIER_REPLY, 0));
	assert_int_equal(get32(p + 4), 80);
	assert_non_null(p = sent(f, OF10_ERROR, 0));
	assert_int_equal(get16(p + 8), OF10_ET_BAD_REQUEST);
	assert_int_equal(get16(p + 10), OF10_BRC_BAD_VENDOR);
	assert_int_equal(get32(p + 4), 81);
	assert_non_null(p = sent(f, OF10_STATS_REPLY, 0));
	assert_int_equal(get16(p + 2), OF10_STATS_LEN + OF10_DESC_STATS_LEN);
}

static void test_wrong_version_gets_bad_version_error(void **state)
{
	struct fixture *f = *state;
	uint8_t m[8];
	const uint8_t *p;

	msg_header(m, OF10_BARRIER_REQUEST, 8, 5);
	m[0] = 0x04;
	assert_int_equal(handle(f, m), 0);
	drain(f);
	assert_null(sent(f, OF10_BARRIER_REPLY, 0));
	assert_non_null(p = sent(f, OF10_ERROR, 0));
	assert_int_equal(get16(p + 10), OF10_BRC_BAD_VERSION);
	assert_int_equal(f->fs.c.bad_msgs, 1);
}

static void test_hello_below_1_0_is_fatal(void **state)
{
	struct fixture *f = *state;
	uint8_t m[8];

	msg_header(m, OF10_HELLO, 8, 1);
	m[0] = 0;
	assert_int_equal(handle(f, m), -1);
	assert_non_null(strstr(f->fs.err, "version 0"));
}

/* A length below the header's 8 bytes cannot be skipped safely: the stream
 * is out of sync and the switch says so rather than guessing. */
static void test_length_below_header_desynchronises_the_stream(void **state)
{
	struct fixture *f = *state;
	uint8_t m[16];

	msg_header(m, OF10_ECHO_REQUEST, 8, 1);
	msg_header(m + 8, OF10_ECHO_REQUEST, 8, 2);
	put16(m + 8 + 2, 4);
	assert_int_equal(write(f->ctl, m, sizeof(m)), (ssize_t)sizeof(m));
	assert_int_equal(fs_read(&f->fs, 0), -1);
	assert_non_null(strstr(f->fs.err, "out of sync"));
}

static void test_controller_closing_is_reported(void **state)
{
	struct fixture *f = *state;

	close(f->ctl);
	f->ctl = -1;
	assert_int_equal(fs_read(&f->fs, 0), -1);
	assert_non_null(strstr(f->fs.err, "closed"));
}

static void test_lost_packet_in_is_given_up_after_the_timeout(void **state)
{
	struct fixture *f = *state;

	handshake(f);
	f->fs.running = true;
	drain(f);
	assert_true(f->fs.outstanding);
	fs_tick(&f->fs, f->fs.out_sent_ns + f->cfg.lost_after_ns / 2);
	assert_true(f->fs.outstanding);
	fs_tick(&f->fs, f->fs.out_sent_ns + f->cfg.lost_after_ns + 1);
	assert_false(f->fs.outstanding);
	assert_int_equal(f->fs.c.lost, 1);
}

static int setup_throughput(void **state) { return setup_with(state, true); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_handshake_sends_hello_features_and_host_announcements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_flow_mod_add_and_modify_strict_not_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_packet_outs_except_lldp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_replies_are_malformed_not_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latency_mode_matches_replies_by_buffer_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_throughput_mode_fills_the_window, setup_throughput, teardown),
		cmocka_unit_test_setup_teardown(test_answers_echo_barrier_config_and_rejects_vendor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_version_gets_bad_version_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hello_below_1_0_is_fatal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_length_below_header_desynchronises_the_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_controller_closing_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_packet_in_is_given_up_after_the_timeout, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
