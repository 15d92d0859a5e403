/* cli.c - see cli.h: global options, verb lookup, the generic
 * build-call-print runner, and small printing helpers. */
#include "nfpctl/cli.h"
#include "nfplane/common.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const struct nfpctl_verb *const *all_tables(void)
{
	static const struct nfpctl_verb *const tables[] = {
		nfpctl_iface_verbs,
		nfpctl_flowtable_verbs,
		nfpctl_trace_verbs,
		nfpctl_of_verbs,
		nfpctl_slice_verbs,
		nfpctl_lvnf_verbs,
		NULL,
	};
	return tables;
}

void nfpctl_usage(FILE *out)
{
	fprintf(out, "Usage: nfpctl [-s SOCKET] [-j|-p] VERB [ARGS]\n"
		     "Control nfpd, the nfplane daemon.\n\n"
		     "Options:\n"
		     "  -s, --socket PATH  nfpd's API socket (default " NFP_SOCK_PATH_DEFAULT ")\n"
		     "  -j, --json         print results as JSON\n"
		     "  -p, --pretty       print results as indented JSON\n"
		     "  -t, --timeout SECONDS  how long a request waits for nfpd's reply\n"
		     "                     (default %d; 0: for ever)\n"
		     "  -h, --help         this help; 'nfpctl VERB --help' for a verb\n"
		     "  -V, --version      print the version\n\n"
		     "Verbs:\n", NFPCTL_TIMEOUT_S_DEFAULT);
	for (const struct nfpctl_verb *const *t = all_tables(); *t; t++)
		for (const struct nfpctl_verb *v = *t; v->words; v++)
			fprintf(out, "  %-38s %s\n", v->words, v->summary);
}

void nfpctl_verb_usage(const struct nfpctl_verb *v, FILE *out)
{
	fprintf(out, "Usage: nfpctl %s%s%s\n%s\n", v->words, v->usage[0] ? " " : "", v->usage,
		v->summary);
}

bool nfpctl_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

const struct nfpctl_verb *nfpctl_find_verb(int argc, char **argv, int *consumed)
{
	const struct nfpctl_verb *best = NULL;
	int best_words = 0;

	for (const struct nfpctl_verb *const *t = all_tables(); *t; t++) {
		for (const struct nfpctl_verb *v = *t; v->words; v++) {
			char words[128];
			int n = 0;
			bool match = true;

			snprintf(words, sizeof(words), "%s", v->words);
			for (char *save, *w = strtok_r(words, " ", &save); w;
			     w = strtok_r(NULL, " ", &save), n++) {
				if (n >= argc || strcmp(argv[n], w) != 0) {
					match = false;
					break;
				}
			}
			if (match && n > best_words) {
				best = v;
				best_words = n;
			}
		}
	}
	*consumed = best_words;
	return best;
}

static int set_timeout(void *owner, const struct nfp_opt *o, const char *v, char *err,
		       size_t len)
{
	struct nfpctl_opts *opts = owner;
	char *end;
	long secs;

	(void)o;
	errno = 0;
	secs = strtol(v, &end, 10);
	/* a day at most: the milliseconds must fit an int */
	if (errno || end == v || *end || secs < 0 || secs > 86400) {
		snprintf(err, len, "--timeout: '%s' is not a number of seconds (0 to 86400)", v);
		return -1;
	}
	opts->timeout_ms = secs ? (int)secs * 1000 : -1;
	return 0;
}

static int set_pretty(void *owner, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	struct nfpctl_opts *opts = owner;

	(void)o, (void)v, (void)err, (void)len;
	opts->json = opts->pretty = true;
	return 0;
}

static int help(void *owner, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)owner, (void)o, (void)v, (void)err, (void)len;
	nfpctl_usage(stdout);
	return 1;
}

static int version(void *owner, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)owner, (void)o, (void)v, (void)err, (void)len;
	printf("nfpctl %s\n", NFP_VERSION);
	return 1;
}

static const struct nfp_opt global_opts[] = {
	{ .name = "socket", .short_name = 's', .kind = NFP_OPT_STRING,
	  .offset = offsetof(struct nfpctl_opts, socket_path), .arg = "PATH", .max = 107 },
	{ .name = "json", .short_name = 'j', .kind = NFP_OPT_FLAG,
	  .offset = offsetof(struct nfpctl_opts, json) },
	{ .name = "pretty", .short_name = 'p', .kind = NFP_OPT_CALL, .call = set_pretty },
	{ .name = "timeout", .short_name = 't', .kind = NFP_OPT_CALL, .arg = "SECONDS",
	  .call = set_timeout },
	{ .name = "help", .short_name = 'h', .kind = NFP_OPT_CALL, .call = help },
	{ .name = "version", .short_name = 'V', .kind = NFP_OPT_CALL, .call = version },
	{ 0 },
};

int nfpctl_parse_global(int argc, char **argv, struct nfpctl_opts *o, char *err, size_t err_len)
{
	const struct nfp_opt_set sets[] = { { global_opts, o }, { 0 } };
	int next, r;

	memset(o, 0, sizeof(*o));
	o->socket_path = NFP_SOCK_PATH_DEFAULT;
	o->timeout_ms = NFPCTL_TIMEOUT_S_DEFAULT * 1000;
	/* stop at the verb; its own options are its own */
	r = nfp_opts_parse(argc, argv, sets, NFP_OPTS_STOP_AT_ARG, &next, err, err_len);
	if (r)
		return r > 0 ? 0 : -1;
	if (next >= argc) {
		snprintf(err, err_len, "no verb given");
		return -1;
	}
	return next;
}

void nfpctl_print_result(const struct nfpctl_verb *v, const struct nfpctl_opts *o,
			 const json_t *result)
{
	if (o->json || !v->print) {
		char *text = json_dumps(result, JSON_ENCODE_ANY |
							(o->pretty ? JSON_INDENT(2) : JSON_COMPACT));

		if (text)
			puts(text);
		free(text);
		return;
	}
	v->print(result, stdout);
}

int nfpctl_connect(const struct nfpctl_opts *o, struct nfp_client **client)
{
	int r = nfp_client_connect(client, o->socket_path);

	if (r) {
		fprintf(stderr, "nfpctl: cannot reach nfpd at %s: %s%s\n", o->socket_path,
			strerror(-r), r == -ENOENT || r == -ECONNREFUSED ? " (is nfpd running?)" : "");
		return 1;
	}
	nfp_client_set_timeout(*client, o->timeout_ms);
	return 0;
}

int nfpctl_run_verb(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		    char **argv)
{
	struct nfp_client_error cerr;
	struct nfp_client *client;
	const char *cmd = NULL;
	json_t *args = NULL, *result = NULL;
	char err[512];
	int r;

	if (nfpctl_wants_help(argc, argv)) {
		nfpctl_verb_usage(v, stdout);
		return 0;
	}
	if (v->run)
		return v->run(v, o, argc, argv);
	r = v->build(v, argc, argv, &cmd, &args, err, sizeof(err));
	if (r == 1)
		return 0;
	if (r < 0) {
		fprintf(stderr, "nfpctl %s: %s\n", v->words, err);
		nfpctl_verb_usage(v, stderr);
		return 2;
	}
	if (nfpctl_connect(o, &client)) {
		json_decref(args);
		return 1;
	}
	r = nfp_client_call(client, cmd, args, &result, &cerr);
	nfp_client_close(client);
	if (r) {
		fprintf(stderr, "nfpctl %s: %s (%s)\n", v->words, cerr.message, cerr.name);
		return 1;
	}
	nfpctl_print_result(v, o, result);
	json_decref(result);
	return 0;
}

int nfpctl_positional(int argc, char **argv, int min, int max, const char *what, char *err,
		      size_t err_len)
{
	int n = argc - optind;

	if (n < min) {
		snprintf(err, err_len, "missing %s", what ? what : "argument");
		return -1;
	}
	if (n > max) {
		snprintf(err, err_len, "unexpected argument '%s'", argv[optind + max]);
		return -1;
	}
	return n;
}

int nfpctl_plain_args(int argc, char **argv, int min, int max, const char *what, char *err,
		      size_t err_len)
{
	static const struct nfp_opt none[] = { { 0 } };
	struct nfpctl_parsed p = { 0 };
	const struct nfp_opt_set sets[] = { { none, &p }, { 0 } };

	if (nfpctl_parse_opts(sets, argc, argv, err, err_len))
		return -1;
	return nfpctl_positional(argc, argv, min, max, what, err, err_len);
}

int nfpctl_parse_opts(const struct nfp_opt_set *sets, int argc, char **argv, char *err,
		      size_t err_len)
{
	int next, r = nfp_opts_parse(argc, argv, sets, 0, &next, err, err_len);

	if (r)
		return -1; /* a verb's options never stop the parse with success */
	optind = next;
	return 0;
}

int nfpctl_build_request(const struct nfp_opt *opts, int argc, char **argv, int min, int max,
			 const char *what, const char *first_key, json_t **args, char *err,
			 size_t err_len)
{
	struct nfpctl_parsed p = { .args = json_object() };
	const struct nfp_opt_set sets[] = { { opts, &p }, { 0 } };
	int n;

	if (nfpctl_parse_opts(sets, argc, argv, err, err_len) ||
	    (n = nfpctl_positional(argc, argv, min, max, what, err, err_len)) < 0) {
		json_decref(p.args);
		return -1;
	}
	if (first_key && n > 0)
		json_object_set_new(p.args, first_key, json_string(argv[optind]));
	*args = p.args;
	return n;
}

static json_t *args_of(void *p)
{
	return ((struct nfpctl_parsed *)p)->args;
}

int nfpctl_arg_string(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	json_object_set_new(args_of(p), o->key, json_string(v));
	return 0;
}

int nfpctl_arg_int(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	char *end;
	long long n;

	/* checked here so that typos fail before anything is sent */
	errno = 0;
	n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < o->min || n > o->max) {
		snprintf(err, len, "--%s is '%s'; expected a number %lld..%lld", o->name, v, o->min,
			 o->max);
		return -1;
	}
	json_object_set_new(args_of(p), o->key, json_integer(n));
	return 0;
}

int nfpctl_arg_choice(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	char list[128] = "";

	for (int i = 0; o->choices[i]; i++) {
		if (strcmp(o->choices[i], v) == 0) {
			json_object_set_new(args_of(p), o->key, json_string(v));
			return 0;
		}
		if (i)
			strncat(list, o->choices[i + 1] ? ", " : " or ", sizeof(list) - strlen(list) - 1);
		strncat(list, o->choices[i], sizeof(list) - strlen(list) - 1);
	}
	snprintf(err, len, "--%s is '%s'; expected %s", o->name, v, list);
	return -1;
}

int nfpctl_arg_true(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)v, (void)err, (void)len;
	json_object_set_new(args_of(p), o->key, json_true());
	return 0;
}

int nfpctl_arg_false(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)v, (void)err, (void)len;
	json_object_set_new(args_of(p), o->key, json_false());
	return 0;
}

void nfpctl_table_row(FILE *out, const int *widths, int n, const char *const *cells)
{
	for (int i = 0; i < n; i++)
		fprintf(out, i + 1 < n ? "%-*s  " : "%-*s\n", i + 1 < n ? widths[i] : 0, cells[i]);
}

const char *nfpctl_human_bytes(unsigned long long n, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", n);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}
