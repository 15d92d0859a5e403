/* tuple.c - see tuple.h. */
#include "flowtable/tuple.h"
#include "common/addr.h"
#include "common/hex.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	uint8_t num;
} protos[] = { { "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 } };

static int parse_num(const char *s, long max, long *out)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* @icmp_type: the port may be TYPE/CODE. */
static int parse_endpoint(const char *s, const char *what, bool *v6, uint32_t *addr,
			  uint16_t *port, bool icmp_type, char *err, size_t err_len)
{
	char host[64];
	const char *p;
	int r;

	if (!s || !*s) {
		snprintf(err, err_len, "%s is empty", what);
		return -EINVAL;
	}
	r = nfp_addr_split(s, host, sizeof(host), &p);
	if (r == -EINVAL) {
		snprintf(err, err_len, "%s '%s' is malformed: expected [IPV6]:PORT", what, s);
		return -EINVAL;
	}
	if (r || !host[0]) {
		snprintf(err, err_len, "%s '%s' has no valid address", what, s);
		return -EINVAL;
	}
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1) {
		*v6 = false;
	} else if (inet_pton(AF_INET6, host, addr) == 1) {
		*v6 = true;
	} else {
		snprintf(err, err_len, "%s address '%s' is not an IPv4 or IPv6 address", what, host);
		return -EINVAL;
	}
	*port = 0;
	if (p) {
		long v, c;
		const char *slash = icmp_type ? strchr(p, '/') : NULL;

		if (slash) {
			char t[8];
			size_t tl = (size_t)(slash - p);

			if (tl == 0 || tl >= sizeof(t)) {
				snprintf(err, err_len, "%s ICMP type '%s' is not TYPE/CODE", what, p);
				return -EINVAL;
			}
			memcpy(t, p, tl);
			t[tl] = '\0';
			if (parse_num(t, 255, &v) || parse_num(slash + 1, 255, &c)) {
				snprintf(err, err_len,
					 "%s ICMP type/code '%s' must be two numbers 0..255", what, p);
				return -EINVAL;
			}
			*port = (uint16_t)(v << 8 | c);
		} else if (parse_num(p, 65535, &v)) {
			snprintf(err, err_len, "%s port '%s' is not a number 0..65535", what, p);
			return -EINVAL;
		} else {
			*port = (uint16_t)v;
		}
	}
	return 0;
}

int nfp_ft_tuple_parse(const char *src, const char *dst, const char *proto,
		       struct nfp_ft_tuple *t, char *err, size_t err_len)
{
	bool v6s, v6d, icmp;
	long num = -1;
	int r;

	memset(t, 0, sizeof(*t));
	if (!proto || !*proto) {
		snprintf(err, err_len, "protocol is empty");
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcasecmp(proto, protos[i].name) == 0)
			num = protos[i].num;
	if (num < 0 && parse_num(proto, 255, &num)) {
		snprintf(err, err_len,
			 "unknown protocol '%s': expected tcp, udp, icmp, icmpv6 or 0..255", proto);
		return -EINVAL;
	}
	t->proto = (uint8_t)num;
	icmp = num == 1 || num == 58;
	if ((r = parse_endpoint(src, "source", &v6s, t->saddr, &t->sport, false, err, err_len)) ||
	    (r = parse_endpoint(dst, "destination", &v6d, t->daddr, &t->dport, icmp, err,
				err_len)))
		return r;
	if (v6s != v6d) {
		snprintf(err, err_len, "source and destination mix IPv4 and IPv6");
		return -EINVAL;
	}
	t->v6 = v6s;
	return 0;
}

uint32_t nfp_ft_tuple_key(const struct nfp_ft_tuple *t, void *key)
{
	if (t->v6)
		return nfp_ft_key6_make(key, t->saddr, t->daddr, t->sport, t->dport, t->proto);
	return nfp_ft_key4_make(key, t->saddr[0], t->daddr[0], t->sport, t->dport, t->proto);
}

void nfp_ft_tuple_from_key(struct nfp_ft_tuple *t, bool v6, const void *key)
{
	memset(t, 0, sizeof(*t));
	t->v6 = v6;
	if (v6) {
		const struct nfp_ft_key6 *k = key;

		memcpy(t->saddr, k->lo_addr, 16);
		memcpy(t->daddr, k->hi_addr, 16);
		t->sport = k->lo_port;
		t->dport = k->hi_port;
		t->proto = k->proto;
	} else {
		const struct nfp_ft_key4 *k = key;

		t->saddr[0] = k->lo_addr;
		t->daddr[0] = k->hi_addr;
		t->sport = k->lo_port;
		t->dport = k->hi_port;
		t->proto = k->proto;
	}
}

const char *nfp_ft_endpoint_str(bool v6, const uint32_t *addr, uint16_t port, char *buf,
				size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
	snprintf(buf, len, v6 ? "[%s]:%u" : "%s:%u", a, port);
	return buf;
}

const char *nfp_ft_proto_name(uint8_t proto, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == proto)
			return protos[i].name;
	snprintf(buf, len, "%u", proto);
	return buf;
}

int nfp_ft_info_parse(const char *hex, uint8_t out[16])
{
	memset(out, 0, 16);
	return nfp_hex_parse(hex, out, 16);
}
