/* flowspace.h - FlowVisor's flowspace: rules that give slices permissions
 * on a region of packet space on one datapath (or all), and the two flow
 * maps that answer "which rule does this packet fall in" and "which rules
 * does this match overlap".
 *
 * A rule is a name, a dpid (or any), a priority (higher wins, FlowVisor's
 * default 32000), a match (fs_match.h) and slice:permission pairs. A packet
 * is in only the highest-priority rule that covers it, as in a TCAM; rules
 * of equal priority are taken in the order they were given.
 *
 * A flow map is an immutable snapshot of a rule set: a change builds a new
 * one and swaps it in, so a lookup never sees half a change and a failed
 * change leaves the old one standing. Two kinds, with the same answers
 * (tests/unit/test_slicing_flowmap.c checks them against each other):
 *  - linear: every rule in priority order, compared in turn;
 *  - federated: per-field indexes (value -> rules with that exact value,
 *    plus the rules that leave the field open) whose rule bitsets are
 *    ANDed, then the survivors in priority order, with IP prefixes and
 *    masked MACs checked last on those few (FlowVisor's FederatedFlowMap).
 */
#ifndef NFP_SLICING_FLOWSPACE_H
#define NFP_SLICING_FLOWSPACE_H

#include "slicing/fs_match.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FS_NAME_MAX 64          /* slice and rule names, with the NUL */
#define FS_MAX_SLICE_ACTIONS 16 /* slice:permission pairs in one rule */
#define FS_PRIORITY_DEFAULT 32000
#define FS_PRIORITY_MAX 65535

/* Permissions, as FlowVisor documents them. Its code has DELEGATE = 8;
 * both are read as DELEGATE (fs_perm_parse). */
#define FS_PERM_DELEGATE 1
#define FS_PERM_READ 2
#define FS_PERM_WRITE 4
#define FS_PERM_ALL (FS_PERM_DELEGATE | FS_PERM_READ | FS_PERM_WRITE)

struct fs_slice_action {
	char slice[FS_NAME_MAX];
	uint8_t perm; /* FS_PERM_* */
};

struct fs_rule {
	char name[FS_NAME_MAX];
	bool any_dpid;
	uint64_t dpid;
	uint32_t priority; /* 0..FS_PRIORITY_MAX */
	struct of_match match;
	uint8_t n_actions;
	struct fs_slice_action actions[FS_MAX_SLICE_ACTIONS];
};

/* The permissions @r gives @slice (0: none). */
uint8_t fs_rule_perm(const struct fs_rule *r, const char *slice);

/* "slice1=4,slice2=2" (FlowVisor 1.x), "Slice:slice1=4,Slice:slice2=2"
 * (0.x), permissions 1-15 as numbers (8, FlowVisor's own DELEGATE, is read
 * as 1) or letters "rwd". Replaces @r's actions; -EINVAL with @err naming
 * what was wrong (then @r is untouched). Slice names are not checked here. */
int fs_perm_parse(const char *s, struct fs_rule *r, char *err, size_t err_len);
/* "slice1=7,slice2=2" */
int fs_perm_format(const struct fs_rule *r, char *buf, size_t len);

/* "any", "all", "all_dpids" (any case), FlowVisor's dump of the wildcard
 * "-8000000000000000", eight hex octets "00:00:00:00:00:00:00:01", 16 hex
 * digits, or a decimal number. */
int fs_dpid_parse(const char *s, bool *any, uint64_t *dpid, char *err, size_t err_len);
/* "any" or "00:00:00:00:00:00:00:01" */
void fs_dpid_format(bool any, uint64_t dpid, char buf[24]);

/* ---- flow maps ---- */
enum fs_map_kind { FS_MAP_LINEAR, FS_MAP_FEDERATED };
const char *fs_map_kind_name(enum fs_map_kind k);

struct fs_map;

/* A map of a copy of @rules (@n of them, in the order given). NULL when out
 * of memory. */
struct fs_map *fs_map_new(enum fs_map_kind kind, const struct fs_rule *rules, size_t n);
void fs_map_free(struct fs_map *m);
enum fs_map_kind fs_map_kind(const struct fs_map *m);
size_t fs_map_size(const struct fs_map *m);
/* The @i-th rule in priority order (highest first). */
const struct fs_rule *fs_map_rule(const struct fs_map *m, size_t i);

/* The rule a packet (@point: fs_match_from_frame) on @dpid is in, or NULL. */
const struct fs_rule *fs_map_lookup(const struct fs_map *m, uint64_t dpid,
				    const struct of_match *point);

struct fs_hit {
	const struct fs_rule *rule;
	enum fs_rel rel;       /* of the query to the rule's match */
	struct of_match inter; /* the query's part inside the rule */
};
/* Every rule on @dpid that @match overlaps, highest priority first. Stores
 * at most @max in @out; returns how many there are. */
size_t fs_map_intersect(const struct fs_map *m, uint64_t dpid, const struct of_match *match,
			struct fs_hit *out, size_t max);

#endif
