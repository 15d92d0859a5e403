/* item.h - one traced thing as the readers see it: a packet from a tap, or
 * an OpenFlow message seen by the controller. Filled by user/trace/trace.c
 * (from a ring record) or user/trace/of.c; turned into bytes by format.c.
 */
#ifndef NFP_TRACE_ITEM_H
#define NFP_TRACE_ITEM_H

#include <stdint.h>

enum nfp_trace_item_kind {
	NFP_TRACE_ITEM_PACKET = 1,
	NFP_TRACE_ITEM_OPENFLOW = 2,
};

struct nfp_trace_item {
	int kind;               /* enum nfp_trace_item_kind */
	uint64_t time_ns;       /* wall clock, ns since the epoch */
	int dir;                /* NFP_TRACE_DIR_IN or NFP_TRACE_DIR_OUT */
	uint32_t orig_len;      /* length on the wire (packet or OpenFlow message) */
	const uint8_t *data;    /* the packet's first bytes, or the whole OF message */
	uint32_t cap_len;
	/* packets */
	uint32_t ifindex;
	const char *ifname;     /* NULL when the interface has gone */
	/* OpenFlow messages */
	uint8_t of_version;
	uint8_t of_type;        /* ofp_type of the message */
	uint64_t dpid;
	uint32_t port;          /* in_port (packet-in, packet-out) or out_port (flow-mod) */
};

#endif
