/* options.c - see options.h. nfpd's own option table, and the command
 * line assembled from it and the subsystems' tables (nfpd/subsystems.c). */
#include "nfpd/options.h"
#include "common/log.h"
#include "common/opts.h"
#include "nfpd/subsystems.h"
#include "nfplane/common.h"
#include "nfplane/iface.h"

#include <stdio.h>
#include <string.h>

static const char *const modes[] = { "native", "skb", NULL };
static const int mode_values[] = { NFP_XDP_MODE_NATIVE, NFP_XDP_MODE_SKB };

static int add_iface(void *owner, const struct nfp_opt *opt, const char *v, char *err, size_t len)
{
	struct nfpd_options *o = owner;

	(void)opt;
	if (o->n_ifaces >= NFPD_MAX_CLI_IFACES) {
		snprintf(err, len, "too many --iface options (at most %d)", NFPD_MAX_CLI_IFACES);
		return -1;
	}
	if (!*v || strlen(v) >= NFP_IFNAMSIZ) {
		snprintf(err, len, "--iface '%s' is not a valid interface name", v);
		return -1;
	}
	o->ifaces[o->n_ifaces++] = v;
	return 0;
}

static int abs_path(const char *v, const char *name, size_t max, const char **out, char *err,
		    size_t len)
{
	if (v[0] != '/' || strlen(v) >= max) {
		snprintf(err, len, "--%s needs an absolute path shorter than %zu bytes", name, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int set_socket(void *owner, const struct nfp_opt *opt, const char *v, char *err, size_t len)
{
	(void)opt;
	return abs_path(v, "socket", 108, &((struct nfpd_options *)owner)->socket_path, err, len);
}

static int set_pin_dir(void *owner, const struct nfp_opt *opt, const char *v, char *err, size_t len)
{
	(void)opt;
	return abs_path(v, "pin-dir", 200, &((struct nfpd_options *)owner)->pin_dir, err, len);
}

static int help(void *owner, const struct nfp_opt *opt, const char *v, char *err, size_t len)
{
	(void)owner, (void)opt, (void)v, (void)err, (void)len;
	nfpd_usage(stdout);
	return 1;
}

static int version(void *owner, const struct nfp_opt *opt, const char *v, char *err, size_t len)
{
	(void)owner, (void)opt, (void)v, (void)err, (void)len;
	printf("nfpd %s\n", NFP_VERSION);
	return 1;
}

#define OFF(field) offsetof(struct nfpd_options, field)
static const struct nfp_opt nfpd_opts[] = {
	{ .name = "iface", .short_name = 'i', .kind = NFP_OPT_CALL, .arg = "IFACE",
	  .help = "attach to IFACE at start (repeatable)", .call = add_iface },
	{ .name = "mode", .short_name = 'm', .kind = NFP_OPT_CHOICE, .offset = OFF(mode),
	  .arg = "MODE", .help = "XDP mode for --iface: native (default) or skb", .choices = modes,
	  .values = mode_values },
	{ .name = "socket", .short_name = 's', .kind = NFP_OPT_CALL, .arg = "PATH",
	  .help = "API socket (default " NFP_SOCK_PATH_DEFAULT ")", .call = set_socket },
	{ .name = "pin-dir", .short_name = 'P', .kind = NFP_OPT_CALL, .arg = "PATH",
	  .help = "BPF pin directory (default " NFP_PIN_DIR_DEFAULT ")", .call = set_pin_dir },
	{ .name = "teardown", .kind = NFP_OPT_FLAG, .offset = OFF(teardown),
	  .help = "on exit, detach every interface and remove the pins\n"
		  "(default: leave the dataplane running for the next nfpd)" },
	{ .name = "teardown-now", .kind = NFP_OPT_FLAG, .offset = OFF(teardown_only),
	  .help = "detach everything, remove the pins and exit" },
	{ .name = "verbose", .short_name = 'v', .kind = NFP_OPT_FLAG, .offset = OFF(verbose),
	  .help = "debug logging (libbpf and libxdp messages too)" },
	{ .name = "quiet", .short_name = 'q', .kind = NFP_OPT_FLAG, .offset = OFF(quiet),
	  .help = "errors and warnings only" },
	{ .name = "help", .short_name = 'h', .kind = NFP_OPT_CALL, .help = "this help",
	  .call = help },
	{ .name = "version", .short_name = 'V', .kind = NFP_OPT_CALL, .help = "print the version",
	  .call = version },
	{ 0 },
};
#undef OFF

/* nfpd's table first, then each subsystem's, in their order */
static void option_sets(struct nfpd_options *o, struct nfp_opt_set *sets)
{
	int n = 0;

	sets[n++] = (struct nfp_opt_set){ nfpd_opts, o };
	for (int i = 0; nfp_subsystems[i]; i++)
		if (nfp_subsystems[i]->options)
			sets[n++] = (struct nfp_opt_set){ nfp_subsystems[i]->options,
							  nfp_subsystems[i]->opts };
	sets[n] = (struct nfp_opt_set){ 0 };
}

void nfpd_usage(void *stream)
{
	struct nfp_opt_set sets[NFP_MAX_SUBSYSTEMS + 2];
	struct nfpd_options o;

	option_sets(&o, sets);
	fprintf(stream, "Usage: nfpd [OPTIONS]\n"
			"The nfplane daemon: owns the XDP/TC dataplane and serves the API.\n"
			"Runs in the foreground and logs to stderr.\n\n");
	nfp_opts_usage(stream, sets);
}

int nfpd_parse_options(int argc, char **argv, struct nfpd_options *o, char *err, size_t err_len)
{
	struct nfp_opt_set sets[NFP_MAX_SUBSYSTEMS + 2];
	int next, r;

	memset(o, 0, sizeof(*o));
	o->socket_path = NFP_SOCK_PATH_DEFAULT;
	o->pin_dir = NFP_PIN_DIR_DEFAULT;
	o->mode = NFP_XDP_MODE_NATIVE;
	for (int i = 0; nfp_subsystems[i]; i++)
		if (nfp_subsystems[i]->opts)
			memcpy(nfp_subsystems[i]->opts, nfp_subsystems[i]->opts_defaults,
			       nfp_subsystems[i]->opts_size);
	option_sets(o, sets);
	r = nfp_opts_parse(argc, argv, sets, 0, &next, err, err_len);
	if (r)
		return r;
	if (next < argc) {
		snprintf(err, err_len, "unexpected argument '%s'", argv[next]);
		return -1;
	}
	o->log_level = o->verbose ? NFP_LOG_DEBUG : o->quiet ? NFP_LOG_WARN : NFP_LOG_INFO;
	return 0;
}
