/* commands.c - the slicing API commands (fvctl's, in nfplane's style):
 *   slice_add {name, controller, contact?, drop_policy?, recv_lldp?, enabled?,
 *              flowmod_limit?, rate_limit?}
 *   slice_update {name, <the same, each optional>}
 *   slice_remove {name}      (its permissions leave every rule; a rule left
 *                             with none goes too, as in FlowVisor)
 *   slice_list {}  slice_info {name}  slice_stats {name?}
 *   flowspace_add {rules: [{name, dpid?, priority?, match?, actions}, ...]}
 *                             (several in one request, all or none)
 *   flowspace_update {name, dpid?, priority?, match?, actions?}
 *                    or {rules: [{name, ...}, ...]} (all or none)
 *   flowspace_remove {names: [...]}
 *   flowspace_list {slice?}
 *   slicing_export {}  slicing_import {config}   (FlowVisor's JSON)
 * Each builds the next configuration as a copy and hands it to
 * fs_subsys_apply: refused whole, or in force and saved.
 */
#include "slicing/subsys.h"
#include "api/args.h"
#include "slicing/proxy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fs_subsys *subsys(struct nfp_api_req *req, struct nfp_api_error *err)
{
	struct fs_subsys *s = req->ctx;

	if (!s || !s->slicer) {
		nfp_api_fail(err, ENOTSUP, "slicing needs the OpenFlow controller, which is off");
		return NULL;
	}
	return s;
}

static int apply(struct fs_subsys *s, struct fs_config *next, struct nfp_api_error *err)
{
	char why[512];
	int r = fs_subsys_apply(s, next, why, sizeof(why));

	fs_config_free(next);
	if (r)
		return nfp_api_fail(err, -r, "%s", why);
	return 0;
}

/* ---- slices ---- */

static const char *const drop_policies[] = { "exact", "rule", NULL };

/* The optional settings of a slice from @args onto @c. */
static int slice_settings(json_t *args, struct fs_slice_conf *c, struct nfp_api_error *err)
{
	const char *str = NULL;
	int64_t n;
	int r, k;

	if ((r = nfp_args_string(args, "controller", false, FS_CONTROLLER_MAX - 1, &str, err)) < 0)
		return r;
	if (r == 0)
		snprintf(c->controller, sizeof(c->controller), "%s", str);
	if ((r = nfp_args_string(args, "contact", false, FS_CONTACT_MAX - 1, &str, err)) < 0)
		return r;
	if (r == 0)
		snprintf(c->contact, sizeof(c->contact), "%s", str);
	if ((r = nfp_args_enum(args, "drop_policy", false, drop_policies, &k, err)) < 0)
		return r;
	if (r == 0)
		c->drop_policy = (enum fs_drop_policy)k;
	if ((r = nfp_args_bool(args, "recv_lldp", false, &c->recv_lldp, err)) < 0 ||
	    (r = nfp_args_bool(args, "enabled", false, &c->enabled, err)) < 0)
		return r;
	if ((r = nfp_args_int(args, "flowmod_limit", false, -1, INT32_MAX, &n, err)) < 0)
		return r;
	if (r == 0)
		c->flowmod_limit = n;
	if ((r = nfp_args_int(args, "rate_limit", false, -1, INT32_MAX, &n, err)) < 0)
		return r;
	if (r == 0)
		c->rate_limit = n;
	return 0;
}

static const char *const slice_args[] = { "name", "controller", "contact", "drop_policy",
					  "recv_lldp", "enabled", "flowmod_limit", "rate_limit",
					  NULL };

static int cmd_slice_add(struct nfp_api_req *req, json_t *args, json_t **result,
			 struct nfp_api_error *err)
{
	struct fs_subsys *s = subsys(req, err);
	struct fs_config next;
	struct fs_slice_conf c = { .enabled = true, .flowmod_limit = -1, .rate_limit = -1 };
	const char *name;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, slice_args, err)) < 0 ||
	    (r = nfp_args_string(args, "name", true, FS_NAME_MAX - 1, &name, err)) < 0 ||
	    (r = slice_settings(args, &c, err)) < 0)
		return r;
	if (!json_object_get(args, "controller"))
		return nfp_api_fail(err, EINVAL, "argument 'controller' is missing (module:NAME "
				    "or tcp:HOST:PORT)");
	snprintf(c.name, sizeof(c.name), "%s", name);
	if (fs_config_slice(&s->conf, name))
		return nfp_api_fail(err, EEXIST, "slice %s exists already", name);
	if (fs_config_copy(&next, &s->conf))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	{
		struct fs_slice_conf *grown = realloc(next.slices, (next.n_slices + 1) * sizeof(c));

		if (!grown) {
			fs_config_free(&next);
			return nfp_api_fail(err, ENOMEM, "out of memory");
		}
		next.slices = grown;
		next.slices[next.n_slices++] = c;
	}
	if ((r = apply(s, &next, err)))
		return r;
	*result = fs_slice_conf_json(&c);
	return 0;
}

static struct fs_slice_conf *find_slice(struct fs_subsys *s, json_t *args, size_t *index,
					struct nfp_api_error *err)
{
	const char *name;

	if (nfp_args_string(args, "name", true, FS_NAME_MAX - 1, &name, err) < 0)
		return NULL;
	for (size_t i = 0; i < s->conf.n_slices; i++)
		if (!strcmp(s->conf.slices[i].name, name)) {
			*index = i;
			return &s->conf.slices[i];
		}
	nfp_api_fail(err, ENOENT, "no slice named '%s'", name);
	return NULL;
}

static int cmd_slice_update(struct nfp_api_req *req, json_t *args, json_t **result,
			    struct nfp_api_error *err)
{
	struct fs_subsys *s = subsys(req, err);
	struct fs_config next;
	size_t i;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, slice_args, err)) < 0)
		return r;
	if (!find_slice(s, args, &i, err))
		return -err->code;
	if (fs_config_copy(&next, &s->conf))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	if ((r = slice_settings(args, &next.slices[i], err)) < 0) {
		fs_config_free(&next);
		return r;
	}
	if ((r = apply(s, &next, err)))
		return r;
	*result = fs_slice_conf_json(&s->conf.slices[i]);
	return 0;
}

static int cmd_slice_remove(struct nfp_api_req *req, json_t *args, json_t **result,
			    struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", NULL };
	struct fs_subsys *s = subsys(req, err);
	struct fs_config next;
	size_t i, kept = 0, dropped = 0;
	char name[FS_NAME_MAX];
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	if (!find_slice(s, args, &i, err))
		return -err->code;
	snprintf(name, sizeof(name), "%s", s->conf.slices[i].name);
	if (fs_config_copy(&next, &s->conf))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	memmove(&next.slices[i], &next.slices[i + 1], (next.n_slices - i - 1) * sizeof(*next.slices));
	next.n_slices--;
	for (size_t k = 0; k < next.n_rules; k++) {
		struct fs_rule *rl = &next.rules[k];
		int n = 0;

		for (int a = 0; a < rl->n_actions; a++)
			if (strcmp(rl->actions[a].slice, name))
				rl->actions[n++] = rl->actions[a];
		rl->n_actions = (uint8_t)n;
		if (n)
			next.rules[kept++] = *rl;
		else
			dropped++;
	}
	next.n_rules = kept;
	if ((r = apply(s, &next, err)))
		return r;
	*result = json_pack("{s:s, s:I}", "removed", name, "rules_removed", (json_int_t)dropped);
	return 0;
}

static json_t *slice_status(struct fs_subsys *s, size_t i)
{
	json_t *o = fs_slice_conf_json(&s->conf.slices[i]);
	struct fs_slice_stats st = { 0 };
	const struct fs_running *r = &s->run[i];
	size_t rules = 0;

	for (size_t k = 0; k < s->conf.n_rules; k++)
		rules += fs_rule_perm(&s->conf.rules[k], s->conf.slices[i].name) != 0;
	struct nfp_fs_stats xs = { 0 };

	if (r->slice)
		fs_slice_stats(r->slice, &st);
	fs_xdp_stats(&s->xdp, (uint32_t)(i + 1), &xs);
	json_object_set_new(o, "running", json_boolean(r->module || r->proxy));
	if (r->proxy)
		json_object_set_new(o, "controller_sessions",
				    json_integer(fs_proxy_connected(r->proxy)));
	if (!r->module && !r->proxy && r->why)
		json_object_set_new(o, "why_not_running", json_string(r->why));
	json_object_set_new(o, "flowspace_rules", json_integer((json_int_t)rules));
	json_object_set_new(o, "stats",
			    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "packet_ins",
				      (json_int_t)st.packet_ins, "flow_mods_in",
				      (json_int_t)st.flow_mods_in, "flow_mods_out",
				      (json_int_t)st.flow_mods_out, "packet_outs",
				      (json_int_t)st.packet_outs, "refused", (json_int_t)st.eperm,
				      "over_quota", (json_int_t)st.over_quota, "rate_limited",
				      (json_int_t)st.rate_limited, "current_flowmod_usage",
				      (json_int_t)st.flow_entries));
	json_object_set_new(o, "xdp", json_pack("{s:I, s:I}", "packets", (json_int_t)xs.packets,
						"bytes", (json_int_t)xs.bytes));
	return o;
}

static int cmd_slice_list(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct fs_subsys *s = subsys(req, err);
	json_t *list;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	list = json_array();
	for (size_t i = 0; i < s->conf.n_slices; i++)
		json_array_append_new(list, slice_status(s, i));
	*result = json_pack("{s:o, s:s}", "slices", list, "flowmap",
			    fs_map_kind_name(s->conf.map_kind));
	return 0;
}

static int cmd_slice_info(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", NULL };
	struct fs_subsys *s = subsys(req, err);
	size_t i;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	if (!find_slice(s, args, &i, err))
		return -err->code;
	*result = slice_status(s, i);
	return 0;
}

static int cmd_slice_stats(struct nfp_api_req *req, json_t *args, json_t **result,
			   struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", NULL };
	struct fs_subsys *s = subsys(req, err);
	struct fs_slicer_stats st;
	json_t *list = json_array();
	size_t only = SIZE_MAX;
	int r;

	if (!s) {
		json_decref(list);
		return -ENOTSUP;
	}
	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (json_object_get(args, "name") && !find_slice(s, args, &only, err))) {
		json_decref(list);
		return r < 0 ? r : -err->code;
	}
	for (size_t i = 0; i < s->conf.n_slices; i++) {
		json_t *status;

		if (only != SIZE_MAX && only != i)
			continue;
		status = slice_status(s, i);
		json_array_append_new(list, json_pack("{s:s, s:O}", "name", s->conf.slices[i].name,
						      "stats", json_object_get(status, "stats")));
		json_decref(status);
	}
	fs_slicer_stats(s->slicer, &st);
	{
		struct nfp_fs_stats none = { 0 };

		fs_xdp_stats(&s->xdp, 0, &none);
		*result = json_pack("{s:o, s:I, s:I, s:{s:I, s:I}}", "slices", list, "packet_ins",
				    (json_int_t)st.packet_ins, "packet_ins_no_flowspace",
				    (json_int_t)st.packet_ins_no_rule, "xdp_no_flowspace", "packets",
				    (json_int_t)none.packets, "bytes", (json_int_t)none.bytes);
	}
	return 0;
}

/* ---- flowspace ---- */

/* A rule from the API's form: match and actions as FlowVisor's strings. */
static int rule_from_args(json_t *o, const char *where, struct fs_rule *r, bool update,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", "dpid", "priority", "match", "actions",
					       NULL };
	const char *str;
	char why[300];
	int64_t prio;
	int rc;

	if (!json_is_object(o))
		return nfp_api_fail(err, EINVAL, "%s: not an object", where);
	if ((rc = nfp_args_only(o, allowed, err)) < 0)
		return rc;
	if (!update) {
		if ((rc = nfp_args_string(o, "name", true, FS_NAME_MAX - 1, &str, err)) < 0)
			return rc;
		snprintf(r->name, sizeof(r->name), "%s", str);
	}
	if ((rc = nfp_args_string(o, "dpid", false, 40, &str, err)) < 0)
		return rc;
	if (rc == 0 && fs_dpid_parse(str, &r->any_dpid, &r->dpid, why, sizeof(why)))
		return nfp_api_fail(err, EINVAL, "%s: %s", where, why);
	if ((rc = nfp_args_int(o, "priority", false, 0, FS_PRIORITY_MAX, &prio, err)) < 0)
		return rc;
	if (rc == 0)
		r->priority = (uint32_t)prio;
	if ((rc = nfp_args_string(o, "match", false, 1000, &str, err)) < 0)
		return rc;
	if (rc == 0 && fs_match_parse(str, &r->match, why, sizeof(why)))
		return nfp_api_fail(err, EINVAL, "%s: %s", where, why);
	if ((rc = nfp_args_string(o, "actions", !update, 2000, &str, err)) < 0)
		return rc;
	if (rc == 0 && fs_perm_parse(str, r, why, sizeof(why)))
		return nfp_api_fail(err, EINVAL, "%s: %s", where, why);
	return 0;
}

static int cmd_flowspace_add(struct nfp_api_req *req, json_t *args, json_t **result,
			     struct nfp_api_error *err)
{
	static const char *const allowed[] = { "rules", NULL };
	struct fs_subsys *s = subsys(req, err);
	json_t *rules = json_object_get(args, "rules"), *o, *names;
	struct fs_config next;
	struct fs_rule *grown;
	size_t i, n;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	n = json_array_size(rules);
	if (!json_is_array(rules) || !n)
		return nfp_api_fail(err, EINVAL, "argument 'rules' must be a list of one or more "
				    "rules ({name, dpid, priority, match, actions})");
	if (fs_config_copy(&next, &s->conf))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	grown = realloc(next.rules, (next.n_rules + n) * sizeof(*grown));
	if (!grown) {
		fs_config_free(&next);
		return nfp_api_fail(err, ENOMEM, "out of memory");
	}
	next.rules = grown;
	json_array_foreach(rules, i, o) {
		struct fs_rule rl = { .any_dpid = true, .priority = FS_PRIORITY_DEFAULT };
		char where[32];

		snprintf(where, sizeof(where), "rules[%zu]", i);
		if ((r = rule_from_args(o, where, &rl, false, err)) < 0) {
			fs_config_free(&next);
			return r;
		}
		next.rules[next.n_rules++] = rl;
	}
	if ((r = apply(s, &next, err)))
		return r;
	names = json_array();
	json_array_foreach(rules, i, o)
		json_array_append(names, json_object_get(o, "name"));
	*result = json_pack("{s:o}", "added", names);
	return 0;
}

/* One {name, ...} change of @args onto @next (@where prefixes errors). */
static int update_one(struct fs_config *next, json_t *o, const char *where,
		      struct nfp_api_error *err)
{
	struct fs_rule *rl;
	const char *name;
	int r;

	if (!json_is_object(o))
		return nfp_api_fail(err, EINVAL, "%s: not an object", where);
	if ((r = nfp_args_string(o, "name", true, FS_NAME_MAX - 1, &name, err)) < 0)
		return r;
	rl = fs_config_rule(next, name);
	if (!rl)
		return nfp_api_fail(err, ENOENT, "%sno flowspace rule named '%s'",
				    *where ? where : "", name);
	return rule_from_args(o, name, rl, true, err);
}

/* {name, ...} for one rule, or {rules: [{name, ...}, ...]} for several,
 * all or none. */
static int cmd_flowspace_update(struct nfp_api_req *req, json_t *args, json_t **result,
				struct nfp_api_error *err)
{
	struct fs_subsys *s = subsys(req, err);
	json_t *rules = json_object_get(args, "rules"), *o, *list;
	struct fs_config next;
	size_t i;
	int r = 0;

	if (!s)
		return -ENOTSUP;
	if (rules && (json_object_size(args) != 1 || !json_is_array(rules) ||
		      !json_array_size(rules)))
		return nfp_api_fail(err, EINVAL, "argument 'rules' must be the only one, a list "
				    "of one or more changes ({name, ...})");
	if (fs_config_copy(&next, &s->conf))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	if (!rules) {
		r = update_one(&next, args, "", err);
	} else {
		json_array_foreach(rules, i, o) {
			char where[32];

			snprintf(where, sizeof(where), "rules[%zu]: ", i);
			if ((r = update_one(&next, o, where, err)) < 0)
				break;
		}
	}
	if (r < 0) {
		fs_config_free(&next);
		return r;
	}
	if ((r = apply(s, &next, err)))
		return r;
	if (!rules) {
		*result = fs_rule_json(fs_config_rule(&s->conf,
						      json_string_value(json_object_get(args, "name"))));
		return 0;
	}
	list = json_array();
	json_array_foreach(rules, i, o)
		json_array_append_new(list, fs_rule_json(fs_config_rule(
						    &s->conf, json_string_value(json_object_get(o, "name")))));
	*result = json_pack("{s:o}", "updated", list);
	return 0;
}

static int cmd_flowspace_remove(struct nfp_api_req *req, json_t *args, json_t **result,
				struct nfp_api_error *err)
{
	static const char *const allowed[] = { "names", NULL };
	struct fs_subsys *s = subsys(req, err);
	json_t *names = json_object_get(args, "names"), *v;
	struct fs_config next;
	size_t i, kept = 0;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	if (!json_is_array(names) || !json_array_size(names))
		return nfp_api_fail(err, EINVAL, "argument 'names' must be a list of rule names");
	json_array_foreach(names, i, v)
		if (!json_is_string(v) || !fs_config_rule(&s->conf, json_string_value(v)))
			return nfp_api_fail(err, ENOENT, "names[%zu]: no flowspace rule named '%s'",
					    i, json_is_string(v) ? json_string_value(v) : "?");
	if (fs_config_copy(&next, &s->conf))
		return nfp_api_fail(err, ENOMEM, "out of memory");
	for (size_t k = 0; k < next.n_rules; k++) {
		bool gone = false;

		json_array_foreach(names, i, v)
			gone |= !strcmp(next.rules[k].name, json_string_value(v));
		if (!gone)
			next.rules[kept++] = next.rules[k];
	}
	next.n_rules = kept;
	if ((r = apply(s, &next, err)))
		return r;
	*result = json_pack("{s:O}", "removed", names);
	return 0;
}

static int cmd_flowspace_list(struct nfp_api_req *req, json_t *args, json_t **result,
			      struct nfp_api_error *err)
{
	static const char *const allowed[] = { "slice", NULL };
	struct fs_subsys *s = subsys(req, err);
	const char *slice = NULL;
	json_t *list;
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_string(args, "slice", false, FS_NAME_MAX - 1, &slice, err)) < 0)
		return r;
	if (slice && !fs_config_slice(&s->conf, slice))
		return nfp_api_fail(err, ENOENT, "no slice named '%s'", slice);
	list = json_array();
	/* in priority order, the order lookups take them */
	for (size_t i = 0; i < fs_map_size(fs_slicer_flowspace(s->slicer)); i++) {
		const struct fs_rule *rl = fs_map_rule(fs_slicer_flowspace(s->slicer), i);
		json_t *o;
		char buf[1024];

		if (slice && !fs_rule_perm(rl, slice))
			continue;
		o = fs_rule_json(rl);
		fs_match_format(&rl->match, buf, sizeof(buf));
		json_object_set_new(o, "match", json_string(buf));
		fs_perm_format(rl, buf, sizeof(buf));
		json_object_set_new(o, "actions", json_string(buf));
		json_array_append_new(list, o);
	}
	*result = json_pack("{s:o}", "rules", list);
	return 0;
}

static int cmd_export(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct fs_subsys *s = subsys(req, err);
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	*result = fs_config_to_json(&s->conf);
	return 0;
}

static int cmd_import(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { "config", NULL };
	struct fs_subsys *s = subsys(req, err);
	struct fs_config next;
	char why[512];
	int r;

	if (!s)
		return -ENOTSUP;
	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	if (!json_object_get(args, "config"))
		return nfp_api_fail(err, EINVAL, "argument 'config' is missing (FlowVisor's JSON)");
	fs_config_init(&next);
	next.map_kind = s->conf.map_kind;
	if ((r = fs_config_from_json(json_object_get(args, "config"), &next, why, sizeof(why))))
		return nfp_api_fail(err, -r, "%s", why);
	if ((r = apply(s, &next, err)))
		return r;
	*result = json_pack("{s:I, s:I}", "slices", (json_int_t)s->conf.n_slices, "rules",
			    (json_int_t)s->conf.n_rules);
	return 0;
}

const struct nfp_api_command fs_commands[] = {
	{ "slice_add", "add a slice {name, controller, ...}", cmd_slice_add },
	{ "slice_update", "change a slice's settings {name, ...}", cmd_slice_update },
	{ "slice_remove", "remove a slice and its permissions {name}", cmd_slice_remove },
	{ "slice_list", "slices, their settings and state", cmd_slice_list },
	{ "slice_info", "one slice {name}", cmd_slice_info },
	{ "slice_stats", "slices' message counters {name?}", cmd_slice_stats },
	{ "flowspace_add", "add flowspace rules, all or none {rules}", cmd_flowspace_add },
	{ "flowspace_update", "change rules {name, ...} or {rules}", cmd_flowspace_update },
	{ "flowspace_remove", "remove rules {names}", cmd_flowspace_remove },
	{ "flowspace_list", "the rules in priority order {slice?}", cmd_flowspace_list },
	{ "slicing_export", "the configuration as FlowVisor's JSON", cmd_export },
	{ "slicing_import", "replace the configuration {config}", cmd_import },
	{ NULL, NULL, NULL },
};
