/* fs_map.c - see flowspace.h: a flow map's snapshot of the rules in
 * priority order, and the linear map, which compares them in turn. The
 * federated map's indexes are in fs_federated.c.
 */
#include "slicing/fs_map_impl.h"

#include <stdlib.h>
#include <string.h>

const char *fs_map_kind_name(enum fs_map_kind k)
{
	return k == FS_MAP_FEDERATED ? "federated" : "linear";
}

struct order {
	const struct fs_rule *rule;
	size_t given; /* its place in the caller's array: ties keep it */
};

static int by_priority(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	if (x->rule->priority != y->rule->priority)
		return x->rule->priority > y->rule->priority ? -1 : 1;
	return x->given < y->given ? -1 : x->given > y->given;
}

struct fs_map *fs_map_new(enum fs_map_kind kind, const struct fs_rule *rules, size_t n)
{
	struct fs_map *m = calloc(1, sizeof(*m));
	struct order *ord = calloc(n ? n : 1, sizeof(*ord));

	if (!m || !ord)
		goto fail;
	m->kind = kind;
	m->n = n;
	m->rules = calloc(n ? n : 1, sizeof(*m->rules));
	if (!m->rules)
		goto fail;
	for (size_t i = 0; i < n; i++)
		ord[i] = (struct order){ &rules[i], i };
	qsort(ord, n, sizeof(*ord), by_priority);
	for (size_t i = 0; i < n; i++)
		m->rules[i] = *ord[i].rule;
	free(ord);
	ord = NULL;
	if (kind == FS_MAP_FEDERATED && fs_federated_build(m))
		goto fail;
	return m;
fail:
	free(ord);
	fs_map_free(m);
	return NULL;
}

void fs_map_free(struct fs_map *m)
{
	if (!m)
		return;
	fs_federated_free(m);
	free(m->rules);
	free(m);
}

enum fs_map_kind fs_map_kind(const struct fs_map *m)
{
	return m->kind;
}

size_t fs_map_size(const struct fs_map *m)
{
	return m->n;
}

const struct fs_rule *fs_map_rule(const struct fs_map *m, size_t i)
{
	return i < m->n ? &m->rules[i] : NULL;
}

static bool on_dpid(const struct fs_rule *r, uint64_t dpid)
{
	return r->any_dpid || r->dpid == dpid;
}

const struct fs_rule *fs_map_lookup(const struct fs_map *m, uint64_t dpid,
				    const struct of_match *point)
{
	if (m->kind == FS_MAP_FEDERATED)
		return fs_federated_lookup(m, dpid, point);
	for (size_t i = 0; i < m->n; i++)
		if (on_dpid(&m->rules[i], dpid) && fs_match_covers(&m->rules[i].match, point))
			return &m->rules[i];
	return NULL;
}

size_t fs_map_intersect(const struct fs_map *m, uint64_t dpid, const struct of_match *match,
			struct fs_hit *out, size_t max)
{
	size_t found = 0;

	if (m->kind == FS_MAP_FEDERATED)
		return fs_federated_intersect(m, dpid, match, out, max);
	for (size_t i = 0; i < m->n; i++)
		fs_map_hit(&m->rules[i], dpid, match, out, max, &found);
	return found;
}

void fs_map_hit(const struct fs_rule *r, uint64_t dpid, const struct of_match *match,
		struct fs_hit *out, size_t max, size_t *found)
{
	struct of_match inter;
	enum fs_rel rel;

	if (!on_dpid(r, dpid))
		return;
	rel = fs_match_compare(match, &r->match, &inter);
	if (rel == FS_REL_NONE)
		return;
	if (*found < max)
		out[*found] = (struct fs_hit){ r, rel, inter };
	(*found)++;
}
