/* rest.c - see rest.h. */
#include "trace/rest.h"
#include "common/http_body.h"
#include "common/text.h"
#include "api/api.h"
#include "common/log.h"
#include "trace/endpoint.h"
#include "trace/filter.h"
#include "trace/trace.h"

#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#define MAX_BODY 65536

struct nfp_trace_rest {
	struct nfp_trace *trace;
	struct MHD_Daemon *mhd;
	struct nfp_loop_fd *h;
	struct nfp_loop_timer *timer;
};

static enum MHD_Result respond(struct MHD_Connection *c, unsigned int status, json_t *obj)
{
	char *text = json_dumps(obj, JSON_COMPACT);
	struct MHD_Response *resp;
	enum MHD_Result r;

	json_decref(obj);
	if (!text)
		return MHD_NO;
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	r = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result error(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	char text[1024];

	/* messages quote the client's body (or jansson's words about it, cut
	 * anywhere): made UTF-8, or json_pack refuses and no answer goes */
	snprintf(text, sizeof(text), "%.1000s", msg);
	return respond(c, status, json_pack("{s:s}", "error", nfp_text_sanitize(text)));
}

static unsigned int http_status(int code)
{
	switch (code) {
	case ENOENT:
		return MHD_HTTP_NOT_FOUND;
	case ENOSPC:
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	case ENOMEM:
	case EAGAIN:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	default:
		return MHD_HTTP_BAD_REQUEST;
	}
}

/* The body of a POST, as Floodlight's PacketTraceResource takes it. */
static enum MHD_Result handle_post(struct nfp_trace_rest *rest, struct MHD_Connection *c,
				   const struct nfp_http_body *b)
{
	static const char *const fields[] = { "sessionId", "period", NFP_TRACE_FILTER_ARGS, NULL };
	struct nfp_api_error err = { 0 };
	struct nfp_trace_filter f;
	char id[NFP_TRACE_ID_LEN + 1];
	json_error_t jerr;
	json_t *req, *sid, *period, *v;
	const char *key;
	char msg[600];
	int r;

	req = json_loadb(nfp_http_body_text(b), b->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req) {
		snprintf(msg, sizeof(msg), "body is not valid JSON: %s", jerr.text);
		return error(c, MHD_HTTP_BAD_REQUEST, msg);
	}
	if (!json_is_object(req)) {
		json_decref(req);
		return error(c, MHD_HTTP_BAD_REQUEST, "body must be a JSON object");
	}
	json_object_foreach(req, key, v) {
		bool known = false;

		for (const char *const *k = fields; *k; k++)
			known |= strcmp(*k, key) == 0;
		if (!known) {
			snprintf(msg, sizeof(msg), "unknown field '%.100s'", key);
			json_decref(req);
			return error(c, MHD_HTTP_BAD_REQUEST, msg);
		}
	}
	sid = json_object_get(req, "sessionId");
	period = json_object_get(req, "period");
	if (!period || !json_is_integer(period)) {
		json_decref(req);
		return error(c, MHD_HTTP_BAD_REQUEST,
			     period ? "field 'period' must be an integer number of seconds"
				    : "missing field 'period'");
	}
	if (sid && !json_is_null(sid)) {
		if (!json_is_string(sid) || json_string_length(sid) != NFP_TRACE_ID_LEN) {
			json_decref(req);
			return error(c, MHD_HTTP_BAD_REQUEST,
				     "field 'sessionId' must be the id a POST returned");
		}
		snprintf(id, sizeof(id), "%s", json_string_value(sid));
		r = nfp_trace_extend(rest->trace, id, json_integer_value(period), &err);
	} else {
		if (!json_object_get(req, "mac") || !json_object_get(req, "direction")) {
			const char *what = json_object_get(req, "mac") ? "missing field 'direction'"
								       : "missing field 'mac'";

			json_decref(req);
			return error(c, MHD_HTTP_BAD_REQUEST, what);
		}
		r = nfp_trace_filter_parse(req, &f, &err);
		if (r == 0)
			r = nfp_trace_start(rest->trace, &f, json_integer_value(period), NULL, id, &err);
	}
	json_decref(req);
	if (r < 0) {
		/* the API's messages name arguments; here they are fields */
		const char *at = strstr(err.message, "argument '");

		if (at)
			snprintf(msg, sizeof(msg), "%.*sfield %s", (int)(at - err.message),
				 err.message, at + strlen("argument "));
		else
			snprintf(msg, sizeof(msg), "%s", err.message);
		return error(c, http_status(err.code), msg);
	}
	return respond(c, MHD_HTTP_OK, json_pack("{s:s}", "sessionId", id));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct nfp_trace_rest *rest = cls;
	struct nfp_http_body *b = *con_cls;

	(void)version;
	if (strcmp(url, NFP_TRACE_REST_PATH) != 0)
		return error(c, MHD_HTTP_NOT_FOUND, "no such resource");
	if (strcmp(method, "POST") != 0)
		return error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST");
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return MHD_NO;
		*con_cls = b;
		return MHD_YES;
	}
	if (*upload_size) {
		if (nfp_http_body_append(b, upload, *upload_size, MAX_BODY))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (b->too_long)
		return error(c, 413, "body longer than 64 KiB");
	return handle_post(rest, c, b);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct nfp_http_body *b = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	nfp_http_body_free(b);
	*con_cls = NULL;
}

static void on_events(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_trace_rest *rest = ctx;

	(void)h;
	(void)events;
	MHD_run(rest->mhd);
}

/* Idle connections time out only when MHD runs. */
static void on_timer(struct nfp_loop_timer *t, void *ctx)
{
	struct nfp_trace_rest *rest = ctx;

	(void)t;
	MHD_run(rest->mhd);
}

int nfp_trace_rest_start(struct nfp_trace_rest **out, struct nfp_loop *loop, struct nfp_trace *t,
			 const char *endpoint)
{
	struct nfp_trace_rest *rest;
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;
	char err[160];
	int r;

	r = nfp_trace_parse_endpoint(endpoint, &sa, err, sizeof(err));
	if (r) {
		log_error("trace REST: %s", err);
		return r;
	}
	rest = calloc(1, sizeof(*rest));
	if (!rest)
		return -ENOMEM;
	rest->trace = t;
	rest->mhd = MHD_start_daemon(MHD_USE_EPOLL, ntohs(sa.sin_port), NULL, NULL, on_request, rest,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, rest,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10, MHD_OPTION_END);
	if (!rest->mhd) {
		free(rest);
		return -EADDRINUSE;
	}
	info = MHD_get_daemon_info(rest->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	rest->h = info ? nfp_loop_add_fd(loop, info->epoll_fd, EPOLLIN, on_events, rest) : NULL;
	rest->timer = nfp_loop_add_timer(loop, 1000, 1000, on_timer, rest);
	if (!rest->h || !rest->timer) {
		nfp_trace_rest_stop(rest);
		return -ENOMEM;
	}
	log_info("trace: Floodlight REST endpoint on http://%s%s", endpoint, NFP_TRACE_REST_PATH);
	*out = rest;
	return 0;
}

void nfp_trace_rest_stop(struct nfp_trace_rest *rest)
{
	if (!rest)
		return;
	if (rest->h)
		nfp_loop_del_fd(rest->h);
	if (rest->timer)
		nfp_loop_del_timer(rest->timer);
	MHD_stop_daemon(rest->mhd);
	free(rest);
}
