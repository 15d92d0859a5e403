/* verbs_of.c - nfpctl's OpenFlow verbs: of switches, of ports DPID,
 * of flows DPID [--table N]. */
#include "nfpctl/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int build_switches(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			  json_t **args, char *err, size_t err_len)
{
	(void)v;
	if (nfpctl_plain_args(argc, argv, 0, 0, NULL, err, err_len) < 0)
		return -1;
	*cmd = "of_switches";
	*args = json_object();
	return 0;
}

static int build_ports(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	(void)v;
	/* the DPID as the user typed it; nfpd checks it (hex, colons allowed) */
	if (nfpctl_plain_args(argc, argv, 1, 1, "DPID", err, err_len) < 0)
		return -1;
	*cmd = "of_ports";
	*args = json_pack("{s:s}", "dpid", argv[optind]);
	return 0;
}

static int build_flows(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		{ .name = "table", .short_name = 't', .kind = NFP_OPT_CALL, .arg = "N",
		  .key = "table", .min = 0, .max = 254, .call = nfpctl_arg_int },
		{ 0 },
	};
	(void)v;
	*cmd = "of_flows";
	return nfpctl_build_request(opts, argc, argv, 1, 1, "DPID", "dpid", args, err, err_len) < 0 ?
		       -1 : 0;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static long long num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void print_switches(const json_t *r, FILE *out)
{
	static const int w[] = { 16, 4, 21, 5, 9, 10, 10, 10, 6 };
	static const char *const head[] = { "DPID", "OF", "PEER", "PORTS", "UP", "PACKET-IN",
					    "FLOW-MOD", "PKT-OUT", "ERRORS" };
	const json_t *list = json_object_get(r, "switches"), *l = json_object_get(r, "listen");
	size_t i;
	json_t *it;

	fprintf(out, "module %s, listening on", str(r, "module"));
	if (!json_array_size(l))
		fprintf(out, " nothing");
	json_array_foreach(l, i, it)
		fprintf(out, " %s", json_string_value(it));
	fprintf(out, "\n");
	if (num(r, "handshaking"))
		fprintf(out, "%lld connection(s) still in the handshake\n", num(r, "handshaking"));
	fprintf(out, "\n");
	if (!json_array_size(list)) {
		fprintf(out, "no switch connected\n");
		return;
	}
	nfpctl_table_row(out, w, 9, head);
	json_array_foreach(list, i, it) {
		char c[6][24];
		const char *cells[9];

		snprintf(c[0], sizeof(c[0]), "%lld", num(it, "n_ports"));
		snprintf(c[1], sizeof(c[1]), "%llds", num(it, "connected_s"));
		snprintf(c[2], sizeof(c[2]), "%lld", num(it, "packet_ins"));
		snprintf(c[3], sizeof(c[3]), "%lld", num(it, "flow_mods"));
		snprintf(c[4], sizeof(c[4]), "%lld", num(it, "packet_outs"));
		snprintf(c[5], sizeof(c[5]), "%lld", num(it, "errors"));
		cells[0] = str(it, "dpid");
		cells[1] = str(it, "version");
		cells[2] = str(it, "peer");
		for (int k = 0; k < 6; k++)
			cells[3 + k] = c[k];
		nfpctl_table_row(out, w, 9, cells);
	}
}

static void print_ports(const json_t *r, FILE *out)
{
	static const int w[] = { 10, 15, 17, 5, 6 };
	static const char *const head[] = { "PORT", "NAME", "HW-ADDR", "LINK", "ADMIN" };
	const json_t *list = json_object_get(r, "ports");
	size_t i;
	json_t *it;

	fprintf(out, "switch %s (OpenFlow %s)\n\n", str(r, "dpid"), str(r, "version"));
	nfpctl_table_row(out, w, 5, head);
	json_array_foreach(list, i, it) {
		const char *cells[5] = {
			str(it, "port"), str(it, "name"), str(it, "hw_addr"),
			json_is_true(json_object_get(it, "link_down")) ? "down" : "up",
			json_is_true(json_object_get(it, "admin_down")) ? "down" : "up",
		};

		nfpctl_table_row(out, w, 5, cells);
	}
}

static void print_flows(const json_t *r, FILE *out)
{
	static const int w[] = { 5, 8, 6, 8, 10, 12, 0, 0 };
	static const char *const head[] = { "TABLE", "PRIO", "IDLE", "AGE", "PACKETS", "BYTES",
					    "MATCH", "ACTIONS" };
	const json_t *list = json_object_get(r, "flows");
	size_t i;
	json_t *it;

	fprintf(out, "switch %s: %zu flow(s)\n\n", str(r, "dpid"), json_array_size(list));
	if (!json_array_size(list))
		return;
	for (int k = 0; k < 6; k++)
		fprintf(out, "%-*s  ", w[k], head[k]);
	fprintf(out, "%s -> %s\n", head[6], head[7]);
	json_array_foreach(list, i, it) {
		fprintf(out, "%-5lld  %-8lld  %-6lld  %-8lld  %-10lld  %-12lld  %s -> %s\n",
			num(it, "table_id"), num(it, "priority"), num(it, "idle_timeout"),
			num(it, "duration_s"), num(it, "packets"), num(it, "bytes"), str(it, "match"),
			str(it, "actions"));
	}
}

const struct nfpctl_verb nfpctl_of_verbs[] = {
	{ "of switches", "", "connected OpenFlow switches and the controller's listeners",
	  build_switches, print_switches, NULL },
	{ "of ports", "DPID", "the ports a switch reported", build_ports, print_ports, NULL },
	{ "of flows", "DPID [--table N]", "flow entries, read from the switch", build_flows,
	  print_flows, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
