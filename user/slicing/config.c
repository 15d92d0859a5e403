/* config.c - see config.h: the slicing configuration, its checks, and
 * FlowVisor's JSON for it.
 *
 * A rule's match in the JSON is one key per field, as FlowVisor dumps it;
 * the keys are turned back into a match string and parsed by fs_match_parse,
 * so the document and the command line accept exactly the same values. A
 * key that is no field is an error here, unlike in FlowVisor: a misspelt
 * field would otherwise widen the rule to more traffic without a word.
 */
#include "slicing/config.h"
#include "openflow/of_provider.h"
#include "common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fs_config_init(struct fs_config *c)
{
	memset(c, 0, sizeof(*c));
	c->map_kind = FS_MAP_FEDERATED;
}

void fs_config_free(struct fs_config *c)
{
	free(c->slices);
	free(c->rules);
	fs_config_init(c);
}

int fs_config_copy(struct fs_config *dst, const struct fs_config *src)
{
	struct fs_config c = *src;

	c.slices = calloc(src->n_slices ? src->n_slices : 1, sizeof(*c.slices));
	c.rules = calloc(src->n_rules ? src->n_rules : 1, sizeof(*c.rules));
	if (!c.slices || !c.rules) {
		free(c.slices);
		free(c.rules);
		return -ENOMEM;
	}
	/* an empty configuration has no arrays to copy from */
	if (src->n_slices)
		memcpy(c.slices, src->slices, src->n_slices * sizeof(*c.slices));
	if (src->n_rules)
		memcpy(c.rules, src->rules, src->n_rules * sizeof(*c.rules));
	*dst = c;
	return 0;
}

struct fs_slice_conf *fs_config_slice(const struct fs_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_slices; i++)
		if (!strcmp(c->slices[i].name, name))
			return &c->slices[i];
	return NULL;
}

struct fs_rule *fs_config_rule(const struct fs_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_rules; i++)
		if (!strcmp(c->rules[i].name, name))
			return &c->rules[i];
	return NULL;
}

/* Names people type and files hold: letters, digits, - _ . */
static bool name_ok(const char *s)
{
	if (!*s || strlen(s) >= FS_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

int fs_controller_check(const char *ctl, char *err, size_t err_len)
{
	if (!strncmp(ctl, "module:", 7)) {
		if (of_module_find(ctl + 7))
			return 0;
		snprintf(err, err_len, "controller '%s': no module named '%s' (modules: "
			 "learning-switch, hub)", ctl, ctl + 7);
		return -EINVAL;
	}
	if (!strncmp(ctl, "tcp:", 4)) {
		const char *colon = strrchr(ctl + 4, ':');
		char *end;
		long port;

		if (colon && colon > ctl + 4) {
			port = strtol(colon + 1, &end, 10);
			if (colon[1] && !*end && port > 0 && port < 65536)
				return 0;
		}
	}
	snprintf(err, err_len, "controller '%.64s' is not module:NAME or tcp:HOST:PORT", ctl);
	return -EINVAL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int fs_config_check(const struct fs_config *c, char *err, size_t err_len)
{
	if (c->n_slices > FS_MAX_SLICES) {
		snprintf(err, err_len, "more than %d slices", FS_MAX_SLICES);
		return -EINVAL;
	}
	if (c->n_rules > FS_MAX_RULES) {
		snprintf(err, err_len, "more than %d flowspace rules", FS_MAX_RULES);
		return -EINVAL;
	}
	for (size_t i = 0; i < c->n_slices; i++) {
		const struct fs_slice_conf *s = &c->slices[i];
		char why[200];

		if (!name_ok(s->name)) {
			snprintf(err, err_len, "slice name '%.64s': 1-%d letters, digits, '-', "
				 "'_' or '.'", s->name, FS_NAME_MAX - 1);
			return -EINVAL;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(c->slices[k].name, s->name)) {
				snprintf(err, err_len, "slice %s exists already", s->name);
				return -EEXIST;
			}
		if (fs_controller_check(s->controller, why, sizeof(why))) {
			snprintf(err, err_len, "slice %s: %s", s->name, why);
			return -EINVAL;
		}
		if (s->flowmod_limit < -1 || s->rate_limit < -1 || s->rate_limit == 0) {
			snprintf(err, err_len, "slice %s: limits are -1 (none) or positive "
				 "(a rate limit of 0 would silence the slice)", s->name);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < c->n_rules; i++) {
		const struct fs_rule *r = &c->rules[i];

		if (!name_ok(r->name)) {
			snprintf(err, err_len, "flowspace name '%.64s': 1-%d letters, digits, "
				 "'-', '_' or '.'", r->name, FS_NAME_MAX - 1);
			return -EINVAL;
		}
		if (r->priority > FS_PRIORITY_MAX) {
			snprintf(err, err_len, "flowspace %s: priority %u is over %d", r->name,
				 r->priority, FS_PRIORITY_MAX);
			return -EINVAL;
		}
		for (int a = 0; a < r->n_actions; a++)
			if (!fs_config_slice(c, r->actions[a].slice)) {
				snprintf(err, err_len, "flowspace %s: no slice named '%s'", r->name,
					 r->actions[a].slice);
				return -ENOENT;
			}
	}
	/* names unique: sorted, since rules can be many */
	if (c->n_rules > 1) {
		const char **names = calloc(c->n_rules, sizeof(*names));

		if (!names)
			return -ENOMEM;
		for (size_t i = 0; i < c->n_rules; i++)
			names[i] = c->rules[i].name;
		qsort(names, c->n_rules, sizeof(*names), by_name);
		for (size_t i = 1; i < c->n_rules; i++)
			if (!strcmp(names[i - 1], names[i])) {
				snprintf(err, err_len, "flowspace %s exists already", names[i]);
				free(names);
				return -EEXIST;
			}
		free(names);
	}
	return 0;
}

/* ---- JSON ---- */

static const char *const match_keys[] = {
	"in_port", "input_port", "dl_vlan", "vlan_vid", "dl_vpcp", "dl_vlan_pcp", "vlan_pcp",
	"dl_src", "eth_src", "dl_dst", "eth_dst", "dl_type", "eth_type", "nw_src", "ip_src",
	"nw_dst", "ip_dst", "nw_proto", "ip_proto", "nw_tos", "ip_tos", "tp_src", "tp_dst", NULL,
};
static const char *const rule_other_keys[] = {
	"dpid", "priority", "id", "name", "slice_action", "queue_id", "forced_queue", "wildcards",
	NULL,
};

static bool in_list(const char *k, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(*list, k))
			return true;
	return false;
}

/* OpenFlow 1.0 wildcards: bits wildcarded in nw_src (shift 8) / nw_dst (14). */
static uint32_t wild_mask(json_t *o, int shift)
{
	json_t *w = json_object_get(o, "wildcards");
	unsigned bits;

	if (!json_is_integer(w))
		return 0xffffffffu;
	bits = (unsigned)((json_integer_value(w) >> shift) & 0x3f);
	return bits >= 32 ? 0 : 0xffffffffu << bits;
}

int fs_rule_from_json(json_t *o, const char *where, struct fs_rule *out, char *err,
		      size_t err_len)
{
	struct fs_rule r = { .priority = FS_PRIORITY_DEFAULT, .any_dpid = true };
	char match[1024] = "", why[300];
	size_t used = 0;
	const char *k;
	json_t *v, *acts;

	if (!json_is_object(o)) {
		snprintf(err, err_len, "%s: not an object", where);
		return -EINVAL;
	}
	json_object_foreach(o, k, v) {
		if (!in_list(k, match_keys) && !in_list(k, rule_other_keys)) {
			snprintf(err, err_len, "%s: unknown key '%.40s'", where, k);
			return -EINVAL;
		}
		if (!in_list(k, match_keys))
			continue;
		if (json_is_integer(v) && (!strcmp(k, "nw_src") || !strcmp(k, "nw_dst") ||
					   !strcmp(k, "ip_src") || !strcmp(k, "ip_dst"))) {
			/* FlowVisor's own dumps: the address as a number, the
			 * prefix in the wildcards */
			uint32_t a = (uint32_t)json_integer_value(v);
			uint32_t mask = wild_mask(o, k[3] == 's' || k[3] == 'c' ? 8 : 14);
			int len = 0;

			while (len < 32 && (mask & (0x80000000u >> len)))
				len++;
			used += (size_t)snprintf(match + used, sizeof(match) - used,
						 "%s%s=%u.%u.%u.%u/%d", used ? "," : "", k, a >> 24,
						 (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff, len);
		} else if (json_is_integer(v)) {
			used += (size_t)snprintf(match + used, sizeof(match) - used, "%s%s=%" PRId64,
						 used ? "," : "", k, (int64_t)json_integer_value(v));
		} else if (json_is_string(v) && !strchr(json_string_value(v), ',')) {
			used += (size_t)snprintf(match + used, sizeof(match) - used, "%s%s=%.64s",
						 used ? "," : "", k, json_string_value(v));
		} else {
			snprintf(err, err_len, "%s.%s: a number or a string", where, k);
			return -EINVAL;
		}
		if (used >= sizeof(match)) {
			snprintf(err, err_len, "%s: match too long", where);
			return -EINVAL;
		}
	}
	if (fs_match_parse(match, &r.match, why, sizeof(why))) {
		snprintf(err, err_len, "%s: %s", where, why);
		return -EINVAL;
	}

	v = json_object_get(o, "name");
	if (v && !json_is_string(v)) {
		snprintf(err, err_len, "%s.name: a string", where);
		return -EINVAL;
	}
	if (v)
		snprintf(r.name, sizeof(r.name), "%s", json_string_value(v));
	else if (json_is_integer(json_object_get(o, "id"))) /* FlowVisor 0.x: ids */
		snprintf(r.name, sizeof(r.name), "%" PRId64,
			 (int64_t)json_integer_value(json_object_get(o, "id")));
	if (v && strlen(json_string_value(v)) >= FS_NAME_MAX) {
		snprintf(err, err_len, "%s.name: longer than %d characters", where, FS_NAME_MAX - 1);
		return -EINVAL;
	}
	v = json_object_get(o, "dpid");
	if (v) {
		char dp[32];

		if (json_is_integer(v))
			snprintf(dp, sizeof(dp), "%" PRId64, (int64_t)json_integer_value(v));
		else if (json_is_string(v))
			snprintf(dp, sizeof(dp), "%.31s", json_string_value(v));
		else
			dp[0] = '\0';
		if (fs_dpid_parse(dp, &r.any_dpid, &r.dpid, why, sizeof(why))) {
			snprintf(err, err_len, "%s.%s", where, why);
			return -EINVAL;
		}
	}
	v = json_object_get(o, "priority");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  json_integer_value(v) > FS_PRIORITY_MAX)) {
		snprintf(err, err_len, "%s.priority: a number 0-%d", where, FS_PRIORITY_MAX);
		return -EINVAL;
	}
	if (v)
		r.priority = (uint32_t)json_integer_value(v);
	/* [{"slice": perm}, ...] */
	acts = json_object_get(o, "slice_action");
	if (!json_is_array(acts) || !json_array_size(acts)) {
		snprintf(err, err_len, "%s.slice_action: a list of {\"SLICE\": PERMISSION}", where);
		return -EINVAL;
	}
	{
		char perms[FS_MAX_SLICE_ACTIONS * (FS_NAME_MAX + 8)] = "";
		size_t pu = 0, i;
		json_t *a;

		json_array_foreach(acts, i, a) {
			const char *slice;
			json_t *perm;

			if (!json_is_object(a) || json_object_size(a) != 1) {
				snprintf(err, err_len, "%s.slice_action[%zu]: one {\"SLICE\": "
					 "PERMISSION}", where, i);
				return -EINVAL;
			}
			json_object_foreach(a, slice, perm) {
				if (!json_is_integer(perm) || strchr(slice, ',') ||
				    strchr(slice, '=') || pu + strlen(slice) + 8 >= sizeof(perms)) {
					snprintf(err, err_len, "%s.slice_action[%zu]: a slice and a "
						 "permission number", where, i);
					return -EINVAL;
				}
				pu += (size_t)snprintf(perms + pu, sizeof(perms) - pu, "%s%s=%" PRId64,
						       pu ? "," : "", slice,
						       (int64_t)json_integer_value(perm));
			}
		}
		if (fs_perm_parse(perms, &r, why, sizeof(why))) {
			snprintf(err, err_len, "%s.slice_action: %s", where, why);
			return -EINVAL;
		}
	}
	*out = r;
	return 0;
}

json_t *fs_rule_json(const struct fs_rule *r)
{
	json_t *o = json_object(), *acts = json_array();
	char buf[1024], dp[24], *save = NULL, *tok;

	fs_dpid_format(r->any_dpid, r->dpid, dp);
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "dpid", json_string(r->any_dpid ? "any" : dp));
	json_object_set_new(o, "priority", json_integer(r->priority));
	/* the match as its fields, FlowVisor's way */
	fs_match_format(&r->match, buf, sizeof(buf));
	if (r->match.fields)
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(tok, '=');
			char *end;
			long long n;

			*eq = '\0';
			n = strtoll(eq + 1, &end, 0);
			if (!*end) /* numbers as numbers (dl_type 0x0800 too) */
				json_object_set_new(o, tok, json_integer(n));
			else
				json_object_set_new(o, tok, json_string(eq + 1));
		}
	for (int i = 0; i < r->n_actions; i++)
		json_array_append_new(acts, json_pack("{s:i}", r->actions[i].slice,
						      r->actions[i].perm));
	json_object_set_new(o, "slice_action", acts);
	return o;
}

json_t *fs_slice_conf_json(const struct fs_slice_conf *s)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:b}", "name", s->name,
			      "controller", s->controller, "contact_email", s->contact,
			      "drop_policy", s->drop_policy == FS_DROP_RULE ? "rule" : "exact",
			      "lldp_spam", s->recv_lldp, "max_flow_rules",
			      (json_int_t)s->flowmod_limit, "rate_limit", (json_int_t)s->rate_limit,
			      "admin_status", s->enabled);

	/* FlowVisor's fields for the controller, for its tools */
	if (!strncmp(s->controller, "module:", 7)) {
		json_object_set_new(o, "controller_hostname", json_string("localhost"));
		json_object_set_new(o, "controller_port", json_integer(0));
		json_object_set_new(o, "module_name", json_string(s->controller + 7));
	} else {
		const char *host = s->controller + 4, *colon = strrchr(host, ':');

		json_object_set_new(o, "controller_hostname",
				    json_stringn(host, (size_t)(colon - host)));
		json_object_set_new(o, "controller_port", json_integer(atoi(colon + 1)));
	}
	return o;
}

json_t *fs_config_to_json(const struct fs_config *c)
{
	json_t *slices = json_array(), *rules = json_array();

	for (size_t i = 0; i < c->n_slices; i++) {
		json_t *s = fs_slice_conf_json(&c->slices[i]);

		json_object_set_new(s, "flowmap_type", json_string(fs_map_kind_name(c->map_kind)));
		json_array_append_new(slices, s);
	}
	for (size_t i = 0; i < c->n_rules; i++)
		json_array_append_new(rules, fs_rule_json(&c->rules[i]));
	return json_pack("{s:[{s:s, s:s}], s:o, s:o}", "flowvisor", "config_name", "default",
			 "version", "nfplane", "Slice", slices, "FlowSpaceRule", rules);
}

static const char *const slice_keys[] = {
	"name", "controller", "controller_hostname", "controller_port", "module_name",
	"contact_email", "drop_policy", "lldp_spam", "max_flow_rules", "rate_limit",
	"admin_status", "flowmap_type", "config_name", "creator", "passwd_crypt", "passwd_salt",
	NULL,
};

static int slice_from_json(json_t *o, size_t i, struct fs_slice_conf *s, char *err,
			   size_t err_len)
{
	const char *k, *str;
	json_t *v;

	memset(s, 0, sizeof(*s));
	s->enabled = true;
	s->flowmod_limit = s->rate_limit = -1;
	if (!json_is_object(o)) {
		snprintf(err, err_len, "Slice[%zu]: not an object", i);
		return -EINVAL;
	}
	json_object_foreach(o, k, v)
		if (!in_list(k, slice_keys)) {
			snprintf(err, err_len, "Slice[%zu]: unknown key '%.40s'", i, k);
			return -EINVAL;
		}
#define STR(key, dst, max)                                                            \
	if ((v = json_object_get(o, key))) {                                          \
		if (!json_is_string(v) || strlen(json_string_value(v)) >= (max)) {    \
			snprintf(err, err_len, "Slice[%zu].%s: a string of at most %d " \
				 "characters", i, key, (int)(max) - 1);               \
			return -EINVAL;                                               \
		}                                                                     \
		snprintf(dst, max, "%s", json_string_value(v));                       \
	}
	STR("name", s->name, FS_NAME_MAX)
	STR("contact_email", s->contact, FS_CONTACT_MAX)
	STR("controller", s->controller, FS_CONTROLLER_MAX)
#undef STR
	if (!s->name[0]) {
		snprintf(err, err_len, "Slice[%zu].name: missing", i);
		return -EINVAL;
	}
	if (!s->controller[0]) {
		json_t *mod = json_object_get(o, "module_name");
		json_t *host = json_object_get(o, "controller_hostname");
		json_t *port = json_object_get(o, "controller_port");

		if (json_is_string(mod))
			snprintf(s->controller, sizeof(s->controller), "module:%.60s",
				 json_string_value(mod));
		else if (json_is_string(host) && json_is_integer(port))
			snprintf(s->controller, sizeof(s->controller), "tcp:%.100s:%" PRId64,
				 json_string_value(host), (int64_t)json_integer_value(port));
		else {
			snprintf(err, err_len, "Slice[%zu] (%s): no controller (controller, "
				 "module_name, or controller_hostname and controller_port)", i,
				 s->name);
			return -EINVAL;
		}
	}
	if ((v = json_object_get(o, "drop_policy"))) {
		str = json_is_string(v) ? json_string_value(v) : "";
		if (strcmp(str, "exact") && strcmp(str, "rule")) {
			snprintf(err, err_len, "Slice[%zu].drop_policy: \"exact\" or \"rule\"", i);
			return -EINVAL;
		}
		s->drop_policy = !strcmp(str, "rule") ? FS_DROP_RULE : FS_DROP_EXACT;
	}
#define BOOL(key, dst)                                                                  \
	if ((v = json_object_get(o, key))) {                                            \
		if (!json_is_boolean(v)) {                                              \
			snprintf(err, err_len, "Slice[%zu].%s: true or false", i, key); \
			return -EINVAL;                                                 \
		}                                                                       \
		dst = json_is_true(v);                                                  \
	}
	BOOL("lldp_spam", s->recv_lldp)
	BOOL("admin_status", s->enabled)
#undef BOOL
#define LIMIT(key, dst)                                                                   \
	if ((v = json_object_get(o, key))) {                                              \
		if (!json_is_integer(v) || json_integer_value(v) < -1) {                  \
			snprintf(err, err_len, "Slice[%zu].%s: -1 (none) or a number", i, \
				 key);                                                    \
			return -EINVAL;                                                   \
		}                                                                         \
		dst = json_integer_value(v);                                              \
	}
	LIMIT("max_flow_rules", s->flowmod_limit)
	LIMIT("rate_limit", s->rate_limit)
#undef LIMIT
	return 0;
}

int fs_config_from_json(json_t *doc, struct fs_config *out, char *err, size_t err_len)
{
	struct fs_config c;
	json_t *slices, *rules, *v;
	const char *k;
	size_t i;
	int r = 0;

	if (!json_is_object(doc)) {
		snprintf(err, err_len, "the configuration is not a JSON object");
		return -EINVAL;
	}
	json_object_foreach(doc, k, v)
		if (strcmp(k, "flowvisor") && strcmp(k, "Slice") && strcmp(k, "FlowSpaceRule") &&
		    strcmp(k, "switches")) {
			snprintf(err, err_len, "unknown key '%.40s' (a FlowVisor configuration "
				 "has flowvisor, Slice, FlowSpaceRule, switches)", k);
			return -EINVAL;
		}
	slices = json_object_get(doc, "Slice");
	rules = json_object_get(doc, "FlowSpaceRule");
	if ((slices && !json_is_array(slices)) || (rules && !json_is_array(rules))) {
		snprintf(err, err_len, "Slice and FlowSpaceRule must be lists");
		return -EINVAL;
	}
	fs_config_init(&c);
	c.map_kind = out->map_kind;
	c.n_slices = json_array_size(slices);
	c.n_rules = json_array_size(rules);
	if (c.n_slices > FS_MAX_SLICES || c.n_rules > FS_MAX_RULES) {
		snprintf(err, err_len, "at most %d slices and %d rules", FS_MAX_SLICES,
			 FS_MAX_RULES);
		return -EINVAL;
	}
	c.slices = calloc(c.n_slices ? c.n_slices : 1, sizeof(*c.slices));
	c.rules = calloc(c.n_rules ? c.n_rules : 1, sizeof(*c.rules));
	if (!c.slices || !c.rules) {
		fs_config_free(&c);
		return -ENOMEM;
	}
	json_array_foreach(slices, i, v)
		if ((r = slice_from_json(v, i, &c.slices[i], err, err_len)))
			goto fail;
	json_array_foreach(rules, i, v) {
		char where[48];

		snprintf(where, sizeof(where), "FlowSpaceRule[%zu]", i);
		if ((r = fs_rule_from_json(v, where, &c.rules[i], err, err_len)))
			goto fail;
		if (!c.rules[i].name[0])
			snprintf(c.rules[i].name, sizeof(c.rules[i].name), "rule%zu", i);
	}
	if ((r = fs_config_check(&c, err, err_len)))
		goto fail;
	fs_config_free(out);
	*out = c;
	return 0;
fail:
	fs_config_free(&c);
	return r;
}

int fs_config_load(const char *path, struct fs_config *c, char *err, size_t err_len)
{
	json_error_t je;
	json_t *doc;
	int r;

	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		snprintf(err, err_len, "%s:%d: %s", path, je.line, je.text);
		return -EINVAL;
	}
	r = fs_config_from_json(doc, c, err, err_len);
	json_decref(doc);
	return r;
}

int fs_config_save(const char *path, const struct fs_config *c, char *err, size_t err_len)
{
	json_t *doc = fs_config_to_json(c);
	char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	int r;

	json_decref(doc);
	if (!text) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	/* FlowVisor's files end with a newline; ours too */
	{
		size_t n = strlen(text);
		char *line = realloc(text, n + 2);

		if (!line) {
			free(text);
			snprintf(err, err_len, "out of memory");
			return -ENOMEM;
		}
		text = line;
		text[n] = '\n';
		text[n + 1] = '\0';
		r = nfp_file_write_atomic(path, text, n + 1, 0640, err, err_len);
	}
	free(text);
	return r;
}
