/* of_hook.c - see of_hook.h: the controller's decoded messages turned into
 * what the trace matcher reads (user/trace/of.h). */
#include "trace/of_hook.h"
#include "nfplane/trace.h"
#include "openflow/of_codec.h"
#include "trace/of.h"

#include <arpa/inet.h>
#include <string.h>

static bool exact(const uint8_t *mask, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (mask[i] != 0xff)
			return false;
	return true;
}

/* The fields of a flow-mod's match that a trace filter can name. Masked
 * Ethernet addresses pin no host, so they are left out. */
static void trace_match(const struct of_match *m, struct nfp_trace_of_match *out)
{
	bool arp = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0806;

	memset(out, 0, sizeof(*out));
	if ((m->fields & OF_F_ETH_SRC) && exact(m->eth_src_mask, 6)) {
		out->fields |= NFP_TRACE_OFM_DL_SRC;
		memcpy(out->dl_src, m->eth_src, 6);
	}
	if ((m->fields & OF_F_ETH_DST) && exact(m->eth_dst_mask, 6)) {
		out->fields |= NFP_TRACE_OFM_DL_DST;
		memcpy(out->dl_dst, m->eth_dst, 6);
	}
	if ((m->fields & OF_F_IP_PROTO) && !arp) { /* for ARP it is the opcode */
		out->fields |= NFP_TRACE_OFM_NW_PROTO;
		out->nw_proto = m->ip_proto;
	}
	/* for ARP the IPv4 fields are the protocol addresses: still a host's */
	if (m->fields & OF_F_IPV4_SRC) {
		out->fields |= NFP_TRACE_OFM_NW_SRC;
		out->nw_family = 4;
		out->nw_src[0] = htonl(m->ipv4_src);
		out->nw_src_mask[0] = htonl(m->ipv4_src_mask);
	}
	if (m->fields & OF_F_IPV4_DST) {
		out->fields |= NFP_TRACE_OFM_NW_DST;
		out->nw_family = 4;
		out->nw_dst[0] = htonl(m->ipv4_dst);
		out->nw_dst_mask[0] = htonl(m->ipv4_dst_mask);
	}
	if (m->fields & OF_F_IPV6_SRC) {
		out->fields |= NFP_TRACE_OFM_NW_SRC;
		out->nw_family = 6;
		memcpy(out->nw_src, m->ipv6_src, 16);
		memcpy(out->nw_src_mask, m->ipv6_src_mask, 16);
	}
	if (m->fields & OF_F_IPV6_DST) {
		out->fields |= NFP_TRACE_OFM_NW_DST;
		out->nw_family = 6;
		memcpy(out->nw_dst, m->ipv6_dst, 16);
		memcpy(out->nw_dst_mask, m->ipv6_dst_mask, 16);
	}
	if (m->fields & OF_F_TP_SRC) {
		out->fields |= NFP_TRACE_OFM_TP_SRC;
		out->tp_src = m->tp_src;
	}
	if (m->fields & OF_F_TP_DST) {
		out->fields |= NFP_TRACE_OFM_TP_DST;
		out->tp_dst = m->tp_dst;
	}
}

/* A port as the message itself says it: 1.0 ports are 16 bits (OFPP_NONE
 * is 0xffff there), the codec's are the 1.3 numbering. */
static uint32_t wire_port(uint8_t version, uint32_t port)
{
	return version == OF_VERSION_10 && port >= OF_PORT_MAX ? port & 0xffff : port;
}

void nfp_trace_of_tap(void *trace, const struct of_tap_msg *t)
{
	struct nfp_trace_of_match match;
	struct nfp_trace_of_msg m = { .dir = t->dir == OF_TAP_IN ? NFP_TRACE_DIR_IN
								 : NFP_TRACE_DIR_OUT,
				      .dpid = t->dpid, .msg = t->wire, .msg_len = t->wire_len };

	switch (t->msg.kind) {
	case OF_MSG_PACKET_IN:
		m.port = t->msg.packet_in->in_port;
		m.frame = t->msg.packet_in->data;
		m.frame_len = t->msg.packet_in->data_len;
		break;
	case OF_MSG_PACKET_OUT:
		m.port = t->msg.packet_out->in_port;
		if (t->msg.packet_out->buffer_id == OF_NO_BUFFER) { /* else no data is sent */
			m.frame = t->msg.packet_out->data;
			m.frame_len = t->msg.packet_out->data_len;
		}
		break;
	case OF_MSG_FLOW_MOD:
		trace_match(&t->msg.flow_mod->match, &match);
		m.match = &match;
		m.port = t->msg.flow_mod->out_port;
		break;
	default:
		return; /* barriers, stats requests: not about a host */
	}
	m.port = wire_port(t->version, m.port);
	if (m.frame && m.frame_len < 14)
		m.frame = NULL, m.frame_len = 0;
	nfp_trace_of_message(trace, &m);
}

void nfp_trace_of_wire(struct nfp_trace *t, enum of_tap_dir dir, uint64_t dpid,
		       const uint8_t *msg, size_t len)
{
	struct of_tap_msg tm = { .dir = dir, .dpid = dpid, .wire = msg, .wire_len = len };
	union of_msg_body body;
	struct of_header h;

	if (of_frame(msg, len, &h) != (long)len ||
	    of_decode_msg(msg, len, &tm.msg, &body) != OF_OK)
		return;
	tm.version = h.version;
	tm.xid = h.xid;
	nfp_trace_of_tap(t, &tm);
}
