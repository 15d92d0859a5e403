/* ft_bench.c - the flowtable's cost, through BPF_PROG_TEST_RUN.
 *
 *   flowtable.bare           ns/run  an XDP program that returns XDP_PASS
 *   flowtable.lookup.1m      ns/pkt  one LRU lookup in a 1M-key table of the
 *                                    flow key's size, keys visited in turn,
 *                                    minus bare
 *   flowtable.lookup.1m.serial      the same with every run's key read from the
 *                                    last run's value: one lookup's latency (the
 *                                    plain figure overlaps consecutive runs' misses)
 *   flowtable.miss.16m       ns/pkt  one dependent read of a random 64-byte line
 *                                    in 16 MiB (an LRU hash's buckets at 1M keys)
 *   flowtable.miss.table     ns/pkt  the same in a region the size of hit.1m's table
 *   flowtable.alt_pool.in_order / .random
 *                            ns/pkt  the misses of the design not taken: a random
 *                                    index line, then its entry in a pool, entries
 *                                    visited in creation order / at random
 *   flowtable.hit.8k         ns/pkt  nfplane's whole XDP program (parse,
 *                                    counters, flowtable) on 8k established TCP
 *                                    flows visited in turn (table for 2 x 8k), minus bare
 *   flowtable.pipeline_without_ft   the same program with the stage off
 *   flowtable.lookup.8k      ns/pkt  the bare LRU lookup on 8k keys in turn (an
 *                                    LRU map of 2 x 8k), same run as hit.8k
 *   flowtable.hit.8k.over_lookup ratio  hit.8k / lookup.8k (target <= 1.5)
 *   flowtable.hit.1m.table1x ns/pkt  1M flows in a table made for 1M (as
 *                                    hit.1m; ~5% of packets miss, see measure_hit)
 *   flowtable.hit.1m.table2x ns/pkt  the same in a table made for 2 x the flows
 *                                    (the setup hit.1m had before), same run:
 *                                    what more headroom would buy
 *   flowtable.hit.1m.v6      ns/pkt  1M IPv6 flows, table made for 1M
 *   flowtable.hit.1m, flowtable.lookup.1m.random, flowtable.hit.1m.over_random,
 *   flowtable.hit.1m.over_lookup    (bench_ratio) medians of ROUNDS rounds, each
 *                                    a fresh LRU map and a fresh table: hit.1m on
 *                                    a table made for the 1M flows it holds (what
 *                                    `--max-flows 1048576` makes), the bare LRU
 *                                    lookup of the same number of keys visited in
 *                                    a scrambled order, and in insertion order;
 *                                    over_random is the target (<= 1.10)
 *   flowtable.create         flows/s every packet a new flow into a full table
 *                                    (so every packet recycles one, flow-end
 *                                    record included): 1e9 / the whole ns/pkt,
 *                                    framework included
 *   flowtable.bytes_per_flow bytes   kernel memory of an IPv4 table for 16M
 *                                    flows (its memlock), after 16M flows,
 *                                    per flow it holds (held.sh measures the
 *                                    machine's memory with nfpd holding them)
 *
 * The flow changes on every run: the program is loaded with
 * nfp_ft_bench_mask, which replaces the lower IPv4 address (IPv6: last
 * address word) by a per-CPU sequence & mask, so N flows are visited in
 * turn; the process is pinned (run.sh) so one CPU's sequence covers them
 * all. Each figure is the median of RUNS runs of REPEAT repetitions.
 *
 * Flow-end records: every flow XDP ends (recycled, expired) is written to
 * nfp_ft_ends, a ring that nfpd drains (1 MiB, ~8.7k records, every 500
 * ms). Here the ring is sized to hold a whole run's records (at least
 * nfpd's 1 MiB) and drained as nfpd drains it (ring_buffer__consume)
 * after every test run (time_ft), so a figure always includes the
 * record's reservation and writes, never the cheaper "ends_lost" return
 * taken when the ring is full. (Cutting runs into test runs short enough
 * for the production ring does not work: in this VM a test run of a
 * program that touches megabytes of maps starts cold, ~1 ms of it, which
 * took hit.8k from 56 to 211 ns/pkt in test runs of 7812.) After every timed
 * scenario the counters are checked: the program must have taken the path
 * the figure is named for (all hits or creations as expected, no failures,
 * no lost records, every record drained), or ft_bench exits non-zero.
 *
 * `-s fill -P PIN_DIR -S SLOT -N FLOWS`: no figure; load the program onto
 * the pinned maps of a running nfpd (its tables, counters, ring) as the
 * interface in SLOT and create FLOWS flows in nfpd's table (held.sh).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nfplane/flowtable.h"
#include "nfplane/iface.h"
#include "nfp_xdp.skel.h"
#include "../../tests/lib/bpf_run.h"
#include "../../tests/lib/ft_env.h"
#include "../../tests/lib/pkt.h"
#include "flowtable/table.h"

#define MAX_RUNS 51
/* the smallest test run time_ft cuts a run into before giving up */
#define MIN_CHUNK 256

static long runs = 7, repeat = 2000000;
static const char *ref_path;

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_d(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void tcp4(struct pkt *p)
{
	pkt_init(p);
	pkt_eth(p, 0x0800);
	pkt_ipv4(p, 0x0a000001, 0x0a000002, 6);
	pkt_tcp(p, 40000, 80, 0x10);
	pkt_zeros(p, 6);
	pkt_finish(p);
}

static void tcp6(struct pkt *p)
{
	pkt_init(p);
	pkt_eth(p, 0x86dd);
	pkt_ipv6(p, "2001:db8::1", "2001:db8::2", 6);
	pkt_tcp(p, 40000, 80, 0x10);
	pkt_finish(p);
}

/* Median ns per repetition of @fd on @p over the runs; 0 on error. For
 * the reference programs, which write no records. */
static uint32_t time_prog(int fd, const struct pkt *p, long rep)
{
	uint32_t d[MAX_RUNS];

	for (int r = 0; r < runs; r++) {
		struct bpf_run_result res = bpf_run_xdp(fd, p->buf, p->len, (uint32_t)rep, NULL, 0);

		if (res.err) {
			fprintf(stderr, "ft_bench: test run failed: %s\n", strerror(-res.err));
			return 0;
		}
		d[r] = res.duration;
	}
	return median(d, (int)runs);
}

/* ---- the XDP program with its flowtable, and its flow-end ring ---- */

struct ft {
	struct ft_env e;
	struct ring_buffer *rb;
	uint64_t records;              /* flow-end records drained */
	uint64_t by_reason[8];         /* ... by enum nfp_ft_end_reason */
	uint32_t ring_bytes;           /* nfp_ft_ends's size */
};

static int count_end(void *ctx, void *data, size_t len)
{
	struct ft *f = ctx;
	const struct nfp_ft_end *e = data;

	f->records++;
	if (len >= sizeof(*e) && e->reason < 8)
		f->by_reason[e->reason]++;
	return 0;
}

/* The bytes a flow-end record takes in the ring: the record and the
 * ring's 8-byte header, rounded to 8. */
#define RING_RECORD_BYTES ((sizeof(struct nfp_ft_end) + 8 + 7) / 8 * 8)

/* ft_env_open (tests/lib/ft_env.c) with nfp_ft_ends sized to hold
 * @ring_records records (at least nfpd's 1 MiB): the program with slot 0
 * active, its flowtable enabled, tables for @cap4/@cap6 flows in place. */
static int env_open(struct ft_env *e, uint32_t cap4, uint32_t cap6, uint32_t mask,
		    uint64_t ring_records)
{
	uint64_t ring = 1u << 20;

	while (ring < ring_records * RING_RECORD_BYTES && ring < (1ull << 30))
		ring <<= 1;
	return ft_env_open_ring(e, cap4, cap6, mask, (uint32_t)ring);
}

/* The program and tables for @cap4/@cap6 flows, with a ring for the
 * records of up to @ring_records flows ended between two drains. */
static int ft_open(struct ft *f, uint32_t cap4, uint32_t cap6, uint32_t mask,
		   uint64_t ring_records)
{
	int r;

	memset(f, 0, sizeof(*f));
	r = env_open(&f->e, cap4, cap6, mask, ring_records);
	if (r) {
		fprintf(stderr, "ft_bench: cannot load the flowtable: %s\n", strerror(-r));
		return 1;
	}
	f->ring_bytes = bpf_map__max_entries(f->e.skel->maps.nfp_ft_ends);
	f->rb = ring_buffer__new(bpf_map__fd(f->e.skel->maps.nfp_ft_ends), count_end, f, NULL);
	if (!f->rb) {
		fprintf(stderr, "ft_bench: cannot read nfp_ft_ends: %s\n", strerror(errno));
		ft_env_close(&f->e);
		return 1;
	}
	return 0;
}

static void ft_close(struct ft *f)
{
	ring_buffer__free(f->rb);
	ft_env_close(&f->e);
}

/* Empty the ring and forget what was in it (records of untimed warm-ups). */
static void ft_drain_reset(struct ft *f)
{
	ring_buffer__consume(f->rb);
	f->records = 0;
	memset(f->by_reason, 0, sizeof(f->by_reason));
}

static void stats_sub(struct nfp_ft_stats *d, const struct nfp_ft_stats *a,
		      const struct nfp_ft_stats *b)
{
	for (size_t i = 0; i < sizeof(*d) / 8; i++)
		((__u64 *)d)[i] = ((const __u64 *)a)[i] - ((const __u64 *)b)[i];
}

/* What a timed scenario ran. */
struct ft_timing {
	uint32_t ns;            /* median ns per repetition, bare included */
	uint64_t packets;       /* repetitions of the runs that count */
	struct nfp_ft_stats d;  /* the counters over them */
	uint64_t records;       /* flow-end records drained from them */
	uint64_t by_reason[8];  /* ... by enum nfp_ft_end_reason */
	uint32_t chunk;         /* repetitions per test run at the end */
	uint32_t ring_bytes;    /* nfp_ft_ends's size */
	int retries;            /* runs redone with shorter test runs */
};

/* Time the program @rep repetitions per run, RUNS runs, one test run each,
 * the ring drained after each (untimed; nfpd drains it from another CPU).
 * Should a run lose a record all the same (the ring was full), it does not
 * count: it is redone cut into test runs half as long, and so on (said in
 * the counters line: such figures carry the cold starts of short test
 * runs, see above). No figure includes a lost record. */
static int time_ft(struct ft *f, const struct pkt *p, long rep, struct ft_timing *t)
{
	uint32_t d[MAX_RUNS], chunk = (uint32_t)rep;
	struct nfp_ft_stats s0, a, b, dr;

	memset(t, 0, sizeof(*t));
	ft_drain_reset(f);
	if (ft_env_stats(&f->e, &a))
		return 1;
	for (int r = 0; r < runs;) {
		uint64_t records0 = f->records, reason0[8];
		double ns = 0;
		long left = rep;
		bool lost = false;

		memcpy(reason0, f->by_reason, sizeof(reason0));
		s0 = a;
		while (left > 0) {
			uint32_t n = left < (long)chunk ? (uint32_t)left : chunk;
			struct bpf_run_result res = bpf_run_xdp(f->e.prog_fd, p->buf, p->len, n,
								NULL, 0);

			if (res.err) {
				fprintf(stderr, "ft_bench: test run failed: %s\n", strerror(-res.err));
				return 1;
			}
			ring_buffer__consume(f->rb);
			if (ft_env_stats(&f->e, &b))
				return 1;
			lost = b.ends_lost != a.ends_lost;
			a = b;
			if (lost)
				break;
			ns += (double)res.duration * n;
			left -= n;
		}
		if (lost) {
			/* this run does not count: neither its time nor its counters */
			if (chunk / 2 < MIN_CHUNK) {
				fprintf(stderr, "ft_bench: flow-end records lost even in test runs of "
						"%u repetitions\n", chunk);
				return 1;
			}
			chunk /= 2;
			t->retries++;
			continue;
		}
		stats_sub(&dr, &a, &s0);
		for (size_t i = 0; i < sizeof(dr) / 8; i++)
			((__u64 *)&t->d)[i] += ((__u64 *)&dr)[i];
		t->records += f->records - records0;
		for (int k = 0; k < 8; k++)
			t->by_reason[k] += f->by_reason[k] - reason0[k];
		t->packets += (uint64_t)rep;
		d[r++] = (uint32_t)(ns / (double)rep + 0.5);
	}
	t->ns = median(d, (int)runs);
	t->chunk = chunk;
	t->ring_bytes = f->ring_bytes;
	return 0;
}

static void print_counters(const char *name, const struct ft_timing *t)
{
	printf("# %s while timed: %llu packets: %llu hits, %llu misses, %llu created, "
	       "%llu recycled, %llu expired, %llu failures, %llu unhandled, %llu ends_lost; "
	       "%llu flow-end records drained from a %u MiB ring (test runs of %u repetitions; "
	       "%d runs redone shorter after losing records, not counted)\n", name,
	       (unsigned long long)t->packets, (unsigned long long)t->d.hits,
	       (unsigned long long)t->d.misses, (unsigned long long)t->d.created,
	       (unsigned long long)t->d.recycled, (unsigned long long)t->d.expired,
	       (unsigned long long)t->d.failures, (unsigned long long)t->d.unhandled,
	       (unsigned long long)t->d.ends_lost, (unsigned long long)t->records,
	       t->ring_bytes >> 20, t->chunk, t->retries);
}

/* The paths every timed flowtable scenario must have taken: each packet a
 * hit or a miss that created its flow, nothing failed or went unhandled,
 * every flow that ended was reported and its record drained. */
static int check_paths(const char *name, const struct ft_timing *t)
{
	const struct nfp_ft_stats *d = &t->d;
	const char *why = NULL;

	if (d->failures || d->unhandled)
		why = "failures or unhandled packets";
	else if (d->ends_lost)
		why = "flow-end records lost";
	else if (d->hits + d->misses != t->packets)
		why = "packets that were neither a hit nor a miss";
	else if (d->created != d->misses)
		why = "misses that did not create their flow";
	else if (t->records != d->recycled + d->expired)
		why = "ended flows without a drained record";
	if (why) {
		fprintf(stderr, "ft_bench: %s took another path: %s (see the counters above)\n",
			name, why);
		return 1;
	}
	return 0;
}

/* run.sh's FT_PERF: perf record runs us with its counters off and a
 * control fifo (FT_PERF_CTL, acknowledged on FT_PERF_ACK); the profile
 * covers what is between perf_ctl("enable") and perf_ctl("disable"). */
static void perf_ctl(const char *cmd)
{
	const char *ctl = getenv("FT_PERF_CTL"), *ack = getenv("FT_PERF_ACK");
	char buf[16];
	int fd;

	if (!ctl || (fd = open(ctl, O_WRONLY)) < 0)
		return;
	if (write(fd, cmd, strlen(cmd)) < 0)
		fprintf(stderr, "ft_bench: perf control: %s\n", strerror(errno));
	close(fd);
	if (ack && (fd = open(ack, O_RDONLY)) >= 0) {
		if (read(fd, buf, sizeof(buf)) < 0)
			fprintf(stderr, "ft_bench: perf ack: %s\n", strerror(errno));
		close(fd);
	}
}

/* The next measure_hit's timed runs are the ones perf profiles. */
static bool profile_next;

/* ---- the reference programs ---- */

/* Sizes of the reference maps (0: as compiled). */
struct ref_sizes {
	uint32_t lru;            /* ft_ref */
	uint32_t lines;          /* ft_lines */
	uint32_t index_lines;    /* ft_pool_index */
	uint32_t entries;        /* ft_pool_entries */
};

static void set_max_entries(struct bpf_object *obj, const char *name, uint32_t n)
{
	if (n)
		bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, name), n);
}

/* The reference programs with their rodata (ft_mask, ft_scramble) and the
 * maps sized as @rs asks (NULL: as compiled). */
static struct bpf_object *ref_open(uint32_t mask, uint32_t scramble, const struct ref_sizes *rs)
{
	struct bpf_object *obj = bpf_object__open_file(ref_path, NULL);
	const uint32_t ro[2] = { mask, scramble };
	struct bpf_map *m;

	if (!obj) {
		fprintf(stderr, "ft_bench: cannot open %s\n", ref_path);
		return NULL;
	}
	bpf_object__for_each_map(m, obj)
		if (strstr(bpf_map__name(m), ".rodata"))
			bpf_map__set_initial_value(m, ro, sizeof(ro));
	if (rs) {
		set_max_entries(obj, "ft_ref", rs->lru);
		set_max_entries(obj, "ft_lines", rs->lines);
		set_max_entries(obj, "ft_pool_index", rs->index_lines);
		set_max_entries(obj, "ft_pool_entries", rs->entries);
	}
	if (bpf_object__load(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int prog_fd(struct bpf_object *o, const char *name)
{
	return bpf_program__fd(bpf_object__find_program_by_name(o, name));
}

static uint32_t bench_bare(const struct pkt *p)
{
	struct bpf_object *o = ref_open(0, 0, NULL);
	uint32_t ns;

	if (!o)
		return 0;
	ns = time_prog(prog_fd(o, "ft_bare"), p, repeat);
	bpf_object__close(o);
	return ns;
}

/* What the LRU reference costs (ns per run, bare included). */
struct lookup_ns {
	uint32_t plain;         /* keys in turn (or scrambled) */
	uint32_t serial;        /* keys in turn, each from the last value; 0 if not asked */
	double miss_pct;        /* lookups that found nothing (should be 0) */
};

/* Time ft_lookup (and, with @serial, ft_lookup_serial) on a fresh LRU map
 * of @entries holding @n keys (a power of two), visited in turn or, with
 * @scramble, in a scrambled order. */
static int measure_lookup(const struct pkt *p, uint32_t n, uint32_t entries, bool scramble,
			  bool serial, struct lookup_ns *out)
{
	const struct ref_sizes rs = { .lru = entries };
	struct bpf_object *o = ref_open(n - 1, scramble, &rs);
	uint64_t miss[256] = { 0 }, total_miss = 0;
	uint32_t one = 1;
	int map;

	if (!o)
		return 1;
	map = bpf_map__fd(bpf_object__find_map_by_name(o, "ft_ref"));
	for (uint32_t i = 0; i < n; i++) {
		struct nfp_ft_key4 k = { .lo_addr = i, .proto = 6 };
		/* the key after it, for ft_lookup_serial */
		struct nfp_ft_flow f = { .flow_id = (i + 1) & (n - 1) };

		bpf_map_update_elem(map, &k, &f, BPF_ANY);
	}
	out->plain = time_prog(prog_fd(o, "ft_lookup"), p, repeat);
	bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(o, "ft_seq")), &one, miss);
	for (int c = 0; c < libbpf_num_possible_cpus() && c < 256; c++)
		total_miss += miss[c];
	out->miss_pct = 100.0 * (double)total_miss / ((double)runs * (double)repeat);
	/* the same lookups, each waiting for the last: what one costs when the
	 * CPU cannot overlap it with the next run's, as in a whole program */
	out->serial = serial ? time_prog(prog_fd(o, "ft_lookup_serial"), p, repeat) : 0;
	bpf_object__close(o);
	return out->plain && (!serial || out->serial) ? 0 : 1;
}

static int bench_lookup_1m(const struct pkt *p, uint32_t bare)
{
	struct lookup_ns in_turn;

	if (measure_lookup(p, 1u << 20, 1u << 20, false, true, &in_turn))
		return 1;
	printf("# lookup.1m: LRU hash of %u keys (%zu-byte key, %zu-byte value), keys in the "
	       "order they were inserted, %.2f%% misses\n", 1u << 20, sizeof(struct nfp_ft_key4),
	       sizeof(struct nfp_ft_flow), in_turn.miss_pct);
	printf("flowtable.lookup.1m %d ns/pkt\n", (int)in_turn.plain - (int)bare);
	printf("# lookup.1m.serial: the same keys in the same order, each run's key read from "
	       "the last run's value\n");
	printf("flowtable.lookup.1m.serial %d ns/pkt\n", (int)in_turn.serial - (int)bare);
	return 0;
}

static uint32_t rand32(void)
{
	return (uint32_t)(((uint64_t)rand() << 31) ^ (uint64_t)rand());
}

/* 0..n-1 in a random order (Fisher-Yates; the caller seeds rand). */
static uint32_t *shuffled(uint32_t n)
{
	uint32_t *v = malloc((size_t)n * sizeof(*v));

	for (uint32_t i = 0; v && i < n; i++)
		v[i] = i;
	for (uint32_t i = n - 1; v && i > 0; i--) {
		uint32_t j = rand32() % (i + 1), t = v[i];

		v[i] = v[j];
		v[j] = t;
	}
	return v;
}

static void *map_region(struct bpf_object *o, const char *name, uint32_t n)
{
	void *p = mmap(NULL, (size_t)n * 64, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(bpf_object__find_map_by_name(o, name)), 0);

	return p == MAP_FAILED ? NULL : p;
}

/* One cache miss: ft_line reads a 64-byte line per run whose content is
 * the next line's index, the lines linked into one random cycle over a
 * region of @bytes, so each run waits for the last one's miss. */
static int bench_line(const struct pkt *p, const char *name, const char *what, uint64_t bytes,
		      uint32_t bare)
{
	const struct ref_sizes rs = { .lines = (uint32_t)(bytes / 64) };
	struct bpf_object *o = ref_open(0, 0, &rs);
	uint64_t *lines = o ? map_region(o, "ft_lines", rs.lines) : NULL;
	uint32_t *order, ns;

	srand(1);
	order = shuffled(rs.lines);
	if (!lines || !order) {
		fprintf(stderr, "ft_bench: cannot set up %s\n", name);
		free(order);
		bpf_object__close(o);
		return 1;
	}
	for (uint32_t i = 0; i < rs.lines; i++)
		lines[(size_t)order[i] * 8] = order[(i + 1) % rs.lines];
	ns = time_prog(prog_fd(o, "ft_line"), p, repeat);
	printf("# %s: one dependent read of a random 64-byte line in %llu MiB (%s)\n", name,
	       (unsigned long long)(bytes >> 20), what);
	printf("%s %d ns/pkt\n", name, (int)ns - (int)bare);
	munmap(lines, (size_t)rs.lines * 64);
	free(order);
	bpf_object__close(o);
	return 0;
}

/* The design we did not take (docs/flowtable.md, "hit.1m"): 1M flows in a
 * pool of 64-byte entries behind an index of 8-way lines (2 ways a flow,
 * as our table's headroom), as an LRU map or VPP's pool is. Each run reads
 * a random index line, then the entry it names; entries are visited in
 * the order they were made (@in_order, the order lookup.1m visits) or in
 * a random one (what a table sees once flows come in any order). */
static int bench_pool(const struct pkt *p, const char *name, bool in_order, uint32_t bare)
{
	const uint32_t flows = 1u << 20;
	const struct ref_sizes rs = { .index_lines = 2 * flows / 8, .entries = flows };
	struct bpf_object *o = ref_open(0, 0, &rs);
	uint64_t *index = o ? map_region(o, "ft_pool_index", rs.index_lines) : NULL;
	uint64_t *pool = o ? map_region(o, "ft_pool_entries", rs.entries) : NULL;
	uint32_t *entry_of, *slot = malloc((size_t)flows * sizeof(*slot)), ns;
	uint8_t *used = calloc(rs.index_lines, 1);

	srand(2);
	entry_of = shuffled(flows);
	if (!index || !pool || !entry_of || !slot || !used) {
		fprintf(stderr, "ft_bench: cannot set up %s\n", name);
		ns = 0;
		goto out;
	}
	for (uint32_t k = 0; k < flows; k++) {
		uint32_t line;

		if (in_order)
			entry_of[k] = k;
		do
			line = rand32() % rs.index_lines;
		while (used[line] == 8);
		slot[k] = line * 8 + used[line]++;
		index[slot[k]] = entry_of[k];
	}
	for (uint32_t k = 0; k < flows; k++)
		pool[(size_t)entry_of[k] * 8] = slot[(k + 1) % flows];
	ns = time_prog(prog_fd(o, "ft_pool"), p, repeat);
	printf("# %s: a random line of a %u MiB index, then the entry it names in a %u MiB "
	       "pool, visited %s\n", name, rs.index_lines >> 14, rs.entries >> 14,
	       in_order ? "in the order the entries were made" : "in a random order");
	printf("%s %d ns/pkt\n", name, (int)ns - (int)bare);
out:
	if (index)
		munmap(index, (size_t)rs.index_lines * 64);
	if (pool)
		munmap(pool, (size_t)rs.entries * 64);
	free(entry_of);
	free(slot);
	free(used);
	bpf_object__close(o);
	return ns ? 0 : 1;
}

/* ---- the whole program ---- */

/* The share of flows visited in turn that miss on every visit: those in a
 * set that more than NFP_FT_WAYS of them hash to. With n flows in s sets a
 * set's count is about Poisson(n/s); a flow's own set holds it and a
 * Poisson(n/s) number of others, so the share is P(Poisson(n/s) >= WAYS). */
static double expected_miss_share(uint32_t n, uint32_t table_for)
{
	double lambda = (double)n / nfp_ft_nsets(table_for), term = exp(-lambda), below = 0;

	for (int k = 0; k < NFP_FT_WAYS; k++) {
		below += term;
		term *= lambda / (k + 1);
	}
	return 1.0 - below;
}

/* The whole program on @n flows (a power of two) in turn, in a table made
 * for @table_for flows (nfp_ft_nsets: twice that many slots), as
 * `--max-flows table_for` makes it: @f opened and warmed (the caller
 * closes it), *t what was timed. Flows visited in turn defeat any
 * recycling: a set that holds more of them than its 8 ways misses on
 * every visit, so misses (and the creations and records they bring) are
 * part of the figure, as many as the table's occupancy makes. */
static int measure_hit(struct ft *f, bool v6, uint32_t n, uint32_t table_for, struct pkt *p,
		       struct ft_timing *t)
{
	int r;

	/* a ring for the records of a run's misses, with room to spare */
	if (ft_open(f, v6 ? NFP_FT_MIN_MAX_FLOWS : table_for, v6 ? table_for : NFP_FT_MIN_MAX_FLOWS,
		    n - 1, (uint64_t)((double)repeat * (2 * expected_miss_share(n, table_for) + 0.01))))
		return 1;
	v6 ? tcp6(p) : tcp4(p);
	/* warm: create the n flows (one pass of the sequence) */
	bpf_run_xdp(f->e.prog_fd, p->buf, p->len, n, NULL, 0);
	if (profile_next)
		perf_ctl("enable\n");
	r = time_ft(f, p, repeat, t);
	if (profile_next)
		perf_ctl("disable\n");
	profile_next = false;
	if (r) {
		ft_close(f);
		return 1;
	}
	return 0;
}

static void describe_hit(const char *name, bool v6, uint32_t n, uint32_t table_for,
			 const struct pkt *p, const struct ft_timing *t)
{
	printf("# %s: %u established TCP flows in turn, %zu-byte IPv%d frame, table made for %u "
	       "(%u slots, %.0f%% of them used); %.2f%% of packets missed (%.2f%% expected: the "
	       "flows of sets that more than %d hash to miss on every visit)\n",
	       name, n, p->len, v6 ? 6 : 4, table_for, nfp_ft_capacity_for(table_for),
	       100.0 * n / nfp_ft_capacity_for(table_for),
	       t->packets ? 100.0 * (double)t->d.misses / (double)t->packets : 0.0,
	       100.0 * expected_miss_share(n, table_for), NFP_FT_WAYS);
	print_counters(name, t);
}

/* hit.* as a figure. */
static int bench_hit(const char *name, bool v6, uint32_t n, uint32_t table_for, uint32_t bare,
		     uint32_t *ns)
{
	struct ft_timing t;
	struct ft f;
	struct pkt p;
	int st;

	if (measure_hit(&f, v6, n, table_for, &p, &t))
		return 1;
	describe_hit(name, v6, n, table_for, &p, &t);
	st = check_paths(name, &t);
	printf("%s %d ns/pkt\n", name, (int)t.ns - (int)bare);
	if (ns)
		*ns = t.ns;
	ft_close(&f);
	return st;
}

/* hit.8k, the program without the stage, and a bare LRU lookup of as
 * many keys in the same run: the short path against its reference. Both
 * tables have twice the entries (hit.8k's is made for 2 x 8k flows, the
 * LRU map has 2 x 8k entries), so neither misses. */
static int bench_hit_8k(uint32_t bare)
{
	const uint32_t n = 8192;
	struct nfp_ft_conf off = { 0 };
	struct lookup_ns l;
	struct ft_timing t;
	uint32_t base;
	struct ft f;
	struct pkt p;
	int st;

	profile_next = true; /* FT_PERF profiles hit.8k's timed runs */
	if (measure_hit(&f, false, n, 2 * n, &p, &t))
		return 1;
	describe_hit("flowtable.hit.8k", false, n, 2 * n, &p, &t);
	st = check_paths("flowtable.hit.8k", &t);
	printf("flowtable.hit.8k %d ns/pkt\n", (int)t.ns - (int)bare);
	/* the same program with the stage switched off: what the rest of
	 * the pipeline (parse, counters, trace tap) costs on this frame */
	ft_env_conf(&f.e, &off);
	base = time_prog(f.e.prog_fd, &p, repeat);
	ft_close(&f);
	printf("# the program without the flowtable stage: %d ns/pkt over bare, so the "
	       "stage itself costs %d ns/pkt at 8k flows\n", (int)base - (int)bare,
	       (int)t.ns - (int)base);
	printf("flowtable.pipeline_without_ft %d ns/pkt\n", (int)base - (int)bare);
	if (measure_lookup(&p, n, 2 * n, false, false, &l))
		return 1;
	printf("# lookup.8k: the bare LRU lookup (ft_lookup) of %u keys in turn in an LRU "
	       "hash of %u entries, %.2f%% misses; the same run as hit.8k\n", n, 2 * n,
	       l.miss_pct);
	printf("flowtable.lookup.8k %d ns/pkt\n", (int)l.plain - (int)bare);
	printf("# hit.8k.over_lookup: the whole program's hit against the bare lookup "
	       "(target <= 1.5)\n");
	printf("flowtable.hit.8k.over_lookup %.2f ratio\n",
	       (double)((int)t.ns - (int)bare) / (double)((int)l.plain - (int)bare));
	return st;
}

/* The target's ratio, measured as a pair again and again: each round a
 * fresh LRU map and a fresh table, one after the other, so both meet the
 * same state of the machine; the figures are the medians of the rounds.
 * hit.1m runs at the occupancy a user configures: a table made for the
 * 1M flows it holds (`--max-flows 1048576`; the bench's sequence is a
 * mask, so a power of two). Its reference is a bare LRU lookup of 1M keys
 * visited in a scrambled order (lookup.1m.random), since a flowtable sees
 * its flows in no relation to where they sit in memory; the in-order
 * lookup (lookup.1m, the old target's reference) is printed beside it.
 * At 1M a figure moves by 10-40% from one table to the next
 * (docs/flowtable.md), which one pair cannot show. */
static int bench_ratio(uint32_t bare, int rounds)
{
	const uint32_t n = 1u << 20;
	double over_random[MAX_RUNS], over[MAX_RUNS], hit_ns[MAX_RUNS], rnd_ns[MAX_RUNS];
	struct lookup_ns lr, lo;
	struct ft_timing t;
	struct ft f;
	struct pkt p;
	int st = 0;

	tcp4(&p);
	printf("# ratio: %d rounds, each a fresh LRU map of %u keys (visited scrambled, then in "
	       "insertion order) and a fresh table made for %u flows holding %u\n", rounds, n,
	       n, n);
	for (int r = 0; r < rounds; r++) { /* rounds <= MAX_RUNS: main checks */
		char name[64];

		if (measure_lookup(&p, n, n, true, false, &lr) ||
		    measure_lookup(&p, n, n, false, false, &lo))
			return 1;
		if (measure_hit(&f, false, n, n, &p, &t))
			return 1;
		ft_close(&f);
		snprintf(name, sizeof(name), "flowtable.hit.1m (round %d)", r + 1);
		if (r == 0)
			describe_hit(name, false, n, n, &p, &t);
		else
			print_counters(name, &t);
		st |= check_paths(name, &t);
		hit_ns[r] = (int)t.ns - (int)bare;
		rnd_ns[r] = (int)lr.plain - (int)bare;
		over_random[r] = hit_ns[r] / rnd_ns[r];
		over[r] = hit_ns[r] / (double)((int)lo.plain - (int)bare);
		printf("# round %d: lookup.1m.random %d (%.2f%% misses), lookup.1m %d, hit.1m %d "
		       "ns/pkt (%.2f%% misses): over_random %.2f, over_lookup %.2f\n", r + 1,
		       (int)rnd_ns[r], lr.miss_pct, (int)lo.plain - (int)bare, (int)hit_ns[r],
		       100.0 * (double)t.d.misses / (double)t.packets, over_random[r], over[r]);
	}
	/* median_d sorts: after it the extremes are at the ends */
	double mid = median_d(over_random, rounds);

	printf("# medians of %d rounds; over_random from %.2f to %.2f (target <= 1.10, "
	       "stretch <= 1.0)\n", rounds, over_random[0], over_random[rounds - 1]);
	printf("flowtable.lookup.1m.random %.0f ns/pkt\n", median_d(rnd_ns, rounds));
	printf("flowtable.hit.1m %.0f ns/pkt\n", median_d(hit_ns, rounds));
	printf("flowtable.hit.1m.over_random %.2f ratio\n", mid);
	printf("flowtable.hit.1m.over_lookup %.2f ratio\n", median_d(over, rounds));
	return st;
}

/* Every packet a new flow into a full table: each creation recycles a
 * live flow and writes its flow-end record, which time_ft drains. */
static int bench_create(void)
{
	const uint32_t cap = 1u << 20;
	uint64_t free_slot;
	struct ft_timing t;
	struct ft f;
	struct pkt p;
	int st;

	/* a ring for a whole run's records: every packet writes one */
	if (ft_open(&f, cap, NFP_FT_MIN_MAX_FLOWS, 0xffffffffu, (uint64_t)repeat / 4))
		return 1;
	tcp4(&p);
	/* fill the table past its share, then every new flow recycles one */
	bpf_run_xdp(f.e.prog_fd, p.buf, p.len, cap + cap / 8, NULL, 0);
	if (time_ft(&f, &p, repeat / 4, &t)) {
		ft_close(&f);
		return 1;
	}
	printf("# create: table made for %u flows kept full, every packet a new IPv4 TCP flow "
	       "that recycles one, its flow-end record drained after each test run; %u ns/pkt "
	       "in all\n", cap, t.ns);
	print_counters("flowtable.create", &t);
	st = check_paths("flowtable.create", &t);
	/* a new flow whose set holds none of the interface's flows takes a
	 * free slot (a set left empty: ~e^-4 of them at this occupancy) and
	 * writes no record: a cheaper path, allowed for up to 1% */
	free_slot = t.d.created - t.d.recycled - t.d.expired;
	printf("# create: %llu of %llu creations took a free slot (no flow recycled, no record)\n",
	       (unsigned long long)free_slot, (unsigned long long)t.d.created);
	if (!st && (t.d.hits || free_slot * 100 > t.d.created ||
		    t.by_reason[NFP_FT_END_RECYCLED] != t.d.recycled)) {
		fprintf(stderr, "ft_bench: flowtable.create took another path: not nearly every "
				"packet created a flow that recycled one with a record\n");
		st = 1;
	}
	printf("flowtable.create.recycled %llu flows\n", (unsigned long long)t.d.recycled);
	printf("flowtable.create.ends_lost %llu records\n", (unsigned long long)t.d.ends_lost);
	printf("flowtable.create.failures %llu flows\n", (unsigned long long)t.d.failures);
	printf("flowtable.create %.0f flows/s\n", t.ns ? 1e9 / t.ns : 0.0);
	ft_close(&f);
	return st;
}

static long fdinfo_memlock(int fd)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* The IPv4 table's own kernel memory per flow it holds: a lower bound
 * (held.sh measures what the machine gives with nfpd holding the flows:
 * both families' tables, the info map, nfpd). */
static int bench_bytes_per_flow(void)
{
	const uint32_t n = 16u << 20;
	struct nfp_ft_stats s;
	struct ft_env e;
	struct pkt p;
	long memlock;
	struct nfp_ft_tab t;
	uint64_t held = 0;
	int r, fd;

	r = ft_env_open(&e, n, NFP_FT_MIN_MAX_FLOWS, n - 1);
	if (r) {
		fprintf(stderr, "ft_bench: cannot make a %u-flow table: %s\n", n, strerror(-r));
		return 1;
	}
	tcp4(&p);
	/* fill it: n distinct flows */
	for (uint32_t done = 0; done < n; done += 1u << 22)
		bpf_run_xdp(e.prog_fd, p.buf, p.len, 1u << 22, NULL, 0);
	ft_env_stats(&e, &s);
	fd = ft_env_table(&e, 0);
	memlock = fdinfo_memlock(fd);
	/* per flow actually held: a set that got more than its ways recycled
	 * some, so fewer than n may be in the table */
	if (nfp_ft_tab_map(&t, fd, 0) == 0) {
		for (uint64_t i = 0; i < t.nslots; i++)
			held += nfp_ft_tab_used(&t, i);
		nfp_ft_tab_close(&t);
	} else {
		close(fd);
	}
	printf("# bytes_per_flow: IPv4 table made for %u flows (%llu slots), %llu created, "
	       "%llu held; its memlock %ld bytes (the IPv4 table alone: held.sh measures the "
	       "machine's memory)\n", n, (unsigned long long)nfp_ft_capacity_for(n),
	       (unsigned long long)s.created, (unsigned long long)held, memlock);
	printf("flowtable.bytes_per_flow %.0f bytes\n", held ? (double)memlock / (double)held : 0.0);
	ft_env_close(&e);
	return 0;
}

/* held.sh's filler: the program as slot @slot of a running nfpd, on its
 * pinned maps (the tables, counters, the ring nfpd drains), creating
 * @flows flows (a power of two) in nfpd's table. */
static int fill(const char *pin_dir, uint32_t slot, uint32_t flows)
{
	DECLARE_LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = pin_dir);
	struct nfp_ft_stats *pc, s = { 0 };
	struct nfp_xdp *skel;
	int ncpus = libbpf_num_possible_cpus(), r;
	struct pkt p;

	if (!flows || (flows & (flows - 1))) {
		fprintf(stderr, "ft_bench: fill: -N must be a power of two\n");
		return 2;
	}
	skel = nfp_xdp__open_opts(&oo);
	if (!skel) {
		fprintf(stderr, "ft_bench: fill: cannot open the XDP object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->nfp_slot = slot;
	skel->rodata->nfp_ft_bench_mask = flows - 1;
	r = nfp_xdp__load(skel);
	if (r) {
		fprintf(stderr, "ft_bench: fill: cannot load onto %s: %s\n", pin_dir, strerror(-r));
		nfp_xdp__destroy(skel);
		return 1;
	}
	tcp4(&p);
	for (uint32_t done = 0; done < flows; done += 1u << 22) {
		uint32_t n = flows - done < (1u << 22) ? flows - done : 1u << 22;

		bpf_run_xdp(bpf_program__fd(skel->progs.nfp_xdp_ingress), p.buf, p.len, n, NULL, 0);
	}
	pc = calloc((size_t)ncpus, sizeof(*pc));
	if (!pc || bpf_map_lookup_elem(bpf_map__fd(skel->maps.nfp_ft_stats), &slot, pc))
		fprintf(stderr, "ft_bench: fill: cannot read the counters: %s\n", strerror(errno));
	else
		for (int c = 0; c < ncpus; c++)
			for (size_t i = 0; i < sizeof(s) / 8; i++)
				((__u64 *)&s)[i] += ((__u64 *)&pc[c])[i];
	free(pc);
	printf("fill: %u packets; slot %u's counters: %llu created, %llu recycled, %llu failures, "
	       "%llu unhandled\n", flows, slot, (unsigned long long)s.created,
	       (unsigned long long)s.recycled, (unsigned long long)s.failures,
	       (unsigned long long)s.unhandled);
	nfp_xdp__destroy(skel);
	if (s.created < flows) {
		fprintf(stderr, "ft_bench: fill: %u packets created only %llu flows\n", flows,
			(unsigned long long)s.created);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *only = NULL, *pin_dir = NULL;
	uint32_t bare, slot = 0, flows = 0;
	long rounds = 5;
	struct pkt p;
	int opt, st = 0;

	while ((opt = getopt(argc, argv, "r:n:o:s:R:P:S:N:")) != -1) {
		switch (opt) {
		case 'r': runs = strtol(optarg, NULL, 10); break;
		case 'R': rounds = strtol(optarg, NULL, 10); break;
		case 'n': repeat = strtol(optarg, NULL, 10); break;
		case 'o': ref_path = optarg; break;
		case 's': only = optarg; break;
		case 'P': pin_dir = optarg; break;
		case 'S': slot = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'N': flows = (uint32_t)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: ft_bench -o ft_lookup.bpf.o [-r RUNS] [-n REPEAT] "
					"[-R ROUNDS] [-s SCENARIO]\n"
					"       ft_bench -s fill -P PIN_DIR -S SLOT -N FLOWS\n");
			return 2;
		}
	}
	if (only && strcmp(only, "fill") == 0) {
		if (!pin_dir) {
			fprintf(stderr, "ft_bench: fill needs -P\n");
			return 2;
		}
		return fill(pin_dir, slot, flows);
	}
	if (!ref_path || runs < 5 || runs > MAX_RUNS || repeat < 1000 || rounds < 5 ||
	    rounds > MAX_RUNS) {
		fprintf(stderr, "ft_bench: need -o, 5 <= RUNS <= %d, REPEAT >= 1000, "
				"5 <= ROUNDS <= %d\n", MAX_RUNS, MAX_RUNS);
		return 2;
	}
	printf("# medians of %ld runs of %ld repetitions (create: %ld)\n", runs, repeat, repeat / 4);
	tcp4(&p);
	bare = bench_bare(&p);
	if (!bare)
		return 1;
	printf("flowtable.bare %u ns/run\n", bare);
#define WANT(s) (!only || strcmp(only, s) == 0)
	if (WANT("lookup")) {
		st |= bench_lookup_1m(&p, bare);
		/* what one miss costs, in a region the size of an LRU map's
		 * buckets at 1M keys and in one the size of hit.1m's table */
		st |= bench_line(&p, "flowtable.miss.16m", "an LRU hash's buckets at 1M keys", 16ull << 20,
				 bare);
		st |= bench_line(&p, "flowtable.miss.table", "hit.1m's IPv4 table",
				 (uint64_t)nfp_ft_nsets(1u << 20) * sizeof(struct nfp_ft_set4), bare);
		st |= bench_pool(&p, "flowtable.alt_pool.in_order", true, bare);
		st |= bench_pool(&p, "flowtable.alt_pool.random", false, bare);
	}
	if (WANT("hit")) {
		uint32_t at_user = 0, at_2x = 0;

		st |= bench_hit_8k(bare);
		/* what the headroom over the configured size buys: the old setup
		 * (a table made for twice the flows) beside the one a user gets */
		st |= bench_hit("flowtable.hit.1m.table1x", false, 1u << 20, 1u << 20, bare, &at_user);
		st |= bench_hit("flowtable.hit.1m.table2x", false, 1u << 20, 2u << 20, bare, &at_2x);
		printf("# headroom: tables made for 2 x the flows cost %llu MiB more for 1M flows "
		       "(%llu MiB IPv4, %llu MiB IPv6: nfpd makes both); hit.1m.table1x - "
		       "hit.1m.table2x = %d ns/pkt here (the misses of the fuller table)\n",
		       (unsigned long long)((((uint64_t)nfp_ft_nsets(2u << 20) - nfp_ft_nsets(1u << 20)) *
					     (sizeof(struct nfp_ft_set4) + sizeof(struct nfp_ft_set6))) >> 20),
		       (unsigned long long)((((uint64_t)nfp_ft_nsets(2u << 20) - nfp_ft_nsets(1u << 20)) *
					     sizeof(struct nfp_ft_set4)) >> 20),
		       (unsigned long long)((((uint64_t)nfp_ft_nsets(2u << 20) - nfp_ft_nsets(1u << 20)) *
					     sizeof(struct nfp_ft_set6)) >> 20),
		       (int)at_user - (int)at_2x);
		st |= bench_hit("flowtable.hit.1m.v6", true, 1u << 20, 1u << 20, bare, NULL);
	}
	if (WANT("ratio"))
		st |= bench_ratio(bare, (int)rounds);
	if (WANT("create"))
		st |= bench_create();
	if (WANT("bytes"))
		st |= bench_bytes_per_flow();
	return st;
}
