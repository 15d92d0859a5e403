/* ft_env.h - the XDP program with its flowtable, loaded privately (no pins)
 * for the BPF tests and the flowtable benchmarks: slot 0 active, flowtable
 * enabled, tables of the asked size in place. */
#ifndef NFP_TEST_FT_ENV_H
#define NFP_TEST_FT_ENV_H

#include "nfplane/flowtable.h"

#include <stdint.h>

struct nfp_xdp;

struct ft_env {
	struct nfp_xdp *skel;
	int prog_fd;
	int outer4_fd, outer6_fd;
	int conf_fd, stats_fd;
	int ncpus;
};

/* @bench_mask: nfp_ft_bench_mask (0 for tests). Returns 0 or -errno. */
int ft_env_open(struct ft_env *e, uint32_t cap4, uint32_t cap6, uint32_t bench_mask);
/* The same with the flow-end ring nfp_ft_ends made @ring_bytes big (a power
 * of two; 0: the program's own size), for benchmarks that end more flows
 * between two drains than nfpd's ring holds. */
int ft_env_open_ring(struct ft_env *e, uint32_t cap4, uint32_t cap6, uint32_t bench_mask,
		     uint32_t ring_bytes);
void ft_env_close(struct ft_env *e);
/* Slot 0's flowtable configuration. */
int ft_env_conf(struct ft_env *e, const struct nfp_ft_conf *c);
/* Counters of slot 0 summed over CPUs. */
int ft_env_stats(struct ft_env *e, struct nfp_ft_stats *out);
/* Current table fds (caller closes). */
int ft_env_table(struct ft_env *e, int v6);

/* Time as XDP reads it (bpf_ktime_get_coarse_ns), in flowtable ticks. */
uint32_t ft_env_now(void);
/* Make the flow with @key (of the @v6 table) idle for @secs seconds by
 * setting its last-seen time: tests set times instead of waiting them.
 * Returns 0, or -ENOENT when the flow is not there. */
int ft_env_set_idle(struct ft_env *e, int v6, const void *key, uint32_t secs);
/* Resize the @v6 table to @max_flows as nfpd does (nfp_ft_table_resize),
 * @dropped called for each flow the new table has no room for. */
struct nfp_ft_victim;
int ft_env_resize(struct ft_env *e, int v6, uint32_t max_flows,
		  void (*dropped)(void *ctx, int v6, const struct nfp_ft_victim *v), void *ctx);

#endif
