/* test_trace.c - the trace taps through BPF_PROG_TEST_RUN: idle taps write
 * nothing; each filter field and the direction select exactly the packets
 * they name; a record carries the right header and bytes, cut at the
 * largest matching snaplen; a full ring is counted, never blocks.
 *
 * The maps are pinned in a directory of this test's own, with a small ring
 * so that overflowing it is quick.
 */
#include "common/bpffs.h"
#include "nfp_tc.skel.h"
#include "nfp_xdp.skel.h"
#include "nfplane/iface.h"
#include "nfplane/trace.h"
#include "trace/tapmaps.h"
#include "../lib/bpf_run.h"
#include "../lib/pkt.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#define RING_BYTES (64u * 1024)
#define LO_IFINDEX 1 /* BPF_PROG_TEST_RUN runs on loopback */

static const uint8_t MAC_A[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 };
static const uint8_t MAC_B[6] = { 0x02, 0xbb, 0, 0, 0, 0x02 };
static const uint8_t MAC_C[6] = { 0x02, 0xcc, 0, 0, 0, 0x03 };

struct fixture {
	char pin_dir[64];
	struct nfp_xdp *xdp;
	struct nfp_tc *tc;
	struct nfp_trace_tapmaps maps;
	struct ring_buffer *rb;
	/* what the ring held at the last drain */
	struct nfp_trace_rec recs[64];
	uint8_t data[64][1600];
	int n;
};

/* for cleaning up after a setup that failed half-way */
static struct fixture *fx_current;

static int on_record(void *ctx, void *data, size_t size)
{
	struct fixture *fx = ctx;
	const struct nfp_trace_rec *r = data;

	assert_true(size >= sizeof(*r) + r->cap_len);
	if (fx->n < 64) {
		fx->recs[fx->n] = *r;
		memcpy(fx->data[fx->n], r + 1, r->cap_len < 1600 ? r->cap_len : 1600);
	}
	fx->n++;
	return 0;
}

static int drain(struct fixture *fx)
{
	fx->n = 0;
	ring_buffer__consume(fx->rb);
	return fx->n;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct nfp_if_conf conf = { .flags = NFP_IFC_ACTIVE, .ifindex = LO_IFINDEX };
	uint32_t slot = 0;

	assert_non_null(fx);
	snprintf(fx->pin_dir, sizeof(fx->pin_dir), "/sys/fs/bpf/nfptest-trace-%d", getpid());
	/* a fresh machine may have no bpffs mounted yet: the same helper as nfpd */
	assert_int_equal(nfp_bpffs_prepare(fx->pin_dir), 0);
	fx_current = fx;
	DECLARE_LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = fx->pin_dir);
	fx->xdp = nfp_xdp__open_opts(&o);
	fx->tc = nfp_tc__open_opts(&o);
	assert_non_null(fx->xdp);
	assert_non_null(fx->tc);
	bpf_map__set_max_entries(fx->xdp->maps.nfp_trace_ring, RING_BYTES);
	bpf_map__set_max_entries(fx->tc->maps.nfp_trace_ring, RING_BYTES);
	assert_int_equal(nfp_xdp__load(fx->xdp), 0);
	assert_int_equal(nfp_tc__load(fx->tc), 0);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(fx->xdp->maps.nfp_if_conf), &slot, &conf,
					     BPF_ANY), 0);
	fx->maps.ctl_fd = bpf_map__fd(fx->xdp->maps.nfp_trace_ctl);
	fx->maps.filt_fd = bpf_map__fd(fx->xdp->maps.nfp_trace_filt);
	fx->maps.stats_fd = bpf_map__fd(fx->xdp->maps.nfp_trace_stats);
	fx->rb = ring_buffer__new(bpf_map__fd(fx->xdp->maps.nfp_trace_ring), on_record, fx, NULL);
	assert_non_null(fx->rb);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	struct bpf_map *m;

	ring_buffer__free(fx->rb);
	bpf_object__for_each_map(m, fx->xdp->obj)
		if (bpf_map__is_pinned(m))
			bpf_map__unpin(m, NULL);
	nfp_tc__destroy(fx->tc);
	nfp_xdp__destroy(fx->xdp);
	rmdir(fx->pin_dir);
	free(fx);
	fx_current = NULL;
	return 0;
}

/* A setup that failed half-way gets no teardown from cmocka: do it here. */
static int group_teardown(void **state)
{
	(void)state;
	if (fx_current && fx_current->xdp && fx_current->tc && fx_current->rb)
		teardown((void **)&fx_current);
	else if (fx_current)
		rmdir(fx_current->pin_dir);
	return 0;
}

/* A UDP packet MAC_A -> MAC_B, 10.0.0.1:1111 -> 10.0.1.2:2222, with @pad
 * payload bytes that count up so truncation is visible. */
static void udp4(struct pkt *p, size_t pad)
{
	pkt_init(p);
	pkt_eth_addr(p, MAC_A, MAC_B, ETH_P_IP);
	pkt_ipv4(p, 0x0a000001, 0x0a000102, IPPROTO_UDP);
	pkt_udp(p, 1111, 2222);
	for (size_t i = 0; i < pad; i++) {
		uint8_t b = (uint8_t)i;

		pkt_bytes(p, &b, 1);
	}
	pkt_finish(p);
}

static void tcp6(struct pkt *p)
{
	pkt_init(p);
	pkt_eth_addr(p, MAC_C, MAC_B, ETH_P_IPV6);
	pkt_ipv6(p, "2001:db8::1", "2001:db8:1::2", IPPROTO_TCP);
	pkt_tcp(p, 40000, 443, PKT_SYN);
	pkt_finish(p);
}

static struct nfp_trace_filter mac_filter(const uint8_t mac[6], int slot, int dir)
{
	struct nfp_trace_filter f = { .session_bit = 1ull << slot, .dir = (uint8_t)dir,
				      .fields = NFP_TF_MAC, .snaplen = NFP_TRACE_SNAPLEN_MAX };

	memcpy(f.mac, mac, 6);
	return f;
}

static void publish(struct fixture *fx, const struct nfp_trace_filter *f, unsigned int n)
{
	assert_int_equal(nfp_trace_tapmaps_publish(&fx->maps, f, n), 0);
}

static int run_xdp(struct fixture *fx, const struct pkt *p)
{
	struct bpf_run_result r = bpf_run_xdp(bpf_program__fd(fx->xdp->progs.nfp_xdp_ingress),
					      p->buf, p->len, 1, NULL, 0);

	assert_int_equal(r.err, 0);
	assert_int_equal(r.retval, 2 /* XDP_PASS */);
	return drain(fx);
}

static int run_tc_out(struct fixture *fx, const struct pkt *p)
{
	struct bpf_run_result r = bpf_run_tc(bpf_program__fd(fx->tc->progs.nfp_tc_egress),
					     p->buf, p->len, 1);

	assert_int_equal(r.err, 0);
	return drain(fx);
}

static void idle_taps_write_nothing(void **state)
{
	struct fixture *fx = *state;
	struct nfp_trace_stats st;
	struct pkt p;

	publish(fx, NULL, 0);
	udp4(&p, 20);
	assert_int_equal(run_xdp(fx, &p), 0);
	assert_int_equal(run_tc_out(fx, &p), 0);
	assert_int_equal(nfp_trace_tapmaps_stats(&fx->maps, &st), 0);
	assert_int_equal(st.records, 0);
}

static void record_carries_header_and_bytes(void **state)
{
	struct fixture *fx = *state;
	struct nfp_trace_filter f = mac_filter(MAC_A, 5, NFP_TRACE_DIR_BOTH);
	struct pkt p;

	publish(fx, &f, 1);
	udp4(&p, 100);
	assert_int_equal(run_xdp(fx, &p), 1);
	assert_int_equal(fx->recs[0].sessions, 1ull << 5);
	assert_int_equal(fx->recs[0].dir, NFP_TRACE_DIR_IN);
	assert_int_equal(fx->recs[0].ifindex, LO_IFINDEX);
	assert_int_equal(fx->recs[0].orig_len, p.len);
	assert_int_equal(fx->recs[0].cap_len, p.len);
	assert_int_equal(fx->recs[0].kind, NFP_TRACE_KIND_PACKET);
	assert_true(fx->recs[0].time_ns > 0);
	assert_memory_equal(fx->data[0], p.buf, p.len);
}

static void direction_is_honoured(void **state)
{
	struct fixture *fx = *state;
	struct nfp_trace_filter in = mac_filter(MAC_A, 0, NFP_TRACE_DIR_IN);
	struct nfp_trace_filter out = mac_filter(MAC_A, 1, NFP_TRACE_DIR_OUT);
	struct pkt p;

	udp4(&p, 10);
	publish(fx, &in, 1);
	assert_int_equal(run_xdp(fx, &p), 1);
	assert_int_equal(run_tc_out(fx, &p), 0);
	publish(fx, &out, 1);
	assert_int_equal(run_xdp(fx, &p), 0);
	assert_int_equal(run_tc_out(fx, &p), 1);
	assert_int_equal(fx->recs[0].dir, NFP_TRACE_DIR_OUT);
	assert_int_equal(fx->recs[0].sessions, 1ull << 1);
	assert_memory_equal(fx->data[0], p.buf, p.len);
}

/* One row per filter field: a filter that names the packet, and one that
 * differs from it only in that field. */
static void each_filter_field_selects(void **state)
{
	struct fixture *fx = *state;
	struct {
		const char *what;
		struct nfp_trace_filter f;
		int v6;     /* run on the IPv6/TCP packet instead of IPv4/UDP */
		int match;
	} rows[] = {
		{ "mac src", { .fields = NFP_TF_MAC, .mac = { 0x02, 0xaa, 0, 0, 0, 0x01 } }, 0, 1 },
		{ "mac dst", { .fields = NFP_TF_MAC, .mac = { 0x02, 0xbb, 0, 0, 0, 0x02 } }, 0, 1 },
		{ "mac other", { .fields = NFP_TF_MAC, .mac = { 0x02, 0xcc, 0, 0, 0, 0x03 } }, 0, 0 },
		{ "ip4 src /32", { .fields = NFP_TF_IP, .family = 4,
				   .addr = { htonl(0x0a000001) }, .mask = { 0xffffffff } }, 0, 1 },
		{ "ip4 dst /24", { .fields = NFP_TF_IP, .family = 4,
				   .addr = { htonl(0x0a000100) }, .mask = { htonl(0xffffff00) } }, 0, 1 },
		{ "ip4 other /24", { .fields = NFP_TF_IP, .family = 4,
				     .addr = { htonl(0x0a000200) }, .mask = { htonl(0xffffff00) } }, 0, 0 },
		{ "ip4 on v6 packet", { .fields = NFP_TF_IP, .family = 4,
					.addr = { 0 }, .mask = { 0 } }, 1, 0 },
		{ "ip6 /48 dst", { .fields = NFP_TF_IP, .family = 6,
				   .addr = { htonl(0x20010db8), htonl(0x00010000) },
				   .mask = { 0xffffffff, htonl(0xffff0000) } }, 1, 1 },
		{ "ip6 /48 other", { .fields = NFP_TF_IP, .family = 6,
				     .addr = { htonl(0x20010db8), htonl(0x00020000) },
				     .mask = { 0xffffffff, htonl(0xffff0000) } }, 1, 0 },
		{ "proto udp", { .fields = NFP_TF_PROTO, .proto = IPPROTO_UDP }, 0, 1 },
		{ "proto tcp on udp", { .fields = NFP_TF_PROTO, .proto = IPPROTO_TCP }, 0, 0 },
		{ "proto tcp v6", { .fields = NFP_TF_PROTO, .proto = IPPROTO_TCP }, 1, 1 },
		{ "port src", { .fields = NFP_TF_PORT, .port = 1111 }, 0, 1 },
		{ "port dst", { .fields = NFP_TF_PORT, .port = 443 }, 1, 1 },
		{ "port other", { .fields = NFP_TF_PORT, .port = 53 }, 0, 0 },
		{ "ifindex lo", { .fields = NFP_TF_IFINDEX, .ifindex = LO_IFINDEX }, 0, 1 },
		{ "ifindex other", { .fields = NFP_TF_IFINDEX, .ifindex = 9999 }, 0, 0 },
		{ "all ANDed", { .fields = NFP_TF_MAC | NFP_TF_PROTO | NFP_TF_PORT,
				 .mac = { 0x02, 0xaa, 0, 0, 0, 0x01 }, .proto = IPPROTO_UDP,
				 .port = 2222 }, 0, 1 },
		{ "all ANDed, one off", { .fields = NFP_TF_MAC | NFP_TF_PROTO | NFP_TF_PORT,
					  .mac = { 0x02, 0xaa, 0, 0, 0, 0x01 }, .proto = IPPROTO_UDP,
					  .port = 2223 }, 0, 0 },
	};
	struct pkt p4, p6;

	udp4(&p4, 10);
	tcp6(&p6);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct nfp_trace_filter f = rows[i].f;
		int got;

		f.session_bit = 1;
		f.dir = NFP_TRACE_DIR_IN;
		f.snaplen = 64;
		publish(fx, &f, 1);
		got = run_xdp(fx, rows[i].v6 ? &p6 : &p4);
		if (got != rows[i].match)
			fail_msg("filter '%s': %d records, want %d", rows[i].what, got, rows[i].match);
	}
}

static void sessions_mask_and_largest_snaplen(void **state)
{
	struct fixture *fx = *state;
	struct nfp_trace_filter f[3] = {
		mac_filter(MAC_A, 3, NFP_TRACE_DIR_IN),
		mac_filter(MAC_B, 63, NFP_TRACE_DIR_BOTH),
		mac_filter(MAC_C, 7, NFP_TRACE_DIR_IN), /* does not match */
	};
	struct pkt p;

	f[0].snaplen = 40;
	f[1].snaplen = 100;
	f[2].snaplen = 1500;
	publish(fx, f, 3);
	udp4(&p, 300);
	assert_int_equal(run_xdp(fx, &p), 1);
	assert_int_equal(fx->recs[0].sessions, (1ull << 3) | (1ull << 63));
	assert_int_equal(fx->recs[0].cap_len, 100);
	assert_int_equal(fx->recs[0].orig_len, p.len);
	assert_memory_equal(fx->data[0], p.buf, 100);
}

/* Short captures are copied with direct loads (whole words, then the last
 * word again), long ones or those under 8 bytes with the load-bytes
 * helper: every length on either side of those edges, cut by the snaplen
 * or by the frame's end, in both directions, keeps exactly its bytes. */
static void every_capture_length_keeps_its_bytes(void **state)
{
	static const uint16_t lens[] = { 1, 7, 8, 9, 15, 63, 64, 65, 100, 128, 129,
					 255, 256, 257, 1000 };
	struct fixture *fx = *state;
	struct nfp_trace_filter f = mac_filter(MAC_A, 0, NFP_TRACE_DIR_BOTH);
	struct pkt big, exact;

	udp4(&big, 1200);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		f.snaplen = lens[i];
		publish(fx, &f, 1);
		assert_int_equal(run_xdp(fx, &big), 1);
		assert_int_equal(fx->recs[0].cap_len, lens[i]);
		assert_memory_equal(fx->data[0], big.buf, lens[i]);
		assert_int_equal(run_tc_out(fx, &big), 1);
		assert_int_equal(fx->recs[0].cap_len, lens[i]);
		assert_memory_equal(fx->data[0], big.buf, lens[i]);
		/* a frame of this very length (from 42 bytes, the headers) */
		if (lens[i] < 42)
			continue;
		udp4(&exact, lens[i] - 42);
		f.snaplen = NFP_TRACE_SNAPLEN_MAX;
		publish(fx, &f, 1);
		assert_int_equal(run_xdp(fx, &exact), 1);
		assert_int_equal(fx->recs[0].cap_len, exact.len);
		assert_memory_equal(fx->data[0], exact.buf, exact.len);
		assert_int_equal(run_tc_out(fx, &exact), 1);
		assert_memory_equal(fx->data[0], exact.buf, exact.len);
	}
}

static void full_ring_is_counted(void **state)
{
	struct fixture *fx = *state;
	struct nfp_trace_filter f = mac_filter(MAC_A, 0, NFP_TRACE_DIR_IN);
	struct nfp_trace_stats before, after;
	struct bpf_run_result r;
	struct pkt p;

	publish(fx, &f, 1);
	udp4(&p, 200);
	assert_int_equal(nfp_trace_tapmaps_stats(&fx->maps, &before), 0);
	/* ~260-byte records: 2000 of them are eight times the ring */
	r = bpf_run_xdp(bpf_program__fd(fx->xdp->progs.nfp_xdp_ingress), p.buf, p.len, 2000,
			NULL, 0);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.retval, 2 /* XDP_PASS: a full ring never drops traffic */);
	assert_int_equal(nfp_trace_tapmaps_stats(&fx->maps, &after), 0);
	assert_true(after.ring_full - before.ring_full > 1000);
	assert_int_equal((after.records - before.records) + (after.ring_full - before.ring_full),
			 2000);
	/* once drained, records flow again */
	drain(fx);
	assert_int_equal(run_xdp(fx, &p), 1);
}

static void wakeups_are_batched(void **state)
{
	struct fixture *fx = *state;
	struct nfp_trace_filter f = mac_filter(MAC_A, 0, NFP_TRACE_DIR_IN);
	struct nfp_trace_stats before, after;
	struct bpf_run_result r;
	struct pkt p;

	/* 16 records of the 64-byte class */
	fx->maps.wakeup_bytes = 16 * (sizeof(struct nfp_trace_rec) + 64);
	publish(fx, &f, 1);
	udp4(&p, 10);
	drain(fx);
	assert_int_equal(nfp_trace_tapmaps_stats(&fx->maps, &before), 0);
	r = bpf_run_xdp(bpf_program__fd(fx->xdp->progs.nfp_xdp_ingress), p.buf, p.len, 160,
			NULL, 0);
	assert_int_equal(r.err, 0);
	assert_int_equal(nfp_trace_tapmaps_stats(&fx->maps, &after), 0);
	/* the counter is per CPU and carries over: 9 to 10 forced wakeups */
	assert_in_range(after.wakeups - before.wakeups, 9, 10);
	assert_int_equal(drain(fx), 160);
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* the verifier's log, when a program does not load */
	if (level == LIBBPF_DEBUG && !getenv("NFP_TEST_VERBOSE"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(void)
{
	libbpf_set_print(print_libbpf);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(idle_taps_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(record_carries_header_and_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(direction_is_honoured, setup, teardown),
		cmocka_unit_test_setup_teardown(each_filter_field_selects, setup, teardown),
		cmocka_unit_test_setup_teardown(sessions_mask_and_largest_snaplen, setup, teardown),
		cmocka_unit_test_setup_teardown(every_capture_length_keeps_its_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(full_ring_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(wakeups_are_batched, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
