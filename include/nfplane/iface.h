/* iface.h - per-interface records: the configuration the programs read
 * (struct nfp_if_conf, per slot) and the attachment record nfpd keeps for
 * every interface it owns (struct nfp_iface_rec, per ifindex), which is how a
 * restarted nfpd finds what it attached before.
 */
#ifndef NFPLANE_IFACE_H
#define NFPLANE_IFACE_H

#include "types.h"

#define NFP_IFNAMSIZ 16

/* Flags of struct nfp_if_conf. */
#define NFP_IFC_ACTIVE 0x1 /* slot in use; an inactive slot passes everything */

struct nfp_if_conf {
	__u32 flags;   /* NFP_IFC_* */
	__u32 ifindex; /* the interface this slot belongs to */
};

/* How the XDP program is attached. */
enum nfp_xdp_mode {
	NFP_XDP_MODE_NATIVE = 1,
	NFP_XDP_MODE_SKB = 2,
};

/* Whether libxdp put a dispatcher in front of us or, where the kernel refused
 * freplace, attached our program alone. */
enum nfp_xdp_attach {
	NFP_XDP_ATTACH_SINGLE = 1,
	NFP_XDP_ATTACH_DISPATCHER = 2,
};

/* Flags of struct nfp_iface_rec. */
#define NFP_REC_CREATED_CLSACT 0x1 /* we created the clsact qdisc: detach removes it */

struct nfp_iface_rec {
	char  name[NFP_IFNAMSIZ];
	__u32 slot;
	__u32 xdp_mode;       /* enum nfp_xdp_mode */
	__u32 xdp_attach;     /* enum nfp_xdp_attach */
	__u32 xdp_prog_id;
	__u32 tc_ingress_prog_id;
	__u32 tc_egress_prog_id;
	__u32 flags;          /* NFP_REC_* */
	__u32 pad;
	__u64 attached_at;    /* wall clock, seconds since the epoch */
};

#endif
