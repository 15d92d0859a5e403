/* table.c - see table.h: creating, finding and resizing the flow tables. */
#include "flowtable/table.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void nfp_ft_btf_from_obj(struct nfp_ft_btf *b, struct bpf_object *obj)
{
	struct btf *btf = obj ? bpf_object__btf(obj) : NULL;
	int k4, k6, fl;

	b->fd = -1;
	if (!btf)
		return;
	k4 = btf__find_by_name_kind(btf, "nfp_ft_key4", BTF_KIND_STRUCT);
	k6 = btf__find_by_name_kind(btf, "nfp_ft_key6", BTF_KIND_STRUCT);
	fl = btf__find_by_name_kind(btf, "nfp_ft_flow", BTF_KIND_STRUCT);
	if (k4 <= 0 || k6 <= 0 || fl <= 0 || btf__fd(btf) < 0)
		return;
	b->fd = btf__fd(btf);
	b->key4 = (uint32_t)k4;
	b->key6 = (uint32_t)k6;
	b->flow = (uint32_t)fl;
}

int nfp_ft_table_create(int v6, uint32_t max_flows, const struct nfp_ft_btf *btf)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);
	int fd;

	if (max_flows < NFP_FT_MIN_MAX_FLOWS || max_flows > NFP_FT_MAX_MAX_FLOWS)
		return -ERANGE;
	if (btf && btf->fd >= 0) {
		opts.btf_fd = (uint32_t)btf->fd;
		opts.btf_key_type_id = v6 ? btf->key6 : btf->key4;
		opts.btf_value_type_id = btf->flow;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, v6 ? "nfp_ft_flows6" : "nfp_ft_flows4",
			    (uint32_t)nfp_ft_key_size(v6), sizeof(struct nfp_ft_flow), max_flows,
			    &opts);
	if (fd < 0 && btf && btf->fd >= 0) {
		/* an older kernel may refuse BTF for this map: go without */
		LIBBPF_OPTS(bpf_map_create_opts, plain);
		fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, v6 ? "nfp_ft_flows6" : "nfp_ft_flows4",
				    (uint32_t)nfp_ft_key_size(v6), sizeof(struct nfp_ft_flow),
				    max_flows, &plain);
	}
	return fd < 0 ? -errno : fd;
}

int nfp_ft_table_current(int outer_fd)
{
	uint32_t zero = 0, id;
	int fd;

	if (bpf_map_lookup_elem(outer_fd, &zero, &id))
		return errno == ENOENT ? -ENOENT : -errno;
	fd = bpf_map_get_fd_by_id(id);
	return fd < 0 ? -errno : fd;
}

uint32_t nfp_ft_table_capacity(int outer_fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	int fd = nfp_ft_table_current(outer_fd);

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.max_entries = 0;
	close(fd);
	return info.max_entries;
}

static int install(int outer_fd, int table_fd)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(outer_fd, &zero, &table_fd, BPF_ANY) ? -errno : 0;
}

int nfp_ft_table_ensure(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf)
{
	int fd = nfp_ft_table_current(outer_fd), r;

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	fd = nfp_ft_table_create(v6, max_flows, btf);
	if (fd < 0)
		return fd;
	r = install(outer_fd, fd);
	close(fd);
	return r;
}

/* Flows copied in the first pass, sorted by key for the catch-up pass. */
struct copy_set {
	unsigned char *items;  /* key then struct nfp_ft_flow, ksz + vsz each */
	size_t n, cap, ksz;
};

static size_t item_size(const struct copy_set *s)
{
	return s->ksz + sizeof(struct nfp_ft_flow);
}

static size_t sort_ksz;
static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, sort_ksz);
}

static int copy_add(struct copy_set *s, const void *key, const struct nfp_ft_flow *f)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		unsigned char *p = realloc(s->items, cap * item_size(s));

		if (!p)
			return -ENOMEM;
		s->items = p;
		s->cap = cap;
	}
	memcpy(s->items + s->n * item_size(s), key, s->ksz);
	memcpy(s->items + s->n * item_size(s) + s->ksz, f, sizeof(*f));
	s->n++;
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Counters the old table gained after @was was copied from it. */
static void add_delta(struct nfp_ft_flow *into, const struct nfp_ft_flow *old,
		      const struct nfp_ft_flow *was)
{
	for (int d = 0; d < 2; d++) {
		into->packets[d] += old->packets[d] - was->packets[d];
		into->bytes[d] += old->bytes[d] - was->bytes[d];
	}
	if ((int32_t)(old->last - into->last) > 0)
		into->last = old->last;
	into->tcp_state = old->tcp_state;
	into->lifetime = old->lifetime;
}

int nfp_ft_table_resize(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf,
			struct nfp_ft_resize_report *rep)
{
	struct copy_set set = { .ksz = nfp_ft_key_size(v6) };
	unsigned char key[sizeof(struct nfp_ft_key6)], next[sizeof(struct nfp_ft_key6)];
	struct nfp_ft_flow f, cur;
	uint64_t t0 = now_us();
	int old_fd, new_fd, r = 0;
	void *prev = NULL;

	memset(rep, 0, sizeof(*rep));
	old_fd = nfp_ft_table_current(outer_fd);
	if (old_fd < 0)
		return old_fd;
	new_fd = nfp_ft_table_create(v6, max_flows, btf);
	if (new_fd < 0) {
		close(old_fd);
		return new_fd;
	}
	/* 1. copy everything while XDP still uses the old table */
	while (bpf_map_get_next_key(old_fd, prev, next) == 0) {
		memcpy(key, next, set.ksz);
		prev = key;
		if (bpf_map_lookup_elem(old_fd, key, &f))
			continue; /* gone meanwhile */
		if (bpf_map_update_elem(new_fd, key, &f, BPF_ANY) || copy_add(&set, key, &f)) {
			r = errno ? -errno : -ENOMEM;
			goto fail;
		}
		rep->copied++;
	}
	/* 2. swap: from here on XDP counts in the new table */
	r = install(outer_fd, new_fd);
	if (r)
		goto fail;
	/* 3. catch up with what the old table saw during the copy */
	sort_ksz = set.ksz;
	if (set.n) /* qsort and bsearch want a real array, even an empty one */
		qsort(set.items, set.n, item_size(&set), cmp_key);
	prev = NULL;
	while (bpf_map_get_next_key(old_fd, prev, next) == 0) {
		const unsigned char *hit;

		memcpy(key, next, set.ksz);
		prev = key;
		if (bpf_map_lookup_elem(old_fd, key, &f))
			continue;
		hit = set.n ? bsearch(key, set.items, set.n, item_size(&set), cmp_key) : NULL;
		if (!hit) {
			/* created during the copy */
			if (bpf_map_update_elem(new_fd, key, &f, BPF_NOEXIST) == 0)
				rep->caught_up++;
			continue;
		}
		const struct nfp_ft_flow *was = (const void *)(hit + set.ksz);

		if (f.packets[0] == was->packets[0] && f.packets[1] == was->packets[1])
			continue;
		if (bpf_map_lookup_elem(new_fd, key, &cur))
			continue;
		add_delta(&cur, &f, was);
		if (bpf_map_update_elem(new_fd, key, &cur, BPF_EXIST) == 0)
			rep->caught_up++;
	}
	free(set.items);
	close(old_fd);
	close(new_fd);
	rep->duration_us = now_us() - t0;
	return 0;
fail:
	free(set.items);
	close(old_fd);
	close(new_fd);
	return r;
}
