/* subsystems.h - the list of nfpd's subsystems, started in order after the
 * dataplane is open and stopped in reverse. A new subsystem adds one line to
 * subsystems.c; main.c does not change.
 */
#ifndef NFPD_SUBSYSTEMS_H
#define NFPD_SUBSYSTEMS_H

#include "nfpd/daemon.h"
#include "nfpd/options.h"

struct nfp_subsystem {
	const char *name;
	/* Register API commands, open listeners, add timers. A negative errno
	 * stops nfpd from starting (after logging why). */
	int (*init)(struct nfp_daemon *d, const struct nfpd_options *o);
	void (*fini)(struct nfp_daemon *d);
};

extern const struct nfp_subsystem nfp_subsystems[];

#endif
