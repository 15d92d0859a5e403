/* of_core.c - the broker: the list of switch connections, DPID ownership
 * (a reconnecting DPID replaces its old connection), the subscribers and
 * the of_provider implementation they send through, the API events, and
 * the periodic tick (echo probes, timeouts).
 *
 * Every entry from the event loop is bracketed by of_core_enter/leave: the
 * outermost leave writes every connection's pending output once and frees
 * connections closed during the round, so a callback may close or send to
 * any switch without pulling the rug from under the code that called it.
 */
#include "openflow/of_core_priv.h"
#include "common/hex.h"
#include "common/text.h"
#include "common/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void of_core_default_config(struct of_core_config *cfg)
{
	/* OVS drops a silent controller after 5 s + 15 s; probe well before */
	cfg->echo_interval_ms = 5000;
	cfg->echo_timeout_ms = 15000;
	cfg->handshake_timeout_ms = 10000;
	cfg->request_timeout_ms = 10000;
	cfg->tick_ms = 1000;
}

/* ---- rounds ---- */

void of_core_enter(struct of_core *core)
{
	core->dispatch_depth++;
}

void of_core_leave(struct of_core *core)
{
	if (--core->dispatch_depth > 0)
		return;
	while (core->dirty) {
		struct of_switch *sw = core->dirty;

		core->dirty = sw->next_dirty;
		sw->dirty = false;
		if (sw->state != OF_CONN_CLOSED)
			of_conn_flush(sw);
	}
	while (core->dead) {
		struct of_switch *sw = core->dead;

		core->dead = sw->next;
		of_conn_free(sw);
	}
}

/* ---- events for the API stream ---- */

static json_t *dpid_json(uint64_t dpid)
{
	char s[17];

	snprintf(s, sizeof(s), "%016llx", (unsigned long long)dpid);
	return json_string(s);
}

static void publish(struct of_core *core, const char *type, json_t *body)
{
	if (core->publish)
		core->publish(core->publish_ctx, type, body);
	else
		json_decref(body);
}

/* ---- switch life ---- */

void of_core_switch_ready(struct of_core *core, struct of_switch *sw)
{
	/* the newest connection of a DPID wins: the old one is most likely
	 * dead without its TCP having noticed yet */
	for (struct of_switch *o = core->conns; o; o = o->next) {
		if (o != sw && o->state != OF_CONN_CLOSED && o->version &&
		    o->features.dpid == sw->features.dpid && o->state >= OF_CONN_PORT_DESC) {
			of_conn_close(o, "replaced by a new connection from the same DPID");
			break;
		}
	}
	log_info("openflow: switch %016llx up (OpenFlow %s, %s, %zu ports)",
		 (unsigned long long)sw->features.dpid, of_version_name(sw->version), sw->peer,
		 sw->n_ports);
	publish(core, "switch_up",
		json_pack("{s:o, s:s, s:s, s:I}", "dpid", dpid_json(sw->features.dpid), "version",
			  of_version_name(sw->version), "peer", sw->peer, "n_ports",
			  (json_int_t)sw->n_ports));
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		if (core->subs[i].l && core->subs[i].l->switch_up)
			core->subs[i].l->switch_up(core->subs[i].ctx, sw);
		if (sw->state == OF_CONN_CLOSED)
			return;
	}
}

void of_core_switch_gone(struct of_core *core, struct of_switch *sw, const char *why)
{
	log_info("openflow: switch %016llx down (%s): %s", (unsigned long long)sw->features.dpid,
		 sw->peer, why);
	publish(core, "switch_down",
		json_pack("{s:o, s:s, s:s}", "dpid", dpid_json(sw->features.dpid), "peer", sw->peer,
			  "reason", why));
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++)
		if (core->subs[i].l && core->subs[i].l->switch_down)
			core->subs[i].l->switch_down(core->subs[i].ctx, sw);
}

void of_core_deliver_packet_in(struct of_core *core, struct of_switch *sw,
			       const struct of_packet_in *pi)
{
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		const struct of_listener *l = core->subs[i].l;

		if (l && l->packet_in && l->packet_in(core->subs[i].ctx, sw, pi) == OF_STOP)
			return;
		if (sw->state == OF_CONN_CLOSED)
			return;
	}
}

void of_core_deliver_port_status(struct of_core *core, struct of_switch *sw,
				 const struct of_port_status *ps)
{
	static const char *const reasons[] = { "add", "delete", "modify" };
	char mac[NFP_MAC_STRLEN], name[sizeof(ps->port.name)];

	nfp_mac_str(ps->port.hw_addr, mac);
	/* the switch's bytes: JSON takes UTF-8 only, and the event must go */
	snprintf(name, sizeof(name), "%s", ps->port.name);
	nfp_text_sanitize(name);
	publish(core, "port_status",
		json_pack("{s:o, s:s, s:I, s:s, s:s, s:b, s:b}", "dpid",
			  dpid_json(sw->features.dpid), "reason", reasons[ps->reason], "port",
			  (json_int_t)ps->port.port_no, "name", name, "hw_addr", mac,
			  "link_down", (ps->port.state & OF_PORT_STATE_LINK_DOWN) != 0,
			  "admin_down", (ps->port.config & OF_PORT_CONFIG_DOWN) != 0));
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		if (core->subs[i].l && core->subs[i].l->port_status)
			core->subs[i].l->port_status(core->subs[i].ctx, sw, ps);
		if (sw->state == OF_CONN_CLOSED)
			return;
	}
}

void of_core_deliver_flow_removed(struct of_core *core, struct of_switch *sw,
				  const struct of_flow_removed *fr)
{
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		if (core->subs[i].l && core->subs[i].l->flow_removed)
			core->subs[i].l->flow_removed(core->subs[i].ctx, sw, fr);
		if (sw->state == OF_CONN_CLOSED)
			return;
	}
}

void of_core_deliver_error(struct of_core *core, struct of_switch *sw, uint32_t xid,
			   const struct of_error_msg *e)
{
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		if (core->subs[i].l && core->subs[i].l->error)
			core->subs[i].l->error(core->subs[i].ctx, sw, xid, e);
		if (sw->state == OF_CONN_CLOSED)
			return;
	}
}

/* ---- the provider ---- */

static struct of_core *core_of(struct of_provider *p)
{
	return (struct of_core *)p; /* the provider is the core's first member */
}

static int core_subscribe(struct of_provider *p, const struct of_listener *l, void *ctx)
{
	struct of_core *core = core_of(p);

	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		if (core->subs[i].l)
			continue;
		core->subs[i].l = l;
		core->subs[i].ctx = ctx;
		of_core_enter(core);
		for (struct of_switch *sw = core->conns; sw; sw = sw->next)
			if (sw->state == OF_CONN_READY && l->switch_up)
				l->switch_up(ctx, sw);
		of_core_leave(core);
		return i;
	}
	return -ENOSPC;
}

static void core_unsubscribe(struct of_provider *p, int id)
{
	struct of_core *core = core_of(p);

	const struct of_listener *l;

	if (id < 0 || id >= OF_MAX_SUBSCRIBERS || !core->subs[id].l)
		return;
	/* the subscriber says goodbye to every switch, so it can free what it
	 * hung on them */
	l = core->subs[id].l;
	for (struct of_switch *sw = core->conns; sw; sw = sw->next) {
		if (sw->state == OF_CONN_READY && l->switch_down)
			l->switch_down(core->subs[id].ctx, sw);
		sw->data[id] = NULL;
	}
	core->subs[id].l = NULL;
}

static bool usable(const struct of_switch *sw)
{
	return sw && sw->state == OF_CONN_READY;
}

/* A send from outside a round (an API command, a test) is written at once,
 * through an empty round so a connection that fails on it is closed and
 * freed the same way as anywhere else. The caller must not use the switch
 * after sending. */
static void flush_outside_round(struct of_core *core)
{
	if (core->dispatch_depth == 0) {
		of_core_enter(core);
		of_core_leave(core);
	}
}

/* ---- the send chokepoint and the taps ---- */

int of_core_send(struct of_switch *sw, const struct of_msg *m, of_reply_cb cb, void *ctx)
{
	size_t start = sw->out.len;
	uint32_t xid = of_conn_xid(sw) & 0x7fffffff;
	uint64_t *counter = NULL;
	bool wants_reply = false;
	int r;

	switch (m->kind) {
	case OF_MSG_FLOW_MOD:
		r = of_encode_flow_mod(&sw->out, sw->version, xid, m->flow_mod);
		counter = &sw->stats.flow_mods;
		break;
	case OF_MSG_PACKET_OUT:
		r = of_encode_packet_out(&sw->out, sw->version, xid, m->packet_out);
		counter = &sw->stats.packet_outs;
		break;
	case OF_MSG_BARRIER:
		r = of_encode_simple(&sw->out, sw->version, of_type_barrier_request(sw->version),
				     xid, NULL, 0);
		wants_reply = true;
		break;
	case OF_MSG_STATS_REQUEST:
		r = of_encode_stats_request(&sw->out, sw->version, xid, m->stats_request);
		wants_reply = true;
		break;
	default:
		return -EINVAL; /* packet-ins come from switches */
	}
	if (r)
		return r;
	if (wants_reply && (r = of_conn_add_pending(sw, xid, false, cb, ctx))) {
		sw->out.len = start;
		return r;
	}
	if (counter)
		(*counter)++;
	of_core_tap(sw->core, OF_TAP_OUT, sw, xid, m, sw->out.data + start, sw->out.len - start);
	sw->stats.tx_msgs++;
	of_conn_mark_dirty(sw);
	flush_outside_round(sw->core);
	return (int)xid;
}

void of_core_run_taps(struct of_core *core, enum of_tap_dir dir, const struct of_switch *sw,
		      uint32_t xid, const struct of_msg *m, const uint8_t *wire, size_t len)
{
	struct of_tap_msg t = { .dir = dir, .dpid = sw->features.dpid, .version = sw->version,
				.xid = xid, .msg = *m, .wire = wire, .wire_len = len };

	for (int i = 0; i < core->n_taps; i++)
		core->taps[i].fn(core->taps[i].ctx, &t);
}

int of_core_add_tap(struct of_core *core, of_tap_fn fn, void *ctx)
{
	for (int i = 0; i < core->n_taps; i++)
		if (core->taps[i].fn == fn && core->taps[i].ctx == ctx)
			return -EEXIST;
	if (core->n_taps >= OF_MAX_TAPS)
		return -ENOSPC;
	core->taps[core->n_taps++] = (struct of_tap_entry){ fn, ctx };
	return 0;
}

void of_core_remove_tap(struct of_core *core, of_tap_fn fn, void *ctx)
{
	for (int i = 0; i < core->n_taps; i++) {
		if (core->taps[i].fn == fn && core->taps[i].ctx == ctx) {
			memmove(&core->taps[i], &core->taps[i + 1],
				(size_t)(core->n_taps - i - 1) * sizeof(core->taps[0]));
			core->n_taps--;
			return;
		}
	}
}

/* The provider's send op: only to switches that finished the handshake. */
static int core_send(struct of_provider *p, struct of_switch *sw, const struct of_msg *m,
		     of_reply_cb cb, void *ctx)
{
	(void)p;
	if (!usable(sw))
		return -ENOTCONN;
	return of_core_send(sw, m, cb, ctx);
}

static const struct of_features *core_features(struct of_provider *p, const struct of_switch *sw)
{
	(void)p;
	return of_switch_features(sw);
}

static const struct of_port *core_ports(struct of_provider *p, const struct of_switch *sw,
					size_t *n)
{
	(void)p;
	return of_switch_ports(sw, n);
}

static const struct of_provider_ops core_ops = {
	.subscribe = core_subscribe,
	.unsubscribe = core_unsubscribe,
	.send = core_send,
	.features = core_features,
	.ports = core_ports,
};

/* ---- switch accessors ---- */

uint64_t of_switch_packet_in_seq(const struct of_switch *sw)
{
	return sw->stats.packet_ins;
}

uint64_t of_switch_dpid(const struct of_switch *sw)
{
	return sw->features.dpid;
}

uint8_t of_switch_version(const struct of_switch *sw)
{
	return sw->version;
}

const struct of_features *of_switch_features(const struct of_switch *sw)
{
	return &sw->features;
}

const struct of_port *of_switch_ports(const struct of_switch *sw, size_t *n)
{
	*n = sw->n_ports;
	return sw->ports;
}

void *of_switch_get_data(const struct of_switch *sw, int id)
{
	return id >= 0 && id < OF_MAX_SUBSCRIBERS ? sw->data[id] : NULL;
}

void of_switch_set_data(struct of_switch *sw, int id, void *data)
{
	if (id >= 0 && id < OF_MAX_SUBSCRIBERS)
		sw->data[id] = data;
}

/* ---- the core ---- */

static void on_tick(struct nfp_loop_timer *t, void *ctx)
{
	struct of_core *core = ctx;
	uint64_t now = nfp_now_ms();
	struct of_switch *sw, *next;

	(void)t;
	of_core_enter(core);
	for (sw = core->conns; sw; sw = next) {
		next = sw->next;
		of_conn_tick(sw, now);
	}
	of_core_leave(core);
}

struct of_core *of_core_new(struct nfp_loop *loop, of_event_fn publish, void *publish_ctx,
			    const struct of_core_config *cfg)
{
	struct of_core *core = calloc(1, sizeof(*core));

	if (!core)
		return NULL;
	core->provider.ops = &core_ops;
	core->loop = loop;
	core->publish = publish;
	core->publish_ctx = publish_ctx;
	if (cfg)
		core->cfg = *cfg;
	else
		of_core_default_config(&core->cfg);
	core->tick = nfp_loop_add_timer(loop, core->cfg.tick_ms, core->cfg.tick_ms, on_tick, core);
	if (!core->tick) {
		free(core);
		return NULL;
	}
	return core;
}

void of_core_free(struct of_core *core)
{
	if (!core)
		return;
	of_core_enter(core);
	while (core->conns)
		of_conn_close(core->conns, "nfpd is stopping");
	of_core_leave(core);
	for (int i = 0; i < core->n_listeners; i++) {
		nfp_loop_del_fd(core->listeners[i].h);
		close(core->listeners[i].fd);
	}
	nfp_loop_del_timer(core->tick);
	free(core);
}

struct of_provider *of_core_provider(struct of_core *core)
{
	return &core->provider;
}

int of_core_adopt_fd(struct of_core *core, int fd, const char *peer)
{
	struct of_switch *sw;

	of_core_enter(core);
	sw = of_conn_new(core, fd, peer);
	if (sw) {
		sw->next = core->conns;
		core->conns = sw;
	}
	of_core_leave(core);
	return sw ? 0 : -ENOMEM;
}

void of_switch_view(const struct of_switch *sw, struct of_switch_view *v)
{
	v->dpid = sw->features.dpid;
	v->version = sw->version;
	v->peer = sw->peer;
	v->connected_ms = sw->connected_ms;
	v->features = &sw->features;
	v->stats = sw->stats;
	v->n_ports = sw->n_ports;
}

void of_core_foreach_switch(struct of_core *core,
			    void (*fn)(struct of_switch *sw, const struct of_switch_view *v, void *ctx),
			    void *ctx)
{
	for (struct of_switch *sw = core->conns; sw; sw = sw->next) {
		struct of_switch_view v;

		if (sw->state != OF_CONN_READY)
			continue;
		of_switch_view(sw, &v);
		fn(sw, &v, ctx);
	}
}

struct of_switch *of_core_find_switch(struct of_core *core, uint64_t dpid)
{
	for (struct of_switch *sw = core->conns; sw; sw = sw->next)
		if (sw->state == OF_CONN_READY && sw->features.dpid == dpid)
			return sw;
	return NULL;
}

size_t of_core_pending_count(const struct of_core *core)
{
	size_t n = 0;

	for (const struct of_switch *sw = core->conns; sw; sw = sw->next)
		n += sw->state != OF_CONN_READY;
	return n;
}

size_t of_core_listener_count(const struct of_core *core)
{
	return (size_t)core->n_listeners;
}
