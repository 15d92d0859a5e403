/* test_api_dispatch.c - the API's request handling: envelope checks, unknown
 * commands, argument validation, error replies that name what was wrong, and
 * that a failed request changes nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "api/api.h"
#include "api/args.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* A tiny command set standing in for a subsystem: "set" validates all of its
 * arguments before it stores anything, as every real handler must. */
static struct {
	char name[32];
	long long value;
	int calls;
} store;

static int cmd_set(struct nfp_api_req *req, json_t *args, json_t **result,
		   struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", "value", "mode", NULL };
	static const char *const modes[] = { "fast", "slow", NULL };
	const char *name;
	int64_t value;
	int mode = 0, r;

	(void)req;
	store.calls++;
	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_string(args, "name", true, 8, &name, err)) < 0 ||
	    (r = nfp_args_int(args, "value", true, 0, 65535, &value, err)) < 0 ||
	    (r = nfp_args_enum(args, "mode", false, modes, &mode, err)) < 0)
		return r;
	strcpy(store.name, name);
	store.value = value;
	*result = json_pack("{s:s, s:I, s:i}", "name", name, "value", (json_int_t)value, "mode",
			    mode);
	return 0;
}

static int cmd_boom(struct nfp_api_req *req, json_t *args, json_t **result,
		    struct nfp_api_error *err)
{
	(void)req; (void)args; (void)result; (void)err;
	return -EIO; /* fails without a message: the dispatcher must supply one */
}

static const struct nfp_api_command test_commands[] = {
	{ "set", "store a value", cmd_set },
	{ "boom", "always fails", cmd_boom },
	{ NULL, NULL, NULL },
};

static struct nfp_api_dispatcher *d;

static int setup(void **state)
{
	(void)state;
	memset(&store, 0, sizeof(store));
	d = nfp_api_dispatcher_new();
	return nfp_api_register(d, test_commands, NULL);
}

static int teardown(void **state)
{
	(void)state;
	nfp_api_dispatcher_free(d);
	return 0;
}

/* Send @line; return the reply (caller decrefs). */
static json_t *call(const char *line)
{
	json_t *reply = nfp_api_handle_line(d, NULL, line, strlen(line));

	assert_non_null(reply);
	return reply;
}

static void assert_error(json_t *reply, const char *code, const char *msg_part)
{
	json_t *e = json_object_get(reply, "error");

	assert_false(json_is_true(json_object_get(reply, "ok")));
	assert_string_equal(json_string_value(json_object_get(e, "code")), code);
	assert_non_null(strstr(json_string_value(json_object_get(e, "message")), msg_part));
}

static void test_good_request_echoes_id_and_result(void **state)
{
	json_t *r = call("{\"id\": 7, \"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 80}}");

	(void)state;
	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_integer_value(json_object_get(r, "id")), 7);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "result"), "value")), 80);
	assert_int_equal(store.value, 80);
	json_decref(r);
}

static void test_string_id_is_echoed(void **state)
{
	json_t *r = call("{\"id\": \"abc\", \"cmd\": \"commands\"}");

	(void)state;
	assert_string_equal(json_string_value(json_object_get(r, "id")), "abc");
	assert_true(json_array_size(json_object_get(r, "result")) >= 3);
	json_decref(r);
}

static void test_malformed_json(void **state)
{
	json_t *r = call("{\"id\": 1, \"cmd\": ");

	(void)state;
	assert_error(r, "EINVAL", "not valid JSON");
	assert_true(json_is_null(json_object_get(r, "id")));
	json_decref(r);
}

static void test_not_an_object(void **state)
{
	json_t *r = call("[1, 2, 3]");

	(void)state;
	assert_error(r, "EINVAL", "must be a JSON object");
	json_decref(r);
}

static void test_missing_cmd(void **state)
{
	json_t *r = call("{\"id\": 2}");

	(void)state;
	assert_error(r, "EINVAL", "missing 'cmd'");
	assert_int_equal(json_integer_value(json_object_get(r, "id")), 2);
	json_decref(r);
}

static void test_cmd_wrong_type(void **state)
{
	json_t *r = call("{\"id\": 3, \"cmd\": 42}");

	(void)state;
	assert_error(r, "EINVAL", "'cmd' must be a string");
	json_decref(r);
}

static void test_id_wrong_type(void **state)
{
	json_t *r = call("{\"id\": {\"x\": 1}, \"cmd\": \"set\"}");

	(void)state;
	assert_error(r, "EINVAL", "'id' must be");
	json_decref(r);
}

static void test_args_wrong_type(void **state)
{
	json_t *r = call("{\"id\": 4, \"cmd\": \"set\", \"args\": [1]}");

	(void)state;
	assert_error(r, "EINVAL", "'args' must be a JSON object");
	assert_int_equal(store.calls, 0);
	json_decref(r);
}

static void test_unknown_field(void **state)
{
	json_t *r = call("{\"id\": 4, \"cmd\": \"set\", \"argz\": {}}");

	(void)state;
	assert_error(r, "EINVAL", "unknown request field 'argz'");
	json_decref(r);
}

static void test_unknown_command(void **state)
{
	json_t *r = call("{\"id\": 5, \"cmd\": \"frobnicate\"}");

	(void)state;
	assert_error(r, "ENOSYS", "unknown command 'frobnicate'");
	json_decref(r);
}

static void test_missing_argument(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"value\": 1}}");

	(void)state;
	assert_error(r, "EINVAL", "missing argument 'name'");
	json_decref(r);
}

static void test_argument_wrong_type(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": \"80\"}}");

	(void)state;
	assert_error(r, "EINVAL", "'value' must be an integer");
	json_decref(r);
}

static void test_argument_out_of_range_changes_nothing(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 70000}}");

	(void)state;
	assert_error(r, "ERANGE", "outside 0..65535");
	assert_int_equal(store.value, 0);
	assert_string_equal(store.name, "");
	json_decref(r);
}

static void test_unknown_argument_rejected(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 1, \"vlaue\": 2}}");

	(void)state;
	assert_error(r, "EINVAL", "unknown argument 'vlaue'");
	assert_int_equal(store.value, 0);
	json_decref(r);
}

static void test_enum_lists_choices(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"a\", \"value\": 1, \"mode\": \"warp\"}}");

	(void)state;
	assert_error(r, "EINVAL", "expected one of: fast, slow");
	json_decref(r);
}

static void test_string_too_long_and_empty(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"abcdefghij\", \"value\": 1}}");

	(void)state;
	assert_error(r, "EINVAL", "longer than 8");
	json_decref(r);
	r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"\", \"value\": 1}}");
	assert_error(r, "EINVAL", "must not be empty");
	json_decref(r);
}

static void test_embedded_nul_rejected(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"args\": {\"name\": \"a\\u0000b\", \"value\": 1}}");

	(void)state;
	assert_error(r, "EINVAL", "NUL");
	json_decref(r);
}

static void test_duplicate_keys_rejected(void **state)
{
	json_t *r = call("{\"cmd\": \"set\", \"cmd\": \"boom\"}");

	(void)state;
	assert_error(r, "EINVAL", "not valid JSON");
	json_decref(r);
}

static void test_handler_failure_gets_message(void **state)
{
	json_t *r = call("{\"id\": 9, \"cmd\": \"boom\"}");

	(void)state;
	assert_error(r, "EIO", "boom failed");
	json_decref(r);
}

static void test_duplicate_registration_refused(void **state)
{
	(void)state;
	assert_int_equal(nfp_api_register(d, test_commands, NULL), -EEXIST);
}

static void test_null_args_same_as_none(void **state)
{
	json_t *r = call("{\"cmd\": \"commands\", \"args\": null}");

	(void)state;
	assert_true(json_is_true(json_object_get(r, "ok")));
	json_decref(r);
}

/* A request whose error message would quote bytes that are not UTF-8 (a
 * long name cut inside a character) still gets its error reply */
static void test_an_error_cut_inside_a_character_gets_a_reply(void **state)
{
	char line[1024] = "{\"id\": 9, \"cmd\": \"a";
	json_t *r;

	(void)state;
	/* 'unknown command '' + "a" + é...: the 512-byte message ends in half an é */
	for (int i = 0; i < 300; i++)
		strcat(line, "\xc3\xa9");
	strcat(line, "\"}");
	r = call(line);
	assert_false(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_integer_value(json_object_get(r, "id")), 9);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(r, "error"),
								 "message")), "unknown command"));
	json_decref(r);
}

/* WORD and WORD:VALUE arguments, straight through the validator */
static void test_word_arguments(void **state)
{
	static const char *const forms[] = { "pass", "redirect:IFACE", "mirror[:IFACE]", NULL };
	static const struct {
		const char *in;
		int r, index;
		const char *value; /* NULL: none */
	} cases[] = {
		{ "pass", 0, 0, NULL },
		{ "redirect:eth1", 0, 1, "eth1" },
		{ "mirror", 0, 2, NULL },
		{ "mirror:eth2", 0, 2, "eth2" },
		{ "redirect", -EINVAL, 0, NULL },    /* the value is required */
		{ "redirect:", -EINVAL, 0, NULL },   /* and not empty */
		{ "pass:eth1", -EINVAL, 0, NULL },   /* pass takes none */
		{ "passx", -EINVAL, 0, NULL },
		{ "mirror;eth1", -EINVAL, 0, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *args = json_pack("{s:s}", "next", cases[i].in);
		struct nfp_api_error e = { 0 };
		const char *value = "unset";
		int index = -1, r = nfp_args_word(args, "next", true, forms, &index, &value, &e);

		assert_int_equal(r, cases[i].r);
		if (r == 0) {
			assert_int_equal(index, cases[i].index);
			if (cases[i].value)
				assert_string_equal(value, cases[i].value);
			else
				assert_null(value);
		} else {
			char want[160];

			snprintf(want, sizeof(want), "argument 'next' is '%s'; expected pass, "
				 "redirect:IFACE or mirror[:IFACE]", cases[i].in);
			assert_string_equal(e.message, want);
		}
		json_decref(args);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_good_request_echoes_id_and_result),
		T(test_string_id_is_echoed),
		T(test_malformed_json),
		T(test_not_an_object),
		T(test_missing_cmd),
		T(test_cmd_wrong_type),
		T(test_id_wrong_type),
		T(test_args_wrong_type),
		T(test_unknown_field),
		T(test_unknown_command),
		T(test_missing_argument),
		T(test_argument_wrong_type),
		T(test_argument_out_of_range_changes_nothing),
		T(test_unknown_argument_rejected),
		T(test_enum_lists_choices),
		T(test_string_too_long_and_empty),
		T(test_embedded_nul_rejected),
		T(test_duplicate_keys_rejected),
		T(test_handler_failure_gets_message),
		T(test_duplicate_registration_refused),
		T(test_null_args_same_as_none),
		T(test_word_arguments),
		T(test_an_error_cut_inside_a_character_gets_a_reply),
	};
	return cmocka_run_group_tests_name("api_dispatch", tests, NULL, NULL);
}
