// SPDX-License-Identifier: GPL-2.0
/* nfp_tc.bpf.c - TC ingress and egress: the stages that work on the skb.
 *
 * Ingress runs after XDP passed a packet to the stack and reads the
 * struct nfp_xdp_meta that XDP left: what XDP cannot do itself (cloning for
 * mirrors, VLAN push and pop on the skb) is done here from that record, and
 * a redirect XDP asked for with them. Egress sees what the host sends out of
 * the interface and counts it. Otherwise both let the packet continue
 * (TC_ACT_UNSPEC), so other TC filters still run.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "lib/maps.h"
#include "lib/parse.h"
#include "lib/count.h"
#include "lib/trace.h"
#include "nfplane/meta.h"

#define TC_ACT_UNSPEC (-1)

const volatile __u32 nfp_slot = 0;
/* Benchmarks only: false compiles the trace tap out (see nfp_xdp.bpf.c). */
const volatile bool nfp_trace_taps = true;

static __always_inline struct nfp_if_stats *nfp_slot_stats(void)
{
	__u32 slot = nfp_slot;
	struct nfp_if_conf *conf = bpf_map_lookup_elem(&nfp_if_conf, &slot);

	if (!conf || !(conf->flags & NFP_IFC_ACTIVE))
		return NULL;
	return bpf_map_lookup_elem(&nfp_if_stats, &slot);
}

/* Carry out what XDP asked for, in meta.h's order. Returns the TC verdict:
 * a redirect, or TC_ACT_UNSPEC. A VLAN helper that fails (no memory, no tag
 * to pop) is counted and the packet continues as it is. */
static __always_inline int nfp_tc_do(struct __sk_buff *skb, const struct nfp_meta_actions *act,
				     struct nfp_if_stats *st)
{
	__u32 flags = act->flags;

	if (flags & NFP_META_ACT_MIRROR) /* XDP cannot clone */
		bpf_clone_redirect(skb, act->mirror_ifindex, 0);
	if ((flags & NFP_META_ACT_VLAN_POP) && bpf_skb_vlan_pop(skb))
		st->tc_vlan_failed++;
	if ((flags & NFP_META_ACT_VLAN_PUSH) &&
	    bpf_skb_vlan_push(skb, bpf_htons(act->vlan_proto), act->vlan_tci))
		st->tc_vlan_failed++;
	if (flags & NFP_META_ACT_REDIRECT)
		return bpf_redirect(act->redirect_ifindex, 0);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int nfp_tc_ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_meta = (void *)(long)skb->data_meta;
	struct nfp_xdp_meta *meta = data_meta;
	struct nfp_meta_actions act;
	struct nfp_if_stats *st = nfp_slot_stats();

	if (!st)
		return TC_ACT_UNSPEC;
	st->tc_rx_packets++;
	if ((void *)(meta + 1) > data || meta->magic != NFP_META_MAGIC)
		return TC_ACT_UNSPEC;
	st->tc_rx_meta++;
	/* a copy: the VLAN helpers change the packet, and the record with it */
	act = meta->act;
	return nfp_tc_do(skb, &act, st);
}

SEC("tc")
int nfp_tc_egress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct nfp_if_stats *st = nfp_slot_stats();
	struct nfp_pkt pkt = {};

	if (!st)
		return TC_ACT_UNSPEC;
	/* Only the linear part is parsed: bring the headers into it first. */
	if (data + 128 > data_end && skb->len > (__u32)(data_end - data)) {
		bpf_skb_pull_data(skb, skb->len < 128 ? skb->len : 128);
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
	}
	nfp_parse(data, data_end, skb->len, &pkt);
	nfp_count_tx(st, &pkt);
	if (nfp_trace_taps)
		nfp_trace_tap_tc(skb, &pkt);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "GPL";
