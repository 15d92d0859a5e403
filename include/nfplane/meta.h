/* meta.h - the record XDP leaves in front of the packet (bpf_xdp_adjust_meta)
 * for the TC programs: what XDP decided and why, so that TC does what XDP
 * cannot (clone for mirroring, VLAN push on the skb) without parsing again.
 * Written only when there is such an action: no record means nothing to do.
 */
#ifndef NFPLANE_META_H
#define NFPLANE_META_H

#include "types.h"

/* Marks a metadata area written by nfplane; TC ignores any other. */
#define NFP_META_MAGIC 0x4e46504dU /* "NFPM" */

/* Actions XDP asks TC to carry out (bit set). */
#define NFP_META_ACT_NONE 0x0
#define NFP_META_ACT_MIRROR 0x1 /* clone the packet to ifindex arg (flowtable) */

struct nfp_xdp_meta {
	__u32 magic;    /* NFP_META_MAGIC */
	__u32 slot;     /* ingress slot */
	__u32 actions;  /* NFP_META_ACT_* */
	__u32 arg;      /* action argument (ifindex, VLAN id, ...) */
};

#endif
