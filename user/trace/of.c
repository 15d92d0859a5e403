/* of.c - see of.h: matching OpenFlow messages against the sessions, with
 * the same parser (bpf/lib/parse.h) and matcher (nfplane/trace_match.h) the
 * dataplane's taps use, on the frame the message carries.
 */
#include "trace/of.h"
#include "common/frame.h"
#include "nfplane/trace_match.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* How much of a frame is copied for the parser: more than any header chain
 * it walks in practice (a longer one reads as truncated extension headers). */
/* Does a match on address @a under @amask only take addresses in @f's
 * prefix? (It must pin at least the prefix's bits, to the prefix's value.) */
static bool ip_within(const uint32_t *a, const uint32_t *amask, const struct nfp_trace_filter *f)
{
	for (int i = 0; i < (f->family == 6 ? 4 : 1); i++)
		if ((amask[i] & f->mask[i]) != f->mask[i] || (a[i] & f->mask[i]) != f->addr[i])
			return false;
	return true;
}

/* Does a flow-mod's match satisfy @f? Every field the filter names must be
 * pinned by the match to a value the filter takes. */
static int match_flow_mod(const struct nfp_trace_filter *f, const struct nfp_trace_of_match *m)
{
	if (!(f->dir & NFP_TRACE_DIR_OUT))
		return 0;
	if (f->fields & NFP_TF_IFINDEX)
		return 0; /* a flow-mod is not seen on a local interface */
	if ((f->fields & NFP_TF_MAC) &&
	    !((m->fields & NFP_TRACE_OFM_DL_SRC) && nfp_trace_mac_eq(f->mac, m->dl_src)) &&
	    !((m->fields & NFP_TRACE_OFM_DL_DST) && nfp_trace_mac_eq(f->mac, m->dl_dst)))
		return 0;
	if ((f->fields & NFP_TF_PROTO) &&
	    !((m->fields & NFP_TRACE_OFM_NW_PROTO) && m->nw_proto == f->proto))
		return 0;
	if ((f->fields & NFP_TF_PORT) &&
	    !((m->fields & NFP_TRACE_OFM_TP_SRC) && m->tp_src == f->port) &&
	    !((m->fields & NFP_TRACE_OFM_TP_DST) && m->tp_dst == f->port))
		return 0;
	if (f->fields & NFP_TF_IP) {
		bool src = (m->fields & NFP_TRACE_OFM_NW_SRC) &&
			   ip_within(m->nw_src, m->nw_src_mask, f);
		bool dst = (m->fields & NFP_TRACE_OFM_NW_DST) &&
			   ip_within(m->nw_dst, m->nw_dst_mask, f);

		if (m->nw_family != f->family || (!src && !dst))
			return 0;
	}
	return 1;
}

int nfp_trace_of_message(struct nfp_trace *t, const struct nfp_trace_of_msg *m)
{
	struct nfp_trace_filter filters[NFP_TRACE_MAX_SLOTS];
	struct nfp_trace_item it = { .kind = NFP_TRACE_ITEM_OPENFLOW };
	const uint8_t *msg = m->msg;
	uint64_t mask = 0;
	int n;

	if (!msg || m->msg_len < 8 || (m->dir != NFP_TRACE_DIR_IN && m->dir != NFP_TRACE_DIR_OUT))
		return -EINVAL;
	if (!t || (n = nfp_trace_filters(t, filters, NFP_TRACE_MAX_SLOTS)) == 0)
		return 0;
	if (m->frame && m->frame_len >= 12) {
		struct nfp_pkt p;

		nfp_parse_frame(m->frame, m->frame_len, &p);
		mask = nfp_trace_match(t, &p, m->frame, 0, m->dir);
	} else if (m->match) {
		for (int i = 0; i < n; i++)
			if (match_flow_mod(&filters[i], m->match))
				mask |= filters[i].session_bit;
	}
	if (!mask)
		return 0;
	it.time_ns = nfp_trace_wall_ns();
	it.dir = m->dir;
	it.orig_len = (uint32_t)m->msg_len;
	it.data = msg;
	it.cap_len = (uint32_t)(m->msg_len > 65535 ? 65535 : m->msg_len);
	it.of_version = msg[0];
	it.of_type = msg[1];
	it.dpid = m->dpid;
	it.port = m->port;
	nfp_trace_deliver(t, mask, &it);
	return __builtin_popcountll(mask);
}
