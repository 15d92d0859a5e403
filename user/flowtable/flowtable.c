/* flowtable.c - see flowtable.h: opening the flowtable's maps, per-interface
 * configuration (resizing the shared tables when the shares change), and
 * reading, changing and deleting contexts for the API. */
#include "flowtable/internal.h"
#include "common/log.h"
#include "dataplane/dataplane.h"
#include "nfpd/daemon.h"
#include "nfplane/common.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint32_t nfp_ft_now(void)
{
	struct timespec ts;

	/* bpf_ktime_get_coarse_ns() reads this clock */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return nfp_ft_ticks((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

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

		if (nfp_ft_table_capacity(ft->outer_fd[v6]) == total)
			continue;
		r = nfp_ft_table_resize(ft->outer_fd[v6], v6, (uint32_t)total, &ft->btf, &rep);
		if (r) {
			snprintf(msg, msg_len, "cannot resize the IPv%d table to %llu flows: %s",
				 v6 ? 6 : 4, (unsigned long long)total, strerror(-r));
			return r;
		}
		log_info("flowtable: IPv%d table now %llu flows (%llu migrated, %llu caught up, "
			 "%llu us)", v6 ? 6 : 4, (unsigned long long)total,
			 (unsigned long long)rep.copied, (unsigned long long)rep.caught_up,
			 (unsigned long long)rep.duration_us);
		/* a pass over the old table would now read a stale one */
		ft->pass_started = false;
	}
	if (bpf_map_update_elem(ft->conf_fd, &slot, &conf, BPF_ANY)) {
		r = -errno;
		snprintf(msg, msg_len, "cannot store the configuration: %s", strerror(-r));
		return r;
	}
	return 0;
}

static int table_fd(struct nfp_flowtable *ft, bool v6)
{
	return nfp_ft_table_current(ft->outer_fd[v6]);
}

int nfp_ft_lookup(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t, struct nfp_ft_flow *f)
{
	struct nfp_ft_key6 key;
	int fd = table_fd(ft, t->v6), r;

	if (fd < 0)
		return fd;
	nfp_ft_tuple_key(t, &key);
	r = bpf_map_lookup_elem(fd, &key, f) ? -errno : 0;
	close(fd);
	return r;
}

static void apply(struct nfp_ft_flow *f, const struct nfp_ft_update *u)
{
	if (u->has_lifetime) {
		f->lifetime = u->lifetime;
		f->flags |= NFP_FTF_LIFETIME_SET;
	}
	if (u->has_offload) {
		if (u->offloaded) {
			f->flags |= NFP_FTF_OFFLOADED;
			f->action = u->action;
			f->action_arg = u->action_arg;
		} else {
			f->flags &= ~NFP_FTF_OFFLOADED;
			f->action = 0;
			f->action_arg = 0;
		}
	}
}

int nfp_ft_apply_update(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t,
			const struct nfp_ft_update *u, struct nfp_ft_flow *out, bool *created)
{
	struct nfp_ft_key6 key;
	struct nfp_ft_flow f;
	int fd = table_fd(ft, t->v6), r = 0;

	if (fd < 0)
		return fd;
	nfp_ft_tuple_key(t, &key);
	*created = false;
	/* XDP may create or count the flow meanwhile: retry once on a race */
	for (int attempt = 0; attempt < 2; attempt++) {
		if (bpf_map_lookup_elem(fd, &key, &f) == 0) {
			apply(&f, u);
			r = bpf_map_update_elem(fd, &key, &f, BPF_EXIST) ? -errno : 0;
		} else {
			struct nfp_ft_conf conf;
			uint32_t now = nfp_ft_now();

			nfp_ft_conf_get(ft, u->slot, &conf);
			memset(&f, 0, sizeof(f));
			f.created = f.last = now;
			/* ids XDP makes have the CPU number on top; ours 0x7f (JSON-safe) */
			f.flow_id = (0x7fULL << 56) | (++ft->next_user_id & ((1ULL << 56) - 1));
			f.lifetime = conf.lifetime;
			f.slot = (uint8_t)u->slot;
			f.flags = t->v6 ? NFP_FTF_V6 : 0;
			apply(&f, u);
			r = bpf_map_update_elem(fd, &key, &f, BPF_NOEXIST) ? -errno : 0;
			if (!r)
				*created = true;
		}
		if (r != -ENOENT && r != -EEXIST)
			break;
	}
	close(fd);
	if (!r && u->has_info) {
		struct nfp_ft_info in;

		memcpy(in.info, u->info, sizeof(in.info));
		if (bpf_map_update_elem(ft->info_fd, &f.flow_id, &in, BPF_ANY))
			r = -errno; /* the table is full of infos: say so */
	}
	if (!r && out)
		*out = f;
	return r;
}

static void entry_from(struct nfp_ft_entry *e, bool v6, const void *key, const struct nfp_ft_flow *f)
{
	memset(e, 0, sizeof(*e));
	e->v6 = v6;
	memcpy(&e->k6, key, nfp_ft_key_size(v6));
	e->flow = *f;
}

int nfp_ft_delete(struct nfp_flowtable *ft, const struct nfp_ft_tuple *t)
{
	struct nfp_ft_key6 key;
	struct nfp_ft_entry e;
	struct nfp_ft_flow f;
	int fd = table_fd(ft, t->v6), r;

	if (fd < 0)
		return fd;
	nfp_ft_tuple_key(t, &key);
	r = bpf_map_lookup_elem(fd, &key, &f) ? -errno : 0;
	if (!r)
		r = bpf_map_delete_elem(fd, &key) ? -errno : 0;
	close(fd);
	if (r)
		return r;
	entry_from(&e, t->v6, &key, &f);
	ft->st.deleted++;
	nfp_ft_forget_id(ft, f.flow_id);
	nfp_ft_report_end(ft, &e, NFP_FT_END_DELETED);
	return 0;
}

long nfp_ft_foreach(struct nfp_flowtable *ft, int (*fn)(const struct nfp_ft_entry *e, void *ctx),
		    void *ctx)
{
	long n = 0;

	for (int v6 = 0; v6 < 2; v6++) {
		unsigned char key[sizeof(struct nfp_ft_key6)], next[sizeof(struct nfp_ft_key6)];
		size_t ksz = nfp_ft_key_size(v6);
		int fd = table_fd(ft, v6);
		void *prev = NULL;
		struct nfp_ft_entry e;
		struct nfp_ft_flow f;

		if (fd < 0)
			continue;
		while (bpf_map_get_next_key(fd, prev, next) == 0) {
			memcpy(key, next, ksz);
			prev = key;
			if (bpf_map_lookup_elem(fd, key, &f))
				continue;
			entry_from(&e, v6, key, &f);
			n++;
			if (fn(&e, ctx)) {
				close(fd);
				return n;
			}
		}
		close(fd);
	}
	return n;
}

long nfp_ft_flush(struct nfp_flowtable *ft, int slot)
{
	long n = 0;

	for (int v6 = 0; v6 < 2; v6++) {
		unsigned char key[sizeof(struct nfp_ft_key6)], next[sizeof(struct nfp_ft_key6)];
		size_t ksz = nfp_ft_key_size(v6);
		int fd = table_fd(ft, v6);
		bool have_prev = false;
		struct nfp_ft_entry e;
		struct nfp_ft_flow f;

		if (fd < 0)
			continue;
		/* deleting the current key would lose the walk's place: step to
		 * the next key first, then delete the one before */
		while (bpf_map_get_next_key(fd, have_prev ? key : NULL, next) == 0) {
			if (have_prev && bpf_map_lookup_elem(fd, key, &f) == 0 &&
			    (slot < 0 || f.slot == slot) && bpf_map_delete_elem(fd, key) == 0) {
				entry_from(&e, v6, key, &f);
				nfp_ft_forget_id(ft, f.flow_id);
				nfp_ft_report_end(ft, &e, NFP_FT_END_DELETED);
				n++;
			}
			memcpy(key, next, ksz);
			have_prev = true;
		}
		if (have_prev && bpf_map_lookup_elem(fd, key, &f) == 0 &&
		    (slot < 0 || f.slot == slot) && bpf_map_delete_elem(fd, key) == 0) {
			entry_from(&e, v6, key, &f);
			nfp_ft_forget_id(ft, f.flow_id);
			nfp_ft_report_end(ft, &e, NFP_FT_END_DELETED);
			n++;
		}
		close(fd);
	}
	ft->st.deleted += (uint64_t)n;
	return n;
}

int nfp_ft_stats_get(struct nfp_flowtable *ft, uint32_t slot, struct nfp_ft_stats *out)
{
	struct nfp_ft_stats *pc = calloc((size_t)ft->ncpus, sizeof(*pc));
	int r = 0;

	if (!pc)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(ft->stats_fd, &slot, pc))
		r = -errno;
	for (int c = 0; !r && c < ft->ncpus; c++)
		for (size_t i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
			((uint64_t *)out)[i] += ((uint64_t *)&pc[c])[i];
	free(pc);
	return r;
}

void nfp_ft_daemon_stats(struct nfp_flowtable *ft, struct nfp_ft_daemon_stats *out)
{
	*out = ft->st;
	for (int v6 = 0; v6 < 2; v6++)
		out->capacity[v6] = nfp_ft_table_capacity(ft->outer_fd[v6]);
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
	bool v6;

	if (len < sizeof(*rec))
		return 0;
	v6 = rec->flow.flags & NFP_FTF_V6;
	memset(&e, 0, sizeof(e));
	e.v6 = v6;
	if (v6) {
		e.k6 = rec->key;
	} else {
		e.k4.lo_addr = rec->key.lo_addr[0];
		e.k4.hi_addr = rec->key.hi_addr[0];
		e.k4.lo_port = rec->key.lo_port;
		e.k4.hi_port = rec->key.hi_port;
		e.k4.proto = rec->key.proto;
	}
	e.flow = rec->flow;
	nfp_ft_forget_id(ft, rec->flow.flow_id);
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
	ft->pass_table_fd = -1;
	/* ids stay unique across restarts of nfpd: start from the wall clock */
	ft->next_user_id = (uint64_t)time(NULL) << 20;
	ft->ncpus = libbpf_num_possible_cpus();
	ft->outer_fd[0] = nfp_dp_map_fd(d->dp, NFP_MAP_FT_TABLES4);
	ft->outer_fd[1] = nfp_dp_map_fd(d->dp, NFP_MAP_FT_TABLES6);
	ft->conf_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_CONF);
	ft->stats_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_STATS);
	ft->info_fd = nfp_dp_map_fd(d->dp, NFP_MAP_FT_INFO);
	if (ft->outer_fd[0] < 0 || ft->outer_fd[1] < 0 || ft->conf_fd < 0 || ft->stats_fd < 0 ||
	    ft->info_fd < 0) {
		free(ft);
		return -ENOENT;
	}
	nfp_ft_btf_from_obj(&ft->btf, nfp_dp_object(d->dp));
	/* the tables outlive nfpd in the pins: only the first start creates them */
	for (int v6 = 0; v6 < 2; v6++) {
		r = nfp_ft_table_ensure(ft->outer_fd[v6], v6, NFP_FT_DEFAULT_MAX_FLOWS, &ft->btf);
		if (r) {
			log_error("flowtable: cannot create the IPv%d table: %s", v6 ? 6 : 4,
				  strerror(-r));
			free(ft);
			return r;
		}
	}
	ft->ends_rb = ring_buffer__new(nfp_dp_map_fd(d->dp, NFP_MAP_FT_ENDS), on_end_record, ft,
				       NULL);
	if (!ft->ends_rb) {
		r = -errno;
		free(ft);
		return r;
	}
	r = nfp_ft_mirror_open(ft);
	if (r) {
		ring_buffer__free(ft->ends_rb);
		free(ft);
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
	nfp_ft_mirror_close(ft);
	ring_buffer__free(ft->ends_rb);
	if (ft->pass_table_fd >= 0)
		close(ft->pass_table_fd);
	nfp_ft_idset_free(&ft->prev);
	nfp_ft_idset_free(&ft->cur);
	free(ft);
}
