/* test_xdp_parse.c - the XDP ingress program's packet parser and counters,
 * proven through BPF_PROG_TEST_RUN on crafted packets.
 *
 * Each row of `cases` is one behaviour: a packet (a builder, optionally cut
 * to a length), the verdict, the parse result the program must record in
 * nfp_parse_log, and the class counter that must move. The runner also
 * checks, for every row, what holds for all packets: rx_packets == 1,
 * rx_bytes == the frame length, rx_fragments moves exactly for fragments,
 * addresses and offsets match the built packet, and a passed packet comes
 * back unchanged with a struct nfp_xdp_meta in front of it.
 *
 * After the table: an inactive slot, counters over repeated runs, the slot
 * knob (configuration, counters and metadata of its own slot), and the TC
 * programs (egress counting tx_*; ingress without a record, and with the
 * record XDP wrote, followed through live frames into a real TC hook).
 * The programs are loaded unpinned: a test never touches /sys/fs/bpf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nfplane/flowtable.h"
#include "nfplane/meta.h"
#include "nfplane/parse.h"
#include "nfplane/stats.h"
#include "nfp_tc.skel.h"
#include "nfp_xdp.skel.h"
#include "../lib/bpf_run.h"
#include "../lib/pkt.h"
#include "../lib/xdp_load.h"

/* ---- packet builders: every packet uses these addresses and ports ---- */

#define SRC4 0x0a000001u /* 10.0.0.1 */
#define DST4 0x0a000002u
#define SRC6 "2001:db8::1"
#define DST6 "2001:db8::2"
enum { S_UDP = 1111, D_UDP = 2222, S_TCP = 3333, D_TCP = 80, ICMP_ID = 0x4242 };
enum { IPP_ICMP = NFP_IPPROTO_ICMP, IPP_TCP = NFP_IPPROTO_TCP, IPP_UDP = NFP_IPPROTO_UDP,
       IPP_ICMP6 = NFP_IPPROTO_ICMPV6, IPP_GRE = 47 };

static void eth_v4(struct pkt *p, uint8_t proto)
{
	pkt_eth(p, NFP_ETH_P_IP);
	pkt_ipv4(p, SRC4, DST4, proto);
}

static void eth_v6(struct pkt *p, uint8_t nexthdr)
{
	pkt_eth(p, NFP_ETH_P_IPV6);
	pkt_ipv6(p, SRC6, DST6, nexthdr);
}

static void v4_ex(struct pkt *p, uint8_t proto, uint16_t frag_off, const uint8_t *opts,
		  size_t opts_len)
{
	struct pkt_ipv4 o = { .src = SRC4, .dst = DST4, .proto = proto, .frag_off = frag_off,
			      .options = opts, .options_len = opts_len };

	pkt_eth(p, NFP_ETH_P_IP);
	pkt_ipv4_ex(p, &o);
}

static void tcp_doff(struct pkt *p, uint8_t doff)
{
	p->buf[p->l4_off + 12] = (uint8_t)(doff << 4);
}

/* A deliberate IPv4 total length that pkt_finish must leave alone. */
static void ip4_tot_len(struct pkt *p, uint16_t tot_len)
{
	p->buf[p->ip4_off + 2] = (uint8_t)(tot_len >> 8);
	p->buf[p->ip4_off + 3] = (uint8_t)tot_len;
	p->keep_ip_len = 1;
}

static const uint8_t some_payload[32] = {
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33, 0x44,
	0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01,
};

/* IPv4 */
static void b_v4_udp(struct pkt *p)
{
	eth_v4(p, IPP_UDP);
	pkt_udp(p, S_UDP, D_UDP);
	pkt_zeros(p, 6);
}
static void b_v4_tcp(struct pkt *p) { eth_v4(p, IPP_TCP); pkt_tcp(p, S_TCP, D_TCP, PKT_SYN); }
static void b_v4_tcp_synack(struct pkt *p)
{
	eth_v4(p, IPP_TCP);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN | PKT_ACK);
}
static void b_v4_tcp_fin(struct pkt *p)
{
	eth_v4(p, IPP_TCP);
	pkt_tcp(p, S_TCP, D_TCP, PKT_FIN | PKT_PSH | PKT_ACK);
}
static void b_v4_tcp_opts(struct pkt *p)
{
	static const uint8_t mss_nops[12] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 1, 1, 1, 1, 0 };

	eth_v4(p, IPP_TCP);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
	tcp_doff(p, 8);
	pkt_bytes(p, mss_nops, sizeof(mss_nops));
}
static void b_v4_tcp_doff4(struct pkt *p) { b_v4_tcp(p); tcp_doff(p, 4); }
static void b_v4_icmp_echo(struct pkt *p)
{
	eth_v4(p, IPP_ICMP);
	pkt_icmp(p, 8, 0, ICMP_ID);
	pkt_zeros(p, 8);
}
static void b_v4_icmp_reply(struct pkt *p) { eth_v4(p, IPP_ICMP); pkt_icmp(p, 0, 0, ICMP_ID); }
static void b_v4_icmp_unreach(struct pkt *p)
{
	eth_v4(p, IPP_ICMP);
	pkt_icmp(p, 3, 4, 0);
	pkt_zeros(p, 28);
}
static void b_v4_gre(struct pkt *p) { eth_v4(p, IPP_GRE); pkt_zeros(p, 4); }

static const uint8_t opts4[4] = { 1, 1, 1, 0 };                       /* NOP NOP NOP EOL */
static const uint8_t opts8[8] = { 0x94, 4, 0, 0, 1, 1, 1, 0 };        /* router alert, NOPs */
static const uint8_t opts40[40] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
				    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
static void b_v4_opt4_udp(struct pkt *p)
{
	v4_ex(p, IPP_UDP, 0, opts4, 4);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_v4_opt8_udp(struct pkt *p)
{
	v4_ex(p, IPP_UDP, 0, opts8, 8);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_v4_opt40_tcp(struct pkt *p)
{
	v4_ex(p, IPP_TCP, 0, opts40, 40);
	pkt_tcp(p, S_TCP, D_TCP, PKT_ACK);
}
static void b_v4_ihl4(struct pkt *p)
{
	struct pkt_ipv4 o = { .src = SRC4, .dst = DST4, .proto = IPP_UDP, .ihl = 4 };

	pkt_eth(p, NFP_ETH_P_IP);
	pkt_ipv4_ex(p, &o);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_v4_ihl0(struct pkt *p) { b_v4_ihl4(p); p->buf[p->ip4_off] = 0x40; }
static void b_v4_version6(struct pkt *p)
{
	struct pkt_ipv4 o = { .src = SRC4, .dst = DST4, .proto = IPP_UDP, .version = 6 };

	pkt_eth(p, NFP_ETH_P_IP);
	pkt_ipv4_ex(p, &o);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_v4_totlen19(struct pkt *p) { b_v4_udp(p); ip4_tot_len(p, 19); }
static void b_v4_totlen_long(struct pkt *p)
{
	b_v4_udp(p);
	ip4_tot_len(p, (uint16_t)(p->len - 14 + 1));
}
static void b_v4_opts_totlen_short(struct pkt *p) { b_v4_opt8_udp(p); ip4_tot_len(p, 24); }
/* A minimum-size frame: the datagram (IP + UDP + 4 bytes) is followed by
 * Ethernet padding up to 60 bytes, which is not part of the datagram. */
static void b_v4_padded(struct pkt *p)
{
	b_v4_udp(p);
	p->len -= 2;
	ip4_tot_len(p, (uint16_t)(p->len - 14));
	p->buf[p->udp_off + 5] = (uint8_t)(p->len - (size_t)p->udp_off);
	p->udp_off = -1;
	pkt_zeros(p, 60 - p->len);
}
/* The datagram ends with its IP header; what follows is padding, which
 * must not be read as the UDP header the protocol field announces. */
static void b_v4_l4_in_padding(struct pkt *p)
{
	eth_v4(p, IPP_UDP);
	ip4_tot_len(p, 20);
	pkt_bytes(p, some_payload, 26);
}
static void b_v4_df(struct pkt *p) { v4_ex(p, IPP_UDP, 0x4000, NULL, 0); pkt_udp(p, S_UDP, D_UDP); }
static void b_v4_frag_first(struct pkt *p)
{
	v4_ex(p, IPP_UDP, 0x2000, NULL, 0);
	pkt_udp(p, S_UDP, D_UDP);
	pkt_zeros(p, 16);
}
static void b_v4_frag_middle(struct pkt *p)
{
	v4_ex(p, IPP_UDP, 0x2000 | 185, NULL, 0);
	pkt_bytes(p, some_payload, 24);
}
static void b_v4_frag_last(struct pkt *p)
{
	v4_ex(p, IPP_UDP, 185, NULL, 0);
	pkt_bytes(p, some_payload, 24);
}
/* A first fragment too small to hold the whole TCP header. */
static void b_v4_frag_tiny_tcp(struct pkt *p)
{
	v4_ex(p, IPP_TCP, 0x2000, NULL, 0);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
	p->len -= 12;
}

/* IPv6 */
static void b_v6_tcp(struct pkt *p) { eth_v6(p, IPP_TCP); pkt_tcp(p, S_TCP, D_TCP, PKT_SYN); }
static void b_v6_tcp_doff0(struct pkt *p) { b_v6_tcp(p); tcp_doff(p, 0); }
static void b_v6_udp(struct pkt *p)
{
	eth_v6(p, IPP_UDP);
	pkt_udp(p, S_UDP, D_UDP);
	pkt_zeros(p, 6);
}
static void b_v6_icmp_echo(struct pkt *p) { eth_v6(p, IPP_ICMP6); pkt_icmp(p, 128, 0, ICMP_ID); }
static void b_v6_icmp_ns(struct pkt *p)
{
	eth_v6(p, IPP_ICMP6);
	pkt_icmp(p, 135, 0, 0);
	pkt_zeros(p, 16);
}
static void b_v6_nonext(struct pkt *p) { eth_v6(p, NFP_IPPROTO_NONE); pkt_zeros(p, 8); }
static void b_v6_version4(struct pkt *p) { b_v6_tcp(p); p->buf[p->ip6_off] = 0x40; }
static void b_v6_hbh_tcp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_HOPOPTS);
	pkt_ipv6_opt(p, IPP_TCP, 0);
	pkt_tcp(p, S_TCP, D_TCP, PKT_ACK);
}
static void b_v6_hbh_long_udp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_HOPOPTS);
	pkt_ipv6_opt(p, IPP_UDP, 10);
	pkt_udp(p, S_UDP, D_UDP);
}
/* Hop-by-hop header whose length field runs far past the frame. */
static void b_v6_ext_overrun(struct pkt *p) { b_v6_hbh_tcp(p); p->buf[p->ip6_off + 40 + 1] = 20; }
static void b_v6_rt_udp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_ROUTING);
	pkt_ipv6_opt(p, IPP_UDP, 2);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_v6_frag_first_udp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_FRAGMENT);
	pkt_ipv6_frag(p, IPP_UDP, 0, 1);
	pkt_udp(p, S_UDP, D_UDP);
	pkt_zeros(p, 8);
}
static void b_v6_frag_later_udp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_FRAGMENT);
	pkt_ipv6_frag(p, IPP_UDP, 100, 1);
	pkt_bytes(p, some_payload, 16);
}
/* A later fragment of a packet whose fragmentable part began with
 * destination options: what follows the fragment header is payload from
 * the middle of the packet, not a header to walk. */
static void b_v6_frag_later_dst(struct pkt *p)
{
	static const uint8_t ff[32] = { [0 ... 31] = 0xff };

	eth_v6(p, NFP_IPPROTO_FRAGMENT);
	pkt_ipv6_frag(p, NFP_IPPROTO_DSTOPTS, 100, 0);
	pkt_bytes(p, ff, sizeof(ff));
}
static void b_v6_dst_icmp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_DSTOPTS);
	pkt_ipv6_opt(p, IPP_ICMP6, 0);
	pkt_icmp(p, 128, 0, ICMP_ID);
}
/* HBH, DST, RT, FRAG (first), DST, then TCP */
static void b_v6_chain5_tcp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_HOPOPTS);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 1);
	pkt_ipv6_opt(p, NFP_IPPROTO_FRAGMENT, 0);
	pkt_ipv6_frag(p, NFP_IPPROTO_DSTOPTS, 0, 1);
	pkt_ipv6_opt(p, IPP_TCP, 0);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
}
/* Exactly NFP_MAX_IPV6_EXT (6) headers, one an atomic fragment (offset 0,
 * no more fragments), then TCP: the walk reaches the ports. */
static void b_v6_chain6_tcp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_HOPOPTS);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_FRAGMENT, 0);
	pkt_ipv6_frag(p, NFP_IPPROTO_DSTOPTS, 0, 0);
	pkt_ipv6_opt(p, IPP_TCP, 0);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
}
/* Seven headers: one more than the walk allows. */
static void b_v6_chain7_tcp(struct pkt *p)
{
	eth_v6(p, NFP_IPPROTO_HOPOPTS);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, IPP_TCP, 0);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
}

/* VLAN */
static void b_vlan_v4_udp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021Q);
	pkt_vlan(p, 10, NFP_ETH_P_IP);
	pkt_ipv4(p, SRC4, DST4, IPP_UDP);
	pkt_udp(p, S_UDP, D_UDP);
}
/* PCP 5 and DEI set in the TCI: neither is part of the VLAN id */
static void b_vlan_pcp_dei(struct pkt *p) { b_vlan_v4_udp(p); p->buf[14] |= 0xb0; }
static void b_qinq_v4_tcp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021AD);
	pkt_vlan(p, 100, NFP_ETH_P_8021Q);
	pkt_vlan(p, 200, NFP_ETH_P_IP);
	pkt_ipv4(p, SRC4, DST4, IPP_TCP);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
}
static void b_dot1q_dot1q_v4_udp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021Q);
	pkt_vlan(p, 5, NFP_ETH_P_8021Q);
	pkt_vlan(p, 6, NFP_ETH_P_IP);
	pkt_ipv4(p, SRC4, DST4, IPP_UDP);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_vlan3_v4_udp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021AD);
	pkt_vlan(p, 1, NFP_ETH_P_8021Q);
	pkt_vlan(p, 2, NFP_ETH_P_8021Q);
	pkt_vlan(p, 3, NFP_ETH_P_IP);
	pkt_ipv4(p, SRC4, DST4, IPP_UDP);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_vlan_v6_udp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021Q);
	pkt_vlan(p, 30, NFP_ETH_P_IPV6);
	pkt_ipv6(p, SRC6, DST6, IPP_UDP);
	pkt_udp(p, S_UDP, D_UDP);
}
static void b_qinq_v6_tcp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021AD);
	pkt_vlan(p, 300, NFP_ETH_P_8021Q);
	pkt_vlan(p, 400, NFP_ETH_P_IPV6);
	pkt_ipv6(p, SRC6, DST6, IPP_TCP);
	pkt_tcp(p, S_TCP, D_TCP, PKT_SYN);
}

/* Not IP */
static const uint8_t arp_request[28] = {
	0, 1, 0x08, 0, 6, 4, 0, 1,            /* Ethernet/IPv4, request */
	0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1,  /* sender */
	0, 0, 0, 0, 0, 0, 10, 0, 0, 2,        /* target */
};
static void b_arp(struct pkt *p) { pkt_eth(p, NFP_ETH_P_ARP); pkt_bytes(p, arp_request, 28); }
static void b_vlan_arp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021Q);
	pkt_vlan(p, 10, NFP_ETH_P_ARP);
	pkt_bytes(p, arp_request, 28);
}
static void b_lldp(struct pkt *p)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t nearest_bridge[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e };
	static const uint8_t tlvs[] = {
		0x02, 0x07, 4, 0x02, 0, 0, 0, 0, 0x01, /* chassis id: MAC */
		0x04, 0x03, 7, 'p', '1',               /* port id: local */
		0x06, 0x02, 0, 120,                    /* TTL 120 s */
		0x00, 0x00,                            /* end */
	};

	pkt_eth_addr(p, src, nearest_bridge, NFP_ETH_P_LLDP);
	pkt_bytes(p, tlvs, sizeof(tlvs));
}
static void b_unknown_ethertype(struct pkt *p) { pkt_eth(p, 0x1234); pkt_zeros(p, 46); }
static void b_eth_only(struct pkt *p) { pkt_eth(p, 0x1234); }

/* Jumbo frames: more than a page, so BPF_PROG_TEST_RUN hands the
 * program a multi-buffer xdp_buff (the table's program is loaded frags-capable,
 * as nfpd loads it for a jumbo-MTU interface). */
static void b_jumbo_v4_udp(struct pkt *p) { b_v4_udp(p); pkt_zeros(p, 9000 - p->len); }
/* BPF_PROG_TEST_RUN on an skb takes at most a page, linear */
static void b_v4_udp_1500(struct pkt *p) { b_v4_udp(p); pkt_zeros(p, 1514 - p->len); }
static void b_jumbo_v6_tcp(struct pkt *p) { b_v6_tcp(p); pkt_zeros(p, 9000 - p->len); }

/* ---- the table ---- */

/* The class counter a packet moves (exactly one of them, or none). */
enum rx_class { RX_NONE, RX_IPV4, RX_IPV6, RX_NON_IP, RX_MALFORMED };

struct parse_case {
	const char *name;             /* the behaviour the case proves */
	void (*build)(struct pkt *p);
	unsigned int cut;             /* >0: frame cut to this many bytes before
				       * pkt_finish, so length fields agree with
				       * the cut and only the header is short */
	uint32_t verdict;             /* XDP_*, or REFUSED */
	enum rx_class moves;
	struct nfp_pkt want;          /* pkt_len, addresses and offsets are
				       * checked against the built packet */
};

/* Not a verdict: BPF_PROG_TEST_RUN refuses the frame with EINVAL and the
 * program never runs. */
#define REFUSED 0xffffffffu

#define PASS XDP_PASS
#define IP4 .l3 = NFP_L3_IPV4, .eth_proto = NFP_ETH_P_IP
#define IP6 .l3 = NFP_L3_IPV6, .eth_proto = NFP_ETH_P_IPV6
#define ETH4 .eth_proto = NFP_ETH_P_IP
#define ETH6 .eth_proto = NFP_ETH_P_IPV6
#define TCP .l4_proto = NFP_IPPROTO_TCP
#define UDP .l4_proto = NFP_IPPROTO_UDP
#define ICMP .l4_proto = NFP_IPPROTO_ICMP
#define ICMP6 .l4_proto = NFP_IPPROTO_ICMPV6
#define PORTS(s, d) .sport = (s), .dport = (d)
#define UDP_PORTS PORTS(S_UDP, D_UDP)
#define TCP_PORTS PORTS(S_TCP, D_TCP)
#define ICMP_FIELDS(type, code, id) .dport = (type) << 8 | (code), .sport = (id)
#define VLAN1(a) .vlan_depth = 1, .vlan_id = { a }
#define VLAN2(a, b) .vlan_depth = 2, .vlan_id = { a, b }
#define MAL(why) .malformed = NFP_MAL_##why
#define L4 NFP_PF_L4
#define OPTS NFP_PF_IPV4_OPTS
#define SYN PKT_SYN
#define ACK PKT_ACK

static const struct parse_case cases[] = {
	/* IPv4 */
	{ "ipv4 udp: addresses, ports, L4 flag", b_v4_udp, 0, PASS, RX_IPV4,
	  { IP4, UDP, UDP_PORTS, .flags = L4 } },
	{ "ipv4 tcp: ports and SYN recorded", b_v4_tcp, 0, PASS, RX_IPV4,
	  { IP4, TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4 } },
	{ "ipv4 tcp: SYN|ACK recorded", b_v4_tcp_synack, 0, PASS, RX_IPV4,
	  { IP4, TCP, TCP_PORTS, .tcp_flags = SYN | ACK, .flags = L4 } },
	{ "ipv4 tcp: FIN|PSH|ACK recorded", b_v4_tcp_fin, 0, PASS, RX_IPV4,
	  { IP4, TCP, TCP_PORTS, .tcp_flags = PKT_FIN | PKT_PSH | ACK, .flags = L4 } },
	{ "ipv4 tcp with options (doff 8)", b_v4_tcp_opts, 0, PASS, RX_IPV4,
	  { IP4, TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4 } },
	{ "ipv4 tcp doff 4: TCP_DOFF", b_v4_tcp_doff4, 0, PASS, RX_MALFORMED,
	  { IP4, TCP, MAL(TCP_DOFF) } },
	{ "ipv4 icmp echo request: id, type<<8|code", b_v4_icmp_echo, 0, PASS, RX_IPV4,
	  { IP4, ICMP, ICMP_FIELDS(8, 0, ICMP_ID), .flags = L4 } },
	{ "ipv4 icmp echo reply", b_v4_icmp_reply, 0, PASS, RX_IPV4,
	  { IP4, ICMP, ICMP_FIELDS(0, 0, ICMP_ID), .flags = L4 } },
	{ "ipv4 icmp fragmentation needed: type 3 code 4", b_v4_icmp_unreach, 0, PASS, RX_IPV4,
	  { IP4, ICMP, ICMP_FIELDS(3, 4, 0), .flags = L4 } },
	{ "ipv4 unknown protocol (GRE): no L4, not malformed", b_v4_gre, 0, PASS, RX_IPV4,
	  { IP4, .l4_proto = 47 } },
	{ "ipv4 4 bytes of options: IPV4_OPTS, ports found past them", b_v4_opt4_udp, 0, PASS,
	  RX_IPV4, { IP4, UDP, UDP_PORTS, .flags = L4 | OPTS } },
	{ "ipv4 8 bytes of options", b_v4_opt8_udp, 0, PASS, RX_IPV4,
	  { IP4, UDP, UDP_PORTS, .flags = L4 | OPTS } },
	{ "ipv4 40 bytes of options (IHL 15)", b_v4_opt40_tcp, 0, PASS, RX_IPV4,
	  { IP4, TCP, TCP_PORTS, .tcp_flags = ACK, .flags = L4 | OPTS } },
	{ "ipv4 ethernet padding after the datagram: not malformed", b_v4_padded, 0, PASS,
	  RX_IPV4, { IP4, UDP, UDP_PORTS, .flags = L4 } },
	{ "ipv4 datagram ends before its UDP header, padding follows: L4_TRUNC",
	  b_v4_l4_in_padding, 0, PASS, RX_MALFORMED, { IP4, UDP, MAL(L4_TRUNC) } },
	{ "ipv4 DF only: not a fragment", b_v4_df, 0, PASS, RX_IPV4,
	  { IP4, UDP, UDP_PORTS, .flags = L4 } },
	{ "ipv4 first fragment (MF, offset 0): FIRST with ports", b_v4_frag_first, 0, PASS,
	  RX_IPV4, { IP4, UDP, UDP_PORTS, .frag = NFP_FRAG_FIRST, .flags = L4 } },
	{ "ipv4 middle fragment (MF, offset>0): LATER, no ports", b_v4_frag_middle, 0, PASS,
	  RX_IPV4, { IP4, UDP, .frag = NFP_FRAG_LATER } },
	{ "ipv4 last fragment (offset>0, no MF): LATER, no ports", b_v4_frag_last, 0, PASS,
	  RX_IPV4, { IP4, UDP, .frag = NFP_FRAG_LATER } },
	{ "ipv4 tiny first fragment cutting the TCP header: L4_TRUNC", b_v4_frag_tiny_tcp, 0,
	  PASS, RX_MALFORMED, { IP4, TCP, .frag = NFP_FRAG_FIRST, MAL(L4_TRUNC) } },
	{ "ipv4 IHL 4: IPV4_IHL", b_v4_ihl4, 0, PASS, RX_MALFORMED, { ETH4, MAL(IPV4_IHL) } },
	{ "ipv4 IHL 0: IPV4_IHL", b_v4_ihl0, 0, PASS, RX_MALFORMED, { ETH4, MAL(IPV4_IHL) } },
	{ "ipv4 ethertype, version 6: IPV4_VERSION", b_v4_version6, 0, PASS, RX_MALFORMED,
	  { ETH4, MAL(IPV4_VERSION) } },
	{ "ipv4 tot_len 19, shorter than the header: IPV4_TOTLEN", b_v4_totlen19, 0, PASS,
	  RX_MALFORMED, { ETH4, MAL(IPV4_TOTLEN) } },
	{ "ipv4 tot_len one byte past the frame: IPV4_TOTLEN", b_v4_totlen_long, 0, PASS,
	  RX_MALFORMED, { ETH4, MAL(IPV4_TOTLEN) } },
	{ "ipv4 tot_len 24 with a 28-byte header: IPV4_TOTLEN", b_v4_opts_totlen_short, 0, PASS,
	  RX_MALFORMED, { ETH4, .flags = OPTS, MAL(IPV4_TOTLEN) } },

	/* IPv6 */
	{ "ipv6 tcp: addresses, ports, SYN", b_v6_tcp, 0, PASS, RX_IPV6,
	  { IP6, TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4 } },
	{ "ipv6 tcp doff 0: TCP_DOFF", b_v6_tcp_doff0, 0, PASS, RX_MALFORMED,
	  { IP6, TCP, MAL(TCP_DOFF) } },
	{ "ipv6 udp", b_v6_udp, 0, PASS, RX_IPV6, { IP6, UDP, UDP_PORTS, .flags = L4 } },
	{ "ipv6 icmpv6 echo request: id, type<<8|code", b_v6_icmp_echo, 0, PASS, RX_IPV6,
	  { IP6, ICMP6, ICMP_FIELDS(128, 0, ICMP_ID), .flags = L4 } },
	{ "ipv6 icmpv6 neighbour solicitation", b_v6_icmp_ns, 0, PASS, RX_IPV6,
	  { IP6, ICMP6, ICMP_FIELDS(135, 0, 0), .flags = L4 } },
	{ "ipv6 no next header (59): no L4, not malformed", b_v6_nonext, 0, PASS, RX_IPV6,
	  { IP6, .l4_proto = NFP_IPPROTO_NONE } },
	{ "ipv6 ethertype, version 4: IPV6_VERSION", b_v6_version4, 0, PASS, RX_MALFORMED,
	  { ETH6, MAL(IPV6_VERSION) } },
	{ "ipv6 hop-by-hop then tcp", b_v6_hbh_tcp, 0, PASS, RX_IPV6,
	  { IP6, TCP, TCP_PORTS, .tcp_flags = ACK, .flags = L4, .ext_count = 1 } },
	{ "ipv6 hop-by-hop of 88 bytes then udp", b_v6_hbh_long_udp, 0, PASS, RX_IPV6,
	  { IP6, UDP, UDP_PORTS, .flags = L4, .ext_count = 1 } },
	{ "ipv6 routing header then udp", b_v6_rt_udp, 0, PASS, RX_IPV6,
	  { IP6, UDP, UDP_PORTS, .flags = L4, .ext_count = 1 } },
	{ "ipv6 first fragment: FIRST with ports", b_v6_frag_first_udp, 0, PASS, RX_IPV6,
	  { IP6, UDP, UDP_PORTS, .frag = NFP_FRAG_FIRST, .flags = L4, .ext_count = 1 } },
	{ "ipv6 later fragment: LATER, no ports", b_v6_frag_later_udp, 0, PASS, RX_IPV6,
	  { IP6, UDP, .frag = NFP_FRAG_LATER, .ext_count = 1 } },
	{ "ipv6 later fragment: payload after it is not walked as a header",
	  b_v6_frag_later_dst, 0, PASS, RX_IPV6,
	  { IP6, .l4_proto = NFP_IPPROTO_DSTOPTS, .frag = NFP_FRAG_LATER, .ext_count = 1 } },
	{ "ipv6 destination options then icmpv6 echo", b_v6_dst_icmp, 0, PASS, RX_IPV6,
	  { IP6, ICMP6, ICMP_FIELDS(128, 0, ICMP_ID), .flags = L4, .ext_count = 1 } },
	{ "ipv6 chain hbh,dst,rt,frag,dst then tcp", b_v6_chain5_tcp, 0, PASS, RX_IPV6,
	  { IP6, TCP, TCP_PORTS, .tcp_flags = SYN, .frag = NFP_FRAG_FIRST, .flags = L4,
	    .ext_count = 5 } },
	{ "ipv6 chain of 6 (the walk's limit), atomic fragment: ports found",
	  b_v6_chain6_tcp, 0, PASS, RX_IPV6,
	  { IP6, TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4, .ext_count = 6 } },
	{ "ipv6 chain of 7: EXT_LIMIT, not malformed, L4 unknown", b_v6_chain7_tcp, 0, PASS,
	  RX_IPV6, { IP6, .l4_proto = NFP_IPPROTO_DSTOPTS, .flags = NFP_PF_EXT_LIMIT,
		     .ext_count = 6 } },
	{ "ipv6 extension header longer than the frame: IPV6_EXT_TRUNC", b_v6_ext_overrun, 0,
	  PASS, RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC), .ext_count = 1 } },

	/* VLAN */
	{ "802.1Q + ipv4 udp", b_vlan_v4_udp, 0, PASS, RX_IPV4,
	  { IP4, VLAN1(10), UDP, UDP_PORTS, .flags = L4 } },
	{ "802.1Q PCP and DEI bits are not part of the VID", b_vlan_pcp_dei, 0, PASS, RX_IPV4,
	  { IP4, VLAN1(10), UDP, UDP_PORTS, .flags = L4 } },
	{ "QinQ 0x88a8 then 0x8100 + ipv4 tcp", b_qinq_v4_tcp, 0, PASS, RX_IPV4,
	  { IP4, VLAN2(100, 200), TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4 } },
	{ "two 0x8100 tags + ipv4 udp", b_dot1q_dot1q_v4_udp, 0, PASS, RX_IPV4,
	  { IP4, VLAN2(5, 6), UDP, UDP_PORTS, .flags = L4 } },
	{ "three tags: VLAN_LIMIT, counted as not IP", b_vlan3_v4_udp, 0, PASS, RX_NON_IP,
	  { .eth_proto = NFP_ETH_P_8021Q, VLAN2(1, 2), .flags = NFP_PF_VLAN_LIMIT } },
	{ "802.1Q + ipv6 udp", b_vlan_v6_udp, 0, PASS, RX_IPV6,
	  { IP6, VLAN1(30), UDP, UDP_PORTS, .flags = L4 } },
	{ "QinQ + ipv6 tcp", b_qinq_v6_tcp, 0, PASS, RX_IPV6,
	  { IP6, VLAN2(300, 400), TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4 } },
	{ "802.1Q + arp: not IP", b_vlan_arp, 0, PASS, RX_NON_IP,
	  { .eth_proto = NFP_ETH_P_ARP, VLAN1(10) } },

	/* not IP */
	{ "arp request: not IP", b_arp, 0, PASS, RX_NON_IP, { .eth_proto = NFP_ETH_P_ARP } },
	{ "lldp: not IP", b_lldp, 0, PASS, RX_NON_IP, { .eth_proto = NFP_ETH_P_LLDP } },
	{ "unknown ethertype: not IP, not malformed", b_unknown_ethertype, 0, PASS, RX_NON_IP,
	  { .eth_proto = 0x1234 } },
	{ "bare 14-byte ethernet header, unknown ethertype", b_eth_only, 0, PASS, RX_NON_IP,
	  { .eth_proto = 0x1234 } },

	/* jumbo (multi-buffer) */
	{ "jumbo 9000-byte ipv4 udp: rx_bytes counts every buffer", b_jumbo_v4_udp, 0, PASS,
	  RX_IPV4, { IP4, UDP, UDP_PORTS, .flags = L4 } },
	{ "jumbo 9000-byte ipv6 tcp", b_jumbo_v6_tcp, 0, PASS, RX_IPV6,
	  { IP6, TCP, TCP_PORTS, .tcp_flags = SYN, .flags = L4 } },

	/* Truncation at every header boundary and one byte short of it. The
	 * kernel refuses frames shorter than an Ethernet header, so the
	 * parser's own ETH_TRUNC check cannot be reached from here. */
	{ "13 bytes, one short of ethernet: kernel refuses", b_v4_udp, 13, REFUSED, RX_NONE,
	  { .l3 = NFP_L3_NONE } },
	{ "ipv4 cut after ethernet: IPV4_TRUNC", b_v4_udp, 14, PASS, RX_MALFORMED,
	  { ETH4, MAL(IPV4_TRUNC) } },
	{ "ipv4 one byte short of its header: IPV4_TRUNC", b_v4_udp, 33, PASS, RX_MALFORMED,
	  { ETH4, MAL(IPV4_TRUNC) } },
	{ "ipv4 udp cut after ip: L4_TRUNC", b_v4_udp, 34, PASS, RX_MALFORMED,
	  { IP4, UDP, MAL(L4_TRUNC) } },
	{ "ipv4 udp one byte short: L4_TRUNC", b_v4_udp, 41, PASS, RX_MALFORMED,
	  { IP4, UDP, MAL(L4_TRUNC) } },
	{ "ipv4 udp header complete, no payload", b_v4_udp, 42, PASS, RX_IPV4,
	  { IP4, UDP, UDP_PORTS, .flags = L4 } },
	{ "ipv4 tcp cut after ip: L4_TRUNC", b_v4_tcp, 34, PASS, RX_MALFORMED,
	  { IP4, TCP, MAL(L4_TRUNC) } },
	{ "ipv4 tcp one byte short: L4_TRUNC", b_v4_tcp, 53, PASS, RX_MALFORMED,
	  { IP4, TCP, MAL(L4_TRUNC) } },
	{ "ipv4 icmp cut after ip: L4_TRUNC", b_v4_icmp_echo, 34, PASS, RX_MALFORMED,
	  { IP4, ICMP, MAL(L4_TRUNC) } },
	{ "ipv4 icmp one byte short: L4_TRUNC", b_v4_icmp_echo, 41, PASS, RX_MALFORMED,
	  { IP4, ICMP, MAL(L4_TRUNC) } },
	{ "ipv4 options cut entirely: IPV4_OPT_TRUNC", b_v4_opt8_udp, 34, PASS, RX_MALFORMED,
	  { ETH4, MAL(IPV4_OPT_TRUNC) } },
	{ "ipv4 options one byte short: IPV4_OPT_TRUNC", b_v4_opt8_udp, 41, PASS, RX_MALFORMED,
	  { ETH4, MAL(IPV4_OPT_TRUNC) } },
	{ "ipv4 with options, cut after them: L4_TRUNC", b_v4_opt8_udp, 42, PASS, RX_MALFORMED,
	  { IP4, UDP, .flags = OPTS, MAL(L4_TRUNC) } },
	{ "802.1Q tag missing: VLAN_TRUNC", b_vlan_v4_udp, 14, PASS, RX_MALFORMED,
	  { MAL(VLAN_TRUNC) } },
	{ "802.1Q tag one byte short: VLAN_TRUNC", b_vlan_v4_udp, 17, PASS, RX_MALFORMED,
	  { MAL(VLAN_TRUNC) } },
	{ "802.1Q tag complete, ipv4 missing: IPV4_TRUNC", b_vlan_v4_udp, 18, PASS, RX_MALFORMED,
	  { ETH4, VLAN1(10), MAL(IPV4_TRUNC) } },
	{ "QinQ outer tag one byte short: VLAN_TRUNC", b_qinq_v4_tcp, 17, PASS, RX_MALFORMED,
	  { MAL(VLAN_TRUNC) } },
	{ "QinQ inner tag missing: VLAN_TRUNC", b_qinq_v4_tcp, 18, PASS, RX_MALFORMED,
	  { .vlan_depth = 1, .vlan_id = { 100 }, MAL(VLAN_TRUNC) } },
	{ "QinQ inner tag one byte short: VLAN_TRUNC", b_qinq_v4_tcp, 21, PASS, RX_MALFORMED,
	  { .vlan_depth = 1, .vlan_id = { 100 }, MAL(VLAN_TRUNC) } },
	{ "QinQ tags complete, ipv4 missing: IPV4_TRUNC", b_qinq_v4_tcp, 22, PASS, RX_MALFORMED,
	  { ETH4, VLAN2(100, 200), MAL(IPV4_TRUNC) } },
	{ "802.1Q + ipv6 cut after the tag: IPV6_TRUNC", b_vlan_v6_udp, 18, PASS, RX_MALFORMED,
	  { ETH6, VLAN1(30), MAL(IPV6_TRUNC) } },
	{ "ipv6 cut after ethernet: IPV6_TRUNC", b_v6_tcp, 14, PASS, RX_MALFORMED,
	  { ETH6, MAL(IPV6_TRUNC) } },
	{ "ipv6 one byte short of its header: IPV6_TRUNC", b_v6_tcp, 53, PASS, RX_MALFORMED,
	  { ETH6, MAL(IPV6_TRUNC) } },
	{ "ipv6 tcp cut after ip: L4_TRUNC", b_v6_tcp, 54, PASS, RX_MALFORMED,
	  { IP6, TCP, MAL(L4_TRUNC) } },
	{ "ipv6 tcp one byte short: L4_TRUNC", b_v6_tcp, 73, PASS, RX_MALFORMED,
	  { IP6, TCP, MAL(L4_TRUNC) } },
	{ "ipv6 udp cut after ip: L4_TRUNC", b_v6_udp, 54, PASS, RX_MALFORMED,
	  { IP6, UDP, MAL(L4_TRUNC) } },
	{ "ipv6 udp one byte short: L4_TRUNC", b_v6_udp, 61, PASS, RX_MALFORMED,
	  { IP6, UDP, MAL(L4_TRUNC) } },
	{ "ipv6 icmpv6 cut after ip: L4_TRUNC", b_v6_icmp_echo, 54, PASS, RX_MALFORMED,
	  { IP6, ICMP6, MAL(L4_TRUNC) } },
	{ "ipv6 icmpv6 one byte short: L4_TRUNC", b_v6_icmp_echo, 61, PASS, RX_MALFORMED,
	  { IP6, ICMP6, MAL(L4_TRUNC) } },
	{ "ipv6 hop-by-hop missing: IPV6_EXT_TRUNC", b_v6_hbh_tcp, 54, PASS, RX_MALFORMED,
	  { IP6, MAL(IPV6_EXT_TRUNC) } },
	{ "ipv6 hop-by-hop, one byte of it: IPV6_EXT_TRUNC", b_v6_hbh_tcp, 55, PASS,
	  RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC) } },
	{ "ipv6 hop-by-hop one byte short: IPV6_EXT_TRUNC", b_v6_hbh_tcp, 61, PASS, RX_MALFORMED,
	  { IP6, MAL(IPV6_EXT_TRUNC), .ext_count = 1 } },
	{ "ipv6 hop-by-hop complete, tcp missing: L4_TRUNC", b_v6_hbh_tcp, 62, PASS,
	  RX_MALFORMED, { IP6, TCP, MAL(L4_TRUNC), .ext_count = 1 } },
	{ "ipv6 routing header one byte short: IPV6_EXT_TRUNC", b_v6_rt_udp, 77, PASS,
	  RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC), .ext_count = 1 } },
	{ "ipv6 routing header complete, udp missing: L4_TRUNC", b_v6_rt_udp, 78, PASS,
	  RX_MALFORMED, { IP6, UDP, MAL(L4_TRUNC), .ext_count = 1 } },
	{ "ipv6 fragment header missing: IPV6_EXT_TRUNC", b_v6_frag_first_udp, 54, PASS,
	  RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC) } },
	{ "ipv6 fragment header one byte short: IPV6_EXT_TRUNC", b_v6_frag_first_udp, 61, PASS,
	  RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC) } },
	{ "ipv6 fragment header complete, udp missing: L4_TRUNC", b_v6_frag_first_udp, 62,
	  PASS, RX_MALFORMED,
	  { IP6, UDP, .frag = NFP_FRAG_FIRST, MAL(L4_TRUNC), .ext_count = 1 } },
	{ "ipv6 destination options one byte short: IPV6_EXT_TRUNC", b_v6_dst_icmp, 61, PASS,
	  RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC), .ext_count = 1 } },
	{ "ipv6 destination options complete, icmpv6 missing: L4_TRUNC", b_v6_dst_icmp, 62,
	  PASS, RX_MALFORMED, { IP6, ICMP6, MAL(L4_TRUNC), .ext_count = 1 } },
	{ "ipv6 chain cut at the start of its third header: IPV6_EXT_TRUNC", b_v6_chain5_tcp, 70,
	  PASS, RX_MALFORMED, { IP6, MAL(IPV6_EXT_TRUNC), .ext_count = 2 } },
	{ "ipv6 chain cut one byte into its fifth header: IPV6_EXT_TRUNC", b_v6_chain5_tcp, 95,
	  PASS, RX_MALFORMED,
	  { IP6, .frag = NFP_FRAG_FIRST, MAL(IPV6_EXT_TRUNC), .ext_count = 4 } },
};

/* ---- the runner ---- */

static struct nfp_xdp *xdp;
static int prog_fd, stats_fd, conf_fd, log_fd;

/* Written to the parse log before each run: a log still holding it means
 * the program recorded nothing. */
static const uint8_t LOG_SENTINEL = 0xa5;

static int mismatches;

/* Compare one field; report it with the case name and go on, so that one
 * run shows every field that is wrong. */
#define EXPECT_EQ(name, what, got, want)                                                     \
	do {                                                                                 \
		unsigned long long got_ = (got), want_ = (want);                             \
		if (got_ != want_) {                                                         \
			print_error("# %s: %s is %lld (0x%llx), want %lld (0x%llx)\n", (name), \
				    (what), got_, got_, want_, want_);                       \
			mismatches++;                                                        \
		}                                                                            \
	} while (0)

static void finish_case(const char *name)
{
	int n = mismatches;

	mismatches = 0;
	if (n)
		fail_msg("%s: %d mismatch(es)", name, n);
}

static void log_poison(void)
{
	struct nfp_pkt v;
	uint32_t zero = 0;

	memset(&v, LOG_SENTINEL, sizeof(v));
	assert_int_equal(bpf_map_update_elem(log_fd, &zero, &v, BPF_ANY), 0);
}

static void log_read(struct nfp_pkt *v)
{
	uint32_t zero = 0;

	assert_int_equal(bpf_map_lookup_elem(log_fd, &zero, v), 0);
}

static int log_untouched(const struct nfp_pkt *v)
{
	const uint8_t *b = (const uint8_t *)v;

	for (size_t i = 0; i < sizeof(*v); i++)
		if (b[i] != LOG_SENTINEL)
			return 0;
	return 1;
}

static void expect_stats(const char *name, const struct nfp_if_stats *got,
			 const struct nfp_if_stats *want)
{
#define STAT(f) EXPECT_EQ(name, #f, got->f, want->f);
	NFP_IF_STATS_FIELDS(STAT)
#undef STAT
}

/* What a case's counters must read after one run. */
static struct nfp_if_stats want_stats(const struct parse_case *c, size_t len)
{
	struct nfp_if_stats s = { 0 };

	if (c->moves == RX_NONE)
		return s;
	s.rx_packets = 1;
	s.rx_bytes = len;
	s.rx_ipv4 = c->moves == RX_IPV4;
	s.rx_ipv6 = c->moves == RX_IPV6;
	s.rx_non_ip = c->moves == RX_NON_IP;
	s.rx_malformed = c->moves == RX_MALFORMED;
	s.rx_fragments = c->want.frag != NFP_FRAG_NONE;
	s.xdp_pass = c->verdict == XDP_PASS;
	s.xdp_drop = c->verdict == XDP_DROP;
	s.xdp_tx = c->verdict == XDP_TX;
	s.xdp_redirect = c->verdict == XDP_REDIRECT;
	s.xdp_aborted = c->verdict == XDP_ABORTED;
	return s;
}

static void expect_parse(const char *name, const struct nfp_pkt *got, const struct nfp_pkt *want,
			 const struct pkt *p)
{
#define FIELD(f) EXPECT_EQ(name, #f, got->f, want->f)
	FIELD(l3); FIELD(eth_proto); FIELD(vlan_depth); FIELD(vlan_id[0]); FIELD(vlan_id[1]);
	FIELD(l4_proto); FIELD(sport); FIELD(dport); FIELD(frag); FIELD(malformed);
	FIELD(flags); FIELD(tcp_flags); FIELD(ext_count);
#undef FIELD
	EXPECT_EQ(name, "pkt_len", got->pkt_len, p->len);

	/* What the builder knows: where the headers are, which addresses. */
	if (want->l3 == NFP_L3_IPV4) {
		EXPECT_EQ(name, "l3_off", got->l3_off, p->ip4_off);
		EXPECT_EQ(name, "saddr", got->saddr[0], htonl(SRC4));
		EXPECT_EQ(name, "daddr", got->daddr[0], htonl(DST4));
	} else if (want->l3 == NFP_L3_IPV6) {
		struct in6_addr s, d;

		inet_pton(AF_INET6, SRC6, &s);
		inet_pton(AF_INET6, DST6, &d);
		EXPECT_EQ(name, "l3_off", got->l3_off, p->ip6_off);
		EXPECT_EQ(name, "saddr == " SRC6, memcmp(got->saddr, &s, 16), 0);
		EXPECT_EQ(name, "daddr == " DST6, memcmp(got->daddr, &d, 16), 0);
	}
	if (want->flags & NFP_PF_L4)
		EXPECT_EQ(name, "l4_off", got->l4_off, p->l4_off);
}

/* A passed packet comes back as it went in, with no metadata record: XDP
 * leaves one only when TC has an action to carry out (BPF_PROG_TEST_RUN's
 * data_out would start at data_meta). */
static void expect_frame_alone(const char *name, const uint8_t *out, size_t out_len,
			       const struct pkt *p)
{
	EXPECT_EQ(name, "data_out length (frame, no meta)", out_len, p->len);
	if (out_len != p->len)
		return;
	EXPECT_EQ(name, "frame unchanged", memcmp(out, p->buf, p->len), 0);
}

/* Ask slot @slot's flowtable stage to mirror every packet to @ifindex (the
 * stage is on, no table needed: a packet without a context is still
 * mirrored), or stop asking (@ifindex 0). */
static void ft_mirror_all(int ft_conf_fd, uint32_t slot, uint32_t ifindex)
{
	struct nfp_ft_conf c = { 0 };

	if (ifindex) {
		c.flags = NFP_FTC_ENABLED;
		c.mirror = NFP_FT_MIRROR_IFACE;
		c.mirror_ifindex = ifindex;
	}
	assert_int_equal(bpf_map_update_elem(ft_conf_fd, &slot, &c, BPF_ANY), 0);
}

static void build(const struct parse_case *c, struct pkt *p)
{
	pkt_init(p);
	c->build(p);
	if (c->cut) {
		assert_true(c->cut <= p->len);
		p->len = c->cut;
	}
	pkt_finish(p);
}

static void run_case(void **state)
{
	const struct parse_case *c = *state;
	static struct pkt p;
	static uint8_t out[PKT_MAX + 256];
	struct nfp_if_stats got_stats, want;
	struct bpf_run_result r;
	struct nfp_pkt got;

	build(c, &p);
	log_poison();
	assert_int_equal(stats_clear(stats_fd, 0), 0);

	r = bpf_run_xdp(prog_fd, p.buf, p.len, 1, out, sizeof(out));
	if (c->verdict == REFUSED)
		EXPECT_EQ(c->name, "test run error", (long long)r.err, -EINVAL);
	else if (r.err)
		EXPECT_EQ(c->name, "test run error", (long long)r.err, 0);
	else
		EXPECT_EQ(c->name, "verdict", r.retval, c->verdict);

	assert_int_equal(stats_read(stats_fd, 0, &got_stats), 0);
	want = want_stats(c, p.len);
	expect_stats(c->name, &got_stats, &want);

	log_read(&got);
	if (c->moves == RX_NONE)
		EXPECT_EQ(c->name, "parse log untouched", log_untouched(&got), 1);
	else
		expect_parse(c->name, &got, &c->want, &p);
	if (!r.err && r.retval == XDP_PASS)
		expect_frame_alone(c->name, out, r.out_len, &p);
	finish_case(c->name);
}

/* ---- beyond the table ---- */

/* An inactive slot is not nfplane's: everything passes, untouched and
 * uncounted, with no metadata record. */
static void test_inactive_slot_passes_and_counts_nothing(void **state)
{
	const char *name = "inactive slot";
	static struct pkt p;
	static uint8_t out[PKT_MAX];
	struct nfp_if_stats got_stats, zero = { 0 };
	struct bpf_run_result r;
	struct nfp_pkt got;

	(void)state;
	pkt_init(&p);
	b_v4_tcp(&p);
	pkt_finish(&p);
	assert_int_equal(slot_set_active(conf_fd, 0, false), 0);
	log_poison();
	assert_int_equal(stats_clear(stats_fd, 0), 0);

	r = bpf_run_xdp(prog_fd, p.buf, p.len, 1, out, sizeof(out));
	assert_int_equal(slot_set_active(conf_fd, 0, true), 0);

	EXPECT_EQ(name, "test run error", r.err, 0);
	EXPECT_EQ(name, "verdict", r.retval, XDP_PASS);
	EXPECT_EQ(name, "data_out length (no meta)", r.out_len, p.len);
	assert_int_equal(stats_read(stats_fd, 0, &got_stats), 0);
	expect_stats(name, &got_stats, &zero);
	log_read(&got);
	EXPECT_EQ(name, "parse log untouched", log_untouched(&got), 1);
	finish_case(name);
}

/* Counters accumulate in place: one test run repeating a packet 10 times
 * counts 10 of everything. */
static void test_counters_accumulate_over_repeats(void **state)
{
	const char *name = "repeat 10";
	static struct pkt p;
	struct nfp_if_stats got;
	struct bpf_run_result r;

	(void)state;
	pkt_init(&p);
	b_v6_frag_first_udp(&p);
	pkt_finish(&p);
	assert_int_equal(stats_clear(stats_fd, 0), 0);
	r = bpf_run_xdp(prog_fd, p.buf, p.len, 10, NULL, 0);
	assert_int_equal(r.err, 0);
	assert_int_equal(stats_read(stats_fd, 0, &got), 0);
	EXPECT_EQ(name, "rx_packets", got.rx_packets, 10);
	EXPECT_EQ(name, "rx_bytes", got.rx_bytes, 10 * p.len);
	EXPECT_EQ(name, "rx_ipv6", got.rx_ipv6, 10);
	EXPECT_EQ(name, "rx_fragments", got.rx_fragments, 10);
	EXPECT_EQ(name, "xdp_pass", got.xdp_pass, 10);
	finish_case(name);
}

/* The slot baked into an instance picks its configuration, its counters
 * and the slot in its metadata record (asked for by a mirror); another
 * slot's flag does not count. A second instance for slot 3, with its own
 * maps, with slot 0 active too. */
static void test_slot_selects_conf_counters_and_meta(void **state)
{
	const char *name = "slot 3 instance";
	struct nfp_xdp *s3 = xdp_load_unpinned(3, false, false);
	static struct pkt p;
	static uint8_t out[PKT_MAX];
	const struct nfp_xdp_meta *m = (const void *)out;
	struct nfp_if_stats got, zero = { 0 };
	struct bpf_run_result r;
	int fd, sfd, cfd;

	(void)state;
	assert_non_null(s3);
	fd = bpf_program__fd(s3->progs.nfp_xdp_ingress);
	sfd = bpf_map__fd(s3->maps.nfp_if_stats);
	cfd = bpf_map__fd(s3->maps.nfp_if_conf);
	pkt_init(&p);
	b_v6_udp(&p);
	pkt_finish(&p);

	assert_int_equal(slot_set_active(cfd, 0, true), 0);
	assert_int_equal(slot_set_active(cfd, 3, true), 0);
	ft_mirror_all(bpf_map__fd(s3->maps.nfp_ft_conf), 3, 7);
	r = bpf_run_xdp(fd, p.buf, p.len, 1, out, sizeof(out));
	EXPECT_EQ(name, "test run error", r.err, 0);
	EXPECT_EQ(name, "data_out length (meta + frame)", r.out_len, sizeof(*m) + p.len);
	EXPECT_EQ(name, "meta.magic", m->magic, NFP_META_MAGIC);
	EXPECT_EQ(name, "meta.slot", m->slot, 3);
	EXPECT_EQ(name, "meta.act.flags", m->act.flags, NFP_META_ACT_MIRROR);
	EXPECT_EQ(name, "meta.act.mirror_ifindex", m->act.mirror_ifindex, 7);
	EXPECT_EQ(name, "frame after the record unchanged", memcmp(out + sizeof(*m), p.buf, p.len),
		  0);
	assert_int_equal(stats_read(sfd, 3, &got), 0);
	EXPECT_EQ(name, "slot 3 rx_packets", got.rx_packets, 1);
	EXPECT_EQ(name, "slot 3 rx_ipv6", got.rx_ipv6, 1);
	assert_int_equal(stats_read(sfd, 0, &got), 0);
	expect_stats("slot 3 instance, slot 0 counters", &got, &zero);

	/* slot 3 inactive, slot 0 still active: nothing counted anywhere */
	assert_int_equal(slot_set_active(cfd, 3, false), 0);
	assert_int_equal(stats_clear(sfd, 3), 0);
	r = bpf_run_xdp(fd, p.buf, p.len, 1, out, sizeof(out));
	EXPECT_EQ(name, "inactive: test run error", r.err, 0);
	EXPECT_EQ(name, "inactive: data_out length (no meta)", r.out_len, p.len);
	assert_int_equal(stats_read(sfd, 3, &got), 0);
	expect_stats("slot 3 inactive, slot 3 counters", &got, &zero);
	assert_int_equal(stats_read(sfd, 0, &got), 0);
	expect_stats("slot 3 inactive, slot 0 counters", &got, &zero);
	nfp_xdp__destroy(s3);
	finish_case(name);
}

static struct nfp_tc *tc;

/* TC egress parses what the host sends and counts it in tx_*, in the
 * same per-slot counters XDP uses (the maps are shared). */
static void test_tc_egress_counts_tx(void **state)
{
	static const struct {
		const char *name;
		void (*build)(struct pkt *p);
		enum rx_class moves;
	} tx[] = {
		{ "tc egress: ipv4 tcp", b_v4_tcp, RX_IPV4 },
		{ "tc egress: qinq ipv6 tcp", b_qinq_v6_tcp, RX_IPV6 },
		{ "tc egress: arp", b_arp, RX_NON_IP },
		{ "tc egress: ipv4 IHL 4", b_v4_ihl4, RX_MALFORMED },
		{ "tc egress: 1500-byte ipv4 udp", b_v4_udp_1500, RX_IPV4 },
	};
	static struct pkt p;

	(void)state;
	for (size_t i = 0; i < sizeof(tx) / sizeof(tx[0]); i++) {
		struct nfp_if_stats got, want = { 0 };
		struct bpf_run_result r;

		pkt_init(&p);
		tx[i].build(&p);
		pkt_finish(&p);
		assert_int_equal(stats_clear(stats_fd, 0), 0);
		r = bpf_run_tc(bpf_program__fd(tc->progs.nfp_tc_egress), p.buf, p.len, 1);
		EXPECT_EQ(tx[i].name, "test run error", r.err, 0);
		EXPECT_EQ(tx[i].name, "verdict TC_ACT_UNSPEC", (int32_t)r.retval, -1);
		want.tx_packets = 1;
		want.tx_bytes = p.len;
		want.tx_ipv4 = tx[i].moves == RX_IPV4;
		want.tx_ipv6 = tx[i].moves == RX_IPV6;
		want.tx_non_ip = tx[i].moves == RX_NON_IP;
		want.tx_malformed = tx[i].moves == RX_MALFORMED;
		assert_int_equal(stats_read(stats_fd, 0, &got), 0);
		expect_stats(tx[i].name, &got, &want);
	}
	finish_case("tc egress");
}

/* TC ingress counts what the stack received; a packet without nfplane's
 * metadata record (BPF_PROG_TEST_RUN gives an skb none) is not counted as
 * carrying one. */
static void test_tc_ingress_without_meta(void **state)
{
	const char *name = "tc ingress, no meta";
	static struct pkt p;
	struct nfp_if_stats got, want = { 0 };
	struct bpf_run_result r;

	(void)state;
	pkt_init(&p);
	b_v4_udp(&p);
	pkt_finish(&p);
	assert_int_equal(stats_clear(stats_fd, 0), 0);
	r = bpf_run_tc(bpf_program__fd(tc->progs.nfp_tc_ingress), p.buf, p.len, 1);
	EXPECT_EQ(name, "test run error", r.err, 0);
	EXPECT_EQ(name, "verdict TC_ACT_UNSPEC", (int32_t)r.retval, -1);
	want.tc_rx_packets = 1;
	assert_int_equal(stats_read(stats_fd, 0, &got), 0);
	expect_stats(name, &got, &want);
	finish_case(name);
}

/* The real path of the metadata record: XDP in live-frame mode passes the
 * packet to the stack of a loopback device whose TC ingress hook runs
 * nfp_tc_ingress, which must find the record XDP wrote (the caller makes
 * the flowtable ask for a mirror, so there is one). Done in a child in its
 * own network namespace, which vanishes with it. Returns the child's exit
 * status: 0, or the step that failed. */
static int live_pass_to_tc_ingress(const struct pkt *p)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int sock, ifindex;

	if (unshare(CLONE_NEWNET))
		return 10;
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr))
		return 11;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(sock, SIOCSIFFLAGS, &ifr))
		return 12;
	close(sock);
	ifindex = (int)if_nametoindex("lo");

	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, tc_opts, .prog_fd = bpf_program__fd(tc->progs.nfp_tc_ingress));
	if (bpf_tc_hook_create(&hook))
		return 13;
	if (bpf_tc_attach(&hook, &tc_opts))
		return 14;
	if (bpf_run_xdp_live(prog_fd, p->buf, p->len, 1).err)
		return 15;
	return 0;
}

static int live_run_counts(const struct pkt *p, struct nfp_if_stats *got)
{
	int status = -1;
	pid_t pid;

	assert_int_equal(stats_clear(stats_fd, 0), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(live_pass_to_tc_ingress(p));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(stats_read(stats_fd, 0, got), 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

static void test_tc_ingress_reads_xdp_meta_live(void **state)
{
	const char *name = "xdp live pass -> tc ingress";
	int ft_conf_fd = bpf_map__fd(xdp->maps.nfp_ft_conf);
	static struct pkt p;
	struct nfp_if_stats got;

	(void)state;
	pkt_init(&p);
	b_v4_udp(&p);
	pkt_finish(&p);

	/* nothing asked of TC: no record */
	EXPECT_EQ(name, "child exit (10 unshare .. 15 live run)", live_run_counts(&p, &got), 0);
	EXPECT_EQ(name, "rx_packets", got.rx_packets, 1);
	EXPECT_EQ(name, "xdp_pass", got.xdp_pass, 1);
	EXPECT_EQ(name, "tc_rx_packets", got.tc_rx_packets, 1);
	EXPECT_EQ(name, "tc_rx_meta without an action", got.tc_rx_meta, 0);

	/* a mirror asked for: TC finds the record. The ifindex names no
	 * device, so the clone fails quietly and nothing comes back in; real
	 * clones are tested in test_flowtable_mirror_iface.sh. */
	ft_mirror_all(ft_conf_fd, 0, 0x7ffffff0);
	EXPECT_EQ(name, "mirror: child exit", live_run_counts(&p, &got), 0);
	ft_mirror_all(ft_conf_fd, 0, 0);
	EXPECT_EQ(name, "mirror: tc_rx_packets", got.tc_rx_packets, 1);
	EXPECT_EQ(name, "mirror: tc_rx_meta", got.tc_rx_meta, 1);
	finish_case(name);
}

static int setup(void **state)
{
	(void)state;
	xdp = xdp_load_unpinned(0, true, true);
	if (!xdp)
		return -1;
	tc = tc_load_unpinned(0, xdp);
	if (!tc)
		return -1;
	prog_fd = bpf_program__fd(xdp->progs.nfp_xdp_ingress);
	stats_fd = bpf_map__fd(xdp->maps.nfp_if_stats);
	conf_fd = bpf_map__fd(xdp->maps.nfp_if_conf);
	log_fd = bpf_map__fd(xdp->maps.nfp_parse_log);
	return slot_set_active(conf_fd, 0, true);
}

static int teardown(void **state)
{
	(void)state;
	nfp_tc__destroy(tc);
	nfp_xdp__destroy(xdp);
	return 0;
}

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

int main(void)
{
	static const struct CMUnitTest extra[] = {
		cmocka_unit_test(test_inactive_slot_passes_and_counts_nothing),
		cmocka_unit_test(test_counters_accumulate_over_repeats),
		cmocka_unit_test(test_slot_selects_conf_counters_and_meta),
		cmocka_unit_test(test_tc_egress_counts_tx),
		cmocka_unit_test(test_tc_ingress_without_meta),
		cmocka_unit_test(test_tc_ingress_reads_xdp_meta_live),
	};
	static struct CMUnitTest tests[N_CASES + sizeof(extra) / sizeof(extra[0])];
	size_t n = 0;

	for (size_t i = 0; i < N_CASES; i++)
		tests[n++] = (struct CMUnitTest){ .name = cases[i].name, .test_func = run_case,
						  .initial_state = (void *)&cases[i] };
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		tests[n++] = extra[i];
	return _cmocka_run_group_tests("xdp_parse", tests, n, setup, teardown);
}
