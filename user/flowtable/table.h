/* table.h - the flowtable's tables: LRU hashes that nfpd creates at the size
 * it is told and puts in slot 0 of the pinned array-of-maps
 * (nfp_ft_tables4/6), so that XDP finds them with one inlined array lookup
 * and nfpd can swap in a table of another size under traffic (resize, with
 * the live flows migrated). Also used by the BPF tests and benchmarks.
 */
#ifndef NFP_FT_TABLE_H
#define NFP_FT_TABLE_H

#include "nfplane/flowtable.h"

#include <stddef.h>
#include <stdint.h>

struct bpf_object;

/* BTF of the flow structs, so bpftool prints tables with named fields. */
struct nfp_ft_btf {
	int fd;             /* -1: create without BTF */
	uint32_t key4, key6, flow;
};

/* Fill @b from the loaded object that defines the flowtable maps. */
void nfp_ft_btf_from_obj(struct nfp_ft_btf *b, struct bpf_object *obj);

/* @v6: 0 IPv4, 1 IPv6. Returns a new table's fd or -errno. */
int nfp_ft_table_create(int v6, uint32_t max_flows, const struct nfp_ft_btf *btf);
/* fd of the table now in @outer_fd's slot 0 (caller closes), or -ENOENT. */
int nfp_ft_table_current(int outer_fd);
/* Its capacity, or 0 when none. */
uint32_t nfp_ft_table_capacity(int outer_fd);
/* Make sure a table is in place; creates one of @max_flows if not. */
int nfp_ft_table_ensure(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf);

struct nfp_ft_resize_report {
	uint64_t copied;      /* flows copied before the swap */
	uint64_t caught_up;   /* flows created or counted in the old table during the copy */
	uint64_t duration_us;
};

/* Put a table of @max_flows in place of the current one, migrating every
 * live flow: copy, swap, then carry over what the old table saw between
 * the copy and the swap (new flows, and counter deltas of copied ones).
 * Shrinking below the live count recycles the least recently used. */
int nfp_ft_table_resize(int outer_fd, int v6, uint32_t max_flows, const struct nfp_ft_btf *btf,
			struct nfp_ft_resize_report *rep);

/* Key size of a family's table. */
static inline size_t nfp_ft_key_size(int v6)
{
	return v6 ? sizeof(struct nfp_ft_key6) : sizeof(struct nfp_ft_key4);
}

#endif
