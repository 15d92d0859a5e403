/* pkt.h - a packet builder for tests and benchmarks: append headers in
 * order, each naming the protocol that follows, then pkt_finish() fills in
 * lengths and checksums. Truncate or corrupt afterwards by editing p->buf
 * and p->len directly; that is how malformed cases are made.
 *
 *   struct pkt p;
 *   pkt_init(&p);
 *   pkt_eth(&p, ETH_P_8021Q);
 *   pkt_vlan(&p, 10, ETH_P_IP);
 *   pkt_ipv4(&p, 0x0a000001, 0x0a000002, IPPROTO_UDP);
 *   pkt_udp(&p, 1234, 80);
 *   pkt_zeros(&p, 18);
 *   pkt_finish(&p);
 */
#ifndef NFP_TEST_PKT_H
#define NFP_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

#define PKT_MAX 10240

struct pkt {
	uint8_t buf[PKT_MAX];
	size_t len;
	/* where pkt_finish() has lengths and checksums to fix; -1 = none */
	int ip4_off, ip6_off, udp_off, l4_off;
	uint8_t l4_proto;
	int keep_ip_len;  /* set to keep a deliberately wrong IPv4 tot_len */
};

struct pkt_ipv4 {
	uint32_t src, dst;       /* host byte order */
	uint8_t proto;
	uint8_t ihl;             /* 0: 5 plus options */
	uint8_t version;         /* 0: 4 */
	uint16_t frag_off;       /* host order: flags << 13 | offset (8-byte units) */
	const uint8_t *options;  /* copied after the fixed header */
	size_t options_len;      /* multiple of 4 */
	uint8_t ttl;             /* 0: 64 */
};

void pkt_init(struct pkt *p);
void pkt_eth(struct pkt *p, uint16_t proto);
void pkt_eth_addr(struct pkt *p, const uint8_t src[6], const uint8_t dst[6], uint16_t proto);
/* One VLAN tag (the TPID is the previous header's protocol field). */
void pkt_vlan(struct pkt *p, uint16_t vid, uint16_t proto);
void pkt_ipv4(struct pkt *p, uint32_t src, uint32_t dst, uint8_t proto);
void pkt_ipv4_ex(struct pkt *p, const struct pkt_ipv4 *o);
/* @src/@dst: textual IPv6 addresses. */
void pkt_ipv6(struct pkt *p, const char *src, const char *dst, uint8_t nexthdr);
/* Hop-by-hop, routing or destination options: @len8 units of 8 bytes
 * beyond the first 8 (the header's own Hdr Ext Len). */
void pkt_ipv6_opt(struct pkt *p, uint8_t nexthdr, uint8_t len8);
void pkt_ipv6_frag(struct pkt *p, uint8_t nexthdr, uint16_t offset8, int more);
void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint8_t flags);
void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport);
/* ICMP or ICMPv6 (by the preceding header): type, code, echo identifier. */
void pkt_icmp(struct pkt *p, uint8_t type, uint8_t code, uint16_t id);
void pkt_bytes(struct pkt *p, const void *data, size_t n);
void pkt_zeros(struct pkt *p, size_t n);
/* Fill IPv4 total length and checksum, IPv6 payload length, UDP length. */
void pkt_finish(struct pkt *p);

/* TCP flag bits */
#define PKT_FIN 0x01
#define PKT_SYN 0x02
#define PKT_RST 0x04
#define PKT_PSH 0x08
#define PKT_ACK 0x10

#endif
