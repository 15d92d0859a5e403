/* flowtable/clock.h - the flowtable's time in ticks (nfp_ft_now), the coarse
 * clock read once per jiffy per CPU.
 */
#ifndef NFP_BPF_FT_CLOCK_H
#define NFP_BPF_FT_CLOCK_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/flowtable.h"

/* The time, cached per CPU for the current jiffy. bpf_ktime_get_coarse_ns()
 * costs ~25 ns here (a VM) while bpf_jiffies64() is a load; the coarse clock
 * only moves once per jiffy anyway, so reading it once per jiffy per CPU
 * gives the same values at a fraction of the cost (docs/flowtable.md). Not
 * pinned: each program instance may keep its own cache. */
struct nfp_ft_clock {
	__u64 jiffies;
	__u32 ticks;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nfp_ft_clock);
} nfp_ft_clock SEC(".maps");

static __always_inline __u32 nfp_ft_now(void)
{
	__u32 zero = 0;
	struct nfp_ft_clock *c = bpf_map_lookup_elem(&nfp_ft_clock, &zero);
	__u64 j = bpf_jiffies64();

	if (!c)
		return nfp_ft_ticks(bpf_ktime_get_coarse_ns());
	if (c->jiffies != j) {
		c->jiffies = j;
		c->ticks = nfp_ft_ticks(bpf_ktime_get_coarse_ns());
	}
	return c->ticks;
}

#endif
