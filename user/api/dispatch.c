/* dispatch.c - turns one request line into one reply: parse the JSON, check
 * the envelope (id, cmd, args), find the command and run its handler. Knows
 * nothing of sockets, so unit tests drive it directly.
 */
#include "api/api.h"
#include "common/errname.h"
#include "common/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 32

/* Each table with the context its handlers get (req->ctx). */
struct table {
	const struct nfp_api_command *commands;
	void *ctx;
};

struct nfp_api_dispatcher {
	struct table tables[MAX_TABLES];
	int n_tables;
};

int nfp_api_fail(struct nfp_api_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	/* messages quote what the client sent, which need not be UTF-8: a
	 * message jansson refuses would leave the request without a reply */
	nfp_text_sanitize(err->message);
	return -code;
}

static const struct nfp_api_command *find(const struct nfp_api_dispatcher *d, const char *name,
					  void **ctx)
{
	for (int t = 0; t < d->n_tables; t++)
		for (const struct nfp_api_command *c = d->tables[t].commands; c->name; c++)
			if (strcmp(c->name, name) == 0) {
				*ctx = d->tables[t].ctx;
				return c;
			}
	return NULL;
}

/* The built-in "commands" command: what this daemon understands. */
static int cmd_commands(struct nfp_api_req *req, json_t *args, json_t **result,
			struct nfp_api_error *err);

static const struct nfp_api_command builtin_commands[] = {
	{ "commands", "list the commands this nfpd understands", cmd_commands },
	{ NULL, NULL, NULL },
};

struct nfp_api_dispatcher *nfp_api_dispatcher_new(void)
{
	struct nfp_api_dispatcher *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->tables[d->n_tables++] = (struct table){ builtin_commands, d };
	return d;
}

void nfp_api_dispatcher_free(struct nfp_api_dispatcher *d)
{
	free(d);
}

int nfp_api_register(struct nfp_api_dispatcher *d, const struct nfp_api_command *table,
		     void *ctx)
{
	void *other;

	if (d->n_tables >= MAX_TABLES)
		return -ENOSPC;
	for (const struct nfp_api_command *c = table; c->name; c++)
		if (find(d, c->name, &other))
			return -EEXIST;
	d->tables[d->n_tables++] = (struct table){ table, ctx };
	return 0;
}

static int cmd_commands(struct nfp_api_req *req, json_t *args, json_t **result,
			struct nfp_api_error *err)
{
	struct nfp_api_dispatcher *d = req->ctx;
	json_t *list = json_array();

	(void)args;
	(void)err;
	for (int t = 0; t < d->n_tables; t++)
		for (const struct nfp_api_command *c = d->tables[t].commands; c->name; c++)
			json_array_append_new(list, json_pack("{s:s, s:s}", "name", c->name,
							      "summary", c->summary));
	*result = list;
	return 0;
}

json_t *nfp_api_reply_ok(json_t *id, json_t *result)
{
	return json_pack("{s:O?, s:b, s:o}", "id", id, "ok", 1,
			 "result", result ? result : json_null());
}

json_t *nfp_api_reply_error(json_t *id, const struct nfp_api_error *e)
{
	return json_pack("{s:O?, s:b, s:{s:s, s:s}}", "id", id, "ok", 0, "error",
			 "code", nfp_errname(e->code), "message", e->message);
}

json_t *nfp_api_handle_line(struct nfp_api_dispatcher *d, struct nfp_api_conn *conn,
			    const char *line, size_t len)
{
	struct nfp_api_error err = { 0 };
	json_error_t jerr;
	json_t *req_json, *id = NULL, *cmd, *args, *result = NULL, *reply, *value, *empty_args;
	const char *key;
	const struct nfp_api_command *c;
	void *ctx;
	struct nfp_api_req req;
	int r;

	req_json = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req_json) {
		nfp_api_fail(&err, EINVAL, "request is not valid JSON: %s (column %d)",
			     jerr.text, jerr.column);
		return nfp_api_reply_error(NULL, &err);
	}
	if (!json_is_object(req_json)) {
		nfp_api_fail(&err, EINVAL, "request must be a JSON object");
		goto error;
	}
	id = json_object_get(req_json, "id");
	if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id)) {
		id = NULL;
		nfp_api_fail(&err, EINVAL, "'id' must be a string or an integer");
		goto error;
	}
	json_object_foreach(req_json, key, value) {
		if (strcmp(key, "id") && strcmp(key, "cmd") && strcmp(key, "args")) {
			nfp_api_fail(&err, EINVAL, "unknown request field '%s'", key);
			goto error;
		}
	}
	cmd = json_object_get(req_json, "cmd");
	if (!json_is_string(cmd)) {
		nfp_api_fail(&err, EINVAL, cmd ? "'cmd' must be a string" : "missing 'cmd'");
		goto error;
	}
	args = json_object_get(req_json, "args");
	if (args && json_is_null(args))
		args = NULL;
	if (args && !json_is_object(args)) {
		nfp_api_fail(&err, EINVAL, "'args' must be a JSON object");
		goto error;
	}
	c = find(d, json_string_value(cmd), &ctx);
	if (!c) {
		nfp_api_fail(&err, ENOSYS, "unknown command '%s' (try 'commands')",
			     json_string_value(cmd));
		goto error;
	}

	req = (struct nfp_api_req){ .conn = conn, .id = id, .cmd = c->name, .ctx = ctx };
	/* handlers always get an object, so they need no NULL checks */
	empty_args = args ? NULL : json_object();
	r = c->handler(&req, args ? args : empty_args, &result, &err);
	json_decref(empty_args);
	if (r == NFP_API_DEFERRED) {
		json_decref(req_json);
		return NULL;
	}
	if (r < 0) {
		if (!err.code)
			nfp_api_fail(&err, -r, "%s failed: %s", c->name, strerror(-r));
		goto error;
	}
	reply = nfp_api_reply_ok(id, result);
	json_decref(req_json);
	return reply;

error:
	reply = nfp_api_reply_error(id, &err);
	json_decref(req_json);
	return reply;
}
