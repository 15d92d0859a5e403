/* fv_rpc.c - see fv_rpc.h. Each method: its params checked for their
 * JSON kind (FlowVisor's "requires: OBJECT; got: ARRAY"), renamed into
 * nfpd's command arguments, run through the dispatcher, and its result
 * reshaped the way fvctl prints it.
 */
#include "slicing/fv_rpc.h"
#include "api/api.h"
#include "common/errname.h"
#include "slicing/subsys.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* JSON-RPC 2.0's codes, as fvctl's ERRORS table names them */
#define RPC_PARSE_ERROR -32700
#define RPC_INVALID_REQUEST -32600
#define RPC_METHOD_NOT_FOUND -32601
#define RPC_INVALID_PARAMS -32602
#define RPC_INTERNAL_ERROR -32603

struct rpc_error {
	int code;
	char message[700];
};

static int fail(struct rpc_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct rpc_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* Run nfpd's command @cmd with @args (taken); its result in *@result. An
 * error becomes the JSON-RPC class fvctl expects: what the caller got wrong
 * is "Invalid Params", a refusal "Invalid Request", the rest "Internal". */
static int call(struct fv_rpc *rpc, const char *method, const char *cmd, json_t *args,
		json_t **result, struct rpc_error *e)
{
	json_t *req = json_pack("{s:i, s:s, s:o}", "id", 1, "cmd", cmd, "args", args);
	char *line = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_t *reply = line ? nfp_api_handle_line(rpc->api, NULL, line, strlen(line)) : NULL;
	const char *code;
	int r = 0;

	json_decref(req);
	free(line);
	if (!reply)
		return fail(e, RPC_INTERNAL_ERROR, "%s: out of memory", method);
	if (json_is_true(json_object_get(reply, "ok"))) {
		if (result)
			*result = json_incref(json_object_get(reply, "result"));
	} else {
		json_t *err = json_object_get(reply, "error");
		int rc = RPC_INTERNAL_ERROR;

		code = json_string_value(json_object_get(err, "code"));
		if (code && (!strcmp(code, "EINVAL") || !strcmp(code, "ENOENT") ||
			     !strcmp(code, "EEXIST") || !strcmp(code, "ERANGE") ||
			     !strcmp(code, "E2BIG") || !strcmp(code, "ENAMETOOLONG")))
			rc = RPC_INVALID_PARAMS;
		else if (code && (!strcmp(code, "EPERM") || !strcmp(code, "EACCES") ||
				  !strcmp(code, "EBUSY")))
			rc = RPC_INVALID_REQUEST;
		r = fail(e, rc, "%s: %s", method,
			 json_string_value(json_object_get(err, "message")) ?: "failed");
	}
	json_decref(reply);
	return r;
}

/* ---- values: FlowVisor's forms in and out ---- */

static const char *str_param(json_t *p, const char *key)
{
	return json_string_value(json_object_get(p, key));
}

/* A required or optional key of the right kind; renamed onto @args. */
static int move(json_t *p, const char *key, json_t *args, const char *to, int type, bool required,
		const char *method, struct rpc_error *e)
{
	static const char *const kinds[] = { [JSON_OBJECT] = "an object", [JSON_ARRAY] = "a list",
					     [JSON_STRING] = "a string", [JSON_INTEGER] = "a number",
					     [JSON_TRUE] = "true or false" };
	json_t *v = json_object_get(p, key);

	if (!v) {
		if (required)
			return fail(e, RPC_INVALID_PARAMS, "%s: %s is required", method, key);
		return 0;
	}
	if (type == JSON_TRUE ? !json_is_boolean(v) : (int)json_typeof(v) != type)
		return fail(e, RPC_INVALID_PARAMS, "%s: %s must be %s", method, key, kinds[type]);
	json_object_set(args, to, v);
	return 0;
}

/* Every key of @p is one of @known (FlowVisor ignores the rest; a typo then
 * changes nothing without a word, so we say so). */
static int only(json_t *p, const char *const *known, const char *method, struct rpc_error *e)
{
	const char *k;
	json_t *v;

	json_object_foreach(p, k, v) {
		const char *const *x = known;

		while (*x && strcmp(*x, k))
			x++;
		if (!*x)
			return fail(e, RPC_INVALID_PARAMS, "%s: unknown parameter '%.60s'", method, k);
	}
	return 0;
}

static void dpid_out(bool any, uint64_t dpid, char buf[24])
{
	if (any)
		snprintf(buf, 24, "all_dpids");
	else
		fs_dpid_format(false, dpid, buf);
}

/* FlowVisor's match object -> its match string, which fs_match_parse reads
 * (so every value is checked in one place). */
static int match_in(json_t *m, char *out, size_t len, const char *method, struct rpc_error *e)
{
	static const char *const keys[] = { "in_port", "dl_src", "dl_dst", "dl_type", "dl_vlan",
					    "dl_vpcp", "dl_vlan_pcp", "nw_src", "nw_dst",
					    "nw_proto", "nw_tos", "tp_src", "tp_dst", "wildcards",
					    NULL };
	size_t used = 0;
	const char *k;
	json_t *v;

	out[0] = '\0';
	if (!json_is_object(m))
		return fail(e, RPC_INVALID_PARAMS, "%s: match must be an object", method);
	json_object_foreach(m, k, v) {
		const char *const *x = keys;
		char val[64];

		while (*x && strcmp(*x, k))
			x++;
		if (!*x)
			return fail(e, RPC_INVALID_PARAMS, "%s: unknown field in match: '%.40s'",
				    method, k);
		if (!strcmp(k, "wildcards")) /* what list-flowspace shows; implied by the rest */
			continue;
		if (json_is_integer(v) && (!strcmp(k, "dl_src") || !strcmp(k, "dl_dst"))) {
			/* fvctl sends MACs as numbers (FlowVisor then throws) */
			unsigned long long n = (unsigned long long)json_integer_value(v);

			snprintf(val, sizeof(val), "%02llx:%02llx:%02llx:%02llx:%02llx:%02llx",
				 n >> 40 & 0xff, n >> 32 & 0xff, n >> 24 & 0xff, n >> 16 & 0xff,
				 n >> 8 & 0xff, n & 0xff);
		} else if (json_is_integer(v)) {
			snprintf(val, sizeof(val), "%lld", (long long)json_integer_value(v));
		} else if (json_is_string(v) && json_string_length(v) < sizeof(val)) {
			snprintf(val, sizeof(val), "%s", json_string_value(v));
		} else {
			return fail(e, RPC_INVALID_PARAMS, "%s: match.%s must be a number or a short "
				    "string", method, k);
		}
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s=%s",
					 used ? "," : "", k, val);
	}
	if (used >= len)
		return fail(e, RPC_INVALID_PARAMS, "%s: match too long", method);
	if (!used)
		snprintf(out, len, "any");
	return 0;
}

/* OpenFlow 1.0's wildcards word for @m, which FlowVisor's list shows. */
static json_int_t wildcards_of(const struct of_match *m)
{
	json_int_t w = 0;
	int src = m->fields & OF_F_IPV4_SRC ? __builtin_popcount(m->ipv4_src_mask) : 0;
	int dst = m->fields & OF_F_IPV4_DST ? __builtin_popcount(m->ipv4_dst_mask) : 0;

	w |= !(m->fields & OF_F_IN_PORT) << 0 | !(m->fields & OF_F_VLAN_VID) << 1 |
	     !(m->fields & OF_F_ETH_SRC) << 2 | !(m->fields & OF_F_ETH_DST) << 3 |
	     !(m->fields & OF_F_ETH_TYPE) << 4 | !(m->fields & OF_F_IP_PROTO) << 5 |
	     !(m->fields & OF_F_TP_SRC) << 6 | !(m->fields & OF_F_TP_DST) << 7 |
	     !(m->fields & OF_F_VLAN_PCP) << 20 | !(m->fields & OF_F_IP_DSCP) << 21;
	/* a prefix of 0 as OFPFW_ALL has it: the whole 6-bit field set */
	w |= (json_int_t)(src ? 32 - src : 63) << 8 | (json_int_t)(dst ? 32 - dst : 63) << 14;
	return w;
}

/* The match as FlowVisor lists it: the wildcards word and the fields set. */
static json_t *match_out(const struct of_match *m)
{
	json_t *o = json_pack("{s:I}", "wildcards", wildcards_of(m));
	char buf[1024], *save = NULL, *tok;

	fs_match_format(m, buf, sizeof(buf));
	if (!m->fields)
		return o;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		long long n;

		if (!eq)
			continue;
		*eq = '\0';
		if (!strcmp(tok, "dl_vlan_pcp"))
			tok = "dl_vpcp"; /* FlowVisor's list and fvctl's name for it */
		n = strtoll(eq + 1, &end, 0);
		if (!*end)
			json_object_set_new(o, tok, json_integer(n));
		else
			json_object_set_new(o, tok, json_string(eq + 1));
	}
	return o;
}

/* "slice=perm,..." from FlowVisor's slice-action list. */
static int actions_in(json_t *acts, char *out, size_t len, const char *method,
		      struct rpc_error *e)
{
	size_t used = 0, i;
	json_t *a;

	if (!json_is_array(acts) || !json_array_size(acts))
		return fail(e, RPC_INVALID_PARAMS, "%s: slice-action must be a list of "
			    "{slice-name, permission}", method);
	json_array_foreach(acts, i, a) {
		json_t *perm = json_object_get(a, "permission");
		const char *slice = str_param(a, "slice-name");
		char p[32];

		if (!slice)
			return fail(e, RPC_INVALID_PARAMS, "%s: slice-action[%zu]: slice-name is "
				    "required", method, i);
		if (json_is_integer(perm))
			snprintf(p, sizeof(p), "%lld", (long long)json_integer_value(perm));
		else if (json_is_string(perm) && json_string_length(perm) < sizeof(p))
			snprintf(p, sizeof(p), "%s", json_string_value(perm));
		else
			return fail(e, RPC_INVALID_PARAMS, "%s: slice-action[%zu]: permission "
				    "must be a number (DELEGATE=1, READ=2, WRITE=4) or 'rwd' letters",
				    method, i);
		used += (size_t)snprintf(out + used, used < len ? len - used : 0, "%s%s=%s",
					 used ? "," : "", slice, p);
	}
	if (used >= len)
		return fail(e, RPC_INVALID_PARAMS, "%s: slice-action too long", method);
	return 0;
}

/* One FlowVisor flowspace entry as nfpd's rule arguments. */
static json_t *rule_in(struct fv_rpc *rpc, json_t *o, size_t i, bool update, const char *method,
		       struct rpc_error *e)
{
	static const char *const known[] = { "name", "dpid", "priority", "match", "slice-action",
					     "queues", "force-enqueue", "id", NULL };
	json_t *args = json_object(), *q;
	char buf[2048];
	const char *dpid;

	if (!json_is_object(o)) {
		fail(e, RPC_INVALID_PARAMS, "%s: entry %zu is not an object", method, i);
		goto bad;
	}
	if (only(o, known, method, e) ||
	    move(o, "name", args, "name", JSON_STRING, update, method, e) ||
	    move(o, "priority", args, "priority", JSON_INTEGER, !update, method, e))
		goto bad;
	if (!update && !json_object_get(o, "name")) {
		/* FlowVisor names it with a UUID; ours says where it came from */
		snprintf(buf, sizeof(buf), "fv-%lu-%zu", rpc->fs_requests + 1, i);
		json_object_set_new(args, "name", json_string(buf));
	}
	q = json_object_get(o, "queues");
	if ((q && !(json_is_array(q) && !json_array_size(q))) ||
	    (json_object_get(o, "force-enqueue") &&
	     json_integer_value(json_object_get(o, "force-enqueue")) != -1)) {
		fail(e, RPC_INVALID_PARAMS, "%s: queues and force-enqueue are not supported "
		     "(OpenFlow 1.0 queues are not sliced here)", method);
		goto bad;
	}
	if ((q = json_object_get(o, "dpid"))) {
		if (!(dpid = json_string_value(q))) {
			fail(e, RPC_INVALID_PARAMS, "%s: dpid must be a string", method);
			goto bad;
		}
		if (!strcmp(dpid, "*"))
			dpid = "any";
		json_object_set_new(args, "dpid", json_string(dpid));
	} else if (!update) {
		fail(e, RPC_INVALID_PARAMS, "%s: dpid is required", method);
		goto bad;
	}
	if ((q = json_object_get(o, "match"))) {
		if (match_in(q, buf, sizeof(buf), method, e))
			goto bad;
		json_object_set_new(args, "match", json_string(buf));
	}
	if ((q = json_object_get(o, "slice-action"))) {
		if (actions_in(q, buf, sizeof(buf), method, e))
			goto bad;
		json_object_set_new(args, "actions", json_string(buf));
	} else if (!update) {
		fail(e, RPC_INVALID_PARAMS, "%s: slice-action is required", method);
		goto bad;
	}
	return args;
bad:
	json_decref(args);
	return NULL;
}

/* ---- methods ---- */

enum params_kind { P_NONE, P_OBJECT, P_ARRAY };

struct method {
	const char *name;
	enum params_kind kind;
	int (*fn)(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
		  struct rpc_error *e);
};

static int m_list_slices(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			 struct rpc_error *e)
{
	const struct fs_config *c = &rpc->slicing->conf;

	(void)m;
	(void)p;
	(void)e;
	*result = json_array();
	for (size_t i = 0; i < c->n_slices; i++)
		json_array_append_new(*result, json_pack("{s:s, s:b}", "slice-name",
							 c->slices[i].name, "admin-status",
							 c->slices[i].enabled));
	return 0;
}

/* The settings add-slice and update-slice share, renamed. */
static int slice_settings(json_t *p, json_t *args, const char *m, struct rpc_error *e)
{
	return move(p, "admin-contact", args, "contact", JSON_STRING, false, m, e) ||
	       move(p, "drop-policy", args, "drop_policy", JSON_STRING, false, m, e) ||
	       move(p, "recv-lldp", args, "recv_lldp", JSON_TRUE, false, m, e) ||
	       move(p, "flowmod-limit", args, "flowmod_limit", JSON_INTEGER, false, m, e) ||
	       move(p, "rate-limit", args, "rate_limit", JSON_INTEGER, false, m, e) ||
	       move(p, "admin-status", args, "enabled", JSON_TRUE, false, m, e);
}

static int m_add_slice(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
		       struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", "controller-url", "admin-contact",
					     "password", "drop-policy", "recv-lldp",
					     "flowmod-limit", "rate-limit", "admin-status", NULL };
	json_t *args = json_object();

	/* the slice's password is taken and not kept: only fvadmin logs in
	 * (docs/slicing.md) */
	if (only(p, known, m, e) || move(p, "slice-name", args, "name", JSON_STRING, true, m, e) ||
	    move(p, "controller-url", args, "controller", JSON_STRING, true, m, e) ||
	    move(p, "admin-contact", args, "contact", JSON_STRING, true, m, e) ||
	    slice_settings(p, args, m, e)) {
		json_decref(args);
		return -1;
	}
	if (call(rpc, m, "slice_add", args, NULL, e))
		return -1;
	*result = json_true();
	return 0;
}

static int m_update_slice(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			  struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", "controller-host", "controller-port",
					     "admin-contact", "drop-policy", "recv-lldp",
					     "flowmod-limit", "rate-limit", "admin-status", NULL };
	json_t *args = json_object(), *host = json_object_get(p, "controller-host"),
	       *port = json_object_get(p, "controller-port");

	if (only(p, known, m, e) || move(p, "slice-name", args, "name", JSON_STRING, true, m, e) ||
	    slice_settings(p, args, m, e))
		goto bad;
	if ((host && !json_is_string(host)) || (port && !json_is_integer(port))) {
		fail(e, RPC_INVALID_PARAMS, "%s: controller-host is a string, controller-port a "
		     "number", m);
		goto bad;
	}
	if (host || port) {
		/* FlowVisor changes host and port apart; nfpd keeps one URL */
		const struct fs_slice_conf *c =
			fs_config_slice(&rpc->slicing->conf, str_param(p, "slice-name"));
		char old_host[256] = "", url[FS_CONTROLLER_MAX];
		long old_port = 0;

		if (c && !strncmp(c->controller, "tcp:", 4)) {
			const char *colon = strrchr(c->controller + 4, ':');

			snprintf(old_host, sizeof(old_host), "%.*s",
				 (int)(colon ? colon - c->controller - 4 : 0), c->controller + 4);
			old_port = colon ? strtol(colon + 1, NULL, 10) : 6633;
		} else if (c && !(host && port)) {
			fail(e, RPC_INVALID_PARAMS, "%s: slice %s runs %s: give both "
			     "controller-host and controller-port to make it an external "
			     "controller", m, c->name, c->controller);
			goto bad;
		}
		snprintf(url, sizeof(url), "tcp:%s:%lld", host ? json_string_value(host) : old_host,
			 port ? (long long)json_integer_value(port) : (long long)old_port);
		json_object_set_new(args, "controller", json_string(url));
	}
	if (call(rpc, m, "slice_update", args, NULL, e))
		return -1;
	*result = json_true();
	return 0;
bad:
	json_decref(args);
	return -1;
}

static int m_remove_slice(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			  struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", NULL };
	json_t *args = json_object();

	if (only(p, known, m, e) || move(p, "slice-name", args, "name", JSON_STRING, true, m, e)) {
		json_decref(args);
		return -1;
	}
	if (call(rpc, m, "slice_remove", args, NULL, e))
		return -1;
	*result = json_true();
	return 0;
}

static int m_list_slice_info(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			     struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", NULL };
	json_t *args = json_object(), *info = NULL, *stats;

	if (only(p, known, m, e) || move(p, "slice-name", args, "name", JSON_STRING, true, m, e)) {
		json_decref(args);
		return -1;
	}
	if (call(rpc, m, "slice_info", args, &info, e))
		return -1;
	stats = json_object_get(info, "stats");
	*result = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "slice-name",
			    json_object_get(info, "name"), "controller-url",
			    json_object_get(info, "controller"), "admin-contact",
			    json_object_get(info, "contact_email"), "drop-policy",
			    json_object_get(info, "drop_policy"), "recv-lldp",
			    json_object_get(info, "lldp_spam"), "admin-status",
			    json_object_get(info, "admin_status"), "current-flowmod-usage",
			    json_object_get(stats, "current_flowmod_usage"));
	json_decref(info);
	return *result ? 0 : fail(e, RPC_INTERNAL_ERROR, "%s: out of memory", m);
}

static int m_list_slice_stats(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			      struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", NULL };
	json_t *args = json_object(), *info = NULL, *st;

	if (only(p, known, m, e) || move(p, "slice-name", args, "name", JSON_STRING, true, m, e)) {
		json_decref(args);
		return -1;
	}
	if (call(rpc, m, "slice_info", args, &info, e))
		return -1;
	st = json_object_get(info, "stats");
	/* FlowVisor's tx/rx/drop by sender and message type, from the
	 * counters the slicer keeps (all switches together: "Total") */
	*result = json_pack(
		"{s:{s:{s:O, s:O}}, s:{s:{s:O, s:O}}, s:{s:{s:O, s:O}}}", "rx", "Total",
		"PACKET_IN", json_object_get(st, "packet_ins"), "FLOW_MOD",
		json_object_get(st, "flow_mods_in"), "tx", "Total", "FLOW_MOD",
		json_object_get(st, "flow_mods_out"), "PACKET_OUT",
		json_object_get(st, "packet_outs"), "drop", "Total", "REFUSED",
		json_object_get(st, "refused"), "RATE_LIMITED", json_object_get(st, "rate_limited"));
	json_decref(info);
	return *result ? 0 : fail(e, RPC_INTERNAL_ERROR, "%s: out of memory", m);
}

static int m_list_flowspace(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			    struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", "show-disabled", NULL };
	struct fs_subsys *s = rpc->slicing;
	const struct fs_map *map = fs_slicer_flowspace(s->slicer);
	const char *slice = str_param(p, "slice-name");
	bool show_disabled = json_is_true(json_object_get(p, "show-disabled"));

	if (only(p, known, m, e))
		return -1;
	if (slice && !fs_config_slice(&s->conf, slice))
		return fail(e, RPC_INVALID_PARAMS, "%s: no slice named '%s'", m, slice);
	*result = json_array();
	for (size_t i = 0; i < fs_map_size(map); i++) {
		const struct fs_rule *rl = fs_map_rule(map, i);
		json_t *acts = json_array();
		bool enabled = false;
		char dp[24];

		if (slice && !fs_rule_perm(rl, slice)) {
			json_decref(acts);
			continue;
		}
		for (int a = 0; a < rl->n_actions; a++) {
			const struct fs_slice_conf *c = fs_config_slice(&s->conf, rl->actions[a].slice);

			enabled |= c && c->enabled;
			json_array_append_new(acts, json_pack("{s:s, s:i}", "slice-name",
							      rl->actions[a].slice, "permission",
							      rl->actions[a].perm));
		}
		/* as FlowVisor: rules of disabled slices only when asked */
		if (!slice && !show_disabled && !enabled) {
			json_decref(acts);
			continue;
		}
		dpid_out(rl->any_dpid, rl->dpid, dp);
		json_array_append_new(*result,
				      json_pack("{s:s, s:I, s:s, s:I, s:[], s:i, s:o, s:o}", "name",
						rl->name, "id", (json_int_t)(i + 1), "dpid", dp,
						"priority", (json_int_t)rl->priority, "queues",
						"force-enqueue", -1, "slice-action", acts, "match",
						match_out(&rl->match)));
	}
	return 0;
}

/* fvctl's rules, all turned into nfpd's form or none: one bad entry fails
 * the whole call before anything is applied. */
static json_t *rules_in(struct fv_rpc *rpc, const char *m, json_t *p, bool update,
			struct rpc_error *e)
{
	json_t *rules, *o;
	size_t i;

	if (!json_array_size(p)) {
		fail(e, RPC_INVALID_PARAMS, "%s: nothing to %s", m, update ? "update" : "add");
		return NULL;
	}
	rules = json_array();
	json_array_foreach(p, i, o) {
		json_t *r = rule_in(rpc, o, i, update, m, e);

		if (!r) {
			json_decref(rules);
			return NULL;
		}
		json_array_append_new(rules, r);
	}
	return rules;
}

static int m_add_flowspace(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			   struct rpc_error *e)
{
	json_t *rules = rules_in(rpc, m, p, false, e);

	if (!rules)
		return -1;
	if (call(rpc, m, "flowspace_add", json_pack("{s:o}", "rules", rules), NULL, e))
		return -1;
	/* in force already; the id is for list-fs-status, from 1 so that
	 * fvctl (which tests it for truth) reports the first success too */
	*result = json_integer((json_int_t)++rpc->fs_requests);
	return 0;
}

static int m_update_flowspace(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			      struct rpc_error *e)
{
	json_t *rules = rules_in(rpc, m, p, true, e);

	if (!rules)
		return -1;
	if (call(rpc, m, "flowspace_update", json_pack("{s:o}", "rules", rules), NULL, e))
		return -1;
	/* FlowVisor answers the (last) rule's id */
	{
		const struct fs_map *map = fs_slicer_flowspace(rpc->slicing->slicer);
		const char *last = str_param(json_array_get(p, json_array_size(p) - 1), "name");

		for (size_t k = 0; k < fs_map_size(map); k++)
			if (!strcmp(fs_map_rule(map, k)->name, last))
				*result = json_integer((json_int_t)(k + 1));
	}
	if (!*result)
		*result = json_true();
	return 0;
}

static int m_remove_flowspace(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			      struct rpc_error *e)
{
	if (!json_array_size(p))
		return fail(e, RPC_INVALID_PARAMS, "%s: nothing to remove", m);
	if (call(rpc, m, "flowspace_remove", json_pack("{s:O}", "names", p), NULL, e))
		return -1;
	*result = json_true();
	return 0;
}

static int m_list_fs_status(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			    struct rpc_error *e)
{
	static const char *const known[] = { "fs-id", NULL };
	json_t *id = json_object_get(p, "fs-id");

	if (only(p, known, m, e))
		return -1;
	if (!json_is_integer(id))
		return fail(e, RPC_INVALID_PARAMS, "%s: fs-id is required (a number)", m);
	/* every add-flowspace is done or refused before it answers */
	*result = json_string(json_integer_value(id) >= 1 &&
					      (unsigned long)json_integer_value(id) <= rpc->fs_requests
				      ? "SUCCESS"
				      : "UNKNOWN");
	return 0;
}

static int m_list_version(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			  struct rpc_error *e)
{
	(void)rpc;
	(void)m;
	(void)p;
	(void)e;
	*result = json_pack("{s:s, s:s}", "flowvisor-version", "nfplane (FlowVisor 1.4 API)",
			    "db-version", "0");
	return 0;
}

static int m_save_config(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			 struct rpc_error *e)
{
	json_t *doc = fs_config_to_json(&rpc->slicing->conf);
	char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;

	(void)p;
	json_decref(doc);
	if (!text)
		return fail(e, RPC_INTERNAL_ERROR, "%s: out of memory", m);
	/* FlowVisor answers the document as a string; fvctl writes it out */
	*result = json_string(text);
	free(text);
	return 0;
}

static int m_get_config(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			struct rpc_error *e)
{
	static const char *const known[] = { "slice-name", "dpid", NULL };
	const struct fs_config *c = &rpc->slicing->conf;
	const char *slice = str_param(p, "slice-name");
	json_t *limits = json_object();

	if (only(p, known, m, e)) {
		json_decref(limits);
		return -1;
	}
	if (slice && !fs_config_slice(c, slice)) {
		json_decref(limits);
		return fail(e, RPC_INVALID_PARAMS, "%s: no slice named '%s'", m, slice);
	}
	for (size_t i = 0; i < c->n_slices; i++)
		if (!slice || !strcmp(slice, c->slices[i].name))
			json_object_set_new(limits, c->slices[i].name,
					    json_pack("{s:I}", "any",
						      (json_int_t)c->slices[i].flowmod_limit));
	*result = json_pack("{s:o, s:b, s:b, s:b, s:i}", "flowmod-limit", limits, "track-flows", 0,
			    "stats-desc", 0, "enable-topo-ctrl", 0, "flow-stats-cache", 0);
	return 0;
}

static int m_set_config(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			struct rpc_error *e)
{
	static const char *const known[] = { "flowmod-limit", NULL };
	json_t *fl = json_object_get(p, "flowmod-limit"), *args;
	const char *dpid;
	bool any;
	uint64_t v;
	char why[128];

	if (!json_object_size(p))
		return fail(e, RPC_INVALID_PARAMS, "%s: no parameters given", m);
	if (only(p, known, m, e))
		return fail(e, RPC_INVALID_PARAMS, "%s: only flowmod-limit can be set here "
			    "(flood-perm, track-flows, stats-desc, enable-topo-ctrl and "
			    "flow-stats-cache are not nfpd settings)", m);
	dpid = str_param(fl, "dpid");
	if (!json_is_object(fl) || !str_param(fl, "slice-name") || !dpid ||
	    !json_is_integer(json_object_get(fl, "limit")))
		return fail(e, RPC_INVALID_PARAMS, "%s: flowmod-limit is {slice-name, dpid, limit}",
			    m);
	if (fs_dpid_parse(dpid, &any, &v, why, sizeof(why)))
		return fail(e, RPC_INVALID_PARAMS, "%s: %s", m, why);
	if (!any)
		return fail(e, RPC_INVALID_PARAMS, "%s: per-switch flow-mod limits are not "
			    "supported yet: give dpid 'any' for the slice's limit", m);
	args = json_pack("{s:O, s:O}", "name", json_object_get(fl, "slice-name"),
			 "flowmod_limit", json_object_get(fl, "limit"));
	if (call(rpc, m, "slice_update", args, NULL, e))
		return -1;
	*result = json_true();
	return 0;
}

/* dpids from of_switches' "0000000000000001" to FlowVisor's colons */
static void dpid_colons(const char *hex16, char out[24])
{
	bool any;
	uint64_t v = 0;
	char why[64];

	fs_dpid_parse(hex16, &any, &v, why, sizeof(why));
	fs_dpid_format(false, v, out);
}

static int m_list_datapaths(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
			    struct rpc_error *e)
{
	json_t *sw = NULL, *v;
	size_t i;

	(void)p;
	if (call(rpc, m, "of_switches", json_object(), &sw, e))
		return -1;
	*result = json_array();
	json_array_foreach(json_object_get(sw, "switches"), i, v) {
		char dp[24];

		dpid_colons(str_param(v, "dpid") ?: "0", dp);
		json_array_append_new(*result, json_string(dp));
	}
	json_decref(sw);
	return 0;
}

static int m_list_datapath_info(struct fv_rpc *rpc, const char *m, json_t *p, json_t **result,
				struct rpc_error *e)
{
	static const char *const known[] = { "dpid", NULL };
	json_t *ports = NULL, *nums = json_array(), *names = json_array(), *v;
	const char *dpid = str_param(p, "dpid");
	size_t i;

	if (only(p, known, m, e) || !dpid) {
		json_decref(nums);
		json_decref(names);
		return e->code ? -1 : fail(e, RPC_INVALID_PARAMS, "%s: dpid is required", m);
	}
	if (call(rpc, m, "of_ports", json_pack("{s:s}", "dpid", dpid), &ports, e)) {
		json_decref(nums);
		json_decref(names);
		return -1;
	}
	json_array_foreach(json_object_get(ports, "ports"), i, v) {
		json_array_append(nums, json_object_get(v, "port_no"));
		json_array_append(names, json_object_get(v, "name"));
	}
	*result = json_pack("{s:s, s:I, s:o, s:o}", "dpid", dpid, "num-ports",
			    (json_int_t)json_array_size(nums), "port-list", nums, "port-names", names);
	json_decref(ports);
	return 0;
}

static const struct method methods[] = {
	{ "list-slices", P_NONE, m_list_slices },
	{ "add-slice", P_OBJECT, m_add_slice },
	{ "update-slice", P_OBJECT, m_update_slice },
	{ "remove-slice", P_OBJECT, m_remove_slice },
	{ "list-slice-info", P_OBJECT, m_list_slice_info },
	{ "list-slice-stats", P_OBJECT, m_list_slice_stats },
	{ "list-flowspace", P_OBJECT, m_list_flowspace },
	{ "add-flowspace", P_ARRAY, m_add_flowspace },
	{ "update-flowspace", P_ARRAY, m_update_flowspace },
	{ "remove-flowspace", P_ARRAY, m_remove_flowspace },
	{ "list-fs-status", P_OBJECT, m_list_fs_status },
	{ "list-version", P_NONE, m_list_version },
	{ "save-config", P_NONE, m_save_config },
	{ "get-config", P_OBJECT, m_get_config },
	{ "set-config", P_OBJECT, m_set_config },
	{ "list-datapaths", P_NONE, m_list_datapaths },
	{ "list-datapath-info", P_OBJECT, m_list_datapath_info },
	{ NULL, P_NONE, NULL },
};

static char *reply(json_t *id, json_t *result, const struct rpc_error *e)
{
	json_t *o = json_pack("{s:s, s:O}", "jsonrpc", "2.0", "id", id ? id : json_null());
	char *text;

	if (e)
		json_object_set_new(o, "error", json_pack("{s:i, s:s}", "code", e->code, "message",
							  e->message));
	else
		json_object_set_new(o, "result", result ? result : json_null());
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text ? text : strdup("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
				    "\"message\":\"out of memory\"}}");
}

char *fv_rpc_handle(void *ctx, const char *body, size_t len)
{
	static const char *const kind_names[] = { "NO_PARAMS", "OBJECT", "ARRAY" };
	struct fv_rpc *rpc = ctx;
	struct rpc_error e = { 0 };
	json_error_t jerr;
	json_t *req = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr), *params, *result = NULL;
	const char *name;
	const struct method *m;
	char *text;

	if (!req) {
		fail(&e, RPC_PARSE_ERROR, "not JSON: %s (line %d)", jerr.text, jerr.line);
		return reply(NULL, NULL, &e);
	}
	if (!json_is_object(req) || !(name = str_param(req, "method"))) {
		fail(&e, RPC_INVALID_REQUEST, "a JSON-RPC 2.0 request is {jsonrpc, id, method, "
		     "params}");
		goto out;
	}
	for (m = methods; m->name && strcmp(m->name, name); m++)
		;
	if (!m->name) {
		fail(&e, RPC_METHOD_NOT_FOUND, "Method not found: %.60s", name);
		goto out;
	}
	params = json_object_get(req, "params");
	if (m->kind != P_NONE) {
		int got = !params ? P_NONE : json_is_object(params) ? P_OBJECT
					  : json_is_array(params)  ? P_ARRAY
								   : -1;

		if (got != (int)m->kind) {
			fail(&e, RPC_INVALID_PARAMS, "%s requires: %s; got: %s", name,
			     kind_names[m->kind], got < 0 ? "a value" : kind_names[got]);
			goto out;
		}
	}
	if (!rpc->slicing || !rpc->slicing->slicer) {
		fail(&e, RPC_INTERNAL_ERROR, "%s: slicing needs the OpenFlow controller, which "
		     "is off", name);
		goto out;
	}
	if (m->fn(rpc, name, params, &result, &e))
		json_decref(result), result = NULL;
out:
	text = reply(json_object_get(req, "id"), result, e.code ? &e : NULL);
	json_decref(req);
	return text;
}
