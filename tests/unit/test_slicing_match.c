/* test_slicing_match.c - the flowspace's match algebra (slicing/fs_match.h):
 * relations and intersections field by field (CIDR and MAC masks
 * included), checked by table and against sampled packets; FlowVisor's
 * match strings, their aliases and every way one can be wrong; the point a
 * frame is; permissions and dpids as FlowVisor writes them. */
#include "slicing/flowspace.h"
#include "slicing/fs_match.h"
#include "../lib/fs_gen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static struct of_match M(const char *s)
{
	struct of_match m;
	char err[256] = "";

	if (fs_match_parse(s, &m, err, sizeof(err))) {
		fprintf(stderr, "parse '%s': %s\n", s, err);
		fail();
	}
	return m;
}

static const char *fmt(const struct of_match *m)
{
	static char buf[512];

	fs_match_format(m, buf, sizeof(buf));
	return buf;
}

struct rel_case {
	const char *a, *b;
	enum fs_rel rel;
	const char *inter; /* when not NONE */
};

static void test_relations_and_intersections(void **state)
{
	static const struct rel_case cases[] = {
		{ "any", "any", FS_REL_EQUAL, "any" },
		{ "in_port=1", "any", FS_REL_SUBSET, "in_port=1" },
		{ "any", "in_port=1", FS_REL_SUPERSET, "in_port=1" },
		{ "in_port=1", "in_port=2", FS_REL_NONE, NULL },
		{ "in_port=1", "dl_type=0x0800", FS_REL_INTERSECT, "in_port=1,dl_type=0x0800" },
		{ "in_port=1,dl_type=0x0800", "in_port=1", FS_REL_SUBSET,
		  "in_port=1,dl_type=0x0800" },
		/* CIDR, FlowVisor's testCIDRIntersect */
		{ "nw_dst=10.1.0.0/16", "nw_dst=10.0.0.0/8", FS_REL_SUBSET, "nw_dst=10.1.0.0/16" },
		{ "nw_dst=10.0.0.0/8", "nw_dst=10.1.2.3", FS_REL_SUPERSET, "nw_dst=10.1.2.3" },
		{ "nw_dst=10.0.0.0/8", "nw_dst=11.0.0.0/8", FS_REL_NONE, NULL },
		{ "nw_src=128.8.0.0/16", "nw_src=128.8.128.0/17,tp_dst=80", FS_REL_SUPERSET,
		  "nw_src=128.8.128.0/17,tp_dst=80" },
		{ "nw_src=10.0.0.0/8,tp_dst=80", "nw_src=10.2.0.0/16", FS_REL_INTERSECT,
		  "nw_src=10.2.0.0/16,tp_dst=80" },
		{ "nw_src=10.0.0.0/8", "nw_src=10.0.0.0/8", FS_REL_EQUAL, "nw_src=10.0.0.0/8" },
		/* a /0 prefix is no constraint at all */
		{ "nw_src=0.0.0.0/0", "any", FS_REL_EQUAL, "any" },
		/* VLAN: untagged is a value, not a wildcard */
		{ "dl_vlan=0xffff", "dl_vlan=512", FS_REL_NONE, NULL },
		{ "dl_vlan=512", "any", FS_REL_SUBSET, "dl_vlan=512" },
		{ "dl_src=00:00:00:00:00:01", "dl_src=00:00:00:00:00:02", FS_REL_NONE, NULL },
		{ "dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02", "dl_dst=00:00:00:00:00:02",
		  FS_REL_SUBSET, "dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02" },
		{ "nw_tos=4", "nw_tos=8", FS_REL_NONE, NULL },
		{ "nw_proto=6,tp_src=1", "nw_proto=6,tp_dst=2", FS_REL_INTERSECT,
		  "nw_proto=6,tp_src=1,tp_dst=2" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct of_match a = M(cases[i].a), b = M(cases[i].b), inter;
		enum fs_rel r = fs_match_compare(&a, &b, &inter);

		if (r != cases[i].rel)
			fprintf(stderr, "case %zu: %s vs %s: %s, want %s\n", i, cases[i].a,
				cases[i].b, fs_rel_name(r), fs_rel_name(cases[i].rel));
		assert_int_equal(r, cases[i].rel);
		if (r != FS_REL_NONE)
			assert_string_equal(fmt(&inter), cases[i].inter);
		/* and the other way round */
		r = fs_match_compare(&b, &a, NULL);
		assert_int_equal(r, cases[i].rel == FS_REL_SUBSET     ? FS_REL_SUPERSET :
				    cases[i].rel == FS_REL_SUPERSET ? FS_REL_SUBSET :
								      cases[i].rel);
	}
}

/* Masks that are no prefix (what an OpenFlow 1.3 flow-mod may carry). */
static void test_arbitrary_masks(void **state)
{
	struct of_match a = { 0 }, b = { 0 }, i;

	(void)state;
	a.fields = b.fields = OF_F_ETH_DST;
	a.eth_dst[0] = 0x01, a.eth_dst_mask[0] = 0x01; /* multicast bit set */
	b.eth_dst[5] = 0x07, b.eth_dst_mask[5] = 0xff;
	assert_int_equal(fs_match_compare(&a, &b, &i), FS_REL_INTERSECT);
	assert_int_equal(i.eth_dst_mask[0], 0x01);
	assert_int_equal(i.eth_dst_mask[5], 0xff);
	assert_int_equal(i.eth_dst[0], 0x01);
	assert_int_equal(i.eth_dst[5], 0x07);
	b.eth_dst[0] = 0x00, b.eth_dst_mask[0] = 0xff; /* unicast, exact */
	assert_int_equal(fs_match_compare(&a, &b, &i), FS_REL_NONE);

	a = (struct of_match){ .fields = OF_F_IPV4_SRC, .ipv4_src = 0x00000001,
			       .ipv4_src_mask = 0x000000ff };
	b = (struct of_match){ .fields = OF_F_IPV4_SRC, .ipv4_src = 0x0a000000,
			       .ipv4_src_mask = 0xff000000 };
	assert_int_equal(fs_match_compare(&a, &b, &i), FS_REL_INTERSECT);
	assert_int_equal(i.ipv4_src, 0x0a000001);
	assert_int_equal(i.ipv4_src_mask, 0xff0000ff);
}

/* Random matches over small domains, then packets: a packet is in both
 * exactly when it is in the intersection, never when the relation is NONE,
 * and SUBSET/SUPERSET/EQUAL say what the packets say. */
static void test_algebra_agrees_with_packets(void **state)
{
	(void)state;
	for (int round = 0; round < 20000; round++) {
		struct of_match a, b, inter, p;
		enum fs_rel rel;
		bool only_a = false, only_b = false, both = false;

		fs_gen_match(&a, 3);
		fs_gen_match(&b, 3);
		rel = fs_match_compare(&a, &b, &inter);
		for (int k = 0; k < 64; k++) {
			bool in_a, in_b;

			fs_gen_point(&p);
			in_a = fs_match_covers(&a, &p);
			in_b = fs_match_covers(&b, &p);
			if (rel != FS_REL_NONE)
				assert_int_equal(in_a && in_b, fs_match_covers(&inter, &p));
			else
				assert_false(in_a && in_b);
			only_a |= in_a && !in_b;
			only_b |= in_b && !in_a;
			both |= in_a && in_b;
		}
		/* what the samples saw can only contradict, never prove */
		if (rel == FS_REL_SUBSET || rel == FS_REL_EQUAL)
			assert_false(only_a);
		if (rel == FS_REL_SUPERSET || rel == FS_REL_EQUAL)
			assert_false(only_b);
		if (both)
			assert_int_not_equal(rel, FS_REL_NONE);
	}
}

static void test_parse_aliases_and_format(void **state)
{
	struct of_match a = M("input_port=3,eth_src=02:00:00:00:00:0A,eth_type=2048,"
			      "dl_vpcp=5,ip_src=10.0.0.0/8,ip_dst=192.168.1.1,nw_proto=6,"
			      "nw_tos=16,tp_src=1,tp_dst=0x50,dl_vlan=0xffff");
	struct of_match b;

	(void)state;
	assert_string_equal(fmt(&a), "in_port=3,dl_vlan=0xffff,dl_vlan_pcp=5,"
				     "dl_src=02:00:00:00:00:0a,dl_type=0x0800,nw_src=10.0.0.0/8,"
				     "nw_dst=192.168.1.1,nw_proto=6,nw_tos=16,tp_src=1,tp_dst=80");
	assert_int_equal(a.ip_dscp, 4);
	assert_int_equal(a.vlan_vid, OF_VLAN_NONE);
	/* the format reads back as the same match */
	b = M(fmt(&a));
	assert_int_equal(fs_match_compare(&a, &b, NULL), FS_REL_EQUAL);
	/* the whole space, however written */
	assert_string_equal(fmt(&(struct of_match){ 0 }), "any");
	assert_int_equal(M("ANY").fields, 0);
	assert_int_equal(M("all").fields, 0);
	assert_int_equal(M("").fields, 0);
	assert_int_equal(M(" nw_src = 10.0.0.1 , tp_dst=22 ").fields,
			 OF_F_IPV4_SRC | OF_F_TP_DST);
	/* host bits under the prefix are dropped */
	{
		struct of_match c = M("nw_src=10.1.2.3/8");

		assert_string_equal(fmt(&c), "nw_src=10.0.0.0/8");
	}
}

static void expect_parse_error(const char *s, const char *want)
{
	struct of_match m = { .fields = 0x5a5a, .in_port = 77 };
	char err[256] = "";

	assert_int_equal(fs_match_parse(s, &m, err, sizeof(err)), -EINVAL);
	if (!strstr(err, want))
		fprintf(stderr, "'%s': error '%s' does not say '%s'\n", s, err, want);
	assert_non_null(strstr(err, want));
	/* nothing half-applied */
	assert_int_equal(m.fields, 0x5a5a);
	assert_int_equal(m.in_port, 77);
}

static void test_parse_errors_name_the_field(void **state)
{
	(void)state;
	expect_parse_error("in_port=1,bogus=2", "unknown field 'bogus'");
	expect_parse_error("in_port", "'in_port' is not field=value");
	expect_parse_error("in_port=1,in_port=2", "in_port given twice");
	expect_parse_error("in_port=1,input_port=2", "in_port given twice");
	expect_parse_error("in_port=x", "in_port: 'x' is not a port number");
	expect_parse_error("in_port=-1", "in_port: '-1'");
	expect_parse_error("dl_src=00:11:22:33:44", "dl_src: '00:11:22:33:44' is not a MAC");
	expect_parse_error("dl_type=0x10000", "dl_type: '0x10000' is not a number 0-65535");
	expect_parse_error("dl_vlan=4096", "dl_vlan: '4096' is not a VLAN id");
	expect_parse_error("dl_vlan_pcp=8", "dl_vlan_pcp: '8' is not a priority code point");
	expect_parse_error("nw_src=10.0.0.0/33", "nw_src: '10.0.0.0/33' is not an IPv4");
	expect_parse_error("nw_dst=10.0.0/8", "nw_dst: '10.0.0/8' is not an IPv4");
	expect_parse_error("nw_src=10.0.0.0/", "nw_src: '10.0.0.0/'");
	expect_parse_error("nw_proto=256", "nw_proto: '256' is not a number 0-255");
	expect_parse_error("nw_tos=3", "nw_tos: '3' is not a TOS byte");
	expect_parse_error("tp_dst=", "tp_dst: '' is not a number");
	expect_parse_error("tp_dst=80,", "nothing after the last ','");
	expect_parse_error("tp_dst=80 81", "tp_dst: '80 81'");
}

/* A frame's point: Ethernet, VLAN, IPv4 with its TOS and ports, ICMP type
 * and code in tp_src/tp_dst, ARP's opcode and addresses in the IP fields. */
static void test_points_from_frames(void **state)
{
	uint8_t f[64] = { 0 };
	struct of_match p;

	(void)state;
	/* 802.1Q VLAN 5, PCP 3, IPv4 TCP 10.0.0.1:1234 -> 10.0.0.2:80, TOS 0x10 */
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x81\x00\x60\x05\x08\x00",
	       18);
	memcpy(f + 18, "\x45\x10\x00\x28\x00\x00\x00\x00\x40\x06\x00\x00\x0a\x00\x00\x01"
		       "\x0a\x00\x00\x02\x04\xd2\x00\x50",
	       24);
	f[18 + 20 + 12] = 0x50;
	assert_true(fs_match_from_frame(f, 64, 7, &p));
	assert_int_equal(p.fields, FS_MATCH_FIELDS);
	assert_string_equal(fmt(&p), "in_port=7,dl_vlan=5,dl_vlan_pcp=3,dl_src=02:00:00:00:00:01,"
				     "dl_dst=02:00:00:00:00:02,dl_type=0x0800,nw_src=10.0.0.1,"
				     "nw_dst=10.0.0.2,nw_proto=6,nw_tos=16,tp_src=1234,tp_dst=80");

	/* untagged ICMP echo request: type 8 code 0 */
	memset(f, 0, sizeof(f));
	memcpy(f + 12, "\x08\x00", 2);
	memcpy(f + 14, "\x45\x00\x00\x1c\x00\x00\x00\x00\x40\x01\x00\x00\x0a\x00\x00\x01"
		       "\x0a\x00\x00\x02\x08\x00",
	       22);
	assert_true(fs_match_from_frame(f, 60, 1, &p));
	assert_int_equal(p.vlan_vid, OF_VLAN_NONE);
	assert_int_equal(p.ip_proto, 1);
	assert_int_equal(p.tp_src, 8);
	assert_int_equal(p.tp_dst, 0);

	/* ARP request 10.0.0.5 -> who has 10.0.0.9 */
	memset(f, 0, sizeof(f));
	memcpy(f + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01", 10);
	memcpy(f + 28, "\x0a\x00\x00\x05", 4);
	memcpy(f + 38, "\x0a\x00\x00\x09", 4);
	assert_true(fs_match_from_frame(f, 60, 2, &p));
	assert_int_equal(p.eth_type, 0x0806);
	assert_int_equal(p.ip_proto, 1);
	assert_int_equal(p.ipv4_src, 0x0a000005);
	assert_int_equal(p.ipv4_dst, 0x0a000009);

	/* too short for Ethernet; an IPv6 packet has no OpenFlow 1.0 IP fields */
	assert_false(fs_match_from_frame(f, 13, 1, &p));
	memset(f, 0, sizeof(f));
	memcpy(f + 12, "\x86\xdd\x60", 3);
	assert_true(fs_match_from_frame(f, 64, 1, &p));
	assert_int_equal(p.eth_type, 0x86dd);
	assert_int_equal(p.ipv4_src, 0);
}

static void test_permissions_and_dpids(void **state)
{
	struct fs_rule r = { 0 };
	char err[256], buf[128];
	bool any;
	uint64_t dpid;

	(void)state;
	assert_int_equal(fs_perm_parse("fl-1=7", &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_actions, 1);
	assert_int_equal(fs_rule_perm(&r, "fl-1"), FS_PERM_ALL);
	assert_int_equal(fs_perm_parse("Slice:a=4,Slice:b=2", &r, err, sizeof(err)), 0);
	assert_int_equal(fs_rule_perm(&r, "a"), FS_PERM_WRITE);
	assert_int_equal(fs_rule_perm(&r, "b"), FS_PERM_READ);
	assert_int_equal(fs_rule_perm(&r, "c"), 0);
	/* FlowVisor's own DELEGATE value (8) is DELEGATE; letters too */
	assert_int_equal(fs_perm_parse("a=12,b=rw,c=D", &r, err, sizeof(err)), 0);
	assert_int_equal(fs_rule_perm(&r, "a"), FS_PERM_WRITE | FS_PERM_DELEGATE);
	assert_int_equal(fs_rule_perm(&r, "b"), FS_PERM_READ | FS_PERM_WRITE);
	assert_int_equal(fs_rule_perm(&r, "c"), FS_PERM_DELEGATE);
	fs_perm_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "a=5,b=6,c=1");

	assert_int_equal(fs_perm_parse("a=0", &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "a: permission '0' is not 1-15"));
	assert_int_equal(fs_perm_parse("a=16", &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(fs_perm_parse("a=rr", &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(fs_perm_parse("a=4,a=2", &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "slice a given twice"));
	assert_int_equal(fs_perm_parse("=4", &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(fs_perm_parse("", &r, err, sizeof(err)), -EINVAL);
	/* the failed parses left the last good set */
	assert_int_equal(r.n_actions, 3);

	assert_int_equal(fs_dpid_parse("00:00:00:00:00:00:00:02", &any, &dpid, err, sizeof(err)),
			 0);
	assert_false(any);
	assert_int_equal(dpid, 2);
	assert_int_equal(fs_dpid_parse("ALL_DPIDS", &any, &dpid, err, sizeof(err)), 0);
	assert_true(any);
	assert_int_equal(fs_dpid_parse("-8000000000000000", &any, &dpid, err, sizeof(err)), 0);
	assert_true(any);
	assert_int_equal(fs_dpid_parse("258", &any, &dpid, err, sizeof(err)), 0);
	assert_int_equal(dpid, 258);
	assert_int_equal(fs_dpid_parse("00000000000000ff", &any, &dpid, err, sizeof(err)), 0);
	assert_int_equal(dpid, 255);
	assert_int_equal(fs_dpid_parse("0x1f", &any, &dpid, err, sizeof(err)), 0);
	assert_int_equal(dpid, 31);
	fs_dpid_format(false, 0x0102030405060708ull, buf);
	assert_string_equal(buf, "01:02:03:04:05:06:07:08");
	assert_int_equal(fs_dpid_parse("00:00:00:00:00:00:00:0g", &any, &dpid, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "dpid: '00:00:00:00:00:00:00:0g' is not"));
	assert_int_equal(fs_dpid_parse("12x", &any, &dpid, err, sizeof(err)), -EINVAL);
	assert_int_equal(fs_dpid_parse("", &any, &dpid, err, sizeof(err)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relations_and_intersections),
		cmocka_unit_test(test_arbitrary_masks),
		cmocka_unit_test(test_algebra_agrees_with_packets),
		cmocka_unit_test(test_parse_aliases_and_format),
		cmocka_unit_test(test_parse_errors_name_the_field),
		cmocka_unit_test(test_points_from_frames),
		cmocka_unit_test(test_permissions_and_dpids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
