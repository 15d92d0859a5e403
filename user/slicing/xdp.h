/* xdp.h - the flowspace compiled for XDP (include/nfplane/slicing.h): the
 * rules that apply to nfpd's own interfaces grouped by mask into the
 * generation not in use, then one switch of generation.
 *
 * Which rules: those on dpid "any" and, when nfpd has one (--slicing-dpid),
 * on its dpid; in_port is an interface's ifindex. A packet in a rule is
 * counted to the rule's first slice holding WRITE (else its first slice).
 */
#ifndef NFP_SLICING_XDP_H
#define NFP_SLICING_XDP_H

#include "nfplane/slicing.h"
#include "slicing/config.h"

#include <stdbool.h>
#include <stdint.h>

struct fs_xdp {
	int ctl_fd, groups_fd, rules_fd, stats_fd;
	bool has_dpid;
	uint64_t dpid;
};

/* Compile @c's rules (@map: the same rules in priority order) into the
 * maps and put them in force with @default_action (NFP_FS_DEFAULT_*).
 * Nothing changes in force on an error (too many masks or entries, a map
 * write that fails), which @err names. */
int fs_xdp_load(const struct fs_xdp *x, const struct fs_config *c, const struct fs_map *map,
		uint32_t default_action, char *err, size_t err_len);
/* Whether @map's rules fit XDP (0), or -E2BIG with @err saying why: the
 * check fs_xdp_load starts with, for callers that must know before they
 * commit to anything. */
int fs_xdp_fits(const struct fs_xdp *x, const struct fs_map *map, char *err, size_t err_len);
/* A slice's XDP counters (@slice_id: its place in c->slices + 1; 0 for
 * packets in no rule), summed over the CPUs. */
int fs_xdp_stats(const struct fs_xdp *x, uint32_t slice_id, struct nfp_fs_stats *out);

#endif
