/* of_hook.h - traces' side of the controller's OpenFlow tap
 * (user/openflow/of_trace.h): decode a whole PACKET_IN, PACKET_OUT or
 * FLOW_MOD (OpenFlow 1.0 or 1.3) just enough to match it against the
 * sessions (the frame it carries and its port, or the flow-mod's match and
 * out_port) and hand it to nfp_trace_of_message(). Other messages, and
 * messages too short for what they claim, are ignored.
 */
#ifndef NFP_TRACE_OF_HOOK_H
#define NFP_TRACE_OF_HOOK_H

#include "openflow/of_trace.h"

#include <stddef.h>
#include <stdint.h>

/* An of_trace_hook_fn; @ctx is the struct nfp_trace. */
void nfp_trace_of_hook(enum of_trace_dir dir, uint64_t dpid, const uint8_t *msg, size_t len,
		       void *ctx);

#endif
