/* of_match10.c - the OpenFlow 1.0 ofp_match (40 bytes, wildcard bits) to and
 * from struct of_match. 1.0 can only mask IPv4 addresses by prefix and
 * cannot mask Ethernet addresses; the encoder refuses what it cannot say.
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

static const uint8_t ones6[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

uint32_t of_port_from10(uint16_t p)
{
	return p >= 0xff00 ? 0xffff0000u | p : p;
}

uint16_t of_port_to10(uint32_t p)
{
	return p >= OF_PORT_MAX ? (uint16_t)(p & 0xffff) : (uint16_t)p;
}

/* prefix length of a CIDR mask, -1 when not contiguous */
static int mask_prefix(uint32_t mask)
{
	int n = mask ? __builtin_popcount(mask) : 0;

	if (n && mask != ~0u << (32 - n))
		return -1;
	return n;
}

static uint32_t prefix_mask(int wild_bits)
{
	return wild_bits >= 32 ? 0 : ~0u << wild_bits;
}

int of_match10_encode(uint8_t o[40], const struct of_match *m)
{
	uint32_t w = OFPFW10_ALL;
	int src_len = 0, dst_len = 0;

	memset(o, 0, 40);
	if (m->fields & (OF_F_OTHER | OF_F_IPV6_SRC | OF_F_IPV6_DST))
		return -EINVAL; /* 1.0 has no IPv6 fields */
	if (m->fields & OF_F_IN_PORT) {
		w &= ~OFPFW10_IN_PORT;
		of_put16(o + 4, of_port_to10(m->in_port));
	}
	if (m->fields & OF_F_ETH_SRC) {
		if (memcmp(m->eth_src_mask, ones6, 6))
			return -EINVAL;
		w &= ~OFPFW10_DL_SRC;
		memcpy(o + 6, m->eth_src, 6);
	}
	if (m->fields & OF_F_ETH_DST) {
		if (memcmp(m->eth_dst_mask, ones6, 6))
			return -EINVAL;
		w &= ~OFPFW10_DL_DST;
		memcpy(o + 12, m->eth_dst, 6);
	}
	if (m->fields & OF_F_VLAN_VID) {
		w &= ~OFPFW10_DL_VLAN;
		of_put16(o + 18, m->vlan_vid);
	}
	if (m->fields & OF_F_VLAN_PCP) {
		w &= ~OFPFW10_DL_VLAN_PCP;
		o[20] = m->vlan_pcp;
	}
	if (m->fields & OF_F_ETH_TYPE) {
		w &= ~OFPFW10_DL_TYPE;
		of_put16(o + 22, m->eth_type);
	}
	if (m->fields & OF_F_IP_DSCP) {
		w &= ~OFPFW10_NW_TOS;
		o[24] = (uint8_t)(m->ip_dscp << 2);
	}
	if (m->fields & OF_F_IP_PROTO) {
		w &= ~OFPFW10_NW_PROTO;
		o[25] = m->ip_proto;
	}
	if (m->fields & OF_F_IPV4_SRC) {
		src_len = mask_prefix(m->ipv4_src_mask);
		if (src_len < 0)
			return -EINVAL;
		of_put32(o + 28, m->ipv4_src & m->ipv4_src_mask);
	}
	if (m->fields & OF_F_IPV4_DST) {
		dst_len = mask_prefix(m->ipv4_dst_mask);
		if (dst_len < 0)
			return -EINVAL;
		of_put32(o + 32, m->ipv4_dst & m->ipv4_dst_mask);
	}
	w &= ~((OFPFW10_NW_BITS_MASK << OFPFW10_NW_SRC_SHIFT) |
	       (OFPFW10_NW_BITS_MASK << OFPFW10_NW_DST_SHIFT));
	w |= (uint32_t)(32 - src_len) << OFPFW10_NW_SRC_SHIFT;
	w |= (uint32_t)(32 - dst_len) << OFPFW10_NW_DST_SHIFT;
	if (m->fields & OF_F_TP_SRC) {
		w &= ~OFPFW10_TP_SRC;
		of_put16(o + 36, m->tp_src);
	}
	if (m->fields & OF_F_TP_DST) {
		w &= ~OFPFW10_TP_DST;
		of_put16(o + 38, m->tp_dst);
	}
	of_put32(o, w);
	return 0;
}

enum of_err of_match10_decode(const uint8_t in[40], struct of_match *m)
{
	uint32_t w = of_get32(in);
	uint32_t src_wild = (w >> OFPFW10_NW_SRC_SHIFT) & OFPFW10_NW_BITS_MASK;
	uint32_t dst_wild = (w >> OFPFW10_NW_DST_SHIFT) & OFPFW10_NW_BITS_MASK;

	memset(m, 0, sizeof(*m));
	if (!(w & OFPFW10_IN_PORT)) {
		m->fields |= OF_F_IN_PORT;
		m->in_port = of_port_from10(of_get16(in + 4));
	}
	if (!(w & OFPFW10_DL_SRC))
		of_match_set_eth_src(m, in + 6);
	if (!(w & OFPFW10_DL_DST))
		of_match_set_eth_dst(m, in + 12);
	if (!(w & OFPFW10_DL_VLAN)) {
		m->fields |= OF_F_VLAN_VID;
		m->vlan_vid = of_get16(in + 18);
		if (m->vlan_vid != OF_VLAN_NONE && m->vlan_vid > 4095)
			return OF_E_MATCH_BAD_VALUE;
	}
	if (!(w & OFPFW10_DL_VLAN_PCP)) {
		m->fields |= OF_F_VLAN_PCP;
		m->vlan_pcp = in[20] & 7;
	}
	if (!(w & OFPFW10_DL_TYPE)) {
		m->fields |= OF_F_ETH_TYPE;
		m->eth_type = of_get16(in + 22);
	}
	if (!(w & OFPFW10_NW_TOS)) {
		m->fields |= OF_F_IP_DSCP;
		m->ip_dscp = in[24] >> 2;
	}
	if (!(w & OFPFW10_NW_PROTO)) {
		m->fields |= OF_F_IP_PROTO;
		m->ip_proto = in[25];
	}
	if (src_wild < 32) {
		m->fields |= OF_F_IPV4_SRC;
		m->ipv4_src_mask = prefix_mask((int)src_wild);
		m->ipv4_src = of_get32(in + 28) & m->ipv4_src_mask;
	}
	if (dst_wild < 32) {
		m->fields |= OF_F_IPV4_DST;
		m->ipv4_dst_mask = prefix_mask((int)dst_wild);
		m->ipv4_dst = of_get32(in + 32) & m->ipv4_dst_mask;
	}
	if (!(w & OFPFW10_TP_SRC)) {
		m->fields |= OF_F_TP_SRC;
		m->tp_src = of_get16(in + 36);
	}
	if (!(w & OFPFW10_TP_DST)) {
		m->fields |= OF_F_TP_DST;
		m->tp_dst = of_get16(in + 38);
	}
	return OF_OK;
}

void of_match_set_eth_src(struct of_match *m, const uint8_t mac[6])
{
	m->fields |= OF_F_ETH_SRC;
	memcpy(m->eth_src, mac, 6);
	memset(m->eth_src_mask, 0xff, 6);
}

void of_match_set_eth_dst(struct of_match *m, const uint8_t mac[6])
{
	m->fields |= OF_F_ETH_DST;
	memcpy(m->eth_dst, mac, 6);
	memset(m->eth_dst_mask, 0xff, 6);
}

/* OpenFlow 1.3 §7.2.3.6 prerequisites, expressed on the 1.0 field set. */
enum of_err of_match_check_prereq(const struct of_match *m)
{
	bool ip4 = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0800;
	bool ip6 = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x86dd;
	bool arp = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0806;
	bool l4 = (ip4 || ip6) && (m->fields & OF_F_IP_PROTO) &&
		  (m->ip_proto == 6 || m->ip_proto == 17 || m->ip_proto == 132 ||
		   (m->ip_proto == 1 && ip4));

	if ((m->fields & OF_F_VLAN_PCP) &&
	    (!(m->fields & OF_F_VLAN_VID) || m->vlan_vid == OF_VLAN_NONE))
		return OF_E_MATCH_BAD_PREREQ;
	if ((m->fields & (OF_F_IP_DSCP)) && !ip4 && !ip6)
		return OF_E_MATCH_BAD_PREREQ;
	if ((m->fields & OF_F_IP_PROTO) && !ip4 && !ip6 && !arp)
		return OF_E_MATCH_BAD_PREREQ;
	if ((m->fields & (OF_F_IPV4_SRC | OF_F_IPV4_DST)) && !ip4 && !arp)
		return OF_E_MATCH_BAD_PREREQ;
	if ((m->fields & (OF_F_IPV6_SRC | OF_F_IPV6_DST)) && !ip6)
		return OF_E_MATCH_BAD_PREREQ;
	if ((m->fields & (OF_F_TP_SRC | OF_F_TP_DST)) && !l4)
		return OF_E_MATCH_BAD_PREREQ;
	return OF_OK;
}
