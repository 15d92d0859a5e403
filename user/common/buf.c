/* buf.c - see buf.h. */
#include "common/buf.h"

#include <errno.h>
#include <stdlib.h>

int nfp_buf_reserve(char **buf, size_t *cap, size_t need, size_t initial)
{
	size_t n = *cap ? *cap : initial;
	char *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*buf, n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = n;
	return 0;
}
