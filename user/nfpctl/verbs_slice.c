/* verbs_slice.c - nfpctl's slicing verbs, in fvctl's order of arguments:
 *   slice add NAME CONTROLLER [CONTACT] [--drop exact|rule] [--recv-lldp]
 *             [--disabled] [--flowmod-limit N] [--rate-limit N]
 *   slice update NAME [--controller C] [--contact E] [--drop P] [--recv-lldp|
 *             --no-recv-lldp] [--enable|--disable] [--flowmod-limit N]
 *             [--rate-limit N]
 *   slice remove NAME | slice list | slice info NAME | slice stats [NAME]
 *   slice import FILE | slice export [FILE]     (FlowVisor's JSON)
 *   flowspace add NAME DPID PRIORITY MATCH ACTIONS
 *   flowspace update NAME [--dpid D] [--priority P] [--match M] [--actions A]
 *   flowspace remove NAME... | flowspace list [--slice S]
 * nfpd checks the values (match strings, permissions, controllers); nfpctl
 * only shapes the request, and reads or writes the files of import/export.
 */
#include "nfpctl/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const drops[] = { "exact", "rule", NULL };

#define SLICE_SETTING_OPTS                                                        \
	NFPCTL_OPT_CHOICE("drop", "drop_policy", drops),                          \
	NFPCTL_OPT_FLAG("recv-lldp", "recv_lldp", nfpctl_arg_true),               \
	NFPCTL_OPT_INT("flowmod-limit", "flowmod_limit", -1, INT32_MAX),          \
	NFPCTL_OPT_INT("rate-limit", "rate_limit", -1, INT32_MAX)

static int build_add(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		     json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		SLICE_SETTING_OPTS,
		NFPCTL_OPT_FLAG("disabled", "enabled", nfpctl_arg_false),
		{ 0 },
	};
	int n;

	(void)v;
	*cmd = "slice_add";
	n = nfpctl_build_request(opts, argc, argv, 2, 3, "NAME CONTROLLER", "name", args, err,
				 err_len);
	if (n < 0)
		return -1;
	json_object_set_new(*args, "controller", json_string(argv[optind + 1]));
	if (n == 3)
		json_object_set_new(*args, "contact", json_string(argv[optind + 2]));
	return 0;
}

static int build_update(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		SLICE_SETTING_OPTS,
		NFPCTL_OPT_STRING("controller", "controller", "C"),
		NFPCTL_OPT_STRING("contact", "contact", "EMAIL"),
		NFPCTL_OPT_FLAG("no-recv-lldp", "recv_lldp", nfpctl_arg_false),
		NFPCTL_OPT_FLAG("enable", "enabled", nfpctl_arg_true),
		NFPCTL_OPT_FLAG("disable", "enabled", nfpctl_arg_false),
		{ 0 },
	};

	(void)v;
	*cmd = "slice_update";
	return nfpctl_build_request(opts, argc, argv, 1, 1, "NAME", "name", args, err, err_len) < 0
		       ? -1 : 0;
}

/* A verb of one NAME argument (or none, or an optional one). */
static int build_named(const char *command, int min, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt none[] = { { 0 } };

	*cmd = command;
	return nfpctl_build_request(none, argc, argv, min, 1, "NAME", "name", args, err, err_len) <
			       0 ? -1 : 0;
}

static int build_remove(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_named("slice_remove", 1, argc, argv, cmd, args, err, err_len);
}

static int build_info(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_named("slice_info", 1, argc, argv, cmd, args, err, err_len);
}

static int build_stats(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_named("slice_stats", 0, argc, argv, cmd, args, err, err_len);
}

static int build_list(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	(void)v;
	if (nfpctl_plain_args(argc, argv, 0, 0, NULL, err, err_len) < 0)
		return -1;
	*cmd = "slice_list";
	*args = json_object();
	return 0;
}

static int build_fs_add(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	static const char *const keys[] = { "name", "dpid", "priority", "match", "actions" };
	json_t *rule;
	char *end;
	long prio;

	(void)v;
	if (nfpctl_plain_args(argc, argv, 5, 5, "NAME DPID PRIORITY MATCH ACTIONS", err,
			      err_len) < 0)
		return -1;
	prio = strtol(argv[optind + 2], &end, 10);
	if (!argv[optind + 2][0] || *end || prio < 0 || prio > 65535) {
		snprintf(err, err_len, "PRIORITY '%s' is not a number 0-65535", argv[optind + 2]);
		return -1;
	}
	rule = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(rule, keys[i], i == 2 ? json_integer(prio)
							  : json_string(argv[optind + i]));
	*cmd = "flowspace_add";
	*args = json_pack("{s:[o]}", "rules", rule);
	return 0;
}

static int build_fs_update(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			   json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_STRING("dpid", "dpid", "DPID"),
		NFPCTL_OPT_INT("priority", "priority", 0, 65535),
		NFPCTL_OPT_STRING("match", "match", "MATCH"),
		NFPCTL_OPT_STRING("actions", "actions", "SLICE=PERM,..."),
		{ 0 },
	};

	(void)v;
	*cmd = "flowspace_update";
	return nfpctl_build_request(opts, argc, argv, 1, 1, "NAME", "name", args, err, err_len) < 0
		       ? -1 : 0;
}

static int build_fs_remove(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			   json_t **args, char *err, size_t err_len)
{
	json_t *names;

	(void)v;
	if (nfpctl_plain_args(argc, argv, 1, 1000, "NAME", err, err_len) < 0)
		return -1;
	names = json_array();
	for (int i = optind; i < argc; i++)
		json_array_append_new(names, json_string(argv[i]));
	*cmd = "flowspace_remove";
	*args = json_pack("{s:o}", "names", names);
	return 0;
}

static int build_fs_list(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			 json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_STRING("slice", "slice", "NAME"),
		{ 0 },
	};

	(void)v;
	*cmd = "flowspace_list";
	return nfpctl_build_request(opts, argc, argv, 0, 0, NULL, NULL, args, err, err_len) < 0
		       ? -1 : 0;
}

/* import / export: the file is nfpctl's to read and write, not nfpd's */
static int call(const struct nfpctl_verb *v, const struct nfpctl_opts *o, const char *cmd,
		json_t *args, json_t **result)
{
	struct nfp_client_error cerr;
	struct nfp_client *client;
	int r;

	if (nfpctl_connect(o, &client)) {
		json_decref(args);
		return 1;
	}
	r = nfp_client_call(client, cmd, args, result, &cerr);
	nfp_client_close(client);
	if (r) {
		fprintf(stderr, "nfpctl %s: %s (%s)\n", v->words, cerr.message, cerr.name);
		return 1;
	}
	return 0;
}

static int run_import(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		      char **argv)
{
	json_error_t je;
	json_t *doc, *result;
	char err[256];

	if (nfpctl_plain_args(argc, argv, 1, 1, "FILE", err, sizeof(err)) < 0) {
		fprintf(stderr, "nfpctl %s: %s\n", v->words, err);
		return 2;
	}
	doc = json_load_file(argv[optind], JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		fprintf(stderr, "nfpctl %s: %s:%d: %s\n", v->words, argv[optind], je.line, je.text);
		return 1;
	}
	if (call(v, o, "slicing_import", json_pack("{s:o}", "config", doc), &result))
		return 1;
	if (o->json)
		nfpctl_print_result(v, o, result);
	else
		printf("imported %lld slice(s), %lld flowspace rule(s)\n",
		       (long long)json_integer_value(json_object_get(result, "slices")),
		       (long long)json_integer_value(json_object_get(result, "rules")));
	json_decref(result);
	return 0;
}

static int run_export(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		      char **argv)
{
	json_t *result;
	char err[256];
	int n;

	if ((n = nfpctl_plain_args(argc, argv, 0, 1, "FILE", err, sizeof(err))) < 0) {
		fprintf(stderr, "nfpctl %s: %s\n", v->words, err);
		return 2;
	}
	if (call(v, o, "slicing_export", json_object(), &result))
		return 1;
	if (n == 1 && json_dump_file(result, argv[optind], JSON_INDENT(1) | JSON_PRESERVE_ORDER)) {
		fprintf(stderr, "nfpctl %s: cannot write %s: %s\n", v->words, argv[optind],
			strerror(errno));
		json_decref(result);
		return 1;
	}
	if (n == 0)
		json_dumpf(result, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (n == 0)
		putchar('\n');
	json_decref(result);
	return 0;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void print_slices(const json_t *r, FILE *out)
{
	static const int w[] = { 16, 28, 8, 6, 9, 9 };
	static const char *const head[] = { "SLICE", "CONTROLLER", "STATE", "RULES", "PKT-IN",
					    "REFUSED" };
	const json_t *list = json_object_get(r, "slices");
	size_t i;
	json_t *it;

	if (!json_array_size(list)) {
		fprintf(out, "no slices: the switches are the --of-module's\n");
		return;
	}
	nfpctl_table_row(out, w, 6, head);
	json_array_foreach(list, i, it) {
		const json_t *st = json_object_get(it, "stats");
		char rules[16], pin[24], ref[24];
		const char *cells[6] = { str(it, "name"), str(it, "controller"),
					 json_is_true(json_object_get(it, "running")) ? "running"
										     : "stopped",
					 rules, pin, ref };

		snprintf(rules, sizeof(rules), "%lld",
			 (long long)json_integer_value(json_object_get(it, "flowspace_rules")));
		snprintf(pin, sizeof(pin), "%lld",
			 (long long)json_integer_value(json_object_get(st, "packet_ins")));
		snprintf(ref, sizeof(ref), "%lld",
			 (long long)json_integer_value(json_object_get(st, "refused")));
		nfpctl_table_row(out, w, 6, cells);
		if (json_object_get(it, "why_not_running"))
			fprintf(out, "  (%s: %s)\n", str(it, "name"), str(it, "why_not_running"));
	}
}

static void print_info(const json_t *r, FILE *out)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)r, key, v) {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		fprintf(out, "%-18s %s\n", key, json_is_string(v) ? json_string_value(v) : s);
		free(s);
	}
}

static void print_rules(const json_t *r, FILE *out)
{
	const json_t *list = json_object_get(r, "rules");
	size_t i;
	json_t *it;

	if (!json_array_size(list)) {
		fprintf(out, "no flowspace rules\n");
		return;
	}
	fprintf(out, "%-16s  %-23s  %-5s  %s -> %s\n", "NAME", "DPID", "PRIO", "MATCH", "SLICES");
	json_array_foreach(list, i, it)
		fprintf(out, "%-16s  %-23s  %-5lld  %s -> %s\n", str(it, "name"), str(it, "dpid"),
			(long long)json_integer_value(json_object_get(it, "priority")),
			str(it, "match"), str(it, "actions"));
}

static void print_done(const json_t *r, FILE *out)
{
	(void)r;
	fprintf(out, "ok\n");
}

const struct nfpctl_verb nfpctl_slice_verbs[] = {
	{ "slice add", "NAME CONTROLLER [CONTACT] [--drop exact|rule] [--recv-lldp] [--disabled] "
		       "[--flowmod-limit N] [--rate-limit N]",
	  "add a slice; CONTROLLER is module:hub, module:learning-switch or tcp:HOST:PORT",
	  build_add, print_done, NULL },
	{ "slice update", "NAME [--controller C] [--contact E] [--drop P] [--recv-lldp|"
			  "--no-recv-lldp] [--enable|--disable] [--flowmod-limit N] "
			  "[--rate-limit N]",
	  "change a slice's settings", build_update, print_done, NULL },
	{ "slice remove", "NAME", "remove a slice (and rules left with no slice)", build_remove,
	  print_done, NULL },
	{ "slice list", "", "slices, their controllers and counters", build_list, print_slices,
	  NULL },
	{ "slice info", "NAME", "one slice's settings and state", build_info, print_info, NULL },
	{ "slice stats", "[NAME]", "slices' message counters", build_stats, print_info, NULL },
	{ "slice import", "FILE", "replace slices and flowspace with a FlowVisor JSON file", NULL,
	  NULL, run_import },
	{ "slice export", "[FILE]", "slices and flowspace as FlowVisor's JSON", NULL, NULL,
	  run_export },
	{ "flowspace add", "NAME DPID PRIORITY MATCH ACTIONS",
	  "add a rule: DPID 'any' or 00:..:01, MATCH 'any' or in_port=1,nw_src=10.0.0.0/8,..., "
	  "ACTIONS slice=perm,... (DELEGATE=1 READ=2 WRITE=4)",
	  build_fs_add, print_done, NULL },
	{ "flowspace update", "NAME [--dpid D] [--priority P] [--match M] [--actions A]",
	  "change a rule", build_fs_update, print_done, NULL },
	{ "flowspace remove", "NAME...", "remove rules", build_fs_remove, print_done, NULL },
	{ "flowspace list", "[--slice NAME]", "the rules, highest priority first", build_fs_list,
	  print_rules, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
