/* options.h - nfpd's command line: its own options (interfaces, socket,
 * pins, teardown, logging) in struct nfpd_options, and every subsystem's in
 * the struct its descriptor names, all parsed from one argv. Kept apart from
 * main.c so the unit tests can check it. */
#ifndef NFPD_OPTIONS_H
#define NFPD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define NFPD_MAX_CLI_IFACES 64

struct nfpd_options {
	const char *socket_path;
	const char *pin_dir;
	const char *ifaces[NFPD_MAX_CLI_IFACES];
	int n_ifaces;
	int mode;            /* NFP_XDP_MODE_* for --iface */
	bool teardown;       /* detach everything and unpin on exit */
	bool teardown_only;  /* --teardown-now: clean up and exit at once */
	bool verbose, quiet;
	int log_level;       /* from verbose and quiet */
};

/* 0: run; 1: exit 0 (help/version printed); -1: error printed to @err_msg.
 * The subsystems' option structs are reset to their defaults and filled. */
int nfpd_parse_options(int argc, char **argv, struct nfpd_options *o, char *err_msg,
		       size_t err_len);
void nfpd_usage(void *stream);

#endif
