/* options.c - see options.h. */
#include "nfpd/options.h"
#include "common/cliopt.h"
#include "common/log.h"
#include "nfplane/common.h"
#include "nfplane/iface.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

void nfpd_usage(void *stream)
{
	fprintf(stream,
		"Usage: nfpd [OPTIONS]\n"
		"The nfplane daemon: owns the XDP/TC dataplane and serves the API.\n"
		"Runs in the foreground and logs to stderr.\n\n"
		"  -i, --iface IFACE     attach to IFACE at start (repeatable)\n"
		"  -m, --mode MODE       XDP mode for --iface: native (default) or skb\n"
		"  -s, --socket PATH     API socket (default " NFP_SOCK_PATH_DEFAULT ")\n"
		"  -P, --pin-dir PATH    BPF pin directory (default " NFP_PIN_DIR_DEFAULT ")\n"
		"      --teardown        on exit, detach every interface and remove the pins\n"
		"                        (default: leave the dataplane running for the next nfpd)\n"
		"      --teardown-now    detach everything, remove the pins and exit\n"
		"  -v, --verbose         debug logging (libbpf and libxdp messages too)\n"
		"  -q, --quiet           errors and warnings only\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n");
}

int nfpd_parse_options(int argc, char **argv, struct nfpd_options *o, char *err, size_t err_len)
{
	enum { OPT_TEARDOWN = 256, OPT_TEARDOWN_NOW };
	static const struct option longopts[] = {
		{ "iface", required_argument, NULL, 'i' },
		{ "mode", required_argument, NULL, 'm' },
		{ "socket", required_argument, NULL, 's' },
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "teardown", no_argument, NULL, OPT_TEARDOWN },
		{ "teardown-now", no_argument, NULL, OPT_TEARDOWN_NOW },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->socket_path = NFP_SOCK_PATH_DEFAULT;
	o->pin_dir = NFP_PIN_DIR_DEFAULT;
	o->mode = NFP_XDP_MODE_NATIVE;
	o->log_level = NFP_LOG_INFO;
	optind = 0; /* 0: full re-initialisation, so repeated parses work */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:m:s:P:vqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (o->n_ifaces >= NFPD_MAX_CLI_IFACES) {
				snprintf(err, err_len, "too many --iface options (at most %d)",
					 NFPD_MAX_CLI_IFACES);
				return -1;
			}
			if (!*optarg || strlen(optarg) >= NFP_IFNAMSIZ) {
				snprintf(err, err_len, "--iface '%s' is not a valid interface name",
					 optarg);
				return -1;
			}
			o->ifaces[o->n_ifaces++] = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "native") == 0)
				o->mode = NFP_XDP_MODE_NATIVE;
			else if (strcmp(optarg, "skb") == 0)
				o->mode = NFP_XDP_MODE_SKB;
			else {
				snprintf(err, err_len, "--mode is '%s'; expected native or skb", optarg);
				return -1;
			}
			break;
		case 's':
			if (optarg[0] != '/' || strlen(optarg) >= 108) {
				snprintf(err, err_len,
					 "--socket needs an absolute path shorter than 108 bytes");
				return -1;
			}
			o->socket_path = optarg;
			break;
		case 'P':
			if (optarg[0] != '/' || strlen(optarg) >= 200) {
				snprintf(err, err_len,
					 "--pin-dir needs an absolute path shorter than 200 bytes");
				return -1;
			}
			o->pin_dir = optarg;
			break;
		case OPT_TEARDOWN:
			o->teardown = true;
			break;
		case OPT_TEARDOWN_NOW:
			o->teardown_only = true;
			break;
		case 'v':
			o->log_level = NFP_LOG_DEBUG;
			break;
		case 'q':
			o->log_level = NFP_LOG_WARN;
			break;
		case 'h':
			nfpd_usage(stdout);
			return 1;
		case 'V':
			printf("nfpd %s\n", NFP_VERSION);
			return 1;
		default:
			return nfp_opt_error(c, argv, err, err_len);
		}
	}
	if (optind < argc) {
		snprintf(err, err_len, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}
