/* of_commands.c - the OpenFlow API commands: of_switches, of_ports {dpid},
 * of_flows {dpid, table?} (flow stats fetched from the switch, answered
 * later through nfp_api_defer).
 */
#include "openflow/of_subsys.h"
#include "common/hex.h"
#include "common/text.h"
#include "openflow/of_addr.h"
#include "openflow/of_core.h"
#include "api/args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *dpid_json(uint64_t dpid)
{
	char s[17];

	snprintf(s, sizeof(s), "%016llx", (unsigned long long)dpid);
	return json_string(s);
}

static json_t *mac_json(const uint8_t *a)
{
	char s[NFP_MAC_STRLEN];

	return json_string(nfp_mac_str(a, s));
}

static struct of_subsys *subsys(struct nfp_api_req *req, struct nfp_api_error *err)
{
	if (!req->ctx)
		nfp_api_fail(err, ENOTSUP, "the OpenFlow controller is not running");
	return req->ctx;
}

static int get_switch(struct nfp_api_req *req, json_t *args, struct of_switch **sw,
		      uint64_t *dpid, struct nfp_api_error *err)
{
	struct of_subsys *s = subsys(req, err);
	const char *text;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_string(args, "dpid", true, 40, &text, err)) < 0)
		return r;
	if (of_parse_dpid(text, dpid))
		return nfp_api_fail(err, EINVAL,
				    "argument 'dpid' is '%s'; expected up to 16 hex digits "
				    "(e.g. 1, 0000000000000001 or 00:00:00:00:00:00:00:01)",
				    text);
	*sw = of_core_find_switch(s->core, *dpid);
	if (!*sw)
		return nfp_api_fail(err, ENOENT, "no switch with DPID %016llx is connected",
				    (unsigned long long)*dpid);
	return 0;
}

static void add_switch(struct of_switch *sw, const struct of_switch_view *v, void *ctx)
{
	json_t *list = ctx;

	(void)sw;
	json_array_append_new(
		list,
		json_pack("{s:o, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			  "dpid", dpid_json(v->dpid), "version", of_version_name(v->version), "peer",
			  v->peer, "n_ports", (json_int_t)v->n_ports, "n_buffers",
			  (json_int_t)v->features->n_buffers, "n_tables",
			  (json_int_t)v->features->n_tables, "connected_s",
			  (json_int_t)((nfp_now_ms() - v->connected_ms) / 1000), "rx_msgs",
			  (json_int_t)v->stats.rx_msgs, "tx_msgs", (json_int_t)v->stats.tx_msgs,
			  "packet_ins", (json_int_t)v->stats.packet_ins, "packet_outs",
			  (json_int_t)v->stats.packet_outs, "flow_mods",
			  (json_int_t)v->stats.flow_mods, "errors", (json_int_t)v->stats.errors_rx));
}

static int cmd_switches(struct nfp_api_req *req, json_t *args, json_t **result,
			struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct of_subsys *s;
	json_t *list, *listen;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	if (!(s = subsys(req, err)))
		return -ENOTSUP;
	list = json_array();
	listen = json_array();
	of_core_foreach_switch(s->core, add_switch, list);
	for (int i = 0; i < s->n_listen; i++)
		json_array_append_new(listen, json_string(s->listen[i]));
	/* with slices configured the module is stopped (slicing/subsys.h) */
	*result = json_pack("{s:s, s:o, s:I, s:o}", "module",
			    s->module_running ? s->module->name : "none (slices)", "listen", listen,
			    "handshaking", (json_int_t)of_core_pending_count(s->core), "switches",
			    list);
	return 0;
}

static int cmd_ports(struct nfp_api_req *req, json_t *args, json_t **result,
		     struct nfp_api_error *err)
{
	static const char *const allowed[] = { "dpid", NULL };
	struct of_switch *sw;
	const struct of_port *ports;
	uint64_t dpid;
	size_t n;
	json_t *list;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = get_switch(req, args, &sw, &dpid, err)) < 0)
		return r;
	ports = of_switch_ports(sw, &n);
	list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct of_port *p = &ports[i];
		char num[16], name[sizeof(p->name)];

		/* the switch's bytes, made UTF-8 for JSON */
		snprintf(name, sizeof(name), "%s", p->name);
		nfp_text_sanitize(name);
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:s, s:o, s:b, s:b, s:I, s:I, s:I}", "port_no",
					(json_int_t)p->port_no, "port",
					of_port_name(p->port_no, num, sizeof(num)), "name", name,
					"hw_addr", mac_json(p->hw_addr), "link_down",
					(p->state & OF_PORT_STATE_LINK_DOWN) != 0, "admin_down",
					(p->config & OF_PORT_CONFIG_DOWN) != 0, "curr_speed_kbps",
					(json_int_t)p->curr_speed, "config", (json_int_t)p->config,
					"state", (json_int_t)p->state));
	}
	*result = json_pack("{s:o, s:s, s:o}", "dpid", dpid_json(dpid), "version",
			    of_version_name(of_switch_version(sw)), "ports", list);
	return 0;
}

struct flows_req {
	struct nfp_api_pending *pending;
	uint64_t dpid;
};

static void on_flows(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	struct flows_req *fr = ctx;
	struct of_flow_stats fs;
	json_t *list;
	size_t off = 0;
	int n;

	(void)sw;
	if (r->status) {
		char name[80] = "";

		if (r->error)
			of_error_name(r->version, r->error->type, r->error->code, name, sizeof(name));
		nfp_api_pending_error(fr->pending, r->status == -EPROTO ? EIO : -r->status,
				      "switch %016llx did not give its flows: %s%s",
				      (unsigned long long)fr->dpid,
				      r->status == -EPROTO ? "it answered with ERROR " : strerror(-r->status),
				      name);
		free(fr);
		return;
	}
	list = json_array();
	while ((n = of_flow_stats_next(r->version, r->body, r->body_len, &off, &fs)) == 1) {
		char match[512], actions[512], cookie[24];

		of_match_format(&fs.match, match, sizeof(match));
		of_actions_format(&fs.actions, actions, sizeof(actions));
		if (fs.actions_truncated)
			snprintf(actions + strlen(actions), sizeof(actions) - strlen(actions), ",...");
		snprintf(cookie, sizeof(cookie), "0x%llx", (unsigned long long)fs.cookie);
		json_array_append_new(
			list, json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s}", "table_id",
					(json_int_t)fs.table_id, "priority", (json_int_t)fs.priority,
					"cookie", cookie, "idle_timeout", (json_int_t)fs.idle_timeout,
					"hard_timeout", (json_int_t)fs.hard_timeout, "duration_s",
					(json_int_t)fs.duration_sec, "packets",
					(json_int_t)fs.packet_count, "bytes", (json_int_t)fs.byte_count,
					"match", match, "actions", actions));
	}
	if (n < 0) {
		json_decref(list);
		nfp_api_pending_error(fr->pending, EIO, "switch %016llx sent a malformed flow stats "
					 "reply: %s", (unsigned long long)fr->dpid,
				      of_err_str((enum of_err)-n));
	} else {
		nfp_api_pending_ok(fr->pending, json_pack("{s:o, s:o}", "dpid", dpid_json(fr->dpid),
							  "flows", list));
	}
	free(fr);
}

static int cmd_flows(struct nfp_api_req *req, json_t *args, json_t **result,
		     struct nfp_api_error *err)
{
	static const char *const allowed[] = { "dpid", "table", NULL };
	struct of_stats_request rq = { .type = OF_ST_FLOW, .table_id = OF_TABLE_ALL,
				       .out_port = OF_PORT_ANY };
	struct of_subsys *s;
	struct of_switch *sw;
	struct flows_req *fr;
	int64_t table = OF_TABLE_ALL;
	uint64_t dpid;
	int r;

	(void)result;
	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = get_switch(req, args, &sw, &dpid, err)) < 0 ||
	    (r = nfp_args_int(args, "table", false, 0, 255, &table, err)) < 0)
		return r;
	s = subsys(req, err);
	rq.table_id = (uint8_t)table;
	if (!req->conn)
		return nfp_api_fail(err, ENOTSUP, "of_flows answers later: it needs a socket");
	fr = calloc(1, sizeof(*fr));
	if (!fr)
		return nfp_api_fail(err, ENOMEM, "out of memory");
	fr->dpid = dpid;
	fr->pending = nfp_api_defer(req);
	if (!fr->pending) {
		free(fr);
		return nfp_api_fail(err, ENOMEM, "out of memory");
	}
	r = of_send_stats_request(of_core_provider(s->core), sw, &rq, on_flows, fr);
	if (r < 0) {
		/* the request is deferred already: answer through it */
		nfp_api_pending_error(fr->pending, -r, "cannot ask switch %016llx for its flows: %s",
				      (unsigned long long)dpid, strerror(-r));
		free(fr);
	}
	return NFP_API_DEFERRED;
}

const struct nfp_api_command of_commands[] = {
	{ "of_switches", "connected OpenFlow switches, listeners and the module", cmd_switches },
	{ "of_ports", "ports of a switch {dpid}", cmd_ports },
	{ "of_flows", "flow entries read from a switch {dpid, table?}", cmd_flows },
	{ NULL, NULL, NULL },
};
