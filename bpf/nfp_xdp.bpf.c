// SPDX-License-Identifier: GPL-2.0
/* nfp_xdp.bpf.c - XDP ingress: the first stage of nfplane's pipeline.
 *
 * One instance is loaded per attached interface, with that interface's slot
 * in read-only data (nfp_slot). Per packet it parses the frame, counts it in
 * the slot's per-CPU counters, taps it for traces, then hands the pipeline
 * record (lib/pipeline.h) to the stages in order (slicing, the flowtable), and
 * turns what they asked for into the verdict, leaving a struct nfp_xdp_meta
 * in front of the packet when TC has something to do for it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lib/maps.h"
#include "lib/parse.h"
#include "lib/count.h"
#include "lib/pipeline.h"
#include "lib/slicing.h"
#include "lib/flowtable/stage.h"
#include "lib/trace.h"
#include "nfplane/meta.h"

/* Set by the loader before load. */
const volatile __u32 nfp_slot = 0;
/* Tests only: store each parse result in nfp_parse_log. When false the
 * verifier removes the store, so production pays nothing for it. */
const volatile bool nfp_record_parse = false;
/* Set by the loader when the interface's MTU allows multi-buffer frames
 * (user/dataplane/frags.h): only then does the frame length cost a helper. */
const volatile bool nfp_frags = false;
/* Benchmarks only: false compiles the trace tap out, the baseline that
 * bench/trace measures the tap's cost against. */
const volatile bool nfp_trace_taps = true;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nfp_pkt);
} nfp_parse_log SEC(".maps");

static __always_inline void nfp_count_verdict(struct nfp_if_stats *st, int verdict)
{
	switch (verdict) {
	case XDP_PASS:     st->xdp_pass++; break;
	case XDP_DROP:     st->xdp_drop++; break;
	case XDP_TX:       st->xdp_tx++; break;
	case XDP_REDIRECT: st->xdp_redirect++; break;
	default:           st->xdp_aborted++; break;
	}
}

SEC("xdp")
int nfp_xdp_ingress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 slot = nfp_slot;
	struct nfp_if_conf *conf;
	struct nfp_if_stats *st;
	struct nfp_pkt pkt = {};
	struct nfp_pipe p = { .ctx = ctx, .pkt = &pkt, .slot = slot };
	int verdict;

	conf = bpf_map_lookup_elem(&nfp_if_conf, &slot);
	st = bpf_map_lookup_elem(&nfp_if_stats, &slot);
	if (!conf || !st || !(conf->flags & NFP_IFC_ACTIVE))
		return XDP_PASS;

	nfp_parse(data, data_end,
		  nfp_frags ? bpf_xdp_get_buff_len(ctx) : (__u32)(data_end - data), &pkt);
	nfp_count_rx(st, &pkt);
	if (nfp_trace_taps)
		nfp_trace_tap_xdp(ctx, &pkt);

	if (nfp_record_parse) {
		__u32 zero = 0;
		struct nfp_pkt *log = bpf_map_lookup_elem(&nfp_parse_log, &zero);

		if (log)
			*log = pkt;
	}

	nfp_slicing(&p);
	/* a packet slicing drops (in no flowspace) makes no flow */
	if (p.fate != NFP_PIPE_DROP)
		nfp_flowtable(&p);

	verdict = nfp_pipe_finish(&p);
	nfp_count_verdict(st, verdict);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
