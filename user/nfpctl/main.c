/* main.c - nfpctl's entry: global options, then the verb. Exit status 0 on
 * success, 1 when nfpd refused or could not be reached, 2 for bad usage. */
#include "nfpctl/cli.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	struct nfpctl_opts o;
	const struct nfpctl_verb *v;
	char err[256];
	int first, consumed;

	first = nfpctl_parse_global(argc, argv, &o, err, sizeof(err));
	if (first == 0)
		return 0;
	if (first < 0) {
		fprintf(stderr, "nfpctl: %s\n\n", err);
		nfpctl_usage(stderr);
		return 2;
	}
	v = nfpctl_find_verb(argc - first, argv + first, &consumed);
	if (!v) {
		fprintf(stderr, "nfpctl: unknown verb '%s' (see nfpctl --help)\n", argv[first]);
		return 2;
	}
	/* the verb sees its last word as argv[0], getopt style */
	return nfpctl_run_verb(v, &o, argc - first - consumed + 1,
			       argv + first + consumed - 1);
}
