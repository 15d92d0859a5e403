/* fs_match.h - the flowspace's match algebra: how two OpenFlow matches
 * relate (FlowVisor's MatchType: NONE, SUBSET, SUPERSET, INTERSECT, EQUAL)
 * and the match of their intersection, field by field, masks and CIDR
 * prefixes included; the point in flowspace a packet is; and FlowVisor's
 * match strings ("in_port=1,dl_src=...,nw_src=10.0.0.0/8", "any").
 *
 * A flowspace match is a struct of_match (openflow/of_types.h), so a
 * slice's flow-mod and the flowspace it is checked against are the same
 * type. A field absent from fields is wildcarded; a present field with a
 * mask (MACs, IPv4, IPv6) is the set of values equal to it under the mask.
 * Every field is compared on its own, as FlowVisor does: a rule on nw_src
 * matches an ARP packet's sender address too (of_types.h: for ARP the
 * IPv4 fields are the protocol addresses).
 */
#ifndef NFP_SLICING_FS_MATCH_H
#define NFP_SLICING_FS_MATCH_H

#include "openflow/of_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How match A relates to match B, as sets of packets. */
enum fs_rel {
	FS_REL_NONE = 0,   /* no packet is in both */
	FS_REL_SUBSET,     /* A is inside B (and not equal) */
	FS_REL_SUPERSET,   /* B is inside A (and not equal) */
	FS_REL_INTERSECT,  /* they overlap, neither holds the other */
	FS_REL_EQUAL,
};
const char *fs_rel_name(enum fs_rel r);

/* The relation of @a to @b; when it is not FS_REL_NONE and @inter is not
 * NULL, *inter is the match of the packets in both (each field the more
 * constrained of the two). */
enum fs_rel fs_match_compare(const struct of_match *a, const struct of_match *b,
			     struct of_match *inter);

/* @point (a packet: every OpenFlow 1.0 field present and exact) is in @m. */
bool fs_match_covers(const struct of_match *m, const struct of_match *point);

/* The fields a flowspace rule may name: OpenFlow 1.0's (FlowVisor's). */
#define FS_MATCH_FIELDS (OF_F_IN_PORT | OF_F_ETH_DST | OF_F_ETH_SRC | OF_F_ETH_TYPE | \
			 OF_F_VLAN_VID | OF_F_VLAN_PCP | OF_F_IP_DSCP | OF_F_IP_PROTO |  \
			 OF_F_IPV4_SRC | OF_F_IPV4_DST | OF_F_TP_SRC | OF_F_TP_DST)

/* The point in flowspace of an Ethernet frame that arrived on @in_port, as
 * OpenFlow 1.0 sees it: every field present, those the frame does not have
 * zero (vlan_vid OF_VLAN_NONE when untagged). Returns false when the frame
 * is too short for an Ethernet header (FlowVisor lets such packets through
 * with a log line; callers decide). */
bool fs_match_from_frame(const uint8_t *frame, size_t len, uint32_t in_port,
			 struct of_match *point);

/* Parse FlowVisor's match string into @m: comma-separated field=value
 * pairs, with FlowVisor's aliases (input_port, eth_src, eth_dst, eth_type,
 * dl_vpcp, ip_src, ip_dst); "any", "all", "" or "*" for the whole space.
 * Returns 0, or -EINVAL with @err naming the field and what was wrong
 * (then @m is untouched). */
int fs_match_parse(const char *s, struct of_match *m, char *err, size_t err_len);
/* FlowVisor's string for @m ("any" for the whole space); fields in the
 * order parse accepts them. Returns the length snprintf would. */
int fs_match_format(const struct of_match *m, char *buf, size_t len);

#endif
