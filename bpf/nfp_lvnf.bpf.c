// SPDX-License-Identifier: GPL-2.0
/* nfp_lvnf.bpf.c - the eBPF LVNF runtime: a Click graph, as element records
 * (include/nfplane/lvnf.h), walked for each packet that enters an LVNF
 * port. One program for every LVNF, attached at TC ingress of each port's
 * inner end; the port's ifindex says which LVNF and which in_N.
 *
 * Verdicts: out_N redirects to port N; Discard, a failed check with
 * nothing on its output 1, and an unconnected output drop (TC_ACT_SHOT). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "nfplane/lvnf.h"

#define TC_ACT_SHOT 2

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct nfp_lvnf_key);
	__type(value, struct nfp_lvnf_elem);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_lvnf_elems SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct nfp_lvnf_key);
	__type(value, struct nfp_lvnf_counts);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_lvnf_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct nfp_lvnf_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_lvnf_entries SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct nfp_lvnf_key);
	__type(value, struct nfp_lvnf_classifier);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_lvnf_classifiers SEC(".maps");

/* The output of the first pattern that holds, or -1. A global function:
 * the verifier checks it once on its own instead of inside every step of
 * the walk (inlined there, 64 steps x 32 clauses passed its limit). Each
 * clause compares 8 bytes as one word: mask and value bytes past its
 * length are zero. */
__noinline int nfp_lvnf_classify(struct __sk_buff *skb, struct nfp_lvnf_key *k)
{
	struct nfp_lvnf_classifier *c;
	struct nfp_lvnf_key key;
	int cur = -1, ok = 0;

	if (!skb || !k)
		return -1;
	key = *k;
	c = bpf_map_lookup_elem(&nfp_lvnf_classifiers, &key);
	if (!c)
		return -1;
	for (int i = 0; i < NFP_LVNF_MAX_CLAUSES; i++) {
		struct nfp_lvnf_clause *cl = &c->clauses[i];
		__u64 got = 0, mask, value;
		int hold = 1;

		if (i >= c->n)
			break;
		if (cl->output != cur) {
			if (cur >= 0 && ok)
				return cur;
			cur = cl->output;
			ok = 1;
		}
		if (!ok)
			continue;
		if (!cl->always) {
			__u32 len = ((cl->len - 1) & 7) + 1;

			__builtin_memcpy(&mask, cl->mask, 8);
			__builtin_memcpy(&value, cl->value, 8);
			hold = !bpf_skb_load_bytes(skb, cl->offset, &got, len) && (got & mask) == value;
			if (cl->negate)
				hold = !hold;
		}
		ok = hold;
	}
	return cur >= 0 && ok ? cur : -1;
}

static __always_inline void count(struct nfp_lvnf_key *k, __u32 len, int drop)
{
	struct nfp_lvnf_counts *c = bpf_map_lookup_elem(&nfp_lvnf_counts, k);

	if (!c) {
		struct nfp_lvnf_counts z = {};

		bpf_map_update_elem(&nfp_lvnf_counts, k, &z, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&nfp_lvnf_counts, k);
		if (!c)
			return;
	}
	if (drop) {
		c->drops++;
	} else {
		c->packets++;
		c->bytes += len;
	}
}

/* CheckIPHeader's checks: version 4, header length, total length within
 * the packet, header checksum. */
static __always_inline int ip_header_ok(struct __sk_buff *skb, __u32 off)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct iphdr *ip;
	__u32 sum = 0;
	__u16 *w;

	if (off > 128)
		return 0;
	ip = data + off;
	if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
		return 0;
	if (bpf_ntohs(ip->tot_len) < ip->ihl * 4 || off + bpf_ntohs(ip->tot_len) > skb->len)
		return 0;
	w = (__u16 *)ip;
	for (int i = 0; i < 30; i++) {
		if (i >= ip->ihl * 2)
			break;
		if ((void *)(w + i + 1) > end)
			return 0;
		sum += w[i];
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

SEC("tc")
int nfp_lvnf_run(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ingress_ifindex;
	struct nfp_lvnf_entry *entry = bpf_map_lookup_elem(&nfp_lvnf_entries, &ifindex);
	struct nfp_lvnf_key k;

	if (!entry)
		return TC_ACT_SHOT;
	k.lvnf = entry->lvnf;
	k.element = entry->element;
	for (int step = 0; step < NFP_LVNF_MAX_STEPS; step++) {
		struct nfp_lvnf_elem *e = bpf_map_lookup_elem(&nfp_lvnf_elems, &k);
		__u32 out = 0;

		if (!e)
			return TC_ACT_SHOT;
		switch (e->kind) {
		case NFP_LVNF_PORT_OUT:
			return bpf_redirect(e->arg.ifindex, 0);
		case NFP_LVNF_DISCARD:
			count(&k, skb->len, 0);
			return TC_ACT_SHOT;
		case NFP_LVNF_COUNTER:
			count(&k, skb->len, 0);
			break;
		case NFP_LVNF_ETHER_REWRITE:
			if (bpf_skb_store_bytes(skb, 0, e->arg.ether.dst, 6, 0) ||
			    bpf_skb_store_bytes(skb, 6, e->arg.ether.src, 6, 0))
				return TC_ACT_SHOT;
			break;
		case NFP_LVNF_CHECK_IP_HEADER:
			if (!ip_header_ok(skb, e->arg.ip_offset)) {
				count(&k, skb->len, 1);
				out = 1;
			}
			break;
		case NFP_LVNF_DEC_IP_TTL: {
			void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
			struct iphdr *ip = data + sizeof(struct ethhdr);
			__u16 old, new;

			if ((void *)(ip + 1) > end)
				return TC_ACT_SHOT;
			if (ip->ttl <= 1) {
				out = 1;
				break;
			}
			old = *(__u16 *)&ip->ttl;
			ip->ttl--;
			new = *(__u16 *)&ip->ttl;
			bpf_l3_csum_replace(skb, sizeof(struct ethhdr) + offsetof(struct iphdr, check),
					    old, new, 2);
			break;
		}
		case NFP_LVNF_CLASSIFIER: {
			int o = nfp_lvnf_classify(skb, &k);

			if (o < 0)
				return TC_ACT_SHOT; /* no pattern: Click drops it */
			out = (__u32)o;
			break;
		}
		/* PORT_IN, NULL, QUEUE, and PAINT: nothing that runs here reads the
		 * paint annotation yet, so it is not kept in the walk */
		default:
			break;
		}
		if (out >= NFP_LVNF_MAX_OUTPUTS || e->next[out] == NFP_LVNF_NO_OUTPUT) {
			/* an output with nothing on it drops, as Click does */
			return TC_ACT_SHOT;
		}
		k.element = e->next[out];
	}
	return TC_ACT_SHOT; /* a loop in the graph: the walk is bounded */
}

char LICENSE[] SEC("license") = "GPL";
