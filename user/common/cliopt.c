/* cliopt.c - see cliopt.h. */
#include "common/cliopt.h"

#include <getopt.h>
#include <stdio.h>

int nfp_opt_error(int c, char *const *argv, char *err, size_t err_len)
{
	if (c == ':')
		snprintf(err, err_len, "option '%s' needs a value", argv[optind - 1]);
	else
		snprintf(err, err_len, "unknown option '%s'", argv[optind - 1]);
	return -1;
}
