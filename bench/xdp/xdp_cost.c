/* xdp_cost.c - what nfplane's XDP ingress program costs per packet, measured
 * with BPF_PROG_TEST_RUN against an XDP program that only returns XDP_PASS.
 *
 * For each packet kind, RUNS runs of REPEAT repetitions each; the kernel
 * times the repetitions (excluding any rescheduling) and reports the mean
 * ns per repetition; we print the median over the runs. Runs of the
 * different kinds are interleaved so that noise from other load spreads
 * evenly. The program runs as production loads it (nfp_record_parse off,
 * slot active); after timing, the slot's counters must show every
 * repetition, or the figures would be of a program that bailed out early.
 *
 * With -H helpers.bpf.o it also times the program's pieces one by one
 * (xdp.helper.*: map lookups, the clock, the table's array-of-maps lookup,
 * the frags length; see helpers.bpf.c), each against the empty program in
 * the same runs, so that a machine's cost can be traced to its pieces.
 *
 * Output: '#' setup lines, then `name value unit` lines.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nfplane/parse.h"
#include "nfp_xdp.skel.h"
#include "../../tests/lib/bpf_run.h"
#include "../../tests/lib/pkt.h"
#include "../../tests/lib/xdp_load.h"

#define MAX_RUNS 101

struct kind {
	const char *name;   /* figure name */
	const char *what;   /* setup line */
	void (*build)(struct pkt *p);
};

static void ipv4_udp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_IP);
	pkt_ipv4(p, 0x0a000001, 0x0a000002, NFP_IPPROTO_UDP);
	pkt_udp(p, 1111, 2222);
	pkt_zeros(p, 18);
}

static void ipv6_tcp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_IPV6);
	pkt_ipv6(p, "2001:db8::1", "2001:db8::2", NFP_IPPROTO_TCP);
	pkt_tcp(p, 3333, 80, PKT_ACK);
}

static void qinq_ipv4_tcp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_8021AD);
	pkt_vlan(p, 100, NFP_ETH_P_8021Q);
	pkt_vlan(p, 200, NFP_ETH_P_IP);
	pkt_ipv4(p, 0x0a000001, 0x0a000002, NFP_IPPROTO_TCP);
	pkt_tcp(p, 3333, 80, PKT_ACK);
}

/* The longest walk the parser does: NFP_MAX_IPV6_EXT extension headers. */
static void ipv6_ext6_tcp(struct pkt *p)
{
	pkt_eth(p, NFP_ETH_P_IPV6);
	pkt_ipv6(p, "2001:db8::1", "2001:db8::2", NFP_IPPROTO_HOPOPTS);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_ROUTING, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_DSTOPTS, 0);
	pkt_ipv6_opt(p, NFP_IPPROTO_TCP, 0);
	pkt_tcp(p, 3333, 80, PKT_ACK);
}

static const struct kind kinds[] = {
	{ "xdp.parse.ipv4", "ipv4/udp", ipv4_udp },
	{ "xdp.parse.ipv6", "ipv6/tcp", ipv6_tcp },
	{ "xdp.parse.qinq", "802.1ad+802.1Q ipv4/tcp", qinq_ipv4_tcp },
	{ "xdp.parse.ipv6ext6", "ipv6 + 6 extension headers/tcp", ipv6_ext6_tcp },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* r0 = XDP_PASS; exit */
static int load_bare_prog(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "nfp_bench_bare", "GPL", insns, 2, NULL);

	if (fd < 0)
		fprintf(stderr, "xdp_cost: load the empty XDP program: %s\n", strerror(errno));
	return fd;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static uint32_t median(uint32_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u32);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One timed run: the mean ns per repetition in *@ns; 1 (with a message)
 * if the run failed or did not pass the packet. */
static int timed(int fd, const struct pkt *p, uint32_t repeat, const char *name, uint32_t *ns)
{
	struct bpf_run_result r = bpf_run_xdp(fd, p->buf, p->len, repeat, NULL, 0);

	if (r.err || r.retval != XDP_PASS) {
		fprintf(stderr, "xdp_cost: %s: test run: %s, verdict %u\n", name,
			r.err ? strerror(-r.err) : "ok", r.retval);
		return 1;
	}
	*ns = r.duration;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: xdp_cost [-r RUNS (5..%d, default 7)] [-n REPEAT (default 1000000)]"
		" [-H helpers.bpf.o]\n", MAX_RUNS);
	return 2;
}

/* The pieces helpers.bpf.c times, HELPER_OPS of them per program. */
#define HELPER_OPS 8
static const struct helper {
	const char *prog, *name, *what;
} helpers[] = {
	{ "h_array", "array_lookup", "array map lookup (nfp_if_conf, nfp_ft_conf)" },
	{ "h_percpu", "percpu_lookup", "per-CPU array lookup (counters, the clock cache)" },
	{ "h_jiffies", "jiffies", "bpf_jiffies64()" },
	{ "h_coarse", "coarse_clock", "bpf_ktime_get_coarse_ns() (the flowtable's clock, once a jiffy)" },
	{ "h_ktime", "ktime", "bpf_ktime_get_ns()" },
	{ "h_prandom", "call", "bpf_get_prandom_u32(): a helper call and return that do little" },
	{ "h_aom_outer", "aom_outer", "array-of-maps lookup of the table" },
	{ "h_aom_set", "aom_set", "that, then the set's lookup in a BPF_F_INNER_MAP table "
				  "(a call through the map's ops), as the flowtable finds a set" },
	{ "h_aom_set_fixed", "aom_set_fixed", "the same with a fixed-size inner map (inlined)" },
	{ "h_buff_len", "frags_len", "bpf_xdp_get_buff_len() (the frags variant's frame length)" },
};
#define N_HELPERS (sizeof(helpers) / sizeof(helpers[0]))

/* xdp.helper.*: each piece against the object's empty program, runs
 * interleaved. 0, or 1 with a message. */
static int time_helpers(const char *path, const struct pkt *p, long runs, long repeat)
{
	static uint32_t cost[N_HELPERS][MAX_RUNS], base[MAX_RUNS];
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	int fds[N_HELPERS], bare_fd, status = 0;

	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "xdp_cost: cannot load %s: %s\n", path, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	bare_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "h_bare"));
	for (size_t h = 0; h < N_HELPERS; h++) {
		fds[h] = bpf_program__fd(bpf_object__find_program_by_name(obj, helpers[h].prog));
		printf("# xdp.helper.%s: %s, %d in a row per run, (program - empty program) / %d\n",
		       helpers[h].name, helpers[h].what, HELPER_OPS, HELPER_OPS);
	}
	fflush(stdout);
	for (long r = 0; r < runs && !status; r++) {
		status = timed(bare_fd, p, (uint32_t)repeat, "h_bare", &base[r]);
		for (size_t h = 0; h < N_HELPERS && !status; h++)
			status = timed(fds[h], p, (uint32_t)repeat, helpers[h].prog, &cost[h][r]);
	}
	if (!status) {
		int b = (int)median(base, (int)runs);

		for (size_t h = 0; h < N_HELPERS; h++)
			printf("xdp.helper.%s %.1f ns/op\n", helpers[h].name,
			       (double)((int)median(cost[h], (int)runs) - b) / HELPER_OPS);
	}
	bpf_object__close(obj);
	return status;
}

int main(int argc, char **argv)
{
	static struct pkt pkts[N_KINDS], bare_pkt;
	uint32_t bare[MAX_RUNS], cost[N_KINDS][MAX_RUNS];
	long runs = 7, repeat = 1000000;
	const char *helpers_path = NULL;
	struct nfp_if_stats st;
	struct nfp_xdp *skel;
	int opt, bare_fd, fd, status = 0;
	char *end;

	while ((opt = getopt(argc, argv, "r:n:H:")) != -1) {
		switch (opt) {
		case 'r':
			runs = strtol(optarg, &end, 10);
			if (*end || runs < 5 || runs > MAX_RUNS) {
				fprintf(stderr, "xdp_cost: -r '%s': want 5..%d runs\n", optarg, MAX_RUNS);
				return 2;
			}
			break;
		case 'n':
			repeat = strtol(optarg, &end, 10);
			if (*end || repeat < 1 || repeat > 100000000) {
				fprintf(stderr, "xdp_cost: -n '%s': want 1..100000000 repetitions\n", optarg);
				return 2;
			}
			break;
		case 'H':
			helpers_path = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();

	skel = xdp_load_unpinned(0, false, false);
	if (!skel)
		return 1;
	fd = bpf_program__fd(skel->progs.nfp_xdp_ingress);
	bare_fd = load_bare_prog();
	if (bare_fd < 0 || slot_set_active(bpf_map__fd(skel->maps.nfp_if_conf), 0, true) ||
	    stats_clear(bpf_map__fd(skel->maps.nfp_if_stats), 0)) {
		nfp_xdp__destroy(skel);
		return 1;
	}

	pkt_init(&bare_pkt);
	ipv4_udp(&bare_pkt);
	pkt_finish(&bare_pkt);
	printf("# xdp_cost: %ld runs x %ld repetitions per figure, median of the runs;"
	       " kernel-timed mean ns per repetition (BPF_PROG_TEST_RUN duration)\n", runs, repeat);
	printf("# xdp.bare: XDP program 'return XDP_PASS' on the %zu-byte ipv4/udp frame\n",
	       bare_pkt.len);
	for (size_t k = 0; k < N_KINDS; k++) {
		pkt_init(&pkts[k]);
		kinds[k].build(&pkts[k]);
		pkt_finish(&pkts[k]);
		printf("# %s: nfp_xdp_ingress (parse, count, trace tap check; no metadata "
		       "record: nothing asked of TC) on a %zu-byte %s frame\n",
		       kinds[k].name, pkts[k].len, kinds[k].what);
	}
	fflush(stdout);

	for (long r = 0; r < runs && !status; r++) {
		status = timed(bare_fd, &bare_pkt, (uint32_t)repeat, "xdp.bare", &bare[r]);
		for (size_t k = 0; k < N_KINDS && !status; k++)
			status = timed(fd, &pkts[k], (uint32_t)repeat, kinds[k].name, &cost[k][r]);
	}

	/* Every repetition must have gone through the whole program. */
	if (!status && !stats_read(bpf_map__fd(skel->maps.nfp_if_stats), 0, &st) &&
	    st.rx_packets != (uint64_t)runs * (uint64_t)repeat * N_KINDS) {
		fprintf(stderr, "xdp_cost: the program counted %llu packets, not %llu: it did not"
			" process every repetition\n", (unsigned long long)st.rx_packets,
			(unsigned long long)runs * (unsigned long long)repeat * N_KINDS);
		status = 1;
	}
	if (!status) {
		uint32_t b = median(bare, (int)runs);

		printf("xdp.bare %u ns/run\n", b);
		for (size_t k = 0; k < N_KINDS; k++) {
			uint32_t c = median(cost[k], (int)runs);

			printf("%s %u ns/pkt\n", kinds[k].name, c);
			printf("%s.over_bare %d ns/pkt\n", kinds[k].name, (int)c - (int)b);
		}
	}
	if (!status && helpers_path)
		status = time_helpers(helpers_path, &bare_pkt, runs, repeat);
	close(bare_fd);
	nfp_xdp__destroy(skel);
	return status;
}
