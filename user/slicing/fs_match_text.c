/* fs_match_text.c - FlowVisor's match strings (see fs_match.h): parsing,
 * with its field names and aliases, and formatting.
 *
 * Each field is parsed into a scratch match; @m is written only when the
 * whole string is good, so a bad string changes nothing.
 */
#include "slicing/fs_match.h"
#include "common/hex.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum field_kind { K_PORT, K_MAC, K_U16, K_VLAN, K_PCP, K_U8, K_TOS, K_IPV4 };

struct field {
	const char *name;
	const char *alias[2];
	uint32_t bit;
	enum field_kind kind;
};

/* In FlowVisor's order; format writes them so. */
static const struct field fields[] = {
	{ "in_port", { "input_port" }, OF_F_IN_PORT, K_PORT },
	{ "dl_vlan", { "vlan_vid" }, OF_F_VLAN_VID, K_VLAN },
	{ "dl_vlan_pcp", { "dl_vpcp", "vlan_pcp" }, OF_F_VLAN_PCP, K_PCP },
	{ "dl_src", { "eth_src" }, OF_F_ETH_SRC, K_MAC },
	{ "dl_dst", { "eth_dst" }, OF_F_ETH_DST, K_MAC },
	{ "dl_type", { "eth_type" }, OF_F_ETH_TYPE, K_U16 },
	{ "nw_src", { "ip_src" }, OF_F_IPV4_SRC, K_IPV4 },
	{ "nw_dst", { "ip_dst" }, OF_F_IPV4_DST, K_IPV4 },
	{ "nw_proto", { "ip_proto" }, OF_F_IP_PROTO, K_U8 },
	{ "nw_tos", { "ip_tos" }, OF_F_IP_DSCP, K_TOS },
	{ "tp_src", { 0 }, OF_F_TP_SRC, K_U16 },
	{ "tp_dst", { 0 }, OF_F_TP_DST, K_U16 },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct field *field_named(const char *name, size_t len)
{
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct field *f = &fields[i];

		if (strlen(f->name) == len && !strncasecmp(f->name, name, len))
			return f;
		for (int a = 0; a < 2 && f->alias[a]; a++)
			if (strlen(f->alias[a]) == len && !strncasecmp(f->alias[a], name, len))
				return f;
	}
	return NULL;
}

/* A whole number in decimal or 0x hex, at most @max. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "a.b.c.d" or "a.b.c.d/len" into a host-order address and mask. */
static int parse_ipv4(const char *s, uint32_t *addr, uint32_t *mask)
{
	char buf[32], *slash;
	unsigned long len = 32;
	struct in_addr in;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (parse_uint(slash + 1, 32, &len) || !isdigit((unsigned char)slash[1]))
			return -EINVAL;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -EINVAL;
	*mask = len ? 0xffffffffu << (32 - len) : 0;
	*addr = ntohl(in.s_addr) & *mask;
	return 0;
}

/* One field's value into @m; a message for @err when it is not one. */
static int parse_value(const struct field *f, const char *v, struct of_match *m,
		       const char **what)
{
	unsigned long n;

	switch (f->kind) {
	case K_PORT:
		*what = "a port number (1-65279 in OpenFlow 1.0, up to 0xffffff00)";
		if (parse_uint(v, OF_PORT_MAX, &n))
			return -EINVAL;
		m->in_port = (uint32_t)n;
		return 0;
	case K_MAC:
		*what = "a MAC address (aa:bb:cc:dd:ee:ff)";
		if (!nfp_mac_parse(v, f->bit == OF_F_ETH_SRC ? m->eth_src : m->eth_dst))
			return -EINVAL;
		memset(f->bit == OF_F_ETH_SRC ? m->eth_src_mask : m->eth_dst_mask, 0xff, 6);
		return 0;
	case K_U16:
		*what = "a number 0-65535 (decimal or 0x hex)";
		if (parse_uint(v, 0xffff, &n))
			return -EINVAL;
		if (f->bit == OF_F_ETH_TYPE)
			m->eth_type = (uint16_t)n;
		else if (f->bit == OF_F_TP_SRC)
			m->tp_src = (uint16_t)n;
		else
			m->tp_dst = (uint16_t)n;
		return 0;
	case K_VLAN:
		*what = "a VLAN id 0-4095, or 0xffff for untagged";
		if (parse_uint(v, 0xffff, &n) || (n > 4095 && n != OF_VLAN_NONE))
			return -EINVAL;
		m->vlan_vid = (uint16_t)n;
		return 0;
	case K_PCP:
		*what = "a priority code point 0-7";
		if (parse_uint(v, 7, &n))
			return -EINVAL;
		m->vlan_pcp = (uint8_t)n;
		return 0;
	case K_U8:
		*what = "a number 0-255";
		if (parse_uint(v, 0xff, &n))
			return -EINVAL;
		m->ip_proto = (uint8_t)n;
		return 0;
	case K_TOS:
		/* OpenFlow 1.0's nw_tos is the DSCP in the upper six bits */
		*what = "a TOS byte 0-252 with the two ECN bits clear (DSCP << 2)";
		if (parse_uint(v, 0xff, &n) || (n & 3))
			return -EINVAL;
		m->ip_dscp = (uint8_t)(n >> 2);
		return 0;
	case K_IPV4:
		*what = "an IPv4 address, optionally with a /0-32 prefix";
		if (f->bit == OF_F_IPV4_SRC ? parse_ipv4(v, &m->ipv4_src, &m->ipv4_src_mask)
					    : parse_ipv4(v, &m->ipv4_dst, &m->ipv4_dst_mask))
			return -EINVAL;
		/* a /0 prefix takes every address: the same as not naming it */
		if (!(f->bit == OF_F_IPV4_SRC ? m->ipv4_src_mask : m->ipv4_dst_mask))
			return 1;
		return 0;
	}
	return -EINVAL;
}

static bool is_whole_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s || !strcasecmp(s, "any") || !strcasecmp(s, "all") || !strcmp(s, "*");
}

int fs_match_parse(const char *s, struct of_match *out, char *err, size_t err_len)
{
	struct of_match m = { 0 };
	const char *p = s;

	if (!s) {
		snprintf(err, err_len, "no match given");
		return -EINVAL;
	}
	if (is_whole_space(s)) {
		*out = m;
		return 0;
	}
	while (*p) {
		const char *end = strchr(p, ','), *eq, *what = "";
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char name[32], value[64];
		const struct field *f;
		size_t nlen;
		int rc;

		while (len && isspace((unsigned char)*p))
			p++, len--;
		eq = memchr(p, '=', len);
		if (!eq) {
			snprintf(err, err_len, "match: '%.*s' is not field=value", (int)len, p);
			return -EINVAL;
		}
		nlen = (size_t)(eq - p);
		while (nlen && isspace((unsigned char)p[nlen - 1]))
			nlen--;
		f = field_named(p, nlen);
		if (!f) {
			snprintf(err, err_len,
				 "match: unknown field '%.*s' (fields: in_port, dl_src, dl_dst, "
				 "dl_type, dl_vlan, dl_vlan_pcp, nw_src, nw_dst, nw_proto, nw_tos, "
				 "tp_src, tp_dst)",
				 (int)(nlen < 32 ? nlen : 32), p);
			return -EINVAL;
		}
		if (m.fields & f->bit) {
			snprintf(err, err_len, "match: field %s given twice", f->name);
			return -EINVAL;
		}
		snprintf(name, sizeof(name), "%s", f->name);
		{
			const char *v = eq + 1;
			size_t vlen = (size_t)(p + len - v);
			while (vlen && isspace((unsigned char)*v))
				v++, vlen--;
			while (vlen && isspace((unsigned char)v[vlen - 1]))
				vlen--;
			if (vlen >= sizeof(value)) {
				snprintf(err, err_len, "match: %s: value too long", name);
				return -EINVAL;
			}
			memcpy(value, v, vlen);
			value[vlen] = '\0';
		}
		rc = parse_value(f, value, &m, &what);
		if (rc < 0) {
			snprintf(err, err_len, "match: %s: '%s' is not %s", name, value, what);
			return -EINVAL;
		}
		if (rc == 0)
			m.fields |= f->bit;
		if (!end)
			break;
		p = end + 1;
		if (!*p) {
			snprintf(err, err_len, "match: nothing after the last ','");
			return -EINVAL;
		}
	}
	*out = m;
	return 0;
}

static int prefix_len(uint32_t mask)
{
	int n = 0;

	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

int fs_match_format(const struct of_match *m, char *buf, size_t len)
{
	size_t used = 0;
	int total = 0;

#define PUT(...)                                                                  \
	do {                                                                       \
		int n_ = snprintf(buf + (used < len ? used : len),                 \
				  used < len ? len - used : 0, __VA_ARGS__);       \
		if (n_ > 0) {                                                      \
			used += (size_t)n_;                                        \
			total += n_;                                               \
		}                                                                  \
	} while (0)
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct field *f = &fields[i];
		const char *sep = total ? "," : "";
		char mac[NFP_MAC_STRLEN];
		struct in_addr in;
		char ip[INET_ADDRSTRLEN];
		uint32_t addr, mask;

		if (!(m->fields & f->bit))
			continue;
		switch (f->kind) {
		case K_PORT: PUT("%s%s=%u", sep, f->name, m->in_port); break;
		case K_MAC:
			PUT("%s%s=%s", sep, f->name,
			    nfp_mac_str(f->bit == OF_F_ETH_SRC ? m->eth_src : m->eth_dst, mac));
			break;
		case K_U16:
			if (f->bit == OF_F_ETH_TYPE)
				PUT("%s%s=0x%04x", sep, f->name, m->eth_type);
			else
				PUT("%s%s=%u", sep, f->name,
				    f->bit == OF_F_TP_SRC ? m->tp_src : m->tp_dst);
			break;
		case K_VLAN:
			if (m->vlan_vid == OF_VLAN_NONE)
				PUT("%s%s=0xffff", sep, f->name);
			else
				PUT("%s%s=%u", sep, f->name, m->vlan_vid);
			break;
		case K_PCP: PUT("%s%s=%u", sep, f->name, m->vlan_pcp); break;
		case K_U8: PUT("%s%s=%u", sep, f->name, m->ip_proto); break;
		case K_TOS: PUT("%s%s=%u", sep, f->name, (unsigned)m->ip_dscp << 2); break;
		case K_IPV4:
			addr = f->bit == OF_F_IPV4_SRC ? m->ipv4_src : m->ipv4_dst;
			mask = f->bit == OF_F_IPV4_SRC ? m->ipv4_src_mask : m->ipv4_dst_mask;
			in.s_addr = htonl(addr);
			inet_ntop(AF_INET, &in, ip, sizeof(ip));
			if (mask == 0xffffffffu)
				PUT("%s%s=%s", sep, f->name, ip);
			else
				PUT("%s%s=%s/%d", sep, f->name, ip, prefix_len(mask));
			break;
		}
	}
	if (!total)
		PUT("any");
#undef PUT
	return total;
}
