/* rest.h - Floodlight's packet-trace REST endpoint on nfpd's loop:
 * POST /wm/core/packettrace/json with {mac, direction, period} creates a
 * session and answers {"sessionId": ID}; {sessionId, period > 0} extends it,
 * {sessionId, period <= 0} ends it. Bad input gets HTTP 400 and
 * {"error": "message naming the field"}. Served by libmicrohttpd driven from
 * the loop (its epoll fd is one of ours), so no thread and no lock.
 */
#ifndef NFP_TRACE_REST_H
#define NFP_TRACE_REST_H

#include "common/loop.h"

struct nfp_trace;
struct nfp_trace_rest;

#define NFP_TRACE_REST_PATH "/wm/core/packettrace/json"

/* @endpoint: "[ADDR:]PORT" (ADDR defaults to 127.0.0.1). */
int nfp_trace_rest_start(struct nfp_trace_rest **out, struct nfp_loop *loop, struct nfp_trace *t,
			 const char *endpoint);
void nfp_trace_rest_stop(struct nfp_trace_rest *rest);

#endif
