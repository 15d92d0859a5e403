/* xdp.c - see xdp.h. The groups are built in memory first, so a rule set
 * XDP cannot hold is refused before a map is touched; then the entries go
 * into the generation not in use (what an earlier generation left there
 * is removed first), and nfp_fs_ctl switches to it. The old generation's
 * entries stay until the next load: a packet that read the old generation
 * just before the switch still finds them.
 */
#include "slicing/xdp.h"
#include "common/percpu.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct group {
	struct nfp_fs_key mask;
	uint32_t best_order;
};

/* @m as a mask and a value over the XDP key. */
static void key_of(const struct of_match *m, struct nfp_fs_key *mask, struct nfp_fs_key *val)
{
	memset(mask, 0, sizeof(*mask));
	memset(val, 0, sizeof(*val));
#define EXACT(bit, field, ones)                       \
	if (m->fields & (bit)) {                      \
		mask->field = (ones);                 \
		val->field = m->field;                \
	}
	EXACT(OF_F_IN_PORT, in_port, 0xffffffffu)
	EXACT(OF_F_ETH_TYPE, eth_type, 0xffff)
	EXACT(OF_F_VLAN_VID, vlan_vid, 0xffff)
	EXACT(OF_F_VLAN_PCP, vlan_pcp, 0xff)
	EXACT(OF_F_IP_DSCP, ip_dscp, 0xff)
	EXACT(OF_F_IP_PROTO, ip_proto, 0xff)
	EXACT(OF_F_TP_SRC, tp_src, 0xffff)
	EXACT(OF_F_TP_DST, tp_dst, 0xffff)
#undef EXACT
	if (m->fields & OF_F_IPV4_SRC) {
		mask->ipv4_src = m->ipv4_src_mask;
		val->ipv4_src = m->ipv4_src & m->ipv4_src_mask;
	}
	if (m->fields & OF_F_IPV4_DST) {
		mask->ipv4_dst = m->ipv4_dst_mask;
		val->ipv4_dst = m->ipv4_dst & m->ipv4_dst_mask;
	}
	for (int i = 0; i < 6; i++) {
		if (m->fields & OF_F_ETH_SRC) {
			mask->eth_src[i] = m->eth_src_mask[i];
			val->eth_src[i] = m->eth_src[i] & m->eth_src_mask[i];
		}
		if (m->fields & OF_F_ETH_DST) {
			mask->eth_dst[i] = m->eth_dst_mask[i];
			val->eth_dst[i] = m->eth_dst[i] & m->eth_dst_mask[i];
		}
	}
}

static uint16_t slice_id_of(const struct fs_config *c, const struct fs_rule *r)
{
	int pick = -1;

	for (int a = 0; a < r->n_actions && pick < 0; a++)
		if (r->actions[a].perm & FS_PERM_WRITE)
			pick = a;
	if (pick < 0)
		pick = 0;
	for (size_t i = 0; i < c->n_slices; i++)
		if (!strcmp(c->slices[i].name, r->actions[pick].slice))
			return (uint16_t)(i + 1);
	return 0;
}

static int by_best(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return x->best_order < y->best_order ? -1 : x->best_order > y->best_order;
}

/* Remove every entry of generation @gen. */
static int clear_generation(int fd, uint32_t gen)
{
	struct nfp_fs_key k, next, *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		if ((k.group >> 16) == gen) {
			if (bpf_map_delete_elem(fd, &k))
				return -errno;
			/* the walk starts over: the deleted key cannot lead on */
			prev = NULL;
			continue;
		}
		prev = &k;
	}
	return 0;
}

/* The groups of @map's rules for XDP, in memory, best first; -E2BIG with
 * @err when XDP cannot hold them. */
static int build_groups(const struct fs_xdp *x, const struct fs_map *map, struct group *groups,
			size_t *n_out, char *err, size_t err_len)
{
	size_t n_groups = 0, n_entries = 0, n = fs_map_size(map);

	for (size_t i = 0; i < n; i++) {
		const struct fs_rule *rl = fs_map_rule(map, i);
		struct nfp_fs_key mask, val;
		size_t g;

		if (!(rl->any_dpid || (x->has_dpid && rl->dpid == x->dpid)) || !rl->n_actions)
			continue;
		key_of(&rl->match, &mask, &val);
		for (g = 0; g < n_groups; g++)
			if (!memcmp(&groups[g].mask, &mask, sizeof(mask)))
				break;
		if (g == n_groups) {
			if (n_groups == NFP_FS_MAX_GROUPS) {
				snprintf(err, err_len, "the flowspace for this host's interfaces uses "
					 "more than %d distinct masks (field sets and prefix "
					 "lengths): XDP cannot classify it", NFP_FS_MAX_GROUPS);
				return -E2BIG;
			}
			groups[n_groups].mask = mask;
			groups[n_groups++].best_order = (uint32_t)i;
		}
		n_entries++;
	}
	if (n_entries > NFP_FS_MAX_ENTRIES) {
		snprintf(err, err_len, "more than %d flowspace rules apply to this host's "
			 "interfaces: XDP holds at most that many", NFP_FS_MAX_ENTRIES);
		return -E2BIG;
	}
	qsort(groups, n_groups, sizeof(*groups), by_best);
	*n_out = n_groups;
	return 0;
}

int fs_xdp_fits(const struct fs_xdp *x, const struct fs_map *map, char *err, size_t err_len)
{
	struct group groups[NFP_FS_MAX_GROUPS];
	size_t n;

	return build_groups(x, map, groups, &n, err, err_len);
}

/* Fill the generation not in use and switch to it. */
static int write_generation(const struct fs_xdp *x, const struct fs_config *c,
			    const struct fs_map *map, const struct group *groups, size_t n_groups,
			    struct nfp_fs_ctl *ctl, uint32_t default_action, char *err,
			    size_t err_len)
{
	uint32_t next_gen = (ctl->version & 1) ^ 1, version;
	size_t n = fs_map_size(map);
	int r;


	if ((r = clear_generation(x->rules_fd, next_gen))) {
		snprintf(err, err_len, "clearing %s: %s", NFP_MAP_FS_RULES, strerror(-r));
		return r;
	}
	for (size_t g = 0; g < n_groups; g++) {
		struct nfp_fs_group grp = { .mask = groups[g].mask,
					    .best_order = groups[g].best_order };
		uint32_t idx = next_gen * NFP_FS_MAX_GROUPS + (uint32_t)g;

		if (bpf_map_update_elem(x->groups_fd, &idx, &grp, BPF_ANY)) {
			snprintf(err, err_len, "writing %s: %s", NFP_MAP_FS_GROUPS, strerror(errno));
			return -errno;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct fs_rule *rl = fs_map_rule(map, i);
		struct nfp_fs_key mask, val;
		struct nfp_fs_val v = { .order = (uint32_t)i, .slice_id = slice_id_of(c, rl) };
		size_t g;

		if (!(rl->any_dpid || (x->has_dpid && rl->dpid == x->dpid)) || !rl->n_actions)
			continue;
		key_of(&rl->match, &mask, &val);
		for (g = 0; g < n_groups && memcmp(&groups[g].mask, &mask, sizeof(mask)); g++)
			;
		val.group = next_gen << 16 | (uint32_t)g;
		/* rules in priority order: the first with this key is the one
		 * that wins, so a later one finds its place taken */
		if (bpf_map_update_elem(x->rules_fd, &val, &v, BPF_NOEXIST) && errno != EEXIST) {
			snprintf(err, err_len, "writing %s: %s", NFP_MAP_FS_RULES, strerror(errno));
			return -errno;
		}
	}
	/* the new generation's size first, then the switch to it in one
	 * atomic store: a packet reads the version, then its generation's
	 * size. Version 0 is never used again ("empty" in the caches), and
	 * skipping it keeps the low bit right: it goes from odd to 2. */
	ctl->n_groups[next_gen] = (uint32_t)n_groups;
	ctl->default_action = default_action;
	version = ctl->version + 1;
	if (!version)
		version = 2;
	__atomic_store_n(&ctl->version, version, __ATOMIC_RELEASE);
	return 0;
}


int fs_xdp_load(const struct fs_xdp *x, const struct fs_config *c, const struct fs_map *map,
		uint32_t default_action, char *err, size_t err_len)
{
	struct group groups[NFP_FS_MAX_GROUPS];
	size_t n_groups = 0;
	struct nfp_fs_ctl *ctl;
	int r;

	if ((r = build_groups(x, map, groups, &n_groups, err, err_len)))
		return r;


	ctl = mmap(NULL, sizeof(*ctl), PROT_READ | PROT_WRITE, MAP_SHARED, x->ctl_fd, 0);
	if (ctl == MAP_FAILED) {
		snprintf(err, err_len, "mapping %s: %s", NFP_MAP_FS_CTL, strerror(errno));
		return -errno;
	}
	r = write_generation(x, c, map, groups, n_groups, ctl, default_action, err, err_len);
	munmap(ctl, sizeof(*ctl));
	return r;
}
int fs_xdp_stats(const struct fs_xdp *x, uint32_t slice_id, struct nfp_fs_stats *out)
{
	return nfp_percpu_sum_u64(x->stats_fd, &slice_id, out, sizeof(*out));
}
