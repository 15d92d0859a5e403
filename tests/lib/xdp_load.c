/* xdp_load.c - see xdp_load.h. */
#include "xdp_load.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nfplane/iface.h"
#include "nfp_tc.skel.h"
#include "nfp_xdp.skel.h"
#include "dataplane/frags.h"

/* The maps say LIBBPF_PIN_BY_NAME; without a pin path libbpf would pin
 * them under /sys/fs/bpf. Clearing each map's path turns pinning off. */
static int unpin_all(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		int err = bpf_map__set_pin_path(map, NULL);

		if (err)
			return err;
	}
	return 0;
}

struct nfp_xdp *xdp_open_unpinned(void)
{
	struct nfp_xdp *skel = nfp_xdp__open();

	if (!skel) {
		fprintf(stderr, "xdp_load: open nfp_xdp: %s\n", strerror(errno));
		return NULL;
	}
	if (unpin_all(skel->obj)) {
		fprintf(stderr, "xdp_load: unpin nfp_xdp's maps\n");
		nfp_xdp__destroy(skel);
		return NULL;
	}
	return skel;
}

struct nfp_xdp *xdp_load_unpinned(uint32_t slot, bool record_parse, bool frags)
{
	struct nfp_xdp *skel = xdp_open_unpinned();
	int err = 0;

	if (!skel)
		return NULL;
	skel->rodata->nfp_slot = slot;
	skel->rodata->nfp_record_parse = record_parse;
	err = nfp_xdp_set_frags(skel, frags);
	if (!err)
		err = nfp_xdp__load(skel);
	if (err) {
		fprintf(stderr, "xdp_load: load nfp_xdp: %s\n", strerror(-err));
		nfp_xdp__destroy(skel);
		return NULL;
	}
	return skel;
}

struct nfp_tc *tc_load_unpinned(uint32_t slot, struct nfp_xdp *share)
{
	struct nfp_tc *skel = nfp_tc__open();
	int err;

	if (!skel) {
		fprintf(stderr, "xdp_load: open nfp_tc: %s\n", strerror(errno));
		return NULL;
	}
	err = unpin_all(skel->obj);
	if (!err && share)
		err = bpf_map__reuse_fd(skel->maps.nfp_if_conf,
					bpf_map__fd(share->maps.nfp_if_conf));
	if (!err && share)
		err = bpf_map__reuse_fd(skel->maps.nfp_if_stats,
					bpf_map__fd(share->maps.nfp_if_stats));
	if (!err) {
		skel->rodata->nfp_slot = slot;
		err = nfp_tc__load(skel);
	}
	if (err) {
		fprintf(stderr, "xdp_load: load nfp_tc: %s\n", strerror(-err));
		nfp_tc__destroy(skel);
		return NULL;
	}
	return skel;
}

int slot_set_active(int conf_fd, uint32_t slot, bool active)
{
	struct nfp_if_conf conf = { .flags = active ? NFP_IFC_ACTIVE : 0 };

	return bpf_map_update_elem(conf_fd, &slot, &conf, BPF_ANY) ? -errno : 0;
}

/* A per-CPU lookup returns one value per possible CPU, each rounded up
 * to 8 bytes (struct nfp_if_stats is all __u64, so no rounding). */
_Static_assert(sizeof(struct nfp_if_stats) % 8 == 0, "per-CPU values are 8-byte aligned");

static struct nfp_if_stats *percpu_buf(int *ncpu)
{
	*ncpu = libbpf_num_possible_cpus();
	if (*ncpu <= 0)
		return NULL;
	return calloc((size_t)*ncpu, sizeof(struct nfp_if_stats));
}

int stats_read(int stats_fd, uint32_t slot, struct nfp_if_stats *sum)
{
	int ncpu, err = 0;
	struct nfp_if_stats *v = percpu_buf(&ncpu);

	if (!v)
		return -ENOMEM;
	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(stats_fd, &slot, v)) {
		err = -errno;
	} else {
		for (int c = 0; c < ncpu; c++) {
			const __u64 *from = (const __u64 *)&v[c];
			__u64 *to = (__u64 *)sum;

			for (size_t i = 0; i < sizeof(*sum) / sizeof(__u64); i++)
				to[i] += from[i];
		}
	}
	free(v);
	return err;
}

int stats_clear(int stats_fd, uint32_t slot)
{
	int ncpu, err = 0;
	struct nfp_if_stats *v = percpu_buf(&ncpu);

	if (!v)
		return -ENOMEM;
	if (bpf_map_update_elem(stats_fd, &slot, v, BPF_ANY))
		err = -errno;
	free(v);
	return err;
}
