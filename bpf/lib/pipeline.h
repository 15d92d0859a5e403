/* pipeline.h - the record every XDP stage receives (struct nfp_pipe) and
 * the end of the pipeline that turns it into a verdict.
 *
 * nfp_xdp_ingress() parses the packet into the record, then calls the stages
 * in order (slicing, flowtable, ...). A stage reads what earlier stages left
 * (the slice a packet is in, for instance) and asks for what it wants done in
 * the record rather than returning an XDP verdict itself: a drop, a redirect,
 * or TC actions each with their own argument, so that a mirror asked for by
 * one stage and a VLAN push asked for by another both happen.
 * nfp_pipe_finish() then decides once: with work for TC the packet goes to
 * the stack with a metadata record (nfplane/meta.h) and TC also carries out
 * the redirect, else XDP drops, redirects or passes it itself.
 */
#ifndef NFP_BPF_PIPELINE_H
#define NFP_BPF_PIPELINE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/meta.h"
#include "nfplane/parse.h"

/* What happens to the packet when the stages are done. */
enum nfp_pipe_fate {
	NFP_PIPE_PASS = 0,  /* to the stack */
	NFP_PIPE_DROP,
	NFP_PIPE_REDIRECT,  /* out of act.redirect_ifindex */
};

struct nfp_pipe {
	struct xdp_md *ctx;
	const struct nfp_pkt *pkt;
	__u32 slot;        /* the ingress interface's slot */
	__u32 slice_id;    /* NFP_SLICE_NONE until a stage classifies the packet */
	__u32 fate;        /* enum nfp_pipe_fate; a later stage may override */
	struct nfp_meta_actions act;  /* act.flags: only NFP_META_ACT_TC_ONLY bits */
};

static __always_inline void nfp_pipe_drop(struct nfp_pipe *p)
{
	p->fate = NFP_PIPE_DROP;
}

static __always_inline void nfp_pipe_redirect(struct nfp_pipe *p, __u32 ifindex)
{
	p->fate = NFP_PIPE_REDIRECT;
	p->act.redirect_ifindex = ifindex;
}

static __always_inline void nfp_pipe_mirror(struct nfp_pipe *p, __u32 ifindex)
{
	p->act.flags |= NFP_META_ACT_MIRROR;
	p->act.mirror_ifindex = ifindex;
}

/* Put the metadata record in front of the packet; false when the driver
 * has no metadata support. Only written when there is an action for TC:
 * bpf_xdp_adjust_meta is a helper call, ~10 ns of a ~37 ns hit
 * (docs/dataplane.md). */
static __always_inline bool nfp_pipe_write_meta(const struct nfp_pipe *p)
{
	struct xdp_md *ctx = p->ctx;
	struct nfp_xdp_meta *meta;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return false;
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(meta + 1) > data)
		return false;
	meta->magic = NFP_META_MAGIC;
	meta->slot = p->slot;
	meta->slice_id = p->slice_id;
	meta->act = p->act;
	if (p->fate == NFP_PIPE_REDIRECT)
		meta->act.flags |= NFP_META_ACT_REDIRECT;
	return true;
}

/* The verdict for what the stages asked. A drop wins over everything. */
static __always_inline int nfp_pipe_finish(struct nfp_pipe *p)
{
	if (p->fate == NFP_PIPE_DROP)
		return XDP_DROP;
	/* TC does its part, then the redirect: XDP cannot hand a redirected
	 * frame to TC ingress. Without a record (a driver without metadata
	 * support) the TC actions are lost, but the packet still goes where
	 * it was sent. */
	if ((p->act.flags & NFP_META_ACT_TC_ONLY) && nfp_pipe_write_meta(p))
		return XDP_PASS;
	if (p->fate == NFP_PIPE_REDIRECT)
		return bpf_redirect(p->act.redirect_ifindex, 0);
	return XDP_PASS;
}

#endif
