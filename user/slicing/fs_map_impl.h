/* fs_map_impl.h - inside a flow map (flowspace.h): shared by fs_map.c and
 * the federated map's indexes (fs_federated.c). */
#ifndef NFP_SLICING_FS_MAP_IMPL_H
#define NFP_SLICING_FS_MAP_IMPL_H

#include "slicing/flowspace.h"

struct fs_fed; /* fs_federated.c */

struct fs_map {
	enum fs_map_kind kind;
	size_t n;
	struct fs_rule *rules; /* priority order, highest first */
	struct fs_fed *fed;    /* FS_MAP_FEDERATED only */
};

/* Add @r to @out (if room) when it is on @dpid and overlaps @match. */
void fs_map_hit(const struct fs_rule *r, uint64_t dpid, const struct of_match *match,
		struct fs_hit *out, size_t max, size_t *found);

int fs_federated_build(struct fs_map *m);
void fs_federated_free(struct fs_map *m);
const struct fs_rule *fs_federated_lookup(const struct fs_map *m, uint64_t dpid,
					  const struct of_match *point);
size_t fs_federated_intersect(const struct fs_map *m, uint64_t dpid, const struct of_match *match,
			      struct fs_hit *out, size_t max);

#endif
