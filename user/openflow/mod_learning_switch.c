/* mod_learning_switch.c - the "learning-switch" module: per switch (DPID), a
 * MAC table learnt from packet-in source addresses; a packet to a known
 * unicast address installs a flow (in_port, dl_src, dl_dst -> port, idle
 * timeout) and is sent on with a packet-out; broadcast, multicast and
 * unknown destinations are flooded. ARP works because its broadcast
 * requests flood and its unicast replies are learnt on the way back.
 *
 * This is the controller's benchmark path (cbench: one flow-mod and one
 * packet-out per packet-in), so the MAC table is an open-addressing hash
 * with no allocation per packet and O(1) lookups.
 */
#include "openflow/of_provider.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LS_IDLE_TIMEOUT 60     /* seconds, as ovs-testcontroller */
#define LS_PRIORITY 100        /* above the table-miss entry and the hub's flow */
#define LS_MIN_BITS 10
#define LS_MAX_BITS 20         /* 1M entries per switch, then old ones are overwritten */
#define LS_PROBE 16

/* One 8-byte slot: (48-bit address + 1) << 16 | port, 0 when empty. Eight
 * bytes, not sixteen, because with many fresh addresses every insert is a
 * cache miss, and half the table size is half the misses' working set. Port
 * numbers use the 1.0 16-bit space (reserved ports 0xff00+ as 1.0 does). */
struct mac_table {
	uint64_t *e;
	unsigned bits;
	size_t used;
};

struct lswitch {
	struct of_provider *p;
	int id;
};

static uint64_t mac_key(const uint8_t *m)
{
	return (((uint64_t)m[0] << 40) | ((uint64_t)m[1] << 32) | ((uint64_t)m[2] << 24) |
		((uint64_t)m[3] << 16) | ((uint64_t)m[4] << 8) | m[5]) + 1;
}

#define SLOT_KEY(v) ((v) >> 16)
#define SLOT_PORT(v) of_port_from10((uint16_t)(v))

static size_t slot(uint64_t key, unsigned bits)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

static struct mac_table *table_new(void)
{
	struct mac_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->bits = LS_MIN_BITS;
	t->e = calloc((size_t)1 << t->bits, sizeof(*t->e));
	if (!t->e) {
		free(t);
		return NULL;
	}
	return t;
}

static void table_free(struct mac_table *t)
{
	if (t)
		free(t->e);
	free(t);
}

static uint32_t table_lookup(const struct mac_table *t, uint64_t key)
{
	size_t mask = ((size_t)1 << t->bits) - 1, i = slot(key, t->bits);

	for (int n = 0; n < LS_PROBE; n++, i = (i + 1) & mask) {
		if (SLOT_KEY(t->e[i]) == key)
			return SLOT_PORT(t->e[i]);
		if (!t->e[i])
			return 0;
	}
	return 0;
}

static void table_put(struct mac_table *t, uint64_t key, uint32_t port);

static void table_grow(struct mac_table *t)
{
	struct mac_table bigger = { .bits = t->bits + 1 };

	bigger.e = calloc((size_t)1 << bigger.bits, sizeof(*bigger.e));
	if (!bigger.e)
		return; /* keep the smaller table; it overwrites when full */
	for (size_t i = 0; i < ((size_t)1 << t->bits); i++)
		if (t->e[i])
			table_put(&bigger, SLOT_KEY(t->e[i]), SLOT_PORT(t->e[i]));
	free(t->e);
	*t = bigger;
}

static void table_put(struct mac_table *t, uint64_t key, uint32_t port)
{
	uint64_t v = key << 16 | of_port_to10(port);
	size_t mask, i, home;

	if (t->used * 2 >= ((size_t)1 << t->bits) && t->bits < LS_MAX_BITS)
		table_grow(t);
	mask = ((size_t)1 << t->bits) - 1;
	home = i = slot(key, t->bits);
	for (int n = 0; n < LS_PROBE; n++, i = (i + 1) & mask) {
		if (SLOT_KEY(t->e[i]) == key) {
			t->e[i] = v; /* a host that moved, or the same again */
			return;
		}
		if (!t->e[i]) {
			t->e[i] = v;
			t->used++;
			return;
		}
	}
	/* full neighbourhood at the size limit: the newest address wins */
	t->e[home] = v;
}

static void ls_switch_up(void *ctx, struct of_switch *sw)
{
	struct lswitch *ls = ctx;

	of_switch_set_data(sw, ls->id, table_new());
}

static void ls_switch_down(void *ctx, struct of_switch *sw)
{
	struct lswitch *ls = ctx;

	table_free(of_switch_get_data(sw, ls->id));
	of_switch_set_data(sw, ls->id, NULL);
}

static enum of_disposition ls_packet_in(void *ctx, struct of_switch *sw,
					const struct of_packet_in *pi)
{
	struct lswitch *ls = ctx;
	struct mac_table *t = of_switch_get_data(sw, ls->id);
	struct of_packet_out po = { .buffer_id = pi->buffer_id, .in_port = pi->in_port };
	const uint8_t *dst, *src;
	uint32_t out = 0;

	if (!t || pi->data_len < 14)
		return OF_CONTINUE;
	dst = pi->data;
	src = pi->data + 6;
	/* learnt: physical ports only. Reserved ones (ANY, CONTROLLER, LOCAL,
	 * ...: a switch may report them as in_port) are nowhere to send to,
	 * ports 0xff00-0xfffffeff do not fit a slot (no real switch has them),
	 * and 0 is the table's "unknown" */
	if (!(src[0] & 1) && pi->in_port != 0 && pi->in_port < 0xff00)
		table_put(t, mac_key(src), pi->in_port);
	if (!(dst[0] & 1))
		out = table_lookup(t, mac_key(dst));
	if (out == pi->in_port)
		return OF_STOP; /* it came from where it is going: drop */
	if (out) {
		struct of_flow_mod fm;

		of_flow_mod_init(&fm, OF_FC_ADD);
		fm.match.fields = OF_F_IN_PORT;
		fm.match.in_port = pi->in_port;
		of_match_set_eth_src(&fm.match, src);
		of_match_set_eth_dst(&fm.match, dst);
		fm.idle_timeout = LS_IDLE_TIMEOUT;
		fm.priority = LS_PRIORITY;
		of_actions_output(&fm.actions, out);
		of_send_flow_mod(ls->p, sw, &fm);
	}
	if (pi->buffer_id == OF_NO_BUFFER) {
		po.data = pi->data;
		po.data_len = pi->data_len;
	}
	of_actions_output(&po.actions, out ? out : OF_PORT_FLOOD);
	of_send_packet_out(ls->p, sw, &po);
	return OF_STOP;
}

static const struct of_listener ls_listener = {
	.switch_up = ls_switch_up,
	.switch_down = ls_switch_down,
	.packet_in = ls_packet_in,
};

static int ls_start(struct of_provider *p, void **state)
{
	struct lswitch *ls = calloc(1, sizeof(*ls));

	if (!ls)
		return -ENOMEM;
	ls->p = p;
	ls->id = of_subscribe(p, &ls_listener, ls);
	if (ls->id < 0) {
		int r = ls->id;

		free(ls);
		return r;
	}
	*state = ls;
	return 0;
}

static void ls_stop(void *state)
{
	struct lswitch *ls = state;

	if (!ls)
		return;
	of_unsubscribe(ls->p, ls->id);
	free(ls);
}

const struct of_module of_module_learning_switch = {
	.name = "learning-switch",
	.summary = "MAC learning per switch, flows with a 60 s idle timeout, flooding otherwise",
	.start = ls_start,
	.stop = ls_stop,
};
