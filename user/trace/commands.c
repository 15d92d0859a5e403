/* commands.c - the trace API commands: trace_start (create, extend or end,
 * as Floodlight's POST does), trace_stop, trace_list and trace_stream
 * (turn the connection into a pcapng or JSON-lines stream of a session, or
 * of a one-shot session that lives as long as the connection).
 */
#include "trace/commands.h"
#include "api/args.h"
#include "api/server.h"
#include "trace/filter.h"
#include "trace/trace.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PERIOD_S 60

static int get_id(json_t *args, bool required, const char **id, struct nfp_api_error *err)
{
	return nfp_args_string(args, "id", required, NFP_TRACE_ID_LEN, id, err);
}

static int cmd_trace_start(struct nfp_api_req *req, json_t *args, json_t **result,
			   struct nfp_api_error *err)
{
	static const char *const allowed[] = { NFP_TRACE_FILTER_ARGS, "period", "id", NULL };
	struct nfp_trace_service *svc = req->ctx;
	struct nfp_trace_filter f;
	const char *id = NULL;
	char new_id[NFP_TRACE_ID_LEN + 1];
	int64_t period = DEFAULT_PERIOD_S;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_id(args, false, &id, err)) < 0)
		return r;
	if (id) {
		/* extend (period > 0) or end (period <= 0) a session; its
		 * filter stays what it was */
		if (json_object_size(args) > 2 || !json_object_get(args, "period"))
			return nfp_api_fail(err, EINVAL, json_object_get(args, "period") ?
					    "with 'id', give only 'period' (a filter cannot change)" :
					    "missing argument 'period'");
		if ((r = nfp_args_int(args, "period", true, INT32_MIN, INT32_MAX, &period, err)) < 0)
			return r;
		if ((r = nfp_trace_extend(svc->trace, id, period, err)) < 0)
			return r;
		*result = json_pack("{s:s, s:b}", "id", id, "ended", period <= 0);
		return 0;
	}
	if ((r = nfp_args_int(args, "period", false, INT32_MIN, INT32_MAX, &period, err)) < 0 ||
	    (r = nfp_trace_filter_parse(args, &f, err)) < 0 ||
	    (r = nfp_trace_start(svc->trace, &f, period, NULL, new_id, err)) < 0)
		return r;
	*result = json_pack("{s:s, s:I}", "id", new_id, "period", (json_int_t)period);
	return 0;
}

static int cmd_trace_stop(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { "id", NULL };
	struct nfp_trace_service *svc = req->ctx;
	const char *id;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_id(args, true, &id, err)) < 0 ||
	    (r = nfp_trace_stop(svc->trace, id, "stopped", err)) < 0)
		return r;
	*result = json_pack("{s:s}", "id", id);
	return 0;
}

static int cmd_trace_list(struct nfp_api_req *req, json_t *args, json_t **result,
			  struct nfp_api_error *err)
{
	static const char *const allowed[] = { NULL };
	struct nfp_trace_service *svc = req->ctx;
	int r;

	if ((r = nfp_args_only(args, allowed, err)) < 0)
		return r;
	*result = nfp_trace_list_json(svc->trace);
	return 0;
}

static int cmd_trace_stream(struct nfp_api_req *req, json_t *args, json_t **result,
			    struct nfp_api_error *err)
{
	static const char *const allowed[] = { NFP_TRACE_FILTER_ARGS, "period", "id", "format",
					       NULL };
	static const char *const formats[] = { "pcapng", "json", NULL };
	struct nfp_trace_service *svc = req->ctx;
	struct nfp_api_pending *p;
	struct nfp_trace_filter f;
	const char *id = NULL;
	char new_id[NFP_TRACE_ID_LEN + 1];
	int64_t period = DEFAULT_PERIOD_S;
	int format = 0, out_fd, r;

	(void)result;
	if ((r = nfp_args_only(args, allowed, err)) < 0 || (r = get_id(args, false, &id, err)) < 0 ||
	    (r = nfp_args_enum(args, "format", false, formats, &format, err)) < 0)
		return r;
	if (!req->conn)
		return nfp_api_fail(err, ENOTSUP, "streams need a socket connection");
	if (id) {
		if (json_object_size(args) > 1 + (json_object_get(args, "format") != NULL))
			return nfp_api_fail(err, EINVAL,
					    "give either 'id' or a filter for a one-shot trace, not both");
		if (!nfp_trace_exists(svc->trace, id))
			return nfp_api_fail(err, ENOENT, "no trace session '%s'", id);
	} else {
		if ((r = nfp_args_int(args, "period", false, INT32_MIN, INT32_MAX, &period, err)) < 0 ||
		    (r = nfp_trace_filter_parse(args, &f, err)) < 0 ||
		    (r = nfp_trace_start(svc->trace, &f, period, req->conn, new_id, err)) < 0)
			return r;
		id = new_id;
	}
	/* A descriptor passed with the request (nfpctl's -w FILE or its
	 * stdout): nfpd writes the stream into it directly, so the records do
	 * not pass through the client (docs/trace.md). */
	out_fd = nfp_api_conn_take_passed_fd(req->conn);
	if (out_fd >= 0 && nfp_api_stream_fd_check(out_fd)) {
		close(out_fd);
		if (id == new_id)
			nfp_trace_stop(svc->trace, id, "stopped", err);
		return nfp_api_fail(err, EBADF, "the descriptor passed for the stream cannot be "
					       "written (a file, pipe or socket open for writing)");
	}
	/* the reply goes first, then the stream's bytes */
	p = nfp_api_defer(req);
	if (!p) {
		if (out_fd >= 0)
			close(out_fd);
		if (id == new_id)
			nfp_trace_stop(svc->trace, id, "stopped", err);
		return nfp_api_fail(err, ENOMEM, "out of memory");
	}
	nfp_api_pending_ok(p, json_pack("{s:s, s:s, s:s}", "id", id, "format", formats[format],
					"output", out_fd >= 0 ? "direct" : "socket"));
	if (out_fd >= 0 && nfp_api_conn_redirect_stream(req->conn, out_fd) < 0) {
		/* stays on the socket, which the client copies as before */
		close(out_fd);
	}
	r = nfp_trace_add_conn_reader(svc->trace, id, req->conn,
				      format == 0 ? NFP_TRACE_FMT_PCAPNG : NFP_TRACE_FMT_JSON, err);
	if (r < 0) /* cannot happen: the session was checked above */
		nfp_api_conn_close_when_drained(req->conn);
	return NFP_API_DEFERRED;
}

const struct nfp_api_command nfp_trace_commands[] = {
	{ "trace_start",
	  "start a trace session {mac, direction, ip, proto, port, iface, snaplen, period}; "
	  "with {id, period}: extend it (period > 0) or end it (period <= 0)",
	  cmd_trace_start },
	{ "trace_stop", "end a trace session {id}", cmd_trace_stop },
	{ "trace_list", "trace sessions, their readers and the taps' counters", cmd_trace_list },
	{ "trace_stream",
	  "stream a session {id, format: pcapng|json}, or a one-shot session {filter..., period}",
	  cmd_trace_stream },
	{ NULL, NULL, NULL },
};
