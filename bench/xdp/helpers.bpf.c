// SPDX-License-Identifier: GPL-2.0
/* helpers.bpf.c - the per-packet pieces of nfplane's XDP program, one XDP
 * program each, for xdp_cost's per-helper figures (xdp.helper.*): each
 * program does its piece HELPER_OPS times in a row, so that
 * (program - empty program) / HELPER_OPS is one piece's cost. They tell a
 * machine's cost apart: an inlined map lookup is a few loads everywhere,
 * while a helper call's price depends on the kernel's mitigations (a
 * retpoline for an indirect call, a "safe RET" thunk on every return
 * under SRSO), which differ from one machine to the next.
 *
 * The pieces, as bpf/ uses them:
 *   h_array        array lookup (nfp_if_conf, nfp_ft_conf): inlined
 *   h_percpu       per-CPU array lookup (nfp_if_stats, nfp_ft_stats, the
 *                  clock cache): inlined on kernels that can (6.10+)
 *   h_jiffies      bpf_jiffies64(): inlined on x86-64
 *   h_coarse       bpf_ktime_get_coarse_ns(): a helper call
 *   h_ktime        bpf_ktime_get_ns(): a helper call, for comparison
 *   h_prandom      bpf_get_prandom_u32(): a helper call that does little:
 *                  what any call and return costs here
 *   h_aom_outer    the array-of-maps lookup of the table (inlined)
 *   h_aom_set      that, then the set's lookup in the inner map, which is
 *                  BPF_F_INNER_MAP (tables of any size) and so a call
 *                  through the map's ops, as the flowtable does per packet
 *   h_aom_set_fixed the same with an inner map of fixed size, which the
 *                  verifier inlines (the alternative docs/flowtable.md tried)
 *   h_buff_len     bpf_xdp_get_buff_len(): the frags frame length
 * The results are summed into a global so that nothing is optimised away.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define HELPER_OPS 8

__u64 sink;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} h_arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} h_pcpu SEC(".maps");

/* Inner maps of 64-byte values, as the flowtable's sets are lines. */
struct h_line {
	__u64 w[8];
};

struct h_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct h_line);
} h_inner_any SEC(".maps");

struct h_inner_fixed {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct h_line);
} h_inner_fix SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct h_inner);
} h_outer SEC(".maps") = {
	.values = { [0] = &h_inner_any },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct h_inner_fixed);
} h_outer_fixed SEC(".maps") = {
	.values = { [0] = &h_inner_fix },
};

SEC("xdp")
int h_bare(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* One lookup of @map per op, a different key each time (the key's array
 * is on the stack, as the program's are). */
#define LOOKUPS(map)								\
	do {									\
		__u64 s = 0;							\
		_Pragma("unroll")						\
		for (__u32 i = 0; i < HELPER_OPS; i++) {			\
			__u32 k = i & 3;					\
			__u64 *v = bpf_map_lookup_elem(&map, &k);		\
									\
			if (v)							\
				s += *v;					\
		}								\
		sink += s;							\
	} while (0)

#define CALLS(expr)								\
	do {									\
		__u64 s = 0;							\
		_Pragma("unroll")						\
		for (int i = 0; i < HELPER_OPS; i++)				\
			s += (expr);						\
		sink += s;							\
	} while (0)

SEC("xdp")
int h_array(struct xdp_md *ctx)
{
	LOOKUPS(h_arr);
	return XDP_PASS;
}

SEC("xdp")
int h_percpu(struct xdp_md *ctx)
{
	LOOKUPS(h_pcpu);
	return XDP_PASS;
}

SEC("xdp")
int h_jiffies(struct xdp_md *ctx)
{
	CALLS(bpf_jiffies64());
	return XDP_PASS;
}

SEC("xdp")
int h_coarse(struct xdp_md *ctx)
{
	CALLS(bpf_ktime_get_coarse_ns());
	return XDP_PASS;
}

SEC("xdp")
int h_ktime(struct xdp_md *ctx)
{
	CALLS(bpf_ktime_get_ns());
	return XDP_PASS;
}

SEC("xdp")
int h_prandom(struct xdp_md *ctx)
{
	CALLS(bpf_get_prandom_u32());
	return XDP_PASS;
}

SEC("xdp")
int h_buff_len(struct xdp_md *ctx)
{
	CALLS(bpf_xdp_get_buff_len(ctx));
	return XDP_PASS;
}

SEC("xdp")
int h_aom_outer(struct xdp_md *ctx)
{
	__u64 s = 0;

#pragma unroll
	for (int i = 0; i < HELPER_OPS; i++) {
		__u32 zero = 0;
		void *t = bpf_map_lookup_elem(&h_outer, &zero);

		s += t != NULL;
	}
	sink += s;
	return XDP_PASS;
}

/* The outer lookup and the set's lookup in the table it names: what the
 * flowtable does per packet to find a key's set. */
#define SETS(outer)								\
	do {									\
		__u64 s = 0;							\
		_Pragma("unroll")						\
		for (__u32 i = 0; i < HELPER_OPS; i++) {			\
			__u32 zero = 0, idx = i * 97;				\
			void *t = bpf_map_lookup_elem(&outer, &zero);		\
			struct h_line *l;					\
									\
			if (!t)							\
				continue;					\
			l = bpf_map_lookup_elem(t, &idx);			\
			if (l)							\
				s += l->w[0];					\
		}								\
		sink += s;							\
	} while (0)

SEC("xdp")
int h_aom_set(struct xdp_md *ctx)
{
	SETS(h_outer);
	return XDP_PASS;
}

SEC("xdp")
int h_aom_set_fixed(struct xdp_md *ctx)
{
	SETS(h_outer_fixed);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
