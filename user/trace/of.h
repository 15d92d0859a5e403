/* of.h - the OpenFlow entry point of traces: the controller hands every
 * packet-in (direction in), packet-out and flow-mod (direction out) it sees
 * to nfp_trace_of_message(); the message joins the sessions whose filter
 * takes the Ethernet frame it carries (packet-in, packet-out) or, for a
 * flow-mod, whose filter its match fields satisfy. Readers receive the raw
 * OpenFlow bytes, marked as OpenFlow: pcapng interface "openflow" behind a
 * synthetic TCP/6653 header with a comment naming type, dpid and port;
 * JSON {"type": "openflow", "msg_type", "dpid", "port", "data"}.
 *
 * Cheap when no session is on: one test of a counter.
 */
#ifndef NFP_TRACE_OF_H
#define NFP_TRACE_OF_H

#include <stddef.h>
#include <stdint.h>

struct nfp_trace;

/* The match of a flow-mod, as far as traces care; a field counts only when
 * its NFP_TRACE_OFM_* bit is set (wildcarded fields are left out). */
#define NFP_TRACE_OFM_DL_SRC  0x01
#define NFP_TRACE_OFM_DL_DST  0x02
#define NFP_TRACE_OFM_NW_SRC  0x04 /* with nw_src_mask; IPv4 or IPv6 by nw_family */
#define NFP_TRACE_OFM_NW_DST  0x08
#define NFP_TRACE_OFM_NW_PROTO 0x10
#define NFP_TRACE_OFM_TP_SRC  0x20
#define NFP_TRACE_OFM_TP_DST  0x40

struct nfp_trace_of_match {
	uint32_t fields;                   /* NFP_TRACE_OFM_* */
	uint8_t dl_src[6], dl_dst[6];
	uint8_t nw_family;                 /* 4 or 6, when NW_SRC or NW_DST is set */
	uint32_t nw_src[4], nw_dst[4];     /* network byte order; IPv4 in [0] */
	uint32_t nw_src_mask[4], nw_dst_mask[4];
	uint8_t nw_proto;
	uint16_t tp_src, tp_dst;           /* host byte order */
};

struct nfp_trace_of_msg {
	int dir;                  /* NFP_TRACE_DIR_IN (packet-in) or NFP_TRACE_DIR_OUT */
	uint64_t dpid;
	uint32_t port;            /* in_port (packet-in/out) or out_port (flow-mod) */
	const void *msg;          /* the whole OpenFlow message, header included */
	size_t msg_len;
	const void *frame;        /* the Ethernet frame it carries, or NULL */
	size_t frame_len;
	const struct nfp_trace_of_match *match; /* flow-mods: their match, or NULL */
};

/* Returns how many sessions took the message (0 when none; -EINVAL when
 * @m is malformed: no message, or shorter than an OpenFlow header). @t may
 * be NULL (traces not running). */
int nfp_trace_of_message(struct nfp_trace *t, const struct nfp_trace_of_msg *m);

#endif
