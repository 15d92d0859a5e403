// SPDX-License-Identifier: GPL-2.0
/* ft_lookup.bpf.c - the benchmark's reference programs: ft_bare returns
 * XDP_PASS (the framework's own cost) and ft_lookup only looks up an LRU
 * hash with the flowtable's IPv4 key and value sizes, visiting key
 * (seq & mask) on each run: the memory-latency floor of a table that size.
 * ft_lookup_serial is the same with each run waiting for the last. */
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

SEC("xdp")
int ft_bare(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* The lookup, visiting key (seq & mask) on each run. With @serial the next
 * run's key waits for this run's value (a dependence through the sequence
 * counter), so runs cannot overlap their cache misses, as a longer program
 * cannot: the latency of one lookup rather than its throughput. */
static __always_inline int lookup(int serial)
{
	__u32 zero = 0, one = 1;
	__u64 *seq = bpf_map_lookup_elem(&ft_seq, &zero), *miss;
	struct nfp_ft_key4 key = { .proto = 6 };
	struct nfp_ft_flow *f;

	if (!seq)
		return XDP_ABORTED;
	key.lo_addr = (__u32)(*seq)++;
	if (ft_scramble)
		key.lo_addr *= 0x9e3779b1u;
	key.lo_addr &= ft_mask;
	f = bpf_map_lookup_elem(&ft_ref, &key);
	if (f) {
		__u64 p = f->packets[0]++;

		if (serial) {
			p &= 0;
			asm volatile("" : "+r"(p)); /* the compiler cannot see it is 0 */
			*seq += p;
		}
		return XDP_PASS;
	}
	miss = bpf_map_lookup_elem(&ft_seq, &one);
	if (miss)
		(*miss)++;
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

char LICENSE[] SEC("license") = "GPL";
