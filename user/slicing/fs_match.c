/* fs_match.c - see fs_match.h: relation and intersection of two matches,
 * and the point a frame is. The strings are in fs_match_text.c.
 *
 * Every field is a value under a mask (an exact field has the full mask, an
 * absent one the empty mask): A ∩ B is empty when the two values differ
 * where both masks pin bits; A ⊆ B when A pins every bit B pins. That one
 * rule covers exact fields, MAC masks and CIDR prefixes alike.
 */
#include "slicing/fs_match.h"
#include "common/frame.h"

#include <arpa/inet.h>
#include <string.h>

const char *fs_rel_name(enum fs_rel r)
{
	switch (r) {
	case FS_REL_NONE: return "none";
	case FS_REL_SUBSET: return "subset";
	case FS_REL_SUPERSET: return "superset";
	case FS_REL_INTERSECT: return "intersect";
	case FS_REL_EQUAL: return "equal";
	}
	return "?";
}

/* The relation of two fields' value sets, each @n bytes of value and mask;
 * the intersection into @iv/@im. */
static enum fs_rel rel_masked(const uint8_t *va, const uint8_t *ma, const uint8_t *vb,
			      const uint8_t *mb, size_t n, uint8_t *iv, uint8_t *im)
{
	bool a_in_b = true, b_in_a = true;

	for (size_t i = 0; i < n; i++) {
		if ((va[i] ^ vb[i]) & ma[i] & mb[i])
			return FS_REL_NONE;
		if (mb[i] & ~ma[i])
			a_in_b = false;
		if (ma[i] & ~mb[i])
			b_in_a = false;
	}
	for (size_t i = 0; i < n; i++) {
		iv[i] = (uint8_t)((va[i] & ma[i]) | (vb[i] & mb[i]));
		im[i] = ma[i] | mb[i];
	}
	if (a_in_b && b_in_a)
		return FS_REL_EQUAL;
	return a_in_b ? FS_REL_SUBSET : b_in_a ? FS_REL_SUPERSET : FS_REL_INTERSECT;
}

/* Fold one field's relation into the whole match's. */
static enum fs_rel fold(enum fs_rel acc, enum fs_rel f)
{
	if (acc == FS_REL_NONE || f == FS_REL_NONE)
		return FS_REL_NONE;
	if (f == FS_REL_EQUAL)
		return acc;
	if (acc == FS_REL_EQUAL)
		return f;
	return acc == f ? acc : FS_REL_INTERSECT;
}

/* An exact field: present in a, in b, both, or neither. */
static enum fs_rel rel_exact(bool pa, bool pb, uint32_t va, uint32_t vb)
{
	if (pa && pb)
		return va == vb ? FS_REL_EQUAL : FS_REL_NONE;
	if (pa)
		return FS_REL_SUBSET;
	return pb ? FS_REL_SUPERSET : FS_REL_EQUAL;
}

static void mask_of(bool present, const uint8_t *mask, uint8_t *out, size_t n)
{
	if (present)
		memcpy(out, mask, n);
	else
		memset(out, 0, n);
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* A masked field of @n bytes at the given offsets of struct of_match. */
struct masked_field {
	uint32_t bit;
	size_t value_off, mask_off, n;
};

static const struct masked_field masked_fields[] = {
	{ OF_F_ETH_DST, offsetof(struct of_match, eth_dst), offsetof(struct of_match, eth_dst_mask), 6 },
	{ OF_F_ETH_SRC, offsetof(struct of_match, eth_src), offsetof(struct of_match, eth_src_mask), 6 },
	{ OF_F_IPV6_SRC, offsetof(struct of_match, ipv6_src), offsetof(struct of_match, ipv6_src_mask), 16 },
	{ OF_F_IPV6_DST, offsetof(struct of_match, ipv6_dst), offsetof(struct of_match, ipv6_dst_mask), 16 },
};

/* An IPv4 field: the same rule on a host-order word. */
static enum fs_rel rel_ipv4(bool pa, bool pb, uint32_t va, uint32_t ma, uint32_t vb, uint32_t mb,
			    uint32_t *iv, uint32_t *im, bool *present)
{
	bool a_in_b, b_in_a;

	ma = pa ? ma : 0;
	mb = pb ? mb : 0;
	*present = false;
	if ((va ^ vb) & ma & mb)
		return FS_REL_NONE;
	*iv = (va & ma) | (vb & mb);
	*im = ma | mb;
	*present = *im != 0;
	a_in_b = !(mb & ~ma);
	b_in_a = !(ma & ~mb);
	if (a_in_b && b_in_a)
		return FS_REL_EQUAL;
	return a_in_b ? FS_REL_SUBSET : b_in_a ? FS_REL_SUPERSET : FS_REL_INTERSECT;
}

enum fs_rel fs_match_compare(const struct of_match *a, const struct of_match *b,
			     struct of_match *inter)
{
	struct of_match i = { 0 };
	enum fs_rel acc = FS_REL_EQUAL;
	uint32_t fa = a->fields, fb = b->fields;
	bool present;

#define EXACT(bit, field)                                                        \
	do {                                                                      \
		acc = fold(acc, rel_exact(fa & (bit), fb & (bit), a->field, b->field)); \
		if (acc == FS_REL_NONE)                                           \
			return FS_REL_NONE;                                       \
		if ((fa | fb) & (bit)) {                                          \
			i.fields |= (bit);                                        \
			i.field = (fa & (bit)) ? a->field : b->field;             \
		}                                                                 \
	} while (0)
	EXACT(OF_F_IN_PORT, in_port);
	EXACT(OF_F_ETH_TYPE, eth_type);
	EXACT(OF_F_VLAN_VID, vlan_vid);
	EXACT(OF_F_VLAN_PCP, vlan_pcp);
	EXACT(OF_F_IP_DSCP, ip_dscp);
	EXACT(OF_F_IP_PROTO, ip_proto);
	EXACT(OF_F_TP_SRC, tp_src);
	EXACT(OF_F_TP_DST, tp_dst);
#undef EXACT

	for (size_t k = 0; k < sizeof(masked_fields) / sizeof(masked_fields[0]); k++) {
		const struct masked_field *f = &masked_fields[k];
		uint8_t ma[16], mb[16];
		uint8_t *iv = (uint8_t *)&i + f->value_off, *im = (uint8_t *)&i + f->mask_off;

		if (!((fa | fb) & f->bit))
			continue;
		mask_of(fa & f->bit, (const uint8_t *)a + f->mask_off, ma, f->n);
		mask_of(fb & f->bit, (const uint8_t *)b + f->mask_off, mb, f->n);
		acc = fold(acc, rel_masked((const uint8_t *)a + f->value_off, ma,
					   (const uint8_t *)b + f->value_off, mb, f->n, iv, im));
		if (acc == FS_REL_NONE)
			return FS_REL_NONE;
		if (!all_zero(im, f->n))
			i.fields |= f->bit;
	}

	acc = fold(acc, rel_ipv4(fa & OF_F_IPV4_SRC, fb & OF_F_IPV4_SRC, a->ipv4_src,
				 a->ipv4_src_mask, b->ipv4_src, b->ipv4_src_mask, &i.ipv4_src,
				 &i.ipv4_src_mask, &present));
	if (present)
		i.fields |= OF_F_IPV4_SRC;
	acc = fold(acc, rel_ipv4(fa & OF_F_IPV4_DST, fb & OF_F_IPV4_DST, a->ipv4_dst,
				 a->ipv4_dst_mask, b->ipv4_dst, b->ipv4_dst_mask, &i.ipv4_dst,
				 &i.ipv4_dst_mask, &present));
	if (present)
		i.fields |= OF_F_IPV4_DST;
	if (acc == FS_REL_NONE)
		return FS_REL_NONE;
	/* a field the codec could not hold constrains in a way we cannot see:
	 * keep it on the intersection, which is then never EQUAL to anything */
	i.fields |= (fa | fb) & OF_F_OTHER;
	if (inter)
		*inter = i;
	return acc;
}

bool fs_match_covers(const struct of_match *m, const struct of_match *point)
{
	uint32_t need = m->fields & ~OF_F_OTHER;

	if ((point->fields & need) != need)
		return false;
#define EXACT(bit, field)                                       \
	if ((need & (bit)) && m->field != point->field)          \
		return false;
	EXACT(OF_F_IN_PORT, in_port)
	EXACT(OF_F_ETH_TYPE, eth_type)
	EXACT(OF_F_VLAN_VID, vlan_vid)
	EXACT(OF_F_VLAN_PCP, vlan_pcp)
	EXACT(OF_F_IP_DSCP, ip_dscp)
	EXACT(OF_F_IP_PROTO, ip_proto)
	EXACT(OF_F_TP_SRC, tp_src)
	EXACT(OF_F_TP_DST, tp_dst)
#undef EXACT
	if ((need & OF_F_IPV4_SRC) && ((m->ipv4_src ^ point->ipv4_src) & m->ipv4_src_mask))
		return false;
	if ((need & OF_F_IPV4_DST) && ((m->ipv4_dst ^ point->ipv4_dst) & m->ipv4_dst_mask))
		return false;
	for (size_t k = 0; k < sizeof(masked_fields) / sizeof(masked_fields[0]); k++) {
		const struct masked_field *f = &masked_fields[k];
		const uint8_t *v = (const uint8_t *)m + f->value_off;
		const uint8_t *mk = (const uint8_t *)m + f->mask_off;
		const uint8_t *p = (const uint8_t *)point + f->value_off;

		if (!(need & f->bit))
			continue;
		for (size_t i = 0; i < f->n; i++)
			if ((v[i] ^ p[i]) & mk[i])
				return false;
	}
	return true;
}

bool fs_match_from_frame(const uint8_t *frame, size_t len, uint32_t in_port,
			 struct of_match *pt)
{
	struct nfp_pkt pkt;
	size_t l3;

	memset(pt, 0, sizeof(*pt));
	if (len < 14)
		return false;
	nfp_parse_frame(frame, len, &pkt);
	pt->fields = FS_MATCH_FIELDS;
	pt->in_port = in_port;
	memcpy(pt->eth_dst, frame, 6);
	memcpy(pt->eth_src, frame + 6, 6);
	memset(pt->eth_dst_mask, 0xff, 6);
	memset(pt->eth_src_mask, 0xff, 6);
	pt->ipv4_src_mask = pt->ipv4_dst_mask = 0xffffffffu;
	pt->vlan_vid = OF_VLAN_NONE;
	if (pkt.malformed == NFP_MAL_ETH_TRUNC)
		return true;
	if (pkt.vlan_depth) {
		pt->vlan_vid = pkt.vlan_id[0];
		pt->vlan_pcp = frame[14] >> 5;
	}
	if (pkt.malformed == NFP_MAL_VLAN_TRUNC)
		return true;
	pt->eth_type = pkt.eth_proto;
	l3 = 14 + 4 * (size_t)pkt.vlan_depth;
	if (pkt.l3 == NFP_L3_IPV4 && !pkt.malformed) {
		pt->ip_dscp = frame[l3 + 1] >> 2;
		pt->ip_proto = pkt.l4_proto;
		pt->ipv4_src = ntohl(pkt.saddr[0]);
		pt->ipv4_dst = ntohl(pkt.daddr[0]);
		if (!(pkt.flags & NFP_PF_L4))
			return true;
		if (pkt.l4_proto == NFP_IPPROTO_ICMP) {
			pt->tp_src = pkt.dport >> 8;   /* type */
			pt->tp_dst = pkt.dport & 0xff; /* code */
		} else if (pkt.l4_proto == NFP_IPPROTO_TCP || pkt.l4_proto == NFP_IPPROTO_UDP) {
			pt->tp_src = pkt.sport;
			pt->tp_dst = pkt.dport;
		}
	} else if (pkt.eth_proto == NFP_ETH_P_ARP && len >= l3 + 28) {
		/* OpenFlow 1.0: the opcode's low byte, sender and target IP */
		uint32_t spa, tpa;

		pt->ip_proto = frame[l3 + 7];
		memcpy(&spa, frame + l3 + 14, 4);
		memcpy(&tpa, frame + l3 + 24, 4);
		pt->ipv4_src = ntohl(spa);
		pt->ipv4_dst = ntohl(tpa);
	}
	return true;
}
