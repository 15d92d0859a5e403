/* opts.h - command-line options declared as tables instead of a getopt
 * loop each: an option names where its value goes (an offset into its
 * owner's options struct), what kind of value it takes and the limits, and
 * its --help text. nfpd assembles its command line from the tables of its
 * subsystems (user/nfpd/subsystems.c), so a subsystem adds its options
 * without touching nfpd's parser. Error messages name the option and the
 * value, worded the same everywhere.
 */
#ifndef NFP_COMMON_OPTS_H
#define NFP_COMMON_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum nfp_opt_kind {
	NFP_OPT_FLAG = 1, /* bool = true */
	NFP_OPT_STRING,   /* const char * pointing into argv, 1..max bytes */
	NFP_OPT_UINT,     /* unsigned int in [min, max] */
	NFP_OPT_CHOICE,   /* int: values[i] (or i) for the value that is choices[i] */
	NFP_OPT_CALL,     /* call() takes it: lists, paths, cross-checks */
};

struct nfp_opt {
	const char *name;        /* --name */
	int short_name;          /* -c, or 0 */
	enum nfp_opt_kind kind;
	size_t offset;           /* of the value in the owner's struct (not CALL) */
	const char *arg;         /* the value as --help shows it ("N", "[ADDR:]PORT") */
	const char *help;        /* --help text; '\n' starts a continuation line */
	long long min, max;      /* UINT: range; STRING: max length (0: 255); CALL: as it wishes */
	const char *unit;        /* UINT: what the number counts ("seconds"), for errors */
	const char *const *choices; /* CHOICE: NULL-terminated */
	const int *values;          /* CHOICE: what each choice stores (NULL: its index) */
	const char *key;            /* CALL: what the value names, for a generic call
				     * (nfpctl: the request argument it sets) */
	/* CALL: returns 0, 1 to stop with success (help, version), or -1 with
	 * @err set. @value is NULL for an option without an arg. */
	int (*call)(void *owner, const struct nfp_opt *opt, const char *value, char *err,
		    size_t err_len);
};

/* A table and the struct its values go into; arrays of sets end with a
 * NULL opts. */
struct nfp_opt_set {
	const struct nfp_opt *opts; /* ended by an entry with a NULL name */
	void *owner;
};

/* Parse the options of argv (argv[0] is the program or verb). Options and
 * arguments may be mixed (the arguments are moved to the end, as getopt
 * does), unless @flags has NFP_OPTS_STOP_AT_ARG: then parsing stops at the
 * first argument (nfpctl's global options, before the verb). Returns 0 with
 * *next the index of the first argument, 1 when a CALL option asked to stop
 * (help printed), or -1 with @err set. */
#define NFP_OPTS_STOP_AT_ARG 0x1
int nfp_opts_parse(int argc, char **argv, const struct nfp_opt_set *sets, int flags, int *next,
		   char *err, size_t err_len);
/* The options' --help lines. */
void nfp_opts_usage(FILE *out, const struct nfp_opt_set *sets);

#endif
