/* table.c - see table.h: creating, mapping, searching and resizing the flow
 * tables, and the slot-level work on them: reading a slot as an entry,
 * inserting (with the displaced flow), and taking flows out under the set's
 * lock. The hash, set index, key comparison and recycling choice are the
 * ones XDP uses, from include/nfplane/flowtable.h. Nothing here knows nfpd:
 * tests and benchmarks link this file alone. */
#include "flowtable/table.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define NFPD_LOCK_OWNER 2u /* XDP writes 1: who holds a set shows in a dump */

uint32_t nfp_ft_now(void)
{
	struct timespec ts;

	/* bpf_ktime_get_coarse_ns() reads this clock */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return nfp_ft_ticks((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

void nfp_ft_btf_from_obj(struct nfp_ft_btf *b, struct bpf_object *obj)
{
	struct btf *btf = obj ? bpf_object__btf(obj) : NULL;
	int s4, s6, u32;

	b->fd = -1;
	if (!btf)
		return;
	s4 = btf__find_by_name_kind(btf, "nfp_ft_set4", BTF_KIND_STRUCT);
	s6 = btf__find_by_name_kind(btf, "nfp_ft_set6", BTF_KIND_STRUCT);
	/* an array's key must be described as a 32-bit integer */
	u32 = btf__find_by_name_kind(btf, "__u32", BTF_KIND_TYPEDEF);
	if (u32 <= 0)
		u32 = btf__find_by_name_kind(btf, "unsigned int", BTF_KIND_INT);
	if (s4 <= 0 || s6 <= 0 || u32 <= 0 || btf__fd(btf) < 0)
		return;
	b->fd = btf__fd(btf);
	b->u32 = (uint32_t)u32;
	b->set4 = (uint32_t)s4;
	b->set6 = (uint32_t)s6;
}

static size_t set_size(int v6)
{
	return v6 ? sizeof(struct nfp_ft_set6) : sizeof(struct nfp_ft_set4);
}

uint32_t nfp_ft_capacity_for(uint32_t max_flows)
{
	return nfp_ft_nsets(max_flows) * NFP_FT_WAYS;
}

int nfp_ft_table_create(int v6, uint32_t max_flows, const struct nfp_ft_btf *btf)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	const char *name = v6 ? "nfp_ft_flows6" : "nfp_ft_flows4";
	uint32_t nsets;
	int fd;

	if (max_flows < NFP_FT_MIN_MAX_FLOWS || max_flows > NFP_FT_MAX_MAX_FLOWS)
		return -ERANGE;
	nsets = nfp_ft_nsets(max_flows);
	if (btf && btf->fd >= 0) {
		opts.btf_fd = (uint32_t)btf->fd;
		opts.btf_key_type_id = btf->u32;
		opts.btf_value_type_id = v6 ? btf->set6 : btf->set4;
	}
	/* one element per set: XDP reads the number of sets from max_entries */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, 4, (uint32_t)set_size(v6), nsets, &opts);
	if (fd < 0 && btf && btf->fd >= 0) {
		/* a kernel may refuse BTF for this map: go without */
		LIBBPF_OPTS(bpf_map_create_opts, plain,
			    .map_flags = BPF_F_MMAPABLE | BPF_F_INNER_MAP);
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, 4, (uint32_t)set_size(v6), nsets,
				    &plain);
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
	return info.max_entries * NFP_FT_WAYS;
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

/* ---- a mapped table ---- */

int nfp_ft_tab_map(struct nfp_ft_tab *t, int fd, int v6)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	long page = sysconf(_SC_PAGESIZE);

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		int r = -errno;

		close(fd);
		return r;
	}
	if (info.type != BPF_MAP_TYPE_ARRAY || info.value_size != set_size(v6) ||
	    !info.max_entries || !(info.map_flags & BPF_F_MMAPABLE)) {
		close(fd);
		return -EINVAL; /* not one of ours (an older nfplane's table?) */
	}
	t->fd = fd;
	t->v6 = v6;
	t->set_size = set_size(v6);
	t->key_size = nfp_ft_key_size(v6);
	t->len = ((size_t)info.max_entries * t->set_size + (size_t)page - 1) & ~((size_t)page - 1);
	t->mem = mmap(NULL, t->len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (t->mem == MAP_FAILED) {
		int r = -errno;

		close(fd);
		memset(t, 0, sizeof(*t));
		t->fd = -1;
		return r;
	}
	t->nsets = info.max_entries;
	t->nslots = (uint64_t)t->nsets * NFP_FT_WAYS;
	return 0;
}

int nfp_ft_tab_open(struct nfp_ft_tab *t, int outer_fd, int v6)
{
	int fd = nfp_ft_table_current(outer_fd);

	if (fd < 0) {
		memset(t, 0, sizeof(*t));
		t->fd = -1;
		return fd;
	}
	return nfp_ft_tab_map(t, fd, v6);
}

void nfp_ft_tab_close(struct nfp_ft_tab *t)
{
	if (t->mem && t->mem != MAP_FAILED)
		munmap(t->mem, t->len);
	if (t->fd >= 0)
		close(t->fd);
	memset(t, 0, sizeof(*t));
	t->fd = -1;
}

static uint8_t *set_ptr(const struct nfp_ft_tab *t, uint64_t i)
{
	return t->mem + (i / NFP_FT_WAYS) * t->set_size;
}

void *nfp_ft_tab_key(const struct nfp_ft_tab *t, uint64_t i)
{
	uint8_t *s = set_ptr(t, i);
	unsigned w = (unsigned)(i % NFP_FT_WAYS);

	return t->v6 ? (void *)&((struct nfp_ft_set6 *)s)->slot[w].key
		     : (void *)&((struct nfp_ft_set4 *)s)->slot[w].key;
}

struct nfp_ft_body *nfp_ft_tab_body(const struct nfp_ft_tab *t, uint64_t i)
{
	uint8_t *s = set_ptr(t, i);
	unsigned w = (unsigned)(i % NFP_FT_WAYS);

	return t->v6 ? &((struct nfp_ft_set6 *)s)->slot[w].b : &((struct nfp_ft_set4 *)s)->slot[w].b;
}

struct nfp_ft_cold *nfp_ft_tab_cold(const struct nfp_ft_tab *t, uint64_t i)
{
	uint8_t *s = set_ptr(t, i);
	unsigned w = (unsigned)(i % NFP_FT_WAYS);

	return t->v6 ? &((struct nfp_ft_set6 *)s)->cold[w] : &((struct nfp_ft_set4 *)s)->cold[w];
}

static uint32_t *lock_ptr(const struct nfp_ft_tab *t, uint64_t i)
{
	uint8_t *s = set_ptr(t, i);

	return t->v6 ? &((struct nfp_ft_set6 *)s)->lock : &((struct nfp_ft_set4 *)s)->lock;
}

bool nfp_ft_tab_used(const struct nfp_ft_tab *t, uint64_t i)
{
	/* "used" sits at the same offset in both key types */
	const volatile uint8_t *used = t->v6 ? &((struct nfp_ft_key6 *)nfp_ft_tab_key(t, i))->used
					     : &((struct nfp_ft_key4 *)nfp_ft_tab_key(t, i))->used;

	return *used != 0;
}

void nfp_ft_tab_view(const struct nfp_ft_tab *t, uint64_t i, struct nfp_ft_flow *f)
{
	nfp_ft_view(f, nfp_ft_tab_body(t, i), nfp_ft_tab_cold(t, i));
}

void nfp_ft_tab_entry(const struct nfp_ft_tab *t, uint64_t i, struct nfp_ft_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->v6 = t->v6;
	memcpy(&e->k6, nfp_ft_tab_key(t, i), t->key_size);
	nfp_ft_tab_view(t, i, &e->flow);
}

void nfp_ft_entry_from_end(struct nfp_ft_entry *e, const struct nfp_ft_end *rec)
{
	memset(e, 0, sizeof(*e));
	e->v6 = rec->flow.flags & NFP_FTF_V6;
	if (e->v6) {
		e->k6 = rec->key;
	} else {
		e->k4.lo_addr = rec->key.lo_addr[0];
		e->k4.hi_addr = rec->key.hi_addr[0];
		e->k4.lo_port = rec->key.lo_port;
		e->k4.hi_port = rec->key.hi_port;
		e->k4.proto = rec->key.proto;
	}
	e->flow = rec->flow;
}

bool nfp_ft_tab_lock(const struct nfp_ft_tab *t, uint64_t i)
{
	uint32_t *lock = lock_ptr(t, i);

	for (int tries = 0; tries < 100000; tries++) {
		uint32_t expect = 0;

		if (__atomic_compare_exchange_n(lock, &expect, NFPD_LOCK_OWNER, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
		if (tries > 100)
			sched_yield();
	}
	return false;
}

void nfp_ft_tab_unlock(const struct nfp_ft_tab *t, uint64_t i)
{
	__atomic_store_n(lock_ptr(t, i), 0, __ATOMIC_RELEASE);
}

uint64_t nfp_ft_tab_release_stale(const struct nfp_ft_tab *t)
{
	uint64_t n = 0;

	for (uint64_t first = 0; first < t->nslots; first += NFP_FT_WAYS) {
		uint32_t expect = NFPD_LOCK_OWNER;

		n += __atomic_compare_exchange_n(lock_ptr(t, first), &expect, 0, false,
						 __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	}
	return n;
}

uint64_t nfp_ft_tab_set_of(const struct nfp_ft_tab *t, const void *key)
{
	uint32_t h = t->v6 ? nfp_ft_hash6(key) : nfp_ft_hash4(key);

	/* the slot number of the set's way 0 */
	return (uint64_t)nfp_ft_set_index(h, t->nsets) * NFP_FT_WAYS;
}

static uint32_t key_hash(const struct nfp_ft_tab *t, const void *key)
{
	return t->v6 ? nfp_ft_hash6(key) : nfp_ft_hash4(key);
}

/* The @n-th slot in @key's search order (XDP's order). */
static uint64_t probe(const struct nfp_ft_tab *t, const void *key, unsigned n)
{
	uint32_t h = key_hash(t, key);

	return nfp_ft_tab_set_of(t, key) + ((nfp_ft_first_way(h) + n) & (NFP_FT_WAYS - 1));
}

int64_t nfp_ft_tab_find(const struct nfp_ft_tab *t, const void *key)
{
	if (!t->nsets)
		return -1;
	for (unsigned n = 0; n < NFP_FT_WAYS; n++) {
		uint64_t i = probe(t, key, n);
		const void *k = nfp_ft_tab_key(t, i);

		if (t->v6 ? nfp_ft_key6_eq(k, key) : nfp_ft_key4_eq(k, key))
			return (int64_t)i;
	}
	return -1;
}

static uint64_t insert(const struct nfp_ft_tab *t, const void *key, const struct nfp_ft_flow *f,
		       uint32_t now, bool competing, struct nfp_ft_victim *victim)
{
	uint64_t best = nfp_ft_tab_set_of(t, key);
	int64_t best_score = INT64_MAX;

	/* in search order: the first free way is the one XDP finds first */
	for (unsigned n = 0; n < NFP_FT_WAYS; n++) {
		uint64_t i = probe(t, key, n);
		int64_t score = nfp_ft_keep_score(nfp_ft_tab_used(t, i), nfp_ft_tab_body(t, i), now);

		if (score < best_score) {
			best_score = score;
			best = i;
		}
	}
	memset(victim, 0, sizeof(*victim));
	if (competing && nfp_ft_tab_used(t, best)) {
		/* the same score as the residents', from the flow's own fields */
		struct nfp_ft_body b;
		struct nfp_ft_cold c;
		int64_t score;

		nfp_ft_unview(&b, &c, f);
		score = nfp_ft_keep_score(1, &b, now);
		if (score < best_score) {
			victim->any = true;
			victim->live = score >= 0;
			victim->entry.v6 = t->v6;
			memcpy(&victim->entry.k6, key, t->key_size);
			victim->entry.flow = *f;
			return NFP_FT_NOT_INSERTED;
		}
	}
	if (nfp_ft_tab_used(t, best)) {
		victim->any = true;
		victim->live = best_score >= 0;
		nfp_ft_tab_entry(t, best, &victim->entry);
	}
	nfp_ft_unview(nfp_ft_tab_body(t, best), nfp_ft_tab_cold(t, best), f);
	/* the key last: XDP matches on it without the lock */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(nfp_ft_tab_key(t, best), key, t->key_size);
	return best;
}

uint64_t nfp_ft_tab_insert(const struct nfp_ft_tab *t, const void *key,
			   const struct nfp_ft_flow *f, uint32_t now, struct nfp_ft_victim *victim)
{
	return insert(t, key, f, now, false, victim);
}

uint64_t nfp_ft_tab_insert_competing(const struct nfp_ft_tab *t, const void *key,
				     const struct nfp_ft_flow *f, uint32_t now,
				     struct nfp_ft_victim *victim)
{
	return insert(t, key, f, now, true, victim);
}

void nfp_ft_tab_clear(const struct nfp_ft_tab *t, uint64_t i)
{
	/* the key first: from here XDP no longer finds the flow */
	memset(nfp_ft_tab_key(t, i), 0, t->key_size);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memset(nfp_ft_tab_body(t, i), 0, sizeof(struct nfp_ft_body));
	memset(nfp_ft_tab_cold(t, i), 0, sizeof(struct nfp_ft_cold));
}

int nfp_ft_tab_take(const struct nfp_ft_tab *t, const void *key, struct nfp_ft_entry *out)
{
	uint64_t first;
	int64_t i;

	if (!t->nsets)
		return -ENOENT;
	first = nfp_ft_tab_set_of(t, key);
	if (!nfp_ft_tab_lock(t, first))
		return -EBUSY;
	i = nfp_ft_tab_find(t, key);
	if (i >= 0) {
		nfp_ft_tab_entry(t, (uint64_t)i, out);
		nfp_ft_tab_clear(t, (uint64_t)i);
	}
	nfp_ft_tab_unlock(t, first);
	return i < 0 ? -ENOENT : 0;
}

int nfp_ft_tab_take_set(const struct nfp_ft_tab *t, uint64_t first,
			bool (*want)(const struct nfp_ft_tab *t, uint64_t i, void *ctx), void *ctx,
			struct nfp_ft_entry out[NFP_FT_WAYS])
{
	bool any = false;
	int k = 0;

	/* unlocked first: most sets have nothing to give */
	for (uint64_t i = first; i < first + NFP_FT_WAYS; i++)
		any |= nfp_ft_tab_used(t, i) && want(t, i, ctx);
	if (!any || !nfp_ft_tab_lock(t, first))
		return 0;
	/* again under the lock: XDP may have changed the set meanwhile */
	for (uint64_t i = first; i < first + NFP_FT_WAYS; i++) {
		if (!nfp_ft_tab_used(t, i) || !want(t, i, ctx))
			continue;
		nfp_ft_tab_entry(t, i, &out[k++]);
		nfp_ft_tab_clear(t, i);
	}
	nfp_ft_tab_unlock(t, first);
	return k;
}

/* ---- resize ---- */

/* What the copy saw of one old slot, for the catch-up pass. */
struct seen {
	uint64_t slot;        /* in the old table */
	uint64_t flow_id;
	uint64_t packets[2], bytes[2];
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Insert into the new table (not yet visible to XDP, or visible: either way
 * under its set's lock). When the set is full, the flow nearest to expiry
 * is dropped, the incoming one or a resident. */
static void put_new(const struct nfp_ft_tab *nt, const void *key, const struct nfp_ft_flow *f,
		    void (*dropped)(void *, int, const struct nfp_ft_victim *), void *ctx,
		    struct nfp_ft_resize_report *rep)
{
	struct nfp_ft_victim v;
	uint64_t first = nfp_ft_tab_set_of(nt, key);

	if (!nfp_ft_tab_lock(nt, first))
		return;
	nfp_ft_tab_insert_competing(nt, key, f, nfp_ft_now(), &v);
	nfp_ft_tab_unlock(nt, first);
	if (v.any) {
		rep->dropped++;
		if (dropped)
			dropped(ctx, nt->v6, &v);
	}
}

int nfp_ft_table_resize(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf,
			void (*dropped)(void *ctx, int v6, const struct nfp_ft_victim *v),
			void *ctx, struct nfp_ft_resize_report *rep)
{
	struct nfp_ft_tab ot, nt;
	struct seen *seen = NULL;
	size_t nseen = 0, cap = 0, k = 0;
	uint64_t t0 = now_us();
	int new_fd, r;

	memset(rep, 0, sizeof(*rep));
	r = nfp_ft_tab_open(&ot, outer_fd, v6);
	if (r)
		return r;
	new_fd = nfp_ft_table_create(v6, max_flows, btf);
	if (new_fd < 0) {
		nfp_ft_tab_close(&ot);
		return new_fd;
	}
	r = nfp_ft_tab_map(&nt, dup(new_fd), v6);
	if (r) {
		close(new_fd);
		nfp_ft_tab_close(&ot);
		return r;
	}
	/* 1. copy every flow while XDP still uses the old table, a set at a
	 * time under its lock, remembering what was copied */
	for (uint64_t first = 0; first < ot.nslots; first += NFP_FT_WAYS) {
		if (!nfp_ft_tab_lock(&ot, first))
			continue;
		for (uint64_t i = first; i < first + NFP_FT_WAYS; i++) {
			struct nfp_ft_flow f;

			if (!nfp_ft_tab_used(&ot, i))
				continue;
			if (nseen == cap) {
				size_t ncap = cap ? cap * 2 : 4096;
				struct seen *p = realloc(seen, ncap * sizeof(*p));

				if (!p) {
					nfp_ft_tab_unlock(&ot, first);
					r = -ENOMEM;
					goto out;
				}
				seen = p;
				cap = ncap;
			}
			nfp_ft_tab_view(&ot, i, &f);
			seen[nseen++] = (struct seen){ i, f.flow_id, { f.packets[0], f.packets[1] },
						       { f.bytes[0], f.bytes[1] } };
			put_new(&nt, nfp_ft_tab_key(&ot, i), &f, dropped, ctx, rep);
			rep->copied++;
		}
		nfp_ft_tab_unlock(&ot, first);
	}
	/* 2. swap: from here on XDP counts in the new table */
	r = install(outer_fd, new_fd);
	if (r)
		goto out;
	/* 3. catch up with what the old table saw during the copy (both walks
	 * go in slot order, so the remembered list is merged, not searched) */
	for (uint64_t first = 0; first < ot.nslots; first += NFP_FT_WAYS) {
		if (!nfp_ft_tab_lock(&ot, first))
			continue;
		for (uint64_t i = first; i < first + NFP_FT_WAYS; i++) {
			struct nfp_ft_flow f;
			int64_t at;

			while (k < nseen && seen[k].slot < i)
				k++;
			if (!nfp_ft_tab_used(&ot, i))
				continue;
			nfp_ft_tab_view(&ot, i, &f);
			if (k < nseen && seen[k].slot == i && seen[k].flow_id == f.flow_id) {
				const struct seen *was = &seen[k];
				struct nfp_ft_body *b;

				if (f.packets[0] == was->packets[0] && f.packets[1] == was->packets[1])
					continue;
				at = nfp_ft_tab_find(&nt, nfp_ft_tab_key(&ot, i));
				if (at < 0)
					continue;
				/* add what the old table counted since the copy */
				b = nfp_ft_tab_body(&nt, (uint64_t)at);
				for (int d = 0; d < 2; d++) {
					__atomic_fetch_add(&b->packets[d], f.packets[d] - was->packets[d],
							   __ATOMIC_RELAXED);
					__atomic_fetch_add(&b->bytes[d], f.bytes[d] - was->bytes[d],
							   __ATOMIC_RELAXED);
				}
				if ((int32_t)(f.last - b->last) > 0)
					b->last = f.last;
				rep->caught_up++;
				continue;
			}
			/* created during the copy */
			if (nfp_ft_tab_find(&nt, nfp_ft_tab_key(&ot, i)) >= 0)
				continue;
			put_new(&nt, nfp_ft_tab_key(&ot, i), &f, dropped, ctx, rep);
			rep->caught_up++;
		}
		nfp_ft_tab_unlock(&ot, first);
	}
	rep->duration_us = now_us() - t0;
out:
	free(seen);
	nfp_ft_tab_close(&nt);
	nfp_ft_tab_close(&ot);
	close(new_fd);
	return r;
}
