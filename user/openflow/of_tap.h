/* of_tap.h - taps on the controller core: functions registered on the core
 * (of_core_add_tap) that see every PACKET_IN a handshaken switch sends
 * (direction in, right after it is decoded and before any module) and
 * every message sent through the core's one send chokepoint (direction
 * out: the modules' and the API's flow-mods, packet-outs, barriers and
 * stats requests, and the 1.3 table-miss entry of the handshake), right
 * after it is encoded.
 *
 * A tap gets the message twice: decoded (struct of_msg, the structs of
 * of_types.h) and as the whole wire message, so it needs no OpenFlow
 * knowledge of its own to read fields and can still hand on the exact
 * bytes (traces stream them). The trace subsystem is one tap; counters or
 * a slicer's audit log can be others. With no tap registered the cost on
 * the hot path is one predictable branch.
 *
 * A tap runs on nfpd's loop, must not block, and must not send, close a
 * switch, or add or remove taps; the pointers it gets are valid only
 * during the call.
 */
#ifndef NFP_OF_TAP_H
#define NFP_OF_TAP_H

#include "openflow/of_provider.h"

#include <stddef.h>
#include <stdint.h>

struct of_core;

enum of_tap_dir { OF_TAP_IN, OF_TAP_OUT };

struct of_tap_msg {
	enum of_tap_dir dir;
	uint64_t dpid;
	uint8_t version;       /* the switch's negotiated OpenFlow version */
	uint32_t xid;
	struct of_msg msg;     /* decoded */
	const uint8_t *wire;   /* the whole message, header included */
	size_t wire_len;
};

typedef void (*of_tap_fn)(void *ctx, const struct of_tap_msg *m);

#define OF_MAX_TAPS 8

/* Register @fn with @ctx: 0, -EEXIST when that pair is already there,
 * -ENOSPC past OF_MAX_TAPS. Taps are called in the order they were added. */
int of_core_add_tap(struct of_core *core, of_tap_fn fn, void *ctx);
/* Remove the pair (nothing when it is not registered). */
void of_core_remove_tap(struct of_core *core, of_tap_fn fn, void *ctx);

#endif
