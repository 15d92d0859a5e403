/* verbs_lvnf.c - nfpctl's LVNF verbs: cpp list; image add|list|show|delete;
 * lvnf spawn|stop|delete|list|show|stats; lvnf handler read|write. */
#include "nfpctl/cli.h"
#include "common/file.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int lvnf_arg(json_t *args, const char *s, char *err, size_t err_len)
{
	char *end;
	long long no = strtoll(s, &end, 10);

	if (!*s || *end || no < 0) {
		snprintf(err, err_len, "'%s' is not an LVNF id (a number)", s);
		return -1;
	}
	json_object_set_new(args, "lvnf", json_integer(no));
	return 0;
}

static int plain(const char *command, const char *key, int argc, char **argv, const char **cmd,
		 json_t **args, char *err, size_t err_len)
{
	int n = nfpctl_plain_args(argc, argv, key ? 1 : 0, key ? 1 : 0, key ? "argument" : NULL,
				  err, err_len);

	if (n < 0)
		return -1;
	*cmd = command;
	*args = json_object();
	if (key && !strcmp(key, "lvnf")) {
		if (lvnf_arg(*args, argv[optind], err, err_len)) {
			json_decref(*args);
			return -1;
		}
	} else if (key) {
		json_object_set_new(*args, key, json_string(argv[optind]));
	}
	return 0;
}

#define PLAIN(fn, command, key)                                                                  \
	static int fn(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,      \
		      json_t **args, char *err, size_t err_len)                                  \
	{                                                                                        \
		(void)v;                                                                         \
		return plain(command, key, argc, argv, cmd, args, err, err_len);                 \
	}
PLAIN(build_cpp_list, "cpp_list", NULL)
PLAIN(build_image_list, "image_list", NULL)
PLAIN(build_image_show, "image_show", "name")
PLAIN(build_image_delete, "image_delete", "name")
PLAIN(build_lvnf_stop, "lvnf_stop", "lvnf")
PLAIN(build_lvnf_delete, "lvnf_delete", "lvnf")
PLAIN(build_lvnf_list, "lvnf_list", NULL)
PLAIN(build_lvnf_show, "lvnf_show", "lvnf")

/* --handler ALIAS=ELEMENT.HANDLER and --state ALIAS, each repeatable */
static int add_handler(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	json_t *args = ((struct nfpctl_parsed *)p)->args;
	const char *eq = strchr(v, '=');
	json_t *list = json_object_get(args, "handlers");

	(void)o;
	if (!eq || eq == v || !eq[1]) {
		snprintf(err, len, "--handler is ALIAS=ELEMENT.HANDLER, not '%s'", v);
		return -1;
	}
	if (!list)
		json_object_set_new(args, "handlers", list = json_array());
	json_array_append_new(list, json_pack("[s%,s]", v, (size_t)(eq - v), eq + 1));
	return 0;
}

static int add_state(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	json_t *args = ((struct nfpctl_parsed *)p)->args;
	json_t *list = json_object_get(args, "state_handlers");

	(void)o, (void)err, (void)len;
	if (!list)
		json_object_set_new(args, "state_handlers", list = json_array());
	json_array_append_new(list, json_string(v));
	return 0;
}

static int build_image_add(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			   json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_INT("ports", "nb_ports", 1, 64),
		NFPCTL_OPT_STRING("script", "vnf", "CLICK"),
		{ .name = "handler", .kind = NFP_OPT_CALL, .arg = "ALIAS=ELEMENT.HANDLER",
		  .call = add_handler },
		{ .name = "state", .kind = NFP_OPT_CALL, .arg = "ALIAS", .call = add_state },
		{ 0 },
	};
	int n;

	(void)v;
	n = nfpctl_build_request(opts, argc, argv, 1, 2, "NAME", "name", args, err, err_len);
	if (n < 0)
		return -1;
	if (n == 2 && json_object_get(*args, "vnf")) {
		snprintf(err, err_len, "give the script as FILE or --script, not both");
		goto fail;
	}
	if (n == 2) {
		char *text;
		size_t len;
		int r = nfp_file_read(argv[optind + 1], 1 << 20, &text, &len);

		if (r) {
			snprintf(err, err_len, "%s: %s", argv[optind + 1], strerror(-r));
			goto fail;
		}
		json_object_set_new(*args, "vnf", json_stringn(text, len));
		free(text);
	}
	if (!json_object_get(*args, "vnf")) {
		snprintf(err, err_len, "the Click script is missing (FILE or --script TEXT)");
		goto fail;
	}
	*cmd = "image_add";
	return 0;
fail:
	json_decref(*args);
	return -1;
}

static int build_lvnf_spawn(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			    json_t **args, char *err, size_t err_len)
{
	static const char *const runtimes[] = { "ebpf", "click", "auto", NULL };
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_STRING("cpp", "cpp", "CPP"),
		NFPCTL_OPT_CHOICE("runtime", "runtime", runtimes),
		{ 0 },
	};

	(void)v;
	*cmd = "lvnf_spawn";
	return nfpctl_build_request(opts, argc, argv, 1, 1, "IMAGE", "image", args, err, err_len) <
			       0 ? -1 : 0;
}

static int build_lvnf_stats(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			    json_t **args, char *err, size_t err_len)
{
	static const struct nfp_opt opts[] = {
		NFPCTL_OPT_INT("every", "every", -1, 3600000),
		{ 0 },
	};

	(void)v;
	*cmd = "lvnf_stats";
	if (nfpctl_build_request(opts, argc, argv, 1, 1, "LVNF", NULL, args, err, err_len) < 0)
		return -1;
	if (lvnf_arg(*args, argv[optind], err, err_len)) {
		json_decref(*args);
		return -1;
	}
	return 0;
}

static int build_handler(bool write, int argc, char **argv, const char **cmd, json_t **args,
			 char *err, size_t err_len)
{
	int n = nfpctl_plain_args(argc, argv, write ? 2 : 2, write ? 3 : 2,
				  write ? "LVNF ELEMENT.HANDLER [VALUE]" : "LVNF ELEMENT.HANDLER",
				  err, err_len);

	if (n < 0)
		return -1;
	*args = json_object();
	if (lvnf_arg(*args, argv[optind], err, err_len)) {
		json_decref(*args);
		return -1;
	}
	json_object_set_new(*args, "handler", json_string(argv[optind + 1]));
	if (n == 3)
		json_object_set_new(*args, "value", json_string(argv[optind + 2]));
	*cmd = write ? "lvnf_handler_write" : "lvnf_handler_read";
	return 0;
}

static int build_handler_read(const struct nfpctl_verb *v, int argc, char **argv,
			      const char **cmd, json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_handler(false, argc, argv, cmd, args, err, err_len);
}

static int build_handler_write(const struct nfpctl_verb *v, int argc, char **argv,
			       const char **cmd, json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_handler(true, argc, argv, cmd, args, err, err_len);
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "-";
}

static void print_cpps(const json_t *r, FILE *out)
{
	static const int w[] = { 10, 6, 6, 20 };
	static const char *const head[] = { "CPP", "STATE", "LVNFS", "RUNTIMES" };
	size_t i;
	json_t *c;

	nfpctl_table_row(out, w, 4, head);
	json_array_foreach(json_object_get(r, "cpps"), i, c) {
		char n[16], rts[64] = "";
		size_t k;
		json_t *rt;
		const char *cells[4];

		snprintf(n, sizeof(n), "%lld", json_integer_value(json_object_get(c, "lvnfs")));
		json_array_foreach(json_object_get(c, "runtimes"), k, rt)
			snprintf(rts + strlen(rts), sizeof(rts) - strlen(rts), "%s%s", k ? "," : "",
				 json_string_value(rt));
		cells[0] = str(c, "cpp");
		cells[1] = str(c, "state");
		cells[2] = n;
		cells[3] = rts[0] ? rts : "none";
		nfpctl_table_row(out, w, 4, cells);
	}
}

static void print_image(const json_t *r, FILE *out)
{
	size_t i;
	json_t *h;

	fprintf(out, "image %s, %lld port(s)\nhandlers:", str(r, "name"),
		json_integer_value(json_object_get(r, "nb_ports")));
	json_array_foreach(json_object_get(r, "handlers"), i, h)
		fprintf(out, " %s=%s", json_string_value(json_array_get(h, 0)),
			json_string_value(json_array_get(h, 1)));
	fprintf(out, "\n");
	if (json_object_get(r, "vnf"))
		fprintf(out, "%s\n", str(r, "vnf"));
}

static void print_images(const json_t *r, FILE *out)
{
	static const int w[] = { 24, 5, 8 };
	static const char *const head[] = { "IMAGE", "PORTS", "HANDLERS" };
	size_t i;
	json_t *im;

	if (!json_array_size(json_object_get(r, "images"))) {
		fprintf(out, "no image (nfpctl image add NAME FILE)\n");
		return;
	}
	nfpctl_table_row(out, w, 3, head);
	json_array_foreach(json_object_get(r, "images"), i, im) {
		char p[16], h[16];
		const char *cells[3] = { str(im, "name"), p, h };

		snprintf(p, sizeof(p), "%lld", json_integer_value(json_object_get(im, "nb_ports")));
		snprintf(h, sizeof(h), "%zu", json_array_size(json_object_get(im, "handlers")));
		nfpctl_table_row(out, w, 3, cells);
	}
}

/* as the seed prints a port: CPP, interface, virtual port, MAC */
static void print_lvnf(const json_t *l, FILE *out)
{
	size_t i;
	json_t *p;

	fprintf(out, "lvnf %lld: image %s on %s, %s runtime, %s", json_integer_value(
			json_object_get(l, "lvnf")), str(l, "image"), str(l, "cpp"),
		str(l, "runtime"), str(l, "state"));
	if (json_object_get(l, "why"))
		fprintf(out, " (%s)", str(l, "why"));
	fprintf(out, "\n");
	json_array_foreach(json_object_get(l, "ports"), i, p)
		fprintf(out, "  %s iface %s virtual_port %lld hwaddr %s\n", str(p, "cpp"),
			str(p, "iface"), json_integer_value(json_object_get(p, "virtual_port")),
			str(p, "hwaddr"));
}

static void print_lvnfs(const json_t *r, FILE *out)
{
	size_t i;
	json_t *l;

	if (!json_array_size(json_object_get(r, "lvnfs"))) {
		fprintf(out, "no LVNF (nfpctl lvnf spawn IMAGE)\n");
		return;
	}
	json_array_foreach(json_object_get(r, "lvnfs"), i, l)
		print_lvnf(l, out);
}

static void print_deleted(const json_t *r, FILE *out)
{
	if (json_object_get(r, "lvnf"))
		fprintf(out, "deleted lvnf %lld\n", json_integer_value(json_object_get(r, "lvnf")));
	else
		fprintf(out, "deleted image %s\n", str(r, "name"));
}

static void print_stats(const json_t *r, FILE *out)
{
	const char *k;
	json_t *v, *p;
	size_t i;

	fprintf(out, "lvnf %lld (%s)\n", json_integer_value(json_object_get(r, "lvnf")),
		str(r, "state"));
	json_object_foreach((json_t *)json_object_get(r, "handlers"), k, v)
		fprintf(out, "  %-20s %s\n", k,
			json_is_string(v) ? json_string_value(v) : str(v, "error"));
	json_array_foreach(json_object_get(r, "ports"), i, p)
		fprintf(out, "  port %lld %s: in %lld pkts %lld bytes, out %lld pkts %lld bytes\n",
			json_integer_value(json_object_get(p, "virtual_port")), str(p, "iface"),
			json_integer_value(json_object_get(p, "to_lvnf_packets")),
			json_integer_value(json_object_get(p, "to_lvnf_bytes")),
			json_integer_value(json_object_get(p, "from_lvnf_packets")),
			json_integer_value(json_object_get(p, "from_lvnf_bytes")));
}

static void print_value(const json_t *r, FILE *out)
{
	const char *v = str(r, "value");
	size_t n = strlen(v);

	/* Click's values may or may not end in a newline */
	fprintf(out, "%s%s", v, n && v[n - 1] == '\n' ? "" : "\n");
}

static void print_written(const json_t *r, FILE *out)
{
	fprintf(out, "wrote %s\n", str(r, "handler"));
}

/* lvnf stats: the reply; with --every MS, then one record per period */
static int run_stats(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		     char **argv)
{
	struct nfp_client_error cerr;
	struct nfp_client *c;
	json_t *args, *result;
	const char *cmd, *line;
	char err[256];
	bool stream;

	if (build_lvnf_stats(v, argc, argv, &cmd, &args, err, sizeof(err))) {
		fprintf(stderr, "nfpctl %s: %s\n", v->words, err);
		return 2;
	}
	stream = json_object_get(args, "every") &&
		 json_integer_value(json_object_get(args, "every")) != -1;
	if (nfpctl_connect(o, &c)) {
		json_decref(args);
		return 1;
	}
	if (nfp_client_call(c, cmd, args, &result, &cerr)) {
		fprintf(stderr, "nfpctl %s: %s (%s)\n", v->words, cerr.message, cerr.name);
		nfp_client_close(c);
		return 1;
	}
	nfpctl_print_result(v, o, result);
	fflush(stdout);
	json_decref(result);
	while (stream && nfp_client_read_line(c, &line, -1) > 0) {
		json_t *rec = json_loads(line, 0, NULL);

		if (rec && !strcmp(str(rec, "event"), "lvnf_stats"))
			nfpctl_print_result(v, o, rec);
		else
			printf("%s\n", line);
		fflush(stdout);
		json_decref(rec);
	}
	nfp_client_close(c);
	return 0;
}

const struct nfpctl_verb nfpctl_lvnf_verbs[] = {
	{ "cpp list", "", "the CPPs LVNFs run on", build_cpp_list, print_cpps, NULL },
	{ "image add", "NAME [FILE] [--script CLICK] [--ports N] [--handler ALIAS=EL.H]... "
		       "[--state ALIAS]...",
	  "add an LVNF image (a Click script using in_N/out_N)", build_image_add, print_image,
	  NULL },
	{ "image list", "", "the images", build_image_list, print_images, NULL },
	{ "image show", "NAME", "one image and its script", build_image_show, print_image, NULL },
	{ "image delete", "NAME", "remove an image no LVNF uses", build_image_delete,
	  print_deleted, NULL },
	{ "lvnf spawn", "IMAGE [--cpp CPP] [--runtime ebpf|click|auto]",
	  "spawn an LVNF; prints its id and ports", build_lvnf_spawn, print_lvnf, NULL },
	{ "lvnf stop", "LVNF", "stop an LVNF (its record stays)", build_lvnf_stop, print_lvnf,
	  NULL },
	{ "lvnf delete", "LVNF", "stop and forget an LVNF", build_lvnf_delete, print_deleted,
	  NULL },
	{ "lvnf list", "", "the LVNFs and their ports", build_lvnf_list, print_lvnfs, NULL },
	{ "lvnf show", "LVNF", "one LVNF", build_lvnf_show, print_lvnf, NULL },
	{ "lvnf stats", "LVNF [--every MS]", "handler values and port counters (every MS: a stream)",
	  build_lvnf_stats, print_stats, run_stats },
	{ "lvnf handler read", "LVNF ELEMENT.HANDLER", "read a Click handler", build_handler_read,
	  print_value, NULL },
	{ "lvnf handler write", "LVNF ELEMENT.HANDLER [VALUE]", "write a Click handler",
	  build_handler_write, print_written, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
