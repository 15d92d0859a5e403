/* proxy.h - a slice whose controller is external (tcp:HOST:PORT): for each
 * switch the slice has, nfpd opens its own OpenFlow session to that
 * controller and is the switch there, as FlowVisor is.
 *
 * Toward the controller: HELLO in the switch's version, features with the
 * slice's ports only, its config, echo answered here; the slice's
 * packet-ins, port status, flow-removed and errors (of requests it made)
 * forwarded. From the controller: flow-mods, packet-outs, barriers and
 * stats requests go through the slice's provider (slicer.h), which cuts
 * them to the flowspace; what it refuses comes back as the OpenFlow error
 * it is (flow-mod outside the flowspace or over quota: FLOW_MOD_FAILED
 * EPERM; an output not allowed: BAD_ACTION EPERM; an unknown buffer:
 * BUFFER_UNKNOWN; over the rate: BAD_REQUEST EPERM) with the request's
 * own xid and the whole request as data. Replies and switch errors reach
 * the controller under its own xids (the provider hands out the switch's).
 * A session that fails or closes is opened again with a back-off (0.5 s
 * doubling to 8 s) while the switch is up. While a switch's session is
 * down, a packet-in the slice may write gets FlowVisor's drop rule instead
 * (ADD, no actions, priority 0, idle 1 s, SEND_FLOW_REM): on the packet
 * exactly (drop policy "exact") or on its flowspace rule's match ("rule").
 * Packet-ins for a controller
 * that has 1 MiB unread are dropped and counted: the queue stays bounded.
 */
#ifndef NFP_SLICING_PROXY_H
#define NFP_SLICING_PROXY_H

#include "common/loop.h"
#include "openflow/of_provider.h"
#include "slicing/config.h"
#include "slicing/slicer.h"

#include <stdint.h>

struct fs_proxy;

struct fs_proxy_stats {
	uint64_t sessions;      /* sessions that completed the hello */
	uint64_t to_controller; /* messages forwarded to it */
	uint64_t from_controller;
	uint64_t errors_sent;   /* requests refused, answered with an error */
	uint64_t reconnects;
	uint64_t packet_ins_dropped; /* the controller was too far behind */
	uint64_t drop_rules;         /* installed while it was away */
};

/* Proxy the switches of @slice to "tcp:HOST:PORT" in @controller. NULL
 * with errno: EINVAL for a bad address, ENOMEM. */
struct fs_proxy *fs_proxy_start(struct nfp_loop *loop, struct fs_slice *slice,
				const char *controller, enum fs_drop_policy drop);
void fs_proxy_stop(struct fs_proxy *px);
void fs_proxy_stats(const struct fs_proxy *px, struct fs_proxy_stats *st);
/* Sessions open now (past the hello). */
unsigned fs_proxy_connected(const struct fs_proxy *px);

#endif
