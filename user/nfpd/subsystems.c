/* subsystems.c - see subsystems.h: the one list of nfpd's subsystems. Each
 * name is the struct nfp_subsystem its folder exports; adding a subsystem
 * is adding its name here, in start order. */
#include "nfpd/subsystems.h"

#include <string.h>

#define NFP_SUBSYSTEMS(X)                                                      \
	X(nfp_dataplane_subsystem)                                             \
	X(nfp_flowtable_subsystem)                                             \
	X(of_subsystem)        /* before traces: they tap the controller */    \
	X(nfp_trace_subsystem)                                                 \
	X(fs_subsystem)        /* slicing: after the controller it slices */   \
	X(lvnf_subsystem)      /* LVNFs: Click scripts on eBPF or Click */     \
	/* a new subsystem: one line above this one */

#define DECLARE(name) extern const struct nfp_subsystem name;
NFP_SUBSYSTEMS(DECLARE)
#undef DECLARE

#define ENTRY(name) &name,
const struct nfp_subsystem *const nfp_subsystems[] = { NFP_SUBSYSTEMS(ENTRY) NULL };
#undef ENTRY
_Static_assert(sizeof(nfp_subsystems) / sizeof(nfp_subsystems[0]) <= NFP_MAX_SUBSYSTEMS + 1,
	       "more subsystems than struct nfp_daemon has states for");

void *nfp_daemon_state(const struct nfp_daemon *d, const char *name)
{
	for (int i = 0; nfp_subsystems[i]; i++)
		if (strcmp(nfp_subsystems[i]->name, name) == 0)
			return d->states[i];
	return NULL;
}
