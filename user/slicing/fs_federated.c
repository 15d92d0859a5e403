/* fs_federated.c - the federated flow map's indexes (flowspace.h).
 *
 * Rules are numbered by their place in priority order, so a set of rules
 * is a bitset whose lowest bit is the best rule. For each indexed field
 * (dpid and every exact OpenFlow 1.0 field) the map keeps the rules that
 * leave the field open (wild) and, per exact value, the rules that name it
 * (a posting list, in a hash table keyed by the value). A question starts
 * from every rule and, field by field, keeps those that are wild there or
 * name the asked value; fields no rule names cost nothing. What is left is
 * walked in priority order.
 *
 * IPv4 prefixes are indexed too, where FlowVisor checks them last on every
 * candidate (with many site prefixes that check was most of a lookup): the
 * key is (prefix length, prefix), and a question asks each length some rule
 * uses, at most 33. A query that is itself a prefix (a flow-mod) also keeps
 * every rule with a longer prefix (per-length bitsets), which the full
 * comparison then sorts out. Only what no index holds (IPv6, MAC masks,
 * IPv4 masks that are no prefix) is compared in full on the candidates.
 *
 * Cost per question: O(fields x rules / 64) word operations plus the
 * posting lists, against O(rules) full comparisons in the linear map.
 * The candidate bitset lives in the map (scratch): a map is asked from one
 * thread at a time (nfpd's loop).
 */
#include "slicing/fs_map_impl.h"

#include <stdlib.h>
#include <string.h>

enum {
	IX_DPID,
	IX_IN_PORT,
	IX_ETH_SRC,
	IX_ETH_DST,
	IX_ETH_TYPE,
	IX_VLAN_VID,
	IX_VLAN_PCP,
	IX_IP_DSCP,
	IX_IP_PROTO,
	IX_TP_SRC,
	IX_TP_DST,
	IX_IPV4_SRC, /* keyed by (prefix length, prefix) */
	IX_IPV4_DST,
	IX__COUNT
};

struct posting {
	uint64_t key;
	uint32_t start, len; /* in the index's pos[] */
	bool used;
	/* a long list (a dl_type most rules name) is also kept as a bitset:
	 * ANDing words beats visiting thousands of entries */
	uint64_t *bits;
};

struct fs_index {
	bool named;          /* some rule has an exact value here */
	uint64_t *wild;      /* rules that leave the field open */
	struct posting *tab; /* open addressing, cap a power of two */
	size_t cap;
	uint32_t *pos;       /* rule numbers, grouped by value, ascending */
	/* IPv4 only: the prefix lengths rules use (bit L), and per length the
	 * rules with it (a bitset, for queries shorter than L) */
	uint64_t lens;
	uint64_t *by_len[33];
};

struct fs_fed {
	size_t words;
	struct fs_index ix[IX__COUNT];
	uint8_t *check;      /* rule needs the full comparison at the end */
	uint64_t *cand, *tmp;
};

static bool mac_exact(const uint8_t mask[6])
{
	for (int i = 0; i < 6; i++)
		if (mask[i] != 0xff)
			return false;
	return true;
}

static uint64_t mac_key(const uint8_t mac[6])
{
	uint64_t k = 0;

	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k;
}

/* The length of a prefix mask, or -1 for a mask that is none. */
static int prefix_len(uint32_t mask)
{
	int n = __builtin_popcount(mask);

	return n && mask != 0xffffffffu << (32 - n) ? -1 : n;
}

static uint64_t ip_key(int len, uint32_t addr)
{
	return (uint64_t)len << 32 | (len ? addr & (0xffffffffu << (32 - len)) : 0);
}

/* An IPv4 value under a prefix mask (length 1-32) as a key. */
static bool prefix_key(uint32_t addr, uint32_t mask, uint64_t *key)
{
	int len = prefix_len(mask);

	if (len < 1)
		return false;
	*key = ip_key(len, addr);
	return true;
}

/* @m's exact value for field @f (not IX_DPID), as a key; for the IPv4
 * fields, its prefix. */
static bool field_key(int f, const struct of_match *m, uint64_t *key)
{
	uint32_t has = m->fields;

	switch (f) {
	case IX_IN_PORT: *key = m->in_port; return has & OF_F_IN_PORT;
	case IX_ETH_SRC:
		*key = mac_key(m->eth_src);
		return (has & OF_F_ETH_SRC) && mac_exact(m->eth_src_mask);
	case IX_ETH_DST:
		*key = mac_key(m->eth_dst);
		return (has & OF_F_ETH_DST) && mac_exact(m->eth_dst_mask);
	case IX_ETH_TYPE: *key = m->eth_type; return has & OF_F_ETH_TYPE;
	case IX_VLAN_VID: *key = m->vlan_vid; return has & OF_F_VLAN_VID;
	case IX_VLAN_PCP: *key = m->vlan_pcp; return has & OF_F_VLAN_PCP;
	case IX_IP_DSCP: *key = m->ip_dscp; return has & OF_F_IP_DSCP;
	case IX_IP_PROTO: *key = m->ip_proto; return has & OF_F_IP_PROTO;
	case IX_TP_SRC: *key = m->tp_src; return has & OF_F_TP_SRC;
	case IX_TP_DST: *key = m->tp_dst; return has & OF_F_TP_DST;
	case IX_IPV4_SRC:
		return (has & OF_F_IPV4_SRC) && prefix_key(m->ipv4_src, m->ipv4_src_mask, key);
	case IX_IPV4_DST:
		return (has & OF_F_IPV4_DST) && prefix_key(m->ipv4_dst, m->ipv4_dst_mask, key);
	}
	return false;
}

/* Fields a rule needs compared in full: the ones never indexed. */
static bool needs_check(const struct of_match *m)
{
	return (m->fields & (OF_F_IPV6_SRC | OF_F_IPV6_DST)) ||
	       ((m->fields & OF_F_IPV4_SRC) && prefix_len(m->ipv4_src_mask) < 1) ||
	       ((m->fields & OF_F_IPV4_DST) && prefix_len(m->ipv4_dst_mask) < 1) ||
	       ((m->fields & OF_F_ETH_SRC) && !mac_exact(m->eth_src_mask)) ||
	       ((m->fields & OF_F_ETH_DST) && !mac_exact(m->eth_dst_mask));
}

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

static const struct posting *find(const struct fs_index *ix, uint64_t key)
{
	for (size_t s = slot_of(key, ix->cap);; s = (s + 1) & (ix->cap - 1)) {
		if (!ix->tab[s].used)
			return NULL;
		if (ix->tab[s].key == key)
			return &ix->tab[s];
	}
}

struct pair {
	uint64_t key;
	uint32_t pos;
};

static int by_key(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int build_index(struct fs_map *m, int f, struct pair *pairs)
{
	struct fs_index *ix = &m->fed->ix[f];
	size_t np = 0, distinct = 0;

	ix->wild = calloc(m->fed->words, sizeof(uint64_t));
	if (!ix->wild)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		const struct fs_rule *r = &m->rules[i];
		uint64_t key;
		bool exact = f == IX_DPID ? !r->any_dpid : field_key(f, &r->match, &key);

		if (f == IX_DPID)
			key = r->dpid;
		if (exact)
			pairs[np++] = (struct pair){ key, (uint32_t)i };
		else
			ix->wild[i / 64] |= 1ull << (i % 64);
		if (exact && (f == IX_IPV4_SRC || f == IX_IPV4_DST)) {
			int len = (int)(key >> 32);

			ix->lens |= 1ull << len;
			if (!ix->by_len[len] &&
			    !(ix->by_len[len] = calloc(m->fed->words, sizeof(uint64_t))))
				return -1;
			ix->by_len[len][i / 64] |= 1ull << (i % 64);
		}
	}
	ix->named = np > 0;
	qsort(pairs, np, sizeof(*pairs), by_key);
	for (size_t i = 0; i < np; i++)
		distinct += !i || pairs[i].key != pairs[i - 1].key;
	for (ix->cap = 8; ix->cap < 2 * distinct; ix->cap *= 2)
		;
	ix->tab = calloc(ix->cap, sizeof(*ix->tab));
	ix->pos = calloc(np ? np : 1, sizeof(*ix->pos));
	if (!ix->tab || !ix->pos)
		return -1;
	for (size_t i = 0; i < np; i++) {
		ix->pos[i] = pairs[i].pos;
		if (i && pairs[i].key == pairs[i - 1].key)
			continue;
		size_t s = slot_of(pairs[i].key, ix->cap);

		while (ix->tab[s].used)
			s = (s + 1) & (ix->cap - 1);
		ix->tab[s] = (struct posting){ .key = pairs[i].key, .start = (uint32_t)i, .used = true };
	}
	for (size_t i = 0; i < np; i++)
		((struct posting *)find(ix, pairs[i].key))->len++;
	for (size_t s = 0; s < ix->cap; s++) {
		struct posting *p = &ix->tab[s];

		if (!p->used || p->len <= 2 * m->fed->words)
			continue;
		if (!(p->bits = calloc(m->fed->words, sizeof(uint64_t))))
			return -1;
		for (uint32_t i = 0; i < p->len; i++)
			p->bits[ix->pos[p->start + i] / 64] |= 1ull << (ix->pos[p->start + i] % 64);
	}
	return 0;
}

int fs_federated_build(struct fs_map *m)
{
	struct pair *pairs;
	int rc = 0;

	m->fed = calloc(1, sizeof(*m->fed));
	if (!m->fed)
		return -1;
	m->fed->words = (m->n + 63) / 64 + 1;
	m->fed->check = calloc(m->n ? m->n : 1, 1);
	m->fed->cand = calloc(m->fed->words, sizeof(uint64_t));
	m->fed->tmp = calloc(m->fed->words, sizeof(uint64_t));
	pairs = calloc(m->n ? m->n : 1, sizeof(*pairs));
	if (!m->fed->check || !m->fed->cand || !m->fed->tmp || !pairs) {
		free(pairs);
		return -1;
	}
	for (size_t i = 0; i < m->n; i++)
		m->fed->check[i] = needs_check(&m->rules[i].match);
	for (int f = 0; f < IX__COUNT && !rc; f++)
		rc = build_index(m, f, pairs);
	free(pairs);
	return rc;
}

void fs_federated_free(struct fs_map *m)
{
	if (!m->fed)
		return;
	for (int f = 0; f < IX__COUNT; f++) {
		for (size_t s = 0; m->fed->ix[f].tab && s < m->fed->ix[f].cap; s++)
			free(m->fed->ix[f].tab[s].bits);
		free(m->fed->ix[f].wild);
		free(m->fed->ix[f].tab);
		free(m->fed->ix[f].pos);
		for (int l = 0; l <= 32; l++)
			free(m->fed->ix[f].by_len[l]);
	}
	free(m->fed->check);
	free(m->fed->cand);
	free(m->fed->tmp);
	free(m->fed);
	m->fed = NULL;
}

/* Add to tmp the candidates that name @key in @ix. */
static void add_posting(const struct fs_fed *fed, const struct fs_index *ix, uint64_t key)
{
	const struct posting *p = find(ix, key);

	if (p && p->bits)
		for (size_t w = 0; w < fed->words; w++)
			fed->tmp[w] |= fed->cand[w] & p->bits[w];
	else if (p)
		for (uint32_t i = 0; i < p->len; i++) {
			uint32_t r = ix->pos[p->start + i];

			fed->tmp[r / 64] |= fed->cand[r / 64] & (1ull << (r % 64));
		}
}

/* Keep in cand the rules wild on field @f or (when @has) naming @key; for
 * an IPv4 field, those whose prefix holds the asked one's start, and those
 * with a longer prefix than it (they may overlap it). */
static void narrow(struct fs_fed *fed, int f, bool has, uint64_t key)
{
	const struct fs_index *ix = &fed->ix[f];
	uint64_t *swap;

	if (!ix->named)
		return; /* every rule is wild here */
	for (size_t w = 0; w < fed->words; w++)
		fed->tmp[w] = fed->cand[w] & ix->wild[w];
	if (has && (f == IX_IPV4_SRC || f == IX_IPV4_DST)) {
		int qlen = (int)(key >> 32);
		uint32_t addr = (uint32_t)key;

		for (uint64_t lens = ix->lens; lens; lens &= lens - 1) {
			int len = __builtin_ctzll(lens);

			if (len <= qlen)
				add_posting(fed, ix, ip_key(len, addr));
			else
				for (size_t w = 0; w < fed->words; w++)
					fed->tmp[w] |= fed->cand[w] & ix->by_len[len][w];
		}
	} else if (has) {
		add_posting(fed, ix, key);
	}
	swap = fed->cand;
	fed->cand = fed->tmp;
	fed->tmp = swap;
}

static void start(struct fs_fed *fed, size_t n)
{
	memset(fed->cand, 0, fed->words * sizeof(uint64_t));
	for (size_t i = 0; i < n / 64; i++)
		fed->cand[i] = ~0ull;
	if (n % 64)
		fed->cand[n / 64] = (1ull << (n % 64)) - 1;
}

/* The next candidate at or after @from, or SIZE_MAX. */
static size_t next_cand(const struct fs_fed *fed, size_t from)
{
	for (size_t w = from / 64; w < fed->words; w++) {
		uint64_t bits = fed->cand[w];

		if (w == from / 64)
			bits &= ~0ull << (from % 64);
		if (bits)
			return w * 64 + (size_t)__builtin_ctzll(bits);
	}
	return SIZE_MAX;
}

/* Narrow by the dpid and by every field @q has an exact value for. When
 * @point, a field @q leaves open excludes the rules that name it. */
static void narrow_all(struct fs_fed *fed, size_t n, uint64_t dpid, const struct of_match *q,
		       bool point)
{
	start(fed, n);
	narrow(fed, IX_DPID, true, dpid);
	for (int f = IX_DPID + 1; f < IX__COUNT; f++) {
		uint64_t key;
		bool has = field_key(f, q, &key);

		if (has || point)
			narrow(fed, f, has, key);
	}
}

const struct fs_rule *fs_federated_lookup(const struct fs_map *m, uint64_t dpid,
					  const struct of_match *point)
{
	struct fs_fed *fed = m->fed;

	narrow_all(fed, m->n, dpid, point, true);
	for (size_t i = next_cand(fed, 0); i < m->n; i = next_cand(fed, i + 1))
		if (!fed->check[i] || fs_match_covers(&m->rules[i].match, point))
			return &m->rules[i];
	return NULL;
}

size_t fs_federated_intersect(const struct fs_map *m, uint64_t dpid, const struct of_match *match,
			      struct fs_hit *out, size_t max)
{
	struct fs_fed *fed = m->fed;
	size_t found = 0;

	narrow_all(fed, m->n, dpid, match, false);
	for (size_t i = next_cand(fed, 0); i < m->n; i = next_cand(fed, i + 1))
		fs_map_hit(&m->rules[i], dpid, match, out, max, &found);
	return found;
}
