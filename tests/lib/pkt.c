/* pkt.c - see pkt.h. */
#include "pkt.h"

#include <arpa/inet.h>
#include <assert.h>
#include <string.h>

static uint8_t *put(struct pkt *p, size_t n)
{
	uint8_t *at = p->buf + p->len;

	assert(p->len + n <= PKT_MAX);
	memset(at, 0, n);
	p->len += n;
	return at;
}

static void put16(uint8_t *at, uint16_t v)
{
	at[0] = (uint8_t)(v >> 8);
	at[1] = (uint8_t)v;
}

static void put32(uint8_t *at, uint32_t v)
{
	put16(at, (uint16_t)(v >> 16));
	put16(at + 2, (uint16_t)v);
}

void pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->ip4_off = p->ip6_off = p->udp_off = p->l4_off = -1;
}

void pkt_eth_addr(struct pkt *p, const uint8_t src[6], const uint8_t dst[6], uint16_t proto)
{
	uint8_t *h = put(p, 14);

	memcpy(h, dst, 6);
	memcpy(h + 6, src, 6);
	put16(h + 12, proto);
}

void pkt_eth(struct pkt *p, uint16_t proto)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };

	pkt_eth_addr(p, src, dst, proto);
}

void pkt_vlan(struct pkt *p, uint16_t vid, uint16_t proto)
{
	uint8_t *h = put(p, 4);

	put16(h, vid & 0x0fff);
	put16(h + 2, proto);
}

void pkt_ipv4_ex(struct pkt *p, const struct pkt_ipv4 *o)
{
	uint8_t ihl = o->ihl ? o->ihl : (uint8_t)(5 + o->options_len / 4);
	uint8_t *h;

	p->ip4_off = (int)p->len;
	h = put(p, 20);
	h[0] = (uint8_t)(((o->version ? o->version : 4) << 4) | (ihl & 0xf));
	put16(h + 6, o->frag_off);
	h[8] = o->ttl ? o->ttl : 64;
	h[9] = o->proto;
	put32(h + 12, o->src);
	put32(h + 16, o->dst);
	if (o->options_len)
		memcpy(put(p, o->options_len), o->options, o->options_len);
	p->l4_proto = o->proto;
}

void pkt_ipv4(struct pkt *p, uint32_t src, uint32_t dst, uint8_t proto)
{
	struct pkt_ipv4 o = { .src = src, .dst = dst, .proto = proto };

	pkt_ipv4_ex(p, &o);
}

void pkt_ipv6(struct pkt *p, const char *src, const char *dst, uint8_t nexthdr)
{
	uint8_t *h;

	p->ip6_off = (int)p->len;
	h = put(p, 40);
	h[0] = 0x60;
	h[6] = nexthdr;
	h[7] = 64;
	inet_pton(AF_INET6, src, h + 8);
	inet_pton(AF_INET6, dst, h + 24);
	p->l4_proto = nexthdr;
}

void pkt_ipv6_opt(struct pkt *p, uint8_t nexthdr, uint8_t len8)
{
	uint8_t *h = put(p, 8 + (size_t)len8 * 8);

	h[0] = nexthdr;
	h[1] = len8;
	/* PadN filling the rest, so the options are well formed */
	h[2] = 1;
	h[3] = (uint8_t)(4 + len8 * 8);
	p->l4_proto = nexthdr;
}

void pkt_ipv6_frag(struct pkt *p, uint8_t nexthdr, uint16_t offset8, int more)
{
	uint8_t *h = put(p, 8);

	h[0] = nexthdr;
	put16(h + 2, (uint16_t)((offset8 << 3) | (more ? 1 : 0)));
	put32(h + 4, 0x12345678);
	p->l4_proto = nexthdr;
}

void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint8_t flags)
{
	uint8_t *h;

	p->l4_off = (int)p->len;
	h = put(p, 20);
	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, 1000);
	h[12] = 5 << 4;
	h[13] = flags;
	put16(h + 14, 65535);
}

void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t *h;

	p->l4_off = p->udp_off = (int)p->len;
	h = put(p, 8);
	put16(h, sport);
	put16(h + 2, dport);
}

void pkt_icmp(struct pkt *p, uint8_t type, uint8_t code, uint16_t id)
{
	uint8_t *h;

	p->l4_off = (int)p->len;
	h = put(p, 8);
	h[0] = type;
	h[1] = code;
	put16(h + 4, id);
	put16(h + 6, 1);
}

void pkt_bytes(struct pkt *p, const void *data, size_t n)
{
	memcpy(put(p, n), data, n);
}

void pkt_zeros(struct pkt *p, size_t n)
{
	put(p, n);
}

static uint16_t csum(const uint8_t *d, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(d[i] << 8 | d[i + 1]);
	if (n & 1)
		sum += (uint32_t)d[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void pkt_finish(struct pkt *p)
{
	if (p->ip4_off >= 0) {
		uint8_t *h = p->buf + p->ip4_off;
		size_t hlen = (size_t)(h[0] & 0xf) * 4;

		if (!p->keep_ip_len)
			put16(h + 2, (uint16_t)(p->len - (size_t)p->ip4_off));
		put16(h + 10, 0);
		if (hlen >= 20 && p->ip4_off + hlen <= p->len)
			put16(h + 10, csum(h, hlen));
	}
	if (p->ip6_off >= 0)
		put16(p->buf + p->ip6_off + 4, (uint16_t)(p->len - (size_t)p->ip6_off - 40));
	if (p->udp_off >= 0)
		put16(p->buf + p->udp_off + 4, (uint16_t)(p->len - (size_t)p->udp_off));
}
