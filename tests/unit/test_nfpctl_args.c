/* test_nfpctl_args.c - nfpctl's argument parsing: global options, verb
 * lookup, and each dataplane verb's request or its usage error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nfpctl/cli.h"

#include <string.h>

#include "../lib/argv.h"


static char err[256];

/* Build the request of argv (the verb words first); returns build's result. */
static int build(char **argv, int argc, const char **cmd, json_t **args)
{
	int consumed;
	const struct nfpctl_verb *v = nfpctl_find_verb(argc, argv, &consumed);

	assert_non_null(v);
	err[0] = '\0';
	*args = NULL;
	return v->build(v, argc - consumed + 1, argv + consumed - 1, cmd, args, err, sizeof(err));
}

static void test_global_options(void **state)
{
	struct nfpctl_opts o;
	char **argv = ARGV("nfpctl", "-s", "/tmp/x.sock", "-j", "stats", "eth0");

	(void)state;
	assert_int_equal(nfpctl_parse_global(6, argv, &o, err, sizeof(err)), 4);
	assert_string_equal(o.socket_path, "/tmp/x.sock");
	assert_true(o.json);
	assert_false(o.pretty);
}

static void test_pretty_implies_json(void **state)
{
	struct nfpctl_opts o;

	(void)state;
	assert_int_equal(nfpctl_parse_global(3, ARGV("nfpctl", "-p", "status"), &o, err, sizeof(err)), 2);
	assert_true(o.json && o.pretty);
}

static void test_global_errors(void **state)
{
	struct nfpctl_opts o;

	(void)state;
	assert_int_equal(nfpctl_parse_global(1, ARGV("nfpctl"), &o, err, sizeof(err)), -1);
	assert_string_equal(err, "no verb given");
	assert_int_equal(nfpctl_parse_global(3, ARGV("nfpctl", "--bogus", "status"), &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown option '--bogus'"));
	assert_int_equal(nfpctl_parse_global(2, ARGV("nfpctl", "-s"), &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs a value"));
}

static void test_timeout_option(void **state)
{
	struct nfpctl_opts o;

	(void)state;
	assert_int_equal(nfpctl_parse_global(2, ARGV("nfpctl", "status"), &o, err, sizeof(err)), 1);
	assert_int_equal(o.timeout_ms, NFPCTL_TIMEOUT_S_DEFAULT * 1000);
	assert_int_equal(nfpctl_parse_global(4, ARGV("nfpctl", "-t", "3", "status"), &o, err,
					     sizeof(err)), 3);
	assert_int_equal(o.timeout_ms, 3000);
	assert_int_equal(nfpctl_parse_global(3, ARGV("nfpctl", "--timeout=0", "status"), &o, err,
					     sizeof(err)), 2);
	assert_int_equal(o.timeout_ms, -1);
	static const char *const bad[] = { "x", "-1", "2s", "", "86401" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(nfpctl_parse_global(4, ARGV("nfpctl", "-t", (char *)bad[i], "status"),
						     &o, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "is not a number of seconds"));
	}
}

static void test_unknown_verb(void **state)
{
	int consumed;

	(void)state;
	assert_null(nfpctl_find_verb(1, ARGV("frob"), &consumed));
}

static void test_attach_default_mode(void **state)
{
	char **argv = ARGV("attach", "veth0");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), 0);
	assert_string_equal(cmd, "attach");
	assert_string_equal(json_string_value(json_object_get(args, "iface")), "veth0");
	assert_null(json_object_get(args, "mode"));
	json_decref(args);
}

static void test_attach_skb_mode_either_order(void **state)
{
	char **a1 = ARGV("attach", "--mode", "skb", "veth0");
	char **a2 = ARGV("attach", "veth0", "--mode=skb");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(a1, ARGC(a1), &cmd, &args), 0);
	assert_string_equal(json_string_value(json_object_get(args, "mode")), "skb");
	json_decref(args);
	assert_int_equal(build(a2, ARGC(a2), &cmd, &args), 0);
	assert_string_equal(json_string_value(json_object_get(args, "mode")), "skb");
	json_decref(args);
}

static void test_attach_bad_mode(void **state)
{
	char **argv = ARGV("attach", "veth0", "--mode", "hw");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), -1);
	assert_non_null(strstr(err, "--mode is 'hw'"));
	assert_null(args);
}

static void test_attach_needs_iface(void **state)
{
	char **argv = ARGV("attach");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), -1);
	assert_string_equal(err, "missing argument");
}

static void test_attach_extra_argument(void **state)
{
	char **argv = ARGV("attach", "a", "b");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), -1);
	assert_non_null(strstr(err, "unexpected argument 'b'"));
}

static void test_attach_unknown_option(void **state)
{
	char **argv = ARGV("attach", "a", "--force");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), -1);
	assert_non_null(strstr(err, "unknown option '--force'"));
}

static void test_detach(void **state)
{
	char **argv = ARGV("detach", "veth1");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), 0);
	assert_string_equal(cmd, "detach");
	assert_string_equal(json_string_value(json_object_get(args, "iface")), "veth1");
	json_decref(args);
}

static void test_stats_optional_iface(void **state)
{
	char **a0 = ARGV("stats");
	char **a1 = ARGV("stats", "veth1");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(a0, ARGC(a0), &cmd, &args), 0);
	assert_int_equal(json_object_size(args), 0);
	json_decref(args);
	assert_int_equal(build(a1, ARGC(a1), &cmd, &args), 0);
	assert_string_equal(json_string_value(json_object_get(args, "iface")), "veth1");
	json_decref(args);
}

static void test_status_takes_nothing(void **state)
{
	char **argv = ARGV("status", "x");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), -1);
	assert_non_null(strstr(err, "unexpected argument 'x'"));
}

static void test_help_detected(void **state)
{
	(void)state;
	assert_true(nfpctl_wants_help(3, ARGV("attach", "x", "--help")));
	assert_true(nfpctl_wants_help(2, ARGV("attach", "-h")));
	assert_false(nfpctl_wants_help(4, ARGV("attach", "--", "-h", "x")));
}

static void test_trace_start_request(void **state)
{
	char **argv = ARGV("trace", "start", "--mac", "02:aa:bb:cc:dd:01", "--direction", "in",
			   "--period", "30", "--ip", "10.0.0.0/8", "--proto", "udp", "--port", "53",
			   "--iface", "eth0", "--snaplen", "96");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(argv, ARGC(argv), &cmd, &args), 0);
	assert_string_equal(cmd, "trace_start");
	assert_string_equal(json_string_value(json_object_get(args, "mac")), "02:aa:bb:cc:dd:01");
	assert_string_equal(json_string_value(json_object_get(args, "direction")), "in");
	assert_int_equal(json_integer_value(json_object_get(args, "period")), 30);
	assert_string_equal(json_string_value(json_object_get(args, "ip")), "10.0.0.0/8");
	assert_string_equal(json_string_value(json_object_get(args, "proto")), "udp");
	assert_int_equal(json_integer_value(json_object_get(args, "port")), 53);
	assert_string_equal(json_string_value(json_object_get(args, "iface")), "eth0");
	assert_int_equal(json_integer_value(json_object_get(args, "snaplen")), 96);
	json_decref(args);
}

static void test_trace_bad_arguments(void **state)
{
	char **dir = ARGV("trace", "start", "--mac", "02:aa:bb:cc:dd:01", "--direction", "up");
	char **port = ARGV("trace", "start", "--port", "70000");
	char **extra = ARGV("trace", "start", "--mac", "02:aa:bb:cc:dd:01", "stray");
	char **stop = ARGV("trace", "stop");
	char **extend = ARGV("trace", "extend", "abc");
	char **output = ARGV("trace", "start", "--mac", "02:aa:bb:cc:dd:01", "-w", "-");
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(dir, ARGC(dir), &cmd, &args), -1);
	assert_non_null(strstr(err, "--direction is 'up'"));
	assert_int_equal(build(port, ARGC(port), &cmd, &args), -1);
	assert_non_null(strstr(err, "--port is '70000'"));
	assert_int_equal(build(extra, ARGC(extra), &cmd, &args), -1);
	assert_non_null(strstr(err, "unexpected argument 'stray'"));
	assert_int_equal(build(stop, ARGC(stop), &cmd, &args), -1);
	assert_non_null(strstr(err, "missing argument"));
	assert_int_equal(build(extend, ARGC(extend), &cmd, &args), -1);
	assert_non_null(strstr(err, "--period is required"));
	/* -w belongs to the streaming verbs only */
	assert_int_equal(build(output, ARGC(output), &cmd, &args), -1);
	assert_non_null(strstr(err, "unknown option"));
}

static void test_trace_verbs_found(void **state)
{
	char **oneshot = ARGV("trace", "--mac", "02:aa:bb:cc:dd:01", "-w", "-");
	char **stream = ARGV("trace", "stream", "ID", "--json");
	int consumed;
	const struct nfpctl_verb *v;

	(void)state;
	v = nfpctl_find_verb(ARGC(oneshot), oneshot, &consumed);
	assert_non_null(v);
	assert_string_equal(v->words, "trace");
	assert_non_null(v->run);
	v = nfpctl_find_verb(ARGC(stream), stream, &consumed);
	assert_string_equal(v->words, "trace stream");
	assert_int_equal(consumed, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_options),
		cmocka_unit_test(test_pretty_implies_json),
		cmocka_unit_test(test_global_errors),
		cmocka_unit_test(test_unknown_verb),
		cmocka_unit_test(test_attach_default_mode),
		cmocka_unit_test(test_attach_skb_mode_either_order),
		cmocka_unit_test(test_attach_bad_mode),
		cmocka_unit_test(test_attach_needs_iface),
		cmocka_unit_test(test_attach_extra_argument),
		cmocka_unit_test(test_attach_unknown_option),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_stats_optional_iface),
		cmocka_unit_test(test_status_takes_nothing),
		cmocka_unit_test(test_timeout_option),
		cmocka_unit_test(test_help_detected),
		cmocka_unit_test(test_trace_start_request),
		cmocka_unit_test(test_trace_bad_arguments),
		cmocka_unit_test(test_trace_verbs_found),
	};
	return cmocka_run_group_tests_name("nfpctl_args", tests, NULL, NULL);
}
