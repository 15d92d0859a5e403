/* trace.h - what the trace taps (bpf/lib/trace.h) and nfpd's trace subsystem
 * (user/trace/) share: the compiled session filters the taps match against,
 * the control word that tells the taps whether any session is on, the
 * record a tap writes into the ring buffer, and the tap counters.
 *
 * Protocol between nfpd and the taps: nfpd writes the active filters densely
 * into the half of nfp_trace_filters that the taps are not reading
 * (generation 0 uses entries [0, MAX), generation 1 [MAX, 2*MAX)), then
 * publishes them with one write of the control word. A tap reads the control
 * word once per packet; with no session in its direction that read is all
 * it costs.
 */
#ifndef NFPLANE_TRACE_H
#define NFPLANE_TRACE_H

#include "types.h"

/* Sessions the dataplane can match at once: a record names its sessions in
 * a 64-bit mask, one bit per session slot. */
#define NFP_TRACE_MAX_SLOTS 64

/* Largest number of packet bytes a record carries, and the ring size. */
#define NFP_TRACE_SNAPLEN_MAX 9216
#define NFP_TRACE_RING_BYTES  (8u << 20)

/* Directions, as bits (a filter may ask for both). */
#define NFP_TRACE_DIR_IN   0x1 /* XDP ingress */
#define NFP_TRACE_DIR_OUT  0x2 /* TC egress */
#define NFP_TRACE_DIR_BOTH 0x3

/* Control word (struct nfp_trace_ctl.state). */
#define NFP_TRACE_CTL_COUNT_MASK 0xffu   /* filters in the published generation */
#define NFP_TRACE_CTL_ANY_IN     0x100u  /* some filter wants the in direction */
#define NFP_TRACE_CTL_ANY_OUT    0x200u  /* some filter wants the out direction */
#define NFP_TRACE_CTL_GEN        0x8000u /* which half of nfp_trace_filters is live */

struct nfp_trace_ctl {
	__u32 state;        /* NFP_TRACE_CTL_* */
	__u32 wakeup_bytes; /* force a reader wakeup every this many ring bytes per CPU */
};

/* What a filter checks (all ANDed; a field not flagged matches anything). */
#define NFP_TF_MAC     0x01 /* source or destination MAC */
#define NFP_TF_IP      0x02 /* source or destination address in addr/mask */
#define NFP_TF_PROTO   0x04 /* IP protocol */
#define NFP_TF_PORT    0x08 /* source or destination port (ICMP: identifier) */
#define NFP_TF_IFINDEX 0x10 /* the interface the packet is seen on */

struct nfp_trace_filter {
	__u64 session_bit;  /* 1 << session slot */
	__u8  mac[6];
	__u8  dir;          /* NFP_TRACE_DIR_* bits */
	__u8  fields;       /* NFP_TF_* */
	__u32 ifindex;
	__u32 addr[4];      /* network order; IPv4 in addr[0] */
	__u32 mask[4];      /* prefix mask, network order */
	__u8  family;       /* 4 or 6, with NFP_TF_IP */
	__u8  proto;
	__u16 port;         /* host order */
	__u16 snaplen;      /* bytes of packet to keep, 1..NFP_TRACE_SNAPLEN_MAX */
	__u16 pad;
};

/* Record kinds. The taps only write packets; the OpenFlow records are made
 * by nfpd itself and never go through the ring. */
#define NFP_TRACE_KIND_PACKET 1

/* One ring buffer record: this header, then cap_len bytes of the packet. */
struct nfp_trace_rec {
	__u64 time_ns;   /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 sessions;  /* bits of the matching session slots */
	__u32 ifindex;
	__u32 orig_len;  /* length of the packet on the wire */
	__u16 cap_len;   /* bytes that follow */
	__u8  dir;       /* NFP_TRACE_DIR_IN or NFP_TRACE_DIR_OUT */
	__u8  kind;      /* NFP_TRACE_KIND_* */
	__u32 pad;
};

/* Tap counters, one copy per CPU; nfpd sums them. */
struct nfp_trace_stats {
	__u64 records;      /* written to the ring */
	__u64 bytes;        /* packet bytes written */
	__u64 ring_full;    /* records lost because the ring was full */
	__u64 wakeups;      /* forced reader wakeups */
	__u64 since_wakeup; /* tap state: ring bytes since the last forced wakeup */
};

/* Pinned map names (definitions in bpf/lib/trace.h). */
#define NFP_MAP_TRACE_CTL     "nfp_trace_ctl"
#define NFP_MAP_TRACE_FILTERS "nfp_trace_filt"
#define NFP_MAP_TRACE_RING    "nfp_trace_ring"
#define NFP_MAP_TRACE_STATS   "nfp_trace_stats"

#endif
