/* mod_hub.c - the "hub" module: every switch floods every packet. On
 * switch-up it installs one flow (all packets -> FLOOD) so traffic stays in
 * the switch; a packet that reaches the controller anyway (before that flow
 * exists, or after someone deletes it) is flooded with a packet-out.
 */
#include "openflow/of_provider.h"

#include <errno.h>
#include <stdlib.h>

struct hub {
	struct of_provider *p;
	int id;
};

static void hub_switch_up(void *ctx, struct of_switch *sw)
{
	struct hub *h = ctx;
	struct of_flow_mod fm;

	of_flow_mod_init(&fm, OF_FC_ADD);
	fm.priority = 1; /* above the 1.3 table-miss entry */
	of_actions_output(&fm.actions, OF_PORT_FLOOD);
	of_send_flow_mod(h->p, sw, &fm);
}

static enum of_disposition hub_packet_in(void *ctx, struct of_switch *sw,
					 const struct of_packet_in *pi)
{
	struct hub *h = ctx;
	struct of_packet_out po = { .buffer_id = pi->buffer_id, .in_port = pi->in_port };

	if (pi->buffer_id == OF_NO_BUFFER) {
		po.data = pi->data;
		po.data_len = pi->data_len;
	}
	of_actions_output(&po.actions, OF_PORT_FLOOD);
	of_send_packet_out(h->p, sw, &po);
	return OF_STOP;
}

static const struct of_listener hub_listener = {
	.switch_up = hub_switch_up,
	.packet_in = hub_packet_in,
};

static int hub_start(struct of_provider *p, void **state)
{
	struct hub *h = calloc(1, sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->p = p;
	h->id = of_subscribe(p, &hub_listener, h);
	if (h->id < 0) {
		int r = h->id;

		free(h);
		return r;
	}
	*state = h;
	return 0;
}

static void hub_stop(void *state)
{
	struct hub *h = state;

	if (!h)
		return;
	of_unsubscribe(h->p, h->id);
	free(h);
}

const struct of_module of_module_hub = {
	.name = "hub",
	.summary = "flood every packet out of every port",
	.start = hub_start,
	.stop = hub_stop,
};
