/* of_oxm.c - the OpenFlow 1.3 ofp_match (OXM TLVs) to and from struct
 * of_match, with the prerequisite, duplicate and mask rules of OpenFlow 1.3
 * §7.2.3. Switches (OVS) reject a field placed before its prerequisite, so
 * the encoder always writes fields in prerequisite order.
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

static uint8_t *put_tlv(struct of_buf *b, uint8_t field, bool masked, uint8_t len)
{
	uint8_t *p = of_buf_put_zero(b, 4u + len);

	if (!p)
		return NULL;
	of_put16(p, OFPXMC_OPENFLOW_BASIC);
	p[2] = (uint8_t)(field << 1 | masked);
	p[3] = len;
	return p + 4;
}

static bool all_ones(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0xff)
			return false;
	return true;
}

static int put_eth(struct of_buf *b, uint8_t field, const uint8_t *mac, const uint8_t *mask)
{
	bool masked = !all_ones(mask, 6);
	uint8_t *p = put_tlv(b, field, masked, masked ? 12 : 6);

	if (!p)
		return -ENOMEM;
	memcpy(p, mac, 6);
	if (masked)
		memcpy(p + 6, mask, 6);
	return 0;
}

static int put_ip(struct of_buf *b, uint8_t field, uint32_t addr, uint32_t mask)
{
	bool masked = mask != ~0u;
	uint8_t *p = put_tlv(b, field, masked, masked ? 8 : 4);

	if (!p)
		return -ENOMEM;
	of_put32(p, addr & mask);
	if (masked)
		of_put32(p + 4, mask);
	return 0;
}

static int put_ipv6(struct of_buf *b, uint8_t field, const uint8_t *addr, const uint8_t *mask)
{
	bool masked = !all_ones(mask, 16);
	uint8_t *p = put_tlv(b, field, masked, masked ? 32 : 16);

	if (!p)
		return -ENOMEM;
	for (int i = 0; i < 16; i++)
		p[i] = addr[i] & mask[i];
	if (masked)
		memcpy(p + 16, mask, 16);
	return 0;
}

static int put_u16(struct of_buf *b, uint8_t field, uint16_t v)
{
	uint8_t *p = put_tlv(b, field, false, 2);

	if (!p)
		return -ENOMEM;
	of_put16(p, v);
	return 0;
}

static int put_u8(struct of_buf *b, uint8_t field, uint8_t v)
{
	uint8_t *p = put_tlv(b, field, false, 1);

	if (!p)
		return -ENOMEM;
	*p = v;
	return 0;
}

/* The OXM fields the transport ports map to, by ip_proto; -1 if none. */
static int tp_fields(const struct of_match *m, uint8_t *src, uint8_t *dst)
{
	if (!(m->fields & OF_F_IP_PROTO) || !(m->fields & OF_F_ETH_TYPE) ||
	    (m->eth_type != 0x0800 && m->eth_type != 0x86dd))
		return -1;
	if (m->eth_type == 0x86dd && m->ip_proto == 1)
		return -1; /* ICMPv4 type/code under IPv6: no such field */
	switch (m->ip_proto) {
	case 6: *src = OXM_TCP_SRC; *dst = OXM_TCP_DST; return 0;
	case 17: *src = OXM_UDP_SRC; *dst = OXM_UDP_DST; return 0;
	case 132: *src = OXM_SCTP_SRC; *dst = OXM_SCTP_DST; return 0;
	case 1: *src = OXM_ICMPV4_TYPE; *dst = OXM_ICMPV4_CODE; return 0;
	}
	return -1;
}

static int encode_fields(struct of_buf *b, const struct of_match *m)
{
	bool arp = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0806;
	uint8_t tps = 0, tpd = 0;
	uint8_t *p;
	int r = 0;

	if (m->fields & OF_F_OTHER)
		return -EINVAL;
	if (of_match_check_prereq(m) != OF_OK)
		return -EINVAL;
	if (m->fields & OF_F_IN_PORT) {
		if (!(p = put_tlv(b, OXM_IN_PORT, false, 4)))
			return -ENOMEM;
		of_put32(p, m->in_port);
	}
	if ((m->fields & OF_F_ETH_DST) && (r = put_eth(b, OXM_ETH_DST, m->eth_dst, m->eth_dst_mask)))
		return r;
	if ((m->fields & OF_F_ETH_SRC) && (r = put_eth(b, OXM_ETH_SRC, m->eth_src, m->eth_src_mask)))
		return r;
	if ((m->fields & OF_F_ETH_TYPE) && (r = put_u16(b, OXM_ETH_TYPE, m->eth_type)))
		return r;
	if (m->fields & OF_F_VLAN_VID) {
		uint16_t v = m->vlan_vid == OF_VLAN_NONE ? 0 : (uint16_t)(OFPVID13_PRESENT | (m->vlan_vid & 0xfff));

		if ((r = put_u16(b, OXM_VLAN_VID, v)))
			return r;
	}
	if ((m->fields & OF_F_VLAN_PCP) && (r = put_u8(b, OXM_VLAN_PCP, m->vlan_pcp)))
		return r;
	if ((m->fields & OF_F_IP_DSCP) && (r = put_u8(b, OXM_IP_DSCP, m->ip_dscp)))
		return r;
	if (m->fields & OF_F_IP_PROTO) {
		r = arp ? put_u16(b, OXM_ARP_OP, m->ip_proto) : put_u8(b, OXM_IP_PROTO, m->ip_proto);
		if (r)
			return r;
	}
	if ((m->fields & OF_F_IPV4_SRC) &&
	    (r = put_ip(b, arp ? OXM_ARP_SPA : OXM_IPV4_SRC, m->ipv4_src, m->ipv4_src_mask)))
		return r;
	if ((m->fields & OF_F_IPV4_DST) &&
	    (r = put_ip(b, arp ? OXM_ARP_TPA : OXM_IPV4_DST, m->ipv4_dst, m->ipv4_dst_mask)))
		return r;
	if ((m->fields & OF_F_IPV6_SRC) &&
	    (r = put_ipv6(b, OXM_IPV6_SRC, m->ipv6_src, m->ipv6_src_mask)))
		return r;
	if ((m->fields & OF_F_IPV6_DST) &&
	    (r = put_ipv6(b, OXM_IPV6_DST, m->ipv6_dst, m->ipv6_dst_mask)))
		return r;
	if (m->fields & (OF_F_TP_SRC | OF_F_TP_DST)) {
		bool icmp = m->ip_proto == 1;

		if (tp_fields(m, &tps, &tpd))
			return -EINVAL;
		if (m->fields & OF_F_TP_SRC)
			r = icmp ? put_u8(b, tps, (uint8_t)m->tp_src) : put_u16(b, tps, m->tp_src);
		if (!r && (m->fields & OF_F_TP_DST))
			r = icmp ? put_u8(b, tpd, (uint8_t)m->tp_dst) : put_u16(b, tpd, m->tp_dst);
	}
	return r;
}

int of_oxm_encode(struct of_buf *b, const struct of_match *m)
{
	size_t start = b->len, len;
	uint8_t *p = of_buf_put_zero(b, 4);
	int r;

	if (!p)
		return -ENOMEM;
	r = encode_fields(b, m);
	if (r) {
		b->len = start;
		return r;
	}
	len = b->len - start;
	of_put16(b->data + start, OFPMT_OXM);
	of_put16(b->data + start + 2, (uint16_t)len);
	if (!of_buf_put_zero(b, ((len + 7) & ~(size_t)7) - len)) {
		b->len = start;
		return -ENOMEM;
	}
	return 0;
}

/* ---- decoding ---- */

/* payload size of each field we know (unmasked), 0 for unknown */
static const uint8_t field_size[OXM_MAX_FIELD + 1] = {
	[OXM_IN_PORT] = 4, [OXM_IN_PHY_PORT] = 4, [OXM_METADATA] = 8, [OXM_ETH_DST] = 6,
	[OXM_ETH_SRC] = 6, [OXM_ETH_TYPE] = 2, [OXM_VLAN_VID] = 2, [OXM_VLAN_PCP] = 1,
	[OXM_IP_DSCP] = 1, [OXM_IP_ECN] = 1, [OXM_IP_PROTO] = 1, [OXM_IPV4_SRC] = 4,
	[OXM_IPV4_DST] = 4, [OXM_TCP_SRC] = 2, [OXM_TCP_DST] = 2, [OXM_UDP_SRC] = 2,
	[OXM_UDP_DST] = 2, [OXM_SCTP_SRC] = 2, [OXM_SCTP_DST] = 2, [OXM_ICMPV4_TYPE] = 1,
	[OXM_ICMPV4_CODE] = 1, [OXM_ARP_OP] = 2, [OXM_ARP_SPA] = 4, [OXM_ARP_TPA] = 4,
	[OXM_ARP_SHA] = 6, [OXM_ARP_THA] = 6, [OXM_IPV6_SRC] = 16, [OXM_IPV6_DST] = 16, [28] = 4, [29] = 1,
	[30] = 1, [31] = 16, [32] = 6, [33] = 6, [34] = 4, [35] = 1, [36] = 1, [37] = 3,
	[38] = 8, [39] = 2,
};

static bool maskable(uint8_t f)
{
	switch (f) {
	case OXM_METADATA: case OXM_ETH_DST: case OXM_ETH_SRC: case OXM_VLAN_VID:
	case OXM_IPV4_SRC: case OXM_IPV4_DST: case OXM_ARP_SPA: case OXM_ARP_TPA:
	case OXM_ARP_SHA: case OXM_ARP_THA: case OXM_IPV6_SRC: case OXM_IPV6_DST: case 28: case 37: case 38:
	case 39:
		return true;
	}
	return false;
}

static bool is_ipv4(const struct of_match *m)
{
	return (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0800;
}

static bool is_ipv6(const struct of_match *m)
{
	return (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x86dd;
}

/* IP_PROTO, IP_DSCP and the TCP/UDP/SCTP ports: either IP version */
static bool is_ip(const struct of_match *m)
{
	return is_ipv4(m) || is_ipv6(m);
}

static bool proto_is(const struct of_match *m, uint8_t proto)
{
	return (proto == 1 ? is_ipv4(m) : is_ip(m)) && (m->fields & OF_F_IP_PROTO) &&
	       m->ip_proto == proto;
}

/* Apply one field to @m; prerequisites are checked against what came
 * before it. Returns OF_E_MATCH_BAD_FIELD for a field of_match cannot hold. */
static enum of_err apply(struct of_match *m, uint8_t f, bool hm, const uint8_t *v)
{
	bool arp = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0806;

	switch (f) {
	case OXM_IN_PORT:
		m->fields |= OF_F_IN_PORT;
		m->in_port = of_get32(v);
		return OF_OK;
	case OXM_ETH_DST:
	case OXM_ETH_SRC: {
		uint8_t *val = f == OXM_ETH_DST ? m->eth_dst : m->eth_src;
		uint8_t *mask = f == OXM_ETH_DST ? m->eth_dst_mask : m->eth_src_mask;

		m->fields |= f == OXM_ETH_DST ? OF_F_ETH_DST : OF_F_ETH_SRC;
		if (hm)
			memcpy(mask, v + 6, 6);
		else
			memset(mask, 0xff, 6);
		for (int i = 0; i < 6; i++)
			val[i] = v[i] & mask[i];
		return OF_OK;
	}
	case OXM_ETH_TYPE:
		m->fields |= OF_F_ETH_TYPE;
		m->eth_type = of_get16(v);
		return OF_OK;
	case OXM_VLAN_VID: {
		uint16_t vid = of_get16(v);

		if (hm) /* "any tag" (PRESENT/PRESENT) has no 1.0 equivalent */
			return OF_E_MATCH_BAD_FIELD;
		if (vid & ~(OFPVID13_PRESENT | 0xfff))
			return OF_E_MATCH_BAD_VALUE;
		m->fields |= OF_F_VLAN_VID;
		m->vlan_vid = (vid & OFPVID13_PRESENT) ? (vid & 0xfff) : OF_VLAN_NONE;
		return OF_OK;
	}
	case OXM_VLAN_PCP:
		if (!(m->fields & OF_F_VLAN_VID) || m->vlan_vid == OF_VLAN_NONE)
			return OF_E_MATCH_BAD_PREREQ;
		if (v[0] > 7)
			return OF_E_MATCH_BAD_VALUE;
		m->fields |= OF_F_VLAN_PCP;
		m->vlan_pcp = v[0];
		return OF_OK;
	case OXM_IP_DSCP:
		if (!is_ip(m))
			return OF_E_MATCH_BAD_PREREQ;
		if (v[0] > 63)
			return OF_E_MATCH_BAD_VALUE;
		m->fields |= OF_F_IP_DSCP;
		m->ip_dscp = v[0];
		return OF_OK;
	case OXM_IP_PROTO:
		if (!is_ip(m))
			return OF_E_MATCH_BAD_PREREQ;
		m->fields |= OF_F_IP_PROTO;
		m->ip_proto = v[0];
		return OF_OK;
	case OXM_ARP_OP:
		if (!arp)
			return OF_E_MATCH_BAD_PREREQ;
		if (of_get16(v) > 0xff)
			return OF_E_MATCH_BAD_VALUE;
		m->fields |= OF_F_IP_PROTO;
		m->ip_proto = (uint8_t)of_get16(v);
		return OF_OK;
	case OXM_IPV4_SRC:
	case OXM_ARP_SPA:
	case OXM_IPV4_DST:
	case OXM_ARP_TPA: {
		bool src = f == OXM_IPV4_SRC || f == OXM_ARP_SPA;
		uint32_t mask = hm ? of_get32(v + 4) : ~0u;

		if ((f == OXM_IPV4_SRC || f == OXM_IPV4_DST) ? !is_ipv4(m) : !arp)
			return OF_E_MATCH_BAD_PREREQ;
		m->fields |= src ? OF_F_IPV4_SRC : OF_F_IPV4_DST;
		if (src) {
			m->ipv4_src_mask = mask;
			m->ipv4_src = of_get32(v) & mask;
		} else {
			m->ipv4_dst_mask = mask;
			m->ipv4_dst = of_get32(v) & mask;
		}
		return OF_OK;
	}
	case OXM_IPV6_SRC:
	case OXM_IPV6_DST: {
		uint8_t *val = f == OXM_IPV6_SRC ? m->ipv6_src : m->ipv6_dst;
		uint8_t *mask = f == OXM_IPV6_SRC ? m->ipv6_src_mask : m->ipv6_dst_mask;

		if (!is_ipv6(m))
			return OF_E_MATCH_BAD_PREREQ;
		m->fields |= f == OXM_IPV6_SRC ? OF_F_IPV6_SRC : OF_F_IPV6_DST;
		if (hm)
			memcpy(mask, v + 16, 16);
		else
			memset(mask, 0xff, 16);
		for (int i = 0; i < 16; i++)
			val[i] = v[i] & mask[i];
		return OF_OK;
	}
	case OXM_TCP_SRC: case OXM_TCP_DST: case OXM_UDP_SRC: case OXM_UDP_DST:
	case OXM_SCTP_SRC: case OXM_SCTP_DST: case OXM_ICMPV4_TYPE: case OXM_ICMPV4_CODE: {
		uint8_t proto = f <= OXM_TCP_DST ? 6 : f <= OXM_UDP_DST ? 17 : f <= OXM_SCTP_DST ? 132 : 1;
		bool src = f == OXM_TCP_SRC || f == OXM_UDP_SRC || f == OXM_SCTP_SRC ||
			   f == OXM_ICMPV4_TYPE;
		uint16_t val = proto == 1 ? v[0] : of_get16(v);

		if (!proto_is(m, proto))
			return OF_E_MATCH_BAD_PREREQ;
		m->fields |= src ? OF_F_TP_SRC : OF_F_TP_DST;
		if (src)
			m->tp_src = val;
		else
			m->tp_dst = val;
		return OF_OK;
	}
	}
	return OF_E_MATCH_BAD_FIELD;
}

enum of_err of_oxm_decode(const uint8_t *p, size_t avail, struct of_match *m, size_t *consumed,
			  bool strict)
{
	uint64_t seen = 0;
	size_t len, padded, off = 4;

	memset(m, 0, sizeof(*m));
	if (avail < 4)
		return OF_E_MATCH_BAD_LEN;
	if (of_get16(p) != OFPMT_OXM)
		return OF_E_MATCH_BAD_TYPE;
	len = of_get16(p + 2);
	padded = (len + 7) & ~(size_t)7;
	if (len < 4 || padded > avail)
		return OF_E_MATCH_BAD_LEN;
	*consumed = padded;
	while (off < len) {
		uint16_t cls;
		uint8_t f, plen;
		bool hm;
		enum of_err e;

		if (off + 4 > len)
			return OF_E_MATCH_BAD_LEN;
		cls = of_get16(p + off);
		f = p[off + 2] >> 1;
		hm = p[off + 2] & 1;
		plen = p[off + 3];
		if (off + 4 + plen > len)
			return OF_E_MATCH_BAD_LEN;
		if (cls != OFPXMC_OPENFLOW_BASIC || f > OXM_MAX_FIELD || !field_size[f]) {
			if (strict)
				return OF_E_MATCH_BAD_FIELD;
			m->fields |= OF_F_OTHER;
			off += 4u + plen;
			continue;
		}
		if (plen != field_size[f] * (hm ? 2 : 1))
			return OF_E_MATCH_BAD_LEN;
		if (hm && !maskable(f))
			return OF_E_MATCH_BAD_MASK;
		if (seen & (1ull << f))
			return OF_E_MATCH_DUP_FIELD;
		seen |= 1ull << f;
		e = apply(m, f, hm, p + off + 4);
		if (e == OF_E_MATCH_BAD_FIELD && !strict)
			m->fields |= OF_F_OTHER;
		else if (e != OF_OK && (strict || e != OF_E_MATCH_BAD_PREREQ))
			return e;
		off += 4u + plen;
	}
	return OF_OK;
}
