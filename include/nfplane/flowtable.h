/* flowtable.h - the flowtable's shared structs: flow keys (IPv4 and IPv6,
 * normalised so both directions of a conversation share one key), the flow
 * context, per-interface flowtable configuration, per-CPU counters and the
 * flow-end record. Used by bpf/lib/flowtable.h and by nfpd (user/flowtable/).
 * docs/flowtable.md explains the design and its trade-offs.
 */
#ifndef NFPLANE_FLOWTABLE_H
#define NFPLANE_FLOWTABLE_H

#include "types.h"

/* Pinned map names (bpf/lib/flowtable.h). */
/* Each table is the single inner map of an array-of-maps, so nfpd can put a
 * table of another size in its place under traffic (resize). */
#define NFP_MAP_FT_TABLES4 "nfp_ft_tables4" /* [0] -> array of struct nfp_ft_set4 */
#define NFP_MAP_FT_TABLES6 "nfp_ft_tables6" /* [0] -> array of struct nfp_ft_set6 */
#define NFP_MAP_FT_LIVE   "nfp_ft_live"   /* slot -> live flows created by it (__s64) */
#define NFP_MAP_FT_CONF   "nfp_ft_conf"   /* slot -> struct nfp_ft_conf */
#define NFP_MAP_FT_STATS  "nfp_ft_stats"  /* slot -> struct nfp_ft_stats (per-CPU) */
#define NFP_MAP_FT_ENDS   "nfp_ft_ends"   /* ringbuf of struct nfp_ft_end written by XDP */
#define NFP_MAP_FT_MIRROR "nfp_ft_mirror" /* ringbuf of struct nfp_ft_mirror_rec */
#define NFP_MAP_FT_IDS    "nfp_ft_ids"    /* per-CPU flow id sequence */
#define NFP_MAP_FT_INFO   "nfp_ft_info"   /* flow id -> struct nfp_ft_info */

/* Default and limits, in flows and seconds. */
#define NFP_FT_DEFAULT_MAX_FLOWS 65536
#define NFP_FT_MIN_MAX_FLOWS     1024
#define NFP_FT_MAX_MAX_FLOWS     (16u << 20)
#define NFP_FT_DEFAULT_LIFETIME  60
#define NFP_FT_DEFAULT_MAX_LIFETIME 300  /* VPP's TIMER_MAX_LIFETIME */
#define NFP_FT_LIFETIME_LIMIT    86400   /* largest lifetime anyone may configure */
/* An interface at its max_flows share replaces its own flows. When a new
 * flow's set holds none of them, it may still take a free slot, up to
 * 1/NFP_FT_SHARE_TOLERANCE over its share (bpf/lib/flowtable.h). */
#define NFP_FT_SHARE_TOLERANCE   16

/* Flow key. The (address, port) pair that sorts lower is "lo": a packet
 * from lo to hi goes in direction 0 (NFP_FT_DIR_LOHI), the reply in 1.
 * ICMP: lo_port/hi_port hold the identifier and (type << 8 | code) in the
 * order the parser gave them (identifier as source port), so an echo and its
 * reply differ in type and are two flows, as in VPP. IPv4 keys are 16 bytes
 * and live in their own table so the common case stays small. */
struct nfp_ft_key4 {
	__u32 lo_addr;   /* network byte order */
	__u32 hi_addr;
	__u16 lo_port;   /* host order */
	__u16 hi_port;
	__u8  proto;
	__u8  used;      /* 1 in every key made; an empty table slot is all zeros */
	__u8  pad[2];
} __attribute__((aligned(8)));

struct nfp_ft_key6 {
	__u32 lo_addr[4];
	__u32 hi_addr[4];
	__u16 lo_port;
	__u16 hi_port;
	__u8  proto;
	__u8  used;
	__u8  pad[2];
} __attribute__((aligned(8)));

enum nfp_ft_dir {
	NFP_FT_DIR_LOHI = 0,
	NFP_FT_DIR_HILO = 1,
};

/* ICMP "ports" (sp: identifier, dp: type << 8 | code) do not swap with the
 * direction, and an echo reply takes its request's type, so a ping and its
 * answer share one context. Returns true for ICMP. */
static inline __attribute__((always_inline)) int
nfp_ft_icmp_ports(__u8 proto, __u16 *dp)
{
	if (proto == 1) {               /* echo reply (0) -> echo request (8) */
		if ((*dp >> 8) == 0)
			*dp = (__u16)(8 << 8 | (*dp & 0xff));
		return 1;
	}
	if (proto == 58) {              /* 129 -> 128 */
		if ((*dp >> 8) == 129)
			*dp = (__u16)(128 << 8 | (*dp & 0xff));
		return 1;
	}
	return 0;
}

/* The one definition of key normalisation, used by XDP and by nfpd when an
 * application names a flow. Addresses compare as raw 32-bit words: any total
 * order will do, as long as both sides use this one. Return the direction of
 * a packet from (sa, sp) to (da, dp). */
static inline __attribute__((always_inline)) __u32
nfp_ft_key4_make(struct nfp_ft_key4 *k, __u32 sa, __u32 da, __u16 sp, __u16 dp, __u8 proto)
{
	int icmp = nfp_ft_icmp_ports(proto, &dp);

	k->proto = proto;
	k->used = 1;
	k->pad[0] = k->pad[1] = 0;
	if (icmp) {
		k->lo_port = sp;
		k->hi_port = dp;
		k->lo_addr = sa <= da ? sa : da;
		k->hi_addr = sa <= da ? da : sa;
		return sa <= da ? NFP_FT_DIR_LOHI : NFP_FT_DIR_HILO;
	}
	if (sa < da || (sa == da && sp <= dp)) {
		k->lo_addr = sa; k->hi_addr = da; k->lo_port = sp; k->hi_port = dp;
		return NFP_FT_DIR_LOHI;
	}
	k->lo_addr = da; k->hi_addr = sa; k->lo_port = dp; k->hi_port = sp;
	return NFP_FT_DIR_HILO;
}

static inline __attribute__((always_inline)) __u32
nfp_ft_key6_make(struct nfp_ft_key6 *k, const __u32 *sa, const __u32 *da, __u16 sp, __u16 dp,
		 __u8 proto)
{
	int icmp = nfp_ft_icmp_ports(proto, &dp);
	int lower = icmp || sp <= dp, i;

	for (i = 3; i >= 0; i--) /* the first differing word decides */
		if (sa[i] != da[i])
			lower = sa[i] < da[i];
	k->proto = proto;
	k->used = 1;
	k->pad[0] = k->pad[1] = 0;
	if (lower) {
		for (i = 0; i < 4; i++) {
			k->lo_addr[i] = sa[i];
			k->hi_addr[i] = da[i];
		}
		k->lo_port = sp; k->hi_port = dp;
		return NFP_FT_DIR_LOHI;
	}
	for (i = 0; i < 4; i++) {
		k->lo_addr[i] = da[i];
		k->hi_addr[i] = sa[i];
	}
	/* ICMP keeps (identifier, type) in place whichever way it goes */
	k->lo_port = icmp ? sp : dp;
	k->hi_port = icmp ? dp : sp;
	return NFP_FT_DIR_HILO;
}

/* TCP states, after VPP's flowtable_tcp.h. */
enum nfp_ft_tcp_state {
	NFP_TCP_NONE = 0,        /* not TCP */
	NFP_TCP_SYN,
	NFP_TCP_SYNACK,
	NFP_TCP_ESTABLISHED,
	NFP_TCP_FIN,
	NFP_TCP_FINACK,
	NFP_TCP_RST,
	NFP_TCP__COUNT
};

/* Offload actions: what XDP does with an offloaded flow's packets. */
enum nfp_ft_action {
	NFP_FT_ACT_PASS = 0,     /* through: the interface's next step, no mirror */
	NFP_FT_ACT_DROP,
	NFP_FT_ACT_REDIRECT,     /* arg: ifindex */
	NFP_FT_ACT_MIRROR,       /* a copy, then the next step; arg: ifindex, 0 = application */
	NFP_FT_ACT__COUNT
};

/* Flags of struct nfp_ft_flow. */
#define NFP_FTF_OFFLOADED     0x01 /* apply action without further processing */
#define NFP_FTF_LIFETIME_SET  0x02 /* an application fixed the lifetime: TCP
				    * state changes no longer change it */
#define NFP_FTF_FIN_HILO      0x04 /* the first FIN went hi -> lo */
#define NFP_FTF_V6            0x08 /* context of the IPv6 table (for records) */

/* Time in contexts: "ticks" of 2^20 ns (~1.05 ms) of the coarse monotonic
 * clock (bpf_ktime_get_coarse_ns() >> 20), in 32 bits so the context fits in
 * one cache line. They wrap after ~52 days; expiry compares signed
 * differences, right for any lifetime under ~26 days. */
#define NFP_FT_TICK_SHIFT 20

static inline __attribute__((always_inline)) __u32 nfp_ft_ticks(__u64 ns)
{
	return (__u32)(ns >> NFP_FT_TICK_SHIFT);
}

static inline __attribute__((always_inline)) __u32 nfp_ft_lifetime_ticks(__u32 seconds)
{
	return (__u32)(((__u64)seconds * 1000000000ULL) >> NFP_FT_TICK_SHIFT);
}

/* A flow context as nfpd, the API and flow-end records see it: the fields
 * of a table slot's body and cold part together (nfp_ft_view). */
struct nfp_ft_flow {
	__u64 packets[2];     /* per enum nfp_ft_dir */
	__u64 bytes[2];
	__u64 flow_id;        /* unique: cpu << 56 | per-CPU sequence */
	__u32 last;           /* ticks */
	__u32 created;        /* ticks */
	__u32 lifetime;       /* seconds; 0: ends after each packet */
	__u32 action_arg;     /* ifindex for redirect/mirror */
	__u16 slice_id;       /* kept for slicing */
	__u8  tcp_state;      /* enum nfp_ft_tcp_state */
	__u8  flags;          /* NFP_FTF_* */
	__u8  action;         /* enum nfp_ft_action, when NFP_FTF_OFFLOADED */
	__u8  slot;           /* interface slot that created the flow */
	__u8  pad[2];
};

/*
 * The tables (docs/flowtable.md, "The table"). A table is an array of sets
 * of NFP_FT_WAYS slots; a key lives in set nfp_ft_set_index(hash, nsets),
 * in any of its ways, searched from nfp_ft_first_way(hash). A slot is the key and the part of the context the
 * hit path reads and writes (the body), so that an IPv4 hit touches one
 * 64-byte line: no bucket, no element header, no separate value. What only
 * creation and nfpd need (the cold part) sits at the end of the set.
 *
 * The number of sets is the array's max_entries, which XDP reads from the
 * map itself: a resize (a new table swapped in) can never pair a table with
 * another table's size.
 *
 * Writers of a slot's key (creation, recycling, restart after expiry,
 * deletion) hold the set's lock word (taken with a compare-and-swap, never
 * waited for: a busy set is retried a few times, then counted as a
 * failure); the hit path takes no lock and updates the body in place.
 * Counters are plain (non-atomic) increments: a flow's packets in one
 * direction normally arrive on one CPU (RSS), and a lost increment when
 * they do not is accepted, as Cilium accepts it.
 */
#define NFP_FT_WAYS 8

struct nfp_ft_body {
	__u64 packets[2];     /* per enum nfp_ft_dir */
	__u64 bytes[2];
	__u32 last;           /* ticks */
	__u32 lifetime;       /* seconds; 0: ends after each packet */
	__u32 action_arg;     /* ifindex for redirect/mirror */
	__u8  tcp_state;      /* enum nfp_ft_tcp_state */
	__u8  flags;          /* NFP_FTF_* */
	__u8  action;         /* enum nfp_ft_action, when NFP_FTF_OFFLOADED */
	__u8  slot;           /* interface slot that created the flow */
};

struct nfp_ft_cold {
	__u64 flow_id;
	__u32 created;        /* ticks */
	__u16 slice_id;
	__u16 pad;
};

struct nfp_ft_slot4 {
	struct nfp_ft_key4 key;  /* all zeros: the slot is free */
	struct nfp_ft_body b;
};

struct nfp_ft_slot6 {
	struct nfp_ft_key6 key;
	struct nfp_ft_body b;
};

struct nfp_ft_set4 {
	struct nfp_ft_slot4 slot[NFP_FT_WAYS];
	struct nfp_ft_cold cold[NFP_FT_WAYS];
	__u32 lock;              /* 0 free; else held by a writer */
	__u32 pad[15];
};

struct nfp_ft_set6 {
	struct nfp_ft_slot6 slot[NFP_FT_WAYS];
	struct nfp_ft_cold cold[NFP_FT_WAYS];
	__u32 lock;
	__u32 pad[15];
};

_Static_assert(sizeof(struct nfp_ft_slot4) == 64, "an IPv4 slot is one cache line");
_Static_assert(sizeof(struct nfp_ft_set4) % 64 == 0, "sets start on a cache line");
_Static_assert(sizeof(struct nfp_ft_set6) % 64 == 0, "sets start on a cache line");

/* Slots per configured flow: a table holds twice the flows asked for, so
 * that at the configured maximum a set is half full on average and a new
 * flow rarely finds its set full while the table has room (docs/flowtable.md
 * measures how rarely). */
#define NFP_FT_HEADROOM 2

/* Sets of a table for @max_flows. */
static inline __attribute__((always_inline)) __u32 nfp_ft_nsets(__u32 max_flows)
{
	return (__u32)(((__u64)max_flows * NFP_FT_HEADROOM + NFP_FT_WAYS - 1) / NFP_FT_WAYS);
}

/* Keys are read as 64-bit words (they are 8-byte aligned and padded with
 * zeros); may_alias, or the compiler may read them before they are written
 * through their own type. */
typedef __u64 __attribute__((__may_alias__)) nfp_ft_word;

/* The key hash, the same in XDP and nfpd: the words folded with a multiply,
 * then mixed so that every key bit reaches the high bits the set index uses
 * (murmur3's 64-bit finaliser constants). */
static inline __attribute__((always_inline)) __u32 nfp_ft_finish(__u64 h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (__u32)(h >> 32);
}

static inline __attribute__((always_inline)) __u32 nfp_ft_hash4(const struct nfp_ft_key4 *k)
{
	const nfp_ft_word *w = (const nfp_ft_word *)k;

	return nfp_ft_finish(w[0] * 0x9e3779b97f4a7c15ULL ^ w[1]);
}

static inline __attribute__((always_inline)) __u32 nfp_ft_hash6(const struct nfp_ft_key6 *k)
{
	const nfp_ft_word *w = (const nfp_ft_word *)k;
	__u64 h = w[0];

	h = h * 0x9e3779b97f4a7c15ULL ^ w[1];
	h = h * 0x9e3779b97f4a7c15ULL ^ w[2];
	h = h * 0x9e3779b97f4a7c15ULL ^ w[3];
	h = h * 0x9e3779b97f4a7c15ULL ^ w[4];
	return nfp_ft_finish(h);
}

/* The array element of a hash's set: 0..nsets-1 (a multiply, not a modulo,
 * so any number of sets will do). */
static inline __attribute__((always_inline)) __u32 nfp_ft_set_index(__u32 hash, __u32 nsets)
{
	return (__u32)(((__u64)hash * nsets) >> 32);
}

/* The way a key is looked for first; the search goes on from there, round
 * the set. A new flow takes the first free way in that order, so most flows
 * sit in their first way and a hit reads one slot: a set searched from way
 * 0 would make a hit read every slot before its own. */
static inline __attribute__((always_inline)) __u32 nfp_ft_first_way(__u32 hash)
{
	return hash & (NFP_FT_WAYS - 1);
}

static inline __attribute__((always_inline)) int nfp_ft_key4_eq(const struct nfp_ft_key4 *a,
								 const struct nfp_ft_key4 *b)
{
	const nfp_ft_word *x = (const nfp_ft_word *)a, *y = (const nfp_ft_word *)b;

	return x[0] == y[0] && x[1] == y[1];
}

static inline __attribute__((always_inline)) int nfp_ft_key6_eq(const struct nfp_ft_key6 *a,
								 const struct nfp_ft_key6 *b)
{
	const nfp_ft_word *x = (const nfp_ft_word *)a, *y = (const nfp_ft_word *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3] && x[4] == y[4];
}

/* The one definition of expiry, for XDP and the sweeper. */
static inline __attribute__((always_inline)) int
nfp_ft_body_expired(const struct nfp_ft_body *b, __u32 now)
{
	return b->lifetime == 0 || (__s32)(now - b->last) > (__s32)nfp_ft_lifetime_ticks(b->lifetime);
}

/* How long a slot's flow has left, in ticks, for choosing what to recycle:
 * a free slot is the best choice, then an expired flow, then the flow
 * nearest to expiry (VPP recycles that one too). Lower goes first. */
#define NFP_FT_FREE_SCORE (-(1LL << 40))
static inline __attribute__((always_inline)) __s64
nfp_ft_keep_score(__u8 used, const struct nfp_ft_body *b, __u32 now)
{
	if (!used)
		return NFP_FT_FREE_SCORE;
	if (b->lifetime == 0)
		return -(1LL << 33);
	return (__s64)(__s32)(b->last + nfp_ft_lifetime_ticks(b->lifetime) - now);
}

/* The view of a slot (body + cold part). */
static inline __attribute__((always_inline)) void
nfp_ft_view(struct nfp_ft_flow *f, const struct nfp_ft_body *b, const struct nfp_ft_cold *c)
{
	f->packets[0] = b->packets[0];
	f->packets[1] = b->packets[1];
	f->bytes[0] = b->bytes[0];
	f->bytes[1] = b->bytes[1];
	f->flow_id = c->flow_id;
	f->last = b->last;
	f->created = c->created;
	f->lifetime = b->lifetime;
	f->action_arg = b->action_arg;
	f->slice_id = c->slice_id;
	f->tcp_state = b->tcp_state;
	f->flags = b->flags;
	f->action = b->action;
	f->slot = b->slot;
	f->pad[0] = f->pad[1] = 0;
}

/* And back: a slot's body and cold part from a view. */
static inline __attribute__((always_inline)) void
nfp_ft_unview(struct nfp_ft_body *b, struct nfp_ft_cold *c, const struct nfp_ft_flow *f)
{
	b->packets[0] = f->packets[0];
	b->packets[1] = f->packets[1];
	b->bytes[0] = f->bytes[0];
	b->bytes[1] = f->bytes[1];
	b->last = f->last;
	b->lifetime = f->lifetime;
	b->action_arg = f->action_arg;
	b->tcp_state = f->tcp_state;
	b->flags = f->flags;
	b->action = f->action;
	b->slot = f->slot;
	c->flow_id = f->flow_id;
	c->created = f->created;
	c->slice_id = f->slice_id;
	c->pad = 0;
}

/* flow_id -> the application's 16 bytes (nfp_ft_info). */
struct nfp_ft_info {
	__u8 info[16];
};
#define NFP_FT_INFO_MAX 1048576

/* Next step after the flowtable, per interface. */
enum nfp_ft_next {
	NFP_FT_NEXT_PASS = 0,
	NFP_FT_NEXT_DROP,
	NFP_FT_NEXT_REDIRECT, /* next_ifindex: a transparent bump in the wire */
};

/* Mirror of an interface's traffic (all of it, not per flow). */
enum nfp_ft_mirror_to {
	NFP_FT_MIRROR_NONE = 0,
	NFP_FT_MIRROR_IFACE,  /* mirror_ifindex, by TC clone */
	NFP_FT_MIRROR_APP,    /* to the application stream */
};

#define NFP_FTC_ENABLED 0x1

/* Per-interface configuration (slot -> this). */
struct nfp_ft_conf {
	__u32 flags;          /* NFP_FTC_* */
	__u32 max_flows;      /* this interface's share of the table */
	__u32 lifetime;       /* default for non-TCP flows, seconds */
	__u32 max_lifetime;   /* cap on TCP state lifetimes */
	__u32 next;           /* enum nfp_ft_next */
	__u32 next_ifindex;
	__u32 mirror;         /* enum nfp_ft_mirror_to */
	__u32 mirror_ifindex;
};

/* Per-slot, per-CPU counters; all __u64 so userspace sums them blindly.
 * Listed once, as an X-macro (see stats.h), for the struct and its names:
 *   expired     flows XDP ended: restarted on their next packet, or an
 *               expired flow's slot taken by a new one
 *   failures    a context could not be created (set busy, or full of other
 *               interfaces' flows at this one's share)
 *   unhandled   non-IP, malformed, later fragments
 *   offloaded   packets that took the offload short path
 *   ends_lost   flow-end records the ringbuf had no room for
 *   mirrored    copies asked for (interface or application)
 *   mirror_lost application copies the ringbuf had no room for
 *   recycled    live flows whose slot a new flow took */
#define NFP_FT_STATS_FIELDS(X)                                                  \
	X(hits) X(misses) X(created) X(expired) X(failures) X(unhandled)        \
	X(offloaded) X(ends_lost) X(mirrored) X(mirror_lost) X(recycled)

struct nfp_ft_stats {
	NFP_FT_STATS_FIELDS(NFP_X_U64_FIELD)
};

/* Why a flow ended. */
enum nfp_ft_end_reason {
	NFP_FT_END_EXPIRED = 1,
	NFP_FT_END_RECYCLED,
	NFP_FT_END_DELETED,
	NFP_FT_END_TCP_CLOSE,
};

/* A flow-end record as XDP writes it (flows restarted on their next packet
 * after expiry); nfpd turns it, and the flows it ends itself, into
 * flow_end events. */
struct nfp_ft_end {
	struct nfp_ft_key6 key;   /* IPv4: addresses in [0], NFP_FTF_V6 clear */
	struct nfp_ft_flow flow;
	__u32 reason;             /* enum nfp_ft_end_reason */
	__u32 pad;
};

/* Bytes of a packet copied to the application mirror stream. */
#define NFP_FT_MIRROR_SNAP 256

struct nfp_ft_mirror_rec {
	__u64 flow_id;
	__u32 slot;
	__u32 len;                /* original length */
	__u32 cap_len;            /* bytes in data */
	__u32 pad;
	__u8  data[NFP_FT_MIRROR_SNAP];
};

#endif
