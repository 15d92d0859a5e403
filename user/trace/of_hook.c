/* of_hook.c - see of_hook.h. Offsets from the OpenFlow 1.0 (wire version 1)
 * and 1.3 (wire version 4) specifications. */
#include "trace/of_hook.h"
#include "nfplane/trace.h"
#include "trace/of.h"

#include <string.h>

#define OFPT_PACKET_IN  10
#define OFPT_PACKET_OUT 13
#define OFPT_FLOW_MOD   14

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* OpenFlow 1.0 ofp_match (40 bytes at @m) into @out. */
static void match10(const uint8_t *m, struct nfp_trace_of_match *out)
{
	uint32_t wc = be32(m);
	unsigned int src_bits = (wc >> 8) & 0x3f, dst_bits = (wc >> 14) & 0x3f;

	memset(out, 0, sizeof(*out));
	if (!(wc & 0x4)) {
		out->fields |= NFP_TRACE_OFM_DL_SRC;
		memcpy(out->dl_src, m + 6, 6);
	}
	if (!(wc & 0x8)) {
		out->fields |= NFP_TRACE_OFM_DL_DST;
		memcpy(out->dl_dst, m + 12, 6);
	}
	if (!(wc & 0x20)) {
		out->fields |= NFP_TRACE_OFM_NW_PROTO;
		out->nw_proto = m[25];
	}
	if (src_bits < 32) {
		out->fields |= NFP_TRACE_OFM_NW_SRC;
		out->nw_family = 4;
		memcpy(&out->nw_src[0], m + 28, 4);
		out->nw_src_mask[0] = __builtin_bswap32(~0u << src_bits);
	}
	if (dst_bits < 32) {
		out->fields |= NFP_TRACE_OFM_NW_DST;
		out->nw_family = 4;
		memcpy(&out->nw_dst[0], m + 32, 4);
		out->nw_dst_mask[0] = __builtin_bswap32(~0u << dst_bits);
	}
	if (!(wc & 0x40)) {
		out->fields |= NFP_TRACE_OFM_TP_SRC;
		out->tp_src = be16(m + 36);
	}
	if (!(wc & 0x80)) {
		out->fields |= NFP_TRACE_OFM_TP_DST;
		out->tp_dst = be16(m + 38);
	}
}

/* OpenFlow 1.3 ofp_match (OXM) at @m, @len bytes left. Fills @out and, if
 * asked, the IN_PORT; returns the match's padded length, or 0 if bad. */
static size_t match13(const uint8_t *m, size_t len, struct nfp_trace_of_match *out,
		      uint32_t *in_port)
{
	size_t mlen, off = 4;

	memset(out, 0, sizeof(*out));
	if (len < 4 || be16(m) != 1 /* OFPMT_OXM */)
		return 0;
	mlen = be16(m + 2);
	if (mlen < 4 || (mlen + 7) / 8 * 8 > len)
		return 0;
	while (off + 4 <= mlen) {
		uint16_t cls = be16(m + off);
		uint8_t field = m[off + 2] >> 1, has_mask = m[off + 2] & 1, flen = m[off + 3];
		const uint8_t *v = m + off + 4;

		if (off + 4 + flen > mlen)
			return 0;
		if (cls == 0x8000) {
			switch (field) {
			case 0: /* IN_PORT */
				if (flen == 4 && in_port)
					*in_port = be32(v);
				break;
			case 3: /* ETH_DST */
				if (!has_mask && flen == 6) {
					out->fields |= NFP_TRACE_OFM_DL_DST;
					memcpy(out->dl_dst, v, 6);
				}
				break;
			case 4: /* ETH_SRC */
				if (!has_mask && flen == 6) {
					out->fields |= NFP_TRACE_OFM_DL_SRC;
					memcpy(out->dl_src, v, 6);
				}
				break;
			case 10: /* IP_PROTO */
				if (flen == 1) {
					out->fields |= NFP_TRACE_OFM_NW_PROTO;
					out->nw_proto = v[0];
				}
				break;
			case 11: /* IPV4_SRC */
			case 12: /* IPV4_DST */
				if (flen == (has_mask ? 8 : 4)) {
					uint32_t a, mask = 0xffffffffu;

					memcpy(&a, v, 4);
					if (has_mask)
						memcpy(&mask, v + 4, 4);
					out->nw_family = 4;
					if (field == 11) {
						out->fields |= NFP_TRACE_OFM_NW_SRC;
						out->nw_src[0] = a, out->nw_src_mask[0] = mask;
					} else {
						out->fields |= NFP_TRACE_OFM_NW_DST;
						out->nw_dst[0] = a, out->nw_dst_mask[0] = mask;
					}
				}
				break;
			case 26: /* IPV6_SRC */
			case 27: /* IPV6_DST */
				if (flen == (has_mask ? 32 : 16)) {
					uint32_t *a = field == 26 ? out->nw_src : out->nw_dst;
					uint32_t *mask = field == 26 ? out->nw_src_mask : out->nw_dst_mask;

					out->nw_family = 6;
					out->fields |= field == 26 ? NFP_TRACE_OFM_NW_SRC : NFP_TRACE_OFM_NW_DST;
					memcpy(a, v, 16);
					if (has_mask)
						memcpy(mask, v + 16, 16);
					else
						memset(mask, 0xff, 16);
				}
				break;
			case 13: case 15: /* TCP_SRC, UDP_SRC */
				if (flen == 2) {
					out->fields |= NFP_TRACE_OFM_TP_SRC;
					out->tp_src = be16(v);
				}
				break;
			case 14: case 16: /* TCP_DST, UDP_DST */
				if (flen == 2) {
					out->fields |= NFP_TRACE_OFM_TP_DST;
					out->tp_dst = be16(v);
				}
				break;
			}
		}
		off += 4 + flen;
	}
	return (mlen + 7) / 8 * 8;
}

void nfp_trace_of_hook(enum of_trace_dir dir, uint64_t dpid, const uint8_t *msg, size_t len,
		       void *ctx)
{
	struct nfp_trace_of_match match;
	struct nfp_trace_of_msg m = { .dir = dir == OF_TRACE_IN ? NFP_TRACE_DIR_IN
								 : NFP_TRACE_DIR_OUT,
				      .dpid = dpid, .msg = msg, .msg_len = len };
	size_t off;

	if (len < 8 || be16(msg + 2) != len)
		return;
	if (msg[0] == 1) {
		switch (msg[1]) {
		case OFPT_PACKET_IN: /* buffer_id, total_len, in_port, reason, pad, data */
			if (len < 18)
				return;
			m.port = be16(msg + 14);
			m.frame = msg + 18, m.frame_len = len - 18;
			break;
		case OFPT_PACKET_OUT: /* buffer_id, in_port, actions_len, actions, data */
			if (len < 16 || 16 + (size_t)be16(msg + 14) > len)
				return;
			m.port = be16(msg + 12);
			off = 16 + be16(msg + 14);
			m.frame = msg + off, m.frame_len = len - off;
			break;
		case OFPT_FLOW_MOD: /* match, cookie, command, ..., out_port at 68 */
			if (len < 72)
				return;
			match10(msg + 8, &match);
			m.match = &match;
			m.port = be16(msg + 68);
			break;
		default:
			return;
		}
	} else if (msg[0] == 4) {
		switch (msg[1]) {
		case OFPT_PACKET_IN: /* buffer_id, total_len, reason, table, cookie, match, pad2, data */
			if (len < 24 || !(off = match13(msg + 24, len - 24, &match, &m.port)) ||
			    24 + off + 2 > len)
				return;
			off += 24 + 2;
			m.frame = msg + off, m.frame_len = len - off;
			break;
		case OFPT_PACKET_OUT: /* buffer_id, in_port, actions_len, pad6, actions, data */
			if (len < 24 || 24 + (size_t)be16(msg + 16) > len)
				return;
			m.port = be32(msg + 12);
			off = 24 + be16(msg + 16);
			m.frame = msg + off, m.frame_len = len - off;
			break;
		case OFPT_FLOW_MOD: /* ..., out_port at 36, match at 48 */
			if (len < 56 || !match13(msg + 48, len - 48, &match, NULL))
				return;
			m.match = &match;
			m.port = be32(msg + 36);
			break;
		default:
			return;
		}
	} else {
		return;
	}
	if (m.frame && m.frame_len < 14)
		m.frame = NULL, m.frame_len = 0;
	nfp_trace_of_message(ctx, &m);
}
