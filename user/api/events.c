/* events.c - see events.h. */
#include "api/events.h"
#include "api/args.h"
#include "api/server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FILTER 16

struct subscriber {
	struct subscriber *next;
	struct nfp_api_conn *conn;
	char *types[MAX_FILTER]; /* NULL-terminated; empty = all events */
	uint64_t lost;           /* events this subscriber lost and was not told of yet */
};

struct nfp_events {
	struct subscriber *subs;
};

struct nfp_events *nfp_events_new(void)
{
	return calloc(1, sizeof(struct nfp_events));
}

static void subscriber_free(struct subscriber *s)
{
	for (int i = 0; i < MAX_FILTER && s->types[i]; i++)
		free(s->types[i]);
	free(s);
}

void nfp_events_free(struct nfp_events *ev)
{
	if (!ev)
		return;
	while (ev->subs) {
		struct subscriber *s = ev->subs;

		ev->subs = s->next;
		subscriber_free(s);
	}
	free(ev);
}

static bool wants(const struct subscriber *s, const char *type)
{
	if (!s->types[0])
		return true;
	for (int i = 0; i < MAX_FILTER && s->types[i]; i++)
		if (strcmp(s->types[i], type) == 0)
			return true;
	return false;
}

/* Queue @line (one event, newline-terminated) for @s. A subscriber whose
 * queue was full learns how many events it missed, in band, just before
 * the next event that reaches it, whatever its filter: a reader must be able
 * to tell "nothing happened" from "I fell behind". The notice and the event
 * go as one piece or not at all, so a full queue never fills up with
 * notices that fit where events do not. */
static void deliver(struct subscriber *s, const char *line, size_t len, json_int_t now)
{
	char *both = NULL;
	int r;

	if (s->lost) {
		int n = asprintf(&both, "{\"event\":\"%s\",\"time\":%lld,\"count\":%llu}\n%s",
				 NFP_EVENTS_LOST, (long long)now, (unsigned long long)s->lost, line);

		if (n < 0) {
			s->lost++;
			return;
		}
		line = both;
		len = (size_t)n;
	}
	r = nfp_api_stream_send(s->conn, line, len);
	free(both);
	if (r < 0)
		s->lost++;
	else
		s->lost = 0;
}

void nfp_events_publish(struct nfp_events *ev, const char *type, json_t *body)
{
	json_t *rec = body ? body : json_object();
	json_int_t now = (json_int_t)time(NULL);
	char *text, *line = NULL;
	size_t len = 0;

	json_object_set_new(rec, "event", json_string(type));
	json_object_set_new(rec, "time", json_integer(now));
	text = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	/* one line for every subscriber, with its newline */
	if (text && asprintf(&line, "%s\n", text) > 0)
		len = strlen(line);
	free(text);
	if (!len) {
		for (struct subscriber *s = ev->subs; s; s = s->next)
			s->lost += wants(s, type);
		return;
	}
	for (struct subscriber *s = ev->subs; s; s = s->next)
		if (wants(s, type))
			deliver(s, line, len, now);
	free(line);
}

static void subscriber_gone(struct nfp_api_conn *conn, void *ctx)
{
	struct nfp_events *ev = ctx;

	for (struct subscriber **pp = &ev->subs; *pp; pp = &(*pp)->next) {
		if ((*pp)->conn == conn) {
			struct subscriber *s = *pp;

			*pp = s->next;
			subscriber_free(s);
			return;
		}
	}
}

int nfp_events_subscribe(struct nfp_events *ev, struct nfp_api_conn *conn,
			 const char *const *types)
{
	struct subscriber *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (int i = 0; types && types[i] && i < MAX_FILTER - 1; i++)
		s->types[i] = strdup(types[i]);
	s->conn = conn;
	s->next = ev->subs;
	ev->subs = s;
	nfp_api_conn_make_stream(conn, subscriber_gone, ev);
	return 0;
}

static int cmd_subscribe(struct nfp_api_req *req, json_t *args, json_t **result,
			 struct nfp_api_error *err)
{
	static const char *const allowed[] = { "stream", "types", NULL };
	static const char *const streams[] = { "events", NULL };
	struct nfp_events *ev = req->ctx;
	const char *types[MAX_FILTER] = { 0 };
	json_t *jtypes, *t;
	size_t i;
	int stream, r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 ||
	    (r = nfp_args_enum(args, "stream", true, streams, &stream, err)) < 0)
		return r;
	jtypes = json_object_get(args, "types");
	if (jtypes && !json_is_array(jtypes))
		return nfp_api_fail(err, EINVAL, "argument 'types' must be a list of event names");
	if (jtypes && json_array_size(jtypes) >= MAX_FILTER)
		return nfp_api_fail(err, E2BIG, "argument 'types' names more than %d events",
				    MAX_FILTER - 1);
	json_array_foreach(jtypes, i, t) {
		if (!json_is_string(t))
			return nfp_api_fail(err, EINVAL, "argument 'types' must hold strings");
		types[i] = json_string_value(t);
	}
	if (!req->conn)
		return nfp_api_fail(err, ENOTSUP, "streams need a socket connection");
	r = nfp_events_subscribe(ev, req->conn, types);
	if (r < 0)
		return nfp_api_fail(err, -r, "cannot subscribe: %s", strerror(-r));
	*result = json_pack("{s:s}", "stream", "events");
	return 0;
}

static const struct nfp_api_command event_commands[] = {
	{ "subscribe", "turn this connection into a stream of events", cmd_subscribe },
	{ NULL, NULL, NULL },
};

const struct nfp_api_command *nfp_events_commands(void)
{
	return event_commands;
}
