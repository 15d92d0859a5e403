/* fv_http.h - the HTTPS listener FlowVisor's fvctl talks to: TLS
 * (libmicrohttpd over GnuTLS) with a certificate from tls_cert.h, HTTP basic
 * authentication as FlowVisor's superuser "fvadmin" against a password file,
 * and POST bodies (up to FV_HTTP_MAX_BODY) handed whole to a callback whose
 * answer goes back as application/json. Knows nothing of JSON-RPC (that is
 * fv_rpc.h). Runs on nfpd's loop; one request at a time, never blocking.
 */
#ifndef NFP_SLICING_FV_HTTP_H
#define NFP_SLICING_FV_HTTP_H

#include "common/loop.h"

#include <stddef.h>

#define FV_HTTP_USER "fvadmin"
#define FV_HTTP_REALM "nfplane FlowVisor API"
#define FV_HTTP_MAX_BODY (4u << 20)

/* The answer to one authenticated POST: JSON text (malloc'd, taken). */
typedef char *(*fv_http_handler)(void *ctx, const char *body, size_t len);

struct fv_http_conf {
	const char *listen;      /* [ADDR:]PORT; a bare port is 127.0.0.1 */
	const char *passwd_path; /* made with a random password when missing */
	const char *cert_path;   /* made self-signed, with key_path, when missing */
	const char *key_path;
};

struct fv_http;

/* Returns 0, or a negative errno with @err naming the option or file. */
int fv_http_start(struct fv_http **out, struct nfp_loop *loop, const struct fv_http_conf *conf,
		  fv_http_handler handler, void *ctx, char *err, size_t err_len);
void fv_http_stop(struct fv_http *h);

/* Requests refused for their credentials (a counter for tests and stats). */
unsigned long fv_http_auth_failures(const struct fv_http *h);

#endif
