/* percpu.c - see percpu.h. */
#include "common/percpu.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int nfp_percpu_sum_u64(int map_fd, const void *key, void *out, size_t size)
{
	int ncpus = libbpf_num_possible_cpus();
	/* the kernel copies each CPU's value rounded up to 8 bytes */
	size_t stride = (size + 7) & ~(size_t)7, n = size / sizeof(uint64_t);
	uint64_t *sum = out;
	char *all;
	int r = 0;

	memset(out, 0, size);
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	if (size % sizeof(uint64_t))
		return -EINVAL;
	all = calloc((size_t)ncpus, stride);
	if (!all)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, key, all)) {
		r = -errno;
	} else {
		for (int c = 0; c < ncpus; c++) {
			const uint64_t *v = (const uint64_t *)(all + (size_t)c * stride);

			for (size_t i = 0; i < n; i++)
				sum[i] += v[i];
		}
	}
	free(all);
	return r;
}
