/* subsys.c - see subsys.h: start-up, shut-down, and putting a
 * configuration in force.
 *
 * Trade-off: any change rebuilds every slice (their modules stop and start
 * again, so a learning switch relearns). A module learns of a switch only
 * when it subscribes or the switch comes up, and which switches a slice has
 * can change with any rule; rebuilding is what keeps every module's view
 * right without a second path for "your flowspace changed".
 */
#include "slicing/subsys.h"
#include "api/events.h"
#include "common/log.h"
#include "dataplane/dataplane.h"
#include "openflow/of_core.h"
#include "openflow/of_subsys.h"
#include "slicing/fv_http.h"
#include "slicing/proxy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const map_kinds[] = { "linear", "federated", NULL };
static const char *const xdp_defaults[] = { "pass", "drop", NULL };

static const struct nfp_opt fs_option_table[] = {
	{ .name = "slicing-config", .kind = NFP_OPT_STRING,
	  .offset = offsetof(struct fs_options, config_path), .arg = "FILE", .max = 4000,
	  .help = "slices and flowspace, kept across restarts\n"
		  "(FlowVisor's JSON; default " FS_CONFIG_PATH_DEFAULT ")" },
	{ .name = "flowmap", .kind = NFP_OPT_CHOICE, .offset = offsetof(struct fs_options, map_kind),
	  .arg = "KIND", .choices = map_kinds,
	  .help = "flowspace lookups: federated (indexed, default) or linear" },
	{ .name = "slicing-dpid", .kind = NFP_OPT_STRING, .offset = offsetof(struct fs_options, dpid),
	  .arg = "DPID", .max = 32,
	  .help = "this host's datapath id: rules for it (and for 'any')\n"
		  "classify its interfaces' packets in XDP" },
	{ .name = "slicing-default", .kind = NFP_OPT_CHOICE,
	  .offset = offsetof(struct fs_options, xdp_default), .arg = "pass|drop",
	  .choices = xdp_defaults,
	  .help = "what XDP does with a packet in no flowspace (default pass)" },
	{ .name = "fv-api", .kind = NFP_OPT_STRING, .offset = offsetof(struct fs_options, fv_api),
	  .arg = "[ADDR:]PORT", .max = 64,
	  .help = "serve FlowVisor's JSON-RPC API (fvctl) over HTTPS\n"
		  "(a bare port is 127.0.0.1; off when not given)" },
	{ .name = "fv-api-passwd", .kind = NFP_OPT_STRING,
	  .offset = offsetof(struct fs_options, fv_passwd), .arg = "FILE", .max = 4000,
	  .help = "fvadmin's password, its first line (made at first\nstart; default "
		  FS_FV_PASSWD_DEFAULT ")" },
	{ .name = "fv-api-cert", .kind = NFP_OPT_STRING,
	  .offset = offsetof(struct fs_options, fv_cert), .arg = "FILE", .max = 4000,
	  .help = "the API's certificate (PEM; self-signed at first\nstart; default "
		  FS_FV_CERT_DEFAULT ")" },
	{ .name = "fv-api-key", .kind = NFP_OPT_STRING,
	  .offset = offsetof(struct fs_options, fv_key), .arg = "FILE", .max = 4000,
	  .help = "its private key (default " FS_FV_KEY_DEFAULT ")" },
	{ 0 },
};

static struct fs_options fs_opts;
static const struct fs_options fs_opts_defaults = { .config_path = FS_CONFIG_PATH_DEFAULT,
						    .map_kind = FS_MAP_FEDERATED,
						    .fv_passwd = FS_FV_PASSWD_DEFAULT,
						    .fv_cert = FS_FV_CERT_DEFAULT,
						    .fv_key = FS_FV_KEY_DEFAULT };

static void stop_slices(struct fs_subsys *s)
{
	for (size_t i = 0; i < s->conf.n_slices; i++) {
		struct fs_running *r = &s->run[i];

		if (r->module)
			r->module->stop(r->module_state);
		fs_proxy_stop(r->proxy);
		if (r->module || r->proxy)
			nfp_events_publish(s->d->events, "slice_down",
					   json_pack("{s:s}", "slice", s->conf.slices[i].name));
		if (r->slice)
			fs_slicer_remove_slice(s->slicer, r->slice);
		memset(r, 0, sizeof(*r));
	}
}

static void start_slices(struct fs_subsys *s)
{
	for (size_t i = 0; i < s->conf.n_slices; i++) {
		const struct fs_slice_conf *c = &s->conf.slices[i];
		struct fs_running *r = &s->run[i];
		int rc;

		memset(r, 0, sizeof(*r));
		r->slice = fs_slicer_add_slice(s->slicer, c->name);
		if (!r->slice) {
			r->why = "out of memory";
			continue;
		}
		fs_slice_set_limits(r->slice, c->flowmod_limit, c->rate_limit);
		fs_slice_set_recv_lldp(r->slice, c->recv_lldp);
		if (!c->enabled) {
			r->why = "disabled";
			continue;
		}
		if (!strncmp(c->controller, "tcp:", 4)) {
			r->proxy = fs_proxy_start(s->d->loop, r->slice, c->controller,
						  c->drop_policy);
			if (!r->proxy) {
				r->why = errno == EINVAL ? "its controller's address does not resolve"
							 : "out of memory";
				log_error("slicing: slice %s: %s: %s", c->name, c->controller, r->why);
				continue;
			}
			nfp_events_publish(s->d->events, "slice_up",
					   json_pack("{s:s, s:s}", "slice", c->name, "controller",
						     c->controller));
			continue;
		}
		r->module = of_module_find(c->controller + 7);
		rc = r->module ? r->module->start(fs_slice_provider(r->slice), &r->module_state)
			       : -ENOENT;
		if (rc) {
			log_error("slicing: slice %s: cannot start %s: %s", c->name, c->controller,
				  strerror(-rc));
			r->module = NULL;
			r->why = "its module failed to start";
			continue;
		}
		nfp_events_publish(s->d->events, "slice_up",
				   json_pack("{s:s, s:s}", "slice", c->name, "controller",
					     c->controller));
	}
}

int fs_subsys_apply(struct fs_subsys *s, const struct fs_config *next, char *err, size_t err_len)
{
	struct fs_config copy;
	struct fs_map *map;
	int r;

	if ((r = fs_config_check(next, err, err_len)))
		return r;
	if ((r = fs_config_copy(&copy, next))) {
		snprintf(err, err_len, "out of memory");
		return r;
	}
	copy.map_kind = s->conf.map_kind;
	map = fs_map_new(copy.map_kind, copy.rules, copy.n_rules);
	if (!map) {
		fs_config_free(&copy);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	if ((r = fs_xdp_fits(&s->xdp, map, err, err_len))) {
		fs_map_free(map);
		fs_config_free(&copy);
		return r;
	}
	if (s->path && (r = fs_config_save(s->path, &copy, err, err_len))) {
		fs_map_free(map);
		fs_config_free(&copy);
		return r;
	}
	/* in force from here: nothing below can refuse (the XDP maps' writes
	 * fail only without memory, and then the old rules stay in XDP) */
	{
		char why[256];

		if (fs_xdp_load(&s->xdp, &copy, map, s->xdp_default, why, sizeof(why)))
			log_error("slicing: XDP keeps the previous flowspace: %s", why);
	}
	stop_slices(s);
	fs_config_free(&s->conf);
	s->conf = copy;
	fs_slicer_set_flowspace(s->slicer, map);
	start_slices(s);
	of_subsys_run_default_module(s->of, s->conf.n_slices == 0);
	nfp_events_publish(s->d->events, "flowspace_changed",
			   json_pack("{s:I, s:I}", "slices", (json_int_t)s->conf.n_slices, "rules",
				     (json_int_t)s->conf.n_rules));
	return 0;
}

static void fs_fini(void *state);

static int fs_init(struct nfp_daemon *d, const void *opts, void **state)
{
	const struct fs_options *o = opts;
	struct fs_subsys *s;
	struct fs_config loaded;
	char err[512];
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = d;
	s->of = nfp_daemon_state(d, "openflow");
	s->xdp = (struct fs_xdp){ .ctl_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FS_CTL),
				  .groups_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FS_GROUPS),
				  .rules_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FS_RULES),
				  .stats_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FS_STATS) };
	s->xdp_default = (uint32_t)o->xdp_default;
	if (o->dpid) {
		bool any;

		if (fs_dpid_parse(o->dpid, &any, &s->xdp.dpid, err, sizeof(err)) || any) {
			log_error("--slicing-dpid: %s", any ? "this host's datapath id, not 'any'"
							    : err);
			free(s);
			return -EINVAL;
		}
		s->xdp.has_dpid = true;
	}
	fs_config_init(&s->conf);
	s->conf.map_kind = (enum fs_map_kind)o->map_kind;
	if (!s->of) {
		/* no controller (--of-listen none): nothing to slice */
		if (o->fv_api) {
			log_error("--fv-api: slicing needs the OpenFlow controller "
				  "(--of-listen is none)");
			free(s);
			return -EINVAL;
		}
		*state = s;
		return 0;
	}
	s->slicer = fs_slicer_new(of_core_provider(s->of->core));
	if (!s->slicer) {
		free(s);
		return -ENOMEM;
	}
	fs_config_init(&loaded);
	loaded.map_kind = s->conf.map_kind;
	r = fs_config_load(o->config_path, &loaded, err, sizeof(err));
	if (r) {
		log_error("--slicing-config %s: %s", o->config_path, err);
		fs_slicer_free(s->slicer);
		free(s);
		return r;
	}
	s->path = o->config_path;
	if (loaded.n_slices || loaded.n_rules) {
		/* what the file holds, without writing it back */
		s->path = NULL;
		r = fs_subsys_apply(s, &loaded, err, sizeof(err));
		s->path = o->config_path;
		if (r) {
			log_error("--slicing-config %s: %s", o->config_path, err);
			fs_config_free(&loaded);
			fs_slicer_free(s->slicer);
			free(s);
			return r;
		}
		log_info("slicing: %zu slice(s), %zu flowspace rule(s) from %s (%s flow map)",
			 s->conf.n_slices, s->conf.n_rules, o->config_path,
			 fs_map_kind_name(s->conf.map_kind));
	} else {
		/* the pinned maps may hold an earlier nfpd's flowspace: none now */
		struct fs_map *none = fs_map_new(s->conf.map_kind, NULL, 0);

		if (!none || fs_xdp_load(&s->xdp, &s->conf, none, s->xdp_default, err,
					 sizeof(err)))
			log_warn("slicing: cannot clear XDP's flowspace: %s", none ? err : "no memory");
		fs_map_free(none);
	}
	fs_config_free(&loaded);
	if (o->fv_api) {
		const struct fv_http_conf hc = { .listen = o->fv_api, .passwd_path = o->fv_passwd,
						 .cert_path = o->fv_cert, .key_path = o->fv_key };

		s->fv_rpc = (struct fv_rpc){ .api = d->api, .slicing = s };
		r = fv_http_start(&s->fv_http, d->loop, &hc, fv_rpc_handle, &s->fv_rpc, err,
				  sizeof(err));
		if (r) {
			log_error("--fv-api: %s", err);
			fs_fini(s);
			return r;
		}
	}
	*state = s;
	return 0;
}

static void fs_fini(void *state)
{
	struct fs_subsys *s = state;

	if (!s)
		return;
	fv_http_stop(s->fv_http);
	if (s->slicer) {
		stop_slices(s);
		fs_slicer_free(s->slicer);
	}
	fs_config_free(&s->conf);
	free(s);
}

const struct nfp_subsystem fs_subsystem = {
	.name = "slicing",
	.options = fs_option_table,
	.opts = &fs_opts,
	.opts_defaults = &fs_opts_defaults,
	.opts_size = sizeof(fs_opts),
	.init = fs_init,
	.fini = fs_fini,
	.commands = fs_commands,
};
