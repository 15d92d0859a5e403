/* hex.h - bytes as people and JSON see them: lowercase hex strings (flow
 * info, mirrored packets, session ids, raw OpenFlow) and MAC addresses. */
#ifndef NFP_COMMON_HEX_H
#define NFP_COMMON_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFP_MAC_STRLEN 18 /* "02:00:00:00:00:01" and its NUL */

/* "aa:bb:cc:dd:ee:ff" into @buf; returns @buf. */
const char *nfp_mac_str(const uint8_t mac[6], char buf[NFP_MAC_STRLEN]);
/* "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff", either case, into @mac. */
bool nfp_mac_parse(const char *s, uint8_t mac[6]);
/* 2 * @n lowercase digits and a NUL into @out (2 * @n + 1 bytes); returns @out. */
char *nfp_hex_str(const uint8_t *p, size_t n, char *out);
/* An even number of hex digits (either case) into @out; returns the byte
 * count, -EINVAL (odd length, not a digit) or -E2BIG (more than @cap bytes). */
int nfp_hex_parse(const char *s, uint8_t *out, size_t cap);

#endif
