/* sweeper.c - ending flows: every NFP_FT_SWEEP_MS the sweeper drains the
 * flow-end records XDP wrote (flows restarted after expiry), then walks up
 * to NFP_FT_SWEEP_BUDGET contexts with batched lookups, deleting the expired
 * ones and reporting them (reason expired, or tcp_close for a flow whose
 * TCP state was FIN-ACK or RST).
 *
 * Recycled flows: the LRU evicts silently, so the sweeper remembers what
 * each completed pass saw (flow id -> context). A flow seen in one pass and
 * gone in the next, which nobody ended (the sweeper, the API, XDP's
 * restart), was recycled: it is reported with the counters it had when last
 * seen. Flows created and recycled between two looks are never seen and
 * cannot be reported (docs/flowtable.md). */
#include "flowtable/internal.h"
#include "common/log.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ID_EMPTY   0ULL
#define ID_REMOVED (~0ULL)

static size_t slot_of(const struct nfp_ft_idset *s, uint64_t id)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 17) & (s->cap - 1);
}

static int grow(struct nfp_ft_idset *s)
{
	struct nfp_ft_idset bigger = { 0 };

	bigger.cap = s->cap ? s->cap * 2 : 1024;
	bigger.ids = calloc(bigger.cap, sizeof(*bigger.ids));
	bigger.ents = malloc(bigger.cap * sizeof(*bigger.ents));
	if (!bigger.ids || !bigger.ents) {
		free(bigger.ids);
		free(bigger.ents);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->cap; i++)
		if (s->ids[i] != ID_EMPTY && s->ids[i] != ID_REMOVED)
			nfp_ft_idset_put(&bigger, &s->ents[i]);
	nfp_ft_idset_free(s);
	*s = bigger;
	return 0;
}

int nfp_ft_idset_put(struct nfp_ft_idset *s, const struct nfp_ft_entry *e)
{
	uint64_t id = e->flow.flow_id;
	size_t i;

	if (id == ID_EMPTY || id == ID_REMOVED)
		return 0;
	if ((s->used + 1) * 4 >= s->cap * 3 && grow(s))
		return -ENOMEM;
	for (i = slot_of(s, id);; i = (i + 1) & (s->cap - 1)) {
		if (s->ids[i] == id) {
			s->ents[i] = *e;
			return 0;
		}
		if (s->ids[i] == ID_EMPTY)
			break;
	}
	s->ids[i] = id;
	s->ents[i] = *e;
	s->used++;
	s->n++;
	return 0;
}

struct nfp_ft_entry *nfp_ft_idset_get(struct nfp_ft_idset *s, uint64_t id)
{
	if (!s->cap || id == ID_EMPTY || id == ID_REMOVED)
		return NULL;
	for (size_t i = slot_of(s, id);; i = (i + 1) & (s->cap - 1)) {
		if (s->ids[i] == id)
			return &s->ents[i];
		if (s->ids[i] == ID_EMPTY)
			return NULL;
	}
}

void nfp_ft_idset_del(struct nfp_ft_idset *s, uint64_t id)
{
	struct nfp_ft_entry *e = nfp_ft_idset_get(s, id);

	if (e) {
		s->ids[e - s->ents] = ID_REMOVED;
		s->n--;
	}
}

void nfp_ft_idset_free(struct nfp_ft_idset *s)
{
	free(s->ids);
	free(s->ents);
	memset(s, 0, sizeof(*s));
}

void nfp_ft_forget_id(struct nfp_flowtable *ft, uint64_t id)
{
	nfp_ft_idset_del(&ft->prev, id);
	nfp_ft_idset_del(&ft->cur, id);
}

/* End of a pass over both tables: what the last pass saw and this one did
 * not was recycled. */
static void finish_pass(struct nfp_flowtable *ft)
{
	for (size_t i = 0; i < ft->prev.cap; i++) {
		uint64_t id = ft->prev.ids[i];

		if (id == ID_EMPTY || id == ID_REMOVED || nfp_ft_idset_get(&ft->cur, id))
			continue;
		ft->st.recycled++;
		nfp_ft_report_end(ft, &ft->prev.ents[i], NFP_FT_END_RECYCLED);
	}
	nfp_ft_idset_free(&ft->prev);
	ft->prev = ft->cur;
	memset(&ft->cur, 0, sizeof(ft->cur));
	ft->st.live[0] = ft->pass_live[0];
	ft->st.live[1] = ft->pass_live[1];
	ft->st.sweeps++;
}

/* Delete @key if it is still the expired context we read. */
static bool end_if_unchanged(int fd, const void *key, const struct nfp_ft_flow *seen)
{
	struct nfp_ft_flow now;

	if (bpf_map_lookup_elem(fd, key, &now))
		return false;
	if (now.flow_id != seen->flow_id || now.last != seen->last)
		return false; /* a packet came: XDP restarted or refreshed it */
	return bpf_map_delete_elem(fd, key) == 0;
}

static void look_at(struct nfp_flowtable *ft, int fd, bool v6, const void *key,
		    const struct nfp_ft_flow *f, uint32_t now)
{
	struct nfp_ft_entry e;

	memset(&e, 0, sizeof(e));
	e.v6 = v6;
	memcpy(&e.k6, key, nfp_ft_key_size(v6));
	e.flow = *f;
	if (nfp_ft_flow_expired(f, now)) {
		if (!end_if_unchanged(fd, key, f))
			return;
		bool closed = f->tcp_state == NFP_TCP_FINACK || f->tcp_state == NFP_TCP_RST;

		ft->st.swept++;
		if (closed)
			ft->st.tcp_closed++;
		nfp_ft_forget_id(ft, f->flow_id);
		nfp_ft_report_end(ft, &e, closed ? NFP_FT_END_TCP_CLOSE : NFP_FT_END_EXPIRED);
		return;
	}
	ft->pass_live[v6]++;
	if (ft->cur.n < NFP_FT_TRACK_MAX)
		nfp_ft_idset_put(&ft->cur, &e);
	else
		ft->untracked++;
}

/* Walk part of the current table; returns true when it is done. */
static bool walk(struct nfp_flowtable *ft, long *budget, uint32_t now)
{
	static unsigned char keys[NFP_FT_SWEEP_BATCH * sizeof(struct nfp_ft_key6)];
	static struct nfp_ft_flow vals[NFP_FT_SWEEP_BATCH];
	bool v6 = ft->pass_table;
	size_t ksz = nfp_ft_key_size(v6);

	while (*budget > 0) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);
		uint64_t out_token = 0;
		uint32_t count = NFP_FT_SWEEP_BATCH;
		int r;

		r = bpf_map_lookup_batch(ft->pass_table_fd, ft->pass_started ? &ft->pass_token : NULL,
					 &out_token, keys, vals, &count, &opts);
		r = r ? -errno : 0;
		ft->pass_started = true;
		ft->pass_token = out_token;
		for (uint32_t i = 0; i < count; i++)
			look_at(ft, ft->pass_table_fd, v6, keys + i * ksz, &vals[i], now);
		*budget -= count ? count : 1;
		if (r == -ENOENT)
			return true;
		if (r) {
			log_warn("flowtable: sweeping the IPv%d table: %s", v6 ? 6 : 4, strerror(-r));
			return true;
		}
	}
	return false;
}

void nfp_ft_sweep(struct nfp_flowtable *ft)
{
	long budget = NFP_FT_SWEEP_BUDGET;
	uint32_t now = nfp_ft_now();

	ring_buffer__consume(ft->ends_rb);
	while (budget > 0) {
		if (ft->pass_table_fd < 0 || !ft->pass_started) {
			/* (re)start this table: a resize swaps the table under us */
			if (ft->pass_table_fd >= 0)
				close(ft->pass_table_fd);
			ft->pass_table_fd = nfp_ft_table_current(ft->outer_fd[ft->pass_table]);
			if (ft->pass_table_fd < 0)
				return;
			ft->pass_live[ft->pass_table] = 0;
		}
		if (!walk(ft, &budget, now))
			return;
		/* this table is done: on to the other, or finish the pass */
		close(ft->pass_table_fd);
		ft->pass_table_fd = -1;
		ft->pass_started = false;
		if (ft->pass_table == 1)
			finish_pass(ft);
		ft->pass_table ^= 1;
		if (ft->pass_table == 0)
			return; /* one full pass per tick at most */
	}
}
