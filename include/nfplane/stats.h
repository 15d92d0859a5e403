/* stats.h - per-interface counters. One struct nfp_if_stats per slot per CPU
 * (a per-CPU array), incremented in place by the programs with no atomics;
 * userspace sums the CPUs when it reports them.
 */
#ifndef NFPLANE_STATS_H
#define NFPLANE_STATS_H

#include "types.h"

struct nfp_if_stats {
	/* XDP ingress */
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 rx_ipv4;
	__u64 rx_ipv6;
	__u64 rx_non_ip;
	__u64 rx_malformed;
	__u64 rx_fragments;
	__u64 xdp_pass;
	__u64 xdp_drop;
	__u64 xdp_tx;
	__u64 xdp_redirect;
	__u64 xdp_aborted;
	/* TC ingress: packets the stack received, and how many carried a
	 * metadata record (XDP writes one when it asks TC for an action,
	 * see meta.h) */
	__u64 tc_rx_packets;
	__u64 tc_rx_meta;
	/* TC egress */
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 tx_ipv4;
	__u64 tx_ipv6;
	__u64 tx_non_ip;
	__u64 tx_malformed;
};

#endif
