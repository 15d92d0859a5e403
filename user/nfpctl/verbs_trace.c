/* verbs_trace.c - nfpctl's trace verbs:
 *   trace start --mac MAC [--direction in|out|both] [--period S] [filters]  (prints the id)
 *   trace extend ID --period S
 *   trace stream ID [-w FILE|-] [--json]
 *   trace stop ID
 *   trace list
 *   trace --mac MAC [--period S] [filters] [-w FILE|-] [--json]        (one-shot)
 * Filters: --ip ADDR[/LEN] --proto P --port N --iface IFACE --snaplen N.
 */
#include "nfpctl/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_FILTERS = 1, OPT_PERIOD = 2, OPT_OUTPUT = 4 };

/* --proto: a number goes as a number, a name as a name */
static int set_proto(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	char *end;
	long n = strtol(v, &end, 10);

	(void)o, (void)err, (void)len;
	json_object_set_new(((struct nfpctl_parsed *)p)->args, "proto",
			    *v && !*end && n >= 0 && n <= 255 ? json_integer(n) : json_string(v));
	return 0;
}

static int set_write(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)o, (void)err, (void)len;
	((struct nfpctl_parsed *)p)->write = v;
	return 0;
}

static int set_json(void *p, const struct nfp_opt *o, const char *v, char *err, size_t len)
{
	(void)o, (void)v, (void)err, (void)len;
	((struct nfpctl_parsed *)p)->json = true;
	return 0;
}

static const char *const directions[] = { "in", "out", "both", NULL };
static const struct nfp_opt filter_opts[] = {
	NFPCTL_OPT_STRING("mac", "mac", "MAC"),
	NFPCTL_OPT_CHOICE("direction", "direction", directions),
	NFPCTL_OPT_STRING("ip", "ip", "ADDR[/LEN]"),
	{ .name = "proto", .kind = NFP_OPT_CALL, .arg = "PROTO", .call = set_proto },
	NFPCTL_OPT_INT("port", "port", 1, 65535),
	NFPCTL_OPT_STRING("iface", "iface", "IFACE"),
	NFPCTL_OPT_INT("snaplen", "snaplen", 1, 65535),
	{ 0 },
};
static const struct nfp_opt period_opts[] = {
	NFPCTL_OPT_INT("period", "period", -1, 31536000),
	{ 0 },
};
static const struct nfp_opt output_opts[] = {
	{ .name = "write", .short_name = 'w', .kind = NFP_OPT_CALL, .arg = "FILE",
	  .call = set_write },
	{ .name = "json", .kind = NFP_OPT_CALL, .call = set_json },
	{ 0 },
};

/* Parse the options @allow permits into @p; the rest of argv from optind
 * are positional. */
static int parse_opts(int argc, char **argv, int allow, struct nfpctl_parsed *p, char *err,
		      size_t err_len)
{
	struct nfp_opt_set sets[4];
	int n = 0;

	if (allow & OPT_FILTERS)
		sets[n++] = (struct nfp_opt_set){ filter_opts, p };
	if (allow & OPT_PERIOD)
		sets[n++] = (struct nfp_opt_set){ period_opts, p };
	if (allow & OPT_OUTPUT)
		sets[n++] = (struct nfp_opt_set){ output_opts, p };
	sets[n] = (struct nfp_opt_set){ 0 };
	return nfpctl_parse_opts(sets, argc, argv, err, err_len);
}

static int want_positional(int argc, char **argv, int n, char *err, size_t err_len)
{
	if (argc - optind < n) {
		snprintf(err, err_len, "missing argument");
		return -1;
	}
	if (argc - optind > n) {
		snprintf(err, err_len, "unexpected argument '%s'", argv[optind + n]);
		return -1;
	}
	return 0;
}

static int build_start(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		       json_t **args, char *err, size_t err_len)
{
	(void)v;
	struct nfpctl_parsed p = { .args = json_object() };

	*args = p.args;
	if (parse_opts(argc, argv, OPT_FILTERS | OPT_PERIOD, &p, err, err_len) ||
	    want_positional(argc, argv, 0, err, err_len)) {
		json_decref(*args);
		return -1;
	}
	*cmd = "trace_start";
	return 0;
}

static int build_extend(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
			json_t **args, char *err, size_t err_len)
{
	(void)v;
	struct nfpctl_parsed p = { .args = json_object() };

	*args = p.args;
	if (parse_opts(argc, argv, OPT_PERIOD, &p, err, err_len) ||
	    want_positional(argc, argv, 1, err, err_len)) {
		json_decref(*args);
		return -1;
	}
	if (!json_object_get(*args, "period")) {
		json_decref(*args);
		snprintf(err, err_len, "--period is required");
		return -1;
	}
	json_object_set_new(*args, "id", json_string(argv[optind]));
	*cmd = "trace_start";
	return 0;
}

static int build_id_only(const char *command, int argc, char **argv, const char **cmd,
			 json_t **args, char *err, size_t err_len, int n)
{
	struct nfpctl_parsed p = { .args = json_object() };

	*args = p.args;
	if (parse_opts(argc, argv, 0, &p, err, err_len) ||
	    want_positional(argc, argv, n, err, err_len)) {
		json_decref(*args);
		return -1;
	}
	if (n)
		json_object_set_new(*args, "id", json_string(argv[optind]));
	*cmd = command;
	return 0;
}

static int build_stop(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_id_only("trace_stop", argc, argv, cmd, args, err, err_len, 1);
}

static int build_list(const struct nfpctl_verb *v, int argc, char **argv, const char **cmd,
		      json_t **args, char *err, size_t err_len)
{
	(void)v;
	return build_id_only("trace_list", argc, argv, cmd, args, err, err_len, 0);
}

static void print_start(const json_t *r, FILE *out)
{
	const json_t *ended = json_object_get(r, "ended");

	if (json_is_true(ended))
		fprintf(out, "ended %s\n", json_string_value(json_object_get(r, "id")));
	else
		fprintf(out, "%s\n", json_string_value(json_object_get(r, "id")));
}

static void print_stop(const json_t *r, FILE *out)
{
	fprintf(out, "stopped %s\n", json_string_value(json_object_get(r, "id")));
}

static void print_list(const json_t *r, FILE *out)
{
	static const int w[] = { 32, 9, 10, 12, 7, 0 };
	static const char *const head[] = { "ID", "REMAIN-S", "PACKETS", "READERS/LOST", "DIR",
					    "FILTER" };
	const json_t *sessions = json_object_get(r, "sessions");
	const json_t *taps = json_object_get(r, "taps");
	size_t i;
	json_t *s;

	if (!json_array_size(sessions))
		fprintf(out, "no trace session\n");
	else
		nfpctl_table_row(out, w, 6, head);
	json_array_foreach(sessions, i, s) {
		const json_t *f = json_object_get(s, "filter"), *readers = json_object_get(s, "readers");
		char c[3][32], filt[200] = "";
		const char *cells[6];
		long long lost = 0;
		size_t k;
		json_t *rd, *val;
		const char *key;

		json_array_foreach(readers, k, rd)
			lost += json_integer_value(json_object_get(rd, "lost"));
		json_object_foreach((json_t *)f, key, val) {
			char one[80];

			if (!strcmp(key, "direction") || !strcmp(key, "ifindex"))
				continue;
			if (json_is_string(val))
				snprintf(one, sizeof(one), "%s=%s ", key, json_string_value(val));
			else
				snprintf(one, sizeof(one), "%s=%lld ", key, json_integer_value(val));
			strncat(filt, one, sizeof(filt) - strlen(filt) - 1);
		}
		snprintf(c[0], sizeof(c[0]), "%lld", json_integer_value(json_object_get(s, "remaining_s")));
		snprintf(c[1], sizeof(c[1]), "%lld", json_integer_value(json_object_get(s, "packets")));
		snprintf(c[2], sizeof(c[2]), "%zu/%lld", json_array_size(readers), lost);
		cells[0] = json_string_value(json_object_get(s, "id"));
		cells[1] = c[0];
		cells[2] = c[1];
		cells[3] = c[2];
		cells[4] = json_string_value(json_object_get(f, "direction"));
		cells[5] = filt;
		nfpctl_table_row(out, w, 6, cells);
	}
	fprintf(out, "\ntaps: %lld records, %lld lost to a full ring\n",
		json_integer_value(json_object_get(taps, "records")),
		json_integer_value(json_object_get(taps, "ring_full")));
}

/* ---- streams ---- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Call trace_stream with @args, then copy the stream to @path until nfpd
 * ends it (the session ended) or the output goes away (tcpdump exited). */
static int stream(const struct nfpctl_opts *o, json_t *args, const char *path, bool json_fmt)
{
	struct nfp_client_error cerr;
	struct nfp_client *client;
	json_t *result = NULL;
	/* big reads: at a million records a second, syscalls are the cost */
	static char buf[1 << 20];
	int out = STDOUT_FILENO, r, status = 0;
	size_t n;

	if (json_fmt)
		json_object_set_new(args, "format", json_string("json"));
	if (!path && !json_fmt && isatty(STDOUT_FILENO)) {
		json_decref(args);
		fprintf(stderr, "nfpctl trace: not writing pcapng to a terminal; use -w FILE, "
				"-w - | tcpdump -r -, or --json\n");
		return 2;
	}
	if (path && strcmp(path, "-") != 0) {
		out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
		if (out < 0) {
			json_decref(args);
			fprintf(stderr, "nfpctl trace: cannot write %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	if (nfpctl_connect(o, &client)) {
		json_decref(args);
		status = 1;
		goto out;
	}
	/* nfpd writes the stream into our output itself; whatever still comes
	 * over the socket (an nfpd that cannot) is copied below */
	r = nfp_client_call_fd(client, "trace_stream", args, out, &result, &cerr);
	if (r) {
		fprintf(stderr, "nfpctl trace: %s (%s)\n", cerr.message, cerr.name);
		nfp_client_close(client);
		status = 1;
		goto out;
	}
	if (!o->json)
		fprintf(stderr, "nfpctl trace: streaming session %s\n",
			json_string_value(json_object_get(result, "id")));
	json_decref(result);
	signal(SIGPIPE, SIG_IGN);
	while ((n = nfp_client_take_buffered(client, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, n))
			goto done;
	for (;;) {
		ssize_t got = read(nfp_client_fd(client), buf, sizeof(buf));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (write_all(out, buf, (size_t)got))
			break; /* the reader went away: that ends the stream */
	}
done:
	nfp_client_close(client);
out:
	if (out != STDOUT_FILENO)
		close(out);
	return status;
}

static int run_stream(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		      char **argv)
{
	struct nfpctl_parsed p = { .args = json_object() };
	json_t *args = p.args;
	char err[256];

	if (parse_opts(argc, argv, OPT_OUTPUT, &p, err, sizeof(err)) ||
	    want_positional(argc, argv, 1, err, sizeof(err))) {
		json_decref(args);
		fprintf(stderr, "nfpctl %s: %s\n", v->words, err);
		nfpctl_verb_usage(v, stderr);
		return 2;
	}
	json_object_set_new(args, "id", json_string(argv[optind]));
	return stream(o, args, p.write, p.json);
}

static int run_oneshot(const struct nfpctl_verb *v, const struct nfpctl_opts *o, int argc,
		       char **argv)
{
	struct nfpctl_parsed p = { .args = json_object() };
	json_t *args = p.args;
	char err[256];

	if (parse_opts(argc, argv, OPT_FILTERS | OPT_PERIOD | OPT_OUTPUT, &p, err, sizeof(err)) ||
	    want_positional(argc, argv, 0, err, sizeof(err))) {
		json_decref(args);
		fprintf(stderr, "nfpctl %s: %s\n", v->words, err);
		nfpctl_verb_usage(v, stderr);
		return 2;
	}
	return stream(o, args, p.write, p.json);
}

#define FILTERS "[--ip ADDR[/LEN]] [--proto P] [--port N] [--iface IFACE] [--snaplen N]"

const struct nfpctl_verb nfpctl_trace_verbs[] = {
	{ "trace start", "--mac MAC [--direction in|out|both] [--period S] " FILTERS,
	  "start a trace session; prints its id", build_start, print_start, NULL },
	{ "trace extend", "ID --period S", "add S seconds to a session (S <= 0 ends it)",
	  build_extend, print_start, NULL },
	{ "trace stream", "ID [-w FILE|-] [--json]",
	  "stream a session as pcapng (or JSON lines) until it ends", NULL, NULL, run_stream },
	{ "trace stop", "ID", "end a trace session", build_stop, print_stop, NULL },
	{ "trace list", "", "trace sessions, readers and tap counters", build_list, print_list,
	  NULL },
	{ "trace", "--mac MAC [--direction D] [--period S] " FILTERS " [-w FILE|-] [--json]",
	  "one-shot trace: start a session, stream it, end it", NULL, NULL, run_oneshot },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
