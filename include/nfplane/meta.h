/* meta.h - the record XDP leaves in front of the packet (bpf_xdp_adjust_meta)
 * for the TC programs: what the XDP stages decided, so that TC does what XDP
 * cannot (clone for mirroring, VLAN push/pop on the skb) without parsing
 * again. Written only when there is such an action: no record means nothing
 * to do.
 *
 * Each action has its own argument field, so several can be asked for at
 * once (a mirror and a VLAN push, then a redirect). struct nfp_meta_actions
 * is also what the XDP stages fill in their pipeline record
 * (bpf/lib/pipeline.h), so the record is written with one copy.
 */
#ifndef NFPLANE_META_H
#define NFPLANE_META_H

#include "types.h"

/* Marks a metadata area written by nfplane; TC ignores any other. */
#define NFP_META_MAGIC 0x4e46504dU /* "NFPM" */

/* Actions XDP asks TC to carry out (bit set), in this order: the mirror
 * copies the packet as it arrived, then the outer tag is popped, a tag is
 * pushed, and the packet is redirected. */
#define NFP_META_ACT_NONE      0x0
#define NFP_META_ACT_MIRROR    0x1 /* clone to mirror_ifindex */
#define NFP_META_ACT_VLAN_POP  0x2 /* remove the outer VLAN tag */
#define NFP_META_ACT_VLAN_PUSH 0x4 /* push vlan_tci with vlan_proto */
#define NFP_META_ACT_REDIRECT  0x8 /* after the others: out of redirect_ifindex */
/* The actions only TC can do: with one of them XDP passes the packet to the
 * stack and turns its own redirect into NFP_META_ACT_REDIRECT. */
#define NFP_META_ACT_TC_ONLY (NFP_META_ACT_MIRROR | NFP_META_ACT_VLAN_POP | NFP_META_ACT_VLAN_PUSH)

struct nfp_meta_actions {
	__u32 flags;             /* NFP_META_ACT_* */
	__u32 mirror_ifindex;    /* NFP_META_ACT_MIRROR */
	__u32 redirect_ifindex;  /* NFP_META_ACT_REDIRECT */
	__u16 vlan_tci;          /* NFP_META_ACT_VLAN_PUSH: PCP, DEI and VLAN id, host order */
	__u16 vlan_proto;        /* NFP_META_ACT_VLAN_PUSH: 0x8100 or 0x88a8, host order */
};

struct nfp_xdp_meta {
	__u32 magic;    /* NFP_META_MAGIC */
	__u32 slot;     /* ingress slot */
	__u32 slice_id; /* the packet's slice (NFP_SLICE_NONE: none) */
	struct nfp_meta_actions act;
};

/* No slice: slicing is off, or the packet is in no slice's flowspace. */
#define NFP_SLICE_NONE 0

/* bpf_xdp_adjust_meta takes at most 32 bytes, in whole words. */
_Static_assert(sizeof(struct nfp_xdp_meta) <= 32 && sizeof(struct nfp_xdp_meta) % 4 == 0,
	       "the metadata record must fit bpf_xdp_adjust_meta");

#endif
