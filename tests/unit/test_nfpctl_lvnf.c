/* test_nfpctl_lvnf.c - nfpctl's LVNF verbs: the request each builds
 * (handlers and state handlers gathered from repeated options, the script
 * from a file or --script, LVNF ids as numbers) and the usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "nfpctl/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void test_image_add_gathers_handlers(void **state)
{
	const char *cmd;
	json_t *args, *h;

	(void)state;
	assert_int_equal(build(ARGV("image", "add", "fw", "--script", "in_0 -> c :: Counter -> out_0",
				    "--ports", "1", "--handler", "count=c.count", "--handler",
				    "bytes=c.byte_count", "--state", "count"),
			       &cmd, &args), 0);
	assert_string_equal(cmd, "image_add");
	assert_string_equal(json_string_value(json_object_get(args, "name")), "fw");
	assert_string_equal(json_string_value(json_object_get(args, "vnf")),
			    "in_0 -> c :: Counter -> out_0");
	assert_int_equal(json_integer_value(json_object_get(args, "nb_ports")), 1);
	h = json_object_get(args, "handlers");
	assert_int_equal(json_array_size(h), 2);
	assert_string_equal(json_string_value(json_array_get(json_array_get(h, 1), 0)), "bytes");
	assert_string_equal(json_string_value(json_array_get(json_array_get(h, 1), 1)),
			    "c.byte_count");
	assert_string_equal(json_string_value(json_array_get(json_object_get(args, "state_handlers"), 0)),
			    "count");
	json_decref(args);
}

static void test_image_add_reads_the_file(void **state)
{
	char path[] = "/tmp/nfpctl-lvnf-XXXXXX";
	int fd = mkstemp(path);
	const char *cmd;
	json_t *args;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "in_0 -> out_0;\n", 15), 15);
	close(fd);
	assert_int_equal(build(ARGV("image", "add", "nul", path), &cmd, &args), 0);
	assert_string_equal(json_string_value(json_object_get(args, "vnf")), "in_0 -> out_0;\n");
	json_decref(args);
	assert_int_equal(build(ARGV("image", "add", "nul", path, "--script", "x"), &cmd, &args), -1);
	assert_non_null(strstr(err, "not both"));
	unlink(path);
	assert_int_equal(build(ARGV("image", "add", "nul", path), &cmd, &args), -1);
	assert_non_null(strstr(err, "No such file"));
}

static void test_image_add_refusals(void **state)
{
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(ARGV("image", "add", "nul"), &cmd, &args), -1);
	assert_non_null(strstr(err, "script is missing"));
	assert_int_equal(build(ARGV("image", "add"), &cmd, &args), -1);
	assert_non_null(strstr(err, "NAME"));
	assert_int_equal(build(ARGV("image", "add", "n", "--script", "x", "--handler", "count"),
			       &cmd, &args), -1);
	assert_non_null(strstr(err, "ALIAS=ELEMENT.HANDLER"));
	assert_int_equal(build(ARGV("image", "add", "n", "--script", "x", "--ports", "65"), &cmd,
			       &args), -1);
	assert_non_null(strstr(err, "--ports"));
}

static void test_lvnf_verbs_take_numeric_ids(void **state)
{
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(ARGV("lvnf", "stop", "3"), &cmd, &args), 0);
	assert_string_equal(cmd, "lvnf_stop");
	assert_int_equal(json_integer_value(json_object_get(args, "lvnf")), 3);
	json_decref(args);
	assert_int_equal(build(ARGV("lvnf", "show", "x3"), &cmd, &args), -1);
	assert_non_null(strstr(err, "'x3' is not an LVNF id"));
	assert_int_equal(build(ARGV("lvnf", "stats", "2", "--every", "500"), &cmd, &args), 0);
	assert_string_equal(cmd, "lvnf_stats");
	assert_int_equal(json_integer_value(json_object_get(args, "every")), 500);
	json_decref(args);
	assert_int_equal(build(ARGV("lvnf", "handler", "write", "1", "c.reset"), &cmd, &args), 0);
	assert_string_equal(cmd, "lvnf_handler_write");
	assert_null(json_object_get(args, "value"));
	json_decref(args);
	assert_int_equal(build(ARGV("lvnf", "handler", "read", "1", "c.count", "x"), &cmd, &args),
			 -1);
	assert_non_null(strstr(err, "unexpected argument 'x'"));
}

static void test_lvnf_spawn(void **state)
{
	const char *cmd;
	json_t *args;

	(void)state;
	assert_int_equal(build(ARGV("lvnf", "spawn", "fw", "--runtime", "click"), &cmd, &args), 0);
	assert_string_equal(cmd, "lvnf_spawn");
	assert_string_equal(json_string_value(json_object_get(args, "image")), "fw");
	assert_string_equal(json_string_value(json_object_get(args, "runtime")), "click");
	json_decref(args);
	assert_int_equal(build(ARGV("lvnf", "spawn", "fw", "--runtime", "vpp"), &cmd, &args), -1);
	assert_non_null(strstr(err, "vpp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_add_gathers_handlers),
		cmocka_unit_test(test_image_add_reads_the_file),
		cmocka_unit_test(test_image_add_refusals),
		cmocka_unit_test(test_lvnf_verbs_take_numeric_ids),
		cmocka_unit_test(test_lvnf_spawn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
