/* of10.h - the OpenFlow 1.0 wire constants and byte offsets ofbench needs,
 * plus big-endian load/store helpers.
 *
 * ofbench measures nfpd's OpenFlow controller, so it deliberately does not
 * include nfpd's codec: a measuring tool stays independent of what it
 * measures. Everything here is written from the OpenFlow 1.0.0 specification
 * (wire protocol 0x01); offsets count from the first byte of the message.
 */
#ifndef OFBENCH_OF10_H
#define OFBENCH_OF10_H

#include <stdint.h>
#include <string.h>

#define OF10_VERSION 0x01
#define OF10_HEADER_LEN 8
#define OF10_NO_BUFFER 0xffffffffu

/* message types (ofp_type) */
enum of10_type {
	OF10_HELLO = 0,
	OF10_ERROR = 1,
	OF10_ECHO_REQUEST = 2,
	OF10_ECHO_REPLY = 3,
	OF10_VENDOR = 4,
	OF10_FEATURES_REQUEST = 5,
	OF10_FEATURES_REPLY = 6,
	OF10_GET_CONFIG_REQUEST = 7,
	OF10_GET_CONFIG_REPLY = 8,
	OF10_SET_CONFIG = 9,
	OF10_PACKET_IN = 10,
	OF10_FLOW_REMOVED = 11,
	OF10_PORT_STATUS = 12,
	OF10_PACKET_OUT = 13,
	OF10_FLOW_MOD = 14,
	OF10_PORT_MOD = 15,
	OF10_STATS_REQUEST = 16,
	OF10_STATS_REPLY = 17,
	OF10_BARRIER_REQUEST = 18,
	OF10_BARRIER_REPLY = 19,
	OF10_QUEUE_GET_CONFIG_REQUEST = 20,
	OF10_QUEUE_GET_CONFIG_REPLY = 21,
};

/* header: version(1) type(1) length(2) xid(4) */
#define OF10_OFF_VERSION 0
#define OF10_OFF_TYPE 1
#define OF10_OFF_LENGTH 2
#define OF10_OFF_XID 4

/* errors we send back: type BAD_REQUEST and its codes; the error body
 * carries at least 64 bytes of the offending message (spec 5.4.4) */
#define OF10_ET_HELLO_FAILED 0
#define OF10_ET_BAD_REQUEST 1
#define OF10_BRC_BAD_VERSION 0
#define OF10_BRC_BAD_TYPE 1
#define OF10_BRC_BAD_STAT 2
#define OF10_BRC_BAD_VENDOR 3
#define OF10_BRC_BAD_LEN 6
#define OF10_ERROR_DATA_MAX 64
#define OF10_ERROR_LEN 12 /* header + type(2) + code(2) */

/* features_reply: datapath_id(8) n_buffers(4) n_tables(1) pad(3)
 * capabilities(4) actions(4), then ofp_phy_port[] of 48 bytes each */
#define OF10_FEATURES_LEN 32
#define OF10_PHY_PORT_LEN 48
#define OF10_PORT_NAME_LEN 16
#define OF10_CAP_FLOW_STATS (1u << 0)
#define OF10_CAP_TABLE_STATS (1u << 1)
#define OF10_CAP_PORT_STATS (1u << 2)
#define OF10_PF_10GB_FD (1u << 6)
#define OF10_PF_COPPER (1u << 7)

/* switch_config (get_config_reply, set_config): flags(2) miss_send_len(2) */
#define OF10_SWITCH_CONFIG_LEN 12
#define OF10_DEFAULT_MISS_SEND_LEN 128

/* packet_in: buffer_id(4) total_len(2) in_port(2) reason(1) pad(1) data */
#define OF10_PI_OFF_BUFFER_ID 8
#define OF10_PI_OFF_TOTAL_LEN 12
#define OF10_PI_OFF_IN_PORT 14
#define OF10_PI_OFF_REASON 16
#define OF10_PI_DATA 18
#define OF10_R_NO_MATCH 0

/* packet_out: buffer_id(4) in_port(2) actions_len(2) actions data */
#define OF10_PO_OFF_BUFFER_ID 8
#define OF10_PO_OFF_ACTIONS_LEN 14
#define OF10_PO_MIN_LEN 16

/* flow_mod: ofp_match(40) cookie(8) command(2) idle(2) hard(2)
 * priority(2) buffer_id(4) out_port(2) flags(2) actions */
#define OF10_FM_OFF_MATCH 8
#define OF10_FM_OFF_COMMAND 56
#define OF10_FM_OFF_BUFFER_ID 64
#define OF10_FM_MIN_LEN 72
#define OF10_FC_ADD 0
#define OF10_FC_MODIFY_STRICT 2
/* within ofp_match: wildcards(4) in_port(2) dl_src(6) dl_dst(6) ... */
#define OF10_MATCH_OFF_DL_SRC 6
#define OF10_FW_DL_SRC (1u << 2)

/* stats_request / stats_reply: type(2) flags(2) body */
#define OF10_STATS_LEN 12
#define OF10_ST_DESC 0
#define OF10_ST_FLOW 1
#define OF10_ST_AGGREGATE 2
#define OF10_ST_TABLE 3
#define OF10_ST_PORT 4
#define OF10_ST_QUEUE 5
#define OF10_DESC_STATS_LEN 1056 /* mfr 256, hw 256, sw 256, serial 32, dp 256 */
#define OF10_AGGREGATE_STATS_LEN 24

#define ETH_LEN 14
#define ETHTYPE_IPV4 0x0800
#define ETHTYPE_ARP 0x0806
#define ETHTYPE_VLAN 0x8100
#define ETHTYPE_LLDP 0x88cc

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static inline void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* Write an OpenFlow 1.0 header. */
static inline void of10_header(uint8_t *p, uint8_t type, uint16_t len, uint32_t xid)
{
	p[OF10_OFF_VERSION] = OF10_VERSION;
	p[OF10_OFF_TYPE] = type;
	put16(p + OF10_OFF_LENGTH, len);
	put32(p + OF10_OFF_XID, xid);
}

#endif
