/* slicing.h - the flowspace as XDP classifies packets with it: a tuple-space
 * search, shared by bpf/lib/slicing.h (the stage) and user/slicing/xdp.c
 * (which compiles the rules into these maps).
 *
 * Rules are grouped by their mask (which fields, which prefix lengths). A
 * group's rules all match a packet the same way: AND the packet's key with
 * the group's mask and look the result up, exactly. So a lookup is one hash
 * lookup per group, not one comparison per rule; groups are tried in order
 * of the best rule they hold, and the search stops when no later group can
 * beat what was found. Each hash entry holds the best (lowest "order", the
 * rule's place in priority order) of the rules with that masked key.
 *
 * Two generations of groups and entries exist; nfpd fills the one not in
 * use and then switches to it with one atomic write of nfp_fs_ctl.version,
 * so a packet (which reads it once) sees the old rule set or the new one,
 * never a mix.
 *
 * XDP has no OpenFlow datapath of its own: rules for dpid "any" and for
 * nfpd's own dpid (--slicing-dpid) apply, and in_port is the interface's
 * ifindex.
 */
#ifndef NFPLANE_SLICING_H
#define NFPLANE_SLICING_H

#include "types.h"

#define NFP_FS_MAX_GROUPS 64      /* distinct masks per generation */
#define NFP_FS_MAX_ENTRIES 65536  /* masked keys per generation */
#define NFP_FS_MAX_SLICE_IDS 64   /* slice ids 1..64; 0 is "no slice" */

#define NFP_MAP_FS_CTL     "nfp_fs_ctl"     /* [0] -> struct nfp_fs_ctl */
#define NFP_MAP_FS_GROUPS  "nfp_fs_groups"  /* gen * 64 + g -> struct nfp_fs_group */
#define NFP_MAP_FS_RULES   "nfp_fs_rules"   /* struct nfp_fs_key -> struct nfp_fs_val */
#define NFP_MAP_FS_STATS   "nfp_fs_stats"   /* slice id -> struct nfp_fs_stats (per CPU) */

/* A packet's OpenFlow 1.0 fields, host byte order; also a group's mask. */
struct nfp_fs_key {
	__u32 group;     /* gen << 16 | group index: which table the entry is in */
	__u32 in_port;   /* ifindex */
	__u8 eth_dst[6];
	__u8 eth_src[6];
	__u16 eth_type;
	__u16 vlan_vid;  /* 0xffff when untagged */
	__u8 vlan_pcp;
	__u8 ip_dscp;
	__u8 ip_proto;   /* ARP: the opcode's low byte */
	__u8 pad;
	__u32 ipv4_src;  /* ARP: the sender's address */
	__u32 ipv4_dst;
	__u16 tp_src;    /* ICMP: type */
	__u16 tp_dst;    /* ICMP: code */
};

struct nfp_fs_val {
	__u32 order;     /* the rule's place in priority order: lower wins */
	__u16 slice_id;  /* the slice a packet in this rule is counted to */
	__u16 pad;
};

struct nfp_fs_group {
	struct nfp_fs_key mask; /* .group unused */
	__u32 best_order;       /* its best rule: no hit here can beat a lower one */
	__u32 pad;
};

/* What a packet in no rule does, when slicing is on. */
#define NFP_FS_DEFAULT_PASS 0
#define NFP_FS_DEFAULT_DROP 1

struct nfp_fs_ctl {
	/* grows by one with every load; its low bit is the generation in use,
	 * and a cached answer is for one version. One 32-bit word, stored
	 * atomically through the map's mapping, so a packet reads one switch
	 * whole: this version, its generation, that generation's size. */
	__u32 version;
	__u32 n_groups[2];   /* 0 in the generation in use: slicing is off */
	__u32 default_action; /* NFP_FS_DEFAULT_* */
};

/* A packet's answer, cached per CPU (exact key, direct-mapped): flows send
 * many packets with one key, and one hash and one compare then replace the
 * search. An entry answers only for the version it was made under. */
#define NFP_FS_CACHE_SIZE 4096
struct nfp_fs_cache_ent {
	struct nfp_fs_key key;
	__u32 version;       /* 0: empty */
	__s32 slice;         /* -1: in no rule */
};

struct nfp_fs_stats {
	__u64 packets;
	__u64 bytes;
};

#endif
