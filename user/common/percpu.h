/* percpu.h - reading a per-CPU BPF map whose value is a struct of __u64
 * counters (nfp_if_stats, nfp_ft_stats, nfp_trace_stats): one place knows
 * how many CPUs' copies come back and how they add up. */
#ifndef NFP_COMMON_PERCPU_H
#define NFP_COMMON_PERCPU_H

#include <stddef.h>

/* Look up @key in the per-CPU map @map_fd and store into @out (@size bytes,
 * a whole number of __u64 counters) the sum over every possible CPU.
 * Returns 0 or -errno (@out is zeroed then). */
int nfp_percpu_sum_u64(int map_fd, const void *key, void *out, size_t size);

#endif
