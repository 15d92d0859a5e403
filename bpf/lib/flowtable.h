/* flowtable.h - the flowtable stage: one flow context per conversation
 * (both directions share it), per-direction counters, TCP state with
 * per-state lifetimes, expiry on the next packet, offload actions, the
 * interface's next step and mirroring. Called from nfp_xdp_ingress().
 *
 * Hit path: one outer array-of-maps lookup (inlined by the verifier), the
 * table's size (the inner map's max_entries), then the key's set: its ways
 * are compared in turn and the matching slot's body is updated in place.
 * An IPv4 slot is one cache line holding key and body, so a hit at a table
 * size that misses the caches costs one memory access. Creation takes the
 * set's lock word, takes a free slot or recycles the flow nearest to expiry
 * in the set (with a flow-end record: nothing ends silently). Time is the
 * coarse clock, read once per jiffy per CPU and cached (nfp_ft_now): jiffy
 * resolution is plenty for lifetimes in seconds.
 * Design, trade-offs and measurements: docs/flowtable.md.
 */
#ifndef NFP_BPF_FLOWTABLE_H
#define NFP_BPF_FLOWTABLE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/flowtable.h"
#include "nfplane/meta.h"
#include "nfplane/parse.h"

/* Never read: it makes the compiler describe the flow structs in full in
 * BTF (the inner-map templates below name them only through pointers, which
 * leaves forward declarations), so libbpf can size the templates and nfpd
 * can give its tables BTF, for bpftool to print them with named fields. */
static const volatile struct {
	struct nfp_ft_set4 s4;
	struct nfp_ft_set6 s6;
	struct nfp_ft_end end;
	struct nfp_ft_mirror_rec mirror;
} nfp_ft_btf_types __attribute__((used));

/* Table templates: nfpd creates the real tables with the size it is told
 * (BPF_F_INNER_MAP: tables of any size fit the outer map) and puts them in
 * slot 0 of the outer maps. Mappable, so nfpd reads and sweeps them in
 * place (user/flowtable/table.c). */
struct nfp_ft_inner4 {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct nfp_ft_set4);
};

struct nfp_ft_inner6 {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct nfp_ft_set6);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nfp_ft_inner4);
} nfp_ft_tables4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nfp_ft_inner6);
} nfp_ft_tables6 SEC(".maps");

/* Live flows per interface slot (the flows it created that are still in a
 * table), kept with atomic adds by XDP and nfpd alike, so an interface's
 * max_flows share is enforced at creation. Mappable for nfpd's atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, __s64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_live SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_ft_conf);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_ft_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_stats SEC(".maps");

/* Flow ids: CPU number << 56 | this CPU's sequence. One map for every
 * interface (per-slot sequences would repeat ids), pinned so ids stay
 * unique across reloads. Only read when a flow is created. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_ids SEC(".maps");

/* The applications' 16 bytes per flow (flowtable_update): written and read
 * by nfpd only, kept apart so the context stays one cache line. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFP_FT_INFO_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct nfp_ft_info);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_info SEC(".maps");

/* Flows that XDP ends itself (restarted on their next packet after expiry).
 * Written with BPF_RB_NO_WAKEUP: nfpd drains it on its sweep timer, so a
 * record costs ~30 ns and never a wakeup (docs/flowtable.md). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_ends SEC(".maps");

/* Packet heads for the application mirror stream; bounded, drops counted. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_mirror SEC(".maps");

/* The time, cached per CPU for the current jiffy. bpf_ktime_get_coarse_ns()
 * costs ~25 ns here (a VM) while bpf_jiffies64() is a load; the coarse clock
 * only moves once per jiffy anyway, so reading it once per jiffy per CPU
 * gives the same values at a fraction of the cost (docs/flowtable.md). Not
 * pinned: each program instance may keep its own cache. */
struct nfp_ft_clock {
	__u64 jiffies;
	__u32 ticks;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nfp_ft_clock);
} nfp_ft_clock SEC(".maps");

static __always_inline __u32 nfp_ft_now(void)
{
	__u32 zero = 0;
	struct nfp_ft_clock *c = bpf_map_lookup_elem(&nfp_ft_clock, &zero);
	__u64 j = bpf_jiffies64();

	if (!c)
		return nfp_ft_ticks(bpf_ktime_get_coarse_ns());
	if (c->jiffies != j) {
		c->jiffies = j;
		c->ticks = nfp_ft_ticks(bpf_ktime_get_coarse_ns());
	}
	return c->ticks;
}

/* Benchmarks only (bench/flowtable): when nonzero, the flow key's lower
 * address is replaced by base + (per-CPU sequence & mask) so that every run
 * sees another flow; mask ~0 makes every packet a new flow. When zero the
 * verifier removes the code, so production pays nothing. */
const volatile __u32 nfp_ft_bench_mask = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} nfp_ft_bench_seq SEC(".maps");

/* What the stage asks of the rest of the pipeline. */
struct nfp_ft_result {
	__u32 meta_actions; /* NFP_META_ACT_* for TC */
	__u32 meta_arg;
};

static __always_inline __u32 nfp_ft_tcp_lifetime(__u8 state)
{
	switch (state) {
	case NFP_TCP_SYN:         return 15;
	case NFP_TCP_SYNACK:      return 60;
	case NFP_TCP_ESTABLISHED: return 299;
	case NFP_TCP_FIN:         return 15;
	case NFP_TCP_FINACK:      return 3;
	case NFP_TCP_RST:         return 6;
	default:                  return 60;
	}
}

/* TCP state machine, VPP's states. A flow first seen mid-stream (no SYN)
 * is taken as established: after a recycle or a resize it is most likely a
 * live connection, and 60 s would cut it short. */
static __always_inline void nfp_ft_tcp(struct nfp_ft_body *f, __u8 tf, __u32 dir,
				       const struct nfp_ft_conf *conf)
{
	__u8 s = f->tcp_state, ns = s;
	__u32 lt;

	if (tf & 0x04) {                       /* RST */
		ns = NFP_TCP_RST;
	} else if (tf & 0x01) {                /* FIN */
		if (s == NFP_TCP_FIN) {
			if (!!(f->flags & NFP_FTF_FIN_HILO) != (dir == NFP_FT_DIR_HILO))
				ns = NFP_TCP_FINACK;
		} else if (s != NFP_TCP_FINACK && s != NFP_TCP_RST) {
			ns = NFP_TCP_FIN;
			if (dir == NFP_FT_DIR_HILO)
				f->flags |= NFP_FTF_FIN_HILO;
			else
				f->flags &= ~NFP_FTF_FIN_HILO;
		}
	} else if (tf & 0x02) {                /* SYN */
		ns = (tf & 0x10) ? NFP_TCP_SYNACK : NFP_TCP_SYN;
	} else if (s == NFP_TCP_NONE || s == NFP_TCP_SYN || s == NFP_TCP_SYNACK) {
		ns = NFP_TCP_ESTABLISHED;
	}
	if (ns == s)
		return;
	f->tcp_state = ns;
	if (f->flags & NFP_FTF_LIFETIME_SET)
		return;
	lt = nfp_ft_tcp_lifetime(ns);
	f->lifetime = lt < conf->max_lifetime ? lt : conf->max_lifetime;
}

/* What creating or restarting a context needs to know (one pointer, so the
 * out-of-line functions stay within five arguments). */
struct nfp_ft_pktctx {
	const struct nfp_pkt *pkt;
	const struct nfp_ft_conf *conf;
	struct nfp_ft_stats *st;
	__u32 now, slot, dir;
	__u32 way0;             /* nfp_ft_first_way of the key */
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
	cold->slice_id = 0;
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

static __always_inline __u32 nfp_ft_bench_index(void)
{
	__u32 zero = 0, *seq = bpf_map_lookup_elem(&nfp_ft_bench_seq, &zero);

	if (!seq)
		return 0;
	return (*seq)++ & nfp_ft_bench_mask;
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
NAME(const struct nfp_pkt *pkt, __u32 now, __u32 slot, const struct nfp_ft_conf *conf,	\
     struct nfp_ft_stats *st, struct nfp_ft_cold **coldp)				\
{											\
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
		struct nfp_ft_pktctx c = { pkt, conf, st, now, slot, dir, way0, V6FLAG };\
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

/* Copy the head of the packet to the application mirror stream. */
static __attribute__((noinline)) void nfp_ft_mirror_app(struct xdp_md *ctx, const struct nfp_pkt *pkt,
					      __u64 flow_id, __u32 slot, struct nfp_ft_stats *st)
{
	struct nfp_ft_mirror_rec *r;
	__u32 cap = pkt->pkt_len;

	st->mirrored++;
	r = bpf_ringbuf_reserve(&nfp_ft_mirror, sizeof(*r), 0);
	if (!r) {
		st->mirror_lost++;
		return;
	}
	/* a mask, not just a compare, so the verifier sees the bound */
	cap = cap >= NFP_FT_MIRROR_SNAP ? NFP_FT_MIRROR_SNAP : cap & (NFP_FT_MIRROR_SNAP - 1);
	if (cap < 1 || bpf_xdp_load_bytes(ctx, 0, r->data, cap)) {
		bpf_ringbuf_discard(r, 0);
		st->mirror_lost++;
		return;
	}
	r->flow_id = flow_id;
	r->slot = slot;
	r->len = pkt->pkt_len;
	r->cap_len = cap;
	r->pad = 0;
	bpf_ringbuf_submit(r, 0);
}

/* Ask for a copy to @ifindex (TC clones it) or, for 0, to the application. */
static __always_inline void nfp_ft_copy(struct xdp_md *ctx, const struct nfp_pkt *pkt,
					__u32 ifindex, __u64 flow_id, __u32 slot,
					struct nfp_ft_stats *st, struct nfp_ft_result *res)
{
	if (ifindex) {
		st->mirrored++;
		res->meta_actions |= NFP_META_ACT_MIRROR;
		res->meta_arg = ifindex;
	} else {
		nfp_ft_mirror_app(ctx, pkt, flow_id, slot, st);
	}
}

static __always_inline int nfp_ft_next(const struct nfp_ft_conf *conf)
{
	switch (conf->next) {
	case NFP_FT_NEXT_DROP:
		return XDP_DROP;
	case NFP_FT_NEXT_REDIRECT:
		return bpf_redirect(conf->next_ifindex, 0);
	default:
		return XDP_PASS;
	}
}

/* The stage. Returns the verdict: XDP_PASS when the flowtable is disabled on
 * this interface, the offload action for offloaded flows, otherwise the
 * interface's next step. */
static __always_inline int nfp_flowtable(struct xdp_md *ctx, const struct nfp_pkt *pkt,
					 __u32 slot, struct nfp_ft_result *res)
{
	struct nfp_ft_cold *cold = NULL;
	struct nfp_ft_body *f = NULL;
	struct nfp_ft_conf *conf;
	struct nfp_ft_stats *st;
	__u32 now, act, arg;
	__u8 flags;

	conf = bpf_map_lookup_elem(&nfp_ft_conf, &slot);
	if (!conf || !(conf->flags & NFP_FTC_ENABLED))
		return XDP_PASS;
	st = bpf_map_lookup_elem(&nfp_ft_stats, &slot);
	if (!st)
		return XDP_PASS;

	/* Non-IP, malformed and later fragments (no ports) get no context:
	 * they are counted and take the interface's next step. */
	if (pkt->malformed || pkt->l3 == NFP_L3_NONE || pkt->frag == NFP_FRAG_LATER) {
		st->unhandled++;
		goto next;
	}
	now = nfp_ft_now();
	if (pkt->l3 == NFP_L3_IPV4)
		f = nfp_ft_flow4(pkt, now, slot, conf, st, &cold);
	else
		f = nfp_ft_flow6(pkt, now, slot, conf, st, &cold);
	if (!f) {
		st->unhandled++;
		goto next;
	}
	flags = f->flags;
	if (flags & NFP_FTF_OFFLOADED) {
		/* the short path: the application's decision, nothing else */
		st->offloaded++;
		act = f->action;
		arg = f->action_arg;
		switch (act) {
		case NFP_FT_ACT_DROP:
			return XDP_DROP;
		case NFP_FT_ACT_REDIRECT:
			return bpf_redirect(arg, 0);
		case NFP_FT_ACT_MIRROR:
			nfp_ft_copy(ctx, pkt, arg, cold ? cold->flow_id : 0, slot, st, res);
			return nfp_ft_next(conf);
		default:
			/* pass: through, by the interface's next step (in a bump
			 * in the wire that is the other side), and nothing else */
			return nfp_ft_next(conf);
		}
	}
next:
	if (conf->mirror == NFP_FT_MIRROR_IFACE)
		nfp_ft_copy(ctx, pkt, conf->mirror_ifindex, cold ? cold->flow_id : 0, slot, st,
			    res);
	else if (conf->mirror == NFP_FT_MIRROR_APP)
		nfp_ft_copy(ctx, pkt, 0, cold ? cold->flow_id : 0, slot, st, res);
	return nfp_ft_next(conf);
}

#endif
