/* options.h - nfpd's command line, parsed into struct nfpd_options. Kept
 * apart from main.c so the unit tests can check it. */
#ifndef NFPD_OPTIONS_H
#define NFPD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define NFPD_MAX_CLI_IFACES 64
#define NFPD_MAX_OF_LISTEN 8
#define NFPD_OF_MODULE_DEFAULT "learning-switch"

struct nfpd_options {
	const char *socket_path;
	const char *pin_dir;
	const char *ifaces[NFPD_MAX_CLI_IFACES];
	int n_ifaces;
	int mode;            /* NFP_XDP_MODE_* for --iface */
	bool teardown;       /* detach everything and unpin on exit */
	bool teardown_only;  /* --teardown-now: clean up and exit at once */
	int log_level;
	/* traces (0 / NULL: the subsystem's defaults) */
	unsigned int trace_max_sessions;
	unsigned int trace_max_period;
	unsigned int trace_reader_queue_kb;
	const char *trace_rest;   /* [ADDR:]PORT of Floodlight's REST endpoint, or NULL */
	const char *trace_thrift; /* [ADDR:]PORT of the PacketStreamer Thrift service, or NULL */
	/* OpenFlow: --of-listen ADDR:PORT (repeatable; replaces the defaults
	 * 127.0.0.1:6653 and 127.0.0.1:6633; "none" listens nowhere) */
	const char *of_listen[NFPD_MAX_OF_LISTEN];
	int n_of_listen;
	bool of_listen_none;
	const char *of_module; /* --of-module NAME */
};

/* 0: run; 1: exit 0 (help/version printed); -1: error printed to @err_msg. */
int nfpd_parse_options(int argc, char **argv, struct nfpd_options *o, char *err_msg,
		       size_t err_len);
void nfpd_usage(void *stream);

#endif
