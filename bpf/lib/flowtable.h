/* flowtable.h - the flowtable stage: one flow context per conversation
 * (both directions share it), per-direction counters, TCP state with
 * per-state lifetimes, expiry on the next packet, offload actions, the
 * interface's next step and mirroring. Called from nfp_xdp_ingress().
 *
 * Hit path: one outer array-of-maps lookup (inlined by the verifier) and ONE
 * table lookup, then in-place stores. The table is only written with
 * map_update when a flow is created. Time is the coarse clock, read once
 * per jiffy per CPU and cached (nfp_ft_now): jiffy resolution is plenty for
 * lifetimes in seconds, and the per-packet cost is a load or two.
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
	struct nfp_ft_key4 k4;
	struct nfp_ft_key6 k6;
	struct nfp_ft_flow flow;
	struct nfp_ft_end end;
	struct nfp_ft_mirror_rec mirror;
} nfp_ft_btf_types __attribute__((used));

/* Table templates: nfpd creates the real tables with the size it is told
 * and puts them in slot 0 of the outer maps. */
struct nfp_ft_inner4 {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NFP_FT_MIN_MAX_FLOWS);
	__type(key, struct nfp_ft_key4);
	__type(value, struct nfp_ft_flow);
};

struct nfp_ft_inner6 {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NFP_FT_MIN_MAX_FLOWS);
	__type(key, struct nfp_ft_key6);
	__type(value, struct nfp_ft_flow);
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
static __always_inline void nfp_ft_tcp(struct nfp_ft_flow *f, __u8 tf, __u32 dir,
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

/* What creating a context needs to know about the packet (one pointer, so
 * that the out-of-line nfp_ft_init stays within five arguments). */
struct nfp_ft_pktctx {
	const struct nfp_pkt *pkt;
	const struct nfp_ft_conf *conf;
	struct nfp_ft_stats *st;
	__u32 now, slot, dir;
	__u8 v6flag;
};

/* A fresh context for this packet, written in place (expiry restart) or
 * on the stack before insertion. Out of line: four call sites. */
static __attribute__((noinline)) void nfp_ft_init(struct nfp_ft_flow *f,
						  const struct nfp_ft_pktctx *c)
{
	const struct nfp_pkt *pkt = c->pkt;
	const struct nfp_ft_conf *conf = c->conf;
	struct nfp_ft_stats *st = c->st;
	__u32 dir = c->dir, now = c->now, slot = c->slot;
	__u8 v6flag = c->v6flag;

	__builtin_memset(f, 0, sizeof(*f));
	f->created = now;
	f->last = now;
	f->packets[dir & 1] = 1;
	f->bytes[dir & 1] = pkt->pkt_len;
	{
		__u32 zero = 0;
		__u64 *seq = bpf_map_lookup_elem(&nfp_ft_ids, &zero);

		if (seq)
			f->flow_id = ((__u64)bpf_get_smp_processor_id() << 56) | ++*seq;
	}
	f->lifetime = conf->lifetime;
	f->slot = slot;
	f->flags = v6flag;
	if (pkt->l4_proto == NFP_IPPROTO_TCP)
		nfp_ft_tcp(f, pkt->tcp_flags, dir, conf);
	st->created++;
}

/* Hand a flow that ends here to nfpd. Not inlined, like the other rare
 * paths below: one copy keeps the hot path's code small. */
static __attribute__((noinline)) void nfp_ft_emit_end(const void *key, __u32 key_len,
					    const struct nfp_ft_flow *f, struct nfp_ft_stats *st)
{
	struct nfp_ft_end *e = bpf_ringbuf_reserve(&nfp_ft_ends, sizeof(*e), 0);

	if (!e) {
		st->ends_lost++;
		return;
	}
	__builtin_memset(&e->key, 0, sizeof(e->key));
	if (key_len == sizeof(struct nfp_ft_key4)) {
		const struct nfp_ft_key4 *k = key;

		e->key.lo_addr[0] = k->lo_addr;
		e->key.hi_addr[0] = k->hi_addr;
		e->key.lo_port = k->lo_port;
		e->key.hi_port = k->hi_port;
		e->key.proto = k->proto;
	} else {
		__builtin_memcpy(&e->key, key, sizeof(struct nfp_ft_key6));
	}
	e->flow = *f;
	e->reason = (f->tcp_state == NFP_TCP_FINACK || f->tcp_state == NFP_TCP_RST) ?
			    NFP_FT_END_TCP_CLOSE : NFP_FT_END_EXPIRED;
	e->pad = 0;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* Count the packet in an existing context, or restart it if it expired. */
static __always_inline void nfp_ft_hit(struct nfp_ft_flow *f, const void *key, __u32 key_len,
				       const struct nfp_pkt *pkt, __u32 dir, __u32 now,
				       __u32 slot, __u8 v6flag, const struct nfp_ft_conf *conf,
				       struct nfp_ft_stats *st)
{
	if (nfp_ft_flow_expired(f, now)) {
		nfp_ft_emit_end(key, key_len, f, st);
		struct nfp_ft_pktctx c = { pkt, conf, st, now, slot, dir, v6flag };

		st->expired++;
		nfp_ft_init(f, &c);
		return;
	}
	st->hits++;
	f->packets[dir & 1]++;
	f->bytes[dir & 1] += pkt->pkt_len;
	f->last = now;
	if (!(f->flags & NFP_FTF_OFFLOADED) && pkt->l4_proto == NFP_IPPROTO_TCP)
		nfp_ft_tcp(f, pkt->tcp_flags, dir, conf);
}

static __always_inline __u32 nfp_ft_bench_index(void)
{
	__u32 zero = 0, *seq = bpf_map_lookup_elem(&nfp_ft_bench_seq, &zero);

	if (!seq)
		return 0;
	return (*seq)++ & nfp_ft_bench_mask;
}

/* Look the packet's flow up in the IPv4 table, creating it when absent.
 * Returns the context (NULL: no table, or creation failed) and copies it to
 * @copy only on creation (so the caller reads offload state in one place). */
/* Look the packet's flow up, creating it when absent (a new context is
 * built in @fresh and inserted). Returns the context, or NULL when there is
 * no table or the creation failed. */
#define NFP_FT_FLOW_FN(NAME, KEYT, TABLE, V6FLAG, ...)					\
static __always_inline struct nfp_ft_flow *						\
NAME(const struct nfp_pkt *pkt, __u32 now, __u32 slot, const struct nfp_ft_conf *conf,	\
     struct nfp_ft_stats *st, struct nfp_ft_flow *fresh)				\
{											\
	KEYT key;									\
	__u32 zero = 0, dir;								\
	struct nfp_ft_flow *f;								\
	void *table;									\
											\
	__VA_ARGS__									\
	table = bpf_map_lookup_elem(&TABLE, &zero);					\
	if (!table)									\
		return NULL;								\
	f = bpf_map_lookup_elem(table, &key);						\
	if (f) {									\
		nfp_ft_hit(f, &key, sizeof(key), pkt, dir, now, slot, V6FLAG, conf, st);\
		return f;								\
	}										\
	st->misses++;									\
	{										\
		struct nfp_ft_pktctx c = { pkt, conf, st, now, slot, dir, V6FLAG };	\
										\
		nfp_ft_init(fresh, &c);							\
	}										\
	if (bpf_map_update_elem(table, &key, fresh, BPF_NOEXIST)) {			\
		/* another CPU created it first (it is fresh): count on that one */	\
		st->created--;								\
		f = bpf_map_lookup_elem(table, &key);					\
		if (f) {								\
			st->hits++;							\
			f->packets[dir & 1]++;						\
			f->bytes[dir & 1] += pkt->pkt_len;				\
		} else {								\
			st->failures++;							\
		}									\
		return f;								\
	}										\
	return fresh;									\
}

/* Benchmarks replace the lower address word (see nfp_ft_bench_mask). */
NFP_FT_FLOW_FN(nfp_ft_flow4, struct nfp_ft_key4, nfp_ft_tables4, 0, {
	__u32 sa = pkt->saddr[0];

	if (nfp_ft_bench_mask)
		sa = bpf_htonl(0x0b000000 + nfp_ft_bench_index());
	dir = nfp_ft_key4_make(&key, sa, pkt->daddr[0], pkt->sport, pkt->dport, pkt->l4_proto);
})

NFP_FT_FLOW_FN(nfp_ft_flow6, struct nfp_ft_key6, nfp_ft_tables6, NFP_FTF_V6, {
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
	struct nfp_ft_flow fresh, *f = NULL;
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
		f = nfp_ft_flow4(pkt, now, slot, conf, st, &fresh);
	else
		f = nfp_ft_flow6(pkt, now, slot, conf, st, &fresh);
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
			nfp_ft_copy(ctx, pkt, arg, f->flow_id, slot, st, res);
			return nfp_ft_next(conf);
		default:
			/* pass: through, by the interface's next step (in a bump
			 * in the wire that is the other side), and nothing else */
			return nfp_ft_next(conf);
		}
	}
next:
	if (conf->mirror == NFP_FT_MIRROR_IFACE)
		nfp_ft_copy(ctx, pkt, conf->mirror_ifindex, f ? f->flow_id : 0, slot, st, res);
	else if (conf->mirror == NFP_FT_MIRROR_APP)
		nfp_ft_copy(ctx, pkt, 0, f ? f->flow_id : 0, slot, st, res);
	return nfp_ft_next(conf);
}

#endif
