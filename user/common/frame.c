/* frame.c - see frame.h. */
#include "common/frame.h"
#include "../../bpf/lib/parse.h" /* compiles for userspace too */

#include <string.h>

#define PARSE_COPY_MAX 4096

/* The parser reads headers as structs, so the frame's start is copied 2
 * bytes into an aligned buffer (the kernel's NET_IP_ALIGN): the IP header
 * and what follows are then 4-byte aligned. */
void nfp_parse_frame(const uint8_t *frame, size_t len, struct nfp_pkt *pkt)
{
	_Alignas(8) uint8_t buf[2 + PARSE_COPY_MAX];
	size_t n = len < PARSE_COPY_MAX ? len : PARSE_COPY_MAX;

	memcpy(buf + 2, frame, n);
	memset(pkt, 0, sizeof(*pkt));
	nfp_parse(buf + 2, buf + 2 + n, (__u32)len, pkt);
}
