/* commands.h - the dataplane's API commands (attach, detach, status,
 * stats) as a subsystem of nfpd; their context is the daemon. */
#ifndef NFP_DP_COMMANDS_H
#define NFP_DP_COMMANDS_H

#include "core/subsystem.h"

extern const struct nfp_subsystem nfp_dataplane_subsystem;

#endif
