/* commands.h - the trace subsystem's API command table and its start/stop
 * hooks for nfpd's subsystem list. */
#ifndef NFP_TRACE_COMMANDS_H
#define NFP_TRACE_COMMANDS_H

#include "api/api.h"

struct nfp_daemon;
struct nfpd_options;

const struct nfp_api_command *nfp_trace_commands(void);
int nfp_trace_subsystem_init(struct nfp_daemon *d, const struct nfpd_options *o);
void nfp_trace_subsystem_fini(struct nfp_daemon *d);

#endif
