/* of_trace.h - the single point every PACKET_IN (direction in), PACKET_OUT
 * and FLOW_MOD (direction out) passes through, as the whole wire message,
 * right after it is decoded (in) or encoded (out).
 *
 * The trace subsystem taps OpenFlow here (PacketStreamer's "matching
 * OpenFlow messages from the controller"): it sets of_trace_hook. Until it
 * does, the hook is NULL and the tap is one predictable branch on the hot
 * path. The hook must not block and must not call back into the provider.
 */
#ifndef NFP_OF_TRACE_H
#define NFP_OF_TRACE_H

#include <stddef.h>
#include <stdint.h>

enum of_trace_dir { OF_TRACE_IN, OF_TRACE_OUT };

/* @msg: one whole OpenFlow message (its header says version and type). */
typedef void (*of_trace_hook_fn)(enum of_trace_dir dir, uint64_t dpid, const uint8_t *msg,
				 size_t len, void *ctx);

extern of_trace_hook_fn of_trace_hook;
extern void *of_trace_hook_ctx;

static inline void of_trace_tap(enum of_trace_dir dir, uint64_t dpid, const uint8_t *msg,
				size_t len)
{
	if (__builtin_expect(of_trace_hook != NULL, 0))
		of_trace_hook(dir, dpid, msg, len, of_trace_hook_ctx);
}

#endif
