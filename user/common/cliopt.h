/* cliopt.h - the error message for what getopt_long rejected, worded the
 * same in nfpd and every nfpctl verb. Parsers use the optstring prefix ':'
 * so that a missing value returns ':' rather than '?'. */
#ifndef NFP_CLIOPT_H
#define NFP_CLIOPT_H

#include <stddef.h>

/* @c: what getopt_long returned (':' or '?'). Formats @err; returns -1. */
int nfp_opt_error(int c, char *const *argv, char *err, size_t err_len);

#endif
