/* flowtable/table.h - the table operations: find a packet's flow in its
 * set, count it, restart an expired context, create a new one (taking the
 * set's lock, a free slot or the flow nearest to expiry, with a flow-end
 * record for what it replaces), once per address family (NFP_FT_FAMILY).
 */
#ifndef NFP_BPF_FT_TABLE_H
#define NFP_BPF_FT_TABLE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/flowtable.h"
#include "nfplane/parse.h"
#include "../pipeline.h"
#include "maps.h"
#include "tcp.h"
#include "bench.h"

/* What creating or restarting a context needs to know (one pointer, so the
 * out-of-line functions stay within five arguments). */
struct nfp_ft_pktctx {
	const struct nfp_pkt *pkt;
	const struct nfp_ft_conf *conf;
	struct nfp_ft_stats *st;
	__u32 now, slot, dir;
	__u32 way0;             /* nfp_ft_first_way of the key */
	__u16 slice_id;         /* the packet's slice, kept in a new context */
	__u8 v6flag;
};

/* A set's lock word: taken with a compare-and-swap, a few tries, never
 * waited for (XDP cannot sleep, and the holder is on another CPU for a few
 * dozen instructions at most). */
static __always_inline int nfp_ft_lock(__u32 *lock)
{
	for (int i = 0; i < 4; i++)
		if (__sync_val_compare_and_swap(lock, 0, 1) == 0)
			return 1;
	return 0;
}

static __always_inline void nfp_ft_unlock(__u32 *lock)
{
	__sync_fetch_and_and(lock, 0);
}

static __always_inline void nfp_ft_live_add(__u32 slot, __s64 n)
{
	__s64 *live = bpf_map_lookup_elem(&nfp_ft_live, &slot);

	if (live)
		__sync_fetch_and_add(live, n);
}

/* A free or expired slot that an interface at its share takes only when
 * none of its own flows is in the set: after any of them. */
#define NFP_FT_SPILL_SCORE (1LL << 36)

/* 0: under its share; 1: at it, within the tolerance; 2: over both. */
static __always_inline int nfp_ft_over_share(__u32 slot, const struct nfp_ft_conf *conf)
{
	__s64 *live = bpf_map_lookup_elem(&nfp_ft_live, &slot);
	__s64 max = conf->max_flows;

	if (!live || *live < max)
		return 0;
	return *live < max + max / NFP_FT_SHARE_TOLERANCE ? 1 : 2;
}

/* A fresh context for this packet in @b and @cold. */
static __attribute__((noinline)) void nfp_ft_init(struct nfp_ft_body *b, struct nfp_ft_cold *cold,
						  const struct nfp_ft_pktctx *c)
{
	const struct nfp_pkt *pkt = c->pkt;
	__u32 dir = c->dir, zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&nfp_ft_ids, &zero);

	cold->flow_id = seq ? ((__u64)bpf_get_smp_processor_id() << 56) | ++*seq : 0;
	cold->created = c->now;
	cold->slice_id = c->slice_id;
	cold->pad = 0;
	b->packets[dir & 1] = 1;
	b->packets[!(dir & 1)] = 0;
	b->bytes[dir & 1] = pkt->pkt_len;
	b->bytes[!(dir & 1)] = 0;
	b->last = c->now;
	b->lifetime = c->conf->lifetime;
	b->action_arg = 0;
	b->tcp_state = NFP_TCP_NONE;
	b->flags = c->v6flag;
	b->action = 0;
	b->slot = c->slot;
	if (pkt->l4_proto == NFP_IPPROTO_TCP)
		nfp_ft_tcp(b, pkt->tcp_flags, dir, c->conf);
	c->st->created++;
}

/* Hand a flow that ends here to nfpd (an expired flow that had closed its
 * TCP connection ends with reason TCP close). Not inlined: rare, several
 * callers. */
static __attribute__((noinline)) void nfp_ft_emit_end(const void *key,
						      const struct nfp_ft_body *b,
						      const struct nfp_ft_cold *cold, __u32 reason,
						      struct nfp_ft_stats *st)
{
	struct nfp_ft_end *e = bpf_ringbuf_reserve(&nfp_ft_ends, sizeof(*e), 0);

	if (!e) {
		st->ends_lost++;
		return;
	}
	__builtin_memset(&e->key, 0, sizeof(e->key));
	if (!(b->flags & NFP_FTF_V6)) { /* the key's family is the table's */
		const struct nfp_ft_key4 *k = key;

		e->key.lo_addr[0] = k->lo_addr;
		e->key.hi_addr[0] = k->hi_addr;
		e->key.lo_port = k->lo_port;
		e->key.hi_port = k->hi_port;
		e->key.proto = k->proto;
		e->key.used = 1;
	} else {
		__builtin_memcpy(&e->key, key, sizeof(struct nfp_ft_key6));
	}
	nfp_ft_view(&e->flow, b, cold);
	if (reason == NFP_FT_END_EXPIRED &&
	    (b->tcp_state == NFP_TCP_FINACK || b->tcp_state == NFP_TCP_RST))
		reason = NFP_FT_END_TCP_CLOSE;
	e->reason = reason;
	e->pad = 0;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* Count the packet in an existing, live context. */
static __always_inline void nfp_ft_count(struct nfp_ft_body *b, const struct nfp_pkt *pkt,
					 __u32 dir, __u32 now, const struct nfp_ft_conf *conf,
					 struct nfp_ft_stats *st)
{
	st->hits++;
	b->packets[dir & 1]++;
	b->bytes[dir & 1] += pkt->pkt_len;
	b->last = now;
	if (!(b->flags & NFP_FTF_OFFLOADED) && pkt->l4_proto == NFP_IPPROTO_TCP)
		nfp_ft_tcp(b, pkt->tcp_flags, dir, conf);
}

/*
 * The table operations of one family (IPv4, IPv6): NAME##_find compares the
 * set's ways; NAME##_restart starts an expired context afresh on its next
 * packet; NAME##_create inserts a new one; NAME looks the packet's flow up,
 * counting it, restarting or creating it. Returns the slot's body, and
 * where its cold part is in *coldp (the flow id, for mirror copies).
 */
#define NFP_FT_FAMILY(NAME, KEYT, SETT, TABLE, HASH, EQ, V6FLAG, ...)			\
static __always_inline int NAME##_find(SETT *set, const KEYT *key, __u32 way0)	\
{											\
	for (__u32 i = 0; i < NFP_FT_WAYS; i++) {					\
		__u32 w = (way0 + i) & (NFP_FT_WAYS - 1);				\
											\
		if (EQ(&set->slot[w].key, key))						\
			return (int)w;							\
	}										\
	return -1;									\
}											\
											\
static __attribute__((noinline)) void NAME##_restart(SETT *set, __u32 way,		\
						     const KEYT *key,			\
						     const struct nfp_ft_pktctx *c)	\
{											\
	struct nfp_ft_body *b;								\
	__u32 old_slot;									\
											\
	if (way >= NFP_FT_WAYS)								\
		return;									\
	b = &set->slot[way].b;								\
	if (!nfp_ft_lock(&set->lock)) {							\
		nfp_ft_count(b, c->pkt, c->dir, c->now, c->conf, c->st);		\
		return;									\
	}										\
	/* still this flow, still expired: else another CPU restarted it */		\
	if (EQ(&set->slot[way].key, key) && nfp_ft_body_expired(b, c->now)) {		\
		old_slot = b->slot;							\
		nfp_ft_emit_end(&set->slot[way].key, b, &set->cold[way],	\
				NFP_FT_END_EXPIRED, c->st);				\
		c->st->expired++;							\
		nfp_ft_init(b, &set->cold[way], c);					\
		if (old_slot != c->slot) {						\
			nfp_ft_live_add(old_slot, -1);					\
			nfp_ft_live_add(c->slot, 1);					\
		}									\
	} else {									\
		nfp_ft_count(b, c->pkt, c->dir, c->now, c->conf, c->st);		\
	}										\
	nfp_ft_unlock(&set->lock);							\
}											\
											\
static __attribute__((noinline)) int NAME##_create(SETT *set, const KEYT *key,		\
						   const struct nfp_ft_pktctx *c)	\
{											\
	__s64 best_score = 1LL << 40, score;						\
	int best = -1, over, w;								\
	struct nfp_ft_body *b;								\
	__u8 used;									\
											\
	if (!nfp_ft_lock(&set->lock)) {							\
		c->st->failures++;							\
		return -1;								\
	}										\
	/* another CPU may have created it since we looked */				\
	w = NAME##_find(set, key, c->way0);						\
	if (w >= 0 && w < NFP_FT_WAYS) {						\
		nfp_ft_count(&set->slot[w].b, c->pkt, c->dir, c->now, c->conf, c->st);	\
		nfp_ft_unlock(&set->lock);						\
		return w;								\
	}										\
	/* a free slot, else an expired flow, else the one nearest to expiry.	\
	 * At its share an interface replaces one of its own flows; when the	\
	 * set holds none, it may take a free or expired slot while within	\
	 * the tolerance over its share (else the creation fails). */		\
	over = nfp_ft_over_share(c->slot, c->conf);					\
	for (__u32 i = 0; i < NFP_FT_WAYS; i++) {					\
		w = (int)((c->way0 + i) & (NFP_FT_WAYS - 1));				\
		used = set->slot[w].key.used;						\
		score = nfp_ft_keep_score(used, &set->slot[w].b, c->now);		\
		if (over && !(used && set->slot[w].b.slot == c->slot)) {		\
			/* not ours: a free or expired slot, last of all */		\
			if (over == 2 || score >= 0)					\
				continue;						\
			score = NFP_FT_SPILL_SCORE;					\
		}									\
		if (score < best_score) {						\
			best_score = score;						\
			best = w;							\
		}									\
	}										\
	if (best < 0 || best >= NFP_FT_WAYS) {						\
		c->st->failures++;							\
		nfp_ft_unlock(&set->lock);						\
		return -1;								\
	}										\
	b = &set->slot[best].b;								\
	if (set->slot[best].key.used) {							\
		int live = best_score >= 0 && best_score != NFP_FT_SPILL_SCORE;	\
											\
		nfp_ft_emit_end(&set->slot[best].key, b, &set->cold[best],\
				live ? NFP_FT_END_RECYCLED : NFP_FT_END_EXPIRED, c->st);\
		if (live)								\
			c->st->recycled++;						\
		else									\
			c->st->expired++;						\
		nfp_ft_live_add(b->slot, -1);						\
	}										\
	set->slot[best].key = *key;							\
	nfp_ft_init(b, &set->cold[best], c);						\
	nfp_ft_live_add(c->slot, 1);							\
	nfp_ft_unlock(&set->lock);							\
	return best;									\
}											\
											\
static __always_inline struct nfp_ft_body *						\
NAME(const struct nfp_pipe *p, __u32 now, const struct nfp_ft_conf *conf,		\
     struct nfp_ft_stats *st, struct nfp_ft_cold **coldp)				\
{											\
	const struct nfp_pkt *pkt = p->pkt;						\
	__u32 slot = p->slot;								\
	KEYT key;									\
	__u32 zero = 0, dir, idx, hash, way0;						\
	SETT *set;									\
	void *table;									\
	int w;										\
											\
	__VA_ARGS__									\
	table = bpf_map_lookup_elem(&TABLE, &zero);					\
	if (!table)									\
		return NULL;								\
	hash = HASH(&key);								\
	/* the geometry from the table itself (a CO-RE read of the inner map) */	\
	idx = nfp_ft_set_index(hash, ((struct bpf_map *)table)->max_entries);		\
	set = bpf_map_lookup_elem(table, &idx);						\
	if (!set)									\
		return NULL;								\
	way0 = nfp_ft_first_way(hash);							\
	w = NAME##_find(set, &key, way0);						\
	if (w >= 0 && w < NFP_FT_WAYS && !nfp_ft_body_expired(&set->slot[w].b, now)) {	\
		/* the hit path: count in place, nothing else */			\
		nfp_ft_count(&set->slot[w].b, pkt, dir, now, conf, st);		\
	} else {									\
		/* what the slow paths need, built only for them */			\
		struct nfp_ft_pktctx c = { pkt, conf, st, now, slot, dir, way0,	\
					    (__u16)p->slice_id, V6FLAG };		\
											\
		if (w >= 0 && w < NFP_FT_WAYS) {					\
			NAME##_restart(set, (__u32)w, &key, &c);			\
		} else {								\
			st->misses++;							\
			w = NAME##_create(set, &key, &c);				\
			if (w < 0 || w >= NFP_FT_WAYS)					\
				return NULL;						\
		}									\
	}										\
	*coldp = &set->cold[w]; /* read only when needed: another cache line */	\
	return &set->slot[w].b;								\
}

/* Benchmarks replace the lower address word (see nfp_ft_bench_mask). */
NFP_FT_FAMILY(nfp_ft_flow4, struct nfp_ft_key4, struct nfp_ft_set4, nfp_ft_tables4,
	      nfp_ft_hash4, nfp_ft_key4_eq, 0, {
	__u32 sa = pkt->saddr[0];

	if (nfp_ft_bench_mask)
		sa = bpf_htonl(0x0b000000 + nfp_ft_bench_index());
	dir = nfp_ft_key4_make(&key, sa, pkt->daddr[0], pkt->sport, pkt->dport, pkt->l4_proto);
})

NFP_FT_FAMILY(nfp_ft_flow6, struct nfp_ft_key6, struct nfp_ft_set6, nfp_ft_tables6,
	      nfp_ft_hash6, nfp_ft_key6_eq, NFP_FTF_V6, {
	__u32 sa[4];

	__builtin_memcpy(sa, pkt->saddr, sizeof(sa));
	if (nfp_ft_bench_mask)
		sa[3] = bpf_htonl(nfp_ft_bench_index());
	dir = nfp_ft_key6_make(&key, sa, pkt->daddr, pkt->sport, pkt->dport, pkt->l4_proto);
})

#endif
