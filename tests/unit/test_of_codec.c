/* test_of_codec.c - the OpenFlow 1.0/1.3 codec: round trips of every message
 * the controller sends or receives, truncated and over-long lengths, unknown
 * types and versions, OXM prerequisites, and multipart reassembly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t versions[] = { OF_VERSION_10, OF_VERSION_13 };
static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

/* Frame the single message in @b and check its header. */
static const uint8_t *framed(const struct of_buf *b, uint8_t version, uint8_t type, size_t *len)
{
	struct of_header h;
	long n = of_frame(b->data, b->len, &h);

	assert_int_equal(n, (long)b->len);
	assert_int_equal(h.version, version);
	assert_int_equal(h.type, type);
	*len = (size_t)n;
	return b->data;
}

static void test_framing(void **state)
{
	uint8_t partial[] = { 1, 0, 0, 16, 0, 0, 0, 1, 0xaa };
	uint8_t short_len[] = { 1, 0, 0, 4, 0, 0, 0, 1 };
	struct of_header h;

	(void)state;
	assert_int_equal(of_frame(partial, 4, &h), 0);               /* no header yet */
	assert_int_equal(of_frame(partial, sizeof(partial), &h), 0); /* body pending */
	assert_int_equal(h.length, 16);
	assert_int_equal(of_frame(short_len, sizeof(short_len), &h), -1);
}

static void test_hello_negotiation(void **state)
{
	struct of_buf b = { 0 };
	uint32_t bitmap;
	size_t len;
	const uint8_t *m;
	/* a 1.0 switch: header only */
	uint8_t hello10[] = { 1, 0, 0, 8, 0, 0, 0, 1 };
	/* OVS offering 1.0-1.5 with a bitmap; an element with a bad length */
	uint8_t hello15[] = { 6, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x7e };
	uint8_t bad_elem[] = { 4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 40, 0, 0, 0, 0x12 };
	uint8_t hello12[] = { 3, 0, 0, 8, 0, 0, 0, 1 };
	uint8_t only11[] = { 4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x04 };

	(void)state;
	assert_int_equal(of_encode_hello(&b, 7, OF_OUR_VERSIONS), 0);
	m = framed(&b, OF_VERSION_13, OFPT_HELLO, &len);
	assert_int_equal(len, 16);
	assert_int_equal(of_decode_hello(m, len, &bitmap), OF_OK);
	assert_int_equal(bitmap, OF_OUR_VERSIONS);

	assert_int_equal(of_decode_hello(hello10, sizeof(hello10), &bitmap), OF_OK);
	assert_int_equal(of_negotiate(OF_OUR_VERSIONS, hello10[0], bitmap), OF_VERSION_10);
	assert_int_equal(of_decode_hello(hello15, sizeof(hello15), &bitmap), OF_OK);
	assert_int_equal(of_negotiate(OF_OUR_VERSIONS, hello15[0], bitmap), OF_VERSION_13);
	assert_int_equal(of_decode_hello(bad_elem, sizeof(bad_elem), &bitmap), OF_E_BAD_LEN);
	/* 1.2 without a bitmap: the lower version is 1.2, which we do not speak */
	assert_int_equal(of_decode_hello(hello12, sizeof(hello12), &bitmap), OF_OK);
	assert_int_equal(of_negotiate(OF_OUR_VERSIONS, hello12[0], bitmap), 0);
	/* a bitmap with only 1.2: nothing common */
	assert_int_equal(of_decode_hello(only11, sizeof(only11), &bitmap), OF_OK);
	assert_int_equal(of_negotiate(OF_OUR_VERSIONS, only11[0], bitmap), 0);
	of_buf_free(&b);
}

static void test_error_roundtrip_and_mapping(void **state)
{
	struct of_buf b = { 0 };
	struct of_error_msg e;
	uint8_t req[100];
	uint16_t t, c;
	size_t len;
	const uint8_t *m;

	(void)state;
	memset(req, 0x5a, sizeof(req));
	assert_int_equal(of_encode_error_for(&b, OF_VERSION_13, 9, OF_E_MATCH_BAD_PREREQ, req,
					     sizeof(req)), 0);
	m = framed(&b, OF_VERSION_13, OFPT_ERROR, &len);
	assert_int_equal(len, 12 + 64); /* at most 64 bytes of the request */
	assert_int_equal(of_decode_error(m, len, &e), OF_OK);
	assert_int_equal(e.type, 4);  /* BAD_MATCH */
	assert_int_equal(e.code, 9);  /* BAD_PREREQ */
	assert_int_equal(e.data_len, 64);
	assert_int_equal(of_decode_error(m, 10, &e), OF_E_BAD_LEN);
	of_error_wire(OF_VERSION_10, OF_E_BAD_LEN, &t, &c);
	assert_int_equal(t, 1);
	assert_int_equal(c, 6);
	of_error_wire(OF_VERSION_13, OF_E_ACTION_MATCH_INCONSISTENT, &t, &c);
	assert_int_equal(t, 2);
	assert_int_equal(c, 10);
	of_error_wire(OF_VERSION_10, OF_E_HELLO_INCOMPATIBLE, &t, &c);
	assert_int_equal(t, 0);
	assert_int_equal(c, 0);
	of_buf_free(&b);
}

static struct of_flow_mod sample_flow_mod(void)
{
	struct of_flow_mod fm;

	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match.fields = OF_F_IN_PORT | OF_F_ETH_TYPE | OF_F_IP_PROTO | OF_F_IPV4_DST |
			  OF_F_TP_DST | OF_F_VLAN_VID;
	fm.match.in_port = 3;
	of_match_set_eth_src(&fm.match, mac_a);
	fm.match.eth_type = 0x0800;
	fm.match.ip_proto = 6;
	fm.match.ipv4_dst = 0x0a000000;
	fm.match.ipv4_dst_mask = 0xffffff00;
	fm.match.tp_dst = 80;
	fm.match.vlan_vid = 10;
	fm.cookie = 0x1122334455667788ull;
	fm.idle_timeout = 60;
	fm.priority = 100;
	fm.flags = OF_FF_SEND_FLOW_REM;
	fm.actions.a[fm.actions.n++] = (struct of_action){ .type = OF_ACT_SET_VLAN_VID, .value = 20 };
	fm.actions.a[fm.actions.n++] = (struct of_action){ .type = OF_ACT_SET_TP_DST, .value = 8080 };
	fm.actions.a[fm.actions.n] = (struct of_action){ .type = OF_ACT_SET_ETH_DST };
	memcpy(fm.actions.a[fm.actions.n++].mac, mac_b, 6);
	of_actions_output(&fm.actions, 2);
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	return fm;
}

static void test_flow_mod_roundtrip(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_flow_mod fm = sample_flow_mod(), got;
		struct of_buf b = { 0 };
		size_t len;
		const uint8_t *m;

		assert_int_equal(of_encode_flow_mod(&b, versions[v], 42, &fm), 0);
		m = framed(&b, versions[v], OFPT_FLOW_MOD, &len);
		assert_int_equal(len % 8, 0);
		assert_int_equal(of_decode_flow_mod(m, len, &got), OF_OK);
		assert_int_equal(got.match.fields, fm.match.fields);
		assert_memory_equal(&got.match, &fm.match, sizeof(fm.match));
		assert_int_equal(got.cookie, fm.cookie);
		assert_int_equal(got.idle_timeout, 60);
		assert_int_equal(got.priority, 100);
		assert_int_equal(got.flags, OF_FF_SEND_FLOW_REM);
		assert_int_equal(got.buffer_id, OF_NO_BUFFER);
		assert_int_equal(got.actions.n, fm.actions.n);
		for (int i = 0; i < fm.actions.n; i++) {
			assert_int_equal(got.actions.a[i].type, fm.actions.a[i].type);
			assert_int_equal(got.actions.a[i].value, fm.actions.a[i].value);
		}
		assert_memory_equal(got.actions.a[2].mac, mac_b, 6);
		/* a length that cuts into the fixed part, the match or an action is
		 * refused (1.0 actions run to the end of the message, so cutting
		 * between two actions is a valid, shorter flow-mod) */
		for (size_t l = 8; l < len; l++) {
			/* 1.3: cutting just after the match leaves a valid flow-mod
			 * with no instructions */
			size_t valid_cut = versions[v] == OF_VERSION_10
						   ? OFP10_FLOW_MOD_LEN
						   : 48 + ((of_get16(m + 50) + 7u) & ~7u);

			if (l % 8 || l < valid_cut || (versions[v] == OF_VERSION_13 && l != valid_cut))
				assert_int_not_equal(of_decode_flow_mod(m, l, &got), OF_OK);
		}
		of_buf_free(&b);
	}
}

static void test_flow_mod_refuses_what_a_version_cannot_say(void **state)
{
	struct of_flow_mod fm;
	struct of_buf b = { 0 };

	(void)state;
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match.fields = OF_F_ETH_DST;
	memcpy(fm.match.eth_dst, mac_a, 6);
	memset(fm.match.eth_dst_mask, 0xff, 6);
	fm.match.eth_dst_mask[5] = 0; /* a masked MAC: 1.3 yes, 1.0 no */
	assert_int_equal(of_encode_flow_mod(&b, OF_VERSION_10, 1, &fm), -EINVAL);
	assert_int_equal(b.len, 0); /* rolled back */
	assert_int_equal(of_encode_flow_mod(&b, OF_VERSION_13, 1, &fm), 0);
	/* a transport port without ip_proto cannot be encoded in OXM */
	b.len = 0;
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match.fields = OF_F_TP_DST;
	fm.match.tp_dst = 53;
	assert_int_equal(of_encode_flow_mod(&b, OF_VERSION_13, 1, &fm), -EINVAL);
	assert_int_equal(b.len, 0);
	of_buf_free(&b);
}

/* Hand-built 1.3 flow-mods with OXM lists in the wrong order, duplicated,
 * masked where no mask is allowed, and set-fields without prerequisites. */
static size_t flow_mod13(uint8_t *out, const uint8_t *oxm, size_t oxm_len, const uint8_t *inst,
			 size_t inst_len)
{
	size_t mlen = 4 + oxm_len, padded = (mlen + 7) & ~7u, len = 48 + padded + inst_len;

	memset(out, 0, len);
	out[0] = 4;
	out[1] = OFPT_FLOW_MOD;
	of_put16(out + 2, (uint16_t)len);
	of_put32(out + 36, OF_PORT_ANY);
	of_put32(out + 40, OFP13_GROUP_ANY);
	of_put32(out + 32, OF_NO_BUFFER);
	of_put16(out + 48, OFPMT_OXM);
	of_put16(out + 50, (uint16_t)mlen);
	if (oxm_len)
		memcpy(out + 52, oxm, oxm_len);
	if (inst_len)
		memcpy(out + 48 + padded, inst, inst_len);
	return len;
}

static void test_oxm_prerequisites(void **state)
{
	static const uint8_t eth_ip[] = { 0x80, 0, OXM_ETH_TYPE << 1, 2, 0x08, 0x00 };
	static const uint8_t proto_tcp[] = { 0x80, 0, OXM_IP_PROTO << 1, 1, 6 };
	static const uint8_t tcp_dst[] = { 0x80, 0, OXM_TCP_DST << 1, 2, 0, 80 };
	static const uint8_t ipv4_masked_proto[] = { 0x80, 0, OXM_IP_PROTO << 1 | 1, 2, 6, 0xff };
	static const uint8_t metadata[] = { 0x80, 0, OXM_METADATA << 1, 8, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct {
		const char *what;
		const uint8_t *parts[3];
		size_t lens[3];
		enum of_err want;
	} cases[] = {
		{ "tcp_dst without anything", { tcp_dst }, { sizeof(tcp_dst) }, OF_E_MATCH_BAD_PREREQ },
		{ "ip_proto without eth_type", { proto_tcp }, { sizeof(proto_tcp) },
		  OF_E_MATCH_BAD_PREREQ },
		{ "tcp_dst before ip_proto", { eth_ip, tcp_dst, proto_tcp },
		  { sizeof(eth_ip), sizeof(tcp_dst), sizeof(proto_tcp) }, OF_E_MATCH_BAD_PREREQ },
		{ "in order", { eth_ip, proto_tcp, tcp_dst },
		  { sizeof(eth_ip), sizeof(proto_tcp), sizeof(tcp_dst) }, OF_OK },
		{ "duplicate", { eth_ip, eth_ip }, { sizeof(eth_ip), sizeof(eth_ip) },
		  OF_E_MATCH_DUP_FIELD },
		{ "mask on ip_proto", { eth_ip, ipv4_masked_proto },
		  { sizeof(eth_ip), sizeof(ipv4_masked_proto) }, OF_E_MATCH_BAD_MASK },
		{ "a field we cannot hold", { metadata }, { sizeof(metadata) }, OF_E_MATCH_BAD_FIELD },
	};
	uint8_t oxm[128], msg[256];
	struct of_flow_mod fm;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = 0, len;

		for (int k = 0; k < 3 && cases[i].parts[k]; k++) {
			memcpy(oxm + n, cases[i].parts[k], cases[i].lens[k]);
			n += cases[i].lens[k];
		}
		len = flow_mod13(msg, oxm, n, NULL, 0);
		print_message("# %s\n", cases[i].what);
		assert_int_equal(of_decode_flow_mod(msg, len, &fm), cases[i].want);
	}
}

/* IPv6 addresses in the match: OXM IPV6_SRC/IPV6_DST (masked or exact) with
 * ip_proto and TCP ports under eth_type 0x86dd, both ways; the prerequisite
 * is the IPv6 eth_type; 1.0 cannot say them; the one-line rendering. */
static void test_oxm_ipv6_fields(void **state)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 };
	static const uint8_t eth_ip6[] = { 0x80, 0, OXM_ETH_TYPE << 1, 2, 0x86, 0xdd };
	static const uint8_t eth_ip4[] = { 0x80, 0, OXM_ETH_TYPE << 1, 2, 0x08, 0x00 };
	static const uint8_t ip4_src[] = { 0x80, 0, OXM_IPV4_SRC << 1, 4, 10, 0, 0, 1 };
	static const uint8_t icmp4[] = { 0x80, 0, OXM_IP_PROTO << 1, 1, 1 };
	static const uint8_t icmp4_type[] = { 0x80, 0, OXM_ICMPV4_TYPE << 1, 1, 8 };
	uint8_t ip6_src[4 + 32] = { 0x80, 0, OXM_IPV6_SRC << 1 | 1, 32 }, oxm[128], msg[256];
	struct of_flow_mod fm, got;
	struct of_buf b = { 0 };
	const uint8_t *m;
	char text[256];
	size_t len;

	(void)state;
	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.match.fields = OF_F_ETH_TYPE | OF_F_IP_PROTO | OF_F_IPV6_SRC | OF_F_IPV6_DST | OF_F_TP_DST;
	fm.match.eth_type = 0x86dd;
	fm.match.ip_proto = 6;
	memcpy(fm.match.ipv6_src, src, 16);
	memset(fm.match.ipv6_src_mask, 0xff, 8); /* a /64 */
	memset(fm.match.ipv6_src + 8, 0, 8);
	memcpy(fm.match.ipv6_dst, dst, 16);
	memset(fm.match.ipv6_dst_mask, 0xff, 16);
	fm.match.tp_dst = 80;
	assert_int_equal(of_encode_flow_mod(&b, OF_VERSION_10, 1, &fm), -EINVAL);
	assert_int_equal(b.len, 0);
	assert_int_equal(of_encode_flow_mod(&b, OF_VERSION_13, 1, &fm), 0);
	m = framed(&b, OF_VERSION_13, OFPT_FLOW_MOD, &len);
	assert_int_equal(of_decode_flow_mod(m, len, &got), OF_OK); /* strict */
	assert_int_equal(got.match.fields, fm.match.fields);
	assert_memory_equal(&got.match, &fm.match, sizeof(fm.match));
	of_match_format(&got.match, text, sizeof(text));
	assert_string_equal(text, "dl_type=0x86dd,nw_proto=6,ipv6_src=2001:db8:1::/64,"
				  "ipv6_dst=2001:db8:2::9,tp_dst=80");

	/* a masked source on the wire: the value is stored masked */
	memcpy(ip6_src + 4, src, 16);
	memset(ip6_src + 20, 0xff, 4); /* a /32 */
	memcpy(oxm, eth_ip6, sizeof(eth_ip6));
	memcpy(oxm + sizeof(eth_ip6), ip6_src, sizeof(ip6_src));
	len = flow_mod13(msg, oxm, sizeof(eth_ip6) + sizeof(ip6_src), NULL, 0);
	assert_int_equal(of_decode_flow_mod(msg, len, &got), OF_OK);
	assert_int_equal(got.match.fields, OF_F_ETH_TYPE | OF_F_IPV6_SRC);
	assert_memory_equal(got.match.ipv6_src, src, 4);
	assert_int_equal(got.match.ipv6_src[15], 0);
	of_match_format(&got.match, text, sizeof(text));
	assert_string_equal(text, "dl_type=0x86dd,ipv6_src=2001:db8::/32");

	/* prerequisites: IPv6 addresses need 0x86dd, IPv4 ones 0x0800, and
	 * ICMPv4 type/code an IPv4 packet */
	len = flow_mod13(msg, ip6_src, sizeof(ip6_src), NULL, 0);
	assert_int_equal(of_decode_flow_mod(msg, len, &got), OF_E_MATCH_BAD_PREREQ);
	memcpy(oxm, eth_ip4, sizeof(eth_ip4));
	memcpy(oxm + sizeof(eth_ip4), ip6_src, sizeof(ip6_src));
	len = flow_mod13(msg, oxm, sizeof(eth_ip4) + sizeof(ip6_src), NULL, 0);
	assert_int_equal(of_decode_flow_mod(msg, len, &got), OF_E_MATCH_BAD_PREREQ);
	memcpy(oxm, eth_ip6, sizeof(eth_ip6));
	memcpy(oxm + sizeof(eth_ip6), ip4_src, sizeof(ip4_src));
	len = flow_mod13(msg, oxm, sizeof(eth_ip6) + sizeof(ip4_src), NULL, 0);
	assert_int_equal(of_decode_flow_mod(msg, len, &got), OF_E_MATCH_BAD_PREREQ);
	memcpy(oxm + sizeof(eth_ip6), icmp4, sizeof(icmp4));
	memcpy(oxm + sizeof(eth_ip6) + sizeof(icmp4), icmp4_type, sizeof(icmp4_type));
	len = flow_mod13(msg, oxm, sizeof(eth_ip6) + sizeof(icmp4) + sizeof(icmp4_type), NULL, 0);
	assert_int_equal(of_decode_flow_mod(msg, len, &got), OF_E_MATCH_BAD_PREREQ);
	/* what a switch reports about IPv6 addresses is no longer "+other" */
	memcpy(oxm + sizeof(eth_ip6), ip6_src, sizeof(ip6_src));
	len = flow_mod13(msg, oxm, sizeof(eth_ip6) + sizeof(ip6_src), NULL, 0);
	{
		size_t consumed;
		struct of_match mt;

		assert_int_equal(of_oxm_decode(msg + 48, len - 48, &mt, &consumed, false), OF_OK);
		assert_int_equal(mt.fields, OF_F_ETH_TYPE | OF_F_IPV6_SRC);
	}
	b.len = 0;
	fm.match.fields = OF_F_ETH_TYPE | OF_F_IPV6_DST;
	fm.match.eth_type = 0x0800; /* the encoder checks prerequisites too */
	assert_int_equal(of_encode_flow_mod(&b, OF_VERSION_13, 1, &fm), -EINVAL);
	assert_int_equal(b.len, 0);
	of_buf_free(&b);
}

/* of_decode_msg: whichever of packet-in, packet-out and flow-mod it is. */
static void test_decode_msg_by_type(void **state)
{
	uint8_t frame[20] = { 1, 2, 3 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 4, .data = frame,
				   .data_len = sizeof(frame) };
	struct of_buf b = { 0 };
	union of_msg_body body;
	struct of_msg m;

	(void)state;
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_flow_mod fm = sample_flow_mod();

		b.len = 0;
		assert_int_equal(of_encode_packet_in(&b, versions[v], 1, &pi), 0);
		assert_int_equal(of_decode_msg(b.data, b.len, &m, &body), OF_OK);
		assert_int_equal(m.kind, OF_MSG_PACKET_IN);
		assert_int_equal(m.packet_in->in_port, 4);
		assert_int_equal(m.packet_in->data_len, sizeof(frame));
		b.len = 0;
		assert_int_equal(of_encode_flow_mod(&b, versions[v], 2, &fm), 0);
		assert_int_equal(of_decode_msg(b.data, b.len, &m, &body), OF_OK);
		assert_int_equal(m.kind, OF_MSG_FLOW_MOD);
		assert_int_equal(m.flow_mod->priority, 100);
		b.len = 0;
		assert_int_equal(of_encode_simple(&b, versions[v], OFPT_ECHO_REQUEST, 3, NULL, 0), 0);
		assert_int_equal(of_decode_msg(b.data, b.len, &m, &body), OF_E_BAD_TYPE);
	}
	b.data[0] = 2; /* a version we do not speak */
	assert_int_not_equal(of_decode_msg(b.data, b.len, &m, &body), OF_OK);
	of_buf_free(&b);
}

static void test_set_field_prerequisites(void **state)
{
	/* apply-actions { set_field ipv4_src=10.0.0.1 } with an empty match */
	static const uint8_t inst[] = { 0, 4, 0, 24, 0, 0, 0, 0, 0, 25, 0, 16, 0x80, 0,
					OXM_IPV4_SRC << 1, 4, 10, 0, 0, 1, 0, 0, 0, 0 };
	static const uint8_t goto_table[] = { 0, 1, 0, 8, 1, 0, 0, 0 };
	static const uint8_t bad_inst_len[] = { 0, 4, 0, 12, 0, 0, 0, 0 };
	static const uint8_t eth_ip[] = { 0x80, 0, OXM_ETH_TYPE << 1, 2, 0x08, 0x00 };
	uint8_t msg[256];
	struct of_flow_mod fm;
	size_t len;

	(void)state;
	len = flow_mod13(msg, NULL, 0, inst, sizeof(inst));
	assert_int_equal(of_decode_flow_mod(msg, len, &fm), OF_E_ACTION_MATCH_INCONSISTENT);
	len = flow_mod13(msg, eth_ip, sizeof(eth_ip), inst, sizeof(inst));
	assert_int_equal(of_decode_flow_mod(msg, len, &fm), OF_OK);
	assert_int_equal(fm.actions.a[0].type, OF_ACT_SET_IPV4_SRC);
	assert_int_equal(fm.actions.a[0].value, 0x0a000001);
	len = flow_mod13(msg, NULL, 0, goto_table, sizeof(goto_table));
	assert_int_equal(of_decode_flow_mod(msg, len, &fm), OF_E_INST_UNSUPPORTED);
	len = flow_mod13(msg, NULL, 0, bad_inst_len, sizeof(bad_inst_len));
	assert_int_equal(of_decode_flow_mod(msg, len, &fm), OF_E_INST_BAD_LEN);
}

static void test_packet_in_out_roundtrip(void **state)
{
	uint8_t frame[60];

	(void)state;
	memset(frame, 0xab, sizeof(frame));
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .total_len = 60, .in_port = 7,
					   .reason = 0, .data = frame, .data_len = sizeof(frame) };
		struct of_packet_out po = { .buffer_id = OF_NO_BUFFER, .in_port = 7,
					    .data = frame, .data_len = sizeof(frame) }, got_po;
		struct of_packet_in got;
		struct of_buf b = { 0 };
		size_t len;
		const uint8_t *m;

		assert_int_equal(of_encode_packet_in(&b, versions[v], 1, &pi), 0);
		m = framed(&b, versions[v], OFPT_PACKET_IN, &len);
		assert_int_equal(of_decode_packet_in(m, len, &got), OF_OK);
		assert_int_equal(got.in_port, 7);
		assert_int_equal(got.total_len, 60);
		assert_int_equal(got.buffer_id, OF_NO_BUFFER);
		assert_int_equal(got.data_len, sizeof(frame));
		assert_memory_equal(got.data, frame, sizeof(frame));
		assert_int_not_equal(of_decode_packet_in(m, versions[v] == 1 ? 17 : 30, &got), OF_OK);

		b.len = 0;
		of_actions_output(&po.actions, OF_PORT_FLOOD);
		assert_int_equal(of_encode_packet_out(&b, versions[v], 2, &po), 0);
		m = framed(&b, versions[v], OFPT_PACKET_OUT, &len);
		assert_int_equal(of_decode_packet_out(m, len, &got_po), OF_OK);
		assert_int_equal(got_po.in_port, 7);
		assert_int_equal(got_po.actions.n, 1);
		assert_int_equal(got_po.actions.a[0].value, OF_PORT_FLOOD);
		assert_int_equal(got_po.data_len, sizeof(frame));
		/* an actions_len running past the message */
		b.data[versions[v] == 1 ? 15 : 17] = 0xf0;
		assert_int_equal(of_decode_packet_out(m, len, &got_po), OF_E_BAD_LEN);
		of_buf_free(&b);
	}
}

static void test_actions_malformed(void **state)
{
	static const uint8_t short_len[] = { 0, 0, 0, 4, 0, 1, 0, 0 };
	static const uint8_t odd_len[] = { 0, 0, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t too_long[] = { 0, 0, 0, 16, 0, 1, 0, 0 };
	static const uint8_t unknown[] = { 0, 99, 0, 8, 0, 0, 0, 0 };
	static const uint8_t out_none10[] = { 0, 0, 0, 8, 0xff, 0xff, 0, 0 };
	struct of_action_list l;
	uint8_t many[8 * (OF_MAX_ACTIONS + 1)];

	(void)state;
	assert_int_equal(of_actions_decode(1, short_len, sizeof(short_len), &l), OF_E_ACTION_BAD_LEN);
	assert_int_equal(of_actions_decode(1, odd_len, sizeof(odd_len), &l), OF_E_ACTION_BAD_LEN);
	assert_int_equal(of_actions_decode(1, too_long, sizeof(too_long), &l), OF_E_ACTION_BAD_LEN);
	assert_int_equal(of_actions_decode(4, unknown, sizeof(unknown), &l), OF_E_ACTION_BAD_TYPE);
	assert_int_equal(of_actions_decode(1, out_none10, sizeof(out_none10), &l),
			 OF_E_ACTION_BAD_OUT_PORT);
	for (int i = 0; i <= OF_MAX_ACTIONS; i++) {
		static const uint8_t out1[] = { 0, 0, 0, 8, 0, 1, 0, 0 };

		memcpy(many + 8 * i, out1, 8);
	}
	assert_int_equal(of_actions_decode(1, many, sizeof(many), &l), OF_E_ACTION_TOO_MANY);
}

static void test_features_ports_and_status(void **state)
{
	struct of_port ports[2] = {
		{ .port_no = 1, .hw_addr = { 2, 0, 0, 0, 0, 1 }, .name = "s1-eth1" },
		{ .port_no = OF_PORT_LOCAL, .name = "s1", .config = OF_PORT_CONFIG_DOWN },
	};
	struct of_features f = { .dpid = 0x0102030405060708ull, .n_buffers = 256, .n_tables = 254,
				 .capabilities = 0xc7 }, got;

	(void)state;
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_buf b = { 0 };
		struct of_port_status ps = { .reason = OF_PR_MODIFY, .port = ports[0] }, gps;
		struct of_port p;
		size_t len, off = 0;
		const uint8_t *m;
		int n = 0;

		assert_int_equal(of_encode_features_reply(&b, versions[v], 3, &f, ports, 2), 0);
		m = framed(&b, versions[v], OFPT_FEATURES_REPLY, &len);
		assert_int_equal(of_decode_features_reply(m, len, &got), OF_OK);
		assert_int_equal(got.dpid, f.dpid);
		assert_int_equal(got.n_tables, 254);
		if (versions[v] == OF_VERSION_10) {
			while (of_port_next(1, got.ports, got.ports_len, &off, &p) == 1) {
				assert_int_equal(p.port_no, ports[n].port_no);
				assert_string_equal(p.name, ports[n].name);
				n++;
			}
			assert_int_equal(n, 2);
			/* a port array that is not a whole number of ports */
			assert_int_equal(of_decode_features_reply(m, len - 1, &got), OF_E_BAD_LEN);
		} else {
			assert_int_equal(len, 32);
			assert_int_equal(of_decode_features_reply(m, len + 0, &got), OF_OK);
		}
		b.len = 0;
		assert_int_equal(of_encode_port_status(&b, versions[v], 0, &ps), 0);
		m = framed(&b, versions[v], OFPT_PORT_STATUS, &len);
		assert_int_equal(of_decode_port_status(m, len, &gps), OF_OK);
		assert_int_equal(gps.reason, OF_PR_MODIFY);
		assert_string_equal(gps.port.name, "s1-eth1");
		assert_memory_equal(gps.port.hw_addr, ports[0].hw_addr, 6);
		assert_int_equal(of_decode_port_status(m, len - 8, &gps), OF_E_BAD_LEN);
		of_buf_free(&b);
	}
}

static void test_flow_removed_roundtrip(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_flow_removed fr = { .cookie = 5, .priority = 10, .reason = 0,
					      .duration_sec = 61, .idle_timeout = 60,
					      .packet_count = 12, .byte_count = 1200 }, got;
		struct of_buf b = { 0 };
		size_t len;
		const uint8_t *m;

		of_match_set_eth_dst(&fr.match, mac_b);
		assert_int_equal(of_encode_flow_removed(&b, versions[v], 0, &fr), 0);
		m = framed(&b, versions[v], OFPT_FLOW_REMOVED, &len);
		assert_int_equal(of_decode_flow_removed(m, len, &got), OF_OK);
		assert_int_equal(got.packet_count, 12);
		assert_int_equal(got.duration_sec, 61);
		assert_memory_equal(got.match.eth_dst, mac_b, 6);
		assert_int_not_equal(of_decode_flow_removed(m, len - 8, &got), OF_OK);
		of_buf_free(&b);
	}
}

static void test_stats_request_roundtrip(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_stats_request rq = { .type = OF_ST_FLOW, .table_id = OF_TABLE_ALL,
					       .out_port = OF_PORT_ANY }, got;
		struct of_buf b = { 0 };
		size_t len;
		const uint8_t *m;

		of_match_set_eth_src(&rq.match, mac_a);
		assert_int_equal(of_encode_stats_request(&b, versions[v], 11, &rq), 0);
		m = framed(&b, versions[v], of_type_stats_request(versions[v]), &len);
		assert_int_equal(of_decode_stats_request(m, len, &got), OF_OK);
		assert_int_equal(got.type, OF_ST_FLOW);
		assert_int_equal(got.table_id, OF_TABLE_ALL);
		assert_int_equal(got.out_port, OF_PORT_ANY);
		assert_memory_equal(got.match.eth_src, mac_a, 6);
		/* unknown stats type */
		of_put16(b.data + 8, 77);
		assert_int_equal(of_decode_stats_request(m, len, &got), OF_E_BAD_STAT);
		b.len = 0;
		rq.type = OF_ST_PORT_DESC;
		assert_int_equal(of_encode_stats_request(&b, versions[v], 1, &rq),
				 versions[v] == OF_VERSION_13 ? 0 : -EINVAL);
		of_buf_free(&b);
	}
}

/* A flow stats reply split over three messages with MORE set on the first
 * two reassembles into one body that iterates to every entry. */
static void test_multipart_reassembly(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(versions); v++) {
		struct of_mp_assembly a = { 0 };
		struct of_buf body = { 0 }, msgs = { 0 };
		struct of_flow_stats fs = { .priority = 1, .packet_count = 3 }, got;
		size_t off = 0, n = 0, part_len;
		struct of_stats_part part;
		int r;

		of_actions_output(&fs.actions, 1);
		for (int i = 0; i < 3; i++) {
			fs.cookie = (uint64_t)i;
			assert_int_equal(of_encode_flow_stats(&body, versions[v], &fs), 0);
		}
		part_len = body.len / 3;
		for (int i = 0; i < 3; i++)
			assert_int_equal(of_encode_stats_reply(&msgs, versions[v], 9, OF_ST_FLOW,
							       i < 2 ? OFPSF_REPLY_MORE : 0,
							       body.data + i * part_len, part_len), 0);
		/* feed them as a stream */
		for (size_t pos = 0; pos < msgs.len;) {
			struct of_header h;
			long len = of_frame(msgs.data + pos, msgs.len - pos, &h);

			assert_true(len > 0);
			assert_int_equal(of_decode_stats_reply(msgs.data + pos, (size_t)len, &part), OF_OK);
			assert_int_equal(of_mp_add(&a, versions[v], &part), OF_OK);
			assert_int_equal(a.done, pos + (size_t)len == msgs.len);
			pos += (size_t)len;
		}
		while ((r = of_flow_stats_next(versions[v], a.body.data, a.body.len, &off, &got)) == 1) {
			assert_int_equal(got.cookie, n);
			assert_int_equal(got.packet_count, 3);
			assert_int_equal(got.actions.a[0].value, 1);
			n++;
		}
		assert_int_equal(r, 0);
		assert_int_equal(n, 3);
		/* a part of another type in the middle is refused */
		of_mp_reset(&a);
		part.type = OF_ST_FLOW;
		part.flags = OFPSF_REPLY_MORE;
		assert_int_equal(of_mp_add(&a, versions[v], &part), OF_OK);
		part.type = OF_ST_TABLE;
		assert_int_equal(of_mp_add(&a, versions[v], &part), OF_E_BAD_STAT);
		/* a truncated entry */
		off = 0;
		assert_true(of_flow_stats_next(versions[v], body.data, part_len - 8, &off, &got) < 0);
		of_buf_free(&a.body);
		of_buf_free(&body);
		of_buf_free(&msgs);
	}
}

static void test_other_stats_bodies(void **state)
{
	struct of_buf b = { 0 };
	struct of_desc_stats d = { 0 }, gd;
	struct of_aggregate_stats ag = { 10, 1000, 4 }, gag;
	struct of_table_stats ts = { .table_id = 0, .active_count = 5 }, gts;
	struct of_port_stats ps = { .port_no = 2, .rx_packets = 7, .collisions = 9 }, gps;
	size_t off = 0;

	(void)state;
	strcpy(d.mfr_desc, "nfplane");
	strcpy(d.dp_desc, "s1");
	assert_int_equal(of_encode_desc_stats(&b, &d), 0);
	assert_int_equal(of_decode_desc_stats(b.data, b.len, &gd), OF_OK);
	assert_string_equal(gd.dp_desc, "s1");
	assert_int_equal(of_decode_desc_stats(b.data, b.len - 1, &gd), OF_E_BAD_LEN);
	b.len = 0;
	assert_int_equal(of_encode_aggregate_stats(&b, &ag), 0);
	assert_int_equal(of_decode_aggregate_stats(b.data, b.len, &gag), OF_OK);
	assert_int_equal(gag.flow_count, 4);
	for (size_t v = 0; v < sizeof(versions); v++) {
		b.len = 0;
		off = 0;
		assert_int_equal(of_encode_table_stats(&b, versions[v], &ts), 0);
		assert_int_equal(of_table_stats_next(versions[v], b.data, b.len, &off, &gts), 1);
		assert_int_equal(gts.active_count, 5);
		assert_int_equal(of_table_stats_next(versions[v], b.data, b.len, &off, &gts), 0);
		b.len = 0;
		off = 0;
		assert_int_equal(of_encode_port_stats(&b, versions[v], &ps), 0);
		assert_int_equal(of_port_stats_next(versions[v], b.data, b.len, &off, &gps), 1);
		assert_int_equal(gps.rx_packets, 7);
		assert_int_equal(gps.collisions, 9);
		off = 0;
		assert_true(of_port_stats_next(versions[v], b.data, b.len - 1, &off, &gps) < 0);
	}
	of_buf_free(&b);
}

static void test_names(void **state)
{
	char buf[256];
	struct of_flow_mod fm = sample_flow_mod();

	(void)state;
	assert_string_equal(of_type_name(1, 16), "STATS_REQUEST");
	assert_string_equal(of_type_name(4, 18), "MULTIPART_REQUEST");
	assert_string_equal(of_type_name(4, 99), "UNKNOWN");
	assert_string_equal(of_match_format(&fm.match, buf, sizeof(buf)),
			    "in_port=3,dl_src=02:00:00:00:00:0a,dl_vlan=10,dl_type=0x0800,"
			    "nw_proto=6,nw_dst=10.0.0.0/24,tp_dst=80");
	assert_string_equal(of_actions_format(&fm.actions, buf, sizeof(buf)),
			    "set_vlan_vid:20,mod_tp_dst:8080,mod_dl_dst:02:00:00:00:00:0b,"
			    "output:2,output:CONTROLLER");
	/* a tiny buffer truncates, never overflows */
	assert_true(strlen(of_match_format(&fm.match, buf, 10)) < 10);
}

/* Random bytes behind valid headers, through every decoder: nothing may
 * read out of bounds (the sanitizer build checks) or crash. */
static void test_decoders_survive_random_bytes(void **state)
{
	static uint8_t msg[2048];
	unsigned seed = 12345;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		size_t len = 8 + (size_t)(rand_r(&seed) % 300);
		uint8_t *heap;
		union {
			struct of_flow_mod fm;
			struct of_packet_in pi;
			struct of_packet_out po;
			struct of_flow_removed fr;
			struct of_port_status ps;
			struct of_features f;
			struct of_stats_request rq;
			struct of_stats_part part;
			struct of_error_msg e;
			struct of_switch_config c;
		} u;
		uint32_t bitmap;
		struct of_flow_stats fs;
		struct of_port port;
		size_t off;

		for (size_t k = 0; k < len; k++)
			msg[k] = (uint8_t)rand_r(&seed);
		/* mostly plausible headers, so the bodies get exercised */
		msg[0] = (i & 1) ? OF_VERSION_10 : OF_VERSION_13;
		of_put16(msg + 2, (uint16_t)len);
		if (i % 3 == 0 && len > 60) /* a plausible OXM match header */
			of_put16(msg + 48, OFPMT_OXM);
		/* exact-size heap copy: ASan flags any read past @len */
		heap = malloc(len);
		memcpy(heap, msg, len);
		of_decode_hello(heap, len, &bitmap);
		of_decode_error(heap, len, &u.e);
		of_decode_features_reply(heap, len, &u.f);
		of_decode_switch_config(heap, len, &u.c);
		of_decode_packet_in(heap, len, &u.pi);
		of_decode_packet_out(heap, len, &u.po);
		of_decode_flow_mod(heap, len, &u.fm);
		of_decode_flow_removed(heap, len, &u.fr);
		of_decode_port_status(heap, len, &u.ps);
		of_decode_stats_request(heap, len, &u.rq);
		of_decode_stats_reply(heap, len, &u.part);
		off = 0;
		while (of_flow_stats_next(heap[0], heap, len, &off, &fs) == 1)
			;
		off = 0;
		while (of_port_next(heap[0], heap, len, &off, &port) == 1)
			;
		free(heap);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_hello_negotiation),
		cmocka_unit_test(test_error_roundtrip_and_mapping),
		cmocka_unit_test(test_flow_mod_roundtrip),
		cmocka_unit_test(test_flow_mod_refuses_what_a_version_cannot_say),
		cmocka_unit_test(test_oxm_prerequisites),
		cmocka_unit_test(test_oxm_ipv6_fields),
		cmocka_unit_test(test_decode_msg_by_type),
		cmocka_unit_test(test_set_field_prerequisites),
		cmocka_unit_test(test_packet_in_out_roundtrip),
		cmocka_unit_test(test_actions_malformed),
		cmocka_unit_test(test_features_ports_and_status),
		cmocka_unit_test(test_flow_removed_roundtrip),
		cmocka_unit_test(test_stats_request_roundtrip),
		cmocka_unit_test(test_multipart_reassembly),
		cmocka_unit_test(test_other_stats_bodies),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_decoders_survive_random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
