/* test_slicing.c - the XDP slicing stage (bpf/lib/slicing.h) on the flowspace
 * compiled by user/slicing/xdp.c, through BPF_PROG_TEST_RUN: a table of
 * packets against rules on every field (priority, wildcards, CIDR, VLAN
 * and untagged, PCP, TOS, protocol, ports, MACs, ARP, in_port), the
 * default for a packet in no rule (pass or drop), a reload switching
 * generations, and the property that XDP puts random frames in the slice
 * the userspace flow map does (fs_map_lookup on the same frame's point),
 * for random rule sets of up to 1000 rules.
 *
 * Which slice a packet went to is read from the per-slice counters: each
 * run is one packet, so exactly one slice's counter grows by one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../lib/bpf_run.h"
#include "../lib/fs_gen.h"
#include "../lib/pkt.h"
#include "../lib/xdp_load.h"
#include "nfp_xdp.skel.h"
#include "slicing/xdp.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct nfp_xdp *skel;
static struct fs_xdp fx;
static int prog_fd;

/* slices a (id 1) .. h (id 8) */
static struct fs_config conf;

static void slices(void)
{
	static struct fs_slice_conf s[8];

	for (int i = 0; i < 8; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].name[0] = (char)('a' + i);
		strcpy(s[i].controller, "module:hub");
	}
	conf.slices = s;
	conf.n_slices = 8;
}

static struct fs_rule R(uint32_t prio, const char *match, const char *perms)
{
	struct fs_rule r = { .priority = prio, .any_dpid = true };
	char err[256];

	if (fs_match_parse(match, &r.match, err, sizeof(err)) ||
	    fs_perm_parse(perms, &r, err, sizeof(err))) {
		fprintf(stderr, "%s / %s: %s\n", match, perms, err);
		fail();
	}
	return r;
}

static void load(const struct fs_rule *rules, size_t n, uint32_t dflt)
{
	struct fs_map *m = fs_map_new(FS_MAP_LINEAR, rules, n);
	char err[256] = "";

	assert_non_null(m);
	conf.rules = (struct fs_rule *)rules;
	conf.n_rules = n;
	if (fs_xdp_load(&fx, &conf, m, dflt, err, sizeof(err)))
		fprintf(stderr, "fs_xdp_load: %s\n", err);
	assert_string_equal(err, "");
	fs_map_free(m);
}

static uint64_t count(uint32_t id)
{
	struct nfp_fs_stats st;

	assert_int_equal(fs_xdp_stats(&fx, id, &st), 0);
	return st.packets;
}

/* Run the frame; return the slice it was counted to (-1: none counted). */
static int slice_of(const struct pkt *p, uint32_t *verdict)
{
	uint64_t before[9];
	struct bpf_run_result r;
	int got = -1;

	for (uint32_t i = 0; i < 9; i++)
		before[i] = count(i);
	r = bpf_run_xdp(prog_fd, p->buf, p->len, 1, NULL, 0);
	assert_int_equal(r.err, 0);
	if (verdict)
		*verdict = r.retval;
	for (uint32_t i = 0; i < 9; i++) {
		uint64_t d = count(i) - before[i];

		assert_true(d <= 1);
		if (d) {
			assert_int_equal(got, -1);
			got = (int)i;
		}
	}
	return got;
}

struct frame_opts {
	int vid, pcp;         /* vid < 0: untagged */
	uint8_t src_last;
	uint16_t type;        /* 0x0800 or 0x0806 */
	uint32_t ip_src, ip_dst;
	uint8_t proto, tos;
	uint16_t sport, dport;
	uint8_t arp_op;
};

static void frame(struct pkt *p, const struct frame_opts *o)
{
	uint8_t src[6] = { 2, 0, 0, 0, 0, o->src_last }, dst[6] = { 2, 0, 0, 0, 0, 0xee };

	pkt_init(p);
	if (o->vid >= 0) {
		pkt_eth_addr(p, src, dst, 0x8100);
		pkt_vlan(p, (uint16_t)o->vid, o->type);
		p->buf[14] |= (uint8_t)(o->pcp << 5);
	} else {
		pkt_eth_addr(p, src, dst, o->type);
	}
	if (o->type == 0x0806) {
		uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, o->arp_op };

		for (int i = 0; i < 4; i++) {
			arp[14 + i] = (uint8_t)(o->ip_src >> (24 - 8 * i));
			arp[24 + i] = (uint8_t)(o->ip_dst >> (24 - 8 * i));
		}
		pkt_bytes(p, arp, sizeof(arp));
		pkt_zeros(p, 18);
	} else {
		pkt_ipv4(p, o->ip_src, o->ip_dst, o->proto);
		p->buf[p->ip4_off + 1] = o->tos;
		if (o->proto == 6)
			pkt_tcp(p, o->sport, o->dport, PKT_ACK);
		else if (o->proto == 1)
			pkt_icmp(p, (uint8_t)o->sport, (uint8_t)o->dport, 1);
		else
			pkt_udp(p, o->sport, o->dport);
	}
	pkt_finish(p);
}

static const struct frame_opts base = { .vid = -1, .src_last = 1, .type = 0x0800,
					.ip_src = 0x0a090001, .ip_dst = 0x0a090002, .proto = 17,
					.sport = 1000, .dport = 2000 };

static void test_no_flowspace_is_off(void **state)
{
	struct pkt p;
	uint32_t v;

	(void)state;
	load(NULL, 0, NFP_FS_DEFAULT_DROP);
	frame(&p, &base);
	assert_int_equal(slice_of(&p, &v), -1); /* not even "no slice" is counted */
	assert_int_equal(v, XDP_PASS);
}

static void test_every_field_and_priority(void **state)
{
	const struct fs_rule rules[] = {
		R(900, "dl_src=02:00:00:00:00:99", "b=4"),
		R(800, "tp_dst=80", "a=7"),
		R(700, "dl_vlan=7", "c=4"),
		R(650, "dl_vlan=8,dl_vlan_pcp=5", "d=4"),
		R(600, "nw_src=10.1.0.0/16", "e=2,b=4"), /* counted to its WRITE slice, b */
		R(550, "nw_dst=10.2.3.4", "f=4"),
		R(500, "nw_proto=6,tp_src=7777", "g=4"),
		R(450, "nw_tos=32", "h=4"),
		R(400, "dl_type=0x0806,nw_proto=2", "a=4"), /* ARP replies */
		R(390, "dl_type=0x0806,nw_src=192.168.0.0/24", "c=4"),
		R(300, "nw_proto=1,tp_src=8", "d=4"),   /* ICMP echo request: type 8 */
		R(200, "in_port=1,dl_type=0x0800,tp_dst=3333", "e=4"),
		R(100, "dl_vlan=0xffff,tp_dst=4444", "f=4"), /* untagged only */
	};
	struct { const char *what; struct frame_opts o; int want; } cases[] = {
		{ "nothing", base, 0 },
		{ "mac", { .vid = -1, .src_last = 0x99, .type = 0x0800, .proto = 17,
			   .sport = 1, .dport = 80 }, 2 },
		{ "tp_dst 80", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 6,
				 .ip_src = 0x0a010001, .sport = 1, .dport = 80 }, 1 },
		{ "vlan 7", { .vid = 7, .src_last = 1, .type = 0x0800, .proto = 17 }, 3 },
		{ "vlan 8 pcp 5", { .vid = 8, .pcp = 5, .src_last = 1, .type = 0x0800,
				    .proto = 17 }, 4 },
		{ "vlan 8 pcp 4", { .vid = 8, .pcp = 4, .src_last = 1, .type = 0x0800,
				    .proto = 17 }, 0 },
		{ "cidr src", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17,
				.ip_src = 0x0a01ff01 }, 2 },
		{ "cidr src outside", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17,
					.ip_src = 0x0a020001 }, 0 },
		{ "nw_dst", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17,
			      .ip_dst = 0x0a020304 }, 6 },
		{ "tcp src", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 6,
			       .sport = 7777, .dport = 9 }, 7 },
		{ "udp src is no tcp", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17,
					 .sport = 7777, .dport = 9 }, 0 },
		{ "tos", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17, .tos = 32 }, 8 },
		{ "arp reply", { .vid = -1, .src_last = 1, .type = 0x0806, .arp_op = 2,
				 .ip_src = 0x01020304 }, 1 },
		{ "arp from a site", { .vid = -1, .src_last = 1, .type = 0x0806, .arp_op = 1,
				       .ip_src = 0xc0a80009 }, 3 },
		{ "icmp echo", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 1,
				 .sport = 8, .dport = 0 }, 4 },
		{ "in_port", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17,
			       .dport = 3333 }, 5 },
		{ "untagged", { .vid = -1, .src_last = 1, .type = 0x0800, .proto = 17,
				.dport = 4444 }, 6 },
		{ "tagged is not untagged", { .vid = 9, .src_last = 1, .type = 0x0800, .proto = 17,
					      .dport = 4444 }, 0 },
		/* two rules: the higher priority wins (mac 900 over tp_dst 800) */
		{ "priority", { .vid = -1, .src_last = 0x99, .type = 0x0800, .proto = 6,
				.sport = 1, .dport = 80 }, 2 },
	};

	(void)state;
	load(rules, sizeof(rules) / sizeof(rules[0]), NFP_FS_DEFAULT_PASS);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt p;
		uint32_t v;
		int got;

		frame(&p, &cases[i].o);
		got = slice_of(&p, &v);
		if (got != cases[i].want)
			fprintf(stderr, "case %s: slice %d, want %d\n", cases[i].what, got,
				cases[i].want);
		assert_int_equal(got, cases[i].want);
		assert_int_equal(v, XDP_PASS);
	}
}

static void test_default_for_no_rule(void **state)
{
	const struct fs_rule rules[] = { R(10, "tp_dst=80", "a=4") };
	struct frame_opts o = base;
	struct pkt p;
	uint32_t v;

	(void)state;
	load(rules, 1, NFP_FS_DEFAULT_DROP);
	frame(&p, &o);
	assert_int_equal(slice_of(&p, &v), 0);
	assert_int_equal(v, XDP_DROP);
	o.dport = 80;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, &v), 1);
	assert_int_equal(v, XDP_PASS);
	load(rules, 1, NFP_FS_DEFAULT_PASS);
	o.dport = 81;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, &v), 0);
	assert_int_equal(v, XDP_PASS);
}

/* Reloads switch generations; what the previous one held is gone. */
static void test_reloads_switch_generations(void **state)
{
	const struct fs_rule one[] = { R(10, "tp_dst=80", "a=4") };
	const struct fs_rule two[] = { R(10, "tp_dst=81", "b=4") };
	struct frame_opts o = base;
	struct nfp_fs_ctl ctl;
	uint32_t zero = 0, gen;
	struct pkt p;

	(void)state;
	load(one, 1, NFP_FS_DEFAULT_PASS);
	assert_int_equal(bpf_map_lookup_elem(fx.ctl_fd, &zero, &ctl), 0);
	gen = ctl.version & 1;
	load(two, 1, NFP_FS_DEFAULT_PASS);
	assert_int_equal(bpf_map_lookup_elem(fx.ctl_fd, &zero, &ctl), 0);
	assert_int_not_equal(ctl.version & 1, gen);
	o.dport = 80;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, NULL), 0);
	o.dport = 81;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, NULL), 2);
	for (int i = 0; i < 4; i++) /* ends with two */
		load(i % 2 ? two : one, 1, NFP_FS_DEFAULT_PASS);
	o.dport = 80;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, NULL), 0);
	o.dport = 81;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, NULL), 2);
	/* those answers are cached now; a new flowspace must not get them */
	load(one, 1, NFP_FS_DEFAULT_PASS);
	assert_int_equal(slice_of(&p, NULL), 0); /* dport 81 */
	o.dport = 80;
	frame(&p, &o);
	assert_int_equal(slice_of(&p, NULL), 1);
}

/* What the userspace map says for the same frame, as a slice id. */
static int expected_slice(const struct fs_map *m, const struct pkt *p)
{
	struct of_match pt;
	const struct fs_rule *r;

	assert_true(fs_match_from_frame(p->buf, p->len, 1, &pt));
	r = fs_map_lookup(m, 1, &pt);
	if (!r)
		return 0;
	for (int a = 0; a < r->n_actions; a++)
		if (r->actions[a].perm & FS_PERM_WRITE)
			return r->actions[a].slice[0] - 'a' + 1;
	return r->actions[0].slice[0] - 'a' + 1;
}

static void test_xdp_agrees_with_the_flow_map(void **state)
{
	enum { SETS = 60, FRAMES = 40, MAX_RULES = 1000 };
	static const uint32_t templates[8] = {
		OF_F_IN_PORT | OF_F_ETH_SRC,
		OF_F_ETH_TYPE | OF_F_IPV4_SRC,
		OF_F_ETH_TYPE | OF_F_IPV4_DST | OF_F_IP_PROTO,
		OF_F_VLAN_VID | OF_F_VLAN_PCP,
		OF_F_IP_PROTO | OF_F_TP_DST,
		OF_F_IP_PROTO | OF_F_TP_SRC | OF_F_IP_DSCP,
		OF_F_ETH_DST | OF_F_VLAN_VID,
		OF_F_IN_PORT | OF_F_ETH_TYPE | OF_F_TP_DST,
	};
	static struct fs_rule rules[MAX_RULES];
	int hits = 0, total = 0;

	(void)state;
	fs_gen_seed(42);
	for (int set = 0; set < SETS; set++) {
		size_t n = set % 3 == 0 ? MAX_RULES : 1 + fs_gen_rand() % 40;
		struct fs_map *m;
		char err[256] = "";

		for (size_t i = 0; i < n; i++) {
			memset(&rules[i], 0, sizeof(rules[i]));
			rules[i].priority = 100 * (fs_gen_rand() % 5);
			rules[i].any_dpid = true;
			fs_gen_match(&rules[i].match, 3);
			/* the field sets of a real flowspace are few (XDP takes at
			 * most 64 masks): one of eight, prefixes /16 or /24 */
			rules[i].match.fields = templates[fs_gen_rand() % 8];
			rules[i].match.ipv4_src_mask = fs_gen_rand() % 2 ? 0xffff0000 : 0xffffff00;
			rules[i].match.ipv4_dst_mask = 0xffffff00;
			rules[i].match.ipv4_src &= rules[i].match.ipv4_src_mask;
			rules[i].match.ipv4_dst &= rules[i].match.ipv4_dst_mask;
			/* in_port is the interface: 1 in a test run */
			rules[i].match.in_port = 1;
			rules[i].n_actions = 1;
			rules[i].actions[0].slice[0] = (char)('a' + fs_gen_rand() % 8);
			rules[i].actions[0].perm = fs_gen_rand() % 2 ? FS_PERM_WRITE : FS_PERM_READ;
		}
		m = fs_map_new(FS_MAP_LINEAR, rules, n);
		conf.rules = rules;
		conf.n_rules = n;
		assert_int_equal(fs_xdp_load(&fx, &conf, m, NFP_FS_DEFAULT_PASS, err, sizeof(err)),
				 0);
		for (int f = 0; f < FRAMES; f++) {
			struct of_match pt;
			struct frame_opts o;
			struct pkt p;
			int want, got;

			fs_gen_point(&pt);
			o = (struct frame_opts){ .vid = pt.vlan_vid == OF_VLAN_NONE ? -1 : pt.vlan_vid,
						 .pcp = pt.vlan_pcp, .src_last = pt.eth_src[5],
						 .type = pt.eth_type, .ip_src = pt.ipv4_src,
						 .ip_dst = pt.ipv4_dst, .proto = pt.ip_proto,
						 .tos = (uint8_t)(pt.ip_dscp << 2), .sport = pt.tp_src,
						 .dport = pt.tp_dst, .arp_op = pt.ip_proto };
			frame(&p, &o);
			want = expected_slice(m, &p);
			got = slice_of(&p, NULL);
			if (got != want)
				fprintf(stderr, "set %d (%zu rules), frame %d: XDP %d, flow map %d\n",
					set, n, f, got, want);
			assert_int_equal(got, want);
			hits += want != 0;
			total++;
		}
		fs_map_free(m);
	}
	printf("# %d frames, %d in a rule\n", total, hits);
	assert_true(hits > total / 10 && hits < total - total / 10);
}

static int setup(void **state)
{
	(void)state;
	skel = xdp_load_unpinned(0, false, false);
	if (!skel)
		return -1;
	prog_fd = bpf_program__fd(skel->progs.nfp_xdp_ingress);
	fx = (struct fs_xdp){ .ctl_fd = bpf_map__fd(skel->maps.nfp_fs_ctl),
			      .groups_fd = bpf_map__fd(skel->maps.nfp_fs_groups),
			      .rules_fd = bpf_map__fd(skel->maps.nfp_fs_rules),
			      .stats_fd = bpf_map__fd(skel->maps.nfp_fs_stats) };
	slices();
	return slot_set_active(bpf_map__fd(skel->maps.nfp_if_conf), 0, true);
}

static int teardown(void **state)
{
	(void)state;
	nfp_xdp__destroy(skel);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_flowspace_is_off),
		cmocka_unit_test(test_every_field_and_priority),
		cmocka_unit_test(test_default_for_no_rule),
		cmocka_unit_test(test_reloads_switch_generations),
		cmocka_unit_test(test_xdp_agrees_with_the_flow_map),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
