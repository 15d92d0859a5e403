/* server.h - the unix-socket side of the API: listening socket, client
 * connections with line framing, bounded output queues and streams.
 *
 * A connection starts in request mode: each line is handed to the
 * dispatcher and its reply queued. A handler may turn its connection into a
 * stream (events, traces); from then on the subsystem that owns the stream
 * pushes records with nfp_api_stream_send(), which drops (and counts) a
 * record rather than let a slow reader grow memory without bound.
 */
#ifndef NFP_API_SERVER_H
#define NFP_API_SERVER_H

#include "api/api.h"
#include "common/loop.h"

#include <stddef.h>
#include <stdint.h>

struct nfp_api_server;

/* Create the socket at @path (its directory is made 0750 if missing), mode
 * 0660. Fails with -EADDRINUSE when another daemon answers on it; a stale
 * socket file is replaced. */
int nfp_api_server_open(struct nfp_api_server **out, struct nfp_loop *loop,
			struct nfp_api_dispatcher *d, const char *path);
/* Close every connection and remove the socket file. */
void nfp_api_server_close(struct nfp_api_server *s);

/* Streams. @on_close is called once when the connection goes away, so the
 * owner can forget it. */
typedef void (*nfp_api_stream_close_cb)(struct nfp_api_conn *conn, void *ctx);
void nfp_api_conn_make_stream(struct nfp_api_conn *conn, nfp_api_stream_close_cb on_close,
			      void *ctx);
/* Queue @len bytes. Returns 0, or -ENOBUFS when the queue is over its limit
 * (the record is dropped: the producer counts and reports its losses). */
int nfp_api_stream_send(struct nfp_api_conn *conn, const void *buf, size_t len);
/* The same, without trying to write now: a producer of many small records
 * (traces) lets them pile up and go out in one write when the loop next
 * finds the socket writable. */
int nfp_api_stream_queue(struct nfp_api_conn *conn, const void *buf, size_t len);
/* Queue a JSON value as one line (a stream record or an unsolicited reply). */
int nfp_api_conn_send_json(struct nfp_api_conn *conn, json_t *value);
/* Bytes waiting to be written. */
size_t nfp_api_conn_queued(const struct nfp_api_conn *conn);
/* Descriptor passing: a client may send one file descriptor (SCM_RIGHTS)
 * with a request; the handler takes it (ownership moves, -1 if none). The
 * next request's descriptor replaces an untaken one. */
int nfp_api_conn_take_passed_fd(struct nfp_api_conn *conn);
/* Can a stream be written to @fd (a regular file, pipe, socket or character
 * device open for writing)? 0 or -EBADF. */
int nfp_api_stream_fd_check(int fd);
/* From now on the stream's bytes go to @fd (which the connection then owns
 * and closes) instead of the socket: the client's file or pipe receives them
 * without passing through the client. The socket stays, to tell when the
 * client goes away and to end the stream by closing. Call after the reply is
 * queued: it is written to the socket first (-EAGAIN if it cannot be at
 * once; the stream then stays on the socket). */
int nfp_api_conn_redirect_stream(struct nfp_api_conn *conn, int fd);
/* Close after the queue has drained (a finished finite stream). */
void nfp_api_conn_close_when_drained(struct nfp_api_conn *conn);

/* Limits, exposed for tests. */
#define NFP_API_MAX_LINE     (1u << 20) /* a request line */
#define NFP_API_MAX_REPLYQ   (16u << 20) /* replies queued to a client that does not read */
#define NFP_API_MAX_STREAMQ  (4u << 20) /* stream bytes queued before dropping */

#endif
