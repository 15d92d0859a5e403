/* of_hook.h - traces' tap on the OpenFlow controller (user/openflow/of_tap.h):
 * the core hands it every packet-in it receives and every message it sends,
 * decoded and as wire bytes; packet-ins, packet-outs and flow-mods become a
 * struct nfp_trace_of_msg (the frame they carry and their port, or the
 * flow-mod's match and out_port) for nfp_trace_of_message(), which streams
 * the wire bytes. All OpenFlow knowledge stays in the controller's codec:
 * this file only reads its structs.
 */
#ifndef NFP_TRACE_OF_HOOK_H
#define NFP_TRACE_OF_HOOK_H

#include "openflow/of_tap.h"

#include <stddef.h>
#include <stdint.h>

struct nfp_trace;

/* An of_tap_fn: register it with of_core_add_tap(core, nfp_trace_of_tap, trace). */
void nfp_trace_of_tap(void *trace, const struct of_tap_msg *m);

/* The same for one whole wire message (tests, fuzzing): decoded with the
 * controller's codec, then tapped. Messages the codec refuses, whose length
 * field disagrees with @len, or of other types, are ignored. */
void nfp_trace_of_wire(struct nfp_trace *t, enum of_tap_dir dir, uint64_t dpid,
		       const uint8_t *msg, size_t len);

#endif
