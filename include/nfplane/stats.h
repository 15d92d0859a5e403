/* stats.h - per-interface counters. One struct nfp_if_stats per slot per CPU
 * (a per-CPU array), incremented in place by the programs with no atomics;
 * userspace sums the CPUs when it reports them.
 */
#ifndef NFPLANE_STATS_H
#define NFPLANE_STATS_H

#include "types.h"

/* The counters, in order, as an X-macro: the struct below and every list
 * of their names (the API's JSON, nfpctl, the tests) are made from it, so a
 * counter added here is reported everywhere. */
#define NFP_IF_STATS_FIELDS(X)                                                  \
	/* XDP ingress */                                                       \
	X(rx_packets) X(rx_bytes) X(rx_ipv4) X(rx_ipv6) X(rx_non_ip)            \
	X(rx_malformed) X(rx_fragments)                                         \
	X(xdp_pass) X(xdp_drop) X(xdp_tx) X(xdp_redirect) X(xdp_aborted)        \
	/* TC ingress: packets the stack received, and how many carried a     \
	 * metadata record (XDP writes one when it asks TC for an action,     \
	 * see meta.h), and VLAN actions asked for there that failed */        \
	X(tc_rx_packets) X(tc_rx_meta) X(tc_vlan_failed)                        \
	/* TC egress */                                                         \
	X(tx_packets) X(tx_bytes) X(tx_ipv4) X(tx_ipv6) X(tx_non_ip) X(tx_malformed)

struct nfp_if_stats {
	NFP_IF_STATS_FIELDS(NFP_X_U64_FIELD)
};

#endif
