/* parse.h - the result of parsing one packet (struct nfp_pkt) and the codes
 * that describe what the parser found. Filled by bpf/lib/parse.h; read by the
 * later pipeline stages and, in tests, from the nfp_parse_log map.
 */
#ifndef NFPLANE_PARSE_H
#define NFPLANE_PARSE_H

#include "types.h"

/* Walk limits: they bound the verifier's work and the per-packet cost. */
#define NFP_MAX_VLAN_TAGS 2
#define NFP_MAX_IPV6_EXT  6

/* Ethertypes and IP protocol numbers the parser knows (host byte order). */
#define NFP_ETH_P_IP     0x0800
#define NFP_ETH_P_ARP    0x0806
#define NFP_ETH_P_8021Q  0x8100
#define NFP_ETH_P_8021AD 0x88a8
#define NFP_ETH_P_IPV6   0x86dd
#define NFP_ETH_P_LLDP   0x88cc

#define NFP_IPPROTO_HOPOPTS  0
#define NFP_IPPROTO_ICMP     1
#define NFP_IPPROTO_TCP      6
#define NFP_IPPROTO_UDP      17
#define NFP_IPPROTO_ROUTING  43
#define NFP_IPPROTO_FRAGMENT 44
#define NFP_IPPROTO_ICMPV6   58
#define NFP_IPPROTO_NONE     59
#define NFP_IPPROTO_DSTOPTS  60

/* What a packet is, as far as the parser got. */
enum nfp_l3_kind {
	NFP_L3_NONE = 0, /* not IP: ARP, LLDP, anything else */
	NFP_L3_IPV4 = 4,
	NFP_L3_IPV6 = 6,
};

/* Why a packet is malformed; NFP_MAL_NONE for a well-formed one. A malformed
 * packet is counted and handed to the stack, which drops it by its own rules:
 * the dataplane never forwards a packet it could not parse. */
enum nfp_malformed {
	NFP_MAL_NONE = 0,
	NFP_MAL_ETH_TRUNC,     /* shorter than an Ethernet header */
	NFP_MAL_VLAN_TRUNC,    /* VLAN tag cut short */
	NFP_MAL_IPV4_TRUNC,    /* shorter than a 20-byte IPv4 header */
	NFP_MAL_IPV4_VERSION,  /* ethertype IPv4 but version != 4 */
	NFP_MAL_IPV4_IHL,      /* IHL < 5 */
	NFP_MAL_IPV4_OPT_TRUNC,/* IHL says options the packet does not hold */
	NFP_MAL_IPV4_TOTLEN,   /* total length < header or > packet */
	NFP_MAL_IPV6_TRUNC,    /* shorter than a 40-byte IPv6 header */
	NFP_MAL_IPV6_VERSION,  /* ethertype IPv6 but version != 6 */
	NFP_MAL_IPV6_EXT_TRUNC,/* an extension header cut short */
	NFP_MAL_L4_TRUNC,      /* TCP/UDP/ICMP header cut short */
	NFP_MAL_TCP_DOFF,      /* TCP data offset < 5 */
	NFP_MAL__COUNT
};

/* Fragment position of an IP packet. */
enum nfp_frag {
	NFP_FRAG_NONE = 0,  /* not a fragment */
	NFP_FRAG_FIRST,     /* offset 0, more fragments: carries the L4 header */
	NFP_FRAG_LATER,     /* offset > 0: no L4 header, ports unknown */
};

/* Flags about the parse that are not errors. */
#define NFP_PF_VLAN_LIMIT  0x01 /* more VLAN tags than NFP_MAX_VLAN_TAGS */
#define NFP_PF_EXT_LIMIT   0x02 /* IPv6 extension chain longer than the walk */
#define NFP_PF_IPV4_OPTS   0x04 /* IPv4 header carries options */
#define NFP_PF_L4          0x08 /* sport/dport (or ICMP fields) are valid */

struct nfp_pkt {
	__u32 saddr[4];     /* IPv4 in saddr[0]; network byte order */
	__u32 daddr[4];
	__u16 eth_proto;    /* ethertype after the VLAN tags, host order */
	__u16 vlan_id[NFP_MAX_VLAN_TAGS]; /* outer first; 12-bit VID */
	__u16 sport;        /* TCP/UDP ports, host order; ICMP: identifier */
	__u16 dport;        /* ICMP: (type << 8) | code */
	__u16 l3_off;       /* offsets from the start of the frame */
	__u16 l4_off;
	__u8  vlan_depth;
	__u8  l3;           /* enum nfp_l3_kind */
	__u8  l4_proto;     /* IP protocol after extension headers */
	__u8  frag;         /* enum nfp_frag */
	__u8  malformed;    /* enum nfp_malformed */
	__u8  flags;        /* NFP_PF_* */
	__u8  tcp_flags;    /* TCP flags byte, for the flowtable's TCP state */
	__u8  ext_count;    /* IPv6 extension headers walked */
	__u32 pkt_len;      /* whole frame length, including fragments */
};

#endif
