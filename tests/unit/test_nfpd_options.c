/* test_nfpd_options.c - nfpd's command line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nfpd/options.h"
#include "openflow/of_subsys.h"
#include "trace/commands.h"
#include "nfplane/common.h"
#include "nfplane/iface.h"

#include <string.h>

#include "../lib/argv.h"


static char err[256];
static struct nfpd_options o;
/* the subsystems' options, where their descriptors keep them */
#define TRACE ((const struct nfp_trace_options *)nfp_trace_subsystem.opts)
#define OF ((const struct of_options *)of_subsystem.opts)

static void test_defaults(void **state)
{
	char *argv[] = { "nfpd", NULL };

	(void)state;
	assert_int_equal(nfpd_parse_options(1, argv, &o, err, sizeof(err)), 0);
	assert_string_equal(o.socket_path, NFP_SOCK_PATH_DEFAULT);
	assert_string_equal(o.pin_dir, NFP_PIN_DIR_DEFAULT);
	assert_int_equal(o.mode, NFP_XDP_MODE_NATIVE);
	assert_int_equal(o.n_ifaces, 0);
	assert_false(o.teardown);
}

static void test_repeatable_iface_and_paths(void **state)
{
	char **argv = ARGV("nfpd", "--iface", "a0", "-i", "b0", "--mode", "skb", "-s", "/tmp/s.sock",
			   "--pin-dir", "/sys/fs/bpf/x", "--teardown");

	(void)state;
	assert_int_equal(nfpd_parse_options(ARGC(argv), argv, &o, err, sizeof(err)), 0);
	assert_int_equal(o.n_ifaces, 2);
	assert_string_equal(o.ifaces[1], "b0");
	assert_int_equal(o.mode, NFP_XDP_MODE_SKB);
	assert_string_equal(o.socket_path, "/tmp/s.sock");
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/x");
	assert_true(o.teardown);
}

static void test_errors(void **state)
{
	char **bad_mode = ARGV("nfpd", "--mode", "turbo");
	char **rel_sock = ARGV("nfpd", "--socket", "rel.sock");
	char **long_if = ARGV("nfpd", "--iface", "abcdefghijklmnopq");
	char **extra = ARGV("nfpd", "stray");
	char **unknown = ARGV("nfpd", "--frob");
	char **novalue = ARGV("nfpd", "--iface");

	(void)state;
	assert_int_equal(nfpd_parse_options(ARGC(bad_mode), bad_mode, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--mode is 'turbo'"));
	assert_int_equal(nfpd_parse_options(ARGC(rel_sock), rel_sock, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "absolute path"));
	assert_int_equal(nfpd_parse_options(ARGC(long_if), long_if, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a valid interface name"));
	assert_int_equal(nfpd_parse_options(ARGC(extra), extra, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unexpected argument 'stray'"));
	assert_int_equal(nfpd_parse_options(ARGC(unknown), unknown, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown option '--frob'"));
	assert_int_equal(nfpd_parse_options(ARGC(novalue), novalue, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs a value"));
}

static void test_trace_options(void **state)
{
	char **ok = ARGV("nfpd", "--trace-max-sessions", "8", "--trace-max-period", "600",
			 "--trace-reader-queue", "256", "--trace-rest", "8080",
			 "--trace-thrift", "127.0.0.1:9090");
	char **too_many = ARGV("nfpd", "--trace-max-sessions", "65");
	char **zero = ARGV("nfpd", "--trace-max-period", "0");
	char **junk = ARGV("nfpd", "--trace-reader-queue", "12x");

	(void)state;
	assert_int_equal(nfpd_parse_options(ARGC(ok), ok, &o, err, sizeof(err)), 0);
	assert_int_equal(TRACE->max_sessions, 8);
	assert_int_equal(TRACE->max_period, 600);
	assert_int_equal(TRACE->reader_queue_kb, 256);
	assert_string_equal(TRACE->rest, "8080");
	assert_string_equal(TRACE->thrift, "127.0.0.1:9090");
	assert_int_equal(nfpd_parse_options(ARGC(too_many), too_many, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--trace-max-sessions is '65'"));
	assert_int_equal(nfpd_parse_options(ARGC(zero), zero, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--trace-max-period is '0'"));
	assert_int_equal(nfpd_parse_options(ARGC(junk), junk, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--trace-reader-queue is '12x'"));
	/* off unless asked for */
	char *none[] = { "nfpd", NULL };
	assert_int_equal(nfpd_parse_options(1, none, &o, err, sizeof(err)), 0);
	assert_null(TRACE->rest);
	assert_null(TRACE->thrift);
}

static void test_openflow_options(void **state)
{
	char *defaults[] = { "nfpd", NULL };
	char **two = ARGV("nfpd", "--of-listen", "0.0.0.0:6653", "--of-listen", "[::1]:6633",
			  "--of-module", "hub");
	char **none = ARGV("nfpd", "--of-listen", "none");

	(void)state;
	assert_int_equal(nfpd_parse_options(1, defaults, &o, err, sizeof(err)), 0);
	assert_int_equal(OF->n_listen, 0); /* the subsystem then binds 127.0.0.1 */
	assert_false(OF->listen_none);
	assert_string_equal(OF->module, "learning-switch");
	assert_int_equal(nfpd_parse_options(ARGC(two), two, &o, err, sizeof(err)), 0);
	assert_int_equal(OF->n_listen, 2);
	assert_string_equal(OF->listen[0], "0.0.0.0:6653");
	assert_string_equal(OF->listen[1], "[::1]:6633");
	assert_string_equal(OF->module, "hub");
	assert_int_equal(nfpd_parse_options(ARGC(none), none, &o, err, sizeof(err)), 0);
	assert_true(OF->listen_none);
	assert_int_equal(OF->n_listen, 0);
}

static void test_openflow_option_errors(void **state)
{
	static const char *const bad[] = { "6653", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536",
					   "localhost:6653", "::1:6653", "[::1]6653",
					   "1.2.3.4:66x", "" };
	char **mixed = ARGV("nfpd", "--of-listen", "none", "--of-listen", "127.0.0.1:1");
	char **empty_module = ARGV("nfpd", "--of-module", "");

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = { "nfpd", "--of-listen", (char *)bad[i], NULL };

		assert_int_equal(nfpd_parse_options(3, argv, &o, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "is not ADDR:PORT"));
	}
	assert_int_equal(nfpd_parse_options(ARGC(mixed), mixed, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot be combined"));
	assert_int_equal(nfpd_parse_options(ARGC(empty_module), empty_module, &o, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "--of-module"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_repeatable_iface_and_paths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_trace_options),
		cmocka_unit_test(test_openflow_options),
		cmocka_unit_test(test_openflow_option_errors),
	};
	return cmocka_run_group_tests_name("nfpd_options", tests, NULL, NULL);
}
