/* gen_seeds.c - writes the fuzz targets' seed corpora at build time, into
 * DIR/<target>/, so that no binary input is committed: OpenFlow messages
 * and switch conversations from the codec's own encoders (the messages the
 * unit tests round-trip), Thrift calls from the generated client, and the
 * API, filter, REST and address inputs of the unit tests as text.
 *
 *   gen_seeds DIR
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include "nfpps_packet_streamer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_framed_transport.h>
#include <thrift/c_glib/transport/thrift_memory_buffer.h>

/* the same 32 characters as trace_env.h's FUZZ_SESSION_PLACEHOLDER */
#define PLACEHOLDER "ffffffffffffffffffffffffffffffff"

static const char *root;
static int written;

static void die(const char *what)
{
	fprintf(stderr, "gen_seeds: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put(const char *target, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die(path);
	written++;
}

static void put_text(const char *target, const char *name, const char *text)
{
	put(target, name, text, strlen(text));
}

/* A seed made of one selector byte and then @len bytes. */
static void put_with_byte(const char *target, const char *name, uint8_t first, const void *data,
			  size_t len)
{
	uint8_t *b = malloc(len + 1);

	if (!b)
		die("malloc");
	b[0] = first;
	memcpy(b + 1, data, len);
	put(target, name, b, len + 1);
	free(b);
}

static void must(int r, const char *what)
{
	if (r) {
		fprintf(stderr, "gen_seeds: encoding %s failed: %d\n", what, r);
		exit(1);
	}
}

/* ---- OpenFlow: the things messages are made of ---- */

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static const struct of_port ports[] = {
	{ .port_no = 1, .name = "s1-eth1", .hw_addr = { 2, 0, 0, 0, 1, 1 }, .curr = 0x840,
	  .curr_speed = 10000000, .max_speed = 10000000 },
	{ .port_no = 2, .name = "s1-eth2", .hw_addr = { 2, 0, 0, 0, 1, 2 },
	  .config = OF_PORT_CONFIG_DOWN, .state = OF_PORT_STATE_LINK_DOWN },
	{ .port_no = OF_PORT_LOCAL, .name = "s1", .hw_addr = { 2, 0, 0, 0, 1, 0 } },
};

/* Ethernet + IPv4 + TCP (or UDP), 60 bytes, from @src to @dst. */
static size_t frame_ipv4(uint8_t *f, const uint8_t src[6], const uint8_t dst[6], uint8_t proto)
{
	static const uint8_t ip[] = { 0x45, 0, 0, 46, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1,
				      10, 0, 0, 2 };

	memset(f, 0, 60);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	memcpy(f + 14, ip, sizeof(ip));
	f[14 + 9] = proto;
	f[34] = 0x04, f[35] = 0xd2; /* 1234 */
	f[36] = 0x00, f[37] = 0x50; /* 80 */
	return 60;
}

/* Ethernet + 802.1Q + IPv6 + UDP from 2001:db8::1. */
static size_t frame_ipv6_vlan(uint8_t *f)
{
	memset(f, 0, 80);
	memcpy(f, mac_b, 6);
	memcpy(f + 6, mac_a, 6);
	f[12] = 0x81, f[13] = 0x00, f[14] = 0x00, f[15] = 0x0a; /* VLAN 10 */
	f[16] = 0x86, f[17] = 0xdd;
	f[18] = 0x60;
	f[18 + 5] = 8;    /* payload length */
	f[18 + 6] = 17;   /* UDP */
	f[18 + 7] = 64;
	f[18 + 8] = 0x20, f[18 + 9] = 0x01, f[18 + 10] = 0x0d, f[18 + 11] = 0xb8;
	f[18 + 23] = 1;
	f[18 + 24] = 0x20, f[18 + 25] = 0x01, f[18 + 26] = 0x0d, f[18 + 27] = 0xb8;
	f[18 + 39] = 2;
	f[58] = 0x00, f[59] = 0x35; /* 53 */
	f[60] = 0x00, f[61] = 0x35;
	return 80;
}

static void match_tcp(struct of_match *m)
{
	memset(m, 0, sizeof(*m));
	m->fields = OF_F_IN_PORT | OF_F_ETH_TYPE | OF_F_IP_PROTO | OF_F_IPV4_SRC | OF_F_IPV4_DST |
		    OF_F_TP_SRC | OF_F_TP_DST | OF_F_IP_DSCP;
	m->in_port = 1;
	of_match_set_eth_src(m, mac_a);
	of_match_set_eth_dst(m, mac_b);
	m->eth_type = 0x0800;
	m->ip_proto = 6;
	m->ipv4_src = 0x0a000001, m->ipv4_src_mask = ~0u;
	m->ipv4_dst = 0x0a000000, m->ipv4_dst_mask = 0xff000000;
	m->tp_src = 1234, m->tp_dst = 80;
	m->ip_dscp = 10;
}

static void match_arp_vlan(struct of_match *m)
{
	memset(m, 0, sizeof(*m));
	m->fields = OF_F_ETH_TYPE | OF_F_IP_PROTO | OF_F_IPV4_SRC | OF_F_VLAN_VID | OF_F_VLAN_PCP;
	m->eth_type = 0x0806;
	m->ip_proto = 1; /* request */
	m->ipv4_src = 0x0a000001, m->ipv4_src_mask = ~0u;
	m->vlan_vid = 10, m->vlan_pcp = 3;
}

static void match_icmp_masked_mac(struct of_match *m, uint8_t version)
{
	memset(m, 0, sizeof(*m));
	m->fields = OF_F_ETH_TYPE | OF_F_IP_PROTO | OF_F_TP_SRC | OF_F_TP_DST | OF_F_ETH_DST |
		    OF_F_VLAN_VID;
	of_match_set_eth_dst(m, mac_b);
	if (version == OF_VERSION_13)
		memcpy(m->eth_dst_mask, (uint8_t[6]){ 0xff, 0xff, 0xff, 0, 0, 0 }, 6);
	m->vlan_vid = OF_VLAN_NONE;
	m->eth_type = 0x0800;
	m->ip_proto = 1;
	m->tp_src = 8, m->tp_dst = 0;
}

/* Every action there is; a 1.0 VLAN push is the set-vid that follows it. */
static void actions_all(struct of_action_list *l)
{
	memset(l, 0, sizeof(*l));
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_PUSH_VLAN, .value = 0x8100 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_VLAN_VID, .value = 5 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_VLAN_PCP, .value = 2 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_ETH_SRC, .mac = { 2, 0, 0, 0, 9, 9 } };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_ETH_DST, .mac = { 2, 0, 0, 0, 8, 8 } };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_IPV4_SRC, .value = 0x0a000063 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_IPV4_DST, .value = 0x0a000064 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_IP_DSCP, .value = 4 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_TP_SRC, .value = 99 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_SET_TP_DST, .value = 100 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_POP_VLAN };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_OUTPUT, .value = 2 };
	l->a[l->n++] = (struct of_action){ .type = OF_ACT_OUTPUT, .value = OF_PORT_CONTROLLER,
					   .max_len = 128 };
}

/* ---- OpenFlow: one of each message, per version ---- */

enum { MAX_MSGS = 64 };
struct msgs {
	struct of_buf all;          /* every message, one after the other */
	size_t start[MAX_MSGS + 1];
	const char *name[MAX_MSGS];
	int n;
};

static struct of_buf *begin(struct msgs *s)
{
	s->start[s->n] = s->all.len;
	return &s->all;
}

static void end(struct msgs *s, const char *name, int r)
{
	must(r, name);
	s->name[s->n++] = name;
	s->start[s->n] = s->all.len;
}

static void stats_reply(struct msgs *s, uint8_t v, uint32_t xid, uint16_t type, uint16_t flags,
			struct of_buf *body, const char *name)
{
	end(s, name, of_encode_stats_reply(begin(s), v, xid, type, flags, body->data, body->len));
	body->len = 0;
}

static void build_messages(struct msgs *s, uint8_t v)
{
	static const uint8_t payload[] = "keepalive";
	struct of_features f = { .dpid = 0x42, .n_buffers = 256, .n_tables = 254,
				 .capabilities = 0xc7, .actions = 0xfff };
	struct of_switch_config cfg = { .flags = 0, .miss_send_len = 0xffff };
	struct of_buf body = { 0 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .total_len = 60 };
	struct of_packet_out po = { .buffer_id = OF_NO_BUFFER, .in_port = OF_PORT_CONTROLLER };
	struct of_flow_mod fm;
	struct of_flow_removed fr = { .cookie = 7, .priority = 100, .reason = 2, .duration_sec = 3,
				      .idle_timeout = 60, .packet_count = 5, .byte_count = 300 };
	struct of_port_status ps = { .reason = OF_PR_ADD, .port = ports[0] };
	struct of_stats_request rq;
	struct of_flow_stats fs = { .priority = 100, .idle_timeout = 60, .packet_count = 1,
				    .byte_count = 64, .cookie = 9 };
	struct of_table_stats ts = { .table_id = 0, .active_count = 3, .lookup_count = 10,
				     .matched_count = 7 };
	struct of_port_stats pst = { .port_no = 1, .rx_packets = 10, .tx_bytes = 640,
				     .duration_sec = 5 };
	struct of_desc_stats d = { "Nicira, Inc.", "Open vSwitch", "3.1.0", "None", "s1" };
	struct of_aggregate_stats agg = { 10, 640, 2 };
	static uint8_t frame[128];
	size_t flen = frame_ipv4(frame, mac_a, mac_b, 6);

	memset(s, 0, sizeof(*s));
	if (v == OF_VERSION_10)
		end(s, "hello", of_encode_simple(begin(s), v, OFPT_HELLO, 1, NULL, 0));
	else
		end(s, "hello", of_encode_hello(begin(s), 1, (1u << 1) | (1u << 4) | (1u << 5)));
	end(s, "error", of_encode_error_for(begin(s), v, 5, OF_E_ACTION_BAD_OUT_PORT, frame, 24));
	end(s, "echo_request", of_encode_simple(begin(s), v, OFPT_ECHO_REQUEST, 6, payload,
						sizeof(payload)));
	end(s, "features_reply", of_encode_features_reply(begin(s), v, 1, &f, ports, 3));
	end(s, "get_config_reply", of_encode_switch_config(begin(s), v, OFPT_GET_CONFIG_REPLY, 7,
							   &cfg));
	end(s, "set_config", of_encode_switch_config(begin(s), v, OFPT_SET_CONFIG, 8, &cfg));

	pi.data = frame, pi.data_len = flen;
	match_tcp(&pi.match);
	pi.match.fields = OF_F_IN_PORT;
	end(s, "packet_in", of_encode_packet_in(begin(s), v, 0, &pi));
	pi.data_len = frame_ipv6_vlan(frame);
	pi.buffer_id = 77, pi.in_port = 3, pi.reason = 1, pi.table_id = 1, pi.cookie = 0xabc;
	end(s, "packet_in_v6", of_encode_packet_in(begin(s), v, 0, &pi));

	flen = frame_ipv4(frame, mac_a, mac_b, 6);
	po.data = frame, po.data_len = flen;
	of_actions_output(&po.actions, OF_PORT_FLOOD);
	end(s, "packet_out", of_encode_packet_out(begin(s), v, 9, &po));
	po.buffer_id = 77;
	po.in_port = 1;
	of_actions_output(&po.actions, 2);
	po.actions.a[po.actions.n++] = (struct of_action){ .type = OF_ACT_POP_VLAN };
	end(s, "packet_out_buffered", of_encode_packet_out(begin(s), v, 10, &po));

	of_flow_mod_init(&fm, OF_FC_ADD);
	match_tcp(&fm.match);
	actions_all(&fm.actions);
	fm.idle_timeout = 60, fm.hard_timeout = 600, fm.priority = 100, fm.cookie = 0x77;
	fm.flags = OF_FF_SEND_FLOW_REM;
	end(s, "flow_mod_tcp", of_encode_flow_mod(begin(s), v, 11, &fm));
	of_flow_mod_init(&fm, OF_FC_DELETE);
	match_arp_vlan(&fm.match);
	fm.out_port = 2;
	end(s, "flow_mod_delete_arp", of_encode_flow_mod(begin(s), v, 12, &fm));
	of_flow_mod_init(&fm, OF_FC_MODIFY_STRICT);
	match_icmp_masked_mac(&fm.match, v);
	of_actions_output(&fm.actions, OF_PORT_IN_PORT);
	fm.actions.a[fm.actions.n++] = (struct of_action){ .type = OF_ACT_SET_IPV4_DST, .value = 1 };
	end(s, "flow_mod_icmp", of_encode_flow_mod(begin(s), v, 13, &fm));
	of_flow_mod_init(&fm, OF_FC_ADD); /* the table-miss entry nfpd installs */
	of_actions_output(&fm.actions, OF_PORT_CONTROLLER);
	end(s, "flow_mod_table_miss", of_encode_flow_mod(begin(s), v, 14, &fm));

	match_tcp(&fr.match);
	end(s, "flow_removed", of_encode_flow_removed(begin(s), v, 0, &fr));
	end(s, "port_status", of_encode_port_status(begin(s), v, 0, &ps));
	ps.reason = OF_PR_DELETE;
	ps.port = ports[1];
	end(s, "port_status_delete", of_encode_port_status(begin(s), v, 0, &ps));

	memset(&rq, 0, sizeof(rq));
	rq.type = OF_ST_DESC;
	end(s, "stats_request_desc", of_encode_stats_request(begin(s), v, 15, &rq));
	rq.type = OF_ST_FLOW, rq.table_id = OF_TABLE_ALL, rq.out_port = OF_PORT_ANY;
	match_tcp(&rq.match);
	end(s, "stats_request_flow", of_encode_stats_request(begin(s), v, 16, &rq));
	rq.type = OF_ST_AGGREGATE;
	memset(&rq.match, 0, sizeof(rq.match));
	end(s, "stats_request_aggregate", of_encode_stats_request(begin(s), v, 17, &rq));
	rq.type = OF_ST_PORT, rq.port_no = OF_PORT_ANY;
	end(s, "stats_request_port", of_encode_stats_request(begin(s), v, 18, &rq));
	rq.type = OF_ST_TABLE;
	end(s, "stats_request_table", of_encode_stats_request(begin(s), v, 19, &rq));
	if (v == OF_VERSION_13) {
		rq.type = OF_ST_PORT_DESC;
		end(s, "stats_request_port_desc", of_encode_stats_request(begin(s), v, 20, &rq));
	}

	must(of_encode_desc_stats(&body, &d), "desc");
	stats_reply(s, v, 15, OF_ST_DESC, 0, &body, "stats_reply_desc");
	match_tcp(&fs.match);
	actions_all(&fs.actions);
	must(of_encode_flow_stats(&body, v, &fs), "flow stats");
	stats_reply(s, v, 16, OF_ST_FLOW, OFPSF_REPLY_MORE, &body, "stats_reply_flow_more");
	match_arp_vlan(&fs.match);
	memset(&fs.actions, 0, sizeof(fs.actions));
	of_actions_output(&fs.actions, OF_PORT_NORMAL);
	must(of_encode_flow_stats(&body, v, &fs), "flow stats");
	match_icmp_masked_mac(&fs.match, v);
	must(of_encode_flow_stats(&body, v, &fs), "flow stats");
	stats_reply(s, v, 16, OF_ST_FLOW, 0, &body, "stats_reply_flow");
	must(of_encode_aggregate_stats(&body, &agg), "aggregate");
	stats_reply(s, v, 17, OF_ST_AGGREGATE, 0, &body, "stats_reply_aggregate");
	must(of_encode_port_stats(&body, v, &pst), "port stats");
	pst.port_no = OF_PORT_LOCAL;
	must(of_encode_port_stats(&body, v, &pst), "port stats");
	stats_reply(s, v, 18, OF_ST_PORT, 0, &body, "stats_reply_port");
	must(of_encode_table_stats(&body, v, &ts), "table stats");
	ts.table_id = 1;
	must(of_encode_table_stats(&body, v, &ts), "table stats");
	stats_reply(s, v, 19, OF_ST_TABLE, 0, &body, "stats_reply_table");
	if (v == OF_VERSION_13) {
		for (size_t i = 0; i < 3; i++)
			must(of_port_encode(&body, v, &ports[i]), "port");
		stats_reply(s, v, 20, OF_ST_PORT_DESC, 0, &body, "stats_reply_port_desc");
	}
	end(s, "barrier_request", of_encode_simple(begin(s), v, of_type_barrier_request(v), 21,
						   NULL, 0));
	end(s, "barrier_reply", of_encode_simple(begin(s), v, of_type_barrier_reply(v), 21,
						 NULL, 0));
	of_buf_free(&body);
}

static void seeds_of_msg(void)
{
	static const uint8_t versions[] = { OF_VERSION_10, OF_VERSION_13 };
	/* hellos of other versions, and the malformed ones of test_of_codec.c */
	static const uint8_t hello15[] = { 6, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 8, 0, 0, 0, 0x7e };
	static const uint8_t bad_elem[] = { 4, 0, 0, 16, 0, 0, 0, 1, 0, 1, 0, 40, 0, 0, 0, 0x12 };
	static const uint8_t short_pin[] = { 1, OFPT_PACKET_IN, 0, 12, 0, 0, 0, 9, 0, 0, 0, 0 };

	for (size_t i = 0; i < sizeof(versions); i++) {
		struct msgs s;
		char name[96];

		build_messages(&s, versions[i]);
		for (int m = 0; m < s.n; m++) {
			snprintf(name, sizeof(name), "of%u_%s", versions[i], s.name[m]);
			put("fuzz_of_msg", name, s.all.data + s.start[m], s.start[m + 1] - s.start[m]);
		}
		snprintf(name, sizeof(name), "of%u_all", versions[i]);
		put("fuzz_of_msg", name, s.all.data, s.all.len);
		of_buf_free(&s.all);
	}
	put("fuzz_of_msg", "hello15", hello15, sizeof(hello15));
	put("fuzz_of_msg", "hello_bad_element", bad_elem, sizeof(bad_elem));
	put("fuzz_of_msg", "packet_in_short", short_pin, sizeof(short_pin));
}

/* ---- OpenFlow: a switch's side of a whole conversation ---- */

/* The xids the core uses (fuzz_of_stream.c says why they are fixed). */
struct xids {
	uint32_t features, port_desc, barrier, desc, flow, aggregate, table, port, port_desc2;
};
static const struct xids xids10 = { 1, 0, 3, 4, 5, 6, 7, 8, 0 };
static const struct xids xids13 = { 1, 2, 5, 6, 7, 8, 9, 10, 11 };

static void conversation(struct of_buf *b, uint8_t v, bool everything)
{
	const struct xids *x = v == OF_VERSION_10 ? &xids10 : &xids13;
	struct of_features f = { .dpid = 0x13, .n_tables = 254, .capabilities = 0xc7 };
	struct of_buf body = { 0 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .total_len = 60 };
	struct of_port_status ps = { .reason = OF_PR_MODIFY, .port = ports[1] };
	struct of_flow_removed fr = { .reason = 0, .duration_sec = 60 };
	struct of_flow_stats fs = { .priority = 100, .packet_count = 3 };
	struct of_table_stats ts = { .active_count = 2 };
	struct of_port_stats pst = { .port_no = 1, .rx_packets = 5 };
	struct of_desc_stats d = { "mfr", "hw", "sw", "serial", "dp" };
	struct of_aggregate_stats agg = { 1, 2, 3 };
	static const uint8_t unknown[8] = { 1, 99, 0, 8, 0, 0, 0, 10 };
	static const uint8_t wrong_version[8] = { 4, OFPT_ECHO_REQUEST, 0, 8, 0, 0, 0, 11 };
	uint8_t frame[128];

	if (v == OF_VERSION_10)
		must(of_encode_simple(b, v, OFPT_HELLO, 1, NULL, 0), "hello");
	else
		must(of_encode_hello(b, 1, (1u << 1) | (1u << 4) | (1u << 5)), "hello");
	must(of_encode_features_reply(b, v, x->features, &f, ports, 2), "features");
	if (v == OF_VERSION_13) {
		/* the ports in two parts, the first with MORE */
		must(of_port_encode(&body, v, &ports[0]), "port");
		must(of_encode_stats_reply(b, v, x->port_desc, OF_ST_PORT_DESC, OFPSF_REPLY_MORE,
					   body.data, body.len), "port desc");
		body.len = 0;
		must(of_port_encode(&body, v, &ports[1]), "port");
		must(of_encode_stats_reply(b, v, x->port_desc, OF_ST_PORT_DESC, 0, body.data,
					   body.len), "port desc");
		body.len = 0;
	}
	if (!everything) {
		of_buf_free(&body);
		return;
	}
	must(of_encode_simple(b, v, of_type_barrier_reply(v), x->barrier, NULL, 0), "barrier");
	must(of_encode_desc_stats(&body, &d), "desc");
	must(of_encode_stats_reply(b, v, x->desc, OF_ST_DESC, 0, body.data, body.len), "desc");
	body.len = 0;
	match_tcp(&fs.match);
	of_actions_output(&fs.actions, 2);
	must(of_encode_flow_stats(&body, v, &fs), "flow stats");
	must(of_encode_stats_reply(b, v, x->flow, OF_ST_FLOW, OFPSF_REPLY_MORE, body.data,
				   body.len), "flow");
	must(of_encode_stats_reply(b, v, x->flow, OF_ST_FLOW, 0, body.data, body.len), "flow");
	body.len = 0;
	must(of_encode_aggregate_stats(&body, &agg), "aggregate");
	must(of_encode_stats_reply(b, v, x->aggregate, OF_ST_AGGREGATE, 0, body.data, body.len),
	     "aggregate");
	body.len = 0;
	must(of_encode_table_stats(&body, v, &ts), "table");
	must(of_encode_stats_reply(b, v, x->table, OF_ST_TABLE, 0, body.data, body.len), "table");
	body.len = 0;
	must(of_encode_port_stats(&body, v, &pst), "port stats");
	must(of_encode_stats_reply(b, v, x->port, OF_ST_PORT, 0, body.data, body.len), "port");
	body.len = 0;
	if (v == OF_VERSION_13) {
		must(of_port_encode(&body, v, &ports[2]), "port");
		must(of_encode_stats_reply(b, v, x->port_desc2, OF_ST_PORT_DESC, 0, body.data,
					   body.len), "port desc");
		body.len = 0;
	}
	/* A talks (flooded), B answers A (a flow for it), A answers B */
	pi.data = frame;
	pi.data_len = frame_ipv4(frame, mac_a, (const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff,
								   0xff }, 17);
	must(of_encode_packet_in(b, v, 0, &pi), "packet-in");
	pi.in_port = 2;
	pi.data_len = frame_ipv4(frame, mac_b, mac_a, 6);
	must(of_encode_packet_in(b, v, 0, &pi), "packet-in");
	pi.in_port = 1;
	pi.buffer_id = 5;
	pi.data_len = frame_ipv4(frame, mac_a, mac_b, 6);
	must(of_encode_packet_in(b, v, 0, &pi), "packet-in");
	must(of_encode_port_status(b, v, 0, &ps), "port status");
	match_tcp(&fr.match);
	must(of_encode_flow_removed(b, v, 0, &fr), "flow removed");
	must(of_encode_simple(b, v, OFPT_ECHO_REQUEST, 40, frame, 16), "echo");
	must(of_encode_simple(b, v, OFPT_ECHO_REPLY, 41, NULL, 0), "echo reply");
	must(of_encode_error_for(b, v, 99, OF_E_BAD_TYPE, frame, 8), "error");
	memcpy(of_buf_put_zero(b, sizeof(unknown)), unknown, sizeof(unknown));
	memcpy(of_buf_put_zero(b, sizeof(wrong_version)), wrong_version, sizeof(wrong_version));
	ps.reason = OF_PR_DELETE;
	must(of_encode_port_status(b, v, 0, &ps), "port status");
	of_buf_free(&body);
}

static void seeds_of_stream(void)
{
	static const uint8_t versions[] = { OF_VERSION_10, OF_VERSION_13 };
	/* fuzz_chunk_size(): 0 all at once, 1 byte, 8 bytes, 512 bytes */
	static const uint8_t chunks[] = { 0, 1, 6, 12 };
	static const uint8_t no_common[] = { 3, OFPT_HELLO, 0, 8, 0, 0, 0, 5 };
	static const uint8_t bad_len[] = { 1, OFPT_HELLO, 0, 8, 0, 0, 0, 1, 1, 2, 0, 4, 0, 0, 0, 2 };

	for (size_t i = 0; i < sizeof(versions); i++) {
		for (int everything = 0; everything < 2; everything++) {
			struct of_buf b = { 0 };

			conversation(&b, versions[i], everything);
			for (size_t c = 0; c < sizeof(chunks); c++) {
				char name[64];

				snprintf(name, sizeof(name), "of%u_%s_chunk%u", versions[i],
					 everything ? "conversation" : "handshake", chunks[c]);
				put_with_byte("fuzz_of_stream", name, chunks[c], b.data, b.len);
			}
			of_buf_free(&b);
		}
	}
	put_with_byte("fuzz_of_stream", "no_common_version", 0, no_common, sizeof(no_common));
	put_with_byte("fuzz_of_stream", "length_below_header", 0, bad_len, sizeof(bad_len));
}

static void seeds_trace_of(void)
{
	struct msgs s;
	struct of_buf b = { 0 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .total_len = 60 };
	struct of_packet_out po = { .buffer_id = OF_NO_BUFFER, .in_port = 2 };
	struct of_flow_mod fm;
	uint8_t frame[128];
	static const uint8_t versions[] = { OF_VERSION_10, OF_VERSION_13 };

	for (size_t i = 0; i < sizeof(versions); i++) {
		uint8_t v = versions[i];
		char name[64];

		b.len = 0;
		pi.data = frame;
		pi.data_len = frame_ipv4(frame, mac_a, mac_b, 6);
		must(of_encode_packet_in(&b, v, 0, &pi), "packet-in");
		pi.data_len = frame_ipv6_vlan(frame);
		must(of_encode_packet_in(&b, v, 0, &pi), "packet-in");
		snprintf(name, sizeof(name), "of%u_packet_ins", v);
		put_with_byte("fuzz_trace_of", name, 0, b.data, b.len);

		b.len = 0;
		po.data = frame;
		po.data_len = frame_ipv4(frame, mac_b, mac_a, 17);
		memset(&po.actions, 0, sizeof(po.actions));
		of_actions_output(&po.actions, 1);
		must(of_encode_packet_out(&b, v, 1, &po), "packet-out");
		of_flow_mod_init(&fm, OF_FC_ADD);
		match_tcp(&fm.match);
		of_actions_output(&fm.actions, 2);
		must(of_encode_flow_mod(&b, v, 2, &fm), "flow-mod");
		of_flow_mod_init(&fm, OF_FC_ADD);
		match_icmp_masked_mac(&fm.match, v);
		of_actions_output(&fm.actions, 2);
		must(of_encode_flow_mod(&b, v, 3, &fm), "flow-mod");
		snprintf(name, sizeof(name), "of%u_out", v);
		put_with_byte("fuzz_trace_of", name, 1, b.data, b.len);
	}
	/* every message of_msg has, both directions */
	build_messages(&s, OF_VERSION_13);
	put_with_byte("fuzz_trace_of", "of4_all_in", 0, s.all.data, s.all.len);
	put_with_byte("fuzz_trace_of", "of4_all_out", 1, s.all.data, s.all.len);
	of_buf_free(&s.all);
	build_messages(&s, OF_VERSION_10);
	put_with_byte("fuzz_trace_of", "of1_all_out", 1, s.all.data, s.all.len);
	of_buf_free(&s.all);
	of_buf_free(&b);
}

/* ---- Thrift: calls as Floodlight's clients make them ---- */

struct thrift_client {
	ThriftMemoryBuffer *mem;
	ThriftTransport *framed;
	ThriftProtocol *proto;
	NfppsPacketStreamerIf *client;
};

static void thrift_client_open(struct thrift_client *c)
{
	c->mem = g_object_new(THRIFT_TYPE_MEMORY_BUFFER, "buf_size", 1u << 20, NULL);
	c->framed = g_object_new(THRIFT_TYPE_FRAMED_TRANSPORT, "transport", c->mem, NULL);
	c->proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", c->framed, NULL);
	c->client = g_object_new(NFPPS_TYPE_PACKET_STREAMER_CLIENT, "input_protocol", c->proto,
				 "output_protocol", c->proto, NULL);
}

static void thrift_client_close(struct thrift_client *c)
{
	g_object_unref(c->client);
	g_object_unref(c->proto);
	g_object_unref(c->framed);
	g_object_unref(c->mem);
}

static NfppsMessage *message(const char *const *ids, int n_ids, NfppsOFMessageType type,
			     const uint8_t *data, size_t len)
{
	NfppsMessage *m = g_object_new(NFPPS_TYPE_MESSAGE, NULL);

	for (int i = 0; i < n_ids; i++)
		g_ptr_array_add(m->sessionIDs, g_strdup(ids[i]));
	m->__isset_sessionIDs = TRUE;
	m->packet->messageType = type;
	m->packet->__isset_messageType = TRUE;
	m->packet->swPortTuple->dpid = 0x42;
	m->packet->swPortTuple->__isset_dpid = TRUE;
	m->packet->swPortTuple->port = 3;
	m->packet->swPortTuple->__isset_port = TRUE;
	m->packet->__isset_swPortTuple = TRUE;
	m->packet->data = g_byte_array_new();
	g_byte_array_append(m->packet->data, data, (guint)len);
	m->packet->__isset_data = TRUE;
	m->__isset_packet = TRUE;
	return m;
}

static void thrift_check(gboolean ok, GError *err, const char *what)
{
	if (!ok) {
		fprintf(stderr, "gen_seeds: thrift %s: %s\n", what, err ? err->message : "?");
		exit(1);
	}
}

static void seeds_thrift(void)
{
	static const char *const live[] = { PLACEHOLDER };
	static const char *const mixed[] = { "not-a-session", PLACEHOLDER, "" };
	struct thrift_client c;
	struct of_buf ofm = { 0 };
	struct of_packet_in pi = { .buffer_id = OF_NO_BUFFER, .in_port = 1, .total_len = 60 };
	uint8_t frame[128];
	NfppsMessage *m1, *m2;
	GError *err = NULL;

	pi.data = frame;
	pi.data_len = frame_ipv4(frame, mac_a, mac_b, 6);
	must(of_encode_packet_in(&ofm, OF_VERSION_10, 0, &pi), "packet-in");
	m1 = message(live, 1, NFPPS_O_F_MESSAGE_TYPE_PACKET_IN, ofm.data, ofm.len);
	m2 = message(mixed, 3, NFPPS_O_F_MESSAGE_TYPE_FLOW_MOD, frame, 20);

#define SEED(name, call)                                                              \
	do {                                                                          \
		thrift_client_open(&c);                                               \
		call;                                                                 \
		put("fuzz_thrift", name, c.mem->buf->data, c.mem->buf->len);         \
		thrift_client_close(&c);                                              \
	} while (0)
#define IF (c.client)
	SEED("get_packets_live", thrift_check(nfpps_packet_streamer_client_send_get_packets(
						      IF, PLACEHOLDER, &err), err, "get"));
	SEED("get_packets_unknown", thrift_check(nfpps_packet_streamer_client_send_get_packets(
							 IF, "0123456789abcdef0123456789abcdef",
							 &err), err, "get"));
	SEED("get_packets_short_id", thrift_check(nfpps_packet_streamer_client_send_get_packets(
							  IF, "abc", &err), err, "get"));
	SEED("push_sync", thrift_check(nfpps_packet_streamer_client_send_push_message_sync(
					       IF, m1, &err), err, "push"));
	SEED("push_async_mixed", thrift_check(nfpps_packet_streamer_client_send_push_message_async(
						      IF, m2, &err), err, "push"));
	SEED("terminate_live", thrift_check(nfpps_packet_streamer_client_send_terminate_session(
						    IF, PLACEHOLDER, &err), err, "terminate"));
	/* a client's whole session: push, read, push again, end, read the end */
	SEED("conversation", {
		thrift_check(nfpps_packet_streamer_client_send_push_message_sync(IF, m1, &err), err,
			     "push");
		thrift_check(nfpps_packet_streamer_client_send_get_packets(IF, PLACEHOLDER, &err),
			     err, "get");
		thrift_check(nfpps_packet_streamer_client_send_push_message_async(IF, m2, &err),
			     err, "push");
		thrift_check(nfpps_packet_streamer_client_send_get_packets(IF, PLACEHOLDER, &err),
			     err, "get");
		thrift_check(nfpps_packet_streamer_client_send_terminate_session(IF, PLACEHOLDER,
										 &err),
			     err, "terminate");
		thrift_check(nfpps_packet_streamer_client_send_get_packets(IF, PLACEHOLDER, &err),
			     err, "get");
	});
	/* push without a read afterwards */
	SEED("push_then_terminate", {
		thrift_check(nfpps_packet_streamer_client_send_push_message_sync(IF, m1, &err), err,
			     "push");
		thrift_check(nfpps_packet_streamer_client_send_terminate_session(IF, PLACEHOLDER,
										 &err),
			     err, "terminate");
	});
#undef IF
#undef SEED
	g_object_unref(m1);
	g_object_unref(m2);
	of_buf_free(&ofm);
}

/* ---- text inputs ---- */

static void seeds_api(void)
{
	/* test_api_dispatch.c's requests, and api_mock.c's commands */
	static const char *const lines[] = {
		"{\"id\": 7, \"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 80}}",
		"{\"id\": \"abc\", \"cmd\": \"commands\"}",
		"{\"id\": 1, \"cmd\": ",
		"[1, 2, 3]",
		"{\"id\": 2}",
		"{\"id\": 3, \"cmd\": 42}",
		"{\"id\": {\"x\": 1}, \"cmd\": \"set\"}",
		"{\"id\": 4, \"cmd\": \"set\", \"args\": [1]}",
		"{\"id\": 4, \"cmd\": \"set\", \"argz\": {}}",
		"{\"id\": 5, \"cmd\": \"frobnicate\"}",
		"{\"cmd\": \"set\", \"args\": {\"value\": 1}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": \"80\"}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 70000}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 1, \"vlaue\": 2}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 1, \"mode\": \"warp\"}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"abcdefghij\", \"value\": 1}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"\", \"value\": 1}}",
		"{\"cmd\": \"set\", \"args\": {\"name\": \"a\\u0000b\", \"value\": 1}}",
		"{\"cmd\": \"set\", \"cmd\": \"boom\"}",
		"{\"id\": 9, \"cmd\": \"boom\"}",
		"{\"cmd\": \"commands\", \"args\": null}",
		("{\"id\": null, \"cmd\": \"check\", \"args\": {\"s\": \"é\", \"i\": -9223372036854775808,"
		 " \"n\": -5, \"b\": true, \"e\": \"juliett-juliett-juliett-juliett\"}}"),
		"{\"cmd\": \"check\", \"args\": {\"i\": 9223372036854775807, \"n\": 6, \"e\": \"x\"}}",
		"{\"cmd\": \"check\", \"args\": {\"b\": 1, \"s\": null, \"i\": 1.5}}",
		"{\"cmd\": \"reject\", \"args\": {\"what\": \"eth\\u00e9\\ud83d\\ude00\"}}",
	};
	char name[32], all[8192] = "";

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(name, sizeof(name), "request%02zu", i);
		put_text("fuzz_api_request", name, lines[i]);
		snprintf(name, sizeof(name), "line%02zu", i);
		put_with_byte("fuzz_api_lines", name, (uint8_t)(i % 15), lines[i], strlen(lines[i]));
		strcat(all, lines[i]);
		strcat(all, i % 4 == 3 ? "\n\n" : "\n");
	}
	put_with_byte("fuzz_api_lines", "all_at_once", 0, all, strlen(all));
	put_with_byte("fuzz_api_lines", "all_bytewise", 1, all, strlen(all));
	put_with_byte("fuzz_api_lines", "all_in_13s", 7, all, strlen(all));
	put_with_byte("fuzz_api_lines", "no_newline_at_end", 3, lines[0], strlen(lines[0]));
}

static void seeds_ft_tuple(void)
{
	/* test_ft_cli.c's tuples, good and bad, with info strings */
	static const char *const t[] = {
		"10.0.0.1:1234\n10.0.0.2:80\ntcp\nc0ffee",
		"[2001:db8::1]:53\n2001:db8::2\n17\n000102030405060708090a0b0c0d0e0f",
		"10.0.0.1:7\n10.0.0.2:8/0\nicmp\nab",
		"[2001:db8::9]:1\n[2001:db8::2]:2\nicmpv6\n",
		"10.0.0.9:5\n10.0.0.2:0/0\nICMP",
		"10.0.0.256:1\n10.0.0.2:80\ntcp",
		"10.0.0.1:65536\n10.0.0.2:80\ntcp\n000102030405060708090a0b0c0d0e0f10",
		"10.0.0.1:-1\n10.0.0.2:80\ntcp\nabc",
		"10.0.0.1:1\n10.0.0.2:80\ntcpp\nzz",
		"10.0.0.1:1\n10.0.0.2:80\n256",
		"10.0.0.1:1\n[2001:db8::2]:80\nudp",
		"[2001:db8::1:1\n10.0.0.2:80\nudp",
		"\n10.0.0.2:80\nudp",
		"10.0.0.1:1\n10.0.0.2:8/300\nicmp",
		"[::ffff:10.0.0.1]:9\n[::1]:0\n0",
	};
	char name[16];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "tuple%02zu", i);
		put_text("fuzz_ft_tuple", name, t[i]);
	}
}

static void seeds_endpoint(void)
{
	/* test_nfpd_options.c's listen addresses, the trace endpoints' forms, DPIDs */
	static const char *const e[] = {
		"127.0.0.1:6653", "[::1]:6633", "0.0.0.0:6633", "none", "127.0.0.1:1", "8080",
		"127.0.0.1:8080", "10.1.2.3:65535", "[2001:db8::1]:6653", ":80", "1.2.3.4:0",
		"0x1", "0000000000000001", "00:00:00:00:00:00:00:01", "0XdeadBEEF", "ffffffffffffffff",
	};
	char name[16];

	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++) {
		snprintf(name, sizeof(name), "endpoint%02zu", i);
		put_text("fuzz_endpoint", name, e[i]);
	}
}

static void seeds_trace_filter_and_rest(void)
{
	static const char *const f[] = {
		"{\"mac\": \"02:00:00:00:00:01\", \"direction\": \"in\"}",
		"{\"mac\": \"02-00-00-00-00-0A\", \"direction\": \"out\", \"snaplen\": 64}",
		"{\"ip\": \"10.0.0.0/8\", \"proto\": \"tcp\", \"port\": 80}",
		"{\"ip\": \"2001:db8::/32\", \"proto\": 17, \"snaplen\": 9216}",
		"{\"ip\": \"::ffff:10.0.0.1\", \"proto\": \"ICMPv6\"}",
		"{\"iface\": \"lo\", \"direction\": \"both\"}",
		"{\"iface\": \"no-such-iface\"}",
		"{\"proto\": \"sctp\", \"port\": 65535}",
		"{\"mac\": \"02:00:00:00:00\", \"ip\": \"10.0.0.1/33\", \"proto\": 256, \"port\": 0}",
		"{\"direction\": \"sideways\"}",
		"{}",
		"02:00:00:00:00:01",
	};
	static const char *const rest[] = {
		"{\"mac\": \"02:00:00:00:00:01\", \"direction\": \"both\", \"period\": 60}",
		"{\"sessionId\": \"" PLACEHOLDER "\", \"period\": 30}",
		"{\"sessionId\": \"" PLACEHOLDER "\", \"period\": 0}",
		"{\"sessionId\": \"" PLACEHOLDER "\", \"period\": -1, \"mac\": \"x\"}",
		"{\"sessionId\": \"0123456789abcdef0123456789abcdef\", \"period\": 5}",
		"{\"sessionId\": 7, \"period\": 5}",
		("{\"sessionId\": null, \"mac\": \"02:00:00:00:00:01\", \"direction\": \"in\","
		 " \"period\": 86401}"),
		"{\"mac\": \"02:00:00:00:00:01\", \"direction\": \"out\", \"period\": \"x\"}",
		"{\"mac\": \"02:00:00:00:00:01\", \"period\": 1}",
		"{\"direction\": \"in\", \"period\": 1}",
		"{\"mac\": \"02:00\", \"direction\": \"sideways\", \"period\": 1}",
		("{\"mac\": \"02:00:00:00:00:01\", \"direction\": \"in\", \"period\": 1, \"ip\":"
		 " \"10.0.0.0/8\", \"proto\": \"udp\", \"port\": 53, \"iface\": \"lo\", \"snaplen\": 1}"),
		"{\"mac\": \"02:00:00:00:00:01\", \"direction\": \"in\", \"period\": 1, \"extra\": 1}",
		"{\"period\": 1",
		"[]",
		"",
	};
	char name[16];

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(name, sizeof(name), "filter%02zu", i);
		put_text("fuzz_trace_filter", name, f[i]);
	}
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++) {
		/* the byte: pieces of various sizes; the last two seeds: wrong URL, GET */
		uint8_t how = (uint8_t)(i % 15);

		if (i == 0)
			how |= 16;
		if (i == 1)
			how |= 32;
		snprintf(name, sizeof(name), "body%02zu", i);
		put_with_byte("fuzz_rest_body", name, (uint8_t)(i % 15), rest[i], strlen(rest[i]));
		snprintf(name, sizeof(name), "odd%02zu", i);
		if (i < 2)
			put_with_byte("fuzz_rest_body", name, how, rest[i], strlen(rest[i]));
	}
}

/* slicing: match strings and FlowVisor configurations */
static void seeds_slicing(void)
{
	static const char *const t[] = {
		"any",
		"in_port=1,dl_src=00:00:00:00:00:01,dl_type=0x0800,nw_src=10.0.0.0/8,tp_dst=80",
		"dl_vlan=0xffff,dl_vlan_pcp=3,nw_proto=6,nw_tos=16,ip_dst=192.168.1.1",
		"Slice:fl-1=7,Slice:s2=2",
		"00:00:00:00:00:00:00:02",
		"{\"Slice\": [{\"name\": \"fl-1\", \"controller\": \"module:hub\"}], "
		"\"FlowSpaceRule\": [{\"name\": \"r1\", \"dpid\": \"any\", \"priority\": 100, "
		"\"nw_src\": \"10.0.0.0/8\", \"slice_action\": [{\"fl-1\": 7}]}]}",
		"{\"Slice\": [{\"name\": \"a\", \"controller_hostname\": \"localhost\", "
		"\"controller_port\": 6633, \"drop_policy\": \"rule\"}], \"FlowSpaceRule\": "
		"[{\"dpid\": \"-8000000000000000\", \"id\": 1000, \"nw_src\": 167772160, "
		"\"wildcards\": 4184319, \"slice_action\": [{\"a\": 4}]}]}",
	};
	char name[32];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		put_text("fuzz_slicing_config", name, t[i]);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds DIR\n");
		return 2;
	}
	root = argv[1];
	if (mkdir(root, 0755) < 0 && errno != EEXIST)
		die(root);
	seeds_of_msg();
	seeds_of_stream();
	seeds_trace_of();
	seeds_thrift();
	seeds_api();
	seeds_ft_tuple();
	seeds_endpoint();
	seeds_trace_filter_and_rest();
	seeds_slicing();
	printf("gen_seeds: %d seeds in %s\n", written, root);
	return 0;
}
