/* opts.c - see opts.h. A thin layer over getopt_long: the tables become its
 * long options (value = 256 + position), the short names its optstring. */
#include "common/opts.h"
#include "common/cliopt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 128

struct flat {
	const struct nfp_opt *opt;
	void *owner;
};

static int flatten(const struct nfp_opt_set *sets, struct flat *out)
{
	int n = 0;

	for (const struct nfp_opt_set *s = sets; s->opts; s++)
		for (const struct nfp_opt *o = s->opts; o->name; o++) {
			if (n == MAX_OPTS)
				return -1;
			out[n++] = (struct flat){ o, s->owner };
		}
	return n;
}

static int take(const struct nfp_opt *o, void *owner, const char *v, char *err, size_t len)
{
	char *field = (char *)owner + o->offset;

	switch (o->kind) {
	case NFP_OPT_FLAG:
		*(bool *)field = true;
		return 0;
	case NFP_OPT_STRING:
		if (!*v || strlen(v) > (size_t)(o->max ? o->max : 255)) {
			snprintf(err, len, "--%s needs %s", o->name, o->arg);
			return -1;
		}
		*(const char **)field = v;
		return 0;
	case NFP_OPT_UINT: {
		unsigned long long n;
		char *end;

		errno = 0;
		n = strtoull(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || errno || n < (unsigned long long)o->min ||
		    n > (unsigned long long)o->max) {
			snprintf(err, len, "--%s is '%s'; expected %lld..%lld%s%s", o->name, v, o->min,
				 o->max, o->unit ? " " : "", o->unit ? o->unit : "");
			return -1;
		}
		*(unsigned int *)field = (unsigned int)n;
		return 0;
	}
	case NFP_OPT_CHOICE: {
		char list[128] = "";

		for (int i = 0; o->choices[i]; i++) {
			if (strcmp(o->choices[i], v) == 0) {
				*(int *)field = o->values ? o->values[i] : i;
				return 0;
			}
			if (i)
				strncat(list, o->choices[i + 1] ? ", " : " or ",
					sizeof(list) - strlen(list) - 1);
			strncat(list, o->choices[i], sizeof(list) - strlen(list) - 1);
		}
		snprintf(err, len, "--%s is '%s'; expected %s", o->name, v, list);
		return -1;
	}
	case NFP_OPT_CALL:
		return o->call(owner, o, v, err, len);
	}
	snprintf(err, len, "--%s: not a kind of option nfplane knows", o->name);
	return -1;
}

int nfp_opts_parse(int argc, char **argv, const struct nfp_opt_set *sets, int flags, int *next,
		   char *err, size_t err_len)
{
	struct flat all[MAX_OPTS];
	struct option longopts[MAX_OPTS + 1];
	/* '+': stop at the first argument; ':': a missing value returns ':' */
	char shortopts[2 * MAX_OPTS + 3];
	int n = flatten(sets, all), c;

	snprintf(shortopts, sizeof(shortopts), "%s:", flags & NFP_OPTS_STOP_AT_ARG ? "+" : "");
	if (n < 0) {
		snprintf(err, err_len, "more than %d options", MAX_OPTS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const struct nfp_opt *o = all[i].opt;
		bool has_arg = o->kind != NFP_OPT_FLAG && o->arg;

		longopts[i] = (struct option){ o->name, has_arg ? required_argument : no_argument,
					       NULL, 256 + i };
		if (o->short_name) {
			size_t l = strlen(shortopts);

			shortopts[l] = (char)o->short_name;
			shortopts[l + 1] = has_arg ? ':' : '\0';
			shortopts[l + 2] = '\0';
		}
	}
	longopts[n] = (struct option){ 0 };
	optind = 0; /* 0: full re-initialisation, so repeated parses work */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int i = c - 256, r;

		if (c < 256) {
			for (i = 0; i < n && all[i].opt->short_name != c; i++)
				;
			if (c == ':' || c == '?' || i == n)
				return nfp_opt_error(c == ':' ? ':' : '?', argv, err, err_len);
		}
		r = take(all[i].opt, all[i].owner, optarg, err, err_len);
		if (r)
			return r;
	}
	*next = optind;
	return 0;
}

void nfp_opts_usage(FILE *out, const struct nfp_opt_set *sets)
{
	for (const struct nfp_opt_set *s = sets; s->opts; s++) {
		for (const struct nfp_opt *o = s->opts; o->name; o++) {
			char left[64];
			const char *h = o->help, *nl;
			int w;

			w = snprintf(left, sizeof(left), "  %c%c%s--%s%s%s",
				     o->short_name ? '-' : ' ', o->short_name ? o->short_name : ' ',
				     o->short_name ? ", " : "  ", o->name, o->arg ? " " : "",
				     o->arg ? o->arg : "");
			/* the help at column 24, or two spaces after a long option */
			fprintf(out, "%s%*s", left, w < 22 ? 24 - w : 2, "");
			while ((nl = strchr(h, '\n'))) {
				fprintf(out, "%.*s\n%24s", (int)(nl - h), h, "");
				h = nl + 1;
			}
			fprintf(out, "%s\n", h);
		}
	}
}
