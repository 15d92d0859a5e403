/* commands.c - the flowtable's API commands: flowtable_conf, _show, _get,
 * _update, _delete, _flush, _stats. Each validates every argument before it
 * changes anything; the flow-end stream is the event stream's "flow_end"
 * events and the mirror stream its "flow_mirror" events (subscribe). */
#include "flowtable/commands.h"
#include "flowtable/internal.h"
#include "api/args.h"
#include "dataplane/dataplane.h"
#include "core/subsystem.h"
#include "nfplane/common.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

static int get_slot(struct nfp_daemon *d, const char *iface, uint32_t *slot,
		    struct nfp_api_error *err)
{
	struct nfp_dp_iface it;

	if (nfp_dp_find(d->dp, iface, &it))
		return nfp_api_fail(err, ENODEV, "interface '%s' is not attached (nfpctl attach %s)",
				    iface, iface);
	*slot = it.rec.slot;
	return 0;
}

/* "IFACE" -> ifindex of an existing interface. */
static int ifindex_of(const char *arg, const char *name, uint32_t *out, struct nfp_api_error *err)
{
	if (!*name || strlen(name) >= IF_NAMESIZE)
		return nfp_api_fail(err, EINVAL, "argument '%s': '%s' is not an interface name",
				    arg, name);
	*out = if_nametoindex(name);
	if (!*out)
		return nfp_api_fail(err, ENODEV, "argument '%s': no interface named '%s'", arg, name);
	return 0;
}

static int get_tuple(json_t *args, struct nfp_ft_tuple *t, struct nfp_api_error *err)
{
	const char *src, *dst, *proto;
	char msg[256];
	int r;

	if ((r = nfp_args_string(args, "src", true, 64, &src, err)) < 0 ||
	    (r = nfp_args_string(args, "dst", true, 64, &dst, err)) < 0 ||
	    (r = nfp_args_string(args, "proto", true, 16, &proto, err)) < 0)
		return r;
	if (nfp_ft_tuple_parse(src, dst, proto, t, msg, sizeof(msg)))
		return nfp_api_fail(err, EINVAL, "%s", msg);
	return 0;
}

static json_t *conf_json(struct nfp_daemon *d, const char *iface, const struct nfp_ft_conf *c)
{
	char next[IF_NAMESIZE + 16] = "pass", mirror[IF_NAMESIZE + 16] = "none";
	char name[IF_NAMESIZE];

	(void)d;
	if (c->next == NFP_FT_NEXT_DROP)
		snprintf(next, sizeof(next), "drop");
	else if (c->next == NFP_FT_NEXT_REDIRECT)
		snprintf(next, sizeof(next), "redirect:%s",
			 if_indextoname(c->next_ifindex, name) ? name : "?");
	if (c->mirror == NFP_FT_MIRROR_APP)
		snprintf(mirror, sizeof(mirror), "app");
	else if (c->mirror == NFP_FT_MIRROR_IFACE)
		snprintf(mirror, sizeof(mirror), "iface:%s",
			 if_indextoname(c->mirror_ifindex, name) ? name : "?");
	return json_pack("{s:s, s:b, s:I, s:I, s:I, s:s, s:s}", "iface", iface, "enabled",
			 (c->flags & NFP_FTC_ENABLED) != 0, "max_flows", (json_int_t)c->max_flows,
			 "lifetime", (json_int_t)c->lifetime, "max_lifetime",
			 (json_int_t)c->max_lifetime, "next", next, "mirror", mirror);
}

static int cmd_conf(struct nfp_api_req *req, json_t *args, json_t **result,
		    struct nfp_api_error *err)
{
	static const char *const allowed[] = { "iface", "enable", "max_flows", "lifetime",
					       "max_lifetime", "next", "mirror", NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_daemon *d = ft->d;
	struct nfp_ft_conf_change c = { 0 };
	const char *iface, *next = NULL, *mirror = NULL;
	int64_t v;
	uint32_t slot = 0;
	struct nfp_ft_conf conf;
	char msg[400];
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_string(args, "iface", true, NFP_IFNAMSIZ - 1, &iface, err)) < 0 ||
	    (r = get_slot(d, iface, &slot, err)) < 0)
		return r;
	if ((r = nfp_args_bool(args, "enable", false, &c.enable, err)) < 0)
		return r;
	c.has_enable = r == 0;
	if ((r = nfp_args_int(args, "max_flows", false, NFP_FT_MIN_MAX_FLOWS, NFP_FT_MAX_MAX_FLOWS,
			      &v, err)) < 0)
		return r;
	if ((c.has_max_flows = r == 0))
		c.max_flows = (uint32_t)v;
	if ((r = nfp_args_int(args, "lifetime", false, 0, NFP_FT_LIFETIME_LIMIT, &v, err)) < 0)
		return r;
	if ((c.has_lifetime = r == 0))
		c.lifetime = (uint32_t)v;
	if ((r = nfp_args_int(args, "max_lifetime", false, 1, NFP_FT_LIFETIME_LIMIT, &v, err)) < 0)
		return r;
	if ((c.has_max_lifetime = r == 0))
		c.max_lifetime = (uint32_t)v;
	/* in the order of enum nfp_ft_next and enum nfp_ft_mirror_to */
	static const char *const nexts[] = { "pass", "drop", "redirect:IFACE", NULL };
	static const char *const mirrors[] = { "none", "iface:IFACE", "app", NULL };
	int which;

	if ((r = nfp_args_word(args, "next", false, nexts, &which, &next, err)) < 0)
		return r;
	if ((c.has_next = r == 0)) {
		c.next = which;
		if (c.next == NFP_FT_NEXT_REDIRECT &&
		    (r = ifindex_of("next", next, &c.next_ifindex, err)) < 0)
			return r;
	}
	if ((r = nfp_args_word(args, "mirror", false, mirrors, &which, &mirror, err)) < 0)
		return r;
	if ((c.has_mirror = r == 0)) {
		c.mirror = which;
		if (c.mirror == NFP_FT_MIRROR_IFACE &&
		    (r = ifindex_of("mirror", mirror, &c.mirror_ifindex, err)) < 0)
			return r;
	}
	r = nfp_ft_conf_set(ft, slot, &c, msg, sizeof(msg));
	if (r)
		return nfp_api_fail(err, -r, "%s", msg);
	nfp_ft_conf_get(ft, slot, &conf);
	*result = conf_json(d, iface, &conf);
	return 0;
}

/* Offload argument: none | pass | drop | redirect:IFACE | mirror[:IFACE]. */
static int parse_offload(json_t *args, struct nfp_ft_update *u, struct nfp_api_error *err)
{
	static const char *const forms[] = { "none", "pass", "drop", "redirect:IFACE",
					     "mirror[:IFACE]", NULL };
	static const uint32_t actions[] = { 0, NFP_FT_ACT_PASS, NFP_FT_ACT_DROP,
					    NFP_FT_ACT_REDIRECT, NFP_FT_ACT_MIRROR };
	const char *iface;
	int which, r = nfp_args_word(args, "offload", false, forms, &which, &iface, err);

	if (r)
		return r < 0 ? r : 0;
	u->has_offload = true;
	u->offloaded = which != 0;
	u->action = actions[which];
	u->action_arg = 0;
	/* mirror alone: to the application stream */
	return iface ? ifindex_of("offload", iface, &u->action_arg, err) : 0;
}

static json_t *flow_json(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t,
			 const struct nfp_ft_flow *f)
{
	struct nfp_ft_entry e = { .v6 = t->v6, .flow = *f };
	uint8_t info[16];

	nfp_ft_tuple_key(t, &e.k6);
	nfp_ft_info_get(ft, f->flow_id, info);
	return nfp_ft_entry_json(&e, nfp_ft_now(), info);
}

static int cmd_update(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { "src", "dst", "proto", "lifetime", "offload",
					       "info", "iface", NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_daemon *d = ft->d;
	struct nfp_ft_update u = { 0 };
	struct nfp_ft_tuple t;
	struct nfp_ft_flow f;
	const char *info = NULL, *iface = NULL;
	bool created;
	int64_t v;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_tuple(args, &t, err)) < 0)
		return r;
	if ((r = nfp_args_int(args, "lifetime", false, 0, NFP_FT_LIFETIME_LIMIT, &v, err)) < 0)
		return r;
	if ((u.has_lifetime = r == 0))
		u.lifetime = (uint32_t)v;
	if ((r = parse_offload(args, &u, err)) < 0)
		return r;
	if ((r = nfp_args_string(args, "info", false, 64, &info, err)) < 0)
		return r;
	if (info) {
		r = nfp_ft_info_parse(info, u.info);
		if (r == -E2BIG)
			return nfp_api_fail(err, E2BIG, "argument 'info' is %zu bytes; at most 16",
					    strlen(info) / 2);
		if (r < 0)
			return nfp_api_fail(err, EINVAL,
					    "argument 'info' must be hex digits in pairs (up to 32)");
		u.has_info = true;
	}
	if ((r = nfp_args_string(args, "iface", false, NFP_IFNAMSIZ - 1, &iface, err)) < 0 ||
	    (iface && (r = get_slot(d, iface, &u.slot, err)) < 0))
		return r;
	if (!u.has_lifetime && !u.has_offload && !u.has_info)
		return nfp_api_fail(err, EINVAL, "nothing to update: give lifetime, offload or info");
	r = nfp_ft_apply_update(ft, &t, &u, &f, &created);
	if (r)
		return nfp_api_fail(err, -r, "cannot update the flow: %s", strerror(-r));
	*result = flow_json(ft, &t, &f);
	json_object_set_new(*result, "created", json_boolean(created));
	return 0;
}

static int cmd_get(struct nfp_api_req *req, json_t *args, json_t **result,
		   struct nfp_api_error *err)
{
	static const char *const allowed[] = { "src", "dst", "proto", NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_ft_tuple t;
	struct nfp_ft_flow f;
	int r;

	(void)req;
	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_tuple(args, &t, err)) < 0)
		return r;
	r = nfp_ft_lookup(ft, &t, &f);
	if (r == -ENOENT)
		return nfp_api_fail(err, ENOENT, "no such flow in the flowtable");
	if (r)
		return nfp_api_fail(err, -r, "cannot read the flowtable: %s", strerror(-r));
	*result = flow_json(ft, &t, &f);
	return 0;
}

static int cmd_delete(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	static const char *const allowed[] = { "src", "dst", "proto", NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_ft_tuple t;
	int r;

	(void)req;
	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_tuple(args, &t, err)) < 0)
		return r;
	r = nfp_ft_delete(ft, &t);
	if (r == -ENOENT)
		return nfp_api_fail(err, ENOENT, "no such flow in the flowtable");
	if (r)
		return nfp_api_fail(err, -r, "cannot delete the flow: %s", strerror(-r));
	*result = json_pack("{s:I}", "deleted", (json_int_t)1);
	return 0;
}

static int cmd_flush(struct nfp_api_req *req, json_t *args, json_t **result,
		     struct nfp_api_error *err)
{
	static const char *const allowed[] = { "iface", NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_daemon *d = ft->d;
	const char *iface = NULL;
	uint32_t slot = 0;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_string(args, "iface", false, NFP_IFNAMSIZ - 1, &iface, err)) < 0 ||
	    (iface && (r = get_slot(d, iface, &slot, err)) < 0))
		return r;
	*result = json_pack("{s:I}", "deleted",
			    (json_int_t)nfp_ft_flush(ft, iface ? (int)slot : -1));
	return 0;
}

/* show: the top N contexts by a key, with a bounded min-heap. */
struct top {
	struct nfp_ft_entry *heap;
	size_t n, cap;
	int sort; /* 0 packets, 1 bytes, 2 age */
	int slot; /* -1 all */
	long total;
};

static uint64_t score(const struct top *t, const struct nfp_ft_entry *e)
{
	const struct nfp_ft_flow *f = &e->flow;

	if (t->sort == 0)
		return f->packets[0] + f->packets[1];
	if (t->sort == 1)
		return f->bytes[0] + f->bytes[1];
	return (uint64_t)(uint32_t)(nfp_ft_now() - f->created); /* oldest first */
}

static void sift_down(struct top *t, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < t->n && score(t, &t->heap[l]) < score(t, &t->heap[m]))
			m = l;
		if (r < t->n && score(t, &t->heap[r]) < score(t, &t->heap[m]))
			m = r;
		if (m == i)
			return;
		struct nfp_ft_entry tmp = t->heap[i];
		t->heap[i] = t->heap[m];
		t->heap[m] = tmp;
		i = m;
	}
}

static int top_add(const struct nfp_ft_entry *e, void *ctx)
{
	struct top *t = ctx;

	if (t->slot >= 0 && e->flow.slot != t->slot)
		return 0;
	t->total++;
	if (t->n < t->cap) {
		size_t i = t->n++;

		t->heap[i] = *e;
		while (i && score(t, &t->heap[(i - 1) / 2]) > score(t, &t->heap[i])) {
			struct nfp_ft_entry tmp = t->heap[i];
			t->heap[i] = t->heap[(i - 1) / 2];
			t->heap[(i - 1) / 2] = tmp;
			i = (i - 1) / 2;
		}
	} else if (t->cap && score(t, e) > score(t, &t->heap[0])) {
		t->heap[0] = *e;
		sift_down(t, 0);
	}
	return 0;
}

static struct top *sort_top;
static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = score(sort_top, a), y = score(sort_top, b);

	return x < y ? 1 : x > y ? -1 : 0;
}

static int cmd_show(struct nfp_api_req *req, json_t *args, json_t **result,
		    struct nfp_api_error *err)
{
	static const char *const allowed[] = { "top", "sort", "iface", NULL };
	static const char *const sorts[] = { "packets", "bytes", "age", NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_daemon *d = ft->d;
	struct top t = { .slot = -1 };
	const char *iface = NULL;
	int64_t top = 50;
	uint32_t slot = 0;
	uint32_t now;
	json_t *list;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_int(args, "top", false, 1, 100000, &top, err)) < 0 ||
	    (r = nfp_args_enum(args, "sort", false, sorts, &t.sort, err)) < 0 ||
	    (r = nfp_args_string(args, "iface", false, NFP_IFNAMSIZ - 1, &iface, err)) < 0 ||
	    (iface && (r = get_slot(d, iface, &slot, err)) < 0))
		return r;
	if (iface)
		t.slot = (int)slot;
	t.cap = (size_t)top;
	t.heap = calloc(t.cap, sizeof(*t.heap));
	if (!t.heap)
		return nfp_api_fail(err, ENOMEM, "out of memory");
	nfp_ft_foreach(ft, top_add, &t);
	sort_top = &t;
	qsort(t.heap, t.n, sizeof(*t.heap), cmp_desc);
	now = nfp_ft_now();
	list = json_array();
	for (size_t i = 0; i < t.n; i++) {
		uint8_t info[16];

		nfp_ft_info_get(ft, t.heap[i].flow.flow_id, info);
		json_array_append_new(list, nfp_ft_entry_json(&t.heap[i], now, info));
	}
	free(t.heap);
	*result = json_pack("{s:I, s:s, s:o}", "total", (json_int_t)t.total, "sort",
			    sorts[t.sort], "flows", list);
	return 0;
}

/* Field names of struct nfp_ft_stats, in order. */
static const char *const stat_names[] = { NFP_FT_STATS_FIELDS(NFP_X_NAME) NULL };

static int cmd_stats(struct nfp_api_req *req, json_t *args, json_t **result,
		     struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct nfp_flowtable *ft = req->ctx;
	struct nfp_daemon *d = ft->d;
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	struct nfp_ft_stats sum = { 0 };
	struct nfp_ft_daemon_stats ds;
	json_t *ifaces = json_array(), *totals = json_object();
	int n, r;

	if ((r = nfp_args_only(args, allowed, err)) < 0) {
		json_decref(ifaces);
		json_decref(totals);
		return r;
	}
	n = nfp_dp_list(d->dp, all, NFP_MAX_IFACES);
	for (int i = 0; i < n; i++) {
		struct nfp_ft_stats st;
		struct nfp_ft_conf c;
		json_t *ctr = json_object();

		if (nfp_ft_stats_get(ft, all[i].rec.slot, &st))
			memset(&st, 0, sizeof(st));
		nfp_ft_conf_get(ft, all[i].rec.slot, &c);
		for (size_t k = 0; stat_names[k]; k++) {
			uint64_t v = ((__u64 *)&st)[k];

			((__u64 *)&sum)[k] += v;
			json_object_set_new(ctr, stat_names[k], json_integer((json_int_t)v));
		}
		json_array_append_new(ifaces,
				      json_pack("{s:s, s:b, s:I, s:I, s:o}", "iface", all[i].rec.name,
						"enabled", (c.flags & NFP_FTC_ENABLED) != 0,
						"live", (json_int_t)nfp_ft_live(ft, all[i].rec.slot),
						"max_flows", (json_int_t)c.max_flows, "counters", ctr));
	}
	nfp_ft_daemon_stats(ft, &ds);
	for (size_t k = 0; stat_names[k]; k++)
		json_object_set_new(totals, stat_names[k],
				    json_integer((json_int_t)((__u64 *)&sum)[k]));
	/* XDP's recycles and nfpd's own (API creations, shrinking resizes) */
	json_object_set_new(totals, "recycled",
			    json_integer((json_int_t)(sum.recycled + ds.recycled)));
	*result = json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I},"
			    " s:{s:I, s:I}, s:{s:I, s:I}, s:{s:I, s:I}}",
			    "totals", totals, "ifaces", ifaces,
			    "sweeper", "swept", (json_int_t)ds.swept, "tcp_closed",
			    (json_int_t)ds.tcp_closed, "deleted", (json_int_t)ds.deleted,
			    "recycled", (json_int_t)ds.recycled, "ends_reported",
			    (json_int_t)ds.ends_reported, "passes", (json_int_t)ds.sweeps,
			    "mirror_records", (json_int_t)ds.mirror_records,
			    "capacity", "ipv4", (json_int_t)ds.capacity[0], "ipv6",
			    (json_int_t)ds.capacity[1],
			    "slots", "ipv4", (json_int_t)ds.slots[0], "ipv6", (json_int_t)ds.slots[1],
			    "live", "ipv4", (json_int_t)ds.live[0], "ipv6", (json_int_t)ds.live[1]);
	return 0;
}

static const struct nfp_api_command ft_commands[] = {
	{ "flowtable_conf", "configure an interface's flowtable {iface, enable?, max_flows?, "
	  "lifetime?, max_lifetime?, next?: pass|drop|redirect:IFACE, mirror?: none|app|iface:IFACE}",
	  cmd_conf },
	{ "flowtable_show", "flows {top?, sort?: packets|bytes|age, iface?}", cmd_show },
	{ "flowtable_get", "one flow {src, dst, proto}", cmd_get },
	{ "flowtable_update", "set a flow's lifetime, offload action, info {src, dst, proto, "
	  "lifetime?, offload?, info?, iface?}; creates it when absent", cmd_update },
	{ "flowtable_delete", "end a flow {src, dst, proto}", cmd_delete },
	{ "flowtable_flush", "end every flow {iface?}", cmd_flush },
	{ "flowtable_stats", "flowtable counters", cmd_stats },
	{ NULL, NULL, NULL },
};

static int ft_init(struct nfp_daemon *d, const void *opts, void **state)
{
	(void)opts;
	return nfp_ft_open((struct nfp_flowtable **)state, d);
}

static void ft_fini(void *state)
{
	nfp_ft_close(state);
}

const struct nfp_subsystem nfp_flowtable_subsystem = {
	.name = "flowtable",
	.init = ft_init,
	.fini = ft_fini,
	.commands = ft_commands,
};
