/* flowtable/mirror.h - the flowtable's mirrors: a copy to another interface
 * (asked of TC in the pipeline record) or the packet's head to the
 * application mirror stream (the nfp_ft_mirror ring).
 */
#ifndef NFP_BPF_FT_MIRROR_H
#define NFP_BPF_FT_MIRROR_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/flowtable.h"
#include "nfplane/parse.h"
#include "../pipeline.h"
#include "maps.h"

/* Copy the head of the packet to the application mirror stream. */
static __attribute__((noinline)) void nfp_ft_mirror_app(struct xdp_md *ctx, const struct nfp_pkt *pkt,
					      __u64 flow_id, __u32 slot, struct nfp_ft_stats *st)
{
	struct nfp_ft_mirror_rec *r;
	__u32 cap = pkt->pkt_len;

	st->mirrored++;
	r = bpf_ringbuf_reserve(&nfp_ft_mirror, sizeof(*r), 0);
	if (!r) {
		st->mirror_lost++;
		return;
	}
	/* a mask, not just a compare, so the verifier sees the bound */
	cap = cap >= NFP_FT_MIRROR_SNAP ? NFP_FT_MIRROR_SNAP : cap & (NFP_FT_MIRROR_SNAP - 1);
	if (cap < 1 || bpf_xdp_load_bytes(ctx, 0, r->data, cap)) {
		bpf_ringbuf_discard(r, 0);
		st->mirror_lost++;
		return;
	}
	r->flow_id = flow_id;
	r->slot = slot;
	r->len = pkt->pkt_len;
	r->cap_len = cap;
	r->pad = 0;
	bpf_ringbuf_submit(r, 0);
}

/* Ask for a copy to @ifindex (TC clones it) or, for 0, to the application. */
static __always_inline void nfp_ft_copy(struct nfp_pipe *p, __u32 ifindex, __u64 flow_id,
					struct nfp_ft_stats *st)
{
	if (ifindex) {
		st->mirrored++;
		nfp_pipe_mirror(p, ifindex);
	} else {
		nfp_ft_mirror_app(p->ctx, p->pkt, flow_id, p->slot, st);
	}
}

#endif
