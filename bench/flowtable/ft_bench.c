/* ft_bench.c - the flowtable's cost, through BPF_PROG_TEST_RUN.
 *
 *   flowtable.bare           ns/run  an XDP program that returns XDP_PASS
 *   flowtable.lookup.1m      ns/pkt  one LRU lookup in a 1M-key table of the
 *                                    flow key's size, keys visited in turn,
 *                                    minus bare
 *   flowtable.lookup.1m.serial      the same with every run's key read from the
 *                                    last run's value: one lookup's latency (the
 *                                    plain figure overlaps consecutive runs' misses)
 *   flowtable.lookup.1m.random      the same keys in a scrambled order (an LRU
 *                                    map's memory follows insertion order)
 *   flowtable.miss.16m       ns/pkt  one dependent read of a random 64-byte line
 *                                    in 16 MiB (an LRU hash's buckets at 1M keys)
 *   flowtable.miss.table     ns/pkt  the same in a region the size of hit.1m's table
 *   flowtable.alt_pool.in_order / .random
 *                            ns/pkt  the misses of the design not taken: a random
 *                                    index line, then its entry in a pool, entries
 *                                    visited in creation order / at random
 *   flowtable.hit.8k / .1m   ns/pkt  nfplane's whole XDP program (parse,
 *                                    counters, flowtable) on established TCP
 *                                    flows visited in turn, minus bare
 *   flowtable.hit.1m.v6      ns/pkt  the same on IPv6
 *   flowtable.hit.1m.over_lookup, .over_lookup_serial
 *                            ratio   hit.1m over lookup.1m (the target: <= 1.25)
 *                                    and over lookup.1m.serial: medians over
 *                                    ROUNDS pairs of fresh maps (bench_ratio)
 *   flowtable.create         flows/s every packet a new flow into a full table
 *                                    (so every packet recycles one): 1e9 / the
 *                                    whole ns/pkt, framework included
 *   flowtable.bytes_per_flow bytes   kernel memory of an IPv4 table for 16M
 *                                    flows (its memlock), after 16M flows,
 *                                    per flow it holds
 *
 * The flow changes on every run: the program is loaded with
 * nfp_ft_bench_mask, which replaces the lower IPv4 address (IPv6: last
 * address word) by a per-CPU sequence & mask, so N flows are visited in
 * turn; the process is pinned (run.sh) so one CPU's sequence covers them
 * all. Each figure is the median of RUNS runs of REPEAT repetitions; after
 * each scenario the flowtable's counters are checked (all hits, or all
 * creations), or the figure would be of a program that took another path.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nfplane/flowtable.h"
#include "nfp_xdp.skel.h"
#include "../../tests/lib/bpf_run.h"
#include "../../tests/lib/ft_env.h"
#include "../../tests/lib/pkt.h"
#include "flowtable/table.h"

#define MAX_RUNS 51

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

/* Median ns per repetition of @fd on @p over the runs; 0 on error. */
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

/* Sizes of the pointer-chase regions (0: as compiled). */
struct chase_sizes {
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
 * chase regions sized as @cs asks (NULL: as compiled). */
static struct bpf_object *ref_open(uint32_t mask, uint32_t scramble, const struct chase_sizes *cs)
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
	if (cs) {
		set_max_entries(obj, "ft_lines", cs->lines);
		set_max_entries(obj, "ft_pool_index", cs->index_lines);
		set_max_entries(obj, "ft_pool_entries", cs->entries);
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
	uint32_t serial;        /* keys in turn, each from the last value; 0 if scrambled */
	double miss_pct;        /* lookups that found nothing (should be 0) */
};

/* Time ft_lookup (and, unless @scramble, ft_lookup_serial) on a fresh LRU
 * map of 1M keys. */
static int measure_lookup_1m(const struct pkt *p, bool scramble, struct lookup_ns *out)
{
	const uint32_t n = 1u << 20;
	struct bpf_object *o = ref_open(n - 1, scramble, NULL);
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
	out->serial = scramble ? 0 : time_prog(prog_fd(o, "ft_lookup_serial"), p, repeat);
	bpf_object__close(o);
	return out->plain ? 0 : 1;
}

static int bench_lookup_1m(const struct pkt *p, uint32_t bare)
{
	struct lookup_ns in_turn, random;

	if (measure_lookup_1m(p, false, &in_turn) || measure_lookup_1m(p, true, &random))
		return 1;
	printf("# lookup.1m: LRU hash of %u keys (%zu-byte key, %zu-byte value), %.2f%% misses\n",
	       1u << 20, sizeof(struct nfp_ft_key4), sizeof(struct nfp_ft_flow), in_turn.miss_pct);
	printf("flowtable.lookup.1m %d ns/pkt\n", (int)in_turn.plain - (int)bare);
	printf("# lookup.1m.serial: the same keys in the same order, each run's key read from "
	       "the last run's value\n");
	printf("flowtable.lookup.1m.serial %d ns/pkt\n", (int)in_turn.serial - (int)bare);
	/* the kernel hands out an LRU map's elements in the order keys are
	 * inserted, so visiting keys in insertion order walks its memory in
	 * order: the element lines and pages come cheap. A flowtable sees
	 * flows in no such order. */
	printf("# lookup.1m.random: the same keys visited in a scrambled order "
	       "(not the order they were inserted in), %.2f%% misses\n", random.miss_pct);
	printf("flowtable.lookup.1m.random %d ns/pkt\n", (int)random.plain - (int)bare);
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
	const struct chase_sizes cs = { .lines = (uint32_t)(bytes / 64) };
	struct bpf_object *o = ref_open(0, 0, &cs);
	uint64_t *lines = o ? map_region(o, "ft_lines", cs.lines) : NULL;
	uint32_t *order, ns;

	srand(1);
	order = shuffled(cs.lines);
	if (!lines || !order) {
		fprintf(stderr, "ft_bench: cannot set up %s\n", name);
		free(order);
		bpf_object__close(o);
		return 1;
	}
	for (uint32_t i = 0; i < cs.lines; i++)
		lines[(size_t)order[i] * 8] = order[(i + 1) % cs.lines];
	ns = time_prog(prog_fd(o, "ft_line"), p, repeat);
	printf("# %s: one dependent read of a random 64-byte line in %llu MiB (%s)\n", name,
	       (unsigned long long)(bytes >> 20), what);
	printf("%s %d ns/pkt\n", name, (int)ns - (int)bare);
	munmap(lines, (size_t)cs.lines * 64);
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
	const struct chase_sizes cs = { .index_lines = 2 * flows / 8, .entries = flows };
	struct bpf_object *o = ref_open(0, 0, &cs);
	uint64_t *index = o ? map_region(o, "ft_pool_index", cs.index_lines) : NULL;
	uint64_t *pool = o ? map_region(o, "ft_pool_entries", cs.entries) : NULL;
	uint32_t *entry_of, *slot = malloc((size_t)flows * sizeof(*slot)), ns;
	uint8_t *used = calloc(cs.index_lines, 1);

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
			line = rand32() % cs.index_lines;
		while (used[line] == 8);
		slot[k] = line * 8 + used[line]++;
		index[slot[k]] = entry_of[k];
	}
	for (uint32_t k = 0; k < flows; k++)
		pool[(size_t)entry_of[k] * 8] = slot[(k + 1) % flows];
	ns = time_prog(prog_fd(o, "ft_pool"), p, repeat);
	printf("# %s: a random line of a %u MiB index, then the entry it names in a %u MiB "
	       "pool, visited %s\n", name, cs.index_lines >> 14, cs.entries >> 14,
	       in_order ? "in the order the entries were made" : "in a random order");
	printf("%s %d ns/pkt\n", name, (int)ns - (int)bare);
out:
	if (index)
		munmap(index, (size_t)cs.index_lines * 64);
	if (pool)
		munmap(pool, (size_t)cs.entries * 64);
	free(entry_of);
	free(slot);
	free(used);
	bpf_object__close(o);
	return ns ? 0 : 1;
}

/* The whole program on @n flows in turn, table for 2n (as the LRU table
 * before it had 2n entries: a table near its capacity recycles, and flows
 * visited in turn then miss on every visit): @e opened and warmed (the
 * caller closes it), *ns per run (bare included), *d the counters while
 * timed. */
static int measure_hit(struct ft_env *e, bool v6, uint32_t n, struct pkt *p, uint32_t *ns,
		       struct nfp_ft_stats *d)
{
	struct nfp_ft_stats s0, s1;
	int r;

	r = ft_env_open(e, v6 ? NFP_FT_MIN_MAX_FLOWS : 2 * n, v6 ? 2 * n : NFP_FT_MIN_MAX_FLOWS, n - 1);
	if (r) {
		fprintf(stderr, "ft_bench: cannot load the flowtable: %s\n", strerror(-r));
		return 1;
	}
	v6 ? tcp6(p) : tcp4(p);
	/* warm: create the n flows (one pass of the sequence) */
	bpf_run_xdp(e->prog_fd, p->buf, p->len, n, NULL, 0);
	ft_env_stats(e, &s0);
	*ns = time_prog(e->prog_fd, p, repeat);
	ft_env_stats(e, &s1);
	d->hits = s1.hits - s0.hits;
	d->misses = s1.misses - s0.misses;
	d->recycled = s1.recycled - s0.recycled;
	d->failures = s1.failures - s0.failures;
	return 0;
}

/* hit.* as a figure. */
static int bench_hit(const char *name, bool v6, uint32_t n, uint32_t bare)
{
	struct nfp_ft_stats d;
	struct ft_env e;
	struct pkt p;
	uint32_t ns;

	if (measure_hit(&e, v6, n, &p, &ns, &d))
		return 1;
	printf("# %s: %u established TCP flows in turn, %zu-byte IPv%d frame, table for %u "
	       "(%u slots); %llu hits, %llu misses (%llu recycled, %llu failures) while timed\n",
	       name, n, p.len, v6 ? 6 : 4, 2 * n, nfp_ft_capacity_for(2 * n),
	       (unsigned long long)d.hits, (unsigned long long)d.misses,
	       (unsigned long long)d.recycled, (unsigned long long)d.failures);
	/* a set that holds more of the visited flows than it has ways misses on
	 * every visit (flows in turn defeat any recycling): a few such sets are
	 * expected (~0.1% of packets), more would make this a creation figure */
	if (d.misses * 100 > d.hits)
		printf("# WARNING: %s missed on over 1%% of packets: the figure includes "
		       "creations\n", name);
	printf("%s %d ns/pkt\n", name, (int)ns - (int)bare);
	if (n == 8192 && !v6) {
		/* the same program with the stage switched off: what the rest of
		 * the pipeline (parse, counters, trace tap) costs on this frame */
		struct nfp_ft_conf off = { 0 };
		uint32_t base;

		ft_env_conf(&e, &off);
		base = time_prog(e.prog_fd, &p, repeat);
		printf("# the program without the flowtable stage: %d ns/pkt over bare, so the "
		       "stage itself costs %d ns/pkt at 8k flows\n", (int)base - (int)bare,
		       (int)ns - (int)base);
		printf("flowtable.pipeline_without_ft %d ns/pkt\n", (int)base - (int)bare);
	}
	ft_env_close(&e);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The target's ratio, measured as a pair again and again: each round a
 * fresh LRU map (lookup.1m, .serial) and a fresh table (hit.1m), one after
 * the other, so both meet the same state of the machine; the figures are
 * the medians of the rounds' ratios. At 1M a figure moves by 10-40% from
 * one table to the next (docs/flowtable.md), which one pair cannot show. */
static int bench_ratio(uint32_t bare, int rounds)
{
	double over[MAX_RUNS], over_serial[MAX_RUNS];
	struct lookup_ns l;
	struct nfp_ft_stats d;
	struct ft_env e;
	struct pkt p;
	uint32_t hit;
	int done = 0;

	tcp4(&p);
	for (int r = 0; r < rounds; r++) { /* rounds <= MAX_RUNS: main checks */
		if (measure_lookup_1m(&p, false, &l))
			return 1;
		if (measure_hit(&e, false, 1u << 20, &p, &hit, &d))
			return 1;
		ft_env_close(&e);
		over[done] = (double)((int)hit - (int)bare) / (double)((int)l.plain - (int)bare);
		over_serial[done] = (double)((int)hit - (int)bare) /
				    (double)((int)l.serial - (int)bare);
		printf("# round %d: lookup.1m %d, lookup.1m.serial %d, hit.1m %d ns/pkt "
		       "(%llu misses): %.2f, %.2f\n", r + 1, (int)l.plain - (int)bare,
		       (int)l.serial - (int)bare, (int)hit - (int)bare,
		       (unsigned long long)d.misses, over[done], over_serial[done]);
		done++;
	}
	qsort(over, (size_t)done, sizeof(*over), cmp_double);
	qsort(over_serial, (size_t)done, sizeof(*over_serial), cmp_double);
	printf("# target: hit.1m <= 1.25 x lookup.1m; medians of %d rounds (min %.2f, max %.2f)\n",
	       done, over[0], over[done - 1]);
	printf("flowtable.hit.1m.over_lookup %.2f ratio\n", over[done / 2]);
	printf("flowtable.hit.1m.over_lookup_serial %.2f ratio\n", over_serial[done / 2]);
	return 0;
}

static int bench_create(void)
{
	const uint32_t cap = 1u << 20;
	struct nfp_ft_stats s0, s1;
	struct ft_env e;
	struct pkt p;
	uint32_t ns;
	int r;

	r = ft_env_open(&e, cap, NFP_FT_MIN_MAX_FLOWS, 0xffffffffu);
	if (r)
		return 1;
	tcp4(&p);
	/* fill the table, then every new flow recycles one */
	bpf_run_xdp(e.prog_fd, p.buf, p.len, cap + cap / 8, NULL, 0);
	ft_env_stats(&e, &s0);
	ns = time_prog(e.prog_fd, &p, repeat / 4);
	ft_env_stats(&e, &s1);
	printf("# create: table of %u flows kept full, every packet a new IPv4 TCP flow; "
	       "%llu created, %llu hits, %llu failures while timed; %u ns/pkt in all\n", cap,
	       (unsigned long long)(s1.created - s0.created), (unsigned long long)(s1.hits - s0.hits),
	       (unsigned long long)(s1.failures - s0.failures), ns);
	printf("flowtable.create %.0f flows/s\n", ns ? 1e9 / ns : 0.0);
	ft_env_close(&e);
	return 0;
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

static long mem_available_kb(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

static int bench_bytes_per_flow(void)
{
	const uint32_t n = 16u << 20;
	struct nfp_ft_stats s;
	struct ft_env e;
	struct pkt p;
	long before = mem_available_kb(), after, memlock;
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
	after = mem_available_kb();
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
	printf("# bytes_per_flow: IPv4 table for %u flows (%llu slots), %llu created, %llu held; "
	       "memlock %ld bytes; MemAvailable fell by %ld MiB (noisy: other processes)\n", n,
	       (unsigned long long)nfp_ft_capacity_for(n), (unsigned long long)s.created,
	       (unsigned long long)held, memlock, (before - after) / 1024);
	printf("flowtable.bytes_per_flow %.0f bytes\n", held ? (double)memlock / (double)held : 0.0);
	ft_env_close(&e);
	return 0;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	uint32_t bare;
	long rounds = 5;
	struct pkt p;
	int opt, st = 0;

	while ((opt = getopt(argc, argv, "r:n:o:s:R:")) != -1) {
		switch (opt) {
		case 'r': runs = strtol(optarg, NULL, 10); break;
		case 'R': rounds = strtol(optarg, NULL, 10); break;
		case 'n': repeat = strtol(optarg, NULL, 10); break;
		case 'o': ref_path = optarg; break;
		case 's': only = optarg; break;
		default:
			fprintf(stderr, "usage: ft_bench -o ft_lookup.bpf.o [-r RUNS] [-n REPEAT] "
					"[-R ROUNDS] [-s SCENARIO]\n");
			return 2;
		}
	}
	if (!ref_path || runs < 5 || runs > MAX_RUNS || repeat < 1000 || rounds < 1 ||
	    rounds > MAX_RUNS) {
		fprintf(stderr, "ft_bench: need -o, 5 <= RUNS <= %d, REPEAT >= 1000, "
				"1 <= ROUNDS <= %d\n", MAX_RUNS, MAX_RUNS);
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
				 (uint64_t)nfp_ft_nsets(2u << 20) * sizeof(struct nfp_ft_set4), bare);
		st |= bench_pool(&p, "flowtable.alt_pool.in_order", true, bare);
		st |= bench_pool(&p, "flowtable.alt_pool.random", false, bare);
	}
	if (WANT("hit")) {
		st |= bench_hit("flowtable.hit.8k", false, 8192, bare);
		st |= bench_hit("flowtable.hit.1m", false, 1u << 20, bare);
		st |= bench_hit("flowtable.hit.1m.v6", true, 1u << 20, bare);
	}
	if (WANT("ratio"))
		st |= bench_ratio(bare, (int)rounds);
	if (WANT("create"))
		st |= bench_create();
	if (WANT("bytes"))
		st |= bench_bytes_per_flow();
	return st;
}
