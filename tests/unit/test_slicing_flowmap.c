/* test_slicing_flowmap.c - the flow maps (slicing/flowspace.h): FlowVisor's
 * LinearFlowMapTest/FederatedFlowMapTest cases run on both kinds (CIDR
 * intersection, a VLAN rule not eclipsing match-all, ARP classification,
 * an overlap giving two intersections of which only the WRITE one is
 * kept), priority order and dpids, and the property that the linear and
 * federated maps give identical answers, lookup and intersection, on
 * 100,000 random rule sets. */
#include "slicing/flowspace.h"
#include "../lib/fs_gen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const enum fs_map_kind kinds[] = { FS_MAP_LINEAR, FS_MAP_FEDERATED };

static struct fs_rule R(const char *name, const char *dpid, uint32_t prio, const char *match,
			const char *perms)
{
	struct fs_rule r = { .priority = prio };
	char err[256] = "";

	snprintf(r.name, sizeof(r.name), "%s", name);
	if (fs_dpid_parse(dpid, &r.any_dpid, &r.dpid, err, sizeof(err)) ||
	    fs_match_parse(match, &r.match, err, sizeof(err)) ||
	    fs_perm_parse(perms, &r, err, sizeof(err))) {
		fprintf(stderr, "rule %s: %s\n", name, err);
		fail();
	}
	return r;
}

static struct of_match M(const char *s)
{
	struct of_match m;
	char err[256];

	assert_int_equal(fs_match_parse(s, &m, err, sizeof(err)), 0);
	return m;
}

/* A packet: the given fields on top of an untagged IPv4/TCP packet. */
static struct of_match P(const char *s)
{
	struct of_match base = M("in_port=1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,"
				 "dl_type=0x0800,dl_vlan=0xffff,dl_vlan_pcp=0,nw_src=10.0.0.1,"
				 "nw_dst=10.0.0.2,nw_proto=6,nw_tos=0,tp_src=1000,tp_dst=80");
	struct of_match over = M(s), p;

	/* the fields of @s override */
	assert_int_not_equal(fs_match_compare(&over, &over, NULL), FS_REL_NONE);
	p = base;
#define TAKE(bit, ...)                              \
	if (over.fields & (bit)) {                  \
		__VA_ARGS__;                        \
	}
	TAKE(OF_F_IN_PORT, p.in_port = over.in_port)
	TAKE(OF_F_ETH_SRC, memcpy(p.eth_src, over.eth_src, 6))
	TAKE(OF_F_ETH_DST, memcpy(p.eth_dst, over.eth_dst, 6))
	TAKE(OF_F_ETH_TYPE, p.eth_type = over.eth_type)
	TAKE(OF_F_VLAN_VID, p.vlan_vid = over.vlan_vid)
	TAKE(OF_F_IP_PROTO, p.ip_proto = over.ip_proto)
	TAKE(OF_F_IPV4_SRC, p.ipv4_src = over.ipv4_src)
	TAKE(OF_F_IPV4_DST, p.ipv4_dst = over.ipv4_dst)
	TAKE(OF_F_TP_DST, p.tp_dst = over.tp_dst)
#undef TAKE
	return p;
}

static const char *looked_up(const struct fs_map *m, uint64_t dpid, const char *packet)
{
	struct of_match p = P(packet);
	const struct fs_rule *r = fs_map_lookup(m, dpid, &p);

	return r ? r->name : "(none)";
}

static void test_cidr_intersection(void **state)
{
	struct fs_rule rules[] = {
		R("net10", "any", 100, "nw_dst=10.0.0.0/8", "alice=4"),
		R("net10.1", "any", 200, "nw_dst=10.1.0.0/16", "bob=4"),
	};
	struct fs_hit hits[4];

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct fs_map *m = fs_map_new(kinds[k], rules, 2);
		struct of_match q = M("nw_dst=10.1.2.0/24");
		char buf[128];

		assert_int_equal(fs_map_intersect(m, 1, &q, hits, 4), 2);
		assert_string_equal(hits[0].rule->name, "net10.1");
		assert_int_equal(hits[0].rel, FS_REL_SUBSET);
		assert_string_equal(hits[1].rule->name, "net10");
		fs_match_format(&hits[1].inter, buf, sizeof(buf));
		assert_string_equal(buf, "nw_dst=10.1.2.0/24");
		/* a wider query is cut down to each rule's prefix */
		q = M("any");
		assert_int_equal(fs_map_intersect(m, 1, &q, hits, 4), 2);
		assert_int_equal(hits[0].rel, FS_REL_SUPERSET);
		fs_match_format(&hits[0].inter, buf, sizeof(buf));
		assert_string_equal(buf, "nw_dst=10.1.0.0/16");
		q = M("nw_dst=11.0.0.0/8");
		assert_int_equal(fs_map_intersect(m, 1, &q, hits, 4), 0);
		assert_string_equal(looked_up(m, 1, "nw_dst=10.1.9.9"), "net10.1");
		assert_string_equal(looked_up(m, 1, "nw_dst=10.2.9.9"), "net10");
		assert_string_equal(looked_up(m, 1, "nw_dst=12.0.0.1"), "(none)");
		fs_map_free(m);
	}
}

/* A higher-priority rule on one VLAN must not swallow untagged packets,
 * which the match-all rule below it takes. */
static void test_vlan_rule_does_not_eclipse_match_all(void **state)
{
	struct fs_rule rules[] = {
		R("all", "any", 100, "any", "bob=4"),
		R("vlan512", "any", 200, "dl_vlan=512", "alice=4"),
	};

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct fs_map *m = fs_map_new(kinds[k], rules, 2);
		struct fs_hit hits[4];
		struct of_match q = M("any");

		assert_string_equal(looked_up(m, 1, "dl_vlan=0xffff"), "all");
		assert_string_equal(looked_up(m, 1, "dl_vlan=512"), "vlan512");
		assert_string_equal(looked_up(m, 1, "dl_vlan=511"), "all");
		assert_int_equal(fs_map_intersect(m, 1, &q, hits, 4), 2);
		assert_string_equal(hits[0].rule->name, "vlan512");
		assert_string_equal(hits[1].rule->name, "all");
		assert_int_equal(hits[1].rel, FS_REL_EQUAL);
		fs_map_free(m);
	}
}

/* ARP is classified by its protocol addresses in the IP fields. */
static void test_arp_classification(void **state)
{
	struct fs_rule rules[] = {
		R("kk", "any", 200, "nw_src=10.0.0.0/24", "kk=6"),
		R("rest", "any", 100, "any", "other=6"),
	};
	uint8_t arp[60] = { 0 };
	struct of_match p;

	(void)state;
	memcpy(arp + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01", 10);
	memcpy(arp + 28, "\x0a\x00\x00\x05", 4);
	for (int k = 0; k < 2; k++) {
		struct fs_map *m = fs_map_new(kinds[k], rules, 2);

		assert_true(fs_match_from_frame(arp, sizeof(arp), 1, &p));
		assert_string_equal(fs_map_lookup(m, 1, &p)->name, "kk");
		arp[30] = 1; /* sender 10.0.1.5 */
		assert_true(fs_match_from_frame(arp, sizeof(arp), 1, &p));
		assert_string_equal(fs_map_lookup(m, 1, &p)->name, "rest");
		arp[30] = 0;
		assert_string_equal(looked_up(m, 1, "nw_src=10.0.0.77"), "kk");
		fs_map_free(m);
	}
}

/* A slice's flow-mod overlapping two rules: two intersections, and only
 * the one where the slice holds WRITE is kept. */
static void test_overlap_keeps_only_the_write_intersection(void **state)
{
	struct fs_rule rules[] = {
		R("read-a", "00:00:00:00:00:00:00:01", 200, "dl_src=02:00:00:00:00:0a", "s=2"),
		R("write-all", "00:00:00:00:00:00:00:01", 100, "dl_type=0x0800", "s=4"),
	};

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct fs_map *m = fs_map_new(kinds[k], rules, 2);
		struct fs_hit hits[4];
		struct of_match q = M("dl_type=0x0800");
		size_t n = fs_map_intersect(m, 1, &q, hits, 4), writable = 0;

		assert_int_equal(n, 2);
		for (size_t i = 0; i < n; i++)
			if (fs_rule_perm(hits[i].rule, "s") & FS_PERM_WRITE) {
				writable++;
				assert_string_equal(hits[i].rule->name, "write-all");
				assert_int_equal(hits[i].rel, FS_REL_EQUAL);
			}
		assert_int_equal(writable, 1);
		/* another datapath: no rule at all */
		assert_int_equal(fs_map_intersect(m, 2, &q, hits, 4), 0);
		fs_map_free(m);
	}
}

/* Higher priority first; equal priorities in the order given; a rule on
 * one dpid only answers there; intersect counts past @max. */
static void test_priority_order_ties_and_dpids(void **state)
{
	struct fs_rule rules[] = {
		R("first", "any", 500, "tp_dst=80", "a=2"),
		R("low", "any", 10, "any", "a=2"),
		R("second", "any", 500, "nw_proto=6", "a=2"),
		R("dp2", "2", 900, "any", "a=2"),
	};

	(void)state;
	for (int k = 0; k < 2; k++) {
		struct fs_map *m = fs_map_new(kinds[k], rules, 4);
		struct fs_hit hits[2];
		struct of_match q = M("any");

		assert_string_equal(fs_map_rule(m, 0)->name, "dp2");
		assert_string_equal(fs_map_rule(m, 1)->name, "first");
		assert_string_equal(fs_map_rule(m, 2)->name, "second");
		assert_string_equal(looked_up(m, 1, "tp_dst=80"), "first");
		assert_string_equal(looked_up(m, 1, "tp_dst=22"), "second");
		assert_string_equal(looked_up(m, 1, "nw_proto=17,tp_dst=22"), "low");
		assert_string_equal(looked_up(m, 2, "tp_dst=80"), "dp2");
		assert_int_equal(fs_map_intersect(m, 1, &q, hits, 2), 3);
		assert_string_equal(hits[1].rule->name, "second");
		fs_map_free(m);
	}
}

static void random_rules(struct fs_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct fs_rule *r = &rules[i];

		memset(r, 0, sizeof(*r));
		snprintf(r->name, sizeof(r->name), "r%zu", i);
		r->priority = 100 * (fs_gen_rand() % 5); /* ties on purpose */
		r->any_dpid = fs_gen_rand() % 2;
		r->dpid = r->any_dpid ? 0 : 1 + fs_gen_rand() % 3;
		fs_gen_match(&r->match, 3);
		r->n_actions = 1;
		strcpy(r->actions[0].slice, "s");
		r->actions[0].perm = FS_PERM_WRITE;
	}
}

static size_t place(const struct fs_map *m, const struct fs_rule *r)
{
	return r ? (size_t)(r - fs_map_rule(m, 0)) : SIZE_MAX;
}

/* The two maps on the same rules give the same answers. */
static void test_linear_and_federated_agree(void **state)
{
	enum { SETS = 100000, MAX_RULES = 24, QUERIES = 4 };
	struct fs_rule rules[MAX_RULES];
	struct fs_hit hl[MAX_RULES], hf[MAX_RULES];
	size_t lookups = 0, hits = 0, inters = 0;

	(void)state;
	fs_gen_seed(20261203);
	for (int set = 0; set < SETS; set++) {
		size_t n = 1 + fs_gen_rand() % MAX_RULES;
		struct fs_map *lin, *fed;

		random_rules(rules, n);
		lin = fs_map_new(FS_MAP_LINEAR, rules, n);
		fed = fs_map_new(FS_MAP_FEDERATED, rules, n);
		assert_non_null(lin);
		assert_non_null(fed);
		for (int q = 0; q < QUERIES; q++) {
			struct of_match p, m;
			uint64_t dpid = 1 + fs_gen_rand() % 3;
			size_t nl, nf;

			fs_gen_point(&p);
			assert_int_equal(place(lin, fs_map_lookup(lin, dpid, &p)),
					 place(fed, fs_map_lookup(fed, dpid, &p)));
			lookups++;
			hits += fs_map_lookup(lin, dpid, &p) != NULL;

			fs_gen_match(&m, 2);
			nl = fs_map_intersect(lin, dpid, &m, hl, MAX_RULES);
			nf = fs_map_intersect(fed, dpid, &m, hf, MAX_RULES);
			assert_int_equal(nl, nf);
			for (size_t i = 0; i < nl; i++) {
				assert_int_equal(place(lin, hl[i].rule), place(fed, hf[i].rule));
				assert_int_equal(hl[i].rel, hf[i].rel);
				assert_memory_equal(&hl[i].inter, &hf[i].inter, sizeof(hl[i].inter));
			}
			inters += nl;
		}
		fs_map_free(lin);
		fs_map_free(fed);
	}
	/* the random sets did reach every kind of answer */
	printf("# %d rule sets, %zu lookups (%zu in a rule), %zu intersections\n", SETS, lookups,
	       hits, inters);
	assert_true(hits > lookups / 10 && hits < lookups - lookups / 10);
	assert_true(inters > (size_t)SETS);
}

static void test_empty_map(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		struct fs_map *m = fs_map_new(kinds[k], NULL, 0);
		struct of_match q = M("any");

		assert_non_null(m);
		assert_int_equal(fs_map_size(m), 0);
		assert_string_equal(looked_up(m, 1, "tp_dst=80"), "(none)");
		assert_int_equal(fs_map_intersect(m, 1, &q, NULL, 0), 0);
		fs_map_free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_intersection),
		cmocka_unit_test(test_vlan_rule_does_not_eclipse_match_all),
		cmocka_unit_test(test_arp_classification),
		cmocka_unit_test(test_overlap_keeps_only_the_write_intersection),
		cmocka_unit_test(test_priority_order_ties_and_dpids),
		cmocka_unit_test(test_empty_map),
		cmocka_unit_test(test_linear_and_federated_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
