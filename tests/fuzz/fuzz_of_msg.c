/* fuzz_of_msg.c - libFuzzer target for the OpenFlow 1.0 and 1.3 message
 * decoders: framing, hello, error, features, switch config, packet-in/out,
 * flow-mod, flow-removed, port-status, stats/multipart requests and
 * replies with every body iterator, matches (1.0 and OXM), actions and 1.3
 * instructions, and the names of of_print.c (user/openflow/of_*.c).
 *
 * The input is a run of OpenFlow messages, cut by of_frame() as a
 * connection cuts its byte stream. Each message is copied into a buffer of
 * exactly its length, so a decoder reading past it is a heap overflow ASan
 * reports, and is decoded as its type says, from the controller's side
 * (what switches send) and from a switch's side (what controllers send).
 * A message that decodes is encoded again in its version and decoded once
 * more: what a strict decoder accepts must be expressible, and the second
 * decoding must equal the first.
 *
 * The connection lets through only the negotiated version (1.0 or 1.3), so
 * every version byte but 1 is read as 1.3, except for HELLO.
 */
#include "fuzz_check.h"
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

/* ---- helpers ---- */

static uint8_t *exact_copy(const uint8_t *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	FUZZ_CHECK(c != NULL, "out of memory");
	memcpy(c, p, len);
	return c;
}

/* The one message an encoder appended to @b, in a buffer of its own size. */
static uint8_t *reencoded(const struct of_buf *b, uint8_t version, uint8_t type)
{
	struct of_header h;
	long n = of_frame(b->data, b->len, &h);

	FUZZ_CHECK(n > 0 && (size_t)n == b->len, "encoder framed %ld of %zu bytes", n, b->len);
	FUZZ_CHECK(h.version == version && h.type == type, "encoder wrote version %u type %u",
		   h.version, h.type);
	return exact_copy(b->data, b->len);
}

/* A port name is a C string: what follows its NUL is not part of it. */
static void normalise_port(struct of_port *p)
{
	size_t n = strnlen(p->name, sizeof(p->name));

	memset(p->name + n, 0, sizeof(p->name) - n);
}

static void exercise_names(const struct of_match *m, const struct of_action_list *l)
{
	char buf[600], tiny[7];

	if (m) {
		of_match_format(m, buf, sizeof(buf));
		of_match_format(m, tiny, sizeof(tiny));
		FUZZ_CHECK(strlen(tiny) < sizeof(tiny), "match format overran");
	}
	if (l) {
		FUZZ_CHECK(l->n <= OF_MAX_ACTIONS, "%u actions", l->n);
		of_actions_format(l, buf, sizeof(buf));
		of_actions_format(l, tiny, sizeof(tiny));
	}
}

static bool has_tp_set_field(const struct of_action_list *l)
{
	for (uint16_t i = 0; i < l->n; i++)
		if (l->a[i].type == OF_ACT_SET_TP_SRC || l->a[i].type == OF_ACT_SET_TP_DST)
			return true;
	return false;
}

/* ---- one decoder each, with its round trip ---- */

static void check_hello(const uint8_t *msg, size_t len)
{
	uint32_t bitmap;
	uint8_t v;

	if (of_decode_hello(msg, len, &bitmap) != OF_OK)
		return;
	v = of_negotiate(OF_OUR_VERSIONS, msg[0], bitmap);
	FUZZ_CHECK(v == 0 || v == OF_VERSION_10 || v == OF_VERSION_13, "negotiated 0x%x", v);
}

static void check_error(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_error_msg e, again;
	struct of_buf b = { 0 };
	char name[96];
	uint8_t *m;

	if (of_decode_error(msg, len, &e) != OF_OK)
		return;
	of_error_name(v, e.type, e.code, name, sizeof(name));
	FUZZ_CHECK(of_encode_error(&b, v, 1, e.type, e.code, e.data, e.data_len) == 0,
		   "error not re-encodable");
	m = reencoded(&b, v, OFPT_ERROR);
	FUZZ_CHECK(of_decode_error(m, b.len, &again) == OF_OK, "re-encoded error rejected");
	FUZZ_CHECK(again.type == e.type && again.code == e.code, "error type/code changed");
	FUZZ_CHECK(again.data_len == (e.data_len < 64 ? e.data_len : 64), "error data %zu -> %zu",
		   e.data_len, again.data_len);
	FUZZ_CHECK(memcmp(again.data, e.data, again.data_len) == 0, "error data changed");
	free(m);
	of_buf_free(&b);
}

/* Up to @max ports of an array (1.0 features, port-desc); -1 if malformed. */
static long collect_ports(uint8_t v, const uint8_t *p, size_t len, struct of_port *out,
			  size_t max)
{
	size_t off = 0, n = 0;
	struct of_port port;
	int r;

	while ((r = of_port_next(v, p, len, &off, &port)) == 1) {
		normalise_port(&port);
		FUZZ_CHECK(port.name[sizeof(port.name) - 1] == '\0', "port name not terminated");
		if (n < max)
			out[n++] = port;
	}
	FUZZ_CHECK(r == 0 || r == -OF_E_BAD_LEN, "of_port_next returned %d", r);
	return r < 0 ? -1 : (long)n;
}

static void check_features_reply(uint8_t v, const uint8_t *msg, size_t len)
{
	static struct of_port ports[OFP_MAX_MSG_LEN / OFP10_PHY_PORT_LEN];
	static struct of_port again_ports[OFP_MAX_MSG_LEN / OFP10_PHY_PORT_LEN];
	const size_t max = sizeof(ports) / sizeof(ports[0]);
	struct of_features f, again;
	struct of_buf b = { 0 };
	long n = 0, n2 = 0;
	uint8_t *m;

	if (of_decode_features_reply(msg, len, &f) != OF_OK)
		return;
	if (v == OF_VERSION_10) {
		n = collect_ports(v, f.ports, f.ports_len, ports, max);
		FUZZ_CHECK(n >= 0, "features ports accepted, then malformed");
	}
	FUZZ_CHECK(of_encode_features_reply(&b, v, 2, &f, ports, (size_t)n) == 0,
		   "features reply not re-encodable");
	m = reencoded(&b, v, OFPT_FEATURES_REPLY);
	FUZZ_CHECK(of_decode_features_reply(m, b.len, &again) == OF_OK, "features rejected");
	FUZZ_CHECK(again.dpid == f.dpid && again.n_buffers == f.n_buffers &&
		   again.n_tables == f.n_tables && again.capabilities == f.capabilities &&
		   again.actions == f.actions && again.auxiliary_id == f.auxiliary_id,
		   "features changed");
	if (v == OF_VERSION_10) {
		n2 = collect_ports(v, again.ports, again.ports_len, again_ports, max);
		FUZZ_CHECK(n2 == n && memcmp(ports, again_ports, (size_t)n * sizeof(ports[0])) == 0,
			   "features ports changed");
	}
	free(m);
	of_buf_free(&b);
}

static void check_switch_config(uint8_t v, uint8_t type, const uint8_t *msg, size_t len)
{
	struct of_switch_config c, again;
	struct of_buf b = { 0 };
	uint8_t *m;

	if (of_decode_switch_config(msg, len, &c) != OF_OK)
		return;
	FUZZ_CHECK(of_encode_switch_config(&b, v, type, 3, &c) == 0, "config not re-encodable");
	m = reencoded(&b, v, type);
	FUZZ_CHECK(of_decode_switch_config(m, b.len, &again) == OF_OK &&
		   again.flags == c.flags && again.miss_send_len == c.miss_send_len,
		   "config changed");
	free(m);
	of_buf_free(&b);
}

static void check_packet_in(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_packet_in pi, again;
	struct of_match want;
	struct of_buf b = { 0 };
	uint8_t *m;
	int r;

	memset(&pi, 0, sizeof(pi));
	if (of_decode_packet_in(msg, len, &pi) != OF_OK)
		return;
	FUZZ_CHECK(pi.data >= msg && pi.data + pi.data_len == msg + len, "packet data outside");
	exercise_names(&pi.match, NULL);
	r = of_encode_packet_in(&b, v, 4, &pi);
	/* a switch may match on fields of_match cannot hold: not sayable again */
	if (r == -EINVAL && v == OF_VERSION_13 && (pi.match.fields & OF_F_OTHER)) {
		of_buf_free(&b); /* the failed encode rolled back, its buffer stays */
		return;
	}
	FUZZ_CHECK(r == 0, "packet-in not re-encodable: %d", r);
	m = reencoded(&b, v, OFPT_PACKET_IN);
	memset(&again, 0, sizeof(again));
	FUZZ_CHECK(of_decode_packet_in(m, b.len, &again) == OF_OK, "re-encoded packet-in rejected");
	/* the encoder always says the in_port (1.3: as an OXM field) */
	want = pi.match;
	want.fields |= OF_F_IN_PORT;
	want.in_port = pi.in_port;
	FUZZ_CHECK(again.buffer_id == pi.buffer_id && again.total_len == pi.total_len &&
		   again.reason == pi.reason && again.table_id == pi.table_id &&
		   again.cookie == pi.cookie && again.in_port == pi.in_port,
		   "packet-in header changed");
	FUZZ_CHECK(memcmp(&again.match, &want, sizeof(want)) == 0, "packet-in match changed");
	FUZZ_CHECK(again.data_len == pi.data_len && memcmp(again.data, pi.data, pi.data_len) == 0,
		   "packet-in data changed");
	free(m);
	of_buf_free(&b);
}

static void check_packet_out(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_packet_out po, again;
	struct of_buf b = { 0 };
	uint8_t *m;
	int r;

	memset(&po, 0, sizeof(po));
	if (of_decode_packet_out(msg, len, &po) != OF_OK)
		return;
	exercise_names(NULL, &po.actions);
	r = of_encode_packet_out(&b, v, 5, &po);
	/* a 1.3 transport set-field names TCP, UDP or SCTP; of_action keeps
	 * only "transport port", and a packet-out has no match to tell which */
	if (r == -EINVAL && v == OF_VERSION_13 && has_tp_set_field(&po.actions)) {
		of_buf_free(&b); /* the failed encode rolled back, its buffer stays */
		return;
	}
	FUZZ_CHECK(r == 0, "packet-out not re-encodable: %d", r);
	m = reencoded(&b, v, OFPT_PACKET_OUT);
	memset(&again, 0, sizeof(again));
	FUZZ_CHECK(of_decode_packet_out(m, b.len, &again) == OF_OK, "packet-out rejected");
	FUZZ_CHECK(again.buffer_id == po.buffer_id && again.in_port == po.in_port,
		   "packet-out header changed");
	FUZZ_CHECK(memcmp(&again.actions, &po.actions, sizeof(po.actions)) == 0,
		   "packet-out actions changed");
	/* data only goes with an unbuffered packet (of_types.h) */
	if (po.buffer_id == OF_NO_BUFFER)
		FUZZ_CHECK(again.data_len == po.data_len &&
			   memcmp(again.data, po.data, po.data_len) == 0, "packet-out data changed");
	free(m);
	of_buf_free(&b);
}

static void check_flow_mod(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_flow_mod fm, again;
	struct of_buf b = { 0 };
	uint8_t *m;
	int r;

	if (of_decode_flow_mod(msg, len, &fm) != OF_OK)
		return;
	exercise_names(&fm.match, &fm.actions);
	FUZZ_CHECK(of_match_check_prereq(&fm.match) == OF_OK || v == OF_VERSION_10,
		   "strict 1.3 match breaks its prerequisites");
	r = of_encode_flow_mod(&b, v, 6, &fm);
	FUZZ_CHECK(r == 0, "strictly decoded flow-mod not re-encodable: %d", r);
	m = reencoded(&b, v, OFPT_FLOW_MOD);
	FUZZ_CHECK(of_decode_flow_mod(m, b.len, &again) == OF_OK, "re-encoded flow-mod rejected");
	FUZZ_CHECK(memcmp(&fm, &again, sizeof(fm)) == 0, "flow-mod changed in a round trip");
	free(m);
	of_buf_free(&b);
}

static void check_flow_removed(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_flow_removed fr, again;
	struct of_buf b = { 0 };
	uint8_t *m;
	int r;

	if (of_decode_flow_removed(msg, len, &fr) != OF_OK)
		return;
	exercise_names(&fr.match, NULL);
	r = of_encode_flow_removed(&b, v, 7, &fr);
	if (r == -EINVAL && (fr.match.fields & OF_F_OTHER)) {
		of_buf_free(&b); /* the failed encode rolled back, its buffer stays */
		return;
	}
	FUZZ_CHECK(r == 0, "flow-removed not re-encodable: %d", r);
	m = reencoded(&b, v, OFPT_FLOW_REMOVED);
	FUZZ_CHECK(of_decode_flow_removed(m, b.len, &again) == OF_OK, "flow-removed rejected");
	FUZZ_CHECK(memcmp(&fr, &again, sizeof(fr)) == 0, "flow-removed changed");
	free(m);
	of_buf_free(&b);
}

static void check_port_status(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_port_status ps, again;
	struct of_buf b = { 0 };
	uint8_t *m;

	memset(&ps, 0, sizeof(ps));
	if (of_decode_port_status(msg, len, &ps) != OF_OK)
		return;
	normalise_port(&ps.port);
	FUZZ_CHECK(of_encode_port_status(&b, v, 8, &ps) == 0, "port-status not re-encodable");
	m = reencoded(&b, v, OFPT_PORT_STATUS);
	memset(&again, 0, sizeof(again));
	FUZZ_CHECK(of_decode_port_status(m, b.len, &again) == OF_OK, "port-status rejected");
	FUZZ_CHECK(memcmp(&ps, &again, sizeof(ps)) == 0, "port-status changed");
	free(m);
	of_buf_free(&b);
}

static void check_stats_request(uint8_t v, const uint8_t *msg, size_t len)
{
	struct of_stats_request rq, again;
	struct of_buf b = { 0 };
	uint8_t *m;
	int r;

	if (of_decode_stats_request(msg, len, &rq) != OF_OK)
		return;
	exercise_names(&rq.match, NULL);
	r = of_encode_stats_request(&b, v, 9, &rq);
	FUZZ_CHECK(r == 0, "stats request not re-encodable: %d", r);
	m = reencoded(&b, v, of_type_stats_request(v));
	FUZZ_CHECK(of_decode_stats_request(m, b.len, &again) == OF_OK, "stats request rejected");
	FUZZ_CHECK(memcmp(&rq, &again, sizeof(rq)) == 0, "stats request changed");
	free(m);
	of_buf_free(&b);
}

/* ---- stats reply bodies ---- */

static void check_flow_stats_body(uint8_t v, const uint8_t *body, size_t len)
{
	struct of_flow_stats fs, again;
	size_t off = 0;
	int r;

	while ((r = of_flow_stats_next(v, body, len, &off, &fs)) == 1) {
		struct of_buf b = { 0 };
		size_t off2 = 0;
		uint8_t *copy;
		int e;

		exercise_names(&fs.match, &fs.actions);
		e = of_encode_flow_stats(&b, v, &fs);
		/* what a switch reports may not be sayable: other match fields,
		 * set-fields the match does not pin down */
		if (e == 0 && !fs.actions_truncated) {
			copy = exact_copy(b.data, b.len);
			memset(&again, 0, sizeof(again));
			FUZZ_CHECK(of_flow_stats_next(v, copy, b.len, &off2, &again) == 1 &&
				   off2 == b.len, "re-encoded flow stats rejected");
			FUZZ_CHECK(memcmp(&fs, &again, sizeof(fs)) == 0, "flow stats changed");
			free(copy);
		} else {
			FUZZ_CHECK(e == 0 || e == -EINVAL, "flow stats encode: %d", e);
		}
		of_buf_free(&b);
	}
	FUZZ_CHECK(r == 0 || (-r > OF_OK && -r < OF_E__COUNT), "of_flow_stats_next returned %d", r);
}

static void check_table_stats_body(uint8_t v, const uint8_t *body, size_t len)
{
	struct of_table_stats ts, again;
	size_t off = 0;

	while (of_table_stats_next(v, body, len, &off, &ts) == 1) {
		struct of_buf b = { 0 };
		size_t off2 = 0;

		FUZZ_CHECK(of_encode_table_stats(&b, v, &ts) == 0, "table stats not encodable");
		FUZZ_CHECK(of_table_stats_next(v, b.data, b.len, &off2, &again) == 1 &&
			   again.table_id == ts.table_id && again.active_count == ts.active_count &&
			   again.lookup_count == ts.lookup_count &&
			   again.matched_count == ts.matched_count, "table stats changed");
		of_buf_free(&b);
	}
}

static void check_port_stats_body(uint8_t v, const uint8_t *body, size_t len)
{
	struct of_port_stats ps, again;
	size_t off = 0;

	while (of_port_stats_next(v, body, len, &off, &ps) == 1) {
		struct of_buf b = { 0 };
		size_t off2 = 0;

		FUZZ_CHECK(of_encode_port_stats(&b, v, &ps) == 0, "port stats not encodable");
		memset(&again, 0, sizeof(again));
		FUZZ_CHECK(of_port_stats_next(v, b.data, b.len, &off2, &again) == 1 &&
			   memcmp(&ps, &again, sizeof(ps)) == 0, "port stats changed");
		of_buf_free(&b);
	}
}

static void check_stats_reply(uint8_t v, const uint8_t *msg, size_t len)
{
	static struct of_port ports[OFP_MAX_MSG_LEN / OFP13_PORT_LEN];
	struct of_mp_assembly a = { 0 };
	struct of_stats_part part;
	struct of_desc_stats d;
	struct of_aggregate_stats agg;
	uint8_t *body;

	if (of_decode_stats_reply(msg, len, &part) != OF_OK)
		return;
	FUZZ_CHECK(part.body + part.body_len == msg + len, "stats body outside the message");
	/* the body on its own, as reassembly hands it to the reply callback */
	body = exact_copy(part.body, part.body_len);
	switch (part.type) {
	case OF_ST_DESC:
		if (of_decode_desc_stats(body, part.body_len, &d) == OF_OK) {
			struct of_buf b = { 0 };
			struct of_desc_stats again;

			FUZZ_CHECK(of_encode_desc_stats(&b, &d) == 0, "desc not encodable");
			FUZZ_CHECK(of_decode_desc_stats(b.data, b.len, &again) == OF_OK &&
				   strcmp(again.mfr_desc, d.mfr_desc) == 0 &&
				   strcmp(again.hw_desc, d.hw_desc) == 0 &&
				   strcmp(again.sw_desc, d.sw_desc) == 0 &&
				   strcmp(again.serial_num, d.serial_num) == 0 &&
				   strcmp(again.dp_desc, d.dp_desc) == 0, "desc changed");
			of_buf_free(&b);
		}
		break;
	case OF_ST_AGGREGATE:
		if (of_decode_aggregate_stats(body, part.body_len, &agg) == OF_OK) {
			struct of_buf b = { 0 };
			struct of_aggregate_stats again;

			FUZZ_CHECK(of_encode_aggregate_stats(&b, &agg) == 0, "aggregate not encodable");
			FUZZ_CHECK(of_decode_aggregate_stats(b.data, b.len, &again) == OF_OK &&
				   again.packet_count == agg.packet_count &&
				   again.byte_count == agg.byte_count &&
				   again.flow_count == agg.flow_count, "aggregate changed");
			of_buf_free(&b);
		}
		break;
	case OF_ST_FLOW:
		check_flow_stats_body(v, body, part.body_len);
		break;
	case OF_ST_TABLE:
		check_table_stats_body(v, body, part.body_len);
		break;
	case OF_ST_PORT:
		check_port_stats_body(v, body, part.body_len);
		break;
	case OF_ST_PORT_DESC:
		collect_ports(v, body, part.body_len, ports, sizeof(ports) / sizeof(ports[0]));
		break;
	}
	free(body);
	/* two parts of the same reply reassembled, then a part of another type */
	FUZZ_CHECK(of_mp_add(&a, v, &part) == OF_OK, "first part refused");
	if (!a.done) {
		FUZZ_CHECK(of_mp_add(&a, v, &part) == OF_OK, "second part refused");
		FUZZ_CHECK(a.body.len == 2 * part.body_len, "reassembled %zu of %zu", a.body.len,
			   2 * part.body_len);
		part.type ^= 1;
		FUZZ_CHECK(of_mp_add(&a, v, &part) == OF_E_BAD_STAT, "part of another type taken");
	}
	of_buf_free(&a.body);
}

/* ---- one framed message ---- */

static void check_message(const uint8_t *wire, size_t len)
{
	uint8_t *msg = exact_copy(wire, len);
	uint8_t type = msg[1], v;
	struct of_buf b = { 0 };
	uint16_t etype, ecode;

	of_version_name(msg[0]);
	if (type == OFPT_HELLO)
		check_hello(msg, len);
	v = msg[0] = msg[0] == OF_VERSION_10 ? OF_VERSION_10 : OF_VERSION_13;
	of_type_name(v, type);
	switch (type) {
	case OFPT_ERROR:
		check_error(v, msg, len);
		break;
	case OFPT_FEATURES_REPLY:
		check_features_reply(v, msg, len);
		break;
	case OFPT_GET_CONFIG_REPLY:
	case OFPT_SET_CONFIG:
		check_switch_config(v, type, msg, len);
		break;
	case OFPT_PACKET_IN:
		check_packet_in(v, msg, len);
		break;
	case OFPT_FLOW_REMOVED:
		check_flow_removed(v, msg, len);
		break;
	case OFPT_PORT_STATUS:
		check_port_status(v, msg, len);
		break;
	case OFPT_PACKET_OUT:
		check_packet_out(v, msg, len);
		break;
	case OFPT_FLOW_MOD:
		check_flow_mod(v, msg, len);
		break;
	default:
		if (type == of_type_stats_request(v))
			check_stats_request(v, msg, len);
		else if (type == of_type_stats_reply(v))
			check_stats_reply(v, msg, len);
		break;
	}
	/* what the connection answers to a message it refuses: an error
	 * carrying the start of it, in every mapping of enum of_err */
	for (int e = OF_OK; e <= OF_E__COUNT; e++) {
		of_error_wire(v, (enum of_err)e, &etype, &ecode);
		of_err_str((enum of_err)e);
	}
	FUZZ_CHECK(of_encode_error_for(&b, v, 10, OF_E_BAD_LEN, msg, len) == 0, "error encode");
	FUZZ_CHECK(of_encode_simple(&b, v, OFPT_ECHO_REPLY, 11, msg + OFP_HEADER_LEN,
				    len - OFP_HEADER_LEN) == 0, "echo reply encode");
	of_buf_free(&b);
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct of_header h;
	size_t off = 0;
	long n;

	while ((n = of_frame(data + off, size - off, &h)) > 0) {
		FUZZ_CHECK((size_t)n >= OFP_HEADER_LEN && (size_t)n <= size - off,
			   "framed %ld of %zu bytes", n, size - off);
		check_message(data + off, (size_t)n);
		off += (size_t)n;
	}
	return 0;
}
