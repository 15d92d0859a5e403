/* commands.h - the dataplane's API command table (attach, detach, status,
 * stats); handlers expect a struct nfp_daemon as the request's app. */
#ifndef NFP_DP_COMMANDS_H
#define NFP_DP_COMMANDS_H

#include "api/api.h"

const struct nfp_api_command *nfp_dp_commands(void);

#endif
