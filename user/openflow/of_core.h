/* of_core.h - nfpd's OpenFlow controller core: listening sockets, switch
 * connections (handshake, echo, xids), and the broker that implements
 * of_provider.h for the modules. Used by of_subsys.c (start-up), the API
 * commands and the tests; modules use of_provider.h only.
 */
#ifndef NFP_OF_CORE_H
#define NFP_OF_CORE_H

#include "common/loop.h"
#include "openflow/of_provider.h"
#include "openflow/of_tap.h"

#include <jansson.h>

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct of_core;

/* Where switch_up / switch_down / port_status events go (nfpd: the API's
 * event stream). Takes ownership of @body. */
typedef void (*of_event_fn)(void *ctx, const char *type, json_t *body);

struct of_core_config {
	uint32_t echo_interval_ms;   /* idle this long: send an ECHO_REQUEST */
	uint32_t echo_timeout_ms;    /* no answer this long after it: drop */
	uint32_t handshake_timeout_ms;
	uint32_t request_timeout_ms; /* barrier / stats replies */
	uint32_t tick_ms;            /* how often the timers above are checked */
};
void of_core_default_config(struct of_core_config *cfg);

/* @publish may be NULL (no events, in tests); @cfg NULL: defaults. */
struct of_core *of_core_new(struct nfp_loop *loop, of_event_fn publish, void *publish_ctx,
			    const struct of_core_config *cfg);
/* Close every connection (switch_down to the modules) and listener. */
void of_core_free(struct of_core *core);
struct of_provider *of_core_provider(struct of_core *core);

/* Listen on "ADDR:PORT" ("127.0.0.1:6653", "[::1]:6653", "0.0.0.0:6633").
 * Returns 0 or -errno with @err naming what failed. */
int of_core_listen(struct of_core *core, const char *addr_port, char *err, size_t err_len);
/* Adopt a connected socket as a switch connection (tests use socketpairs). */
int of_core_adopt_fd(struct of_core *core, int fd, const char *peer);

/* ---- introspection for the API ---- */
struct of_switch_stats {
	uint64_t rx_msgs, tx_msgs, packet_ins, packet_outs, flow_mods, errors_rx, echo_sent;
};
struct of_switch_view {
	uint64_t dpid;
	uint8_t version;
	const char *peer;
	uint64_t connected_ms;   /* nfp_now_ms() at accept */
	const struct of_features *features;
	struct of_switch_stats stats;
	size_t n_ports;
};
/* The switch as it is, whatever a provider shows of it (the API, tests). */
const struct of_features *of_switch_features(const struct of_switch *sw);
const struct of_port *of_switch_ports(const struct of_switch *sw, size_t *n);
/* Call @fn for each switch that finished its handshake. */
void of_core_foreach_switch(struct of_core *core,
			    void (*fn)(struct of_switch *sw, const struct of_switch_view *v, void *ctx),
			    void *ctx);
struct of_switch *of_core_find_switch(struct of_core *core, uint64_t dpid);
void of_switch_view(const struct of_switch *sw, struct of_switch_view *v);
/* Connections that have not finished the handshake, and listeners. */
size_t of_core_pending_count(const struct of_core *core);
size_t of_core_listener_count(const struct of_core *core);

#endif
