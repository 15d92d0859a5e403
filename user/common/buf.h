/* buf.h - growing a heap buffer by doubling, the one way every byte queue
 * in nfplane grows. */
#ifndef NFP_BUF_H
#define NFP_BUF_H

#include <stddef.h>

/* Make *buf hold at least @need bytes (first allocation: @initial, then
 * doubling). Returns 0 or -ENOMEM, leaving *buf and *cap untouched. */
int nfp_buf_reserve(char **buf, size_t *cap, size_t need, size_t initial);

#endif
