/* api.h - nfpd's request API: the command table each subsystem registers,
 * the request context handed to a handler, and the error a handler fills.
 *
 * Wire format (one JSON object per line, both directions):
 *   request  {"id": ANY, "cmd": "NAME", "args": {...}}
 *   reply    {"id": ANY, "ok": true,  "result": ...}
 *            {"id": ANY, "ok": false, "error": {"code": "EINVAL", "message": "..."}}
 * A handler validates every argument before it changes anything, so a request
 * either takes effect whole or not at all.
 */
#ifndef NFP_API_H
#define NFP_API_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

struct nfp_api_conn;
struct nfp_api_dispatcher;

struct nfp_api_error {
	int code;          /* positive errno */
	char message[512];
};

struct nfp_api_req {
	struct nfp_api_conn *conn; /* NULL when not from a socket (unit tests) */
	json_t *id;                /* borrowed */
	const char *cmd;
	void *ctx;                 /* what the command's table was registered with: its
				    * subsystem's own state, never the whole daemon */
};

/* Return values of a handler: 0 with *result set (NULL means "null"), a
 * negative errno with @err filled, or NFP_API_DEFERRED after calling
 * nfp_api_defer() to answer later. */
#define NFP_API_DEFERRED 1

typedef int (*nfp_api_handler)(struct nfp_api_req *req, json_t *args, json_t **result,
			       struct nfp_api_error *err);

struct nfp_api_command {
	const char *name;
	const char *summary;  /* one line, shown by the "commands" command */
	nfp_api_handler handler;
};

/* Fill @err and return -code, so handlers can `return nfp_api_fail(...)`. */
int nfp_api_fail(struct nfp_api_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- dispatcher (api_dispatch.c) ---- */

struct nfp_api_dispatcher;

struct nfp_api_dispatcher *nfp_api_dispatcher_new(void);
void nfp_api_dispatcher_free(struct nfp_api_dispatcher *d);
/* Add a table ended by an entry with a NULL name; its handlers get @ctx as
 * req->ctx. Returns -EEXIST when a name is already taken. The table must
 * outlive the dispatcher. */
int nfp_api_register(struct nfp_api_dispatcher *d, const struct nfp_api_command *table,
		     void *ctx);
/* Handle one request line; returns the reply object (caller frees), or NULL
 * when the handler deferred its answer. Never fails for bad input: that is
 * an error reply. */
json_t *nfp_api_handle_line(struct nfp_api_dispatcher *d, struct nfp_api_conn *conn,
			    const char *line, size_t len);
/* Build replies (also used for deferred answers). Steal @result. */
json_t *nfp_api_reply_ok(json_t *id, json_t *result);
json_t *nfp_api_reply_error(json_t *id, const struct nfp_api_error *err);

/* ---- deferred replies (api_server.c) ---- */

struct nfp_api_pending;
/* Take what is needed to answer @req later; the connection may close in the
 * meantime, in which case the answer is dropped. */
struct nfp_api_pending *nfp_api_defer(struct nfp_api_req *req);
void nfp_api_pending_ok(struct nfp_api_pending *p, json_t *result);
void nfp_api_pending_error(struct nfp_api_pending *p, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
