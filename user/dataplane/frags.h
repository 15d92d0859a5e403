/* frags.h - whether an nfp_xdp program instance handles multi-buffer frames.
 *
 * A multi-buffer-capable ("frags") XDP program must ask a helper for the
 * frame's length (bpf_xdp_get_buff_len, ~10 ns per packet here); a
 * single-buffer program gets it as data_end - data for free. So the loader
 * makes an instance frags-capable only for an interface whose MTU can produce
 * frames larger than one buffer. Every loader (nfpd, tests, benchmarks) sets
 * this through nfp_xdp_set_frags(), before load. Include the nfp_xdp
 * skeleton first.
 */
#ifndef NFP_DP_FRAGS_H
#define NFP_DP_FRAGS_H

#include <bpf/libbpf.h>
#include <stdbool.h>

/* Frames up to this MTU always fit one buffer (a page less XDP headroom and
 * the shared-info tail is ~3.5 KB on 4 KB pages; stay well below it). */
#define NFP_SINGLE_BUFFER_MTU 3000

static inline int nfp_xdp_set_frags(struct nfp_xdp *skel, bool frags)
{
	struct bpf_program *prog = skel->progs.nfp_xdp_ingress;
	__u32 flags = bpf_program__flags(prog);

	skel->rodata->nfp_frags = frags;
	return bpf_program__set_flags(prog, frags ? flags | BPF_F_XDP_HAS_FRAGS :
						    flags & ~BPF_F_XDP_HAS_FRAGS);
}

#endif
