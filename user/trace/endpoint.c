/* endpoint.c - see endpoint.h. */
#include "trace/endpoint.h"
#include "common/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nfp_trace_parse_endpoint(const char *spec, struct sockaddr_in *out, char *err, size_t err_len)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int r = nfp_parse_sockaddr(spec, "127.0.0.1", &ss, &len, err, err_len);

	if (r)
		return r;
	if (ss.ss_family != AF_INET) {
		snprintf(err, err_len, "'%s': the trace endpoints listen on IPv4 addresses only", spec);
		return -EINVAL;
	}
	memcpy(out, &ss, sizeof(*out));
	return 0;
}
