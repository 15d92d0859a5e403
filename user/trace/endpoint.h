/* endpoint.h - "[ADDR:]PORT" for the trace subsystem's TCP listeners (the
 * Floodlight REST and Thrift endpoints). The address defaults to 127.0.0.1:
 * nothing listens beyond the host unless the operator says so. */
#ifndef NFP_TRACE_ENDPOINT_H
#define NFP_TRACE_ENDPOINT_H

#include <netinet/in.h>
#include <stddef.h>

/* Returns 0, or -EINVAL with a message in @err. */
int nfp_trace_parse_endpoint(const char *spec, struct sockaddr_in *out, char *err, size_t err_len);

#endif
