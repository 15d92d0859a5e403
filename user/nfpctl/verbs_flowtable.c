/* verbs_flowtable.c - nfpctl's flowtable verbs: conf, show, get, update,
 * delete, flush, stats and events (the flow-end stream, or with --mirror
 * the mirror stream, as JSON lines). A flow is named SRC DST PROTO, e.g.
 * 10.0.0.1:1234 10.0.0.2:80 tcp (see flowtable/tuple.h). */
#include "nfpctl/cli.h"
#include "common/cliopt.h"
#include "libnfp/flowtable.h"
#include "flowtable/tuple.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* A non-negative integer option, range-checked here so typos fail early. */
static int int_opt(const char *opt, const char *s, long long max, json_t *args, const char *key,
		   char *err, size_t err_len)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v < 0 || v > max) {
		snprintf(err, err_len, "%s is '%s'; expected a number 0..%lld", opt, s, max);
		return -1;
	}
	json_object_set_new(args, key, json_integer(v));
	return 0;
}

/* SRC DST PROTO at optind: checked with the daemon's own parser. */
static int tuple_args(int argc, char **argv, json_t *args, char *err, size_t err_len)
{
	struct nfp_ft_tuple t;

	if (nfpctl_positional(argc, argv, 3, 3, NULL, err, err_len) < 0)
		return -1;
	if (nfp_ft_tuple_parse(argv[optind], argv[optind + 1], argv[optind + 2], &t, err,
			       err_len))
		return -1;
	json_object_set_new(args, "src", json_string(argv[optind]));
	json_object_set_new(args, "dst", json_string(argv[optind + 1]));
	json_object_set_new(args, "proto", json_string(argv[optind + 2]));
	return 0;
}

static int build_conf(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	static const struct option longopts[] = {
		{ "enable", no_argument, NULL, 'e' },
		{ "disable", no_argument, NULL, 'd' },
		{ "max-flows", required_argument, NULL, 'm' },
		{ "lifetime", required_argument, NULL, 'l' },
		{ "max-lifetime", required_argument, NULL, 'L' },
		{ "next", required_argument, NULL, 'n' },
		{ "mirror", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *a = json_object();
	int c;

	(void)v;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
		case 'd':
			json_object_set_new(a, "enable", json_boolean(c == 'e'));
			break;
		case 'm':
			if (int_opt("--max-flows", optarg, UINT_MAX, a, "max_flows", err, err_len))
				goto bad;
			break;
		case 'l':
			if (int_opt("--lifetime", optarg, INT_MAX, a, "lifetime", err, err_len))
				goto bad;
			break;
		case 'L':
			if (int_opt("--max-lifetime", optarg, INT_MAX, a, "max_lifetime", err,
				    err_len))
				goto bad;
			break;
		case 'n':
			json_object_set_new(a, "next", json_string(optarg));
			break;
		case 'M': {
			char m[64];

			if (strcmp(optarg, "none") && strcmp(optarg, "app"))
				snprintf(m, sizeof(m), "iface:%s", optarg);
			else
				snprintf(m, sizeof(m), "%s", optarg);
			json_object_set_new(a, "mirror", json_string(m));
			break;
		}
		default:
			nfp_opt_error(c, argv, err, err_len);
			goto bad;
		}
	}
	if (nfpctl_positional(argc, argv, 1, 1, NULL, err, err_len) < 0)
		goto bad;
	json_object_set_new(a, "iface", json_string(argv[optind]));
	*cmd = "flowtable_conf";
	*args = a;
	return 0;
bad:
	json_decref(a);
	return -1;
}

static int build_show(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	static const struct option longopts[] = {
		{ "top", required_argument, NULL, 't' },
		{ "sort", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *a = json_object();
	int c, n;

	(void)v;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == 't') {
			if (int_opt("--top", optarg, 100000, a, "top", err, err_len))
				goto bad;
		} else if (c == 's') {
			if (strcmp(optarg, "packets") && strcmp(optarg, "bytes") &&
			    strcmp(optarg, "age")) {
				snprintf(err, err_len, "--sort is '%s'; expected packets, bytes or age",
					 optarg);
				goto bad;
			}
			json_object_set_new(a, "sort", json_string(optarg));
		} else {
			nfp_opt_error(c, argv, err, err_len);
			goto bad;
		}
	}
	n = nfpctl_positional(argc, argv, 0, 1, NULL, err, err_len);
	if (n < 0)
		goto bad;
	if (n == 1)
		json_object_set_new(a, "iface", json_string(argv[optind]));
	*cmd = "flowtable_show";
	*args = a;
	return 0;
bad:
	json_decref(a);
	return -1;
}

static int build_tuple_only(const char *command, int argc, char **argv, const char **cmd,
			    json_t **args, char *err, size_t err_len)
{
	json_t *a = json_object();
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", (struct option[]){ { 0 } }, NULL)) != -1) {
		nfp_opt_error(c, argv, err, err_len);
		json_decref(a);
		return -1;
	}
	if (tuple_args(argc, argv, a, err, err_len)) {
		json_decref(a);
		return -1;
	}
	*cmd = command;
	*args = a;
	return 0;
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

static int build_update(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	static const struct option longopts[] = {
		{ "lifetime", required_argument, NULL, 'l' },
		{ "offload", required_argument, NULL, 'o' },
		{ "info", required_argument, NULL, 'i' },
		{ "iface", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	json_t *a = json_object();
	uint8_t info[16];
	int c, r;

	(void)v;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (int_opt("--lifetime", optarg, INT_MAX, a, "lifetime", err, err_len))
				goto bad;
			break;
		case 'o':
			json_object_set_new(a, "offload", json_string(optarg));
			break;
		case 'i':
			r = nfp_ft_info_parse(optarg, info);
			if (r == -E2BIG) {
				snprintf(err, err_len, "--info is %zu bytes; at most 16",
					 strlen(optarg) / 2);
				goto bad;
			}
			if (r < 0) {
				snprintf(err, err_len, "--info '%s' is not hex digits in pairs", optarg);
				goto bad;
			}
			json_object_set_new(a, "info", json_string(optarg));
			break;
		case 'I':
			json_object_set_new(a, "iface", json_string(optarg));
			break;
		default:
			nfp_opt_error(c, argv, err, err_len);
			goto bad;
		}
	}
	if (tuple_args(argc, argv, a, err, err_len))
		goto bad;
	*cmd = "flowtable_update";
	*args = a;
	return 0;
bad:
	json_decref(a);
	return -1;
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

static int run_events(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		      char **argv)
{
	static const struct option longopts[] = {
		{ "mirror", no_argument, NULL, 'm' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct nfp_client_error err;
	struct nfp_client *c;
	int streams = NFP_CLIENT_FT_ENDS, opt, r;
	long count = -1;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (opt == 'm') {
			streams = NFP_CLIENT_FT_MIRROR;
		} else if (opt == 'c') {
			char *end;

			count = strtol(optarg, &end, 10);
			if (*end || count <= 0) {
				fprintf(stderr, "nfpctl %s: --count must be a positive number\n",
					v->words);
				return 2;
			}
		} else {
			char e[128];

			nfp_opt_error(opt, argv, e, sizeof(e));
			fprintf(stderr, "nfpctl %s: %s\n", v->words, e);
			return 2;
		}
	}
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
