/* tuple.h - the flowtable's 5-tuple as people write it, parsed and
 * printed in one place for nfpd (API validation) and nfpctl (libnfpcommon.a).
 *
 *   endpoint:  10.0.0.1:1234   [2001:db8::1]:80   10.0.0.1 (no port: 0)
 *   protocol:  tcp udp icmp icmpv6, or a number 0..255
 *   ICMP:      the source "port" is the echo identifier, the destination
 *              "port" is TYPE/CODE or (type << 8 | code): 10.0.0.2:8/0
 */
#ifndef NFP_FT_TUPLE_H
#define NFP_FT_TUPLE_H

#include "nfplane/flowtable.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nfp_ft_tuple {
	bool v6;
	uint32_t saddr[4];  /* network byte order; IPv4 in [0] */
	uint32_t daddr[4];
	uint16_t sport, dport;
	uint8_t proto;
};

/* Fill @t. Returns 0 or -EINVAL with @err saying which part is wrong. */
int nfp_ft_tuple_parse(const char *src, const char *dst, const char *proto,
		       struct nfp_ft_tuple *t, char *err, size_t err_len);
/* The normalised table key of @t: returns the direction of src -> dst. */
uint32_t nfp_ft_tuple_key(const struct nfp_ft_tuple *t, void *key);
/* Back from a key (lo as source). */
void nfp_ft_tuple_from_key(struct nfp_ft_tuple *t, bool v6, const void *key);
/* "10.0.0.1:1234" / "[2001:db8::1]:80" into @buf. */
const char *nfp_ft_endpoint_str(bool v6, const uint32_t *addr, uint16_t port, char *buf,
				size_t len);
const char *nfp_ft_proto_name(uint8_t proto, char *buf, size_t len);

/* Parse up to 16 bytes of hex (an even number of digits) into @out; returns
 * the byte count or -EINVAL / -E2BIG. */
int nfp_ft_info_parse(const char *hex, uint8_t out[16]);

#endif
