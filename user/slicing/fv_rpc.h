/* fv_rpc.h - FlowVisor 1.x's JSON-RPC 2.0 API (the methods and params of
 * fvctl), answered over fv_http.h by translating each call into nfpd's own
 * API commands (commands.c), so fvctl and nfpctl change the same
 * configuration through the same checks, all or nothing.
 *
 * Where FlowVisor's server was wrong we are not: several rules in one
 * add-flowspace/update-flowspace are all applied (FlowVisor keeps only the
 * last update), MAC addresses are taken as the numbers fvctl sends as well
 * as strings, and a rule is in force when the call returns (FlowVisor
 * inserts it later, from a polling thread). docs/slicing.md lists the
 * methods and what differs.
 */
#ifndef NFP_SLICING_FV_RPC_H
#define NFP_SLICING_FV_RPC_H

#include <stddef.h>

struct nfp_api_dispatcher;
struct fs_subsys;

struct fv_rpc {
	struct nfp_api_dispatcher *api; /* nfpd's commands */
	struct fs_subsys *slicing;      /* read directly for the list-* methods */
	unsigned long fs_requests;      /* add-flowspace's request ids so far */
};

/* The JSON-RPC reply (malloc'd text) to one request body. Never NULL. */
char *fv_rpc_handle(void *rpc, const char *body, size_t len);

#endif
