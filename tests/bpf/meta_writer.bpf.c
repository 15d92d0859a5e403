// SPDX-License-Identifier: GPL-2.0
/* meta_writer.bpf.c - tests only: an XDP program that leaves the metadata
 * record the test put in its data section (nfp_test_meta) in front of every
 * packet and passes it. tests/bpf/test_tc_actions.c runs it in live-frame
 * mode, so nfp_tc_ingress's handling of each action in the record is
 * checked on real skbs, apart from the stages that ask for them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/meta.h"

struct nfp_xdp_meta nfp_test_meta = {};

SEC("xdp")
int meta_writer(struct xdp_md *ctx)
{
	struct nfp_xdp_meta *meta;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return XDP_ABORTED;
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return XDP_ABORTED;
	*meta = nfp_test_meta;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
