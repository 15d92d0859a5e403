/* slicer.c - see slicer.h.
 *
 * Each subscription a module makes on a slice's provider is one
 * subscription on the core with a filtering shim in front of it (struct
 * fs_sub): the core hands out the subscriber id, so the per-switch data
 * slots modules keep (of_switch_set_data) never collide between slices,
 * and each slice decides on its own what reaches its module.
 */
#include "slicing/slicer.h"
#include "slicing/fs_map_impl.h"
#include "common/loop.h"
#include "openflow/of_codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Buffer ids a slice may use: a direct-mapped table, so a controller that
 * answers thousands of packet-ins late (a proxied one under load) still
 * finds them; a newer buffer that lands on the same slot evicts the older. */
#define SLICE_BUFFERS 65536
#define SLICE_BUCKETS 64  /* switches a slice's rate limit tracks at once */
#define SLICE_XIDS 256    /* requests whose errors go back to the slice */
#define SLICE_PROBES 64   /* LLDP probes a slice sent lately */
#define PROBE_LIFE_MS 10000

struct fs_sub {
	struct fs_slice *slice;
	const struct of_listener *l;
	void *ctx;
	int core_id;          /* -1: free */
	uint64_t *up;         /* dpids announced to it */
	size_t n_up, cap_up;
};

struct port_cache {
	uint64_t dpid;
	unsigned gen;
	bool all;             /* a rule there leaves in_port open */
	uint32_t *ports;
	size_t n;
};

struct fs_slice {
	struct of_provider prov; /* first: the provider is the slice */
	struct fs_slicer *sl;
	char name[FS_NAME_MAX];
	struct fs_sub subs[OF_MAX_SUBSCRIBERS];
	struct fs_slice_stats st;
	struct { uint64_t dpid; uint32_t id; bool used; } *bufs; /* SLICE_BUFFERS */
	struct { uint64_t dpid; uint32_t xid; } xids[SLICE_XIDS];
	unsigned n_xids;
	struct port_cache *pcache;
	size_t n_pcache;
	struct of_port *view; /* what the ports op returned last */
	size_t view_cap;
	struct stats_wrap *pending; /* its stats requests not answered yet */
	bool recv_lldp;       /* LLDP that is not its own probe reaches it too */
	struct { uint64_t hash, until_ms; } probes[SLICE_PROBES];
	unsigned n_probes;
	int64_t max_entries;  /* -1: no limit */
	int64_t rate;         /* messages per second per switch; -1: no limit */
	struct { uint64_t dpid; double tokens; uint64_t at_ms; bool used; } buckets[SLICE_BUCKETS];
	struct fs_slice *next;
};

struct fs_slicer {
	struct of_provider *core;
	struct fs_map *map;
	unsigned gen;           /* bumped when the map changes */
	int core_id;            /* its own subscription: the counters */
	struct fs_slice *slices;
	struct fs_slicer_stats st;
	/* the rule of the packet-in being delivered: every slice's shim asks
	 * about the same packet, and a lookup is done once */
	const struct of_switch *cls_sw;
	uint64_t cls_seq;
	unsigned cls_gen;
	const struct fs_rule *cls_rule;
};

static const struct of_provider_ops slice_ops;

/* ---- what a slice owns ---- */

static bool rule_on(const struct fs_rule *r, uint64_t dpid)
{
	return r->any_dpid || r->dpid == dpid;
}

static const struct port_cache *ports_of(struct fs_slicer *s, struct fs_slice *sl, uint64_t dpid)
{
	struct port_cache *c = NULL;
	size_t n = fs_map_size(s->map);

	for (size_t i = 0; i < sl->n_pcache; i++)
		if (sl->pcache[i].dpid == dpid)
			c = &sl->pcache[i];
	if (c && c->gen == s->gen)
		return c;
	if (!c) {
		struct port_cache *grown = realloc(sl->pcache, (sl->n_pcache + 1) * sizeof(*grown));

		if (!grown)
			return NULL;
		sl->pcache = grown;
		c = &sl->pcache[sl->n_pcache++];
		memset(c, 0, sizeof(*c));
		c->dpid = dpid;
	}
	c->gen = s->gen;
	c->all = false;
	c->n = 0;
	for (size_t i = 0; i < n; i++) {
		const struct fs_rule *r = fs_map_rule(s->map, i);
		bool known = false;
		uint32_t *grown;

		if (!rule_on(r, dpid) || !fs_rule_perm(r, sl->name))
			continue;
		if (!(r->match.fields & OF_F_IN_PORT)) {
			c->all = true;
			break;
		}
		for (size_t k = 0; k < c->n && !known; k++)
			known = c->ports[k] == r->match.in_port;
		if (known)
			continue;
		grown = realloc(c->ports, (c->n + 1) * sizeof(*grown));
		if (!grown)
			return NULL;
		c->ports = grown;
		c->ports[c->n++] = r->match.in_port;
	}
	return c;
}

bool fs_slice_has_port(const struct fs_slicer *s, const struct fs_slice *slice, uint64_t dpid,
		       uint32_t port)
{
	const struct port_cache *c = ports_of((struct fs_slicer *)s, (struct fs_slice *)slice, dpid);

	if (!c)
		return false;
	if (c->all)
		return port < OF_PORT_MAX;
	for (size_t i = 0; i < c->n; i++)
		if (c->ports[i] == port)
			return true;
	return false;
}

static bool has_flowspace_on(const struct fs_slicer *s, const struct fs_slice *sl, uint64_t dpid)
{
	for (size_t i = 0; i < fs_map_size(s->map); i++) {
		const struct fs_rule *r = fs_map_rule(s->map, i);

		if (rule_on(r, dpid) && fs_rule_perm(r, sl->name))
			return true;
	}
	return false;
}

static size_t buffer_slot(uint64_t dpid, uint32_t id)
{
	uint64_t h = (dpid * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)id * 0xc2b2ae3d27d4eb4full);

	return (size_t)(h >> 40) & (SLICE_BUFFERS - 1);
}

/* Does @m overlap a rule on @dpid giving the slice any of @perms? */
static bool overlaps(const struct fs_slicer *s, const struct fs_slice *sl, uint64_t dpid,
		     const struct of_match *m, uint8_t perms)
{
	for (size_t i = 0; i < fs_map_size(s->map); i++) {
		const struct fs_rule *r = fs_map_rule(s->map, i);
		struct fs_hit hit;
		size_t found = 0;

		if (!(fs_rule_perm(r, sl->name) & perms))
			continue;
		fs_map_hit(r, dpid, m, &hit, 1, &found);
		if (found)
			return true;
	}
	return false;
}

static void remember_buffer(struct fs_slice *sl, uint64_t dpid, uint32_t id)
{
	size_t i = buffer_slot(dpid, id);

	sl->bufs[i].dpid = dpid;
	sl->bufs[i].id = id;
	sl->bufs[i].used = true;
}

static bool may_use_buffer(const struct fs_slice *sl, uint64_t dpid, uint32_t id)
{
	size_t i = buffer_slot(dpid, id);

	return sl->bufs[i].used && sl->bufs[i].dpid == dpid && sl->bufs[i].id == id;
}

static void remember_xid(struct fs_slice *sl, uint64_t dpid, int xid)
{
	unsigned i;

	if (xid < 0)
		return;
	i = sl->n_xids++ % SLICE_XIDS;
	sl->xids[i].dpid = dpid;
	sl->xids[i].xid = (uint32_t)xid;
}

static bool sent_xid(const struct fs_slice *sl, uint64_t dpid, uint32_t xid)
{
	unsigned n = sl->n_xids < SLICE_XIDS ? sl->n_xids : SLICE_XIDS;

	for (unsigned i = 0; i < n; i++)
		if (sl->xids[i].dpid == dpid && sl->xids[i].xid == xid)
			return true;
	return false;
}

/* ---- LLDP: a slice's own probes come back to it ----
 * FlowVisor appends a trailer to a slice's LLDP probes to route them back.
 * A switch forwards an LLDP frame unchanged, so the frame itself names the
 * probe: the slice remembers a hash of each LLDP frame it sends out (for
 * ten seconds), and an LLDP packet-in with that hash is its probe coming
 * back, whichever port it arrives on. Nothing is added to the frame, so a
 * neighbour that is not ours sees a plain LLDP frame. Other LLDP reaches
 * only slices that asked (recv_lldp), by their flowspace as any packet. */

static bool is_lldp(const uint8_t *f, size_t len)
{
	return len >= 14 && f[12] == 0x88 && f[13] == 0xcc;
}

static uint64_t frame_hash(const uint8_t *f, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ f[i]) * 0x100000001b3ull;
	return h;
}

static void remember_probe(struct fs_slice *sl, const uint8_t *f, size_t len)
{
	unsigned i = sl->n_probes++ % SLICE_PROBES;

	sl->probes[i].hash = frame_hash(f, len);
	sl->probes[i].until_ms = nfp_now_ms() + PROBE_LIFE_MS;
}

static bool own_probe(const struct fs_slice *sl, const uint8_t *f, size_t len)
{
	uint64_t h = frame_hash(f, len), now = nfp_now_ms();

	for (unsigned i = 0; i < SLICE_PROBES; i++)
		if (sl->probes[i].hash == h && sl->probes[i].until_ms > now)
			return true;
	return false;
}

void fs_slice_set_recv_lldp(struct fs_slice *slice, bool on)
{
	slice->recv_lldp = on;
}

/* The slice's permissions for a packet-in's packet (0: not its). */
static uint8_t perm_for_packet(struct fs_slicer *s, struct fs_slice *sl, uint64_t dpid,
			       const uint8_t *data, size_t len, uint32_t in_port)
{
	struct of_match point;
	const struct fs_rule *r;

	if (!fs_match_from_frame(data, len, in_port, &point))
		return 0;
	r = fs_map_lookup(s->map, dpid, &point);
	return r ? fs_rule_perm(r, sl->name) : 0;
}

/* The rule a packet-in's packet is in (NULL: none), looked up once per
 * packet-in however many slices ask. */
static const struct fs_rule *classify(struct fs_slicer *s, struct of_switch *sw,
				      const struct of_packet_in *pi)
{
	uint64_t seq = of_switch_packet_in_seq(sw);
	struct of_match point;

	if (s->cls_sw == sw && s->cls_seq == seq && s->cls_gen == s->gen)
		return s->cls_rule;
	s->cls_sw = sw;
	s->cls_seq = seq;
	s->cls_gen = s->gen;
	s->cls_rule = fs_match_from_frame(pi->data, pi->data_len, pi->in_port, &point)
			      ? fs_map_lookup(s->map, of_switch_dpid(sw), &point)
			      : NULL;
	return s->cls_rule;
}

/* ---- from the switches: the shim in front of a module ---- */

static bool announced(struct fs_sub *sub, uint64_t dpid, bool forget)
{
	for (size_t i = 0; i < sub->n_up; i++)
		if (sub->up[i] == dpid) {
			if (forget)
				sub->up[i] = sub->up[--sub->n_up];
			return true;
		}
	return false;
}

static void shim_switch_up(void *ctx, struct of_switch *sw)
{
	struct fs_sub *sub = ctx;
	uint64_t dpid = of_switch_dpid(sw);

	if (!has_flowspace_on(sub->slice->sl, sub->slice, dpid) || announced(sub, dpid, false))
		return;
	if (sub->n_up == sub->cap_up) {
		size_t cap = sub->cap_up ? 2 * sub->cap_up : 8;
		uint64_t *grown = realloc(sub->up, cap * sizeof(*grown));

		if (!grown)
			return;
		sub->up = grown;
		sub->cap_up = cap;
	}
	sub->up[sub->n_up++] = dpid;
	if (sub->l->switch_up)
		sub->l->switch_up(sub->ctx, sw);
}

static void shim_switch_down(void *ctx, struct of_switch *sw)
{
	struct fs_sub *sub = ctx;

	if (announced(sub, of_switch_dpid(sw), true) && sub->l->switch_down)
		sub->l->switch_down(sub->ctx, sw);
}

static enum of_disposition shim_packet_in(void *ctx, struct of_switch *sw,
					  const struct of_packet_in *pi)
{
	struct fs_sub *sub = ctx;
	struct fs_slice *sl = sub->slice;
	uint64_t dpid = of_switch_dpid(sw);
	uint8_t perm;

	const struct fs_rule *rule;

	if (!sub->l->packet_in || !announced(sub, dpid, false))
		return OF_CONTINUE;
	if (is_lldp(pi->data, pi->data_len)) {
		if (own_probe(sl, pi->data, pi->data_len)) {
			sl->st.packet_ins++;
			sub->l->packet_in(sub->ctx, sw, pi);
			return OF_CONTINUE;
		}
		if (!sl->recv_lldp)
			return OF_CONTINUE;
	}
	rule = classify(sl->sl, sw, pi);
	perm = rule ? fs_rule_perm(rule, sl->name) : 0;
	if (!(perm & (FS_PERM_READ | FS_PERM_WRITE)))
		return OF_CONTINUE;
	if (pi->buffer_id != OF_NO_BUFFER && (perm & FS_PERM_WRITE))
		remember_buffer(sl, dpid, pi->buffer_id);
	sl->st.packet_ins++;
	if (pi->buffer_id != OF_NO_BUFFER && !(perm & FS_PERM_WRITE)) {
		/* a READ slice sees the packet, not the buffer */
		struct of_packet_in copy = *pi;

		copy.buffer_id = OF_NO_BUFFER;
		sub->l->packet_in(sub->ctx, sw, &copy);
	} else {
		sub->l->packet_in(sub->ctx, sw, pi);
	}
	/* another slice's module must see it too, whatever this one says */
	return OF_CONTINUE;
}

static void shim_port_status(void *ctx, struct of_switch *sw, const struct of_port_status *ps)
{
	struct fs_sub *sub = ctx;
	uint64_t dpid = of_switch_dpid(sw);

	if (sub->l->port_status && announced(sub, dpid, false) &&
	    fs_slice_has_port(sub->slice->sl, sub->slice, dpid, ps->port.port_no))
		sub->l->port_status(sub->ctx, sw, ps);
}

static void shim_flow_removed(void *ctx, struct of_switch *sw, const struct of_flow_removed *fr)
{
	struct fs_sub *sub = ctx;
	struct fs_slicer *s = sub->slice->sl;
	uint64_t dpid = of_switch_dpid(sw);

	if (!sub->l->flow_removed || !announced(sub, dpid, false))
		return;
	/* its flow if it could have written it: a WRITE rule it overlaps */
	if (!overlaps(s, sub->slice, dpid, &fr->match, FS_PERM_WRITE))
		return;
	if (sub->slice->st.flow_entries > 0)
		sub->slice->st.flow_entries--; /* it expired: released */
	sub->l->flow_removed(sub->ctx, sw, fr);
}

static void shim_error(void *ctx, struct of_switch *sw, uint32_t xid, const struct of_error_msg *e)
{
	struct fs_sub *sub = ctx;

	if (sub->l->error && sent_xid(sub->slice, of_switch_dpid(sw), xid))
		sub->l->error(sub->ctx, sw, xid, e);
}

static const struct of_listener shim_listener = {
	.switch_up = shim_switch_up,
	.switch_down = shim_switch_down,
	.packet_in = shim_packet_in,
	.port_status = shim_port_status,
	.flow_removed = shim_flow_removed,
	.error = shim_error,
};

/* ---- from a slice ---- */

/* Take a token from @dpid's bucket; false when it is empty. */
static bool within_rate(struct fs_slice *sl, uint64_t dpid)
{
	uint64_t now = nfp_now_ms();
	int free_at = -1, oldest = 0;

	if (sl->rate < 0)
		return true;
	for (int i = 0; i < SLICE_BUCKETS; i++) {
		if (!sl->buckets[i].used) {
			if (free_at < 0)
				free_at = i;
			continue;
		}
		if (sl->buckets[i].at_ms < sl->buckets[oldest].at_ms)
			oldest = i;
		if (sl->buckets[i].dpid != dpid)
			continue;
		sl->buckets[i].tokens += (double)(now - sl->buckets[i].at_ms) * (double)sl->rate / 1000;
		if (sl->buckets[i].tokens > (double)sl->rate)
			sl->buckets[i].tokens = (double)sl->rate;
		sl->buckets[i].at_ms = now;
		if (sl->buckets[i].tokens < 1)
			return false;
		sl->buckets[i].tokens -= 1;
		return true;
	}
	/* a switch not seen: a full bucket (the least recent one makes room) */
	if (free_at < 0)
		free_at = oldest;
	sl->buckets[free_at].used = true;
	sl->buckets[free_at].dpid = dpid;
	sl->buckets[free_at].at_ms = now;
	sl->buckets[free_at].tokens = (double)sl->rate - 1;
	return true;
}

/* A message over the slice's rate: counted as refused. */
static bool over_rate(struct fs_slice *sl, uint64_t dpid)
{
	if (within_rate(sl, dpid))
		return false;
	sl->st.rate_limited++;
	sl->st.eperm++;
	return true;
}

void fs_slice_set_limits(struct fs_slice *slice, int64_t flow_entries, int64_t msgs_per_s)
{
	slice->max_entries = flow_entries;
	slice->rate = msgs_per_s;
	memset(slice->buckets, 0, sizeof(slice->buckets));
}

/* Apply a set-field action to @m, the packets it acts on. False for an
 * action that sets no field. */
static bool set_field(struct of_match *m, const struct of_action *a)
{
	switch (a->type) {
	case OF_ACT_SET_VLAN_VID: m->fields |= OF_F_VLAN_VID; m->vlan_vid = (uint16_t)a->value; break;
	case OF_ACT_POP_VLAN: m->fields |= OF_F_VLAN_VID; m->vlan_vid = OF_VLAN_NONE; break;
	case OF_ACT_SET_VLAN_PCP: m->fields |= OF_F_VLAN_PCP; m->vlan_pcp = (uint8_t)a->value; break;
	case OF_ACT_SET_ETH_SRC:
		m->fields |= OF_F_ETH_SRC;
		memcpy(m->eth_src, a->mac, 6);
		memset(m->eth_src_mask, 0xff, 6);
		break;
	case OF_ACT_SET_ETH_DST:
		m->fields |= OF_F_ETH_DST;
		memcpy(m->eth_dst, a->mac, 6);
		memset(m->eth_dst_mask, 0xff, 6);
		break;
	case OF_ACT_SET_IPV4_SRC:
		m->fields |= OF_F_IPV4_SRC;
		m->ipv4_src = a->value;
		m->ipv4_src_mask = 0xffffffffu;
		break;
	case OF_ACT_SET_IPV4_DST:
		m->fields |= OF_F_IPV4_DST;
		m->ipv4_dst = a->value;
		m->ipv4_dst_mask = 0xffffffffu;
		break;
	case OF_ACT_SET_IP_DSCP: m->fields |= OF_F_IP_DSCP; m->ip_dscp = (uint8_t)a->value; break;
	case OF_ACT_SET_TP_SRC: m->fields |= OF_F_TP_SRC; m->tp_src = (uint16_t)a->value; break;
	case OF_ACT_SET_TP_DST: m->fields |= OF_F_TP_DST; m->tp_dst = (uint16_t)a->value; break;
	default: return false;
	}
	return true;
}

/* @in's actions as the slice may have them on @sw, into @out: outputs in
 * its ports (FLOOD and ALL expanded to them, but not @in_port), to the
 * controller, the table or back in; never LOCAL or NORMAL. A set-field
 * action must leave the packets (@base, the ones the actions apply to;
 * NULL: not known) in the slice's WRITE flowspace: rewriting a packet into
 * another slice's space is writing there. */
static int approve_actions(struct fs_slicer *s, struct fs_slice *sl, struct of_switch *sw,
			   const struct of_action_list *in, uint32_t in_port,
			   const struct of_match *base, struct of_action_list *out)
{
	uint64_t dpid = of_switch_dpid(sw);
	struct of_match rewritten;

	if (base)
		rewritten = *base;
	out->n = 0;
	for (uint16_t i = 0; i < in->n; i++) {
		const struct of_action *a = &in->a[i];

		if (base && set_field(&rewritten, a) && !overlaps(s, sl, dpid, &rewritten, FS_PERM_WRITE))
			return -EACCES;
		if (a->type != OF_ACT_OUTPUT) {
			if (out->n == OF_MAX_ACTIONS)
				return -E2BIG;
			out->a[out->n++] = *a;
			continue;
		}
		switch (a->value) {
		case OF_PORT_CONTROLLER:
		case OF_PORT_TABLE:
		case OF_PORT_IN_PORT:
			break;
		case OF_PORT_FLOOD:
		case OF_PORT_ALL: {
			size_t n;
			const struct of_port *ports = of_get_ports(s->core, sw, &n);

			for (size_t k = 0; k < n; k++) {
				if (ports[k].port_no == in_port ||
				    !fs_slice_has_port(s, sl, dpid, ports[k].port_no))
					continue;
				if (out->n == OF_MAX_ACTIONS)
					return -E2BIG;
				out->a[out->n++] = (struct of_action){ .type = OF_ACT_OUTPUT,
								       .value = ports[k].port_no,
								       .max_len = a->max_len };
			}
			continue;
		}
		case OF_PORT_LOCAL:
		case OF_PORT_NORMAL:
		case OF_PORT_ANY:
			return -EACCES;
		default:
			if (!fs_slice_has_port(s, sl, dpid, a->value))
				return -EACCES;
		}
		if (out->n == OF_MAX_ACTIONS)
			return -E2BIG;
		out->a[out->n++] = *a;
	}
	return 0;
}

static int slice_flow_mod(struct fs_slice *sl, struct of_switch *sw, const struct of_flow_mod *fm)
{
	struct fs_slicer *s = sl->sl;
	uint64_t dpid = of_switch_dpid(sw);
	bool del = fm->command == OF_FC_DELETE || fm->command == OF_FC_DELETE_STRICT;
	struct fs_hit few[16], *hits = few;
	size_t n = fs_map_intersect(s->map, dpid, &fm->match, few, 16), sent = 0;
	int first = -EPERM;

	sl->st.flow_mods_in++;
	if (over_rate(sl, dpid))
		return -EBUSY;
	if (!del && fm->buffer_id != OF_NO_BUFFER && !may_use_buffer(sl, dpid, fm->buffer_id)) {
		sl->st.eperm++;
		return -ENOENT;
	}
	if (n > 16) { /* more than the usual few: again, into room for all */
		hits = calloc(n, sizeof(*hits));
		if (!hits)
			return -ENOMEM;
		fs_map_intersect(s->map, dpid, &fm->match, hits, n);
	}
	if (fm->command == OF_FC_ADD && sl->max_entries >= 0) {
		/* the whole flow-mod fits the quota, or none of it is sent */
		int64_t adds = 0;

		for (size_t i = 0; i < n; i++)
			adds += (fs_rule_perm(hits[i].rule, sl->name) & FS_PERM_WRITE) != 0;
		if (adds && sl->st.flow_entries + adds > sl->max_entries) {
			if (hits != few)
				free(hits);
			sl->st.over_quota++;
			sl->st.eperm++;
			return -EDQUOT;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct of_flow_mod out = *fm;
		struct of_msg m = { .kind = OF_MSG_FLOW_MOD, .flow_mod = &out };
		uint32_t in_port = (hits[i].inter.fields & OF_F_IN_PORT) ? hits[i].inter.in_port :
									   OF_PORT_ANY;
		int r;

		if (!(fs_rule_perm(hits[i].rule, sl->name) & FS_PERM_WRITE))
			continue;
		out.match = hits[i].inter;
		out.flags &= OF_FF_SEND_FLOW_REM;
		if (sent)
			out.buffer_id = OF_NO_BUFFER; /* a buffer is sent once */
		r = approve_actions(s, sl, sw, &fm->actions, in_port, &hits[i].inter,
				    &out.actions);
		if (!r)
			r = of_send(s->core, sw, &m, NULL, NULL);
		if (r < 0) {
			if (hits != few)
				free(hits);
			if (r != -ENOTCONN && r != -ENOMEM)
				sl->st.eperm++;
			return r;
		}
		remember_xid(sl, dpid, r);
		if (!sent++)
			first = r;
		sl->st.flow_mods_out++;
		if (fm->command == OF_FC_ADD)
			sl->st.flow_entries++;
		else if (del && sl->st.flow_entries > 0)
			sl->st.flow_entries--;
	}
	if (hits != few)
		free(hits);
	if (!sent)
		sl->st.eperm++;
	return first;
}

static int slice_packet_out(struct fs_slice *sl, struct of_switch *sw,
			    const struct of_packet_out *po)
{
	struct fs_slicer *s = sl->sl;
	uint64_t dpid = of_switch_dpid(sw);
	struct of_packet_out out = *po;
	struct of_msg m = { .kind = OF_MSG_PACKET_OUT, .packet_out = &out };
	int r;

	if (over_rate(sl, dpid))
		return -EBUSY;
	if (po->buffer_id != OF_NO_BUFFER) {
		if (!may_use_buffer(sl, dpid, po->buffer_id)) {
			sl->st.eperm++;
			return -ENOENT;
		}
	} else if (is_lldp(po->data, po->data_len)) {
		/* a probe: it may leave by the slice's ports (the actions are
		 * checked below) and its echo comes back to the slice */
	} else if (!(perm_for_packet(s, sl, dpid, po->data, po->data_len, po->in_port) &
		     FS_PERM_WRITE)) {
		sl->st.eperm++;
		return -EPERM;
	}
	{
		struct of_match point;
		bool known = po->buffer_id == OF_NO_BUFFER &&
			     fs_match_from_frame(po->data, po->data_len, po->in_port, &point);

		r = approve_actions(s, sl, sw, &po->actions, po->in_port, known ? &point : NULL,
				    &out.actions);
	}
	if (r) {
		sl->st.eperm++;
		return r;
	}
	if (po->buffer_id == OF_NO_BUFFER && is_lldp(po->data, po->data_len))
		remember_probe(sl, po->data, po->data_len);
	r = of_send(s->core, sw, &m, NULL, NULL);
	if (r >= 0) {
		remember_xid(sl, dpid, r);
		sl->st.packet_outs++;
	}
	return r;
}

/* ---- stats, cut to the slice ---- */

/* A stats request in flight: the reply is filtered before the slice's
 * callback gets it. On the slice's list, so that removing the slice can
 * orphan it (the core calls every callback once, maybe later). */
struct stats_wrap {
	struct stats_wrap *next, **pprev;
	struct fs_slice *sl; /* NULL once the slice is gone */
	uint64_t dpid;
	of_reply_cb cb;
	void *ctx;
};

/* The body with only the slice's entries (flow stats: flows in its
 * flowspace; port stats: its ports). -1 on bytes the codec refuses. */
static int filter_stats(struct fs_slice *sl, uint64_t dpid, const struct of_reply *r,
			struct of_buf *out)
{
	struct fs_slicer *s = sl->sl;
	size_t off = 0;
	int n;

	if (r->stats_type == OF_ST_FLOW) {
		struct of_flow_stats fs;

		while ((n = of_flow_stats_next(r->version, r->body, r->body_len, &off, &fs)) > 0)
			if (overlaps(s, sl, dpid, &fs.match, FS_PERM_ALL) &&
			    of_encode_flow_stats(out, r->version, &fs))
				return -1;
		return n < 0 ? -1 : 0;
	}
	if (r->stats_type == OF_ST_PORT) {
		struct of_port_stats ps;

		while ((n = of_port_stats_next(r->version, r->body, r->body_len, &off, &ps)) > 0)
			if (fs_slice_has_port(s, sl, dpid, ps.port_no) &&
			    of_encode_port_stats(out, r->version, &ps))
				return -1;
		return n < 0 ? -1 : 0;
	}
	return 1; /* nothing to cut */
}

static void on_stats(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	struct stats_wrap *w = ctx;
	struct of_reply cut = *r;
	struct of_buf body = { 0 };
	int f = 1;

	if (w->sl) {
		*w->pprev = w->next;
		if (w->next)
			w->next->pprev = w->pprev;
	}
	if (!w->sl) {
		cut.status = -ENOTCONN; /* the slice is gone: nothing of it goes out */
		cut.body = NULL;
		cut.body_len = 0;
	} else if (r->status == 0 && r->body) {
		f = filter_stats(w->sl, w->dpid, r, &body);
		if (f < 0) {
			cut.status = -EPROTO;
			cut.body = NULL;
			cut.body_len = 0;
		} else if (f == 0) {
			cut.body = body.data ? body.data : (const uint8_t *)"";
			cut.body_len = body.len;
		}
	}
	w->cb(sw, &cut, w->ctx);
	of_buf_free(&body);
	free(w);
}

static int slice_stats_request(struct fs_slice *sl, struct of_switch *sw,
			       const struct of_msg *m, of_reply_cb cb, void *ctx)
{
	const struct of_stats_request *rq = m->stats_request;
	uint64_t dpid = of_switch_dpid(sw);
	struct stats_wrap *w;
	int r;

	if (rq->type == OF_ST_PORT && rq->port_no != OF_PORT_ANY &&
	    !fs_slice_has_port(sl->sl, sl, dpid, rq->port_no)) {
		sl->st.eperm++;
		return -EACCES; /* another slice's port */
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->sl = sl;
	w->dpid = dpid;
	w->cb = cb;
	w->ctx = ctx;
	w->next = sl->pending;
	if (w->next)
		w->next->pprev = &w->next;
	w->pprev = &sl->pending;
	sl->pending = w;
	r = of_send(sl->sl->core, sw, m, on_stats, w);
	if (r < 0) {
		/* refused before it was sent: the callback will not come */
		*w->pprev = w->next;
		if (w->next)
			w->next->pprev = w->pprev;
		free(w);
	}
	return r;
}

static int slice_send(struct of_provider *p, struct of_switch *sw, const struct of_msg *m,
		      of_reply_cb cb, void *ctx)
{
	struct fs_slice *sl = (struct fs_slice *)p;
	int r;

	switch (m->kind) {
	case OF_MSG_FLOW_MOD:
		return slice_flow_mod(sl, sw, m->flow_mod);
	case OF_MSG_PACKET_OUT:
		return slice_packet_out(sl, sw, m->packet_out);
	case OF_MSG_PACKET_IN:
		return -EINVAL; /* switches send those */
	case OF_MSG_STATS_REQUEST:
		if (over_rate(sl, of_switch_dpid(sw)))
			return -EBUSY;
		r = slice_stats_request(sl, sw, m, cb, ctx);
		remember_xid(sl, of_switch_dpid(sw), r);
		return r;
	default:
		/* barriers pass */
		if (over_rate(sl, of_switch_dpid(sw)))
			return -EBUSY;
		r = of_send(sl->sl->core, sw, m, cb, ctx);
		remember_xid(sl, of_switch_dpid(sw), r);
		return r;
	}
}

static int slice_subscribe(struct of_provider *p, const struct of_listener *l, void *ctx)
{
	struct fs_slice *sl = (struct fs_slice *)p;

	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		struct fs_sub *sub = &sl->subs[i];

		if (sub->core_id >= 0)
			continue;
		sub->slice = sl;
		sub->l = l;
		sub->ctx = ctx;
		sub->n_up = 0;
		/* the core announces the switches already up, through the shim */
		sub->core_id = INT32_MAX;
		sub->core_id = of_subscribe(sl->sl->core, &shim_listener, sub);
		if (sub->core_id < 0) {
			int r = sub->core_id;

			sub->core_id = -1;
			return r;
		}
		return sub->core_id;
	}
	return -ENOSPC;
}

static void slice_unsubscribe(struct of_provider *p, int id)
{
	struct fs_slice *sl = (struct fs_slice *)p;

	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++) {
		struct fs_sub *sub = &sl->subs[i];

		if (sub->core_id != id)
			continue;
		of_unsubscribe(sl->sl->core, id);
		free(sub->up);
		memset(sub, 0, sizeof(*sub));
		sub->core_id = -1;
		return;
	}
}

static const struct of_features *slice_features(struct of_provider *p, const struct of_switch *sw)
{
	/* the switch's as is; the port list a 1.0 features reply carries is
	 * read through the ports op, which is the slice's */
	return of_get_features(((struct fs_slice *)p)->sl->core, sw);
}

static const struct of_port *slice_ports(struct of_provider *p, const struct of_switch *sw,
					 size_t *n)
{
	struct fs_slice *sl = (struct fs_slice *)p;
	size_t all;
	const struct of_port *ports = of_get_ports(sl->sl->core, sw, &all);

	*n = 0;
	if (all > sl->view_cap) {
		struct of_port *grown = realloc(sl->view, all * sizeof(*grown));

		if (!grown)
			return NULL;
		sl->view = grown;
		sl->view_cap = all;
	}
	for (size_t i = 0; i < all; i++)
		if (fs_slice_has_port(sl->sl, sl, of_switch_dpid(sw), ports[i].port_no))
			sl->view[(*n)++] = ports[i];
	return sl->view;
}

static const struct of_provider_ops slice_ops = {
	.subscribe = slice_subscribe,
	.unsubscribe = slice_unsubscribe,
	.send = slice_send,
	.features = slice_features,
	.ports = slice_ports,
};

/* ---- the slicer's own subscription: what no slice is told ---- */

static enum of_disposition slicer_packet_in(void *ctx, struct of_switch *sw,
					    const struct of_packet_in *pi)
{
	struct fs_slicer *s = ctx;

	s->st.packet_ins++;
	if (!classify(s, sw, pi))
		s->st.packet_ins_no_rule++;
	return OF_CONTINUE;
}

/* A switch's memory may come back for the next switch, whose packet-ins
 * count from 1 again: what was classified for this one must not be taken
 * for that one's. */
static void slicer_switch_down(void *ctx, struct of_switch *sw)
{
	struct fs_slicer *s = ctx;

	if (s->cls_sw == sw)
		s->cls_sw = NULL;
}

static const struct of_listener slicer_listener = { .packet_in = slicer_packet_in,
						    .switch_down = slicer_switch_down };

struct fs_slicer *fs_slicer_new(struct of_provider *core)
{
	struct fs_slicer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->core = core;
	s->map = fs_map_new(FS_MAP_FEDERATED, NULL, 0);
	s->core_id = s->map ? of_subscribe(core, &slicer_listener, s) : -1;
	if (s->core_id < 0) {
		fs_map_free(s->map);
		free(s);
		return NULL;
	}
	return s;
}

void fs_slicer_free(struct fs_slicer *s)
{
	if (!s)
		return;
	while (s->slices)
		fs_slicer_remove_slice(s, s->slices);
	of_unsubscribe(s->core, s->core_id);
	fs_map_free(s->map);
	free(s);
}

void fs_slicer_set_flowspace(struct fs_slicer *s, struct fs_map *map)
{
	fs_map_free(s->map);
	s->map = map;
	s->gen++;
}

const struct fs_map *fs_slicer_flowspace(const struct fs_slicer *s)
{
	return s->map;
}

struct fs_slice *fs_slicer_add_slice(struct fs_slicer *s, const char *name)
{
	struct fs_slice *sl;

	if (!name || !*name || strlen(name) >= FS_NAME_MAX)
		return NULL;
	for (sl = s->slices; sl; sl = sl->next)
		if (!strcmp(sl->name, name))
			return NULL;
	sl = calloc(1, sizeof(*sl));
	if (sl && !(sl->bufs = calloc(SLICE_BUFFERS, sizeof(*sl->bufs)))) {
		free(sl);
		sl = NULL;
	}
	if (!sl)
		return NULL;
	sl->prov.ops = &slice_ops;
	sl->sl = s;
	strcpy(sl->name, name);
	for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++)
		sl->subs[i].core_id = -1;
	sl->max_entries = sl->rate = -1;
	sl->next = s->slices;
	s->slices = sl;
	return sl;
}

void fs_slicer_remove_slice(struct fs_slicer *s, struct fs_slice *slice)
{
	for (struct fs_slice **pp = &s->slices; *pp; pp = &(*pp)->next) {
		if (*pp != slice)
			continue;
		*pp = slice->next;
		for (int i = 0; i < OF_MAX_SUBSCRIBERS; i++)
			if (slice->subs[i].core_id >= 0)
				slice_unsubscribe(&slice->prov, slice->subs[i].core_id);
		for (struct stats_wrap *w = slice->pending; w; w = w->next)
			w->sl = NULL; /* their callbacks, still to come, say so */
		for (size_t i = 0; i < slice->n_pcache; i++)
			free(slice->pcache[i].ports);
		free(slice->pcache);
		free(slice->view);
		free(slice->bufs);
		free(slice);
		return;
	}
}

const struct fs_rule *fs_slice_packet_rule(struct fs_slice *slice, struct of_switch *sw,
					   const struct of_packet_in *pi)
{
	return classify(slice->sl, sw, pi);
}

struct of_provider *fs_slice_provider(struct fs_slice *slice)
{
	return &slice->prov;
}

const char *fs_slice_name(const struct fs_slice *slice)
{
	return slice->name;
}

void fs_slice_stats(const struct fs_slice *slice, struct fs_slice_stats *st)
{
	*st = slice->st;
}

void fs_slicer_stats(const struct fs_slicer *s, struct fs_slicer_stats *st)
{
	*st = s->st;
}
