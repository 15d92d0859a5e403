/* records.c - flow contexts as JSON (flowtable_get/show and flow_end events)
 * and the names of states, actions and reasons. One shape everywhere:
 *   {flow_id, lo, hi, proto, packets: [lo->hi, hi->lo], bytes: [...],
 *    tcp_state, lifetime, age_ms, idle_ms, expires_in_ms, offloaded,
 *    action, action_arg, info, iface_slot, slice_id}
 * "lo" is the endpoint that sorts lower (the key's normal form). */
#include "flowtable/internal.h"
#include "common/hex.h"
#include "core/daemon.h"

#include <bpf/bpf.h>

#include <stdio.h>
#include <string.h>

const char *nfp_ft_tcp_state_name(uint8_t s)
{
	static const char *const names[] = { "none", "syn", "synack", "established",
					     "fin", "finack", "rst" };

	return s < NFP_TCP__COUNT ? names[s] : "?";
}

const char *nfp_ft_action_name(uint8_t a)
{
	static const char *const names[] = { "pass", "drop", "redirect", "mirror" };

	return a < NFP_FT_ACT__COUNT ? names[a] : "?";
}

const char *nfp_ft_reason_name(uint32_t r)
{
	switch (r) {
	case NFP_FT_END_EXPIRED:   return "expired";
	case NFP_FT_END_RECYCLED:  return "recycled";
	case NFP_FT_END_DELETED:   return "deleted";
	case NFP_FT_END_TCP_CLOSE: return "tcp_close";
	default:                   return "?";
	}
}

/* Ticks between @then and @now in milliseconds. */
static int64_t ticks_ms(uint32_t now, uint32_t then)
{
	return ((int64_t)(int32_t)(now - then) << NFP_FT_TICK_SHIFT) / 1000000;
}

json_t *nfp_ft_entry_json(const struct nfp_ft_entry *e, uint32_t now, const uint8_t *in)
{
	static const uint8_t zeros[16];
	const struct nfp_ft_flow *f = &e->flow;
	struct nfp_ft_tuple t;
	char lo[64], hi[64], pbuf[8], info[33];
	int64_t idle_ms = ticks_ms(now, f->last);
	int64_t age_ms = ticks_ms(now, f->created);
	int64_t left = (int64_t)f->lifetime * 1000 - idle_ms;

	nfp_ft_tuple_from_key(&t, e->v6, &e->k6);
	if (t.proto == 1 || t.proto == 58) {
		/* hi's "port" is TYPE/CODE, written the way flowtable_get takes it */
		char a[64];

		nfp_ft_endpoint_str(t.v6, t.daddr, 0, a, sizeof(a));
		a[strlen(a) - 1] = '\0'; /* drop the "0" of the port */
		snprintf(hi, sizeof(hi), "%s%u/%u", a, t.dport >> 8, t.dport & 0xff);
	} else {
		nfp_ft_endpoint_str(t.v6, t.daddr, t.dport, hi, sizeof(hi));
	}
	nfp_hex_str(in ? in : zeros, 16, info);
	return json_pack("{s:I, s:s, s:s, s:s, s:[I,I], s:[I,I], s:s, s:I, s:I, s:I, s:I, s:b,"
			 " s:s, s:I, s:s, s:I, s:I}",
			 "flow_id", (json_int_t)f->flow_id,
			 "lo", nfp_ft_endpoint_str(t.v6, t.saddr, t.sport, lo, sizeof(lo)),
			 "hi", hi,
			 "proto", nfp_ft_proto_name(t.proto, pbuf, sizeof(pbuf)),
			 "packets", (json_int_t)f->packets[0], (json_int_t)f->packets[1],
			 "bytes", (json_int_t)f->bytes[0], (json_int_t)f->bytes[1],
			 "tcp_state", nfp_ft_tcp_state_name(f->tcp_state),
			 "lifetime", (json_int_t)f->lifetime,
			 "age_ms", (json_int_t)(age_ms < 0 ? 0 : age_ms),
			 "idle_ms", (json_int_t)(idle_ms < 0 ? 0 : idle_ms),
			 "expires_in_ms", (json_int_t)(left < 0 ? 0 : left),
			 "offloaded", (f->flags & NFP_FTF_OFFLOADED) != 0,
			 "action", nfp_ft_action_name(f->action),
			 "action_arg", (json_int_t)f->action_arg,
			 "info", info,
			 "iface_slot", (json_int_t)f->slot,
			 "slice_id", (json_int_t)f->slice_id);
}

void nfp_ft_report_end(struct nfp_flowtable *ft, const struct nfp_ft_entry *e, uint32_t reason)
{
	uint8_t info[16];
	json_t *rec;

	nfp_ft_info_get(ft, e->flow.flow_id, info);
	/* the flow is gone: so is its info */
	bpf_map_delete_elem(ft->info_fd, &e->flow.flow_id);
	rec = nfp_ft_entry_json(e, nfp_ft_now(), info);

	json_object_set_new(rec, "reason", json_string(nfp_ft_reason_name(reason)));
	ft->st.ends_reported++;
	nfp_events_publish(ft->d->events, "flow_end", rec);
}
