/* fs_bench.c - the flow maps' lookup rate in userspace (bench/slicing/run.sh):
 * slicing.lookup.linear.N and slicing.lookup.federated.N, packets classified
 * per second against N rules, and slicing.intersect.KIND.N, flow-mod
 * matches intersected per second.
 *
 * The rules are rules.c's (what a FlowVisor deployment holds). The packets
 * are drawn from the same hosts and sites, so most fall
 * in a specific rule and the rest in a wide one. The flow-mod matches are
 * the same packets' exact matches, what a reactive controller installs
 * (every rule they fall in is an intersection: the match-all one too).
 *
 * Usage: fs_bench [-r RUNS] [-m MS] [N...]. Each figure is the median of
 * RUNS runs of at least MS milliseconds.
 */
#include "slicing/flowspace.h"
#include "rules.h"
#include "../../tests/lib/fs_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POINTS 4096

static void make_points(struct of_match *p, uint64_t *dpid, size_t n_rules)
{
	for (size_t i = 0; i < POINTS; i++) {
		uint32_t host = fs_gen_rand() % (uint32_t)n_rules;

		memset(&p[i], 0, sizeof(p[i]));
		p[i].fields = FS_MATCH_FIELDS;
		p[i].in_port = 1 + fs_gen_rand() % 48;
		fsb_host_mac(host, p[i].eth_src);
		fsb_host_mac(fs_gen_rand() % (uint32_t)n_rules, p[i].eth_dst);
		memset(p[i].eth_src_mask, 0xff, 6);
		memset(p[i].eth_dst_mask, 0xff, 6);
		p[i].eth_type = fs_gen_rand() % 8 ? 0x0800 : 0x0806;
		p[i].vlan_vid = OF_VLAN_NONE;
		p[i].ip_proto = 6;
		p[i].ipv4_src = 0x0a000000 | host << 8 | (fs_gen_rand() & 0xff);
		p[i].ipv4_dst = 0x0a000000 | (fs_gen_rand() % (uint32_t)n_rules) << 8 | 1;
		p[i].ipv4_src_mask = p[i].ipv4_dst_mask = 0xffffffffu;
		p[i].tp_src = (uint16_t)(1024 + fs_gen_rand() % 60000);
		p[i].tp_dst = 80;
		dpid[i] = 1 + fs_gen_rand() % 16;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static volatile size_t sink;

/* Operations per second over one run of at least @ms. */
static double run(const struct fs_map *m, const struct of_match *p, const uint64_t *dpid,
		  bool intersect, int ms)
{
	struct fs_hit hits[16];
	size_t ops = 0, found = 0;
	double t0 = now_s(), t;

	do {
		for (size_t i = 0; i < POINTS; i++) {
			if (intersect) {
				found += fs_map_intersect(m, dpid[i], &p[i], hits, 16);
			} else {
				found += fs_map_lookup(m, dpid[i], &p[i]) != NULL;
			}
		}
		ops += POINTS;
		t = now_s();
	} while (t - t0 < ms / 1000.0);
	sink = found;
	return (double)ops / (t - t0);
}

int main(int argc, char **argv)
{
	int runs = 7, ms = 300, opt;
	static struct of_match points[POINTS];
	static uint64_t dpids[POINTS];

	while ((opt = getopt(argc, argv, "r:m:")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'm')
			ms = atoi(optarg);
		else
			return 2;
	}
	if (runs < 5 || runs > 99 || ms < 1) {
		fprintf(stderr, "fs_bench: -r must be 5-99 (medians), -m at least 1\n");
		return 2;
	}
	printf("# fs_bench: medians of %d runs of >= %d ms; %d packets (per-host dl_src rules, "
	       "/24 site rules, per-port rules, a dl_type rule and match-all; 16 dpids)\n",
	       runs, ms, POINTS);
	for (int a = optind; a < argc; a++) {
		size_t n = (size_t)atol(argv[a]);
		struct fs_rule *rules = calloc(n, sizeof(*rules));
		double lin[99], fed[99], ilin[99], ifed[99];
		struct fs_map *ml, *mf;

		if (!rules || n < 3)
			return 1;
		fs_gen_seed(1);
		fsb_make_rules(rules, n);
		make_points(points, dpids, n);
		ml = fs_map_new(FS_MAP_LINEAR, rules, n);
		mf = fs_map_new(FS_MAP_FEDERATED, rules, n);
		if (!ml || !mf)
			return 1;
		for (int r = 0; r < runs; r++) {
			lin[r] = run(ml, points, dpids, false, ms);
			fed[r] = run(mf, points, dpids, false, ms);
			ilin[r] = run(ml, points, dpids, true, ms);
			ifed[r] = run(mf, points, dpids, true, ms);
		}
		qsort(lin, (size_t)runs, sizeof(double), cmp_double);
		qsort(fed, (size_t)runs, sizeof(double), cmp_double);
		qsort(ilin, (size_t)runs, sizeof(double), cmp_double);
		qsort(ifed, (size_t)runs, sizeof(double), cmp_double);
		printf("slicing.lookup.linear.%zu %.0f lookups/s\n", n, lin[runs / 2]);
		printf("slicing.lookup.federated.%zu %.0f lookups/s\n", n, fed[runs / 2]);
		printf("slicing.intersect.linear.%zu %.0f matches/s\n", n, ilin[runs / 2]);
		printf("slicing.intersect.federated.%zu %.0f matches/s\n", n, ifed[runs / 2]);
		fflush(stdout);
		fs_map_free(ml);
		fs_map_free(mf);
		free(rules);
	}
	return 0;
}
