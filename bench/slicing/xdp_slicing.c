/* xdp_slicing.c - what classifying a packet to its slice costs in XDP
 * (bench/slicing/run.sh): nfp_xdp_ingress through BPF_PROG_TEST_RUN with no
 * flowspace (slicing off: the pipeline without slicing), then with N rules
 * from rules.c compiled by user/slicing/xdp.c, all of them for this host
 * (dpid any). Four packets, each timed in turn: a host's (its dl_src
 * rule), a site's (its /24), an ARP request (the ARP rule), and one only
 * match-all takes. Prints, for each N:
 *   slicing.xdp.pipeline V ns/pkt   the program without flowspace
 *   slicing.xdp.N V ns/pkt          with N rules, over the pipeline
 *                                   (the mean of the four packets)
 * Medians of RUNS runs of REPEAT repetitions; the flowtable is off.
 *
 * Usage: xdp_slicing [-r RUNS] [-n REPEAT] N...
 */
#include "nfp_xdp.skel.h"
#include "rules.h"
#include "../../tests/lib/fs_gen.h"
#include "slicing/xdp.h"
#include "../../tests/lib/bpf_run.h"
#include "../../tests/lib/pkt.h"
#include "../../tests/lib/xdp_load.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KINDS 4
#define MAX_RUNS 99

static void build(struct pkt *p, int kind, size_t n)
{
	uint8_t src[6], dst[6];
	/* rules.c: rule i % 4 == 0 is host i's, i % 4 == 2 is site i's */
	uint32_t host = 4 * (uint32_t)(n / 8), site = 4 * (uint32_t)(n / 8) + 2;

	fsb_host_mac(kind == 0 ? host : 0xfffffe, src);
	fsb_host_mac(0xfffffd, dst);
	pkt_init(p);
	if (kind == 2) {
		uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };

		pkt_eth_addr(p, src, dst, 0x0806);
		pkt_bytes(p, arp, sizeof(arp));
		pkt_zeros(p, 18);
	} else {
		pkt_eth_addr(p, src, dst, 0x0800);
		pkt_ipv4(p, kind == 1 ? 0x0a000000 | site << 8 | 7 : 0xc0a80001, 0xc0a80002, 17);
		pkt_udp(p, 1111, 2222);
		pkt_zeros(p, 18);
	}
	pkt_finish(p);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t median(uint32_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u32);
	return v[n / 2];
}

/* Mean ns per packet over the four kinds, one run. */
static uint32_t time_kinds(int fd, struct pkt *pk, uint32_t repeat)
{
	uint64_t sum = 0;

	for (int k = 0; k < KINDS; k++) {
		struct bpf_run_result res = bpf_run_xdp(fd, pk[k].buf, pk[k].len, repeat, NULL, 0);

		if (res.err) {
			fprintf(stderr, "xdp_slicing: test run: %s\n", strerror(-res.err));
			exit(1);
		}
		sum += res.duration;
	}
	return (uint32_t)(sum / KINDS);
}

static struct nfp_xdp *instance(bool nocache, struct fs_xdp *fx)
{
	struct nfp_xdp *skel = xdp_open_unpinned();

	if (!skel)
		exit(1);
	skel->rodata->nfp_fs_bench_nocache = nocache;
	if (nfp_xdp__load(skel) || slot_set_active(bpf_map__fd(skel->maps.nfp_if_conf), 0, true))
		exit(1);
	*fx = (struct fs_xdp){ .ctl_fd = bpf_map__fd(skel->maps.nfp_fs_ctl),
			       .groups_fd = bpf_map__fd(skel->maps.nfp_fs_groups),
			       .rules_fd = bpf_map__fd(skel->maps.nfp_fs_rules),
			       .stats_fd = bpf_map__fd(skel->maps.nfp_fs_stats) };
	return skel;
}

int main(int argc, char **argv)
{
	static struct fs_slice_conf slices[8];
	static struct pkt pk[KINDS];
	struct nfp_xdp *base_skel, *skel, *nocache_skel;
	struct fs_xdp base_fx, fx, nocache_fx;
	int runs = 7, opt, base_fd, fd, nocache_fd;
	uint32_t repeat = 1000000, base[MAX_RUNS];

	while ((opt = getopt(argc, argv, "r:n:")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'n')
			repeat = (uint32_t)atol(optarg);
		else
			return 2;
	}
	if (runs < 5 || runs > MAX_RUNS || !repeat) {
		fprintf(stderr, "xdp_slicing: -r must be 5-%d (medians), -n positive\n", MAX_RUNS);
		return 2;
	}
	base_skel = instance(false, &base_fx);
	skel = instance(false, &fx);
	nocache_skel = instance(true, &nocache_fx);
	base_fd = bpf_program__fd(base_skel->progs.nfp_xdp_ingress);
	fd = bpf_program__fd(skel->progs.nfp_xdp_ingress);
	nocache_fd = bpf_program__fd(nocache_skel->progs.nfp_xdp_ingress);
	for (int i = 0; i < 8; i++)
		snprintf(slices[i].name, sizeof(slices[i].name), "s%d", i);
	printf("# xdp_slicing: %d runs x %u repetitions, median of the runs; mean of 4 packets "
	       "(a host's, a site's, ARP, match-all only); rules.c's flowspace (5 masks), all "
	       "for this host; flowtable off\n",
	       runs, repeat);
	for (int a = optind; a < argc; a++) {
		size_t n = (size_t)atol(argv[a]);
		struct fs_rule *rules = calloc(n, sizeof(*rules));
		struct fs_config conf = { .slices = slices, .n_slices = 8 };
		uint32_t with[MAX_RUNS], search[MAX_RUNS]; /* over the base; never below 0 */
		struct fs_map *m;
		char err[256];

		if (!rules || n < 8)
			return 1;
		fs_gen_seed(1);
		fsb_make_rules(rules, n);
		for (size_t i = 0; i < n; i++)
			rules[i].any_dpid = true;
		conf.rules = rules;
		conf.n_rules = n;
		m = fs_map_new(FS_MAP_LINEAR, rules, n);
		if (!m || fs_xdp_load(&fx, &conf, m, NFP_FS_DEFAULT_PASS, err, sizeof(err)) ||
		    fs_xdp_load(&nocache_fx, &conf, m, NFP_FS_DEFAULT_PASS, err, sizeof(err))) {
			fprintf(stderr, "xdp_slicing: %s\n", m ? err : "no memory");
			return 1;
		}
		for (int k = 0; k < KINDS; k++)
			build(&pk[k], k, n);
		for (int r = 0; r < runs; r++) {
			uint32_t b = time_kinds(base_fd, pk, repeat);

			uint32_t w = time_kinds(fd, pk, repeat), sr = time_kinds(nocache_fd, pk, repeat);

			base[r] = b;
			with[r] = w > b ? w - b : 0;
			search[r] = sr > b ? sr - b : 0;
		}
		if (a == optind)
			printf("slicing.xdp.pipeline %u ns/pkt\n", median(base, runs));
		printf("slicing.xdp.%zu %d ns/pkt\n", n, (int)median(with, runs));
		printf("slicing.xdp.%zu.search %d ns/pkt\n", n, (int)median(search, runs));
		fflush(stdout);
		fs_map_free(m);
		free(rules);
	}
	nfp_xdp__destroy(nocache_skel);
	nfp_xdp__destroy(skel);
	nfp_xdp__destroy(base_skel);
	return 0;
}
