/* subsystems.h - the list of nfpd's subsystems, started in order after the
 * dataplane is open and stopped in reverse. A new subsystem adds one line to
 * subsystems.c; main.c and options.c do not change.
 */
#ifndef NFPD_SUBSYSTEMS_H
#define NFPD_SUBSYSTEMS_H

#include "core/subsystem.h"

/* NULL-ended, in start order. */
extern const struct nfp_subsystem *const nfp_subsystems[];

#endif
