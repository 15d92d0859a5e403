/* parse.h - the bounded packet parser shared by the XDP and TC programs.
 *
 * nfp_parse() reads Ethernet, up to NFP_MAX_VLAN_TAGS VLAN tags (802.1Q and
 * 802.1ad), IPv4 (options, fragments) or IPv6 (up to NFP_MAX_IPV6_EXT
 * extension headers), then TCP, UDP, ICMP or ICMPv6, into struct nfp_pkt.
 * It only reads the packet; it never writes it and never touches a map.
 * Every read is bounds-checked against data_end, and every loop is bounded,
 * so it verifies on its own and costs at most a fixed number of steps.
 * The same code compiles for userspace (see below), where traces parse the
 * frames of OpenFlow packet-ins and packet-outs with it.
 */
#ifndef NFP_BPF_PARSE_H
#define NFP_BPF_PARSE_H

#ifdef __bpf__
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#define NFP_UNROLL _Pragma("unroll")
#else
/* Userspace compiles this same parser (user/trace/of.c: the frames that
 * OpenFlow messages carry); the kernel's uapi headers give the layouts
 * vmlinux.h gives the BPF side. */
#include <netinet/in.h> /* before linux/in6.h: a single struct in6_addr */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#define bpf_ntohs(x) ntohs(x)
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define NFP_UNROLL
#endif
#include "nfplane/parse.h"

/* Layouts the kernel headers in vmlinux.h do not give in a usable form. */
struct nfp_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct nfp_ipv6_opt_hdr {
	__u8 nexthdr;
	__u8 hdrlen; /* in 8-octet units, not counting the first 8 */
};

struct nfp_ipv6_frag_hdr {
	__u8   nexthdr;
	__u8   reserved;
	__be16 frag_off; /* offset << 3 | M flag */
	__be32 identification;
};

#define NFP_IP_MF     0x2000
#define NFP_IP_OFFSET 0x1fff

static __always_inline int nfp_is_vlan(__u16 proto)
{
	return proto == NFP_ETH_P_8021Q || proto == NFP_ETH_P_8021AD;
}

/* Parse the L4 header at @off; the datagram ends at offset @l3_end (for
 * IPv4 the total length says so: bytes after it are Ethernet padding, not
 * header). A non-first fragment carries no L4 header. Returns NFP_MAL_NONE
 * or the reason the header is bad. */
static __always_inline int nfp_parse_l4(void *data, void *data_end, __u32 off,
					__u32 l3_end, struct nfp_pkt *pkt)
{
	pkt->l4_off = off;
	if (pkt->frag == NFP_FRAG_LATER)
		return NFP_MAL_NONE;

	switch (pkt->l4_proto) {
	case NFP_IPPROTO_TCP: {
		struct tcphdr *th = data + off;

		if ((void *)(th + 1) > data_end || off + sizeof(*th) > l3_end)
			return NFP_MAL_L4_TRUNC;
		if (th->doff < 5)
			return NFP_MAL_TCP_DOFF;
		pkt->sport = bpf_ntohs(th->source);
		pkt->dport = bpf_ntohs(th->dest);
		/* the flags byte follows doff/res1 at offset 13 */
		pkt->tcp_flags = ((__u8 *)th)[13];
		pkt->flags |= NFP_PF_L4;
		return NFP_MAL_NONE;
	}
	case NFP_IPPROTO_UDP: {
		struct udphdr *uh = data + off;

		if ((void *)(uh + 1) > data_end || off + sizeof(*uh) > l3_end)
			return NFP_MAL_L4_TRUNC;
		pkt->sport = bpf_ntohs(uh->source);
		pkt->dport = bpf_ntohs(uh->dest);
		pkt->flags |= NFP_PF_L4;
		return NFP_MAL_NONE;
	}
	case NFP_IPPROTO_ICMP:
	case NFP_IPPROTO_ICMPV6: {
		/* type, code, checksum, then the identifier of echo messages;
		 * the identifier stands in for the source port */
		__u8 *ic = data + off;

		if ((void *)(ic + 8) > data_end || off + 8 > l3_end)
			return NFP_MAL_L4_TRUNC;
		pkt->dport = ((__u16)ic[0] << 8) | ic[1];
		pkt->sport = ((__u16)ic[4] << 8) | ic[5];
		pkt->flags |= NFP_PF_L4;
		return NFP_MAL_NONE;
	}
	default:
		return NFP_MAL_NONE;
	}
}

static __always_inline int nfp_parse_ipv4(void *data, void *data_end, __u32 off,
					  struct nfp_pkt *pkt)
{
	struct iphdr *iph = data + off;
	__u32 hlen, tot_len, frag;

	if ((void *)(iph + 1) > data_end)
		return NFP_MAL_IPV4_TRUNC;
	if (iph->version != 4)
		return NFP_MAL_IPV4_VERSION;
	if (iph->ihl < 5)
		return NFP_MAL_IPV4_IHL;
	hlen = iph->ihl * 4;
	if (data + off + hlen > data_end)
		return NFP_MAL_IPV4_OPT_TRUNC;
	if (hlen > 20)
		pkt->flags |= NFP_PF_IPV4_OPTS;
	tot_len = bpf_ntohs(iph->tot_len);
	/* The frame may be longer than the datagram (Ethernet padding, a
	 * multi-buffer tail): only a datagram longer than the frame, or one
	 * shorter than its own header, is malformed. */
	if (tot_len < hlen || off + tot_len > pkt->pkt_len)
		return NFP_MAL_IPV4_TOTLEN;

	pkt->l3 = NFP_L3_IPV4;
	pkt->l3_off = off;
	pkt->saddr[0] = iph->saddr;
	pkt->daddr[0] = iph->daddr;
	pkt->l4_proto = iph->protocol;
	frag = bpf_ntohs(iph->frag_off);
	if (frag & NFP_IP_OFFSET)
		pkt->frag = NFP_FRAG_LATER;
	else if (frag & NFP_IP_MF)
		pkt->frag = NFP_FRAG_FIRST;
	return nfp_parse_l4(data, data_end, off + hlen, off + tot_len, pkt);
}

static __always_inline int nfp_parse_ipv6(void *data, void *data_end, __u32 off,
					  struct nfp_pkt *pkt)
{
	struct ipv6hdr *ip6h = data + off;
	__u8 nexthdr;
	int i;

	if ((void *)(ip6h + 1) > data_end)
		return NFP_MAL_IPV6_TRUNC;
	if (ip6h->version != 6)
		return NFP_MAL_IPV6_VERSION;

	pkt->l3 = NFP_L3_IPV6;
	pkt->l3_off = off;
	__builtin_memcpy(pkt->saddr, &ip6h->saddr, 16);
	__builtin_memcpy(pkt->daddr, &ip6h->daddr, 16);
	nexthdr = ip6h->nexthdr;
	off += sizeof(*ip6h);

	/* Walk at most NFP_MAX_IPV6_EXT extension headers. A longer chain is
	 * not an error (flagged NFP_PF_EXT_LIMIT): the packet goes on with its
	 * L4 protocol unknown, as a firewall that stops looking would. */
	NFP_UNROLL
	for (i = 0; i < NFP_MAX_IPV6_EXT; i++) {
		switch (nexthdr) {
		case NFP_IPPROTO_HOPOPTS:
		case NFP_IPPROTO_ROUTING:
		case NFP_IPPROTO_DSTOPTS: {
			struct nfp_ipv6_opt_hdr *oh = data + off;

			if ((void *)(oh + 1) > data_end)
				return NFP_MAL_IPV6_EXT_TRUNC;
			nexthdr = oh->nexthdr;
			off += (oh->hdrlen + 1) * 8;
			pkt->ext_count++;
			break;
		}
		case NFP_IPPROTO_FRAGMENT: {
			struct nfp_ipv6_frag_hdr *fh = data + off;
			__u16 fo;

			if ((void *)(fh + 1) > data_end)
				return NFP_MAL_IPV6_EXT_TRUNC;
			nexthdr = fh->nexthdr;
			fo = bpf_ntohs(fh->frag_off);
			if (fo & 0xfff8)
				pkt->frag = NFP_FRAG_LATER;
			else if (fo & 1)
				pkt->frag = NFP_FRAG_FIRST;
			off += sizeof(*fh);
			pkt->ext_count++;
			/* After the fragment header of a non-first fragment
			 * comes payload from the middle of the packet, not a
			 * header: @nexthdr names what the first fragment holds. */
			if (pkt->frag == NFP_FRAG_LATER)
				goto done;
			break;
		}
		default:
			goto done;
		}
		/* an extension header that claims to run past the frame */
		if (data + off > data_end)
			return NFP_MAL_IPV6_EXT_TRUNC;
	}
	switch (nexthdr) {
	case NFP_IPPROTO_HOPOPTS:
	case NFP_IPPROTO_ROUTING:
	case NFP_IPPROTO_DSTOPTS:
	case NFP_IPPROTO_FRAGMENT:
		pkt->flags |= NFP_PF_EXT_LIMIT;
		pkt->l4_proto = nexthdr;
		pkt->l4_off = off;
		return NFP_MAL_NONE;
	}
done:
	pkt->l4_proto = nexthdr;
	/* the payload length is not checked against the frame: the frame
	 * bounds the L4 header */
	return nfp_parse_l4(data, data_end, off, pkt->pkt_len, pkt);
}

/* Parse the frame [data, data_end) of @pkt_len bytes in all (@pkt_len is
 * larger than data_end - data for a multi-buffer frame). Fills @pkt, which
 * the caller has zeroed, and returns pkt->malformed. */
static __always_inline int nfp_parse(void *data, void *data_end, __u32 pkt_len,
				     struct nfp_pkt *pkt)
{
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__u16 proto;
	int i, err;

	pkt->pkt_len = pkt_len;
	if ((void *)(eth + 1) > data_end) {
		pkt->malformed = NFP_MAL_ETH_TRUNC;
		return pkt->malformed;
	}
	proto = bpf_ntohs(eth->h_proto);

	NFP_UNROLL
	for (i = 0; i < NFP_MAX_VLAN_TAGS; i++) {
		struct nfp_vlan_hdr *vh = data + off;

		if (!nfp_is_vlan(proto))
			break;
		if ((void *)(vh + 1) > data_end) {
			pkt->malformed = NFP_MAL_VLAN_TRUNC;
			return pkt->malformed;
		}
		pkt->vlan_id[i] = bpf_ntohs(vh->tci) & 0x0fff;
		pkt->vlan_depth++;
		proto = bpf_ntohs(vh->proto);
		off += sizeof(*vh);
	}
	pkt->eth_proto = proto;
	if (nfp_is_vlan(proto)) {
		/* a third tag: not ours to look inside */
		pkt->flags |= NFP_PF_VLAN_LIMIT;
		return NFP_MAL_NONE;
	}

	if (proto == NFP_ETH_P_IP)
		err = nfp_parse_ipv4(data, data_end, off, pkt);
	else if (proto == NFP_ETH_P_IPV6)
		err = nfp_parse_ipv6(data, data_end, off, pkt);
	else
		err = NFP_MAL_NONE;
	pkt->malformed = err;
	return err;
}

#endif
