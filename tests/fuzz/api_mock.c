/* api_mock.c - see api_mock.h. */
#include "api_mock.h"
#include "api/args.h"
#include "fuzz_check.h"

#include <errno.h>
#include <string.h>

static int cmd_set(struct nfp_api_req *req, json_t *args, json_t **result,
		   struct nfp_api_error *err)
{
	static const char *const allowed[] = { "name", "value", "mode", NULL };
	static const char *const modes[] = { "fast", "slow", NULL };
	const char *name;
	int64_t value;
	int mode = 0, r;

	(void)req;
	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_string(args, "name", true, 8, &name, err)) < 0 ||
	    (r = nfp_args_int(args, "value", true, 0, 65535, &value, err)) < 0 ||
	    (r = nfp_args_enum(args, "mode", false, modes, &mode, err)) < 0)
		return r;
	FUZZ_CHECK(strlen(name) >= 1 && strlen(name) <= 8, "name '%s' passed validation", name);
	FUZZ_CHECK(value >= 0 && value <= 65535, "value %lld passed validation", (long long)value);
	*result = json_pack("{s:s, s:I, s:i}", "name", name, "value", (json_int_t)value, "mode",
			    mode);
	return 0;
}

static int cmd_check(struct nfp_api_req *req, json_t *args, json_t **result,
		     struct nfp_api_error *err)
{
	static const char *const allowed[] = { "s", "i", "n", "b", "e", NULL };
	/* long enough that the "expected one of" list overflows its buffer */
	static const char *const choices[] = {
		"é", "alpha-alpha-alpha-alpha-alpha", "bravo-bravo-bravo-bravo-bravo",
		"charlie-charlie-charlie-charlie", "delta-delta-delta-delta-delta",
		"echo-echo-echo-echo-echo-echo", "foxtrot-foxtrot-foxtrot-foxtrot",
		"golf-golf-golf-golf-golf-golf", "hotel-hotel-hotel-hotel-hotel",
		"india-india-india-india-india", "juliett-juliett-juliett-juliett", NULL,
	};
	const char *s = NULL;
	int64_t i = 0, n = 0;
	bool b = false;
	int e = -1, r;

	(void)req;
	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_string(args, "s", false, 64, &s, err)) < 0 ||
	    (r = nfp_args_int(args, "i", false, INT64_MIN, INT64_MAX, &i, err)) < 0 ||
	    (r = nfp_args_int(args, "n", false, -5, 5, &n, err)) < 0 ||
	    (r = nfp_args_bool(args, "b", false, &b, err)) < 0 ||
	    (r = nfp_args_enum(args, "e", false, choices, &e, err)) < 0)
		return r;
	FUZZ_CHECK(!s || (strlen(s) >= 1 && strlen(s) <= 64), "s passed validation");
	FUZZ_CHECK(n >= -5 && n <= 5, "n %lld passed validation", (long long)n);
	FUZZ_CHECK(e >= -1 && e < (int)(sizeof(choices) / sizeof(choices[0])) - 1, "e %d", e);
	*result = json_pack("{s:s?, s:I, s:I, s:b, s:i}", "s", s, "i", (json_int_t)i, "n",
			    (json_int_t)n, "b", b, "e", e);
	return 0;
}

static int cmd_reject(struct nfp_api_req *req, json_t *args, json_t **result,
		      struct nfp_api_error *err)
{
	const char *what;
	int r;

	(void)req;
	(void)result;
	if ((r = nfp_args_string(args, "what", true, 4096, &what, err)) < 0)
		return r;
	return nfp_api_fail(err, ENOENT, "no such thing as '%s'", what);
}

static int cmd_boom(struct nfp_api_req *req, json_t *args, json_t **result,
		    struct nfp_api_error *err)
{
	(void)req;
	(void)args;
	(void)result;
	(void)err;
	return -EIO;
}

const struct nfp_api_command fuzz_api_commands[] = {
	{ "set", "store a value", cmd_set },
	{ "check", "every argument getter", cmd_check },
	{ "reject", "fail naming the argument", cmd_reject },
	{ "boom", "fail without a message", cmd_boom },
	{ NULL, NULL, NULL },
};

void fuzz_api_check_reply(json_t *reply)
{
	json_t *ok, *e;

	FUZZ_CHECK(json_is_object(reply), "reply is not an object");
	ok = json_object_get(reply, "ok");
	FUZZ_CHECK(json_is_boolean(ok), "reply without a boolean 'ok'");
	if (json_is_true(ok)) {
		FUZZ_CHECK(json_object_get(reply, "result") != NULL, "ok reply without a result");
		return;
	}
	e = json_object_get(reply, "error");
	FUZZ_CHECK(json_is_string(json_object_get(e, "code")), "error without a code");
	FUZZ_CHECK(json_is_string(json_object_get(e, "message")), "error without a message");
}
