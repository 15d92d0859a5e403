/* subsystems.c - see subsystems.h. */
#include "nfpd/subsystems.h"
#include "dataplane/commands.h"
#include "flowtable/commands.h"
#include "trace/commands.h"
#include "openflow/of_subsys.h"

static int dataplane_init(struct nfp_daemon *d, const struct nfpd_options *o)
{
	(void)o;
	return nfp_api_register(d->api, nfp_dp_commands());
}

static int events_init(struct nfp_daemon *d, const struct nfpd_options *o)
{
	(void)o;
	return nfp_api_register(d->api, nfp_events_commands());
}

static int flowtable_init(struct nfp_daemon *d, const struct nfpd_options *o)
{
	(void)o;
	return nfp_ft_subsystem_init(d);
}

const struct nfp_subsystem nfp_subsystems[] = {
	{ "dataplane", dataplane_init, NULL },
	{ "events", events_init, NULL },
	{ "flowtable", flowtable_init, nfp_ft_subsystem_fini },
	{ "trace", nfp_trace_subsystem_init, nfp_trace_subsystem_fini },
	{ "openflow", of_subsys_init, of_subsys_fini },
	{ NULL, NULL, NULL },
};
