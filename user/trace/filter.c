/* filter.c - see filter.h. */
#include "trace/filter.h"
#include "common/hex.h"
#include "api/args.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nfp_trace_dir_name(int dir)
{
	return dir == NFP_TRACE_DIR_IN ? "in" : dir == NFP_TRACE_DIR_OUT ? "out" : "both";
}

/* "ADDR" or "ADDR/LEN", IPv4 or IPv6. The address is masked to the prefix. */
static int parse_cidr(const char *s, struct nfp_trace_filter *f, struct nfp_api_error *err)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	long plen;
	int max;

	if (alen >= sizeof(addr))
		return nfp_api_fail(err, EINVAL, "argument 'ip' is not an address or prefix: '%s'", s);
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, f->addr) == 1) {
		f->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, f->addr) == 1) {
		f->family = 6;
		max = 128;
	} else {
		return nfp_api_fail(err, EINVAL, "argument 'ip' is not an address or prefix: '%s'", s);
	}
	plen = max;
	if (slash) {
		char *end;

		plen = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || plen < 0 || plen > max)
			return nfp_api_fail(err, EINVAL,
					    "argument 'ip' has a bad prefix length in '%s' (0..%d)", s,
					    max);
	}
	for (int i = 0; i < 4; i++) {
		long bits = plen - 32 * i;
		uint32_t m = bits >= 32 ? 0xffffffffu : bits <= 0 ? 0 : ~0u << (32 - bits);

		f->mask[i] = htonl(m);
		f->addr[i] &= f->mask[i];
	}
	return 0;
}

static int parse_proto(json_t *v, struct nfp_trace_filter *f, struct nfp_api_error *err)
{
	static const struct {
		const char *name;
		uint8_t num;
	} names[] = { { "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 }, { "sctp", 132 } };

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 || json_integer_value(v) > 255)
			return nfp_api_fail(err, ERANGE, "argument 'proto' is %lld, outside 0..255",
					    (long long)json_integer_value(v));
		f->proto = (uint8_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strcasecmp(json_string_value(v), names[i].name) == 0) {
				f->proto = names[i].num;
				return 0;
			}
		}
	}
	return nfp_api_fail(err, EINVAL,
			    "argument 'proto' must be tcp, udp, icmp, icmpv6, sctp or a number");
}

int nfp_trace_filter_parse(json_t *args, struct nfp_trace_filter *f, struct nfp_api_error *err)
{
	static const char *const dirs[] = { "in", "out", "both", NULL };
	const char *mac = NULL, *ip = NULL, *iface = NULL;
	int64_t port = 0, snaplen = NFP_TRACE_SNAPLEN_MAX;
	int dir = 2, r;
	json_t *proto;

	memset(f, 0, sizeof(*f));
	if ((r = nfp_args_string(args, "mac", false, 17, &mac, err)) < 0 ||
	    (r = nfp_args_enum(args, "direction", false, dirs, &dir, err)) < 0 ||
	    (r = nfp_args_string(args, "ip", false, 60, &ip, err)) < 0 ||
	    (r = nfp_args_int(args, "port", false, 1, 65535, &port, err)) < 0 ||
	    (r = nfp_args_string(args, "iface", false, IF_NAMESIZE - 1, &iface, err)) < 0 ||
	    (r = nfp_args_int(args, "snaplen", false, 1, NFP_TRACE_SNAPLEN_MAX, &snaplen, err)) < 0)
		return r;
	f->dir = dir == 0 ? NFP_TRACE_DIR_IN : dir == 1 ? NFP_TRACE_DIR_OUT : NFP_TRACE_DIR_BOTH;
	f->snaplen = (uint16_t)snaplen;
	if (mac) {
		if (!nfp_mac_parse(mac, f->mac))
			return nfp_api_fail(err, EINVAL,
					    "argument 'mac' must look like aa:bb:cc:dd:ee:ff, not '%s'",
					    mac);
		f->fields |= NFP_TF_MAC;
	}
	if (ip) {
		if ((r = parse_cidr(ip, f, err)) < 0)
			return r;
		f->fields |= NFP_TF_IP;
	}
	proto = json_object_get(args, "proto");
	if (proto && !json_is_null(proto)) {
		if ((r = parse_proto(proto, f, err)) < 0)
			return r;
		f->fields |= NFP_TF_PROTO;
	}
	if (port) {
		f->port = (uint16_t)port;
		f->fields |= NFP_TF_PORT;
	}
	if (iface) {
		f->ifindex = if_nametoindex(iface);
		if (!f->ifindex)
			return nfp_api_fail(err, ENODEV, "argument 'iface': no interface named '%s'",
					    iface);
		f->fields |= NFP_TF_IFINDEX;
	}
	if (!f->fields)
		return nfp_api_fail(err, EINVAL,
				    "a trace needs at least one of 'mac', 'ip', 'proto', 'port', 'iface'");
	return 0;
}

json_t *nfp_trace_filter_json(const struct nfp_trace_filter *f)
{
	json_t *o = json_pack("{s:s, s:i}", "direction", nfp_trace_dir_name(f->dir), "snaplen",
			      f->snaplen);
	char buf[INET6_ADDRSTRLEN + 8];

	if (f->fields & NFP_TF_MAC) {
		json_object_set_new(o, "mac", json_string(nfp_mac_str(f->mac, buf)));
	}
	if (f->fields & NFP_TF_IP) {
		int plen = 0;

		for (int i = 0; i < 4; i++)
			plen += __builtin_popcount(f->mask[i]);
		inet_ntop(f->family == 4 ? AF_INET : AF_INET6, f->addr, buf, sizeof(buf));
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%d", plen);
		json_object_set_new(o, "ip", json_string(buf));
	}
	if (f->fields & NFP_TF_PROTO)
		json_object_set_new(o, "proto", json_integer(f->proto));
	if (f->fields & NFP_TF_PORT)
		json_object_set_new(o, "port", json_integer(f->port));
	if (f->fields & NFP_TF_IFINDEX) {
		char name[IF_NAMESIZE];

		json_object_set_new(o, "iface", json_string(if_indextoname(f->ifindex, name) ?
								   name : "?"));
		json_object_set_new(o, "ifindex", json_integer(f->ifindex));
	}
	return o;
}
