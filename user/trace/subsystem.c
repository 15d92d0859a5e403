/* subsystem.c - the trace subsystem's start and stop in nfpd: open the taps'
 * maps through the dataplane, create the session table with the limits
 * from the command line, register the API commands, and start the
 * Floodlight compatibility endpoints when asked to.
 */
#include "trace/commands.h"
#include "common/log.h"
#include "dataplane/dataplane.h"
#include "nfpd/daemon.h"
#include "nfpd/options.h"
#include "nfplane/trace.h"
#include "openflow/of_trace.h"
#include "trace/of_hook.h"
#include "trace/rest.h"
#include "trace/thrift_server.h"
#include "trace/trace.h"

#include <errno.h>
#include <string.h>

int nfp_trace_subsystem_init(struct nfp_daemon *d, const struct nfpd_options *o)
{
	struct nfp_trace_config cfg = NFP_TRACE_DEFAULT_CONFIG;
	struct nfp_trace_maps m = {
		.ctl_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_CTL),
		.filt_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_FILTERS),
		.ring_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_RING),
		.stats_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_STATS),
	};
	int r;

	if (m.ctl_fd < 0 || m.filt_fd < 0 || m.ring_fd < 0 || m.stats_fd < 0)
		return -ENOENT;
	if (o->trace_max_sessions)
		cfg.max_sessions = o->trace_max_sessions;
	if (o->trace_max_period)
		cfg.max_period_s = o->trace_max_period;
	if (o->trace_reader_queue_kb)
		cfg.reader_queue_bytes = (size_t)o->trace_reader_queue_kb * 1024;
	r = nfp_trace_new(&d->trace, d->loop, &m, &cfg);
	if (r)
		return r;
	r = nfp_api_register(d->api, nfp_trace_commands());
	if (r)
		return r;
	/* the controller's PACKET_IN/PACKET_OUT/FLOW_MOD join matching sessions */
	of_trace_hook_ctx = d->trace;
	of_trace_hook = nfp_trace_of_hook;
	if (o->trace_rest) {
		r = nfp_trace_rest_start(&d->trace_rest, d->loop, d->trace, o->trace_rest);
		if (r) {
			log_error("trace: cannot serve Floodlight's REST API on %s: %s", o->trace_rest,
				  strerror(-r));
			return r;
		}
	}
	if (o->trace_thrift) {
		r = nfp_trace_thrift_start(&d->trace_thrift, d->loop, d->trace, o->trace_thrift);
		if (r) {
			log_error("trace: cannot serve the PacketStreamer Thrift service on %s: %s",
				  o->trace_thrift, strerror(-r));
			return r;
		}
	}
	return 0;
}

void nfp_trace_subsystem_fini(struct nfp_daemon *d)
{
	of_trace_hook = NULL;
	of_trace_hook_ctx = NULL;
	/* the Thrift threads first: they wait on the loop, which is stopped */
	nfp_trace_thrift_stop(d->trace_thrift);
	d->trace_thrift = NULL;
	nfp_trace_rest_stop(d->trace_rest);
	d->trace_rest = NULL;
	nfp_trace_free(d->trace);
	d->trace = NULL;
}
