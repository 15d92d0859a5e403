/* http_body: accumulates a request body under a cap (see http_body.h). */
#include "http_body.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int nfp_http_body_append(struct nfp_http_body *b, const char *chunk, size_t n, size_t cap)
{
	char *p;

	/* once over, stay over: a later small chunk must not make a cut body
	 * look whole */
	if (b->too_long || n > cap - b->len) {
		b->too_long = true;
		return 0;
	}
	p = realloc(b->buf, b->len + n + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p + b->len, chunk, n);
	b->buf = p;
	b->len += n;
	b->buf[b->len] = '\0';
	return 0;
}

const char *nfp_http_body_text(const struct nfp_http_body *b)
{
	return b->buf ? b->buf : "";
}

void nfp_http_body_free(struct nfp_http_body *b)
{
	if (!b)
		return;
	free(b->buf);
	free(b);
}
