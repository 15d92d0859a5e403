/* cli.h - nfpctl's shape: global options, and the verbs each subsystem adds.
 *
 * A verb turns its arguments into an API request (build: pure, no I/O, so
 * unit tests check every argument rule) and prints the reply (print). Verbs
 * that need more than one request-reply, such as streams, set run instead.
 */
#ifndef NFPCTL_CLI_H
#define NFPCTL_CLI_H

#include "common/opts.h"
#include "libnfp/client.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* -t's default: long enough for any request nfpd serves (a flowtable
 * resize of millions of flows takes seconds), short enough that a hung
 * daemon is reported rather than waited on for ever */
#define NFPCTL_TIMEOUT_S_DEFAULT 30

struct nfpctl_opts {
	const char *socket_path;
	int timeout_ms;  /* -t: how long a request waits for its reply (< 0: for ever) */
	bool json;     /* -j: print the reply's result as JSON */
	bool pretty;   /* -p: indented JSON (implies -j) */
};

struct nfpctl_verb;

/* Fill *cmd and *args (a new object) from argv (argv[0] is the verb's last
 * word). Returns 0, 1 when help was printed, or -1 with @err set. */
typedef int (*nfpctl_build_fn)(const struct nfpctl_verb *v, int argc, char **argv,
			       const char **cmd, json_t **args, char *err, size_t err_len);
typedef void (*nfpctl_print_fn)(const json_t *result, FILE *out);
/* Whole-verb runner for the verbs that stream; returns the exit status. */
typedef int (*nfpctl_run_fn)(const struct nfpctl_verb *v, const struct nfpctl_opts *o,
			     int argc, char **argv);

struct nfpctl_verb {
	const char *words;   /* "attach", "flowtable show", ... */
	const char *usage;   /* arguments after the words */
	const char *summary;
	nfpctl_build_fn build;
	nfpctl_print_fn print;
	nfpctl_run_fn run;
};

/* Every verb table, ended by an entry with NULL words. */
extern const struct nfpctl_verb nfpctl_iface_verbs[];
extern const struct nfpctl_verb nfpctl_flowtable_verbs[];
extern const struct nfpctl_verb nfpctl_trace_verbs[];
extern const struct nfpctl_verb nfpctl_of_verbs[];
extern const struct nfpctl_verb nfpctl_slice_verbs[];
extern const struct nfpctl_verb nfpctl_lvnf_verbs[];

/* Find the verb whose words start argv; *consumed gets how many words. */
const struct nfpctl_verb *nfpctl_find_verb(int argc, char **argv, int *consumed);
/* Parse options before the verb. Returns the index of the first verb word,
 * or -1 with @err set, or 0 when help/version was printed. */
int nfpctl_parse_global(int argc, char **argv, struct nfpctl_opts *o, char *err, size_t err_len);
void nfpctl_usage(FILE *out);
void nfpctl_verb_usage(const struct nfpctl_verb *v, FILE *out);
/* True when argv holds -h or --help (verbs print their usage then). */
bool nfpctl_wants_help(int argc, char **argv);

/* Connect to nfpd per @o (socket, request timeout); on failure print why
 * (naming the socket) and return non-zero. */
int nfpctl_connect(const struct nfpctl_opts *o, struct nfp_client **client);

/* Run a verb start to end (connect, call, print); returns the exit status. */
int nfpctl_run_verb(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		    char **argv);
/* Print @result per the -j/-p options or with the verb's printer. */
void nfpctl_print_result(const struct nfpctl_verb *v, const struct nfpctl_opts *o,
			 const json_t *result);

/* Verbs' options are tables (common/opts.h) whose values go into a
 * struct nfpctl_parsed: most straight into the request's arguments, with
 * the generic calls below (.key names the argument); the few that are not
 * request arguments into the other fields. */
struct nfpctl_parsed {
	json_t *args;          /* the request's arguments */
	const char *write;     /* -w FILE (trace streams) */
	bool json;             /* --json (trace streams) */
	bool mirror;           /* --mirror (flowtable events) */
	long count;            /* --count N (flowtable events); -1: no limit */
};
/* Parse argv's options per @sets (each set's owner a struct nfpctl_parsed;
 * options and arguments may be mixed); then optind is the first argument.
 * Returns 0 or -1 with @err set. */
int nfpctl_parse_opts(const struct nfp_opt_set *sets, int argc, char **argv, char *err,
		      size_t err_len);
/* The usual verb: @opts into a new request, then between @min and @max
 * arguments (named @what when missing); with @first_key, the first argument
 * is the request argument of that name. Returns the argument count with
 * *args set, or -1 with @err set (nothing to free). */
int nfpctl_build_request(const struct nfp_opt *opts, int argc, char **argv, int min, int max,
			 const char *what, const char *first_key, json_t **args, char *err,
			 size_t err_len);
/* The generic calls: the value as a string, an integer in [.min, .max], one
 * of .choices (as a string), or true / false for a flag. */
int nfpctl_arg_string(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len);
int nfpctl_arg_int(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len);
int nfpctl_arg_choice(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len);
int nfpctl_arg_true(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len);
int nfpctl_arg_false(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len);
#define NFPCTL_OPT_STRING(opt, argname, shown)                                                   \
	{ .name = (opt), .kind = NFP_OPT_CALL, .arg = (shown), .key = (argname),                 \
	  .call = nfpctl_arg_string }
#define NFPCTL_OPT_INT(opt, argname, lo, hi)                                                     \
	{ .name = (opt), .kind = NFP_OPT_CALL, .arg = "N", .key = (argname), .min = (lo),       \
	  .max = (hi), .call = nfpctl_arg_int }
#define NFPCTL_OPT_CHOICE(opt, argname, list)                                                    \
	{ .name = (opt), .kind = NFP_OPT_CALL, .arg = "WORD", .key = (argname),                 \
	  .choices = (list), .call = nfpctl_arg_choice }
#define NFPCTL_OPT_FLAG(opt, argname, fn)                                                        \
	{ .name = (opt), .kind = NFP_OPT_CALL, .key = (argname), .call = (fn) }

/* Helpers for building requests. After a verb's options, take
 * between @min and @max positional arguments (argv[optind...]); returns how
 * many, or -1 with @err set. @what names a missing one ("DPID"; NULL: the
 * word "argument"). */
int nfpctl_positional(int argc, char **argv, int min, int max, const char *what, char *err,
		      size_t err_len);
/* The same for a verb that takes no options at all: rejects any option
 * first. */
int nfpctl_plain_args(int argc, char **argv, int min, int max, const char *what, char *err,
		      size_t err_len);

/* Helpers for printers. */
void nfpctl_table_row(FILE *out, const int *widths, int n, const char *const *cells);
const char *nfpctl_human_bytes(unsigned long long n, char *buf, size_t len);

#endif
