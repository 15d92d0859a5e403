/* of_types.h - the version-independent view of OpenFlow that modules, the
 * broker and the API work with: matches, actions, flow-mods, packet-ins,
 * ports, stats, errors. The codec (of_msg.c, of_match10.c, of_oxm.c,
 * of_actions.c, of_multipart.c) converts between these and the 1.0 / 1.3
 * wire formats, so nothing outside the codec knows a byte offset.
 *
 * Conventions:
 *  - port numbers are 32-bit, reserved ports use the 1.3 values (OF_PORT_*);
 *    the 1.0 codec maps 0xff00-0xffff to and from them;
 *  - a match holds the OpenFlow 1.0 field set (the one FlowVisor's flowspace
 *    uses) plus the IPv6 addresses (1.3 only). For ARP (eth_type 0x0806)
 *    ip_proto is the ARP opcode and ipv4_src/dst are the sender/target
 *    protocol addresses, as in 1.0; for ICMP tp_src/tp_dst are type/code.
 *    The OXM codec maps these onto the 1.3 fields (ARP_OP,
 *    TCP_SRC/UDP_SRC/SCTP_SRC, ICMPV4_TYPE, ...); with
 *    eth_type 0x86dd, ip_proto, ip_dscp and the TCP/UDP/SCTP ports are the
 *    IPv6 packet's;
 *  - IPv4 addresses and masks are host byte order; IPv6 addresses and masks
 *    are the 16 wire bytes.
 */
#ifndef NFP_OF_TYPES_H
#define NFP_OF_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OF_VERSION_10 0x01
#define OF_VERSION_13 0x04

/* reserved ports (1.3 numbering) */
#define OF_PORT_MAX 0xffffff00u
#define OF_PORT_IN_PORT 0xfffffff8u
#define OF_PORT_TABLE 0xfffffff9u
#define OF_PORT_NORMAL 0xfffffffau
#define OF_PORT_FLOOD 0xfffffffbu
#define OF_PORT_ALL 0xfffffffcu
#define OF_PORT_CONTROLLER 0xfffffffdu
#define OF_PORT_LOCAL 0xfffffffeu
#define OF_PORT_ANY 0xffffffffu /* 1.0 OFPP_NONE */

#define OF_NO_BUFFER 0xffffffffu
#define OF_TABLE_ALL 0xff
#define OF_VLAN_NONE 0xffff /* match: packet without a VLAN tag */
#define OF_MAX_ACTIONS 16
#define OF_CONTROLLER_MAX_LEN_ALL 0xffff /* output to controller: whole packet */

/* ---- errors: what a decoder found wrong, mapped to the wire type/code of
 * the message's version by of_error_wire() ---- */
enum of_err {
	OF_OK = 0,
	OF_E_HELLO_INCOMPATIBLE,
	OF_E_BAD_VERSION,
	OF_E_BAD_TYPE,
	OF_E_BAD_STAT,     /* unknown stats/multipart type */
	OF_E_BAD_EXPERIMENTER,
	OF_E_BAD_LEN,      /* a length field disagrees with the bytes */
	OF_E_EPERM,
	OF_E_BUFFER_UNKNOWN,
	OF_E_MULTIPART_OVERFLOW,
	OF_E_ACTION_BAD_TYPE,
	OF_E_ACTION_BAD_LEN,
	OF_E_ACTION_BAD_OUT_PORT,
	OF_E_ACTION_BAD_ARGUMENT,
	OF_E_ACTION_TOO_MANY,
	OF_E_ACTION_MATCH_INCONSISTENT,
	OF_E_ACTION_BAD_SET_TYPE,
	OF_E_INST_UNKNOWN,
	OF_E_INST_UNSUPPORTED,
	OF_E_INST_BAD_LEN,
	OF_E_MATCH_BAD_TYPE,
	OF_E_MATCH_BAD_LEN,
	OF_E_MATCH_BAD_FIELD,
	OF_E_MATCH_BAD_VALUE,
	OF_E_MATCH_BAD_MASK,
	OF_E_MATCH_BAD_PREREQ,
	OF_E_MATCH_DUP_FIELD,
	OF_E_MATCH_BAD_WILDCARDS,
	OF_E_FLOW_MOD_BAD_COMMAND,
	OF_E_FLOW_MOD_BAD_TABLE,
	OF_E_CONFIG_BAD_LEN,
	OF_E__COUNT,
};

/* The wire error for @e in @version. */
void of_error_wire(uint8_t version, enum of_err e, uint16_t *type, uint16_t *code);
const char *of_err_str(enum of_err e);

/* ---- a growable output buffer; encoders append to it ---- */
struct of_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};
/* Room for @n more bytes at data + len; NULL when out of memory. */
uint8_t *of_buf_reserve(struct of_buf *b, size_t n);
void of_buf_free(struct of_buf *b);

/* ---- match ---- */
enum {
	OF_F_IN_PORT = 1u << 0,
	OF_F_ETH_DST = 1u << 1,
	OF_F_ETH_SRC = 1u << 2,
	OF_F_ETH_TYPE = 1u << 3,
	OF_F_VLAN_VID = 1u << 4,
	OF_F_VLAN_PCP = 1u << 5,
	OF_F_IP_DSCP = 1u << 6,
	OF_F_IP_PROTO = 1u << 7,
	OF_F_IPV4_SRC = 1u << 8,
	OF_F_IPV4_DST = 1u << 9,
	OF_F_TP_SRC = 1u << 10,
	OF_F_TP_DST = 1u << 11,
	OF_F_IPV6_SRC = 1u << 12, /* 1.3 only: the 1.0 encoder refuses them */
	OF_F_IPV6_DST = 1u << 13,
	/* the switch matched on a field this struct cannot hold (IPv6 flow
	 * label, metadata, ...): only set by lenient decoding of what switches
	 * report */
	OF_F_OTHER = 1u << 31,
};

struct of_match {
	uint32_t fields; /* OF_F_* present */
	uint32_t in_port;
	uint8_t eth_dst[6], eth_dst_mask[6]; /* mask all-ones when exact */
	uint8_t eth_src[6], eth_src_mask[6];
	uint16_t eth_type;
	uint16_t vlan_vid; /* 0-4095, or OF_VLAN_NONE */
	uint8_t vlan_pcp;
	uint8_t ip_dscp;   /* DSCP (6 bits); 1.0 nw_tos = dscp << 2 */
	uint8_t ip_proto;  /* or ARP opcode */
	uint32_t ipv4_src, ipv4_src_mask;
	uint32_t ipv4_dst, ipv4_dst_mask;
	uint8_t ipv6_src[16], ipv6_src_mask[16]; /* mask all-ones when exact */
	uint8_t ipv6_dst[16], ipv6_dst_mask[16];
	uint16_t tp_src, tp_dst; /* L4 ports, or ICMP type / code */
};

/* Convenience: set an exact field. */
void of_match_set_eth_src(struct of_match *m, const uint8_t mac[6]);
void of_match_set_eth_dst(struct of_match *m, const uint8_t mac[6]);

/* ---- actions ---- */
enum of_action_type {
	OF_ACT_OUTPUT,
	OF_ACT_SET_VLAN_VID,  /* 1.0: sets (adding a tag if none); 1.3: set-field */
	OF_ACT_SET_VLAN_PCP,
	OF_ACT_POP_VLAN,      /* 1.0 STRIP_VLAN */
	OF_ACT_PUSH_VLAN,     /* 1.3 only; 1.0 encodes push + set-vid as set-vid */
	OF_ACT_SET_ETH_SRC,
	OF_ACT_SET_ETH_DST,
	OF_ACT_SET_IPV4_SRC,
	OF_ACT_SET_IPV4_DST,
	OF_ACT_SET_IP_DSCP,
	OF_ACT_SET_TP_SRC,
	OF_ACT_SET_TP_DST,
};

struct of_action {
	uint16_t type;    /* enum of_action_type */
	uint16_t max_len; /* OUTPUT to the controller */
	uint32_t value;   /* port, vid, pcp, ipv4, dscp, tp port, push ethertype */
	uint8_t mac[6];
};

struct of_action_list {
	uint16_t n;
	struct of_action a[OF_MAX_ACTIONS];
};

static inline void of_actions_output(struct of_action_list *l, uint32_t port)
{
	if (l->n < OF_MAX_ACTIONS)
		l->a[l->n++] = (struct of_action){ .type = OF_ACT_OUTPUT, .value = port,
						   .max_len = OF_CONTROLLER_MAX_LEN_ALL };
}

/* ---- messages ---- */
enum { OF_FC_ADD = 0, OF_FC_MODIFY = 1, OF_FC_MODIFY_STRICT = 2, OF_FC_DELETE = 3,
       OF_FC_DELETE_STRICT = 4 };
#define OF_FF_SEND_FLOW_REM 1
#define OF_FF_CHECK_OVERLAP 2

struct of_flow_mod {
	struct of_match match;
	uint64_t cookie, cookie_mask; /* cookie_mask: 1.3 modify/delete */
	uint8_t table_id;             /* 1.3; OF_TABLE_ALL for deletes */
	uint8_t command;              /* OF_FC_* */
	uint16_t idle_timeout, hard_timeout, priority;
	uint32_t buffer_id;           /* OF_NO_BUFFER */
	uint32_t out_port;            /* delete filter; OF_PORT_ANY */
	uint32_t out_group;           /* 1.3 delete filter */
	uint16_t flags;               /* OF_FF_* */
	struct of_action_list actions;
};
/* Defaults: add, no buffer, any port/group, table 0. */
void of_flow_mod_init(struct of_flow_mod *fm, uint8_t command);

struct of_packet_in {
	uint32_t buffer_id;
	uint16_t total_len;
	uint8_t reason;     /* 0 no match / table-miss, 1 action, 2 invalid ttl */
	uint8_t table_id;   /* 1.3 */
	uint64_t cookie;    /* 1.3 */
	uint32_t in_port;
	struct of_match match; /* 1.3: what the switch put in it; 1.0: in_port only */
	const uint8_t *data; /* points into the receive buffer: valid during the callback */
	size_t data_len;
};

struct of_packet_out {
	uint32_t buffer_id;
	uint32_t in_port; /* OF_PORT_CONTROLLER when none */
	struct of_action_list actions;
	const uint8_t *data; /* only when buffer_id == OF_NO_BUFFER */
	size_t data_len;
};

struct of_flow_removed {
	struct of_match match;
	uint64_t cookie;
	uint16_t priority;
	uint8_t reason; /* 0 idle timeout, 1 hard timeout, 2 delete */
	uint8_t table_id;
	uint32_t duration_sec, duration_nsec;
	uint16_t idle_timeout, hard_timeout;
	uint64_t packet_count, byte_count;
};

struct of_port {
	uint32_t port_no;
	uint8_t hw_addr[6];
	char name[16]; /* NUL-terminated (the codec truncates) */
	uint32_t config, state;
	uint32_t curr, advertised, supported, peer;
	uint32_t curr_speed, max_speed; /* kbps, 1.3 only */
};
#define OF_PORT_CONFIG_DOWN 1
#define OF_PORT_STATE_LINK_DOWN 1

enum { OF_PR_ADD = 0, OF_PR_DELETE = 1, OF_PR_MODIFY = 2 };
struct of_port_status {
	uint8_t reason; /* OF_PR_* */
	struct of_port port;
};

struct of_features {
	uint64_t dpid;
	uint32_t n_buffers;
	uint8_t n_tables;
	uint8_t auxiliary_id; /* 1.3 */
	uint32_t capabilities;
	uint32_t actions;     /* 1.0 */
	/* 1.0 only: the ports follow the fixed part; iterate them with
	 * of_features_port_next(). */
	const uint8_t *ports;
	size_t ports_len;
};

/* One message, decoded: what a provider's send op takes (of_provider.h),
 * and what the core's taps see in both directions (of_tap.h). */
enum of_msg_kind {
	OF_MSG_PACKET_IN,      /* switches send them; modules never do */
	OF_MSG_PACKET_OUT,
	OF_MSG_FLOW_MOD,
	OF_MSG_BARRIER,        /* no body */
	OF_MSG_STATS_REQUEST,  /* struct of_stats_request: of_codec.h */
};
struct of_stats_request;
struct of_msg {
	enum of_msg_kind kind;
	union {
		const struct of_packet_in *packet_in;
		const struct of_packet_out *packet_out;
		const struct of_flow_mod *flow_mod;
		const struct of_stats_request *stats_request;
	};
};

struct of_error_msg {
	uint16_t type, code;
	const uint8_t *data; /* the start of the offending request, usually */
	size_t data_len;
};

struct of_switch_config {
	uint16_t flags;
	uint16_t miss_send_len;
};

#endif
