/* of_core_priv.h - the structs shared by the core's files (of_core.c: the
 * broker and timers; of_conn.c: one switch connection; of_listen.c:
 * accepting). Nothing outside user/openflow/of_{core,conn,listen}.c
 * includes it.
 */
#ifndef NFP_OF_CORE_PRIV_H
#define NFP_OF_CORE_PRIV_H

#include "openflow/of_core.h"

#define OF_IN_BUF (80u * 1024)        /* per connection; > 1 maximal message (64 KiB) */
#define OF_OUT_PAUSE (8u << 20)       /* stop reading while this much is unsent */
#define OF_OUT_RESUME (1u << 20)
#define OF_MAX_LISTENERS 16
#define OF_MAX_PORTS 4096             /* per switch */

enum of_conn_state {
	OF_CONN_HELLO,      /* our HELLO sent, waiting for theirs */
	OF_CONN_FEATURES,   /* FEATURES_REQUEST sent */
	OF_CONN_PORT_DESC,  /* 1.3: PORT_DESC multipart requested */
	OF_CONN_READY,      /* modules were told switch_up */
	OF_CONN_CLOSED,     /* waiting to be freed at the end of the round */
};

struct of_pending {
	struct of_pending *next;
	uint32_t xid;
	bool internal;      /* the handshake's own request */
	of_reply_cb cb;
	void *ctx;
	uint64_t deadline_ms;
	struct of_mp_assembly mp;
};

struct of_switch {
	struct of_core *core;
	struct of_switch *next;        /* core->conns */
	struct of_switch *next_dirty;  /* core->dirty, when it has unsent output */
	bool dirty;
	int fd;
	struct nfp_loop_fd *h;
	uint32_t epoll_events;
	char peer[64];
	enum of_conn_state state;
	uint8_t version;
	struct of_features features;   /* ports/ports_len unused: see ports */
	struct of_port *ports;
	size_t n_ports, cap_ports;
	uint8_t *in;
	size_t in_len;
	struct of_buf out;
	size_t out_sent;
	uint32_t next_xid;
	uint64_t connected_ms, last_rx_ms, echo_sent_ms;
	bool echo_outstanding;
	bool read_paused;
	uint32_t errors_logged;
	struct of_pending *pending;
	void *data[OF_MAX_SUBSCRIBERS];
	struct of_switch_stats stats;
};

struct of_subscriber {
	const struct of_listener *l;
	void *ctx;
};

struct of_tap_entry {
	of_tap_fn fn;
	void *ctx;
};

struct of_listen_sock {
	int fd;
	struct nfp_loop_fd *h;
	char addr[64];
};

struct of_core {
	struct of_provider provider;   /* first: the broker modules see */
	struct nfp_loop *loop;
	of_event_fn publish;
	void *publish_ctx;
	struct of_core_config cfg;
	struct of_switch *conns;
	struct of_switch *dirty;
	struct of_switch *dead;        /* closed, freed at the end of the round */
	int dispatch_depth;
	struct of_subscriber subs[OF_MAX_SUBSCRIBERS];
	struct of_tap_entry taps[OF_MAX_TAPS];
	int n_taps;
	struct of_listen_sock listeners[OF_MAX_LISTENERS];
	int n_listeners;
	struct nfp_loop_timer *tick;
};

/* of_conn.c */
struct of_switch *of_conn_new(struct of_core *core, int fd, const char *peer);
void of_conn_close(struct of_switch *sw, const char *why);
void of_conn_free(struct of_switch *sw);
void of_conn_mark_dirty(struct of_switch *sw);
void of_conn_flush(struct of_switch *sw);
void of_conn_tick(struct of_switch *sw, uint64_t now);
uint32_t of_conn_xid(struct of_switch *sw);
int of_conn_add_pending(struct of_switch *sw, uint32_t xid, bool internal, of_reply_cb cb,
			void *ctx);
void of_conn_finish_pending(struct of_switch *sw, struct of_pending *p,
			    const struct of_reply *r);

/* of_core.c: called by the connection */
/* The one send chokepoint: encode @m for @sw, register @cb for a reply
 * (barrier, stats request), count it, pass it to the taps, and have it
 * written. Does not check that the switch is usable (the handshake sends
 * its table-miss entry through it too). Returns the xid or -errno. */
int of_core_send(struct of_switch *sw, const struct of_msg *m, of_reply_cb cb, void *ctx);
void of_core_run_taps(struct of_core *core, enum of_tap_dir dir, const struct of_switch *sw,
		      uint32_t xid, const struct of_msg *m, const uint8_t *wire, size_t len);
static inline void of_core_tap(struct of_core *core, enum of_tap_dir dir,
			       const struct of_switch *sw, uint32_t xid, const struct of_msg *m,
			       const uint8_t *wire, size_t len)
{
	if (__builtin_expect(core->n_taps != 0, 0))
		of_core_run_taps(core, dir, sw, xid, m, wire, len);
}
void of_core_enter(struct of_core *core);
void of_core_leave(struct of_core *core); /* flushes and frees when outermost */
void of_core_switch_ready(struct of_core *core, struct of_switch *sw);
void of_core_switch_gone(struct of_core *core, struct of_switch *sw, const char *why);
void of_core_deliver_packet_in(struct of_core *core, struct of_switch *sw,
			       const struct of_packet_in *pi);
void of_core_deliver_port_status(struct of_core *core, struct of_switch *sw,
				 const struct of_port_status *ps);
void of_core_deliver_flow_removed(struct of_core *core, struct of_switch *sw,
				  const struct of_flow_removed *fr);
void of_core_deliver_error(struct of_core *core, struct of_switch *sw, uint32_t xid,
			   const struct of_error_msg *e);

#endif
