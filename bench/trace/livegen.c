/* livegen.c - a packet generator for bench/trace: runs nfplane's attached
 * XDP program (by id) on UDP frames through BPF_PROG_TEST_RUN in live-frames
 * mode (BPF_F_TEST_XDP_LIVE_FRAMES) as if they arrived on IFINDEX. The
 * program taps them like real traffic and passes them to the stack, where
 * tcpdump on the same interface sees them too; their destination MAC is not
 * the host's, so the stack drops them at once.
 *
 *   livegen PROG_ID IFINDEX RATE_PPS COUNT   (RATE_PPS 0: as fast as possible)
 * Sends exactly COUNT frames; prints "sent N" and the achieved rate.
 */
#include "../../tests/lib/pkt.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const uint8_t src[6] = { 0x02, 0x42, 0, 0, 0, 1 };
	static const uint8_t dst[6] = { 0x02, 0x42, 0, 0, 0, 0x99 };
	struct xdp_md ctx = { 0 };
	unsigned long long sent = 0;
	unsigned long long count;
	double rate, t0, now;
	struct pkt p;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: livegen PROG_ID IFINDEX RATE_PPS COUNT\n");
		return 2;
	}
	fd = bpf_prog_get_fd_by_id((uint32_t)atoi(argv[1]));
	if (fd < 0) {
		fprintf(stderr, "livegen: program %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	ctx.ingress_ifindex = (uint32_t)atoi(argv[2]);
	rate = atof(argv[3]);
	count = strtoull(argv[4], NULL, 10);
	pkt_init(&p);
	pkt_eth_addr(&p, src, dst, ETH_P_IP);
	pkt_ipv4(&p, 0x0a630001, 0x0a630002, IPPROTO_UDP);
	pkt_udp(&p, 4000, 4001);
	pkt_zeros(&p, 128 - p.len);
	pkt_finish(&p);
	ctx.data_end = (uint32_t)p.len;

	t0 = now_s();
	while (sent < count) {
		unsigned long long due = rate > 0 ? (unsigned long long)(rate * ((now = now_s()) - t0)) + 1
						  : sent + 4096;
		uint32_t n;

		if (due > count)
			due = count;
		n = due > sent ? (uint32_t)(due - sent > 4096 ? 4096 : due - sent) : 0;
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = p.buf, .data_size_in = (uint32_t)p.len,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = n, .batch_size = 64);

		if (!n) {
			struct timespec ts = { 0, 50000 };

			nanosleep(&ts, NULL);
			continue;
		}
		if (bpf_prog_test_run_opts(fd, &opts)) {
			fprintf(stderr, "livegen: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
			return 1;
		}
		sent += n;
	}
	printf("sent %llu %.0f\n", sent, sent / (now_s() - t0));
	return 0;
}
