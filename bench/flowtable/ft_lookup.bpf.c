// SPDX-License-Identifier: GPL-2.0
/* ft_lookup.bpf.c - the benchmark's reference programs: ft_bare returns
 * XDP_PASS (the framework's own cost) and ft_lookup only looks up an LRU
 * hash with the flowtable's IPv4 key and value sizes, visiting key
 * (seq & mask) on each run: the memory-latency floor of a table that size.
 * ft_lookup_serial is the same with each run waiting for the last, and
 * ft_line reads one 64-byte line per run, the next line's index in it
 * (a pointer chase): the latency of one cache miss in a region that size.
 * ft_pool is the chase through the design we did not take (docs/flowtable.md):
 * an index line naming an entry in a pool, then that entry. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/flowtable.h"

const volatile __u32 ft_mask = 0;
/* Nonzero: visit the keys in a scrambled order (seq * an odd constant, a
 * bijection on 0..mask), so memory order does not follow visiting order. */
const volatile __u32 ft_scramble = 0;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1 << 20);
	__type(key, struct nfp_ft_key4);
	__type(value, struct nfp_ft_flow);
} ft_ref SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} ft_seq SEC(".maps"); /* [0] sequence, [1] misses */

/* The pointer-chase regions, arrays of 64-byte lines the bench sizes
 * (max_entries) and fills through a mapping: ft_line's lines each hold the
 * next line's index in word[0], linked into one random cycle; ft_pool's
 * index lines hold 8 entry numbers, and its entries the next run's
 * index line << 3 | way in word[0]. */
struct ft_line {
	__u64 word[8];
};

struct ft_region {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_line);
};

struct ft_region ft_lines SEC(".maps");
struct ft_region ft_pool_index SEC(".maps");
struct ft_region ft_pool_entries SEC(".maps");

SEC("xdp")
int ft_bare(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* The lookup, visiting key (seq & mask) on each run. With @serial the key
 * of the next run is the one this run's value names (the bench stores key
 * i + 1 in key i's flow_id), so a run cannot start its lookup before the
 * last one's value arrived: the latency of one lookup rather than its
 * throughput. (An earlier version made the dependence through a value
 * masked to zero, which the CPU does not wait for: it measured the same as
 * the plain lookup whatever the lookup cost.) */
static __always_inline int lookup(int serial)
{
	__u32 zero = 0, one = 1;
	__u64 *seq = bpf_map_lookup_elem(&ft_seq, &zero), *miss;
	struct nfp_ft_key4 key = { .proto = 6 };
	struct nfp_ft_flow *f;

	if (!seq)
		return XDP_ABORTED;
	if (serial) {
		key.lo_addr = (__u32)*seq;
	} else {
		key.lo_addr = (__u32)(*seq)++;
		if (ft_scramble)
			key.lo_addr *= 0x9e3779b1u;
	}
	key.lo_addr &= ft_mask;
	f = bpf_map_lookup_elem(&ft_ref, &key);
	if (f) {
		f->packets[0]++;
		if (serial)
			*seq = f->flow_id;
		return XDP_PASS;
	}
	miss = bpf_map_lookup_elem(&ft_seq, &one);
	if (miss)
		(*miss)++;
	if (serial)
		*seq = key.lo_addr + 1; /* go on after a miss */
	return XDP_PASS;
}

SEC("xdp")
int ft_lookup(struct xdp_md *ctx)
{
	return lookup(0);
}

SEC("xdp")
int ft_lookup_serial(struct xdp_md *ctx)
{
	return lookup(1);
}

/* One dependent line read per run: the line's content is the next line. */
SEC("xdp")
int ft_line(struct xdp_md *ctx)
{
	__u32 zero = 0, i;
	__u64 *seq = bpf_map_lookup_elem(&ft_seq, &zero);
	struct ft_line *l;

	if (!seq)
		return XDP_ABORTED;
	i = (__u32)*seq;
	l = bpf_map_lookup_elem(&ft_lines, &i);
	if (!l)
		return XDP_ABORTED;
	*seq = l->word[0];
	return XDP_PASS;
}

/* Two dependent line reads per run: the index line, then the entry it names. */
SEC("xdp")
int ft_pool(struct xdp_md *ctx)
{
	__u32 zero = 0, line, entry;
	__u64 *seq = bpf_map_lookup_elem(&ft_seq, &zero);
	struct ft_line *l, *e;

	if (!seq)
		return XDP_ABORTED;
	line = (__u32)*seq >> 3;
	l = bpf_map_lookup_elem(&ft_pool_index, &line);
	if (!l)
		return XDP_ABORTED;
	entry = (__u32)l->word[*seq & 7];
	e = bpf_map_lookup_elem(&ft_pool_entries, &entry);
	if (!e)
		return XDP_ABORTED;
	*seq = e->word[0];
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
