/* verbs_iface.c - nfpctl's dataplane verbs: attach, detach, status, stats. */
#include "nfpctl/cli.h"

#include <getopt.h>
#include <string.h>

static int build_attach(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	static const char *const modes[] = { "native", "skb", NULL };
	static const struct nfp_opt opts[] = {
		{ .name = "mode", .short_name = 'm', .kind = NFP_OPT_CALL, .arg = "MODE",
		  .key = "mode", .choices = modes, .call = nfpctl_arg_choice },
		{ 0 },
	};
	(void)v;
	*cmd = "attach";
	return nfpctl_build_request(opts, argc, argv, 1, 1, NULL, "iface", args, err, err_len) < 0 ?
		       -1 : 0;
}

static int build_iface_only(const char *command, bool required, int argc, char **argv,
			    const char **cmd, json_t **args, char *err, size_t err_len)
{
	int n = nfpctl_plain_args(argc, argv, required ? 1 : 0, 1, NULL, err, err_len);

	if (n < 0)
		return -1;
	*cmd = command;
	*args = json_object();
	if (n == 1)
		json_object_set_new(*args, "iface", json_string(argv[optind]));
	return 0;
}

static int build_detach(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_iface_only("detach", true, argc, argv, cmd, args, err, err_len);
}

static int build_stats(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_iface_only("stats", false, argc, argv, cmd, args, err, err_len);
}

static int build_status(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	int r = build_iface_only("status", false, argc, argv, cmd, args, err, err_len);

	(void)v;
	if (r == 0 && json_object_size(*args)) {
		json_decref(*args);
		snprintf(err, err_len, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return r;
}

static void print_attach(const json_t *r, FILE *out)
{
	fprintf(out, "attached %s (ifindex %lld, %s mode, XDP %s, program %lld)\n",
		json_string_value(json_object_get(r, "iface")),
		json_integer_value(json_object_get(r, "ifindex")),
		json_string_value(json_object_get(r, "mode")),
		json_string_value(json_object_get(r, "xdp_attach")),
		json_integer_value(json_object_get(r, "xdp_prog_id")));
}

static void print_detach(const json_t *r, FILE *out)
{
	fprintf(out, "detached %s\n", json_string_value(json_object_get(r, "iface")));
}

static void print_status(const json_t *r, FILE *out)
{
	static const int w[] = { 15, 7, 4, 6, 10, 8, 8, 8 };
	static const char *const head[] = { "IFACE", "IFINDEX", "SLOT", "MODE", "XDP-ATTACH",
					    "XDP-PROG", "TC-IN", "TC-OUT" };
	const json_t *ifaces = json_object_get(r, "ifaces");
	bool single = false;
	size_t i;
	json_t *it;

	fprintf(out, "nfpd %s, pid %lld, up %llds\nsocket %s\npins   %s\n\n",
		json_string_value(json_object_get(r, "version")),
		json_integer_value(json_object_get(r, "pid")),
		json_integer_value(json_object_get(r, "uptime_s")),
		json_string_value(json_object_get(r, "socket")),
		json_string_value(json_object_get(r, "pin_dir")));
	if (!json_array_size(ifaces)) {
		fprintf(out, "no interface attached (nfpctl attach IFACE)\n");
		return;
	}
	nfpctl_table_row(out, w, 8, head);
	json_array_foreach(ifaces, i, it) {
		char c[5][24];
		const char *cells[8];

		snprintf(c[0], sizeof(c[0]), "%lld", json_integer_value(json_object_get(it, "ifindex")));
		snprintf(c[1], sizeof(c[1]), "%lld", json_integer_value(json_object_get(it, "slot")));
		snprintf(c[2], sizeof(c[2]), "%lld", json_integer_value(json_object_get(it, "xdp_prog_id")));
		snprintf(c[3], sizeof(c[3]), "%lld", json_integer_value(json_object_get(it, "tc_ingress_prog_id")));
		snprintf(c[4], sizeof(c[4]), "%lld", json_integer_value(json_object_get(it, "tc_egress_prog_id")));
		cells[0] = json_string_value(json_object_get(it, "iface"));
		cells[1] = c[0];
		cells[2] = c[1];
		cells[3] = json_string_value(json_object_get(it, "mode"));
		cells[4] = json_string_value(json_object_get(it, "xdp_attach"));
		cells[5] = c[2];
		cells[6] = c[3];
		cells[7] = c[4];
		nfpctl_table_row(out, w, 8, cells);
		if (strcmp(cells[4], "single") == 0)
			single = true;
	}
	if (single)
		fprintf(out, "\nXDP-ATTACH single: libxdp could not load its dispatcher (the kernel "
			     "refused freplace), so nfplane's program is attached alone.\n");
}

static void print_stats(const json_t *r, FILE *out)
{
	static const char *const cols[] = { "rx_packets", "rx_bytes", "rx_ipv4", "rx_ipv6",
					    "rx_non_ip", "rx_malformed", "xdp_pass", "xdp_drop",
					    "tx_packets", "tx_bytes" };
	static const char *const head[] = { "IFACE", "RX-PKTS", "RX-BYTES", "IPV4", "IPV6",
					    "NON-IP", "MALFORMED", "PASS", "DROP", "TX-PKTS",
					    "TX-BYTES" };
	static const int w[] = { 15, 10, 12, 10, 10, 8, 9, 10, 8, 10, 12 };
	const json_t *ifaces = json_object_get(r, "ifaces");
	size_t i;
	json_t *it;

	if (!json_array_size(ifaces)) {
		fprintf(out, "no interface attached\n");
		return;
	}
	nfpctl_table_row(out, w, 11, head);
	json_array_foreach(ifaces, i, it) {
		const json_t *ctr = json_object_get(it, "counters");
		char buf[10][32];
		const char *cells[11];

		cells[0] = json_string_value(json_object_get(it, "iface"));
		for (int k = 0; k < 10; k++) {
			unsigned long long v =
				(unsigned long long)json_integer_value(json_object_get(ctr, cols[k]));

			if (strstr(cols[k], "bytes"))
				nfpctl_human_bytes(v, buf[k], sizeof(buf[k]));
			else
				snprintf(buf[k], sizeof(buf[k]), "%llu", v);
			cells[k + 1] = buf[k];
		}
		nfpctl_table_row(out, w, 11, cells);
	}
}

const struct nfpctl_verb nfpctl_iface_verbs[] = {
	{ "attach", "IFACE [--mode native|skb]", "attach nfplane's XDP and TC programs to IFACE",
	  build_attach, print_attach, NULL },
	{ "detach", "IFACE", "detach nfplane from IFACE, leaving it as it was", build_detach,
	  print_detach, NULL },
	{ "status", "", "daemon status and attached interfaces", build_status, print_status,
	  NULL },
	{ "stats", "[IFACE]", "per-interface packet counters", build_stats, print_stats, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
