/* lvnf.h - the eBPF LVNF runtime's maps, shared by bpf/nfp_lvnf.bpf.c and
 * click-bridge/runtime/ebpf_compile.c: a Click graph as element records
 * the TC program walks packet by packet.
 *
 * An element is found by (LVNF number, element index); an LVNF's port
 * interface (the inner end of its veth) leads to its in_N element. */
#ifndef NFPLANE_LVNF_H
#define NFPLANE_LVNF_H

#include "types.h"

#define NFP_LVNF_MAX_ELEMENTS 256 /* per LVNF */
#define NFP_LVNF_MAX_OUTPUTS 8    /* per element */
#define NFP_LVNF_MAX_STEPS 64     /* elements one packet passes, at most */
#define NFP_LVNF_NO_OUTPUT 0xffff /* an output not connected */

enum nfp_lvnf_kind {
	NFP_LVNF_PORT_IN = 1, /* in_N: where a packet enters; one output */
	NFP_LVNF_PORT_OUT,    /* out_N: sent out of port N (ifindex in arg) */
	NFP_LVNF_NULL,
	NFP_LVNF_DISCARD,
	NFP_LVNF_COUNTER,
	NFP_LVNF_QUEUE,       /* a pass-through: no queueing in the kernel path */
	NFP_LVNF_PAINT,       /* the paint annotation, for the rest of the walk */
	NFP_LVNF_ETHER_REWRITE,
	NFP_LVNF_CHECK_IP_HEADER,
	NFP_LVNF_DEC_IP_TTL,
	NFP_LVNF_CLASSIFIER,  /* its patterns: nfp_lvnf_classifiers */
};

/* Click's Classifier, compiled: clauses in pattern order, a pattern being
 * the run of clauses with the same output; a packet takes the first
 * pattern all of whose clauses hold, and is dropped when none does. */
#define NFP_LVNF_MAX_CLAUSES 32

struct nfp_lvnf_clause {
	__u16 offset;
	__u8 len;     /* 1 to 8 bytes compared */
	__u8 output;
	__u8 negate;  /* "!offset/value" */
	__u8 always;  /* "-": the pattern that matches everything */
	__u8 value[8], mask[8];
};

struct nfp_lvnf_classifier {
	__u32 n;
	struct nfp_lvnf_clause clauses[NFP_LVNF_MAX_CLAUSES];
};

struct nfp_lvnf_key {
	__u32 lvnf;
	__u32 element;
};

struct nfp_lvnf_elem {
	__u16 kind;
	__u16 next[NFP_LVNF_MAX_OUTPUTS]; /* element index per output */
	__u16 next_port[NFP_LVNF_MAX_OUTPUTS]; /* its input port (kept for Click's view) */
	union {
		__u32 ifindex;   /* PORT_OUT */
		__u8 color;      /* PAINT */
		__u16 ip_offset; /* CHECK_IP_HEADER: where the IP header starts */
		struct {
			__u8 src[6], dst[6];
		} ether;         /* ETHER_REWRITE */
	} arg;
};

/* Per element and CPU: what Click's handlers are made of. */
struct nfp_lvnf_counts {
	__u64 packets; /* count (Counter), count (Discard) */
	__u64 bytes;   /* byte_count */
	__u64 drops;   /* drops (CheckIPHeader), and packets an unconnected output lost */
};

/* ifindex of a port's inner end -> where its packets enter */
struct nfp_lvnf_entry {
	__u32 lvnf;
	__u32 element; /* the in_N element */
};

#define NFP_MAP_LVNF_ELEMS   "nfp_lvnf_elems"   /* nfp_lvnf_key -> nfp_lvnf_elem */
#define NFP_MAP_LVNF_COUNTS  "nfp_lvnf_counts"  /* nfp_lvnf_key -> nfp_lvnf_counts (per-CPU) */
#define NFP_MAP_LVNF_ENTRIES "nfp_lvnf_entries" /* ifindex -> nfp_lvnf_entry */
#define NFP_MAP_LVNF_CLASSIFIERS "nfp_lvnf_classifiers" /* nfp_lvnf_key -> nfp_lvnf_classifier */

#endif
