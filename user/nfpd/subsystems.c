/* subsystems.c - see subsystems.h: the one table of nfpd's subsystems. */
#include "nfpd/subsystems.h"
#include "dataplane/commands.h"
#include "flowtable/commands.h"
#include "openflow/of_subsys.h"
#include "trace/commands.h"

#include <string.h>

const struct nfp_subsystem *const nfp_subsystems[] = {
	&nfp_dataplane_subsystem,
	&nfp_flowtable_subsystem,
	/* before traces: they tap the controller's messages */
	&of_subsystem,
	&nfp_trace_subsystem,
	NULL,
};

void *nfp_daemon_state(const struct nfp_daemon *d, const char *name)
{
	for (int i = 0; nfp_subsystems[i] && i < NFP_MAX_SUBSYSTEMS; i++)
		if (strcmp(nfp_subsystems[i]->name, name) == 0)
			return d->states[i];
	return NULL;
}
