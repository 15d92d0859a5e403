/* of_print.c - names and one-line renderings of OpenFlow things for logs,
 * API replies and nfpctl: message types, versions, errors, matches (in
 * ovs-ofctl's field names), actions, reserved ports. Never on the hot path.
 */
#include "openflow/of_codec.h"
#include "common/hex.h"
#include "openflow/of_wire.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const types_common[] = {
	"HELLO", "ERROR", "ECHO_REQUEST", "ECHO_REPLY", "EXPERIMENTER", "FEATURES_REQUEST",
	"FEATURES_REPLY", "GET_CONFIG_REQUEST", "GET_CONFIG_REPLY", "SET_CONFIG", "PACKET_IN",
	"FLOW_REMOVED", "PORT_STATUS", "PACKET_OUT", "FLOW_MOD",
};
static const char *const types10[] = {
	"PORT_MOD", "STATS_REQUEST", "STATS_REPLY", "BARRIER_REQUEST", "BARRIER_REPLY",
	"QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY",
};
static const char *const types13[] = {
	"GROUP_MOD", "PORT_MOD", "TABLE_MOD", "MULTIPART_REQUEST", "MULTIPART_REPLY",
	"BARRIER_REQUEST", "BARRIER_REPLY", "QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY",
	"ROLE_REQUEST", "ROLE_REPLY", "GET_ASYNC_REQUEST", "GET_ASYNC_REPLY", "SET_ASYNC",
	"METER_MOD",
};

const char *of_type_name(uint8_t version, uint8_t type)
{
	if (type <= OFPT_FLOW_MOD)
		return type == OFPT_EXPERIMENTER && version == OF_VERSION_10 ? "VENDOR"
									    : types_common[type];
	if (version == OF_VERSION_10 && type <= OFPT10_MAX)
		return types10[type - 15];
	if (version == OF_VERSION_13 && type <= OFPT13_MAX)
		return types13[type - 15];
	return "UNKNOWN";
}

const char *of_version_name(uint8_t version)
{
	switch (version) {
	case 1: return "1.0";
	case 2: return "1.1";
	case 3: return "1.2";
	case 4: return "1.3";
	case 5: return "1.4";
	case 6: return "1.5";
	}
	return "?";
}

static const char *error_type_name(uint8_t version, uint16_t type)
{
	static const char *const t10[] = { "HELLO_FAILED", "BAD_REQUEST", "BAD_ACTION",
					   "FLOW_MOD_FAILED", "PORT_MOD_FAILED",
					   "QUEUE_OP_FAILED" };
	static const char *const t13[] = {
		"HELLO_FAILED", "BAD_REQUEST", "BAD_ACTION", "BAD_INSTRUCTION", "BAD_MATCH",
		"FLOW_MOD_FAILED", "GROUP_MOD_FAILED", "PORT_MOD_FAILED", "TABLE_MOD_FAILED",
		"QUEUE_OP_FAILED", "SWITCH_CONFIG_FAILED", "ROLE_REQUEST_FAILED",
		"METER_MOD_FAILED", "TABLE_FEATURES_FAILED",
	};

	if (version == OF_VERSION_10)
		return type < 6 ? t10[type] : "?";
	if (type == 0xffff)
		return "EXPERIMENTER";
	return type < 14 ? t13[type] : "?";
}

const char *of_error_name(uint8_t version, uint16_t type, uint16_t code, char *buf, size_t len)
{
	snprintf(buf, len, "type %u (%s) code %u", type, error_type_name(version, type), code);
	return buf;
}

const char *of_err_str(enum of_err e)
{
	static const char *const s[OF_E__COUNT] = {
		[OF_OK] = "ok",
		[OF_E_HELLO_INCOMPATIBLE] = "no common OpenFlow version",
		[OF_E_BAD_VERSION] = "wrong OpenFlow version",
		[OF_E_BAD_TYPE] = "unknown message type",
		[OF_E_BAD_STAT] = "unknown stats/multipart type",
		[OF_E_BAD_EXPERIMENTER] = "experimenter/vendor extension not supported",
		[OF_E_BAD_LEN] = "length does not match the message",
		[OF_E_EPERM] = "not permitted",
		[OF_E_BUFFER_UNKNOWN] = "unknown buffer",
		[OF_E_MULTIPART_OVERFLOW] = "multipart reply too large",
		[OF_E_ACTION_BAD_TYPE] = "unknown action",
		[OF_E_ACTION_BAD_LEN] = "bad action length",
		[OF_E_ACTION_BAD_OUT_PORT] = "bad output port",
		[OF_E_ACTION_BAD_ARGUMENT] = "bad action argument",
		[OF_E_ACTION_TOO_MANY] = "too many actions",
		[OF_E_ACTION_MATCH_INCONSISTENT] = "set-field inconsistent with the match",
		[OF_E_ACTION_BAD_SET_TYPE] = "unsupported set-field",
		[OF_E_INST_UNKNOWN] = "unknown instruction",
		[OF_E_INST_UNSUPPORTED] = "unsupported instruction",
		[OF_E_INST_BAD_LEN] = "bad instruction length",
		[OF_E_MATCH_BAD_TYPE] = "match is not of type OXM",
		[OF_E_MATCH_BAD_LEN] = "bad match length",
		[OF_E_MATCH_BAD_FIELD] = "unsupported match field",
		[OF_E_MATCH_BAD_VALUE] = "bad match value",
		[OF_E_MATCH_BAD_MASK] = "mask on a field that takes none",
		[OF_E_MATCH_BAD_PREREQ] = "match field without its prerequisite",
		[OF_E_MATCH_DUP_FIELD] = "match field repeated",
		[OF_E_MATCH_BAD_WILDCARDS] = "bad wildcards",
		[OF_E_FLOW_MOD_BAD_COMMAND] = "bad flow-mod command",
		[OF_E_FLOW_MOD_BAD_TABLE] = "bad table id",
		[OF_E_CONFIG_BAD_LEN] = "bad switch config",
	};

	return (unsigned)e < OF_E__COUNT && s[e] ? s[e] : "unknown error";
}

const char *of_port_name(uint32_t port, char *buf, size_t len)
{
	static const char *const names[] = { "IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL",
					     "CONTROLLER", "LOCAL", "ANY" };

	if (port >= OF_PORT_IN_PORT)
		snprintf(buf, len, "%s", names[port - OF_PORT_IN_PORT]);
	else
		snprintf(buf, len, "%u", port);
	return buf;
}

/* append to a bounded buffer, comma-separated */
struct out {
	char *buf;
	size_t len, used;
};

__attribute__((format(printf, 2, 3))) static void add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->used >= o->len)
		return;
	if (o->used && o->used + 1 < o->len)
		o->buf[o->used++] = ',';
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n < o->len - o->used ? (size_t)n : o->len - o->used - 1;
}

static void mac(char *s, const uint8_t *m)
{
	nfp_mac_str(m, s);
}

static void ip(char *s, uint32_t a, uint32_t mask)
{
	int n = __builtin_popcount(mask);

	sprintf(s, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	if (mask != ~0u)
		sprintf(s + strlen(s), "/%d", n);
}

/* "2001:db8::/32" (a prefix), "2001:db8::1/ffff::ffff" (any other mask) */
static void ipv6(char *s, size_t len, const uint8_t *a, const uint8_t *mask)
{
	int bits = 0, i = 0;
	bool prefix = true;

	inet_ntop(AF_INET6, a, s, (socklen_t)len);
	for (; i < 16 && mask[i] == 0xff; i++)
		bits += 8;
	if (i < 16) {
		bits += __builtin_popcount(mask[i]);
		prefix = (uint8_t)(mask[i] << __builtin_popcount(mask[i])) == 0;
		for (int k = i + 1; k < 16; k++)
			prefix = prefix && mask[k] == 0;
	}
	if (bits == 128)
		return;
	if (prefix) {
		snprintf(s + strlen(s), len - strlen(s), "/%d", bits);
	} else {
		size_t used = strlen(s);

		if (used + 2 < len) {
			s[used++] = '/';
			inet_ntop(AF_INET6, mask, s + used, (socklen_t)(len - used));
		}
	}
}

const char *of_match_format(const struct of_match *m, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	bool arp = (m->fields & OF_F_ETH_TYPE) && m->eth_type == 0x0806;
	char s[48], s2[24], s6[96];

	buf[0] = '\0';
	if (m->fields & OF_F_IN_PORT)
		add(&o, "in_port=%s", of_port_name(m->in_port, s, sizeof(s)));
	if (m->fields & OF_F_ETH_SRC) {
		mac(s, m->eth_src);
		add(&o, "dl_src=%s", s);
	}
	if (m->fields & OF_F_ETH_DST) {
		mac(s, m->eth_dst);
		add(&o, "dl_dst=%s", s);
	}
	if (m->fields & OF_F_VLAN_VID) {
		if (m->vlan_vid == OF_VLAN_NONE)
			add(&o, "dl_vlan=none");
		else
			add(&o, "dl_vlan=%u", m->vlan_vid);
	}
	if (m->fields & OF_F_VLAN_PCP)
		add(&o, "dl_vlan_pcp=%u", m->vlan_pcp);
	if (m->fields & OF_F_ETH_TYPE)
		add(&o, "dl_type=0x%04x", m->eth_type);
	if (m->fields & OF_F_IP_DSCP)
		add(&o, "nw_tos=%u", m->ip_dscp << 2);
	if (m->fields & OF_F_IP_PROTO)
		add(&o, arp ? "arp_op=%u" : "nw_proto=%u", m->ip_proto);
	if (m->fields & OF_F_IPV4_SRC) {
		ip(s, m->ipv4_src, m->ipv4_src_mask);
		add(&o, arp ? "arp_spa=%s" : "nw_src=%s", s);
	}
	if (m->fields & OF_F_IPV4_DST) {
		ip(s, m->ipv4_dst, m->ipv4_dst_mask);
		add(&o, arp ? "arp_tpa=%s" : "nw_dst=%s", s);
	}
	if (m->fields & OF_F_IPV6_SRC) {
		ipv6(s6, sizeof(s6), m->ipv6_src, m->ipv6_src_mask);
		add(&o, "ipv6_src=%s", s6);
	}
	if (m->fields & OF_F_IPV6_DST) {
		ipv6(s6, sizeof(s6), m->ipv6_dst, m->ipv6_dst_mask);
		add(&o, "ipv6_dst=%s", s6);
	}
	if (m->fields & OF_F_TP_SRC)
		add(&o, "tp_src=%u", m->tp_src);
	if (m->fields & OF_F_TP_DST)
		add(&o, "tp_dst=%u", m->tp_dst);
	if (m->fields & OF_F_OTHER)
		add(&o, "+other");
	if (!o.used)
		snprintf(buf, len, "any");
	(void)s2;
	return buf;
}

const char *of_actions_format(const struct of_action_list *l, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };
	char s[48];

	buf[0] = '\0';
	for (uint16_t i = 0; i < l->n; i++) {
		const struct of_action *a = &l->a[i];

		switch (a->type) {
		case OF_ACT_OUTPUT:
			add(&o, "output:%s", of_port_name(a->value, s, sizeof(s)));
			break;
		case OF_ACT_SET_VLAN_VID: add(&o, "set_vlan_vid:%u", a->value); break;
		case OF_ACT_SET_VLAN_PCP: add(&o, "set_vlan_pcp:%u", a->value); break;
		case OF_ACT_POP_VLAN: add(&o, "pop_vlan"); break;
		case OF_ACT_PUSH_VLAN: add(&o, "push_vlan:0x%04x", a->value ? a->value : 0x8100); break;
		case OF_ACT_SET_ETH_SRC: mac(s, a->mac); add(&o, "mod_dl_src:%s", s); break;
		case OF_ACT_SET_ETH_DST: mac(s, a->mac); add(&o, "mod_dl_dst:%s", s); break;
		case OF_ACT_SET_IPV4_SRC: ip(s, a->value, ~0u); add(&o, "mod_nw_src:%s", s); break;
		case OF_ACT_SET_IPV4_DST: ip(s, a->value, ~0u); add(&o, "mod_nw_dst:%s", s); break;
		case OF_ACT_SET_IP_DSCP: add(&o, "mod_nw_tos:%u", a->value << 2); break;
		case OF_ACT_SET_TP_SRC: add(&o, "mod_tp_src:%u", a->value); break;
		case OF_ACT_SET_TP_DST: add(&o, "mod_tp_dst:%u", a->value); break;
		}
	}
	if (!o.used)
		snprintf(buf, len, "drop");
	return buf;
}
