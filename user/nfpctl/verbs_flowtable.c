/* verbs_flowtable.c - nfpctl's flowtable verbs: conf, show, get, update,
 * delete, flush, stats and events (the flow-end stream, or with --mirror
 * the mirror stream, as JSON lines). A flow is named SRC DST PROTO, e.g.
 * 10.0.0.1:1234 10.0.0.2:80 tcp (see flowtable/tuple.h). */
#include "nfpctl/cli.h"
#include "libnfp/flowtable.h"
#include "flowtable/tuple.h"

#include <errno.h>
#include <getopt.h> /* optind: where the arguments start */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A request of @opts naming a flow by SRC DST PROTO (the arguments),
 * checked with the daemon's own parser. */
static int tuple_request(const struct nfp_opt *opts, int argc, char **argv, json_t **args,
			 char *err, size_t err_len)
{
	struct nfp_ft_tuple t;

	if (nfpctl_build_request(opts, argc, argv, 3, 3, NULL, NULL, args, err, err_len) < 0)
		return -1;
	if (nfp_ft_tuple_parse(argv[optind], argv[optind + 1], argv[optind + 2], &t, err,
			       err_len)) {
		json_decref(*args);
		return -1;
	}
	json_object_set_new(*args, "src", json_string(argv[optind]));
	json_object_set_new(*args, "dst", json_string(argv[optind + 1]));
	json_object_set_new(*args, "proto", json_string(argv[optind + 2]));
	return 0;
}

/* --mirror IFACE is the API's iface:IFACE */
static int set_mirror(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	char m[64];

	(void)o, (void)err, (void)len;
	snprintf(m, sizeof(m), strcmp(v, "none") && strcmp(v, "app") ? "iface:%s" : "%s", v);
	json_object_set_new(((struct nfpctl_parsed *)p)->args, "mirror", json_string(m));
	return 0;
}

static int build_conf(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_FLAG("enable", "enable", nfpctl_arg_true),
		NFPCTL_OPT_FLAG("disable", "enable", nfpctl_arg_false),
		NFPCTL_OPT_INT("max-flows", "max_flows", 0, UINT_MAX),
		NFPCTL_OPT_INT("lifetime", "lifetime", 0, INT_MAX),
		NFPCTL_OPT_INT("max-lifetime", "max_lifetime", 0, INT_MAX),
		NFPCTL_OPT_STRING("next", "next", "pass|drop|redirect:IFACE"),
		{ .name = "mirror", .kind = NFP_OPT_CALL, .arg = "none|app|IFACE", .call = set_mirror },
		{ 0 },
	};
	(void)v;
	*cmd = "flowtable_conf";
	return nfpctl_build_request(opts, argc, argv, 1, 1, NULL, "iface", args, err, err_len) < 0 ?
		       -1 : 0;
}

static int build_show(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	static const char *const sorts[] = { "packets", "bytes", "age", NULL };
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_INT("top", "top", 0, 100000),
		NFPCTL_OPT_CHOICE("sort", "sort", sorts),
		{ 0 },
	};
	(void)v;
	*cmd = "flowtable_show";
	return nfpctl_build_request(opts, argc, argv, 0, 1, NULL, "iface", args, err, err_len) < 0 ?
		       -1 : 0;
}

static int build_tuple_only(const char *command, int argc, char **argv, const char **cmd,
			    json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt none[] = { { 0 } };

	*cmd = command;
	return tuple_request(none, argc, argv, args, err, err_len);
}

static int build_get(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		     json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_tuple_only("flowtable_get", argc, argv, cmd, args, err, err_len);
}

static int build_delete(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_tuple_only("flowtable_delete", argc, argv, cmd, args, err, err_len);
}

/* --info HEX, checked as the daemon will */
static int set_info(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	uint8_t info[16];
	int r = nfp_ft_info_parse(v, info);

	(void)o;
	if (r == -E2BIG) {
		snprintf(err, len, "--info is %zu bytes; at most 16", strlen(v) / 2);
		return -1;
	}
	if (r < 0) {
		snprintf(err, len, "--info '%s' is not hex digits in pairs", v);
		return -1;
	}
	json_object_set_new(((struct nfpctl_parsed *)p)->args, "info", json_string(v));
	return 0;
}

static int build_update(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_INT("lifetime", "lifetime", 0, INT_MAX),
		NFPCTL_OPT_STRING("offload", "offload", "ACTION"),
		{ .name = "info", .kind = NFP_OPT_CALL, .arg = "HEX", .call = set_info },
		NFPCTL_OPT_STRING("iface", "iface", "IFACE"),
		{ 0 },
	};
	(void)v;
	*cmd = "flowtable_update";
	return tuple_request(opts, argc, argv, args, err, err_len);
}

static int build_flush(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	int n = nfpctl_plain_args(argc, argv, 0, 1, NULL, err, err_len);

	(void)v;
	if (n < 0)
		return -1;
	*cmd = "flowtable_flush";
	*args = json_object();
	if (n == 1)
		json_object_set_new(*args, "iface", json_string(argv[optind]));
	return 0;
}

static int build_stats(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	(void)v;
	if (nfpctl_plain_args(argc, argv, 0, 0, NULL, err, err_len) < 0)
		return -1;
	*cmd = "flowtable_stats";
	*args = json_object();
	return 0;
}

static void print_conf(const json_t *r, FILE *out)
{
	fprintf(out, "%s: flowtable %s, max-flows %lld, lifetime %llds (max %llds), next %s, "
		     "mirror %s\n",
		json_string_value(json_object_get(r, "iface")),
		json_is_true(json_object_get(r, "enabled")) ? "enabled" : "disabled",
		json_integer_value(json_object_get(r, "max_flows")),
		json_integer_value(json_object_get(r, "lifetime")),
		json_integer_value(json_object_get(r, "max_lifetime")),
		json_string_value(json_object_get(r, "next")),
		json_string_value(json_object_get(r, "mirror")));
}

static void flow_row(FILE *out, const json_t *f, bool header)
{
	static const int w[] = { 18, 44, 44, 6, 11, 14, 14, 8, 8 };
	static const char *const head[] = { "FLOW-ID", "LO", "HI", "PROTO", "TCP",
					    "PKTS(lo>hi/<)", "BYTES", "IDLE-S", "ACTION" };
	char c[6][48];
	const char *cells[9];
	const json_t *p = json_object_get(f, "packets"), *b = json_object_get(f, "bytes");

	if (header) {
		nfpctl_table_row(out, w, 9, head);
		return;
	}
	snprintf(c[0], sizeof(c[0]), "%llx",
		 (unsigned long long)json_integer_value(json_object_get(f, "flow_id")));
	snprintf(c[1], sizeof(c[1]), "%lld/%lld", json_integer_value(json_array_get(p, 0)),
		 json_integer_value(json_array_get(p, 1)));
	snprintf(c[2], sizeof(c[2]), "%lld/%lld", json_integer_value(json_array_get(b, 0)),
		 json_integer_value(json_array_get(b, 1)));
	snprintf(c[3], sizeof(c[3]), "%lld",
		 json_integer_value(json_object_get(f, "idle_ms")) / 1000);
	snprintf(c[4], sizeof(c[4]), "%s",
		 json_is_true(json_object_get(f, "offloaded")) ?
			 json_string_value(json_object_get(f, "action")) : "-");
	cells[0] = c[0];
	cells[1] = json_string_value(json_object_get(f, "lo"));
	cells[2] = json_string_value(json_object_get(f, "hi"));
	cells[3] = json_string_value(json_object_get(f, "proto"));
	cells[4] = json_string_value(json_object_get(f, "tcp_state"));
	cells[5] = c[1];
	cells[6] = c[2];
	cells[7] = c[3];
	cells[8] = c[4];
	nfpctl_table_row(out, w, 9, cells);
}

static void print_show(const json_t *r, FILE *out)
{
	const json_t *flows = json_object_get(r, "flows");
	size_t i;
	json_t *f;

	fprintf(out, "%lld flows, top %zu by %s\n", json_integer_value(json_object_get(r, "total")),
		json_array_size(flows), json_string_value(json_object_get(r, "sort")));
	if (!json_array_size(flows))
		return;
	flow_row(out, NULL, true);
	json_array_foreach(flows, i, f)
		flow_row(out, f, false);
}

static void print_flow(const json_t *r, FILE *out)
{
	flow_row(out, NULL, true);
	flow_row(out, r, false);
	fprintf(out, "lifetime %llds, expires in %llds, info %s%s\n",
		json_integer_value(json_object_get(r, "lifetime")),
		json_integer_value(json_object_get(r, "expires_in_ms")) / 1000,
		json_string_value(json_object_get(r, "info")),
		json_is_true(json_object_get(r, "created")) ? " (created)" : "");
}

static void print_deleted(const json_t *r, FILE *out)
{
	fprintf(out, "%lld flows deleted\n", json_integer_value(json_object_get(r, "deleted")));
}

static void print_stats(const json_t *r, FILE *out)
{
	static const char *const names[] = { "hits", "misses", "created", "expired", "recycled",
					     "unhandled", "failures", "offloaded", NULL };
	const json_t *t = json_object_get(r, "totals"), *cap = json_object_get(r, "capacity"),
		     *live = json_object_get(r, "live");

	for (int i = 0; names[i]; i++)
		fprintf(out, "%-10s %lld\n", names[i],
			json_integer_value(json_object_get(t, names[i])));
	fprintf(out, "capacity   %lld IPv4, %lld IPv6 flows; live at the last sweep %lld / %lld\n",
		json_integer_value(json_object_get(cap, "ipv4")),
		json_integer_value(json_object_get(cap, "ipv6")),
		json_integer_value(json_object_get(live, "ipv4")),
		json_integer_value(json_object_get(live, "ipv6")));
}

static int set_mirror_stream(void *p, const struct nfp_opt *o, const char *v, char *err,
			     size_t len)
{
	(void)o, (void)v, (void)err, (void)len;
	((struct nfpctl_parsed *)p)->mirror = true;
	return 0;
}

static int set_count(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	char *end;
	long n = strtol(v, &end, 10);

	(void)o;
	if (!*v || *end || n <= 0) {
		snprintf(err, len, "--count must be a positive number");
		return -1;
	}
	((struct nfpctl_parsed *)p)->count = n;
	return 0;
}

static int run_events(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		      char **argv)
{
	static const struct nfp_opt opts[] = {
		{ .name = "mirror", .kind = NFP_OPT_CALL, .call = set_mirror_stream },
		{ .name = "count", .kind = NFP_OPT_CALL, .arg = "N", .call = set_count },
		{ 0 },
	};
	struct nfpctl_parsed p = { .count = -1 };
	const struct nfp_opt_set sets[] = { { opts, &p }, { 0 } };
	struct nfp_client_error err;
	struct nfp_client *c;
	char e[128];
	int streams, r;
	long count;

	if (nfpctl_parse_opts(sets, argc, argv, e, sizeof(e))) {
		fprintf(stderr, "nfpctl %s: %s\n", v->words, e);
		return 2;
	}
	streams = p.mirror ? NFP_CLIENT_FT_MIRROR : NFP_CLIENT_FT_ENDS;
	count = p.count;
	if (optind < argc) {
		fprintf(stderr, "nfpctl %s: unexpected argument '%s'\n", v->words, argv[optind]);
		return 2;
	}
	if (nfpctl_connect(o, &c))
		return 1;
	r = nfp_client_ft_subscribe(c, streams, &err);
	if (r) {
		fprintf(stderr, "nfpctl %s: %s (%s)\n", v->words, err.message, err.name);
		nfp_client_close(c);
		return 1;
	}
	/* one JSON object per line, with or without -j: it is a stream */
	while (count != 0) {
		struct nfp_client_ft_event ev;
		char *text;

		r = nfp_client_ft_next_event(c, &ev, -1);
		if (r <= 0)
			break;
		text = json_dumps(ev.record, JSON_COMPACT);
		if (text)
			printf("%s\n", text);
		fflush(stdout);
		free(text);
		json_decref(ev.record);
		if (count > 0)
			count--;
	}
	nfp_client_close(c);
	return r < 0 ? 1 : 0;
}

const struct nfpctl_verb nfpctl_flowtable_verbs[] = {
	{ "flowtable conf",
	  "IFACE [--enable|--disable] [--max-flows N] [--lifetime S] [--max-lifetime S] "
	  "[--next pass|drop|redirect:IFACE] [--mirror none|app|IFACE]",
	  "configure the flowtable of an interface (what is left out stays)", build_conf,
	  print_conf, NULL },
	{ "flowtable show", "[IFACE] [--top N] [--sort packets|bytes|age]",
	  "the flows with the most packets, bytes or age", build_show, print_show, NULL },
	{ "flowtable get", "SRC DST PROTO", "one flow, e.g. 10.0.0.1:1234 10.0.0.2:80 tcp",
	  build_get, print_flow, NULL },
	{ "flowtable update",
	  "SRC DST PROTO [--lifetime S] [--offload none|pass|drop|redirect:IFACE|mirror[:IFACE]] "
	  "[--info HEX] [--iface IFACE]",
	  "set a flow's lifetime, offload action or info (creates it)", build_update, print_flow,
	  NULL },
	{ "flowtable delete", "SRC DST PROTO", "end a flow", build_delete, print_deleted, NULL },
	{ "flowtable flush", "[IFACE]", "end every flow (of IFACE)", build_flush, print_deleted,
	  NULL },
	{ "flowtable stats", "", "hits, misses, created, expired, recycled, unhandled, failures",
	  build_stats, print_stats, NULL },
	{ "flowtable events", "[--mirror] [--count N]",
	  "the flow-end stream (or the mirror stream) as JSON lines", NULL, NULL, run_events },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
