/* count.h - folding a parse result into the per-CPU interface counters.
 * Shared by XDP ingress (rx_*) and TC egress (tx_*), which count the same
 * classes of packet in their own fields.
 */
#ifndef NFP_BPF_COUNT_H
#define NFP_BPF_COUNT_H

#include "vmlinux.h"
#include "nfplane/parse.h"
#include "nfplane/stats.h"

static __always_inline void nfp_count_rx(struct nfp_if_stats *st,
					 const struct nfp_pkt *pkt)
{
	st->rx_packets++;
	st->rx_bytes += pkt->pkt_len;
	if (pkt->malformed)
		st->rx_malformed++;
	else if (pkt->l3 == NFP_L3_IPV4)
		st->rx_ipv4++;
	else if (pkt->l3 == NFP_L3_IPV6)
		st->rx_ipv6++;
	else
		st->rx_non_ip++;
	if (pkt->frag != NFP_FRAG_NONE)
		st->rx_fragments++;
}

static __always_inline void nfp_count_tx(struct nfp_if_stats *st,
					 const struct nfp_pkt *pkt)
{
	st->tx_packets++;
	st->tx_bytes += pkt->pkt_len;
	if (pkt->malformed)
		st->tx_malformed++;
	else if (pkt->l3 == NFP_L3_IPV4)
		st->tx_ipv4++;
	else if (pkt->l3 == NFP_L3_IPV6)
		st->tx_ipv6++;
	else
		st->tx_non_ip++;
}

#endif
