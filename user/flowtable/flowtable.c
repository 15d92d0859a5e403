/* flowtable.c - see flowtable.h: opening the flowtable's maps, per-interface
 * configuration (resizing the shared tables when the shares change, and
 * resetting it when the dataplane releases an interface's slot), reading,
 * changing and deleting contexts for the API, and the one end-of-flow
 * bookkeeping (nfp_ft_end_flow). Work on a table's slots is table.c's. */
#include "flowtable/internal.h"
#include "common/log.h"
#include "common/percpu.h"
#include "dataplane/dataplane.h"
#include "core/daemon.h"
#include "nfplane/common.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

void nfp_ft_info_get(struct nfp_flowtable *ft, uint64_t flow_id, uint8_t out[16])
{
	struct nfp_ft_info in;

	if (bpf_map_lookup_elem(ft->info_fd, &flow_id, &in))
		memset(out, 0, 16);
	else
		memcpy(out, in.info, 16);
}

/* A slot never configured reads as zeros (max_flows is never 0 once set). */
static void conf_defaults(struct nfp_ft_conf *c)
{
	if (c->max_flows)
		return;
	memset(c, 0, sizeof(*c));
	c->max_flows = NFP_FT_DEFAULT_MAX_FLOWS;
	c->max_lifetime = NFP_FT_DEFAULT_MAX_LIFETIME;
	c->lifetime = NFP_FT_DEFAULT_LIFETIME;
}

void nfp_ft_conf_get(struct nfp_flowtable *ft, uint32_t slot, struct nfp_ft_conf *out)
{
	memset(out, 0, sizeof(*out));
	bpf_map_lookup_elem(ft->conf_fd, &slot, out);
	conf_defaults(out);
}

static void on_resize_drop(void *ctx, int v6, const struct nfp_ft_victim *v);

/* Sum of the enabled interfaces' shares, with @slot's taken from @mine. */
static uint64_t total_share(struct nfp_flowtable *ft, uint32_t slot, const struct nfp_ft_conf *mine)
{
	struct nfp_dp_iface all[NFP_MAX_IFACES];
	int n = nfp_dp_list(ft->d->dp, all, NFP_MAX_IFACES);
	uint64_t sum = 0;

	for (int i = 0; i < n; i++) {
		struct nfp_ft_conf c;

		if (all[i].rec.slot == slot)
			continue;
		nfp_ft_conf_get(ft, all[i].rec.slot, &c);
		if (c.flags & NFP_FTC_ENABLED)
			sum += c.max_flows;
	}
	if (mine->flags & NFP_FTC_ENABLED)
		sum += mine->max_flows;
	return sum;
}

int nfp_ft_conf_set(struct nfp_flowtable *ft, uint32_t slot, const struct nfp_ft_conf_change *c,
		    char *msg, size_t msg_len)
{
	struct nfp_ft_conf conf;
	uint64_t total;
	int r;

	nfp_ft_conf_get(ft, slot, &conf);
	if (c->has_enable)
		conf.flags = c->enable ? conf.flags | NFP_FTC_ENABLED : conf.flags & ~NFP_FTC_ENABLED;
	if (c->has_max_flows)
		conf.max_flows = c->max_flows;
	if (c->has_lifetime)
		conf.lifetime = c->lifetime;
	if (c->has_max_lifetime)
		conf.max_lifetime = c->max_lifetime;
	if (c->has_next) {
		conf.next = c->next;
		conf.next_ifindex = c->next_ifindex;
	}
	if (c->has_mirror) {
		conf.mirror = c->mirror;
		conf.mirror_ifindex = c->mirror_ifindex;
	}
	if (conf.lifetime > conf.max_lifetime) {
		snprintf(msg, msg_len,
			 "lifetime %u s is over the maximum lifetime %u s (raise max_lifetime)",
			 conf.lifetime, conf.max_lifetime);
		return -ERANGE;
	}
	total = total_share(ft, slot, &conf);
	if (total > NFP_FT_MAX_MAX_FLOWS) {
		snprintf(msg, msg_len, "the interfaces' max_flows add up to %llu, over the limit %u",
			 (unsigned long long)total, NFP_FT_MAX_MAX_FLOWS);
		return -ERANGE;
	}
	if (total && total < NFP_FT_MIN_MAX_FLOWS)
		total = NFP_FT_MIN_MAX_FLOWS;
	/* resize first: if it fails, nothing has changed */
	for (int v6 = 0; total && v6 < 2; v6++) {
		struct nfp_ft_resize_report rep;

		if (nfp_ft_table_capacity(ft->outer_fd[v6]) == nfp_ft_capacity_for((uint32_t)total))
			continue;
		r = nfp_ft_table_resize(ft->outer_fd[v6], v6, (uint32_t)total, &ft->btf,
					on_resize_drop, ft, &rep);
		if (r) {
			snprintf(msg, msg_len, "cannot resize the IPv%d table to %llu flows: %s",
				 v6 ? 6 : 4, (unsigned long long)total, strerror(-r));
			return r;
		}
		log_info("flowtable: IPv%d table now %u slots for %llu flows (%llu migrated, "
			 "%llu caught up, %llu dropped, %llu us)", v6 ? 6 : 4,
			 nfp_ft_capacity_for((uint32_t)total), (unsigned long long)total,
			 (unsigned long long)rep.copied, (unsigned long long)rep.caught_up,
			 (unsigned long long)rep.dropped, (unsigned long long)rep.duration_us);
		/* work on the new table from here; a sweep restarts on it */
		nfp_ft_tab_close(&ft->tab[v6]);
		r = nfp_ft_tab_open(&ft->tab[v6], ft->outer_fd[v6], v6);
		if (r)
			log_error("flowtable: cannot map the new IPv%d table: %s", v6 ? 6 : 4,
				  strerror(-r));
		if (ft->pass_table == v6)
			ft->pass_pos = 0;
	}
	if (bpf_map_update_elem(ft->conf_fd, &slot, &conf, BPF_ANY)) {
		r = -errno;
		snprintf(msg, msg_len, "cannot store the configuration: %s", strerror(-r));
		return r;
	}
	return 0;
}

int64_t nfp_ft_live(struct nfp_flowtable *ft, uint32_t slot)
{
	if (!ft->live || slot >= NFP_MAX_IFACES)
		return 0;
	return __atomic_load_n(&ft->live[slot], __ATOMIC_RELAXED);
}

/* Count @n flows more (or fewer) for interface @slot, as XDP does. */
static void live_add(struct nfp_flowtable *ft, uint32_t slot, int64_t n)
{
	if (ft->live && slot < NFP_MAX_IFACES)
		__atomic_fetch_add(&ft->live[slot], n, __ATOMIC_RELAXED);
}

void nfp_ft_end_flow(struct nfp_flowtable *ft, const struct nfp_ft_entry *e, uint32_t reason)
{
	live_add(ft, e->flow.slot, -1);
	switch (reason) {
	case NFP_FT_END_TCP_CLOSE: /* swept, as an expired flow is */
		ft->st.tcp_closed++;
		ft->st.swept++;
		break;
	case NFP_FT_END_EXPIRED:
		ft->st.swept++;
		break;
	case NFP_FT_END_RECYCLED:
		ft->st.recycled++;
		break;
	case NFP_FT_END_DELETED:
		ft->st.deleted++;
		break;
	}
	nfp_ft_report_end(ft, e, reason);
}

/* A flow that an insert by nfpd displaced: recycled if it was live. */
static void end_victim(struct nfp_flowtable *ft, const struct nfp_ft_victim *v)
{
	if (v->any)
		nfp_ft_end_flow(ft, &v->entry, v->live ? NFP_FT_END_RECYCLED : NFP_FT_END_EXPIRED);
}

static void on_resize_drop(void *ctx, int v6, const struct nfp_ft_victim *v)
{
	(void)v6;
	/* recycled, expired or not: it had to go for lack of room */
	nfp_ft_end_flow(ctx, &v->entry, NFP_FT_END_RECYCLED);
}

int nfp_ft_lookup(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t, struct nfp_ft_flow *f)
{
	const struct nfp_ft_tab *tab = &ft->tab[t->v6];
	struct nfp_ft_key6 key;
	int64_t i;

	nfp_ft_tuple_key(t, &key);
	i = nfp_ft_tab_find(tab, &key);
	if (i < 0)
		return -ENOENT;
	nfp_ft_tab_view(tab, (uint64_t)i, f);
	return 0;
}

/* The application's changes, in place in a slot's body. */
static void apply(struct nfp_ft_body *b, const struct nfp_ft_update *u)
{
	if (u->has_lifetime) {
		b->lifetime = u->lifetime;
		b->flags |= NFP_FTF_LIFETIME_SET;
	}
	if (u->has_offload) {
		if (u->offloaded) {
			b->action = u->action;
			b->action_arg = u->action_arg;
			__atomic_thread_fence(__ATOMIC_RELEASE); /* action before the flag */
			b->flags |= NFP_FTF_OFFLOADED;
		} else {
			b->flags &= ~NFP_FTF_OFFLOADED;
			b->action = 0;
			b->action_arg = 0;
		}
	}
}

int nfp_ft_apply_update(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t,
			const struct nfp_ft_update *u, struct nfp_ft_flow *out, bool *created)
{
	const struct nfp_ft_tab *tab = &ft->tab[t->v6];
	struct nfp_ft_victim victim = { 0 };
	struct nfp_ft_key6 key;
	struct nfp_ft_flow f;
	uint64_t first;
	int64_t i;
	int r = 0;

	if (!tab->nsets)
		return -ENOENT;
	nfp_ft_tuple_key(t, &key);
	*created = false;
	first = nfp_ft_tab_set_of(tab, &key);
	if (!nfp_ft_tab_lock(tab, first))
		return -EBUSY;
	i = nfp_ft_tab_find(tab, &key);
	if (i < 0) {
		struct nfp_ft_conf conf;
		uint32_t now = nfp_ft_now();
		struct nfp_ft_body b = { 0 };
		struct nfp_ft_cold c = { 0 };

		nfp_ft_conf_get(ft, u->slot, &conf);
		memset(&f, 0, sizeof(f));
		f.created = f.last = now;
		/* ids XDP makes have the CPU number on top; ours 0x7f (JSON-safe) */
		f.flow_id = (0x7fULL << 56) | (++ft->next_user_id & ((1ULL << 56) - 1));
		f.lifetime = conf.lifetime;
		f.slot = (uint8_t)u->slot;
		f.flags = t->v6 ? NFP_FTF_V6 : 0;
		nfp_ft_unview(&b, &c, &f);
		apply(&b, u);
		nfp_ft_view(&f, &b, &c);
		i = (int64_t)nfp_ft_tab_insert(tab, &key, &f, now, &victim);
		*created = true;
	} else {
		apply(nfp_ft_tab_body(tab, (uint64_t)i), u);
	}
	nfp_ft_tab_view(tab, (uint64_t)i, &f);
	nfp_ft_tab_unlock(tab, first);
	if (*created) {
		live_add(ft, u->slot, 1);
		end_victim(ft, &victim);
	}
	if (u->has_info) {
		struct nfp_ft_info in;

		memcpy(in.info, u->info, sizeof(in.info));
		if (bpf_map_update_elem(ft->info_fd, &f.flow_id, &in, BPF_ANY))
			r = -errno; /* the table is full of infos: say so */
	}
	if (!r && out)
		*out = f;
	return r;
}

int nfp_ft_delete(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t)
{
	struct nfp_ft_key6 key;
	struct nfp_ft_entry e;
	int r;

	nfp_ft_tuple_key(t, &key);
	r = nfp_ft_tab_take(&ft->tab[t->v6], &key, &e);
	if (!r)
		nfp_ft_end_flow(ft, &e, NFP_FT_END_DELETED);
	return r;
}

long nfp_ft_foreach(struct nfp_flowtable *ft, int (*fn)(const struct nfp_ft_entry *e, void *ctx),
		    void *ctx)
{
	long n = 0;

	for (int v6 = 0; v6 < 2; v6++) {
		const struct nfp_ft_tab *tab = &ft->tab[v6];
		struct nfp_ft_entry e;

		for (uint64_t i = 0; i < tab->nslots; i++) {
			if (!nfp_ft_tab_used(tab, i))
				continue;
			nfp_ft_tab_entry(tab, i, &e);
			n++;
			if (fn(&e, ctx))
				return n;
		}
	}
	return n;
}

/* flush: every flow, or those of one interface slot (*ctx, -1 for all) */
static bool of_slot(const struct nfp_ft_tab *tab, uint64_t i, void *ctx)
{
	int slot = *(int *)ctx;

	return slot < 0 || nfp_ft_tab_body(tab, i)->slot == slot;
}

long nfp_ft_flush(struct nfp_flowtable *ft, int slot)
{
	long n = 0;

	for (int v6 = 0; v6 < 2; v6++) {
		const struct nfp_ft_tab *tab = &ft->tab[v6];

		for (uint64_t first = 0; first < tab->nslots; first += NFP_FT_WAYS) {
			struct nfp_ft_entry ended[NFP_FT_WAYS];
			int k = nfp_ft_tab_take_set(tab, first, of_slot, &slot, ended);

			for (int j = 0; j < k; j++)
				nfp_ft_end_flow(ft, &ended[j], NFP_FT_END_DELETED);
			n += k;
		}
	}
	return n;
}

int nfp_ft_stats_get(struct nfp_flowtable *ft, uint32_t slot, struct nfp_ft_stats *out)
{
	return nfp_percpu_sum_u64(ft->stats_fd, &slot, out, sizeof(*out));
}

void nfp_ft_daemon_stats(struct nfp_flowtable *ft, struct nfp_ft_daemon_stats *out)
{
	*out = ft->st;
	for (int v6 = 0; v6 < 2; v6++) {
		out->slots[v6] = ft->tab[v6].nslots;
		out->capacity[v6] = (uint32_t)(ft->tab[v6].nslots / NFP_FT_HEADROOM);
	}
}

/* The dataplane released @slot: its next owner starts without the flowtable. */
static void on_slot_release(void *ctx, uint32_t slot)
{
	struct nfp_flowtable *ft = ctx;
	struct nfp_ft_conf no_flowtable = { 0 };

	bpf_map_update_elem(ft->conf_fd, &slot, &no_flowtable, BPF_ANY);
}

static void on_sweep_timer(struct nfp_loop_timer *t, void *ctx)
{
	(void)t;
	nfp_ft_sweep(ctx);
}

static int on_end_record(void *ctx, void *data, size_t len)
{
	struct nfp_flowtable *ft = ctx;
	const struct nfp_ft_end *rec = data;
	struct nfp_ft_entry e;

	if (len < sizeof(*rec))
		return 0;
	/* XDP ended it and counted it: only the report is left */
	nfp_ft_entry_from_end(&e, rec);
	nfp_ft_report_end(ft, &e, rec->reason);
	return 0;
}

int nfp_ft_open(struct nfp_flowtable **out, struct nfp_daemon *d)
{
	struct nfp_flowtable *ft = calloc(1, sizeof(*ft));
	int r;

	if (!ft)
		return -ENOMEM;
	ft->d = d;
	ft->tab[0].fd = ft->tab[1].fd = -1;
	/* ids stay unique across restarts of nfpd: start from the wall clock */
	ft->next_user_id = (uint64_t)time(NULL) << 20;
	ft->outer_fd[0] = nfp_dp_map_fd(d->dp, NFP_MAP_FT_TABLES4);
	ft->outer_fd[1] = nfp_dp_map_fd(d->dp, NFP_MAP_FT_TABLES6);
	ft->conf_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_CONF);
	ft->stats_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_STATS);
	ft->info_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_INFO);
	ft->live_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_LIVE);
	if (ft->outer_fd[0] < 0 || ft->outer_fd[1] < 0 || ft->conf_fd < 0 || ft->stats_fd < 0 ||
	    ft->info_fd < 0 || ft->live_fd < 0) {
		free(ft);
		return -ENOENT;
	}
	ft->live_len = (NFP_MAX_IFACES * sizeof(int64_t) + 4095) & ~(size_t)4095;
	ft->live = mmap(NULL, ft->live_len, PROT_READ | PROT_WRITE, MAP_SHARED, ft->live_fd, 0);
	if (ft->live == MAP_FAILED) {
		r = -errno;
		log_error("flowtable: cannot map %s: %s", NFP_MAP_FT_LIVE, strerror(-r));
		free(ft);
		return r;
	}
	nfp_ft_btf_from_obj(&ft->btf, nfp_dp_object(d->dp));
	/* the tables outlive nfpd in the pins: only the first start creates them */
	for (int v6 = 0; v6 < 2; v6++) {
		r = nfp_ft_table_ensure(ft->outer_fd[v6], v6, NFP_FT_DEFAULT_MAX_FLOWS, &ft->btf);
		if (!r)
			r = nfp_ft_tab_open(&ft->tab[v6], ft->outer_fd[v6], v6);
		if (!r) {
			uint64_t stale = nfp_ft_tab_release_stale(&ft->tab[v6]);

			if (stale)
				log_warn("flowtable: released %llu set locks a previous nfpd held",
					 (unsigned long long)stale);
		}
		if (r) {
			log_error("flowtable: cannot create or map the IPv%d table: %s", v6 ? 6 : 4,
				  strerror(-r));
			nfp_ft_tab_close(&ft->tab[0]);
			munmap(ft->live, ft->live_len);
			free(ft);
			return r;
		}
	}
	ft->ends_rb = ring_buffer__new(nfp_dp_map_fd(d->dp, NFP_MAP_FT_ENDS), on_end_record, ft,
				       NULL);
	if (!ft->ends_rb) {
		r = -errno;
		nfp_ft_close(ft);
		return r;
	}
	r = nfp_ft_mirror_open(ft);
	if (!r)
		r = nfp_dp_on_slot_release(d->dp, on_slot_release, ft);
	if (r) {
		nfp_ft_close(ft);
		return r;
	}
	ft->timer = nfp_loop_add_timer(d->loop, NFP_FT_SWEEP_MS, NFP_FT_SWEEP_MS, on_sweep_timer, ft);
	*out = ft;
	return 0;
}

void nfp_ft_close(struct nfp_flowtable *ft)
{
	if (!ft)
		return;
	if (ft->timer)
		nfp_loop_del_timer(ft->timer);
	nfp_dp_cancel_slot_release(ft->d->dp, on_slot_release, ft);
	nfp_ft_mirror_close(ft);
	ring_buffer__free(ft->ends_rb);
	for (int v6 = 0; v6 < 2; v6++)
		nfp_ft_tab_close(&ft->tab[v6]);
	if (ft->live && ft->live != MAP_FAILED)
		munmap(ft->live, ft->live_len);
	free(ft);
}
