/* slicing.h - the slicing stage: which slice's flowspace a packet is in,
 * before the flowtable (include/nfplane/slicing.h has the tuple-space
 * search it runs). Sets the pipeline record's slice id, counts the packet
 * in the slice's per-CPU counters (slice 0: in no rule) and, for a packet
 * in no rule, applies the default (pass, or drop). Idle cost, with no
 * flowspace: one array lookup and a branch. With flowspace, a packet whose
 * key was seen lately on this CPU takes the cache (one hash, one compare);
 * others search one hash lookup per mask group (docs/slicing.md).
 */
#ifndef NFP_BPF_SLICING_H
#define NFP_BPF_SLICING_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/parse.h"
#include "nfplane/slicing.h"
#include "pipeline.h"

/* Mappable: nfpd switches versions with one atomic store (nfplane/slicing.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct nfp_fs_ctl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_fs_ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * NFP_FS_MAX_GROUPS);
	__type(key, __u32);
	__type(value, struct nfp_fs_group);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_fs_groups SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * NFP_FS_MAX_ENTRIES);
	__type(key, struct nfp_fs_key);
	__type(value, struct nfp_fs_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_fs_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFP_FS_MAX_SLICE_IDS + 1);
	__type(key, __u32);
	__type(value, struct nfp_fs_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_fs_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFP_FS_CACHE_SIZE);
	__type(key, __u32);
	__type(value, struct nfp_fs_cache_ent);
} nfp_fs_cache SEC(".maps");

/* Benchmarks only (bench/slicing): true skips the cache, so the search
 * itself is timed. When false the verifier removes the test. */
const volatile bool nfp_fs_bench_nocache = false;

/* The packet's point in flowspace, as OpenFlow 1.0 sees it (the fields a
 * frame lacks are zero; vlan_vid 0xffff untagged). */
static __always_inline void nfp_fs_point(const struct nfp_pipe *p, struct nfp_fs_key *k)
{
	const struct nfp_pkt *pkt = p->pkt;
	void *data = (void *)(long)p->ctx->data;
	void *data_end = (void *)(long)p->ctx->data_end;
	__u8 *eth = data;
	__u32 l3 = 14;

	__builtin_memset(k, 0, sizeof(*k));
	k->in_port = p->ctx->ingress_ifindex;
	k->vlan_vid = 0xffff;
	if ((void *)(eth + 18) > data_end)
		return;
	__builtin_memcpy(k->eth_dst, eth, 6);
	__builtin_memcpy(k->eth_src, eth + 6, 6);
	k->eth_type = pkt->eth_proto;
	if (pkt->vlan_depth) {
		k->vlan_vid = pkt->vlan_id[0];
		k->vlan_pcp = eth[14] >> 5;
		l3 = 14 + 4 * (__u32)(pkt->vlan_depth & 3);
	}
	if (pkt->l3 == NFP_L3_IPV4 && !pkt->malformed) {
		__u8 *ip = data + (pkt->l3_off & 0xff);

		if ((void *)(ip + 2) <= data_end)
			k->ip_dscp = ip[1] >> 2;
		k->ip_proto = pkt->l4_proto;
		k->ipv4_src = bpf_ntohl(pkt->saddr[0]);
		k->ipv4_dst = bpf_ntohl(pkt->daddr[0]);
		if (pkt->flags & NFP_PF_L4) {
			if (pkt->l4_proto == NFP_IPPROTO_ICMP) {
				k->tp_src = pkt->dport >> 8;
				k->tp_dst = pkt->dport & 0xff;
			} else if (pkt->l4_proto == NFP_IPPROTO_TCP ||
				   pkt->l4_proto == NFP_IPPROTO_UDP) {
				k->tp_src = pkt->sport;
				k->tp_dst = pkt->dport;
			}
		}
	} else if (pkt->eth_proto == NFP_ETH_P_ARP) {
		__u8 *arp = data + (l3 & 0x1f);

		if ((void *)(arp + 28) <= data_end) {
			k->ip_proto = arp[7];
			k->ipv4_src = (__u32)arp[14] << 24 | (__u32)arp[15] << 16 |
				      (__u32)arp[16] << 8 | arp[17];
			k->ipv4_dst = (__u32)arp[24] << 24 | (__u32)arp[25] << 16 |
				      (__u32)arp[26] << 8 | arp[27];
		}
	}
}

/* The key under a group's mask, word by word (the key is 40 bytes). */
static __always_inline void nfp_fs_mask(struct nfp_fs_key *out, const struct nfp_fs_key *k,
					const struct nfp_fs_key *m, __u32 group)
{
	const __u32 *kw = (const __u32 *)k, *mw = (const __u32 *)m;
	__u32 *ow = (__u32 *)out;

#pragma unroll
	for (int i = 1; i < (int)(sizeof(*k) / 4); i++)
		ow[i] = kw[i] & mw[i];
	out->group = group;
}

/* The search's state, handed to each step of bpf_loop. The loop is
 * bpf_loop's, not C's: the verifier then checks one step instead of every
 * path through 64 of them (which it gives up on), and the kernel inlines
 * bpf_loop into a plain loop around a direct call. */
struct nfp_fs_search {
	struct nfp_fs_key key;
	__u32 gen, n;
	__u32 best, slice;
};

static long nfp_fs_step(__u32 g, void *ctx)
{
	struct nfp_fs_search *s = ctx;
	__u32 idx = (s->gen & 1) * NFP_FS_MAX_GROUPS + (g & (NFP_FS_MAX_GROUPS - 1));
	struct nfp_fs_group *grp;
	struct nfp_fs_key mk;
	struct nfp_fs_val *v;

	if (g >= s->n)
		return 1;
	grp = bpf_map_lookup_elem(&nfp_fs_groups, &idx);
	if (!grp || grp->best_order >= s->best)
		return 1; /* groups come best first: none left can win */
	nfp_fs_mask(&mk, &s->key, &grp->mask, (s->gen & 1) << 16 | g);
	v = bpf_map_lookup_elem(&nfp_fs_rules, &mk);
	if (v && v->order < s->best) {
		s->best = v->order;
		s->slice = v->slice_id;
	}
	return 0;
}

/* A cheap mix of the key's five 64-bit words for the cache slot. */
static __always_inline __u32 nfp_fs_hash(const struct nfp_fs_key *k)
{
	const __u64 *w = (const __u64 *)k;
	__u64 h = 0x9747b28c9747b28cull;

#pragma unroll
	for (int i = 0; i < (int)(sizeof(*k) / 8); i++)
		h = (h ^ w[i]) * 0x9e3779b97f4a7c15ull;
	return (__u32)(h >> 32);
}

static __always_inline bool nfp_fs_key_eq(const struct nfp_fs_key *a, const struct nfp_fs_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;
	__u64 d = 0;

#pragma unroll
	for (int i = 0; i < (int)(sizeof(*a) / 8); i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

static __always_inline void nfp_slicing(struct nfp_pipe *p)
{
	__u32 zero = 0, gen, n, id, version, slot;
	struct nfp_fs_ctl *ctl = bpf_map_lookup_elem(&nfp_fs_ctl, &zero);
	struct nfp_fs_search srch;
	struct nfp_fs_cache_ent *ce;
	struct nfp_fs_stats *st;
	int slice;

	if (!ctl)
		return;
	version = *(volatile __u32 *)&ctl->version;
	gen = version & 1;
	n = ctl->n_groups[gen];
	if (!n)
		return; /* no flowspace: slicing is off */
	nfp_fs_point(p, &srch.key);
	slot = nfp_fs_hash(&srch.key) & (NFP_FS_CACHE_SIZE - 1);
	ce = bpf_map_lookup_elem(&nfp_fs_cache, &slot);
	if (ce && !nfp_fs_bench_nocache && ce->version == version &&
	    nfp_fs_key_eq(&ce->key, &srch.key)) {
		slice = ce->slice;
	} else {
		srch.gen = gen;
		srch.n = n;
		srch.best = 0xffffffffu;
		srch.slice = 0;
		bpf_loop(n < NFP_FS_MAX_GROUPS ? n : NFP_FS_MAX_GROUPS, nfp_fs_step, &srch, 0);
		slice = srch.best == 0xffffffffu ? -1 : (int)srch.slice;
		if (ce) {
			ce->key = srch.key;
			ce->version = version;
			ce->slice = slice;
		}
	}
	id = slice < 0 ? 0 : (__u32)slice;
	p->slice_id = id;
	st = bpf_map_lookup_elem(&nfp_fs_stats, &id);
	if (st) {
		st->packets++;
		st->bytes += p->pkt->pkt_len;
	}
	if (slice < 0 && ctl->default_action == NFP_FS_DEFAULT_DROP)
		nfp_pipe_drop(p);
}

#endif
