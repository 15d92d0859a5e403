/* frame.h - a frame parsed in userspace by the dataplane's own parser
 * (bpf/lib/parse.h, which compiles for userspace too): what a packet-in or
 * packet-out carries is then seen exactly as XDP sees it (VLAN tags, IPv6
 * extension headers, fragments and malformed headers alike).
 */
#ifndef NFP_COMMON_FRAME_H
#define NFP_COMMON_FRAME_H

#include "nfplane/parse.h"

#include <stddef.h>
#include <stdint.h>

/* Parse the first 4 KiB of @frame (@len bytes) into @pkt (zeroed first). */
void nfp_parse_frame(const uint8_t *frame, size_t len, struct nfp_pkt *pkt);

#endif
