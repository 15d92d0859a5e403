/* commands.c - the dataplane's API commands: attach, detach, status, stats.
 * Each validates its arguments fully before it calls into the dataplane.
 */
#include "dataplane/commands.h"
#include "dataplane/dataplane.h"
#include "api/args.h"
#include "core/subsystem.h"
#include "nfplane/common.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int get_iface(json_t *args, bool required, const char **out, struct nfp_api_error *err)
{
	/* IFNAMSIZ - 1: what the kernel accepts */
	return nfp_args_string(args, "iface", required, NFP_IFNAMSIZ - 1, out, err);
}

static json_t *iface_json(const struct nfp_dp_iface *it)
{
	return json_pack("{s:s, s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "iface", it->rec.name,
			 "ifindex", (json_int_t)it->ifindex, "slot", (json_int_t)it->rec.slot,
			 "mode", nfp_dp_mode_name(it->rec.xdp_mode), "xdp_attach",
			 nfp_dp_attach_name(it->rec.xdp_attach), "xdp_prog_id",
			 (json_int_t)it->rec.xdp_prog_id, "tc_ingress_prog_id",
			 (json_int_t)it->rec.tc_ingress_prog_id, "tc_egress_prog_id",
			 (json_int_t)it->rec.tc_egress_prog_id, "attached_at",
			 (json_int_t)it->rec.attached_at);
}

static int cmd_attach(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { "iface", "mode", NULL };
	static const char *const modes[] = { "native", "skb", NULL };
	struct nfp_daemon *d = req->ctx;
	struct nfp_dp_iface it;
	const char *iface;
	int mode = 0, r;
	char msg[400];

	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_iface(args, true, &iface, err)) < 0 ||
	    (r = nfp_args_enum(args, "mode", false, modes, &mode, err)) < 0)
		return r;
	r = nfp_dp_attach(d->dp, iface, mode == 1 ? NFP_XDP_MODE_SKB : NFP_XDP_MODE_NATIVE, &it,
			  msg, sizeof(msg));
	if (r)
		return nfp_api_fail(err, -r, "%s", msg);
	*result = iface_json(&it);
	nfp_events_publish(d->events, "iface_attached", json_pack("{s:s}", "iface", iface));
	return 0;
}

static int cmd_detach(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { "iface", NULL };
	struct nfp_daemon *d = req->ctx;
	const char *iface;
	char msg[400];
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_iface(args, true, &iface, err)) < 0)
		return r;
	r = nfp_dp_detach(d->dp, iface, msg, sizeof(msg));
	if (r)
		return nfp_api_fail(err, -r, "%s", msg);
	*result = json_pack("{s:s}", "iface", iface);
	nfp_events_publish(d->events, "iface_detached", json_pack("{s:s}", "iface", iface));
	return 0;
}

static int cmd_status(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct nfp_daemon *d = req->ctx;
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	json_t *ifaces = json_array();
	int n, r;

	if ((r = nfp_args_only(args, allowed, err)) < 0) {
		json_decref(ifaces);
		return r;
	}
	n = nfp_dp_list(d->dp, all, NFP_MAX_IFACES);
	for (int i = 0; i < n; i++)
		json_array_append_new(ifaces, iface_json(&all[i]));
	*result = json_pack("{s:s, s:I, s:I, s:s, s:s, s:o}", "version", NFP_VERSION, "pid",
			    (json_int_t)getpid(), "uptime_s",
			    (json_int_t)((nfp_now_ms() - d->started_ms) / 1000), "socket",
			    d->socket_path, "pin_dir", d->pin_dir, "ifaces", ifaces);
	return 0;
}

/* Field names of struct nfp_if_stats, in order (the struct is all __u64). */
static const char *const stat_names[] = { NFP_IF_STATS_FIELDS(NFP_X_NAME) };

static json_t *stats_json(const struct nfp_dp_iface *it, const struct nfp_if_stats *st)
{
	const __u64 *v = (const __u64 *)st;
	json_t *counters = json_object();

	for (size_t i = 0; i < sizeof(stat_names) / sizeof(stat_names[0]); i++)
		json_object_set_new(counters, stat_names[i], json_integer((json_int_t)v[i]));
	return json_pack("{s:s, s:I, s:o}", "iface", it->rec.name, "ifindex",
			 (json_int_t)it->ifindex, "counters", counters);
}

static int cmd_stats(struct nfp_api_req *req, json_t *args, json_t **result,
		     struct nfp_api_error *err)
{
	static const char *const allowed[] = { "iface", NULL };
	struct nfp_daemon *d = req->ctx;
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	const char *iface = NULL;
	json_t *list;
	int n, r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_iface(args, false, &iface, err)) < 0)
		return r;
	if (iface) {
		if (nfp_dp_find(d->dp, iface, &all[0]))
			return nfp_api_fail(err, ENOENT, "%s is not attached", iface);
		n = 1;
	} else {
		n = nfp_dp_list(d->dp, all, NFP_MAX_IFACES);
	}
	list = json_array();
	for (int i = 0; i < n; i++) {
		struct nfp_if_stats st;

		r = nfp_dp_stats(d->dp, all[i].rec.slot, &st);
		if (r) {
			json_decref(list);
			return nfp_api_fail(err, -r, "cannot read the counters of %s: %s",
					    all[i].rec.name, strerror(-r));
		}
		json_array_append_new(list, stats_json(&all[i], &st));
	}
	*result = json_pack("{s:o}", "ifaces", list);
	return 0;
}

static const struct nfp_api_command dataplane_commands[] = {
	{ "attach", "attach nfplane to an interface {iface, mode: native|skb}", cmd_attach },
	{ "detach", "detach nfplane from an interface {iface}", cmd_detach },
	{ "status", "daemon and attachment status", cmd_status },
	{ "stats", "per-interface counters {iface?}", cmd_stats },
	{ NULL, NULL, NULL },
};

/* The dataplane itself is a core service (main.c opens it); its commands
 * report on the daemon as a whole, so their context is the daemon. */
static int dataplane_init(struct nfp_daemon *d, const void *opts, void **state)
{
	(void)opts;
	*state = d;
	return 0;
}

const struct nfp_subsystem nfp_dataplane_subsystem = {
	.name = "dataplane",
	.init = dataplane_init,
	.commands = dataplane_commands,
};
