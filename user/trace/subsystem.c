/* subsystem.c - the trace subsystem's start and stop in nfpd: open the taps'
 * maps through the dataplane, create the session table with the limits
 * from the command line, register the API commands, and start the
 * Floodlight compatibility endpoints when asked to.
 */
#include "trace/commands.h"
#include "common/log.h"
#include "dataplane/dataplane.h"
#include "core/subsystem.h"
#include "nfplane/trace.h"
#include "openflow/of_core.h"
#include "openflow/of_subsys.h"
#include "trace/of_hook.h"
#include "trace/rest.h"
#include "trace/thrift_server.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OFF(field) offsetof(struct nfp_trace_options, field)
static const struct nfp_opt trace_options[] = {
	{ .name = "trace-max-sessions", .kind = NFP_OPT_UINT, .offset = OFF(max_sessions),
	  .arg = "N", .help = "trace sessions at once (1..64, default 64)", .min = 1, .max = 64 },
	{ .name = "trace-max-period", .kind = NFP_OPT_UINT, .offset = OFF(max_period), .arg = "S",
	  .help = "longest trace period in seconds (default 86400)", .min = 1, .max = 31536000,
	  .unit = "seconds" },
	{ .name = "trace-reader-queue", .kind = NFP_OPT_UINT, .offset = OFF(reader_queue_kb),
	  .arg = "KB", .help = "bytes queued per trace reader before it loses\nrecords (default 2048)",
	  .min = 16, .max = 4096, .unit = "KB" },
	{ .name = "trace-rest", .kind = NFP_OPT_STRING, .offset = OFF(rest), .arg = "[ADDR:]PORT",
	  .help = "serve Floodlight's POST /wm/core/packettrace/json\n"
		  "(ADDR defaults to 127.0.0.1; Floodlight used 8080)", .max = 80 },
	{ .name = "trace-thrift", .kind = NFP_OPT_STRING, .offset = OFF(thrift),
	  .arg = "[ADDR:]PORT", .help = "serve the PacketStreamer Thrift service\n"
				       "(ADDR defaults to 127.0.0.1; Floodlight used 9090)",
	  .max = 80 },
	{ 0 },
};
#undef OFF

static struct nfp_trace_options trace_opts;
static const struct nfp_trace_options trace_opts_defaults; /* all: the subsystem's own */

static void trace_fini(void *state)
{
	struct nfp_trace_service *svc = state;

	if (svc->of_core)
		of_core_remove_tap(svc->of_core, nfp_trace_of_tap, svc->trace);
	/* the Thrift threads first: they wait on the loop, which is stopped */
	nfp_trace_thrift_stop(svc->thrift);
	nfp_trace_rest_stop(svc->rest);
	nfp_trace_free(svc->trace);
	free(svc);
}

static int trace_init(struct nfp_daemon *d, const void *opts, void **state)
{
	const struct nfp_trace_options *o = opts;
	struct nfp_trace_config cfg = NFP_TRACE_DEFAULT_CONFIG;
	struct nfp_trace_maps m = {
		.ctl_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_CTL),
		.filt_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_FILTERS),
		.ring_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_RING),
		.stats_fd = nfp_dp_map_fd(d->dp, NFP_MAP_TRACE_STATS),
	};
	struct nfp_trace_service *svc;
	int r;

	if (m.ctl_fd < 0 || m.filt_fd < 0 || m.ring_fd < 0 || m.stats_fd < 0)
		return -ENOENT;
	if (o->max_sessions)
		cfg.max_sessions = o->max_sessions;
	if (o->max_period)
		cfg.max_period_s = o->max_period;
	if (o->reader_queue_kb)
		cfg.reader_queue_bytes = (size_t)o->reader_queue_kb * 1024;
	svc = calloc(1, sizeof(*svc));
	if (!svc)
		return -ENOMEM;
	r = nfp_trace_new(&svc->trace, d->loop, &m, &cfg);
	if (r) {
		free(svc);
		return r;
	}
	/* the controller's PACKET_IN/PACKET_OUT/FLOW_MOD join matching sessions */
	{
		struct of_subsys *of = nfp_daemon_state(d, "openflow");

		if (of && of_core_add_tap(of->core, nfp_trace_of_tap, svc->trace) == 0)
			svc->of_core = of->core;
	}
	if (o->rest) {
		r = nfp_trace_rest_start(&svc->rest, d->loop, svc->trace, o->rest);
		if (r) {
			log_error("trace: cannot serve Floodlight's REST API on %s: %s", o->rest,
				  strerror(-r));
			trace_fini(svc);
			return r;
		}
	}
	if (o->thrift) {
		r = nfp_trace_thrift_start(&svc->thrift, d->loop, svc->trace, o->thrift);
		if (r) {
			log_error("trace: cannot serve the PacketStreamer Thrift service on %s: %s",
				  o->thrift, strerror(-r));
			trace_fini(svc);
			return r;
		}
	}
	*state = svc;
	return 0;
}

const struct nfp_subsystem nfp_trace_subsystem = {
	.name = "trace",
	.options = trace_options,
	.opts = &trace_opts,
	.opts_defaults = &trace_opts_defaults,
	.opts_size = sizeof(trace_opts),
	.init = trace_init,
	.fini = trace_fini,
	.commands = nfp_trace_commands,
};
