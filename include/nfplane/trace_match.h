/* trace_match.h - the one definition of "does this packet belong to this
 * trace session", compiled into the BPF taps (bpf/lib/trace.h) and into nfpd
 * (user/trace/), which matches the Ethernet frames that OpenFlow messages
 * carry against the same filters. Pure: no helpers, no maps.
 */
#ifndef NFPLANE_TRACE_MATCH_H
#define NFPLANE_TRACE_MATCH_H

#include "types.h"
#include "parse.h"
#include "trace.h"

#ifdef __bpf__
#define NFP_TRACE_INLINE static __always_inline
#else
#define NFP_TRACE_INLINE static inline
#endif

NFP_TRACE_INLINE int nfp_trace_mac_eq(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] &&
	       a[5] == b[5];
}

NFP_TRACE_INLINE int nfp_trace_addr_in(const struct nfp_trace_filter *f, const __u32 *a)
{
	if ((a[0] & f->mask[0]) != f->addr[0])
		return 0;
	if (f->family == 4)
		return 1;
	return (a[1] & f->mask[1]) == f->addr[1] && (a[2] & f->mask[2]) == f->addr[2] &&
	       (a[3] & f->mask[3]) == f->addr[3];
}

/* @eth: the frame's first 12 bytes (destination then source MAC), or NULL
 * when there is no frame; @ifindex 0 when not seen on an interface. */
NFP_TRACE_INLINE int nfp_trace_filter_match(const struct nfp_trace_filter *f,
					    const struct nfp_pkt *p, const __u8 *eth,
					    __u32 ifindex, __u32 dir)
{
	if (!(f->dir & dir))
		return 0;
	if (f->fields & NFP_TF_MAC) {
		if (!eth || !(nfp_trace_mac_eq(f->mac, eth) || nfp_trace_mac_eq(f->mac, eth + 6)))
			return 0;
	}
	if ((f->fields & NFP_TF_IFINDEX) && f->ifindex != ifindex)
		return 0;
	if ((f->fields & NFP_TF_PROTO) && (p->l3 == NFP_L3_NONE || p->l4_proto != f->proto))
		return 0;
	if ((f->fields & NFP_TF_PORT) &&
	    (!(p->flags & NFP_PF_L4) || (p->sport != f->port && p->dport != f->port)))
		return 0;
	if (f->fields & NFP_TF_IP) {
		if (p->l3 != f->family)
			return 0;
		if (!nfp_trace_addr_in(f, p->saddr) && !nfp_trace_addr_in(f, p->daddr))
			return 0;
	}
	return 1;
}

#endif
