/* endpoint.c - see endpoint.h. */
#include "trace/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nfp_trace_parse_endpoint(const char *spec, struct sockaddr_in *out, char *err, size_t err_len)
{
	const char *colon = strrchr(spec, ':');
	const char *port_s = colon ? colon + 1 : spec;
	char addr[INET_ADDRSTRLEN];
	char *end;
	long port;

	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	port = strtol(port_s, &end, 10);
	if (!*port_s || *end || port < 1 || port > 65535) {
		snprintf(err, err_len, "'%s': the port must be 1..65535", spec);
		return -EINVAL;
	}
	out->sin_port = htons((uint16_t)port);
	if (colon) {
		size_t n = (size_t)(colon - spec);

		if (n == 0 || n >= sizeof(addr)) {
			snprintf(err, err_len, "'%s': expected [IPv4-ADDR:]PORT", spec);
			return -EINVAL;
		}
		memcpy(addr, spec, n);
		addr[n] = '\0';
		if (inet_pton(AF_INET, addr, &out->sin_addr) != 1) {
			snprintf(err, err_len, "'%s': '%s' is not an IPv4 address", spec, addr);
			return -EINVAL;
		}
	}
	return 0;
}
