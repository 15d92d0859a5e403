/* test_trace_of.c - the OpenFlow entry point of traces, called directly as
 * the controller will: packet-ins and packet-outs join the sessions whose
 * filter takes the frame they carry, flow-mods those whose filter their
 * match satisfies, each only in its own direction; readers get the raw
 * OpenFlow bytes with type, dpid and port; the pcapng block marks them as
 * OpenFlow. The trace core runs on real (unpinned) BPF maps.
 */
#include "nfplane/trace.h"
#include "trace/format.h"
#include "trace/of.h"
#include "trace/of_hook.h"
#include "trace/trace.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static const uint8_t HOST_MAC[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t OTHER_MAC[6] = { 0x02, 0x99, 0, 0, 0, 0x01 };

struct got {
	int n;
	struct nfp_trace_item it;
	uint8_t data[256];
	char id[NFP_TRACE_ID_LEN + 1];
	int ended;
};

static int sink_deliver(void *ctx, const char *id, const struct nfp_trace_item *it, uint64_t lost)
{
	struct got *g = ctx;

	(void)lost;
	g->n++;
	g->it = *it;
	memcpy(g->data, it->data, it->cap_len < sizeof(g->data) ? it->cap_len : sizeof(g->data));
	g->it.data = g->data;
	snprintf(g->id, sizeof(g->id), "%s", id);
	return 0;
}

static void sink_end(void *ctx, const char *id, const char *reason)
{
	struct got *g = ctx;

	(void)id;
	(void)reason;
	g->ended++;
}

static const struct nfp_trace_sink sink = { sink_deliver, sink_end };

struct fixture {
	struct nfp_loop *loop;
	struct nfp_trace *t;
	struct nfp_trace_maps m;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct nfp_trace_config cfg = NFP_TRACE_DEFAULT_CONFIG;

	fx->loop = nfp_loop_new();
	fx->m.ctl_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_ctl", 4, sizeof(struct nfp_trace_ctl), 1, NULL);
	fx->m.filt_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "t_filt", 4, sizeof(struct nfp_trace_filter),
				       2 * NFP_TRACE_MAX_SLOTS, NULL);
	fx->m.ring_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "t_ring", 0, 0, 65536, NULL);
	fx->m.stats_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "t_stats", 4,
					sizeof(struct nfp_trace_stats), 1, NULL);
	assert_true(fx->m.ctl_fd >= 0 && fx->m.filt_fd >= 0 && fx->m.ring_fd >= 0 &&
		    fx->m.stats_fd >= 0);
	assert_int_equal(nfp_trace_new(&fx->t, fx->loop, &fx->m, &cfg), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	nfp_trace_free(fx->t);
	nfp_loop_free(fx->loop);
	close(fx->m.ctl_fd);
	close(fx->m.filt_fd);
	close(fx->m.ring_fd);
	close(fx->m.stats_fd);
	free(fx);
	return 0;
}

/* A session on @mac in @dir with a sink reader; returns its id. */
static void session(struct fixture *fx, const uint8_t mac[6], int dir, struct got *g, char *id)
{
	struct nfp_trace_filter f = { .dir = (uint8_t)dir, .fields = NFP_TF_MAC, .snaplen = 64 };
	struct nfp_trace_reader *r;
	struct nfp_api_error err;

	memcpy(f.mac, mac, 6);
	assert_int_equal(nfp_trace_start(fx->t, &f, 60, NULL, id, &err), 0);
	assert_int_equal(nfp_trace_add_sink(fx->t, id, &sink, g, &r, &err), 0);
}

/* An OpenFlow 1.0 packet-in (type 10) carrying a frame from @src. */
static size_t packet_in(uint8_t *msg, uint8_t *frame, const uint8_t src[6])
{
	static const uint8_t dst[6] = { 0x02, 0xee, 0, 0, 0, 2 };
	size_t flen = 60, len = 18 + flen;

	memset(frame, 0, flen);
	memcpy(frame, dst, 6);
	memcpy(frame + 6, src, 6);
	frame[12] = 0x08;
	memset(msg, 0, len);
	msg[0] = 1;
	msg[1] = 10;
	msg[2] = (uint8_t)(len >> 8);
	msg[3] = (uint8_t)len;
	memcpy(msg + 18, frame, flen);
	return len;
}

static void packet_in_joins_matching_session(void **state)
{
	struct fixture *fx = *state;
	static struct got in, other; /* outlive the test: teardown ends the sessions */
	char id_in[NFP_TRACE_ID_LEN + 1], id_other[NFP_TRACE_ID_LEN + 1];
	uint8_t msg[128], frame[64];
	size_t len = packet_in(msg, frame, HOST_MAC);
	struct nfp_trace_of_msg m = { .dir = NFP_TRACE_DIR_IN, .dpid = 0xabcdef, .port = 3,
				      .msg = msg, .msg_len = len, .frame = frame,
				      .frame_len = 60 };

	session(fx, HOST_MAC, NFP_TRACE_DIR_BOTH, &in, id_in);
	session(fx, OTHER_MAC, NFP_TRACE_DIR_BOTH, &other, id_other);
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 1);
	assert_int_equal(in.n, 1);
	assert_int_equal(other.n, 0);
	assert_string_equal(in.id, id_in);
	assert_int_equal(in.it.kind, NFP_TRACE_ITEM_OPENFLOW);
	assert_int_equal(in.it.of_type, 10);
	assert_int_equal(in.it.of_version, 1);
	assert_int_equal(in.it.dpid, 0xabcdef);
	assert_int_equal(in.it.port, 3);
	assert_int_equal(in.it.dir, NFP_TRACE_DIR_IN);
	/* raw OpenFlow bytes, whole (snaplen is for dataplane packets) */
	assert_int_equal(in.it.cap_len, len);
	assert_memory_equal(in.data, msg, len);
}

static void direction_is_honoured(void **state)
{
	struct fixture *fx = *state;
	static struct got in_only;
	char id[NFP_TRACE_ID_LEN + 1];
	uint8_t msg[128], frame[64];
	size_t len = packet_in(msg, frame, HOST_MAC);
	struct nfp_trace_of_msg out = { .dir = NFP_TRACE_DIR_OUT, .dpid = 1, .port = 1,
					.msg = msg, .msg_len = len, .frame = frame,
					.frame_len = 60 };

	msg[1] = 13; /* packet-out */
	session(fx, HOST_MAC, NFP_TRACE_DIR_IN, &in_only, id);
	assert_int_equal(nfp_trace_of_message(fx->t, &out), 0);
	assert_int_equal(in_only.n, 0);
	out.dir = NFP_TRACE_DIR_IN;
	msg[1] = 10;
	assert_int_equal(nfp_trace_of_message(fx->t, &out), 1);
	assert_int_equal(in_only.n, 1);
}

static void flow_mod_matches_by_its_match(void **state)
{
	struct fixture *fx = *state;
	static struct got g;
	char id[NFP_TRACE_ID_LEN + 1];
	uint8_t msg[72] = { 1, 14, 0, 72 };
	struct nfp_trace_of_match match = { .fields = NFP_TRACE_OFM_DL_DST };
	struct nfp_trace_of_msg m = { .dir = NFP_TRACE_DIR_OUT, .dpid = 7, .port = 2,
				      .msg = msg, .msg_len = sizeof(msg), .match = &match };

	session(fx, HOST_MAC, NFP_TRACE_DIR_OUT, &g, id);
	memcpy(match.dl_dst, HOST_MAC, 6);
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 1);
	assert_int_equal(g.it.of_type, 14);
	/* the MAC wildcarded: the flow-mod is not about this host */
	match.fields = NFP_TRACE_OFM_NW_PROTO;
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 0);
	/* another MAC */
	match.fields = NFP_TRACE_OFM_DL_SRC;
	memcpy(match.dl_src, OTHER_MAC, 6);
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 0);
	assert_int_equal(g.n, 1);
}

static void bad_or_idle_calls(void **state)
{
	struct fixture *fx = *state;
	uint8_t msg[8] = { 1, 10, 0, 8 };
	struct nfp_trace_of_msg m = { .dir = NFP_TRACE_DIR_IN, .msg = msg, .msg_len = 4 };

	assert_int_equal(nfp_trace_of_message(fx->t, &m), -EINVAL);
	m.msg_len = 8;
	m.dir = 7;
	assert_int_equal(nfp_trace_of_message(fx->t, &m), -EINVAL);
	m.dir = NFP_TRACE_DIR_IN;
	assert_int_equal(nfp_trace_of_message(NULL, &m), 0);   /* traces not running */
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 0);  /* no session */
}

static void session_end_reaches_sink(void **state)
{
	struct fixture *fx = *state;
	static struct got g;
	char id[NFP_TRACE_ID_LEN + 1];
	struct nfp_api_error err;

	session(fx, HOST_MAC, NFP_TRACE_DIR_BOTH, &g, id);
	assert_int_equal(nfp_trace_extend(fx->t, id, -1, &err), 0);
	assert_int_equal(g.ended, 1);
	assert_false(nfp_trace_exists(fx->t, id));
}

/* The pcapng block of an OpenFlow item: interface 0, the synthetic
 * Ethernet/IPv4/TCP header to port 6653, the message, and a comment. */
static void pcapng_marks_openflow(void **state)
{
	uint8_t msg[20] = { 1, 10, 0, 20 }, buf[NFP_PCAPNG_MAX_BLOCK];
	struct nfp_trace_item it = { .kind = NFP_TRACE_ITEM_OPENFLOW, .dir = NFP_TRACE_DIR_IN,
				     .orig_len = 20, .data = msg, .cap_len = 20, .of_version = 1,
				     .of_type = 10, .dpid = 0x42, .port = 5 };
	struct nfp_pcapng st;
	uint32_t v;
	size_t n;

	(void)state;
	n = nfp_pcapng_begin(&st, buf);
	assert_true(n > 0);
	n = nfp_pcapng_item(&st, buf, &it, 0);
	memcpy(&v, buf, 4);
	assert_int_equal(v, 6);                      /* enhanced packet block */
	memcpy(&v, buf + 8, 4);
	assert_int_equal(v, 0);                      /* interface 0: "openflow" */
	memcpy(&v, buf + 20, 4);
	assert_int_equal(v, 54 + 20);                /* captured: headers + message */
	assert_int_equal(buf[28 + 12], 0x08);        /* IPv4 */
	assert_int_equal(buf[28 + 23], 6);           /* TCP */
	assert_int_equal(buf[28 + 36] << 8 | buf[28 + 37], 6653); /* to the controller */
	assert_memory_equal(buf + 28 + 54, msg, 20);
	assert_non_null(memmem(buf, n, "openflow packet_in dpid=0000000000000042 port=5", 47));
}

/* Traces' tap on the controller, fed whole wire messages (decoded by the
 * controller's codec). */
static void hook_decodes_of10_and_of13(void **state)
{
	struct fixture *fx = *state;
	static struct got in, out;
	char id_in[NFP_TRACE_ID_LEN + 1], id_out[NFP_TRACE_ID_LEN + 1];
	uint8_t frame[64], m10[128], m13[160] = { 0 }, fm10[72] = { 0 }, fm13[72] = { 0 };
	size_t len10 = packet_in(m10, frame, HOST_MAC), len13;

	session(fx, HOST_MAC, NFP_TRACE_DIR_IN, &in, id_in);
	session(fx, HOST_MAC, NFP_TRACE_DIR_OUT, &out, id_out);

	/* OpenFlow 1.0 packet-in, in_port 3 */
	m10[15] = 3;
	nfp_trace_of_wire(fx->t, OF_TAP_IN, 9, m10, len10);
	assert_int_equal(in.n, 1);
	assert_int_equal(in.it.port, 3);
	assert_int_equal(in.it.dpid, 9);

	/* OpenFlow 1.3 packet-in: match {OXM IN_PORT = 5} padded to 16, 2 pad, frame */
	len13 = 24 + 16 + 2 + 60;
	m13[0] = 4, m13[1] = 10, m13[2] = 0, m13[3] = (uint8_t)len13;
	m13[24] = 0, m13[25] = 1, m13[26] = 0, m13[27] = 12;          /* OXM match, length 12 */
	m13[28] = 0x80, m13[29] = 0, m13[30] = 0 << 1, m13[31] = 4;    /* IN_PORT, 4 bytes */
	m13[35] = 5;
	memcpy(m13 + 42, frame, 60);
	nfp_trace_of_wire(fx->t, OF_TAP_IN, 9, m13, len13);
	assert_int_equal(in.n, 2);
	assert_int_equal(in.it.of_version, 4);
	assert_int_equal(in.it.port, 5);

	/* OpenFlow 1.0 flow-mod: everything wildcarded but dl_dst, out_port 4 */
	fm10[0] = 1, fm10[1] = 14, fm10[3] = 72;
	uint32_t wc = htonl(0x3fffff & ~0x8u);
	memcpy(fm10 + 8, &wc, 4);
	memcpy(fm10 + 8 + 12, HOST_MAC, 6);
	fm10[69] = 4;
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm10, 72);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.it.of_type, 14);
	assert_int_equal(out.it.port, 4);
	/* the same with dl_dst wildcarded: not about this host */
	wc = htonl(0x3fffff);
	memcpy(fm10 + 8, &wc, 4);
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm10, 72);
	assert_int_equal(out.n, 1);

	/* OpenFlow 1.3 flow-mod: match {ETH_SRC = host} at 48, padded to 16, and
	 * no instructions (the codec refuses 8 zero bytes as an instruction) */
	fm13[0] = 4, fm13[1] = 14, fm13[3] = 64;
	fm13[39] = 6;                                               /* out_port 6 */
	fm13[48] = 0, fm13[49] = 1, fm13[50] = 0, fm13[51] = 14;    /* OXM match, length 14 */
	fm13[52] = 0x80, fm13[53] = 0, fm13[54] = 4 << 1, fm13[55] = 6;
	memcpy(fm13 + 56, HOST_MAC, 6);
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm13, 64);
	assert_int_equal(out.n, 2);
	assert_int_equal(out.it.port, 6);

	/* lies about its length, or truncated: ignored, never read past */
	m10[3] = (uint8_t)(len10 + 1);
	nfp_trace_of_wire(fx->t, OF_TAP_IN, 9, m10, len10);
	nfp_trace_of_wire(fx->t, OF_TAP_IN, 9, m13, 20);
	assert_int_equal(in.n, 2);
}

/* A session on an IP prefix (family 4 or 6), any direction. */
static void ip_session(struct fixture *fx, int family, const char *addr, int prefix,
		       struct got *g, char *id)
{
	struct nfp_trace_filter f = { .dir = NFP_TRACE_DIR_BOTH, .fields = NFP_TF_IP,
				      .family = (uint8_t)family, .snaplen = 64 };
	struct nfp_trace_reader *r;
	struct nfp_api_error err;

	assert_int_equal(inet_pton(family == 6 ? AF_INET6 : AF_INET, addr, f.addr), 1);
	for (int i = 0; i < 4; i++) {
		int bits = prefix - 32 * i;

		f.mask[i] = bits >= 32 ? 0xffffffffu : bits <= 0 ? 0 : htonl(~0u << (32 - bits));
		f.addr[i] &= f.mask[i];
	}
	assert_int_equal(nfp_trace_start(fx->t, &f, 60, NULL, id, &err), 0);
	assert_int_equal(nfp_trace_add_sink(fx->t, id, &sink, g, &r, &err), 0);
}

/* An OpenFlow 1.3 flow-mod whose match is one OXM IPv6 address field
 * (26 IPV6_SRC or 27 IPV6_DST), with a mask when @mask is not NULL. */
static size_t flow_mod13_ipv6(uint8_t *fm, int field, const char *addr, const char *mask)
{
	/* match header 4, ETH_TYPE 4 + 2, the address 4 + flen; padded to 8 */
	size_t flen = mask ? 32 : 16, mlen = 4 + 6 + 4 + flen, len = 48 + (mlen + 7) / 8 * 8;

	memset(fm, 0, len);
	fm[0] = 4, fm[1] = 14, fm[3] = (uint8_t)len;
	fm[48] = 0, fm[49] = 1, fm[50] = 0, fm[51] = (uint8_t)mlen;
	/* prerequisite ETH_TYPE = 0x86dd, then the address */
	fm[52] = 0x80, fm[53] = 0, fm[54] = 5 << 1, fm[55] = 2, fm[56] = 0x86, fm[57] = 0xdd;
	fm[58] = 0x80, fm[59] = 0, fm[60] = (uint8_t)(field << 1 | (mask != NULL));
	fm[61] = (uint8_t)flen;
	assert_int_equal(inet_pton(AF_INET6, addr, fm + 62), 1);
	if (mask)
		assert_int_equal(inet_pton(AF_INET6, mask, fm + 78), 1);
	return len;
}

static void flow_mod_ipv6_match_joins_ipv6_sessions(void **state)
{
	struct fixture *fx = *state;
	static struct got v6, v4;
	char id6[NFP_TRACE_ID_LEN + 1], id4[NFP_TRACE_ID_LEN + 1];
	uint8_t fm[128];
	size_t len;

	ip_session(fx, 6, "2001:db8:1::", 64, &v6, id6);
	ip_session(fx, 4, "10.0.0.0", 8, &v4, id4);
	/* an exact IPv6 destination inside the /64 */
	len = flow_mod13_ipv6(fm, 27, "2001:db8:1::7", NULL);
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm, len);
	assert_int_equal(v6.n, 1);
	assert_int_equal(v4.n, 0);
	/* a source prefix exactly the session's: still about it */
	len = flow_mod13_ipv6(fm, 26, "2001:db8:1::", "ffff:ffff:ffff:ffff::");
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm, len);
	assert_int_equal(v6.n, 2);
	/* wider than the session (a /32): covers other hosts too, not taken */
	len = flow_mod13_ipv6(fm, 26, "2001:db8::", "ffff:ffff::");
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm, len);
	assert_int_equal(v6.n, 2);
	/* another prefix */
	len = flow_mod13_ipv6(fm, 27, "2001:db8:2::7", NULL);
	nfp_trace_of_wire(fx->t, OF_TAP_OUT, 9, fm, len);
	assert_int_equal(v6.n, 2);
	assert_int_equal(v4.n, 0);
}

/* The frame a packet-in carries is parsed by the dataplane's parser: an
 * IPv6 TCP segment behind a hop-by-hop options header still has its ports
 * (a session on port 80 takes it), as on the dataplane. */
static void packet_in_frame_skips_ipv6_extension_headers(void **state)
{
	struct fixture *fx = *state;
	static struct got g;
	char id[NFP_TRACE_ID_LEN + 1];
	struct nfp_trace_filter f = { .dir = NFP_TRACE_DIR_BOTH, .fields = NFP_TF_PORT, .port = 80,
				      .snaplen = 64 };
	struct nfp_trace_reader *r;
	struct nfp_api_error err;
	uint8_t frame[14 + 40 + 8 + 20] = { 0 }, msg[18 + sizeof(frame)] = { 0 };
	struct nfp_trace_of_msg m = { .dir = NFP_TRACE_DIR_IN, .dpid = 1, .port = 1, .msg = msg,
				      .msg_len = sizeof(msg), .frame = frame,
				      .frame_len = sizeof(frame) };

	assert_int_equal(nfp_trace_start(fx->t, &f, 60, NULL, id, &err), 0);
	assert_int_equal(nfp_trace_add_sink(fx->t, id, &sink, &g, &r, &err), 0);
	memcpy(frame + 6, HOST_MAC, 6);
	frame[12] = 0x86, frame[13] = 0xdd;
	frame[14] = 0x60;
	frame[14 + 5] = 8 + 20;           /* payload length */
	frame[14 + 6] = 0;                /* next header: hop-by-hop options */
	frame[14 + 7] = 64;
	frame[14 + 8] = 0x20, frame[14 + 9] = 0x01; /* 2001::/16 addresses */
	frame[14 + 24] = 0x20, frame[14 + 25] = 0x01;
	frame[54] = 6;                    /* hop-by-hop: next header TCP, 8 bytes */
	frame[62] = 0x30, frame[63] = 0x39; /* TCP 12345 -> 80, doff 5 */
	frame[64] = 0, frame[65] = 80;
	frame[62 + 12] = 0x50;
	msg[0] = 1, msg[1] = 10, msg[3] = (uint8_t)sizeof(msg);
	memcpy(msg + 18, frame, sizeof(frame));
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 1);
	assert_int_equal(g.n, 1);
	/* the same segment to port 81: not this session's */
	frame[65] = 81;
	assert_int_equal(nfp_trace_of_message(fx->t, &m), 0);
	assert_int_equal(g.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(packet_in_joins_matching_session, setup, teardown),
		cmocka_unit_test_setup_teardown(direction_is_honoured, setup, teardown),
		cmocka_unit_test_setup_teardown(flow_mod_matches_by_its_match, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_or_idle_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(session_end_reaches_sink, setup, teardown),
		cmocka_unit_test(pcapng_marks_openflow),
		cmocka_unit_test_setup_teardown(hook_decodes_of10_and_of13, setup, teardown),
		cmocka_unit_test_setup_teardown(flow_mod_ipv6_match_joins_ipv6_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(packet_in_frame_skips_ipv6_extension_headers, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
