/* of_codec.h - the OpenFlow 1.0/1.3 codec: framing, then one encoder and one
 * decoder per message, converting between the wire and of_types.h.
 *
 * Encoders append one whole message to a struct of_buf and return 0, or a
 * negative errno (-ENOMEM, -EINVAL when the request cannot be expressed in
 * that version, -EMSGSIZE past 64 KiB) after rolling the buffer back, so a
 * failed encode never leaves half a message behind.
 *
 * Decoders take one whole framed message (@msg, @len = its header length)
 * and return OF_OK or the enum of_err naming what was wrong; of_error_wire()
 * turns that into the OpenFlow error to send back. They check every length
 * against the bytes present and never read past @len. Decoded pointers
 * (packet data, error data, feature ports) point into @msg.
 *
 * Files: of_msg.c (framing, header, hello, error, echo, features, config,
 * barrier), of_packet.c (packet-in, packet-out), of_flow.c (flow-mod,
 * flow-removed, instructions), of_port.c (ports, port-status), of_match10.c,
 * of_oxm.c, of_actions.c, of_multipart.c, of_print.c (names for logs).
 */
#ifndef NFP_OF_CODEC_H
#define NFP_OF_CODEC_H

#include "openflow/of_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct of_header {
	uint8_t version;
	uint8_t type;
	uint16_t length;
	uint32_t xid;
};

/* The first message in a byte stream: its length when it is all there, 0
 * when more bytes are needed, -1 when its length field is below the header
 * size (the stream cannot be resynchronised: send BAD_LEN and close). */
long of_frame(const uint8_t *p, size_t avail, struct of_header *h);

bool of_version_supported(uint8_t version);

/* ---- hello and version negotiation ---- */
/* Bitmap of the versions we speak: bit N = wire version N. */
#define OF_OUR_VERSIONS ((1u << OF_VERSION_10) | (1u << OF_VERSION_13))
/* HELLO with header version = the highest in @bitmap and a VERSIONBITMAP
 * element (1.0 peers ignore the body). */
int of_encode_hello(struct of_buf *b, uint32_t xid, uint32_t bitmap);
/* The peer's offer: *bitmap = its version bitmap element, 0 when absent. */
enum of_err of_decode_hello(const uint8_t *msg, size_t len, uint32_t *bitmap);
/* The version to speak: with a peer bitmap the highest common bit, else the
 * lower of the two header versions (the pre-1.3.1 rule) if we speak it; 0
 * when nothing is common (send HELLO_FAILED/INCOMPATIBLE and close). */
uint8_t of_negotiate(uint32_t ours, uint8_t their_version, uint32_t their_bitmap);

/* ---- error ---- */
/* @data: the offending message (at most 64 bytes of it are copied). */
int of_encode_error(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
		    uint16_t code, const uint8_t *data, size_t data_len);
/* The same with all of @data (as much as a message holds): what a proxy
 * answers a controller with, its request intact. */
int of_encode_error_whole(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
			  uint16_t code, const uint8_t *data, size_t data_len);
int of_encode_error_for(struct of_buf *b, uint8_t version, uint32_t xid, enum of_err e,
			const uint8_t *data, size_t data_len);
enum of_err of_decode_error(const uint8_t *msg, size_t len, struct of_error_msg *out);

/* ---- header-only and small messages ---- */
/* Any message that is a bare header with an optional payload copied as is
 * (echo request/reply, features request, barrier, get-config request). */
int of_encode_simple(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid,
		     const uint8_t *payload, size_t payload_len);
uint8_t of_type_barrier_request(uint8_t version);
uint8_t of_type_barrier_reply(uint8_t version);
uint8_t of_type_stats_request(uint8_t version);
uint8_t of_type_stats_reply(uint8_t version);

int of_encode_features_reply(struct of_buf *b, uint8_t version, uint32_t xid,
			     const struct of_features *f, const struct of_port *ports,
			     size_t n_ports);
enum of_err of_decode_features_reply(const uint8_t *msg, size_t len, struct of_features *f);

/* SET_CONFIG or GET_CONFIG_REPLY (@type). */
int of_encode_switch_config(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid,
			    const struct of_switch_config *c);
enum of_err of_decode_switch_config(const uint8_t *msg, size_t len, struct of_switch_config *c);

/* ---- packet-in / packet-out (of_packet.c) ---- */
int of_encode_packet_in(struct of_buf *b, uint8_t version, uint32_t xid,
			const struct of_packet_in *pi);
enum of_err of_decode_packet_in(const uint8_t *msg, size_t len, struct of_packet_in *pi);
int of_encode_packet_out(struct of_buf *b, uint8_t version, uint32_t xid,
			 const struct of_packet_out *po);
enum of_err of_decode_packet_out(const uint8_t *msg, size_t len, struct of_packet_out *po);

/* A PACKET_IN, PACKET_OUT or FLOW_MOD of either version, whichever it is:
 * decoded into @body and described by @m (pointing into @body and @msg).
 * OF_E_BAD_TYPE for any other message. */
union of_msg_body {
	struct of_packet_in packet_in;
	struct of_packet_out packet_out;
	struct of_flow_mod flow_mod;
};
enum of_err of_decode_msg(const uint8_t *msg, size_t len, struct of_msg *m,
			  union of_msg_body *body);

/* ---- flow-mod / flow-removed (of_flow.c) ---- */
int of_encode_flow_mod(struct of_buf *b, uint8_t version, uint32_t xid,
		       const struct of_flow_mod *fm);
/* Strict: unknown fields, instructions or actions are errors, and 1.3
 * set-field actions are checked against the match (MATCH_INCONSISTENT). */
enum of_err of_decode_flow_mod(const uint8_t *msg, size_t len, struct of_flow_mod *fm);
int of_encode_flow_removed(struct of_buf *b, uint8_t version, uint32_t xid,
			   const struct of_flow_removed *fr);
enum of_err of_decode_flow_removed(const uint8_t *msg, size_t len, struct of_flow_removed *fr);
/* 1.3 instruction list holding one APPLY_ACTIONS (none when @l is empty). */
int of_instructions_encode(struct of_buf *b, const struct of_action_list *l,
			   const struct of_match *m);
enum of_err of_instructions_decode(const uint8_t *p, size_t len, struct of_action_list *l,
				   bool strict);

/* ---- ports (of_port.c) ---- */
size_t of_port_wire_len(uint8_t version);
/* Append one ofp_phy_port (1.0) / ofp_port (1.3). */
int of_port_encode(struct of_buf *b, uint8_t version, const struct of_port *port);
/* Iterate an array of ports (1.0 features reply, 1.3 port-desc body):
 * returns 1 with *port filled, 0 at the end, -OF_E_BAD_LEN when the bytes
 * are not a whole number of ports. */
int of_port_next(uint8_t version, const uint8_t *p, size_t len, size_t *off,
		 struct of_port *port);
int of_encode_port_status(struct of_buf *b, uint8_t version, uint32_t xid,
			  const struct of_port_status *ps);
enum of_err of_decode_port_status(const uint8_t *msg, size_t len, struct of_port_status *ps);

/* ---- matches (of_match10.c, of_oxm.c) ---- */
/* -EINVAL when @m cannot be said in 1.0 (non-CIDR IPv4 or Ethernet masks). */
int of_match10_encode(uint8_t out[40], const struct of_match *m);
enum of_err of_match10_decode(const uint8_t in[40], struct of_match *m);
/* Append an ofp_match (type OXM) padded to 8 bytes, fields in prerequisite
 * order. -EINVAL when a field lacks its prerequisite (e.g. TP without
 * ip_proto TCP/UDP/SCTP/ICMP). */
int of_oxm_encode(struct of_buf *b, const struct of_match *m);
/* Decode the ofp_match at @p (@avail bytes there); *consumed = its padded
 * length. Strict decoding checks prerequisites (in order), duplicates and
 * masks, and rejects fields of_match cannot hold; lenient decoding (what a
 * switch reports) skips them and sets OF_F_OTHER. */
enum of_err of_oxm_decode(const uint8_t *p, size_t avail, struct of_match *m, size_t *consumed,
			  bool strict);
/* Prerequisites of a decoded match (shared by both versions' checks). */
enum of_err of_match_check_prereq(const struct of_match *m);

/* ---- actions (of_actions.c) ---- */
/* Append the action list; @m (the flow's match, may be NULL) decides which
 * 1.3 OXM field a transport set-field uses. */
int of_actions_encode(struct of_buf *b, uint8_t version, const struct of_action_list *l,
		      const struct of_match *m);
enum of_err of_actions_decode(uint8_t version, const uint8_t *p, size_t len,
			      struct of_action_list *l);
/* 1.3 set-field prerequisites against the match and earlier actions. */
enum of_err of_actions_check(const struct of_action_list *l, const struct of_match *m);

/* ---- stats / multipart (of_multipart.c) ---- */
enum of_stats_type {
	OF_ST_DESC = 0,
	OF_ST_FLOW = 1,
	OF_ST_AGGREGATE = 2,
	OF_ST_TABLE = 3,
	OF_ST_PORT = 4,
	OF_ST_PORT_DESC = 13, /* 1.3 only; 1.0 ports come with the features reply */
};

struct of_stats_request {
	uint16_t type;      /* enum of_stats_type */
	uint8_t table_id;   /* flow, aggregate: OF_TABLE_ALL */
	uint32_t out_port;  /* flow, aggregate: OF_PORT_ANY */
	uint32_t port_no;   /* port: OF_PORT_ANY for all */
	struct of_match match; /* flow, aggregate */
};
int of_encode_stats_request(struct of_buf *b, uint8_t version, uint32_t xid,
			    const struct of_stats_request *rq);
enum of_err of_decode_stats_request(const uint8_t *msg, size_t len, struct of_stats_request *rq);

/* One reply message. */
struct of_stats_part {
	uint16_t type;
	uint16_t flags; /* OFPSF_REPLY_MORE = 1 */
	const uint8_t *body;
	size_t body_len;
};
int of_encode_stats_reply(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
			  uint16_t flags, const uint8_t *body, size_t body_len);
enum of_err of_decode_stats_reply(const uint8_t *msg, size_t len, struct of_stats_part *part);

/* Reassembly of a reply split with the MORE flag. */
#define OF_MP_MAX_BODY (16u << 20)
struct of_mp_assembly {
	uint8_t version;
	uint16_t type;
	bool started, done;
	struct of_buf body;
};
/* Add a part: OF_E_BAD_STAT when its type differs from the first part's,
 * OF_E_MULTIPART_OVERFLOW past OF_MP_MAX_BODY. Sets done on the last. */
enum of_err of_mp_add(struct of_mp_assembly *a, uint8_t version, const struct of_stats_part *p);
void of_mp_reset(struct of_mp_assembly *a);

struct of_desc_stats {
	char mfr_desc[256], hw_desc[256], sw_desc[256], serial_num[32], dp_desc[256];
};
enum of_err of_decode_desc_stats(const uint8_t *body, size_t len, struct of_desc_stats *d);
int of_encode_desc_stats(struct of_buf *b, const struct of_desc_stats *d);

struct of_aggregate_stats {
	uint64_t packet_count, byte_count;
	uint32_t flow_count;
};
enum of_err of_decode_aggregate_stats(const uint8_t *body, size_t len,
				      struct of_aggregate_stats *a);
int of_encode_aggregate_stats(struct of_buf *b, const struct of_aggregate_stats *a);

struct of_flow_stats {
	uint8_t table_id;
	uint32_t duration_sec, duration_nsec;
	uint16_t priority, idle_timeout, hard_timeout, flags;
	uint64_t cookie, packet_count, byte_count;
	struct of_match match;
	struct of_action_list actions;
	bool actions_truncated; /* more actions (or other instructions) than we hold */
};
/* Iterators: 1 with an entry, 0 at the end, -(enum of_err) on bad bytes. */
int of_flow_stats_next(uint8_t version, const uint8_t *body, size_t len, size_t *off,
		       struct of_flow_stats *fs);
int of_encode_flow_stats(struct of_buf *b, uint8_t version, const struct of_flow_stats *fs);

struct of_table_stats {
	uint8_t table_id;
	uint32_t active_count;
	uint64_t lookup_count, matched_count;
};
int of_table_stats_next(uint8_t version, const uint8_t *body, size_t len, size_t *off,
			struct of_table_stats *ts);
int of_encode_table_stats(struct of_buf *b, uint8_t version, const struct of_table_stats *ts);

struct of_port_stats {
	uint32_t port_no;
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped;
	uint64_t rx_errors, tx_errors, rx_frame_err, rx_over_err, rx_crc_err, collisions;
	uint32_t duration_sec, duration_nsec; /* 1.3 */
};
int of_port_stats_next(uint8_t version, const uint8_t *body, size_t len, size_t *off,
		       struct of_port_stats *ps);
int of_encode_port_stats(struct of_buf *b, uint8_t version, const struct of_port_stats *ps);

/* ---- names for logs (of_print.c) ---- */
const char *of_type_name(uint8_t version, uint8_t type);
const char *of_version_name(uint8_t version);
/* "type 2 (BAD_ACTION) code 4" for logs and API errors. */
const char *of_error_name(uint8_t version, uint16_t type, uint16_t code, char *buf, size_t len);
/* "in_port=1,dl_src=...,dl_type=0x0800" (empty match: "any"). */
const char *of_match_format(const struct of_match *m, char *buf, size_t len);
const char *of_actions_format(const struct of_action_list *l, char *buf, size_t len);
const char *of_port_name(uint32_t port, char *buf, size_t len);

/* ---- helpers shared by the codec files (not for callers) ---- */
/* Start a message: zeroes @fixed bytes with the header filled; returns the
 * offset it started at in *start, or -ENOMEM. */
int of_msg_begin(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid, size_t fixed,
		 size_t *start);
/* Set the header length; -EMSGSIZE (rolled back) past 64 KiB. */
int of_msg_end(struct of_buf *b, size_t start);
/* Append @n zeroed bytes; NULL when out of memory. */
uint8_t *of_buf_put_zero(struct of_buf *b, size_t n);
uint32_t of_port_from10(uint16_t p);
uint16_t of_port_to10(uint32_t p);

#endif
