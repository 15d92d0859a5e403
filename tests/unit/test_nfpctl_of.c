/* test_nfpctl_of.c - nfpctl's OpenFlow verbs: the request each builds, and
 * the usage errors for missing or extra arguments and bad options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nfpctl/cli.h"

#include <string.h>

#include "../lib/argv.h"

static char err[256];

static int build(char **argv, const char **cmd, json_t **args)
{
	int consumed, argc = ARGC(argv);
	const struct nfpctl_verb *v = nfpctl_find_verb(argc, argv, &consumed);

	assert_non_null(v);
	err[0] = '\0';
	*args = NULL;
	return v->build(v, argc - consumed + 1, argv + consumed - 1, cmd, args, err, sizeof(err));
}

static void test_of_switches(void **state)
{
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(ARGV("of", "switches"), &cmd, &args), 0);
	assert_string_equal(cmd, "of_switches");
	assert_int_equal(json_object_size(args), 0);
	json_decref(args);
	assert_int_equal(build(ARGV("of", "switches", "extra"), &cmd, &args), -1);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
}

static void test_of_ports(void **state)
{
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(ARGV("of", "ports", "00:00:00:00:00:00:00:02"), &cmd, &args), 0);
	assert_string_equal(cmd, "of_ports");
	assert_string_equal(json_string_value(json_object_get(args, "dpid")),
			    "00:00:00:00:00:00:00:02");
	json_decref(args);
	assert_int_equal(build(ARGV("of", "ports"), &cmd, &args), -1);
	assert_non_null(strstr(err, "missing DPID"));
	assert_int_equal(build(ARGV("of", "ports", "1", "2"), &cmd, &args), -1);
	assert_non_null(strstr(err, "unexpected argument '2'"));
}

static void test_of_flows(void **state)
{
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(ARGV("of", "flows", "1"), &cmd, &args), 0);
	assert_string_equal(cmd, "of_flows");
	assert_null(json_object_get(args, "table"));
	json_decref(args);
	assert_int_equal(build(ARGV("of", "flows", "--table", "3", "1"), &cmd, &args), 0);
	assert_int_equal(json_integer_value(json_object_get(args, "table")), 3);
	json_decref(args);
	assert_int_equal(build(ARGV("of", "flows", "1", "--table", "x"), &cmd, &args), -1);
	assert_non_null(strstr(err, "--table is 'x'"));
	assert_int_equal(build(ARGV("of", "flows", "--table", "255", "1"), &cmd, &args), -1);
	assert_int_equal(build(ARGV("of", "flows", "--frob", "1"), &cmd, &args), -1);
	assert_non_null(strstr(err, "unknown option '--frob'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_of_switches),
		cmocka_unit_test(test_of_ports),
		cmocka_unit_test(test_of_flows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
