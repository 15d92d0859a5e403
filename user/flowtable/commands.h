/* commands.h - the flowtable as a subsystem of nfpd: its state is the
 * flowtable (tables, sweeper, mirror stream), the context of its commands. */
#ifndef NFP_FT_COMMANDS_H
#define NFP_FT_COMMANDS_H

#include "core/subsystem.h"

extern const struct nfp_subsystem nfp_flowtable_subsystem;

#endif
