/* sweeper.c - ending expired flows: every NFP_FT_SWEEP_MS the sweeper
 * drains the flow-end records XDP wrote (flows it restarted after expiry,
 * and flows whose slot a new flow took: recycled, or expired), then walks
 * its share of the mapped tables' slots (internal.h), removing the
 * expired flows and reporting them (reason expired, or tcp_close for a flow
 * whose TCP state was FIN-ACK or RST). A set is only locked when it holds
 * something to remove. */
#include "flowtable/internal.h"

#include <bpf/libbpf.h>
#include <string.h>

static bool expired(const struct nfp_ft_tab *t, uint64_t i, void *ctx)
{
	return nfp_ft_body_expired(nfp_ft_tab_body(t, i), *(uint32_t *)ctx);
}

/* Sweep the set whose first slot is @first. */
static void sweep_set(struct nfp_flowtable *ft, const struct nfp_ft_tab *t, uint64_t first,
		      uint32_t now)
{
	struct nfp_ft_entry ended[NFP_FT_WAYS];
	int n;

	for (uint64_t i = first; i < first + NFP_FT_WAYS; i++)
		if (nfp_ft_tab_used(t, i) && !expired(t, i, &now))
			ft->pass_live[t->v6]++;
	n = nfp_ft_tab_take_set(t, first, expired, &now, ended);
	for (int k = 0; k < n; k++) {
		bool closed = ended[k].flow.tcp_state == NFP_TCP_FINACK ||
			      ended[k].flow.tcp_state == NFP_TCP_RST;

		nfp_ft_end_flow(ft, &ended[k], closed ? NFP_FT_END_TCP_CLOSE : NFP_FT_END_EXPIRED);
	}
}

void nfp_ft_sweep(struct nfp_flowtable *ft)
{
	uint64_t all = ft->tab[0].nslots + ft->tab[1].nslots;
	uint64_t budget = all / NFP_FT_SWEEP_TICKS > NFP_FT_SWEEP_MIN ? all / NFP_FT_SWEEP_TICKS
								   : NFP_FT_SWEEP_MIN;
	uint32_t now = nfp_ft_now();

	ring_buffer__consume(ft->ends_rb);
	while (budget > 0) {
		const struct nfp_ft_tab *t = &ft->tab[ft->pass_table];
		uint64_t end = ft->pass_pos + budget;

		if (ft->pass_pos == 0)
			ft->pass_live[ft->pass_table] = 0;
		if (end > t->nslots)
			end = t->nslots;
		for (uint64_t first = ft->pass_pos; first < end; first += NFP_FT_WAYS)
			sweep_set(ft, t, first, now);
		budget -= end > ft->pass_pos ? end - ft->pass_pos : budget;
		ft->pass_pos = end;
		if (ft->pass_pos < t->nslots)
			return; /* out of budget: go on next tick */
		/* this table is done: on to the other, or finish the pass */
		ft->pass_pos = 0;
		ft->st.live[ft->pass_table] = ft->pass_live[ft->pass_table];
		if (ft->pass_table == 1)
			ft->st.sweeps++;
		ft->pass_table ^= 1;
		if (ft->pass_table == 0)
			return; /* one full pass per tick at most */
	}
}
