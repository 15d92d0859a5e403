/* of_provider.h - what an OpenFlow module sees: the broker between switch
 * connections and the modules (hub, learning-switch, later the slices).
 *
 * A module subscribes to switch up/down, packet-in, port-status,
 * flow-removed and errors, and sends flow-mods, packet-outs, barriers and
 * stats requests, all in the version-independent structs of of_types.h. It
 * never sees a socket, a wire format or an OpenFlow version number it has
 * to act on: the provider encodes for whatever each switch negotiated.
 *
 * Everything goes through struct of_provider's ops (one send op for every
 * message, and the switch's features and ports), so a FlowVisor-style
 * slicer can later hand each slice's modules its own provider that filters
 * events by flowspace, rewrites or refuses what they send and shows each
 * slice its own ports, with no change to the modules. nfpd's core
 * (of_core.c) is the provider that talks to the real switches.
 *
 * Callbacks run on nfpd's event loop; pointers they receive (the packet in a
 * packet-in, a stats body) are valid only during the call. Sends made inside
 * a callback are buffered and written once the current batch of messages
 * has been handled. A send from outside any callback (an API command) is
 * written at once; should that write find the connection dead, the switch
 * is gone (switch_down was delivered) and its handle must not be used
 * again.
 */
#ifndef NFP_OF_PROVIDER_H
#define NFP_OF_PROVIDER_H

#include "openflow/of_codec.h"

#include <stdbool.h>
#include <stdint.h>

struct of_switch; /* one connected, handshaken switch */
struct of_provider;

#define OF_MAX_SUBSCRIBERS 32 /* a module on a slice takes one too (slicing/slicer.c) */

/* What a packet-in handler tells the broker: let later subscribers see the
 * packet too, or stop here (Floodlight's Command.CONTINUE / STOP). */
enum of_disposition { OF_CONTINUE = 0, OF_STOP = 1 };

struct of_listener {
	/* after the handshake (features, ports, config): the switch is usable */
	void (*switch_up)(void *ctx, struct of_switch *sw);
	/* the connection is gone (or replaced by a newer one of the same DPID);
	 * @sw is still readable during the call, and invalid after it */
	void (*switch_down)(void *ctx, struct of_switch *sw);
	enum of_disposition (*packet_in)(void *ctx, struct of_switch *sw,
					 const struct of_packet_in *pi);
	void (*port_status)(void *ctx, struct of_switch *sw, const struct of_port_status *ps);
	void (*flow_removed)(void *ctx, struct of_switch *sw, const struct of_flow_removed *fr);
	/* an ERROR from the switch for a message with no reply callback, such
	 * as a flow-mod (@xid is what of_send_flow_mod returned) */
	void (*error)(void *ctx, struct of_switch *sw, uint32_t xid, const struct of_error_msg *e);
};

/* The answer to a barrier or a stats request. */
struct of_reply {
	int status;              /* 0, -EPROTO (the switch sent an ERROR: see error),
				    -ETIMEDOUT, -ENOTCONN (switch went away) */
	const struct of_error_msg *error;
	uint16_t stats_type;     /* enum of_stats_type */
	uint8_t version;         /* for the body iterators of of_codec.h */
	const uint8_t *body;     /* reassembled from every MORE part */
	size_t body_len;
};
typedef void (*of_reply_cb)(struct of_switch *sw, const struct of_reply *r, void *ctx);

struct of_provider_ops {
	int (*subscribe)(struct of_provider *p, const struct of_listener *l, void *ctx);
	void (*unsubscribe)(struct of_provider *p, int id);
	/* Every send goes through this one op: flow-mods and packet-outs (@cb
	 * NULL), barriers and stats requests (@cb called exactly once). A
	 * slicer checks, rewrites or refuses a slice's messages here. */
	int (*send)(struct of_provider *p, struct of_switch *sw, const struct of_msg *m,
		    of_reply_cb cb, void *ctx);
	/* What the provider shows of a switch (a slice: its own view). */
	const struct of_features *(*features)(struct of_provider *p, const struct of_switch *sw);
	const struct of_port *(*ports)(struct of_provider *p, const struct of_switch *sw,
				       size_t *n);
};

struct of_provider {
	const struct of_provider_ops *ops;
};

/* Subscribe; returns a subscriber id (>= 0, also the slot for per-switch
 * module data) or -ENOSPC. Switches already up are announced at once. */
static inline int of_subscribe(struct of_provider *p, const struct of_listener *l, void *ctx)
{
	return p->ops->subscribe(p, l, ctx);
}
static inline void of_unsubscribe(struct of_provider *p, int id)
{
	p->ops->unsubscribe(p, id);
}
/* Sends return the xid used (>= 0) or a negative errno: -EINVAL when the
 * message cannot be said in the switch's version, -ENOTCONN, -ENOMEM. */
static inline int of_send(struct of_provider *p, struct of_switch *sw, const struct of_msg *m,
			  of_reply_cb cb, void *ctx)
{
	return p->ops->send(p, sw, m, cb, ctx);
}
static inline int of_send_flow_mod(struct of_provider *p, struct of_switch *sw,
				   const struct of_flow_mod *fm)
{
	struct of_msg m = { .kind = OF_MSG_FLOW_MOD, .flow_mod = fm };

	return p->ops->send(p, sw, &m, NULL, NULL);
}
static inline int of_send_packet_out(struct of_provider *p, struct of_switch *sw,
				     const struct of_packet_out *po)
{
	struct of_msg m = { .kind = OF_MSG_PACKET_OUT, .packet_out = po };

	return p->ops->send(p, sw, &m, NULL, NULL);
}
/* @cb is called exactly once: with the reply, an error, a timeout, or
 * -ENOTCONN when the switch goes away first. */
static inline int of_send_barrier(struct of_provider *p, struct of_switch *sw, of_reply_cb cb,
				  void *ctx)
{
	struct of_msg m = { .kind = OF_MSG_BARRIER };

	return p->ops->send(p, sw, &m, cb, ctx);
}
static inline int of_send_stats_request(struct of_provider *p, struct of_switch *sw,
					const struct of_stats_request *rq, of_reply_cb cb,
					void *ctx)
{
	struct of_msg m = { .kind = OF_MSG_STATS_REQUEST, .stats_request = rq };

	return p->ops->send(p, sw, &m, cb, ctx);
}

/* ---- what a module may read of a switch ---- */
/* Features and ports as @p presents them (a slice may show fewer ports). */
static inline const struct of_features *of_get_features(struct of_provider *p,
							  const struct of_switch *sw)
{
	return p->ops->features(p, sw);
}
static inline const struct of_port *of_get_ports(struct of_provider *p, const struct of_switch *sw,
						 size_t *n)
{
	return p->ops->ports(p, sw, n);
}
uint64_t of_switch_dpid(const struct of_switch *sw);
/* How many packet-ins the switch has sent, this one included while a
 * packet-in is being delivered: with the switch, it names the packet-in, so
 * a subscriber can tell whether it has seen the one it is handed. */
uint64_t of_switch_packet_in_seq(const struct of_switch *sw);
uint8_t of_switch_version(const struct of_switch *sw);
/* Per-subscriber data hung on the switch (slot = subscriber id). */
void *of_switch_get_data(const struct of_switch *sw, int id);
void of_switch_set_data(struct of_switch *sw, int id, void *data);

/* ---- built-in modules (of_modules.c) ---- */
struct of_module {
	const char *name;
	const char *summary;
	/* Subscribe to @p; *state is handed back to stop(). */
	int (*start)(struct of_provider *p, void **state);
	void (*stop)(void *state);
};
const struct of_module *of_module_find(const char *name);
extern const struct of_module *const of_modules[]; /* NULL-terminated */

#endif
