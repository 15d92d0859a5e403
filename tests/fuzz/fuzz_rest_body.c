/* fuzz_rest_body.c - libFuzzer target for Floodlight's packet-trace REST
 * endpoint (user/trace/rest.c: the request handler that gathers a POST
 * body in pieces, and handle_post: the body's JSON, its fields, the
 * session id, the filter, the errors rewritten to name fields), against
 * a real trace core (trace_env.c).
 *
 * rest.c is included here so its static handlers can be called the way
 * libmicrohttpd calls them: once without data, once per piece of the body,
 * once more to answer. The four response calls they make are defined
 * below and record the answer instead of sending it; nothing else of
 * libmicrohttpd runs. HTTP parsing is libmicrohttpd's, not ours.
 *
 * Input: one byte (bits 0-3: how the body is cut into pieces, bit 4: a
 * wrong URL, bit 5: GET instead of POST), then the body. Every
 * FUZZ_SESSION_PLACEHOLDER in it becomes the id of a live session.
 * Properties: exactly one answer per request; it is a JSON object, with
 * "sessionId" (32 hex digits) on 200 and "error" (a string) otherwise.
 */
#include "fuzz_check.h"
#include "trace_env.h"

#include "trace/rest.c"

#include <ctype.h>

/* ---- the part of libmicrohttpd the handlers call ---- */

struct MHD_Response {
	char *text;
	size_t len;
};

struct MHD_Connection {
	int answers;
	unsigned int status;
	char *body;
};

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
						     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = calloc(1, sizeof(*r));

	FUZZ_CHECK(r != NULL, "out of memory");
	FUZZ_CHECK(mode == MHD_RESPMEM_MUST_FREE, "response memory mode %d", (int)mode);
	r->text = buffer;
	r->len = size;
	return r;
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
					const char *content)
{
	(void)response;
	FUZZ_CHECK(header && content, "header without a value");
	return MHD_YES;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *c, unsigned int status,
				   struct MHD_Response *response)
{
	c->answers++;
	c->status = status;
	free(c->body);
	c->body = malloc(response->len + 1);
	FUZZ_CHECK(c->body != NULL, "out of memory");
	memcpy(c->body, response->text, response->len);
	c->body[response->len] = '\0';
	return MHD_YES;
}

void MHD_destroy_response(struct MHD_Response *response)
{
	free(response->text);
	free(response);
}

/* ---- the target ---- */

static struct nfp_trace_rest rest;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rest.trace = fuzz_trace_env_get()->trace;
	return 0;
}

static bool is_session_id(json_t *v)
{
	const char *s = json_string_value(v);

	if (!s || strlen(s) != NFP_TRACE_ID_LEN)
		return false;
	for (const char *p = s; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return false;
	return true;
}

/* The answer's shape; returns the id a 200 names, or NULL. */
static const char *check_answer(const struct MHD_Connection *c, json_t **obj)
{
	json_error_t jerr;

	FUZZ_CHECK(c->answers == 1, "%d answers to one request", c->answers);
	*obj = json_loads(c->body, 0, &jerr);
	FUZZ_CHECK(json_is_object(*obj), "answer '%s' is not a JSON object", c->body);
	if (c->status == MHD_HTTP_OK) {
		FUZZ_CHECK(is_session_id(json_object_get(*obj, "sessionId")),
			   "200 without a session id: %s", c->body);
		return json_string_value(json_object_get(*obj, "sessionId"));
	}
	FUZZ_CHECK(c->status >= 400 && c->status < 600, "status %u", c->status);
	FUZZ_CHECK(json_is_string(json_object_get(*obj, "error")), "error answer '%s'", c->body);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nfp_trace_filter live_filter = {
		.mac = { 0x02, 0, 0, 0, 0, 0x01 }, .dir = NFP_TRACE_DIR_BOTH,
		.fields = NFP_TF_MAC, .snaplen = 128,
	};
	struct fuzz_trace_env *env = fuzz_trace_env_get();
	struct fuzz_input in = { data, size };
	uint8_t how = fuzz_take_byte(&in);
	size_t chunk = fuzz_chunk_size(how & 15, in.left), body_len = in.left, off = 0;
	const char *url = how & 16 ? "/wm/core/packettrace/xml" : NFP_TRACE_REST_PATH;
	const char *method = how & 32 ? "GET" : "POST";
	struct MHD_Connection conn = { 0 };
	char live[NFP_TRACE_ID_LEN + 1], created[NFP_TRACE_ID_LEN + 1] = "";
	uint8_t *body = malloc(body_len + 1);
	void *con_cls = NULL;
	size_t upload = 0;
	enum MHD_Result r;
	json_t *answer;
	const char *id;

	FUZZ_CHECK(body != NULL, "out of memory");
	memcpy(body, in.p, body_len);
	fuzz_trace_start(env, &live_filter, live);
	fuzz_put_session_id(body, body_len, live);

	/* libmicrohttpd's calls: headers, then each piece, then the end */
	r = on_request(&rest, &conn, url, method, "HTTP/1.1", NULL, &upload, &con_cls);
	while (r == MHD_YES && conn.answers == 0 && off < body_len) {
		size_t n = body_len - off < chunk ? body_len - off : chunk;

		upload = n;
		r = on_request(&rest, &conn, url, method, "HTTP/1.1", (const char *)body + off,
			       &upload, &con_cls);
		FUZZ_CHECK(upload == 0, "%zu bytes of a piece left unconsumed", upload);
		off += n;
	}
	if (r == MHD_YES && conn.answers == 0) {
		upload = 0;
		r = on_request(&rest, &conn, url, method, "HTTP/1.1", NULL, &upload, &con_cls);
	}
	if (r == MHD_NO && conn.answers == 0) {
		/* every request is answered: a message that is not UTF-8
		 * (jansson's error text cut inside a character, a field name cut
		 * at 100 bytes) once left the connection dropped unanswered;
		 * rest.c's error() now makes messages UTF-8 */
		FUZZ_CHECK(0, "no answer: the error message is not UTF-8");
		on_completed(&rest, &conn, &con_cls, MHD_REQUEST_TERMINATED_WITH_ERROR);
		fuzz_trace_stop_if_live(env, live);
		free(body);
		return 0;
	}
	FUZZ_CHECK(r == MHD_YES, "the handler gave up on the connection (MHD_NO) with %d answers",
		   conn.answers);
	on_completed(&rest, &conn, &con_cls, MHD_REQUEST_TERMINATED_COMPLETED_OK);
	FUZZ_CHECK(con_cls == NULL, "request state left behind");

	id = check_answer(&conn, &answer);
	if (id)
		snprintf(created, sizeof(created), "%s", id);
	json_decref(answer);
	/* sessions a request made or kept die with the iteration */
	if (created[0])
		fuzz_trace_stop_if_live(env, created);
	fuzz_trace_stop_if_live(env, live);
	free(conn.body);
	free(body);
	return 0;
}
