/* of_actions.c - action lists of both versions to and from struct
 * of_action_list: output (with reserved ports), VLAN set/push/pop, and the
 * header rewrites (1.0 SET_* actions, 1.3 SET_FIELD with an OXM TLV).
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

/* ---- encoding ---- */

static uint8_t *put_action(struct of_buf *b, uint16_t type, uint16_t len)
{
	uint8_t *p = of_buf_put_zero(b, len);

	if (!p)
		return NULL;
	of_put16(p, type);
	of_put16(p + 2, len);
	return p;
}

static int encode10(struct of_buf *b, const struct of_action_list *l)
{
	for (uint16_t i = 0; i < l->n; i++) {
		const struct of_action *a = &l->a[i];
		uint8_t *p;

		switch (a->type) {
		case OF_ACT_OUTPUT:
			if (!(p = put_action(b, OFPAT10_OUTPUT, 8)))
				return -ENOMEM;
			of_put16(p + 4, of_port_to10(a->value));
			of_put16(p + 6, a->max_len);
			break;
		case OF_ACT_PUSH_VLAN:
			/* 1.0's SET_VLAN_VID adds the tag itself */
			if (i + 1 >= l->n || l->a[i + 1].type != OF_ACT_SET_VLAN_VID)
				return -EINVAL;
			break;
		case OF_ACT_SET_VLAN_VID:
			if (!(p = put_action(b, OFPAT10_SET_VLAN_VID, 8)))
				return -ENOMEM;
			of_put16(p + 4, (uint16_t)(a->value & 0xfff));
			break;
		case OF_ACT_SET_VLAN_PCP:
			if (!(p = put_action(b, OFPAT10_SET_VLAN_PCP, 8)))
				return -ENOMEM;
			p[4] = (uint8_t)(a->value & 7);
			break;
		case OF_ACT_POP_VLAN:
			if (!put_action(b, OFPAT10_STRIP_VLAN, 8))
				return -ENOMEM;
			break;
		case OF_ACT_SET_ETH_SRC:
		case OF_ACT_SET_ETH_DST:
			if (!(p = put_action(b, a->type == OF_ACT_SET_ETH_SRC ? OFPAT10_SET_DL_SRC
									      : OFPAT10_SET_DL_DST, 16)))
				return -ENOMEM;
			memcpy(p + 4, a->mac, 6);
			break;
		case OF_ACT_SET_IPV4_SRC:
		case OF_ACT_SET_IPV4_DST:
			if (!(p = put_action(b, a->type == OF_ACT_SET_IPV4_SRC ? OFPAT10_SET_NW_SRC
									       : OFPAT10_SET_NW_DST, 8)))
				return -ENOMEM;
			of_put32(p + 4, a->value);
			break;
		case OF_ACT_SET_IP_DSCP:
			if (!(p = put_action(b, OFPAT10_SET_NW_TOS, 8)))
				return -ENOMEM;
			p[4] = (uint8_t)(a->value << 2);
			break;
		case OF_ACT_SET_TP_SRC:
		case OF_ACT_SET_TP_DST:
			if (!(p = put_action(b, a->type == OF_ACT_SET_TP_SRC ? OFPAT10_SET_TP_SRC
									     : OFPAT10_SET_TP_DST, 8)))
				return -ENOMEM;
			of_put16(p + 4, (uint16_t)a->value);
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/* SET_FIELD: 4-byte action header, the OXM TLV, padding to 8. */
static uint8_t *put_set_field(struct of_buf *b, uint8_t field, uint8_t len)
{
	uint16_t total = (uint16_t)((4 + 4 + len + 7) & ~7);
	uint8_t *p = put_action(b, OFPAT13_SET_FIELD, total);

	if (!p)
		return NULL;
	of_put16(p + 4, OFPXMC_OPENFLOW_BASIC);
	p[6] = (uint8_t)(field << 1);
	p[7] = len;
	return p + 8;
}

static int tp_field(const struct of_match *m, bool src, uint8_t *f, uint8_t *len)
{
	if (!m || !(m->fields & OF_F_IP_PROTO) || !(m->fields & OF_F_ETH_TYPE) ||
	    m->eth_type != 0x0800)
		return -EINVAL;
	*len = 2;
	switch (m->ip_proto) {
	case 6: *f = src ? OXM_TCP_SRC : OXM_TCP_DST; return 0;
	case 17: *f = src ? OXM_UDP_SRC : OXM_UDP_DST; return 0;
	case 132: *f = src ? OXM_SCTP_SRC : OXM_SCTP_DST; return 0;
	}
	return -EINVAL;
}

static int encode13(struct of_buf *b, const struct of_action_list *l, const struct of_match *m)
{
	for (uint16_t i = 0; i < l->n; i++) {
		const struct of_action *a = &l->a[i];
		uint8_t *p, f, flen;

		switch (a->type) {
		case OF_ACT_OUTPUT:
			if (!(p = put_action(b, OFPAT13_OUTPUT, 16)))
				return -ENOMEM;
			of_put32(p + 4, a->value);
			of_put16(p + 8, a->max_len);
			break;
		case OF_ACT_PUSH_VLAN:
			if (!(p = put_action(b, OFPAT13_PUSH_VLAN, 8)))
				return -ENOMEM;
			of_put16(p + 4, a->value ? (uint16_t)a->value : 0x8100);
			break;
		case OF_ACT_POP_VLAN:
			if (!put_action(b, OFPAT13_POP_VLAN, 8))
				return -ENOMEM;
			break;
		case OF_ACT_SET_VLAN_VID:
			if (!(p = put_set_field(b, OXM_VLAN_VID, 2)))
				return -ENOMEM;
			of_put16(p, (uint16_t)(OFPVID13_PRESENT | (a->value & 0xfff)));
			break;
		case OF_ACT_SET_VLAN_PCP:
			if (!(p = put_set_field(b, OXM_VLAN_PCP, 1)))
				return -ENOMEM;
			*p = (uint8_t)(a->value & 7);
			break;
		case OF_ACT_SET_ETH_SRC:
		case OF_ACT_SET_ETH_DST:
			if (!(p = put_set_field(b, a->type == OF_ACT_SET_ETH_SRC ? OXM_ETH_SRC
										: OXM_ETH_DST, 6)))
				return -ENOMEM;
			memcpy(p, a->mac, 6);
			break;
		case OF_ACT_SET_IPV4_SRC:
		case OF_ACT_SET_IPV4_DST:
			if (!(p = put_set_field(b, a->type == OF_ACT_SET_IPV4_SRC ? OXM_IPV4_SRC
										 : OXM_IPV4_DST, 4)))
				return -ENOMEM;
			of_put32(p, a->value);
			break;
		case OF_ACT_SET_IP_DSCP:
			if (!(p = put_set_field(b, OXM_IP_DSCP, 1)))
				return -ENOMEM;
			*p = (uint8_t)(a->value & 63);
			break;
		case OF_ACT_SET_TP_SRC:
		case OF_ACT_SET_TP_DST:
			if (tp_field(m, a->type == OF_ACT_SET_TP_SRC, &f, &flen))
				return -EINVAL;
			if (!(p = put_set_field(b, f, flen)))
				return -ENOMEM;
			of_put16(p, (uint16_t)a->value);
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

int of_actions_encode(struct of_buf *b, uint8_t version, const struct of_action_list *l,
		      const struct of_match *m)
{
	size_t start = b->len;
	int r;

	if (l->n > OF_MAX_ACTIONS)
		return -EINVAL;
	r = version == OF_VERSION_10 ? encode10(b, l) : encode13(b, l, m);
	if (r)
		b->len = start;
	return r;
}

/* ---- decoding ---- */

static bool output_port_ok(uint32_t port)
{
	/* port 0 and OFPP_ANY/NONE are not output ports; nor is TABLE outside
	 * packet-out, but that is the switch's call */
	return port != 0 && port != OF_PORT_ANY && (port < OF_PORT_MAX || port >= OF_PORT_IN_PORT);
}

static enum of_err add(struct of_action_list *l, const struct of_action *a)
{
	if (l->n >= OF_MAX_ACTIONS)
		return OF_E_ACTION_TOO_MANY;
	l->a[l->n++] = *a;
	return OF_OK;
}

static enum of_err decode10_one(const uint8_t *p, uint16_t type, uint16_t len,
				struct of_action *a)
{
	static const uint8_t want[] = { 8, 8, 8, 8, 16, 16, 8, 8, 8, 8, 8, 16 };

	if (type > OFPAT10_ENQUEUE)
		return type == OFPAT_VENDOR ? OF_E_BAD_EXPERIMENTER : OF_E_ACTION_BAD_TYPE;
	if (len != want[type])
		return OF_E_ACTION_BAD_LEN;
	switch (type) {
	case OFPAT10_OUTPUT:
		a->type = OF_ACT_OUTPUT;
		a->value = of_port_from10(of_get16(p + 4));
		a->max_len = of_get16(p + 6);
		return output_port_ok(a->value) ? OF_OK : OF_E_ACTION_BAD_OUT_PORT;
	case OFPAT10_SET_VLAN_VID:
		a->type = OF_ACT_SET_VLAN_VID;
		a->value = of_get16(p + 4);
		return a->value > 4095 ? OF_E_ACTION_BAD_ARGUMENT : OF_OK;
	case OFPAT10_SET_VLAN_PCP:
		a->type = OF_ACT_SET_VLAN_PCP;
		a->value = p[4];
		return a->value > 7 ? OF_E_ACTION_BAD_ARGUMENT : OF_OK;
	case OFPAT10_STRIP_VLAN:
		a->type = OF_ACT_POP_VLAN;
		return OF_OK;
	case OFPAT10_SET_DL_SRC:
	case OFPAT10_SET_DL_DST:
		a->type = type == OFPAT10_SET_DL_SRC ? OF_ACT_SET_ETH_SRC : OF_ACT_SET_ETH_DST;
		memcpy(a->mac, p + 4, 6);
		return OF_OK;
	case OFPAT10_SET_NW_SRC:
	case OFPAT10_SET_NW_DST:
		a->type = type == OFPAT10_SET_NW_SRC ? OF_ACT_SET_IPV4_SRC : OF_ACT_SET_IPV4_DST;
		a->value = of_get32(p + 4);
		return OF_OK;
	case OFPAT10_SET_NW_TOS:
		a->type = OF_ACT_SET_IP_DSCP;
		a->value = p[4] >> 2;
		return OF_OK;
	case OFPAT10_SET_TP_SRC:
	case OFPAT10_SET_TP_DST:
		a->type = type == OFPAT10_SET_TP_SRC ? OF_ACT_SET_TP_SRC : OF_ACT_SET_TP_DST;
		a->value = of_get16(p + 4);
		return OF_OK;
	}
	return OF_E_ACTION_BAD_TYPE; /* ENQUEUE: queues are not modelled */
}

static enum of_err decode_set_field(const uint8_t *p, uint16_t len, struct of_action *a)
{
	uint8_t f, plen;

	if (len < 8)
		return OF_E_ACTION_BAD_LEN;
	if (of_get16(p + 4) != OFPXMC_OPENFLOW_BASIC)
		return OF_E_ACTION_BAD_SET_TYPE;
	f = p[6] >> 1;
	plen = p[7];
	if (p[6] & 1) /* set-field carries no mask */
		return OF_E_ACTION_BAD_ARGUMENT;
	if (8u + plen > len)
		return OF_E_ACTION_BAD_LEN;
	p += 8;
	switch (f) {
	case OXM_VLAN_VID:
		if (plen != 2)
			return OF_E_ACTION_BAD_LEN;
		a->type = OF_ACT_SET_VLAN_VID;
		a->value = of_get16(p) & 0xfff;
		return OF_OK;
	case OXM_VLAN_PCP:
	case OXM_IP_DSCP:
		if (plen != 1)
			return OF_E_ACTION_BAD_LEN;
		a->type = f == OXM_VLAN_PCP ? OF_ACT_SET_VLAN_PCP : OF_ACT_SET_IP_DSCP;
		a->value = p[0];
		return a->value > (f == OXM_VLAN_PCP ? 7u : 63u) ? OF_E_ACTION_BAD_ARGUMENT : OF_OK;
	case OXM_ETH_SRC:
	case OXM_ETH_DST:
		if (plen != 6)
			return OF_E_ACTION_BAD_LEN;
		a->type = f == OXM_ETH_SRC ? OF_ACT_SET_ETH_SRC : OF_ACT_SET_ETH_DST;
		memcpy(a->mac, p, 6);
		return OF_OK;
	case OXM_IPV4_SRC:
	case OXM_IPV4_DST:
		if (plen != 4)
			return OF_E_ACTION_BAD_LEN;
		a->type = f == OXM_IPV4_SRC ? OF_ACT_SET_IPV4_SRC : OF_ACT_SET_IPV4_DST;
		a->value = of_get32(p);
		return OF_OK;
	case OXM_TCP_SRC: case OXM_UDP_SRC: case OXM_SCTP_SRC:
	case OXM_TCP_DST: case OXM_UDP_DST: case OXM_SCTP_DST:
		if (plen != 2)
			return OF_E_ACTION_BAD_LEN;
		a->type = (f == OXM_TCP_SRC || f == OXM_UDP_SRC || f == OXM_SCTP_SRC)
				  ? OF_ACT_SET_TP_SRC : OF_ACT_SET_TP_DST;
		a->value = of_get16(p);
		return OF_OK;
	}
	return OF_E_ACTION_BAD_SET_TYPE;
}

static enum of_err decode13_one(const uint8_t *p, uint16_t type, uint16_t len,
				struct of_action *a)
{
	switch (type) {
	case OFPAT13_OUTPUT:
		if (len != 16)
			return OF_E_ACTION_BAD_LEN;
		a->type = OF_ACT_OUTPUT;
		a->value = of_get32(p + 4);
		a->max_len = of_get16(p + 8);
		return output_port_ok(a->value) ? OF_OK : OF_E_ACTION_BAD_OUT_PORT;
	case OFPAT13_PUSH_VLAN:
		if (len != 8)
			return OF_E_ACTION_BAD_LEN;
		a->type = OF_ACT_PUSH_VLAN;
		a->value = of_get16(p + 4);
		return a->value == 0x8100 || a->value == 0x88a8 ? OF_OK : OF_E_ACTION_BAD_ARGUMENT;
	case OFPAT13_POP_VLAN:
		if (len != 8)
			return OF_E_ACTION_BAD_LEN;
		a->type = OF_ACT_POP_VLAN;
		return OF_OK;
	case OFPAT13_SET_FIELD:
		return decode_set_field(p, len, a);
	case OFPAT_VENDOR:
		return OF_E_BAD_EXPERIMENTER;
	}
	return OF_E_ACTION_BAD_TYPE;
}

enum of_err of_actions_decode(uint8_t version, const uint8_t *p, size_t len,
			      struct of_action_list *l)
{
	size_t off = 0;

	l->n = 0;
	while (off < len) {
		struct of_action a = { 0 };
		uint16_t type, alen;
		enum of_err e;

		if (len - off < 8)
			return OF_E_ACTION_BAD_LEN;
		type = of_get16(p + off);
		alen = of_get16(p + off + 2);
		if (alen < 8 || alen % 8 || alen > len - off)
			return OF_E_ACTION_BAD_LEN;
		e = version == OF_VERSION_10 ? decode10_one(p + off, type, alen, &a)
					     : decode13_one(p + off, type, alen, &a);
		if (e != OF_OK || (e = add(l, &a)) != OF_OK)
			return e;
		off += alen;
	}
	return OF_OK;
}

enum of_err of_actions_check(const struct of_action_list *l, const struct of_match *m)
{
	bool vlan = (m->fields & OF_F_VLAN_VID) && m->vlan_vid != OF_VLAN_NONE;
	bool ip = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0800;
	bool l4 = ip && (m->fields & OF_F_IP_PROTO) &&
		  (m->ip_proto == 6 || m->ip_proto == 17 || m->ip_proto == 132);

	for (uint16_t i = 0; i < l->n; i++) {
		switch (l->a[i].type) {
		case OF_ACT_PUSH_VLAN:
			vlan = true;
			break;
		case OF_ACT_POP_VLAN:
			vlan = false;
			break;
		case OF_ACT_SET_VLAN_VID:
		case OF_ACT_SET_VLAN_PCP:
			if (!vlan)
				return OF_E_ACTION_MATCH_INCONSISTENT;
			break;
		case OF_ACT_SET_IPV4_SRC:
		case OF_ACT_SET_IPV4_DST:
		case OF_ACT_SET_IP_DSCP:
			if (!ip)
				return OF_E_ACTION_MATCH_INCONSISTENT;
			break;
		case OF_ACT_SET_TP_SRC:
		case OF_ACT_SET_TP_DST:
			if (!l4)
				return OF_E_ACTION_MATCH_INCONSISTENT;
			break;
		}
	}
	return OF_OK;
}
