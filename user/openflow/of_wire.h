/* of_wire.h - OpenFlow 1.0 and 1.3 wire constants (message types, lengths of
 * the fixed parts, match/action/instruction numbers) and the big-endian
 * byte helpers the codec reads and writes them with.
 *
 * Only the codec (user/openflow/of_*.c) includes this file: modules and the
 * rest of nfpd see the version-independent structs of of_types.h. The codec
 * reads fields at explicit offsets instead of casting packed structs onto
 * the buffer, so an unaligned or short buffer can never be misread.
 */
#ifndef NFP_OF_WIRE_H
#define NFP_OF_WIRE_H

#include <stdint.h>
#include <string.h>

#define OFP10_VERSION 0x01
#define OFP13_VERSION 0x04

#define OFP_HEADER_LEN 8
#define OFP_MAX_MSG_LEN 65535

/* ---- message types: 0-14 are shared, 4 is VENDOR/EXPERIMENTER ---- */
enum {
	OFPT_HELLO = 0,
	OFPT_ERROR = 1,
	OFPT_ECHO_REQUEST = 2,
	OFPT_ECHO_REPLY = 3,
	OFPT_EXPERIMENTER = 4,
	OFPT_FEATURES_REQUEST = 5,
	OFPT_FEATURES_REPLY = 6,
	OFPT_GET_CONFIG_REQUEST = 7,
	OFPT_GET_CONFIG_REPLY = 8,
	OFPT_SET_CONFIG = 9,
	OFPT_PACKET_IN = 10,
	OFPT_FLOW_REMOVED = 11,
	OFPT_PORT_STATUS = 12,
	OFPT_PACKET_OUT = 13,
	OFPT_FLOW_MOD = 14,
};
/* 1.0 from 15 on */
enum {
	OFPT10_PORT_MOD = 15,
	OFPT10_STATS_REQUEST = 16,
	OFPT10_STATS_REPLY = 17,
	OFPT10_BARRIER_REQUEST = 18,
	OFPT10_BARRIER_REPLY = 19,
	OFPT10_QUEUE_GET_CONFIG_REQUEST = 20,
	OFPT10_QUEUE_GET_CONFIG_REPLY = 21,
	OFPT10_MAX = 21,
};
/* 1.3 from 15 on */
enum {
	OFPT13_GROUP_MOD = 15,
	OFPT13_PORT_MOD = 16,
	OFPT13_TABLE_MOD = 17,
	OFPT13_MULTIPART_REQUEST = 18,
	OFPT13_MULTIPART_REPLY = 19,
	OFPT13_BARRIER_REQUEST = 20,
	OFPT13_BARRIER_REPLY = 21,
	OFPT13_QUEUE_GET_CONFIG_REQUEST = 22,
	OFPT13_QUEUE_GET_CONFIG_REPLY = 23,
	OFPT13_ROLE_REQUEST = 24,
	OFPT13_ROLE_REPLY = 25,
	OFPT13_GET_ASYNC_REQUEST = 26,
	OFPT13_GET_ASYNC_REPLY = 27,
	OFPT13_SET_ASYNC = 28,
	OFPT13_METER_MOD = 29,
	OFPT13_MAX = 29,
};

/* ---- hello elements (1.3.1+) ---- */
#define OFPHET_VERSIONBITMAP 1

/* ---- fixed lengths (including the 8-byte header) ---- */
#define OFP_SWITCH_CONFIG_LEN 12
#define OFP_ERROR_MSG_LEN 12
#define OFP10_FEATURES_REPLY_LEN 32
#define OFP13_FEATURES_REPLY_LEN 32
#define OFP10_PHY_PORT_LEN 48
#define OFP13_PORT_LEN 64
#define OFP10_MATCH_LEN 40
#define OFP10_PACKET_IN_LEN 18 /* up to the data; sizeof() would say 20 */
#define OFP13_PACKET_IN_LEN 24 /* up to the match */
#define OFP10_FLOW_REMOVED_LEN 88
#define OFP13_FLOW_REMOVED_LEN 48 /* up to the match */
#define OFP10_PORT_STATUS_LEN 64
#define OFP13_PORT_STATUS_LEN 80
#define OFP10_PACKET_OUT_LEN 16
#define OFP13_PACKET_OUT_LEN 24
#define OFP10_FLOW_MOD_LEN 72
#define OFP13_FLOW_MOD_LEN 48 /* up to the match */
#define OFP10_STATS_LEN 12     /* header + type + flags */
#define OFP13_MULTIPART_LEN 16 /* header + type + flags + pad */

/* ---- 1.0 match wildcards ---- */
#define OFPFW10_IN_PORT (1u << 0)
#define OFPFW10_DL_VLAN (1u << 1)
#define OFPFW10_DL_SRC (1u << 2)
#define OFPFW10_DL_DST (1u << 3)
#define OFPFW10_DL_TYPE (1u << 4)
#define OFPFW10_NW_PROTO (1u << 5)
#define OFPFW10_TP_SRC (1u << 6)
#define OFPFW10_TP_DST (1u << 7)
#define OFPFW10_NW_SRC_SHIFT 8
#define OFPFW10_NW_DST_SHIFT 14
#define OFPFW10_NW_BITS_MASK 0x3fu
#define OFPFW10_DL_VLAN_PCP (1u << 20)
#define OFPFW10_NW_TOS (1u << 21)
#define OFPFW10_ALL ((1u << 22) - 1)
#define OFP10_VLAN_NONE 0xffff

/* ---- 1.3 match and OXM ---- */
#define OFPMT_OXM 1
#define OFPXMC_OPENFLOW_BASIC 0x8000
enum {
	OXM_IN_PORT = 0,
	OXM_IN_PHY_PORT = 1,
	OXM_METADATA = 2,
	OXM_ETH_DST = 3,
	OXM_ETH_SRC = 4,
	OXM_ETH_TYPE = 5,
	OXM_VLAN_VID = 6,
	OXM_VLAN_PCP = 7,
	OXM_IP_DSCP = 8,
	OXM_IP_ECN = 9,
	OXM_IP_PROTO = 10,
	OXM_IPV4_SRC = 11,
	OXM_IPV4_DST = 12,
	OXM_TCP_SRC = 13,
	OXM_TCP_DST = 14,
	OXM_UDP_SRC = 15,
	OXM_UDP_DST = 16,
	OXM_SCTP_SRC = 17,
	OXM_SCTP_DST = 18,
	OXM_ICMPV4_TYPE = 19,
	OXM_ICMPV4_CODE = 20,
	OXM_ARP_OP = 21,
	OXM_ARP_SPA = 22,
	OXM_ARP_TPA = 23,
	OXM_ARP_SHA = 24,
	OXM_ARP_THA = 25,
	OXM_IPV6_SRC = 26,
	OXM_IPV6_DST = 27,
	OXM_MAX_FIELD = 39,
};
#define OFPVID13_PRESENT 0x1000

/* ---- actions ---- */
enum {
	OFPAT10_OUTPUT = 0,
	OFPAT10_SET_VLAN_VID = 1,
	OFPAT10_SET_VLAN_PCP = 2,
	OFPAT10_STRIP_VLAN = 3,
	OFPAT10_SET_DL_SRC = 4,
	OFPAT10_SET_DL_DST = 5,
	OFPAT10_SET_NW_SRC = 6,
	OFPAT10_SET_NW_DST = 7,
	OFPAT10_SET_NW_TOS = 8,
	OFPAT10_SET_TP_SRC = 9,
	OFPAT10_SET_TP_DST = 10,
	OFPAT10_ENQUEUE = 11,
};
enum {
	OFPAT13_OUTPUT = 0,
	OFPAT13_PUSH_VLAN = 17,
	OFPAT13_POP_VLAN = 18,
	OFPAT13_SET_FIELD = 25,
};
#define OFPAT_VENDOR 0xffff

/* ---- 1.3 instructions ---- */
enum {
	OFPIT13_GOTO_TABLE = 1,
	OFPIT13_WRITE_METADATA = 2,
	OFPIT13_WRITE_ACTIONS = 3,
	OFPIT13_APPLY_ACTIONS = 4,
	OFPIT13_CLEAR_ACTIONS = 5,
	OFPIT13_METER = 6,
};

/* ---- stats / multipart types ---- */
#define OFPSF_REPLY_MORE 1
#define OFP10_PORT_NONE 0xffff
#define OFP13_GROUP_ANY 0xffffffffu

/* ---- error types, per version ---- */
enum {
	OFPET_HELLO_FAILED = 0,
	OFPET_BAD_REQUEST = 1,
	OFPET_BAD_ACTION = 2,
	OFPET10_FLOW_MOD_FAILED = 3,
	OFPET13_BAD_INSTRUCTION = 3,
	OFPET13_BAD_MATCH = 4,
	OFPET13_FLOW_MOD_FAILED = 5,
	OFPET13_SWITCH_CONFIG_FAILED = 10,
};

/* ---- big-endian accessors ---- */
static inline uint16_t of_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t of_get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline uint64_t of_get64(const uint8_t *p)
{
	return ((uint64_t)of_get32(p) << 32) | of_get32(p + 4);
}
static inline void of_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void of_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}
static inline void of_put64(uint8_t *p, uint64_t v)
{
	of_put32(p, (uint32_t)(v >> 32));
	of_put32(p + 4, (uint32_t)v);
}

#endif
