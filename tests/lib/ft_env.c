/* ft_env.c - see ft_env.h. */
#include "ft_env.h"
#include "flowtable/table.h"
#include "nfplane/iface.h"
#include "nfp_xdp.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int ft_env_conf(struct ft_env *e, const struct nfp_ft_conf *c)
{
	uint32_t slot = 0;

	return bpf_map_update_elem(e->conf_fd, &slot, c, BPF_ANY) ? -errno : 0;
}

int ft_env_open(struct ft_env *e, uint32_t cap4, uint32_t cap6, uint32_t bench_mask)
{
	return ft_env_open_ring(e, cap4, cap6, bench_mask, 0);
}

int ft_env_open_ring(struct ft_env *e, uint32_t cap4, uint32_t cap6, uint32_t bench_mask,
		     uint32_t ring_bytes)
{
	struct nfp_if_conf ifc = { .flags = NFP_IFC_ACTIVE, .ifindex = 1 };
	/* the interface's share covers both tables, as nfpd sizes them */
	struct nfp_ft_conf ftc = { .flags = NFP_FTC_ENABLED, .max_flows = cap4 + cap6,
				   .lifetime = NFP_FT_DEFAULT_LIFETIME,
				   .max_lifetime = NFP_FT_DEFAULT_MAX_LIFETIME };
	struct nfp_ft_btf btf;
	struct bpf_map *m;
	uint32_t slot = 0;
	int r;

	memset(e, 0, sizeof(*e));
	e->skel = nfp_xdp__open();
	if (!e->skel)
		return -errno;
	/* private maps: never touch the pins a running nfpd uses */
	bpf_object__for_each_map(m, e->skel->obj)
		bpf_map__set_pin_path(m, NULL);
	if (ring_bytes)
		bpf_map__set_max_entries(e->skel->maps.nfp_ft_ends, ring_bytes);
	e->skel->rodata->nfp_ft_bench_mask = bench_mask;
	r = nfp_xdp__load(e->skel);
	if (r)
		goto err;
	e->prog_fd = bpf_program__fd(e->skel->progs.nfp_xdp_ingress);
	e->outer4_fd = bpf_map__fd(e->skel->maps.nfp_ft_tables4);
	e->outer6_fd = bpf_map__fd(e->skel->maps.nfp_ft_tables6);
	e->conf_fd = bpf_map__fd(e->skel->maps.nfp_ft_conf);
	e->stats_fd = bpf_map__fd(e->skel->maps.nfp_ft_stats);
	e->ncpus = libbpf_num_possible_cpus();
	nfp_ft_btf_from_obj(&btf, e->skel->obj);
	if ((r = nfp_ft_table_ensure(e->outer4_fd, 0, cap4, &btf)) ||
	    (r = nfp_ft_table_ensure(e->outer6_fd, 1, cap6, &btf)))
		goto err;
	if (bpf_map_update_elem(bpf_map__fd(e->skel->maps.nfp_if_conf), &slot, &ifc, BPF_ANY)) {
		r = -errno;
		goto err;
	}
	r = ft_env_conf(e, &ftc);
	if (r)
		goto err;
	return 0;
err:
	nfp_xdp__destroy(e->skel);
	e->skel = NULL;
	return r;
}

void ft_env_close(struct ft_env *e)
{
	nfp_xdp__destroy(e->skel);
	e->skel = NULL;
}

int ft_env_stats(struct ft_env *e, struct nfp_ft_stats *out)
{
	struct nfp_ft_stats *pc = calloc((size_t)e->ncpus, sizeof(*pc));
	uint32_t slot = 0;
	int r = 0;

	if (!pc)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(e->stats_fd, &slot, pc))
		r = -errno;
	for (int c = 0; !r && c < e->ncpus; c++)
		for (size_t i = 0; i < sizeof(*out) / 8; i++)
			((uint64_t *)out)[i] += ((uint64_t *)&pc[c])[i];
	free(pc);
	return r;
}

int ft_env_table(struct ft_env *e, int v6)
{
	return nfp_ft_table_current(v6 ? e->outer6_fd : e->outer4_fd);
}

uint32_t ft_env_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return nfp_ft_ticks((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

int ft_env_set_idle(struct ft_env *e, int v6, const void *key, uint32_t secs)
{
	struct nfp_ft_tab t;
	int64_t i;
	int r = nfp_ft_tab_open(&t, v6 ? e->outer6_fd : e->outer4_fd, v6);

	if (r)
		return r;
	i = nfp_ft_tab_find(&t, key);
	if (i >= 0)
		nfp_ft_tab_body(&t, (uint64_t)i)->last = ft_env_now() - nfp_ft_lifetime_ticks(secs);
	nfp_ft_tab_close(&t);
	return i >= 0 ? 0 : -ENOENT;
}

int ft_env_resize(struct ft_env *e, int v6, uint32_t max_flows,
		  void (*dropped)(void *ctx, int v6, const struct nfp_ft_victim *v), void *ctx)
{
	struct nfp_ft_resize_report rep;
	struct nfp_ft_btf btf;

	nfp_ft_btf_from_obj(&btf, e->skel->obj);
	return nfp_ft_table_resize(v6 ? e->outer6_fd : e->outer4_fd, v6, max_flows, &btf, dropped,
				   ctx, &rep);
}
