/* config.h - the slicing configuration: slices and flowspace rules, and
 * their JSON, which is FlowVisor's save-config format (sdn-anchors.md §1.4)
 * so that a FlowVisor dump imports and ours loads into FlowVisor's tools.
 * nfpd keeps it in a file (--slicing-config), rewritten whole on every
 * change, and the API and nfpctl speak it.
 *
 * Everything is checked before anything is kept: a document with an error
 * at any depth is refused whole, with the error naming where
 * ("FlowSpaceRule[3].nw_src: ..."), and the configuration in force stays.
 */
#ifndef NFP_SLICING_CONFIG_H
#define NFP_SLICING_CONFIG_H

#include "slicing/flowspace.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FS_CONTROLLER_MAX 160
#define FS_CONTACT_MAX 128
#define FS_MAX_SLICES 64
#define FS_MAX_RULES 100000

enum fs_drop_policy { FS_DROP_EXACT = 0, FS_DROP_RULE };

struct fs_slice_conf {
	char name[FS_NAME_MAX];
	/* "module:NAME" (a built-in module, FlowVisor-in-Floodlight's
	 * module_name) or "tcp:HOST:PORT" (an external controller) */
	char controller[FS_CONTROLLER_MAX];
	char contact[FS_CONTACT_MAX];
	enum fs_drop_policy drop_policy;
	bool recv_lldp;
	bool enabled;
	int64_t flowmod_limit; /* flow entries the slice may hold; -1: unlimited */
	int64_t rate_limit;    /* control messages per second per switch; -1 */
};

struct fs_config {
	struct fs_slice_conf *slices;
	size_t n_slices;
	struct fs_rule *rules;
	size_t n_rules;
	enum fs_map_kind map_kind;
};

void fs_config_init(struct fs_config *c);
void fs_config_free(struct fs_config *c);
/* A deep copy; -ENOMEM. */
int fs_config_copy(struct fs_config *dst, const struct fs_config *src);

struct fs_slice_conf *fs_config_slice(const struct fs_config *c, const char *name);
struct fs_rule *fs_config_rule(const struct fs_config *c, const char *name);

/* The checks every change passes, with @err naming what is wrong: names
 * unique and well-formed, every slice a rule names exists, controllers
 * well-formed. */
int fs_config_check(const struct fs_config *c, char *err, size_t err_len);
/* A slice's controller string: "module:NAME" with a module nfpd has, or
 * "tcp:HOST:PORT". */
int fs_controller_check(const char *controller, char *err, size_t err_len);

/* FlowVisor's JSON (the keys "Slice", "FlowSpaceRule", "flowvisor";
 * "switches" is read but its limits are not used yet). Parsing fills @c
 * only when the whole document is good. */
int fs_config_from_json(json_t *doc, struct fs_config *c, char *err, size_t err_len);
json_t *fs_config_to_json(const struct fs_config *c);
/* One slice or rule, as in the document. */
json_t *fs_slice_conf_json(const struct fs_slice_conf *s);
json_t *fs_rule_json(const struct fs_rule *r);
/* A rule from its JSON object (@where prefixes errors: "FlowSpaceRule[3]"). */
int fs_rule_from_json(json_t *o, const char *where, struct fs_rule *r, char *err,
		      size_t err_len);

/* Read and write the file: a missing file is an empty configuration; the
 * write goes to PATH.tmp and is renamed over PATH, so a crash leaves the
 * old or the new file, never half of one. */
int fs_config_load(const char *path, struct fs_config *c, char *err, size_t err_len);
int fs_config_save(const char *path, const struct fs_config *c, char *err, size_t err_len);

#endif
