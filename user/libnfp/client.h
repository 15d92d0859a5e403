/* client.h - libnfp, the C client of nfpd's API, for nfpctl and for
 * applications (the flowtable's external updaters, trace readers, ...).
 *
 *   struct nfp_client *c;
 *   nfp_client_connect(&c, NULL);                  // default socket
 *   json_t *result;  struct nfp_client_error e;
 *   if (nfp_client_call(c, "stats", NULL, &result, &e) == 0) ...
 *   nfp_client_close(c);
 *
 * Calls are synchronous and one at a time. After a call that turns the
 * connection into a stream (subscribe, trace stream), read its records with
 * nfp_client_read_line() or the raw bytes with nfp_client_fd().
 */
#ifndef NFP_CLIENT_H
#define NFP_CLIENT_H

#include <jansson.h>
#include <stddef.h>

struct nfp_client;

struct nfp_client_error {
	int code;            /* positive errno, from the daemon or the transport */
	char name[32];       /* "ENODEV", as the daemon sent it */
	char message[512];
};

/* How long nfp_client_call and nfp_client_call_fd wait for a reply unless
 * nfp_client_set_timeout says otherwise: a daemon that hangs must not hang
 * its clients. */
#define NFP_CLIENT_TIMEOUT_MS_DEFAULT 30000

/* @path NULL: NFP_SOCK_PATH_DEFAULT. Returns 0 or -errno. */
int nfp_client_connect(struct nfp_client **out, const char *path);
/* Replies not there within @timeout_ms fail with ETIMEDOUT (< 0: wait for ever). */
void nfp_client_set_timeout(struct nfp_client *c, int timeout_ms);
void nfp_client_close(struct nfp_client *c);
int nfp_client_fd(const struct nfp_client *c);

/* Send {cmd, args} and wait for its reply. @args is stolen (may be NULL).
 * On success *result holds the reply's result (caller decrefs). On failure
 * returns -code and fills @err. @timeout_ms < 0 waits for ever. */
int nfp_client_call_timeout(struct nfp_client *c, const char *cmd, json_t *args,
			    json_t **result, struct nfp_client_error *err, int timeout_ms);
int nfp_client_call(struct nfp_client *c, const char *cmd, json_t *args, json_t **result,
		    struct nfp_client_error *err);
/* The same, passing the descriptor @fd along with the request (SCM_RIGHTS):
 * for a stream, nfpd then writes into it directly (trace_stream). */
int nfp_client_call_fd(struct nfp_client *c, const char *cmd, json_t *args, int fd,
		       json_t **result, struct nfp_client_error *err);

/* Next line from the daemon (without its newline), NUL-terminated, valid
 * until the next call. Returns its length, 0 at end of stream, -ETIMEDOUT,
 * or another -errno. */
long nfp_client_read_line(struct nfp_client *c, const char **line, int timeout_ms);
/* Bytes already read from the socket but not consumed as a line (a stream
 * that switched to raw bytes starts with these). */
size_t nfp_client_take_buffered(struct nfp_client *c, void *buf, size_t len);

#endif
