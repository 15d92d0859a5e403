/* trace_bpf.c - per-packet cost of the trace tap in XDP ingress, through
 * BPF_PROG_TEST_RUN: the program with the tap compiled out (the baseline,
 * rodata nfp_trace_taps = false) against the real program with no session
 * (trace.idle), one session that matches nothing (trace.nomatch) and one that
 * matches every packet at snaplen 64 and 256 (trace.match_all.*). Each figure
 * is the median over RUNS back-to-back pairs of (tap - baseline), in ns/pkt.
 */
#include "common/bpffs.h"
#include "nfp_xdp.skel.h"
#include "nfplane/iface.h"
#include "nfplane/trace.h"
#include "trace/tapmaps.h"
#include "../../tests/lib/bpf_run.h"
#include "../../tests/lib/pkt.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUNS 21
#define PKT_LEN 512
#define REPEAT_IDLE 2000000u
#define REPEAT_MATCH 20000u /* 20000 records of 256 bytes fit the ring */

static const uint8_t SRC[6] = { 0x02, 0xaa, 0, 0, 0, 1 };
static const uint8_t DST[6] = { 0x02, 0xbb, 0, 0, 0, 2 };
static const uint8_t OTHER[6] = { 0x02, 0xcc, 0, 0, 0, 3 };

static char pin_dir[64];

static struct nfp_xdp *load(bool taps)
{
	DECLARE_LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pin_dir);
	struct nfp_xdp *s = nfp_xdp__open_opts(&o);

	if (!s)
		return NULL;
	s->rodata->nfp_trace_taps = taps;
	if (nfp_xdp__load(s)) {
		nfp_xdp__destroy(s);
		return NULL;
	}
	return s;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int drop_records(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

static double run_once(int prog_fd, const struct pkt *p, uint32_t repeat, struct ring_buffer *rb)
{
	struct bpf_run_result r = bpf_run_xdp(prog_fd, p->buf, p->len, repeat, NULL, 0);

	if (r.err) {
		fprintf(stderr, "trace_bpf: BPF_PROG_TEST_RUN: %s\n", strerror(-r.err));
		exit(1);
	}
	ring_buffer__consume(rb);
	return r.duration;
}

/* Median over RUNS of (tap program - baseline program), each pair run back
 * to back so that drift in the machine's load cancels. The kernel's timer
 * leaves out the time the runner is preempted (the machine is shared), at
 * the price of whole-ns resolution per run. The ring is drained between
 * runs. *base_out gets the baseline's median. */
static double measure(int fd_tap, int fd_base, const struct pkt *p, uint32_t repeat,
		      struct ring_buffer *rb, double *base_out)
{
	double d[RUNS], b[RUNS];

	for (int i = 0; i < RUNS; i++) {
		b[i] = run_once(fd_base, p, repeat, rb);
		d[i] = run_once(fd_tap, p, repeat, rb) - b[i];
		if (getenv("NFP_BENCH_DEBUG"))
			fprintf(stderr, "# run %d: base %.0f, tap %+.0f ns/pkt\n", i, b[i], d[i]);
	}
	qsort(d, RUNS, sizeof(d[0]), cmp);
	qsort(b, RUNS, sizeof(b[0]), cmp);
	if (base_out)
		*base_out = b[RUNS / 2];
	return d[RUNS / 2];
}

int main(void)
{
	struct nfp_if_conf conf = { .flags = NFP_IFC_ACTIVE, .ifindex = 1 };
	struct nfp_trace_tapmaps maps = { .wakeup_bytes = 0 };
	struct nfp_trace_filter f = { .session_bit = 1, .dir = NFP_TRACE_DIR_IN,
				      .fields = NFP_TF_MAC };
	struct nfp_trace_stats before, after;
	struct nfp_xdp *on, *off;
	struct ring_buffer *rb;
	struct bpf_map *m;
	double base, idle, nomatch, m64, m256;
	uint32_t slot = 0;
	struct pkt p;
	int fd_on, fd_off, status = 1, r;

	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/nfpbench-trace-%d", getpid());
	r = nfp_bpffs_prepare(pin_dir);
	if (r < 0) {
		fprintf(stderr, "trace_bpf: pin directory %s: %s\n", pin_dir, strerror(-r));
		return 1;
	}
	on = load(true);
	off = load(false);
	if (!on || !off) {
		fprintf(stderr, "trace_bpf: cannot load nfp_xdp\n");
		goto out;
	}
	bpf_map_update_elem(bpf_map__fd(on->maps.nfp_if_conf), &slot, &conf, BPF_ANY);
	maps.ctl_fd = bpf_map__fd(on->maps.nfp_trace_ctl);
	maps.filt_fd = bpf_map__fd(on->maps.nfp_trace_filt);
	maps.stats_fd = bpf_map__fd(on->maps.nfp_trace_stats);
	rb = ring_buffer__new(bpf_map__fd(on->maps.nfp_trace_ring), drop_records, NULL, NULL);
	fd_on = bpf_program__fd(on->progs.nfp_xdp_ingress);
	fd_off = bpf_program__fd(off->progs.nfp_xdp_ingress);

	pkt_init(&p);
	pkt_eth_addr(&p, SRC, DST, ETH_P_IP);
	pkt_ipv4(&p, 0x0a000001, 0x0a000002, IPPROTO_UDP);
	pkt_udp(&p, 1234, 5678);
	pkt_zeros(&p, PKT_LEN - p.len);
	pkt_finish(&p);

	printf("# trace taps through BPF_PROG_TEST_RUN: XDP ingress, %zu-byte IPv4/UDP frame, "
	       "median of %d paired runs of (program - program with the tap compiled out), kernel timer\n",
	       p.len, RUNS);
	nfp_trace_tapmaps_publish(&maps, NULL, 0);
	idle = measure(fd_on, fd_off, &p, REPEAT_IDLE, rb, &base);
	memcpy(f.mac, OTHER, 6);
	f.snaplen = 64;
	nfp_trace_tapmaps_publish(&maps, &f, 1);
	nomatch = measure(fd_on, fd_off, &p, REPEAT_IDLE, rb, NULL);
	memcpy(f.mac, SRC, 6);
	nfp_trace_tapmaps_stats(&maps, &before);
	nfp_trace_tapmaps_publish(&maps, &f, 1);
	m64 = measure(fd_on, fd_off, &p, REPEAT_MATCH, rb, NULL);
	f.snaplen = 256;
	nfp_trace_tapmaps_publish(&maps, &f, 1);
	m256 = measure(fd_on, fd_off, &p, REPEAT_MATCH, rb, NULL);
	nfp_trace_tapmaps_stats(&maps, &after);
	nfp_trace_tapmaps_publish(&maps, NULL, 0);

	printf("# baseline (tap compiled out) %.1f ns/pkt; records %llu, ring full %llu\n", base,
	       (unsigned long long)(after.records - before.records),
	       (unsigned long long)(after.ring_full - before.ring_full));
	printf("trace.idle %.1f ns/pkt\n", idle);
	printf("trace.nomatch %.1f ns/pkt\n", nomatch);
	printf("trace.match_all.64 %.1f ns/pkt\n", m64);
	printf("trace.match_all.256 %.1f ns/pkt\n", m256);
	ring_buffer__free(rb);
	status = 0;
out:
	if (on)
		bpf_object__for_each_map(m, on->obj)
			if (bpf_map__is_pinned(m))
				bpf_map__unpin(m, NULL);
	nfp_xdp__destroy(off);
	nfp_xdp__destroy(on);
	rmdir(pin_dir);
	return status;
}
