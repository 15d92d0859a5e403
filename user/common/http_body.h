/* http_body: the body of one HTTP request, gathered chunk by chunk as
 * libmicrohttpd hands it over, with a cap. Shared by the HTTP front ends
 * (trace REST, FlowVisor API) so each one only decides what a body means. */
#ifndef NFP_HTTP_BODY_H
#define NFP_HTTP_BODY_H

#include <stdbool.h>
#include <stddef.h>

struct nfp_http_body {
	char *buf; /* NUL-terminated once anything arrived; NULL before */
	size_t len;
	bool too_long; /* a chunk would have passed the cap: the rest is dropped */
};

/* Appends a chunk unless the body is (or would become) longer than cap.
 * Returns 0, or -ENOMEM (the connection should then be closed). */
int nfp_http_body_append(struct nfp_http_body *b, const char *chunk, size_t n, size_t cap);

/* The text gathered so far ("" when nothing came). */
const char *nfp_http_body_text(const struct nfp_http_body *b);

void nfp_http_body_free(struct nfp_http_body *b);

#endif
