/* filter.h - a trace session's filter as a request gives it (JSON: mac,
 * direction, ip, proto, port, iface, snaplen) turned into the compiled
 * struct nfp_trace_filter the taps match, with an error naming the argument
 * that is wrong. Used by the API commands and the Floodlight REST endpoint.
 */
#ifndef NFP_TRACE_FILTER_H
#define NFP_TRACE_FILTER_H

#include "api/api.h"
#include "nfplane/trace.h"

#include <stdbool.h>
#include <stdint.h>

/* The argument names nfp_trace_filter_parse reads. */
#define NFP_TRACE_FILTER_ARGS "mac", "direction", "ip", "proto", "port", "iface", "snaplen"

/* Fill @f (session_bit left 0) from @args. Returns 0 or -errno with @err
 * set. At least one of mac, ip, proto, port, iface must be given. */
int nfp_trace_filter_parse(json_t *args, struct nfp_trace_filter *f, struct nfp_api_error *err);
/* The filter as JSON, for listings. */
json_t *nfp_trace_filter_json(const struct nfp_trace_filter *f);
const char *nfp_trace_dir_name(int dir);

#endif
