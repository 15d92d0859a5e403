/* options.c - see options.h. */
#include "nfpd/options.h"
#include "common/cliopt.h"
#include "common/log.h"
#include "nfplane/common.h"
#include "nfplane/iface.h"
#include "openflow/of_addr.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
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
		"      --trace-max-sessions N  trace sessions at once (1..64, default 64)\n"
		"      --trace-max-period S    longest trace period in seconds (default 86400)\n"
		"      --trace-reader-queue KB bytes queued per trace reader before it loses\n"
		"                        records (default 2048)\n"
		"      --trace-rest [ADDR:]PORT  serve Floodlight's POST /wm/core/packettrace/json\n"
		"                        (ADDR defaults to 127.0.0.1; Floodlight used 8080)\n"
		"      --trace-thrift [ADDR:]PORT  serve the PacketStreamer Thrift service\n"
		"                        (ADDR defaults to 127.0.0.1; Floodlight used 9090)\n"
		"      --of-listen ADDR:PORT  OpenFlow listener, e.g. 0.0.0.0:6653 or [::1]:6633\n"
		"                        (repeatable; replaces the default 127.0.0.1:6653 and\n"
		"                        127.0.0.1:6633; 'none' turns the controller off)\n"
		"      --of-module NAME  module controlling the switches: learning-switch\n"
		"                        (default) or hub\n"
		"  -v, --verbose         debug logging (libbpf and libxdp messages too)\n"
		"  -q, --quiet           errors and warnings only\n"
		"  -h, --help            this help\n"
		"  -V, --version         print the version\n");
}

/* A decimal in [min, max]; 0 on success. */
static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || v < min || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int nfpd_parse_options(int argc, char **argv, struct nfpd_options *o, char *err, size_t err_len)
{
	enum { OPT_TEARDOWN = 256, OPT_TEARDOWN_NOW, OPT_TRACE_MAX_SESSIONS, OPT_TRACE_MAX_PERIOD,
	       OPT_TRACE_READER_QUEUE, OPT_TRACE_REST, OPT_TRACE_THRIFT, OPT_OF_LISTEN,
	       OPT_OF_MODULE };
	static const struct option longopts[] = {
		{ "iface", required_argument, NULL, 'i' },
		{ "mode", required_argument, NULL, 'm' },
		{ "socket", required_argument, NULL, 's' },
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "teardown", no_argument, NULL, OPT_TEARDOWN },
		{ "teardown-now", no_argument, NULL, OPT_TEARDOWN_NOW },
		{ "trace-max-sessions", required_argument, NULL, OPT_TRACE_MAX_SESSIONS },
		{ "trace-max-period", required_argument, NULL, OPT_TRACE_MAX_PERIOD },
		{ "trace-reader-queue", required_argument, NULL, OPT_TRACE_READER_QUEUE },
		{ "trace-rest", required_argument, NULL, OPT_TRACE_REST },
		{ "trace-thrift", required_argument, NULL, OPT_TRACE_THRIFT },
		{ "of-listen", required_argument, NULL, OPT_OF_LISTEN },
		{ "of-module", required_argument, NULL, OPT_OF_MODULE },
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
	o->of_module = NFPD_OF_MODULE_DEFAULT;
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
		case OPT_TRACE_MAX_SESSIONS:
			if (parse_uint(optarg, 1, 64, &o->trace_max_sessions)) {
				snprintf(err, err_len, "--trace-max-sessions is '%s'; expected 1..64",
					 optarg);
				return -1;
			}
			break;
		case OPT_TRACE_MAX_PERIOD:
			if (parse_uint(optarg, 1, 31536000, &o->trace_max_period)) {
				snprintf(err, err_len,
					 "--trace-max-period is '%s'; expected 1..31536000 seconds", optarg);
				return -1;
			}
			break;
		case OPT_TRACE_READER_QUEUE:
			if (parse_uint(optarg, 16, 4096, &o->trace_reader_queue_kb)) {
				snprintf(err, err_len, "--trace-reader-queue is '%s'; expected 16..4096 KB",
					 optarg);
				return -1;
			}
			break;
		case OPT_TRACE_REST:
		case OPT_TRACE_THRIFT:
			if (!*optarg || strlen(optarg) > 80) {
				snprintf(err, err_len, "%s needs [ADDR:]PORT", argv[optind - 1]);
				return -1;
			}
			*(c == OPT_TRACE_REST ? &o->trace_rest : &o->trace_thrift) = optarg;
			break;
		case OPT_OF_LISTEN: {
			struct sockaddr_storage ss;
			socklen_t sl;

			if (strcmp(optarg, "none") == 0) {
				o->of_listen_none = true;
				break;
			}
			if (o->n_of_listen >= NFPD_MAX_OF_LISTEN) {
				snprintf(err, err_len, "too many --of-listen options (at most %d)",
					 NFPD_MAX_OF_LISTEN);
				return -1;
			}
			if (of_parse_listen_addr(optarg, &ss, &sl)) {
				snprintf(err, err_len,
					 "--of-listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:6653, "
					 "[::1]:6653)", optarg);
				return -1;
			}
			o->of_listen[o->n_of_listen++] = optarg;
			break;
		}
		case OPT_OF_MODULE:
			if (!*optarg || strlen(optarg) > 64) {
				snprintf(err, err_len, "--of-module needs a module name");
				return -1;
			}
			o->of_module = optarg;
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
	if (o->of_listen_none && o->n_of_listen) {
		snprintf(err, err_len, "--of-listen none cannot be combined with an address");
		return -1;
	}
	if (optind < argc) {
		snprintf(err, err_len, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}
