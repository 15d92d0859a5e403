/* flowtable/bench.h - the benchmark hooks (bench/flowtable): a loader-set
 * mask that makes each run see another flow. Compiled out in production.
 */
#ifndef NFP_BPF_FT_BENCH_H
#define NFP_BPF_FT_BENCH_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* Benchmarks only (bench/flowtable): when nonzero, the flow key's lower
 * address is replaced by base + (per-CPU sequence & mask) so that every run
 * sees another flow; mask ~0 makes every packet a new flow. When zero the
 * verifier removes the code, so production pays nothing. */
const volatile __u32 nfp_ft_bench_mask = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} nfp_ft_bench_seq SEC(".maps");

static __always_inline __u32 nfp_ft_bench_index(void)
{
	__u32 zero = 0, *seq = bpf_map_lookup_elem(&nfp_ft_bench_seq, &zero);

	if (!seq)
		return 0;
	return (*seq)++ & nfp_ft_bench_mask;
}

#endif
