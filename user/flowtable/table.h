/* table.h - the flowtable's tables (include/nfplane/flowtable.h describes
 * their layout): arrays of sets that nfpd creates at the size it is told and
 * puts in slot 0 of the pinned array-of-maps (nfp_ft_tables4/6), so that XDP
 * finds the current one with one array lookup and nfpd can swap in a table
 * of another size under traffic (resize, with the live flows migrated).
 *
 * nfpd maps a table into its memory and works on the slots in place: reads
 * need nothing, and changes to a slot's key (insert, delete) hold the set's
 * lock word as XDP does, so neither side ever rewrites a whole set under the
 * other. The slot-level operations are here too (read a slot as an entry,
 * insert, take flows out), so that nothing else touches a set's layout or
 * lock. Also used by the BPF tests and benchmarks: nothing here knows nfpd.
 */
#ifndef NFP_FT_TABLE_H
#define NFP_FT_TABLE_H

#include "nfplane/flowtable.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_object;

/* BTF of the set structs, so bpftool prints tables with named fields. */
struct nfp_ft_btf {
	int fd;             /* -1: create without BTF */
	uint32_t set4, set6, u32;
};

/* Fill @b from the loaded object that defines the flowtable maps. */
void nfp_ft_btf_from_obj(struct nfp_ft_btf *b, struct bpf_object *obj);

/* @v6: 0 IPv4, 1 IPv6. A new, empty table for @max_flows: its fd or -errno. */
int nfp_ft_table_create(int v6, uint32_t max_flows, const struct nfp_ft_btf *btf);
/* fd of the table now in @outer_fd's slot 0 (caller closes), or -ENOENT. */
int nfp_ft_table_current(int outer_fd);
/* The current table's capacity in flows (slots), or 0 when none. */
uint32_t nfp_ft_table_capacity(int outer_fd);
/* The capacity a table made for @max_flows has. */
uint32_t nfp_ft_capacity_for(uint32_t max_flows);
/* Make sure a table is in place; creates one for @max_flows if not. */
int nfp_ft_table_ensure(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf);

/* A table mapped into this process. Slots are numbered 0..nslots-1, set by
 * set (slot i is way i % NFP_FT_WAYS of set i / NFP_FT_WAYS). */
struct nfp_ft_tab {
	int fd;
	int v6;
	uint32_t nsets;
	uint64_t nslots;
	size_t set_size, key_size;
	uint8_t *mem;       /* the sets */
	size_t len;
};

/* Map table @fd (the tab takes it over), or the current table of @outer_fd. */
int nfp_ft_tab_map(struct nfp_ft_tab *t, int fd, int v6);
int nfp_ft_tab_open(struct nfp_ft_tab *t, int outer_fd, int v6);
void nfp_ft_tab_close(struct nfp_ft_tab *t);

/* Parts of slot @i. */
void *nfp_ft_tab_key(const struct nfp_ft_tab *t, uint64_t i);
struct nfp_ft_body *nfp_ft_tab_body(const struct nfp_ft_tab *t, uint64_t i);
struct nfp_ft_cold *nfp_ft_tab_cold(const struct nfp_ft_tab *t, uint64_t i);
bool nfp_ft_tab_used(const struct nfp_ft_tab *t, uint64_t i);
/* The slot's context as a view. */
void nfp_ft_tab_view(const struct nfp_ft_tab *t, uint64_t i, struct nfp_ft_flow *f);

/* One flow off the table: its family, its key (of that family: k4 or k6)
 * and its context. What is read, taken or displaced from a slot, and what
 * nfpd reports when a flow ends. */
struct nfp_ft_entry {
	bool v6;
	union {
		struct nfp_ft_key4 k4;
		struct nfp_ft_key6 k6;
	};
	struct nfp_ft_flow flow;
};

/* Slot @i as an entry. */
void nfp_ft_tab_entry(const struct nfp_ft_tab *t, uint64_t i, struct nfp_ft_entry *e);
/* A flow-end record XDP wrote (its key is a key6 with IPv4 addresses in
 * [0]) as an entry. */
void nfp_ft_entry_from_end(struct nfp_ft_entry *e, const struct nfp_ft_end *rec);

/* Monotonic coarse clock in ticks, the one XDP stamps contexts with. */
uint32_t nfp_ft_now(void);

/* The set lock of slot @i's set. Lock returns false when XDP held it all
 * along (it holds it for a few instructions, so that means something is
 * wrong). */
bool nfp_ft_tab_lock(const struct nfp_ft_tab *t, uint64_t i);
void nfp_ft_tab_unlock(const struct nfp_ft_tab *t, uint64_t i);
/* Release the locks an nfpd held when it died (kill -9 inside a critical
 * section): only one nfpd runs at a time, so at its start every lock marked
 * as nfpd's is stale. Returns how many. */
uint64_t nfp_ft_tab_release_stale(const struct nfp_ft_tab *t);

/* The slot of @key (a normalised key of the table's family), or -1. The
 * caller holds the set's lock if it is about to change the slot. */
int64_t nfp_ft_tab_find(const struct nfp_ft_tab *t, const void *key);
/* The first slot of @key's set. */
uint64_t nfp_ft_tab_set_of(const struct nfp_ft_tab *t, const void *key);

/* A flow an insert displaced. */
struct nfp_ft_victim {
	bool any;
	bool live;                     /* had not expired: recycled */
	struct nfp_ft_entry entry;     /* of the table's family */
};

/* Put @key with context @f in a free slot of its set, or in place of the
 * expired flow or the flow nearest to expiry there (described in @victim).
 * The caller holds the set's lock and has checked that @key is absent.
 * Returns the slot. */
uint64_t nfp_ft_tab_insert(const struct nfp_ft_tab *t, const void *key,
			   const struct nfp_ft_flow *f, uint32_t now, struct nfp_ft_victim *victim);
/* The same for a flow that competes with the residents (a shrink copying
 * flows into a smaller table): when the set is full and @f has less time
 * left than every flow in it, @f is the one that goes. Then nothing is
 * written, @victim describes @f, and the result is NFP_FT_NOT_INSERTED. */
#define NFP_FT_NOT_INSERTED UINT64_MAX
uint64_t nfp_ft_tab_insert_competing(const struct nfp_ft_tab *t, const void *key,
				     const struct nfp_ft_flow *f, uint32_t now,
				     struct nfp_ft_victim *victim);
/* Empty slot @i (caller holds the lock). */
void nfp_ft_tab_clear(const struct nfp_ft_tab *t, uint64_t i);

/* Take @key's flow out of the table, under its set's lock, into @out.
 * 0, -ENOENT (not there, or no table), or -EBUSY (the lock stayed held). */
int nfp_ft_tab_take(const struct nfp_ft_tab *t, const void *key, struct nfp_ft_entry *out);
/* Under the set's lock, clear the slots of the set starting at slot @first
 * that @want picks, copying them to @out. Returns how many (0 without
 * taking the lock when none is wanted). The sweeper's and flush's walk. */
int nfp_ft_tab_take_set(const struct nfp_ft_tab *t, uint64_t first,
			bool (*want)(const struct nfp_ft_tab *t, uint64_t i, void *ctx), void *ctx,
			struct nfp_ft_entry out[NFP_FT_WAYS]);

struct nfp_ft_resize_report {
	uint64_t copied;      /* flows copied before the swap */
	uint64_t caught_up;   /* flows created or counted in the old table during the copy */
	uint64_t dropped;     /* flows the new table had no room for (shrinking) */
	uint64_t duration_us;
};

/* Put a table for @max_flows in place of the current one, migrating every
 * live flow: copy, swap, then carry over what the old table saw between
 * the copy and the swap (new flows, and counter deltas of copied ones).
 * Flows a smaller table has no room for go to @dropped (may be NULL). */
int nfp_ft_table_resize(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf,
			void (*dropped)(void *ctx, int v6, const struct nfp_ft_victim *v),
			void *ctx, struct nfp_ft_resize_report *rep);

/* Key size of a family's table. */
static inline size_t nfp_ft_key_size(int v6)
{
	return v6 ? sizeof(struct nfp_ft_key6) : sizeof(struct nfp_ft_key4);
}

#endif
