/* livegen.c - a packet generator for bench/trace: runs nfplane's attached
 * XDP program (by id) on UDP frames through BPF_PROG_TEST_RUN in live-frames
 * mode (BPF_F_TEST_XDP_LIVE_FRAMES) as if they arrived on IFINDEX. The
 * program taps them like real traffic and passes them to the stack, where
 * tcpdump on the same interface sees them too; their destination MAC is not
 * the host's, so the stack drops them at once.
 *
 *   livegen PROG_ID IFINDEX RATE_PPS COUNT   (RATE_PPS 0: as fast as possible)
 * Sends exactly COUNT frames; prints "sent N", the achieved rate and the CPU
 * time this process used (ns; the program and the stack run in its system
 * time, and so does an AF_PACKET socket's copy of each frame).
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
#include <sys/resource.h>
#include <time.h>

#define BURST 1024 /* frames per test run */

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
	struct rusage ru;
	unsigned long long sent = 0;
	unsigned long long count;
	double rate, t0;
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

	/* Fixed bursts, so that the generator's own work per frame (a test
	 * run's setup is a page pool per call) is the same in every mode: with
	 * bursts sized by how late it runs, a costlier tap would buy itself
	 * cheaper bursts and hide. At a rate, each burst waits until it is due. */
	t0 = now_s();
	while (sent < count) {
		uint32_t n = (uint32_t)(count - sent < BURST ? count - sent : BURST);
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = p.buf, .data_size_in = (uint32_t)p.len,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = n, .batch_size = 64);

		if (rate > 0) {
			double due = t0 + (double)(sent + n) / rate, now = now_s();

			if (due > now) {
				struct timespec ts = { (time_t)(due - now),
						       (long)((due - now - (time_t)(due - now)) * 1e9) };

				nanosleep(&ts, NULL);
			}
		}
		if (bpf_prog_test_run_opts(fd, &opts)) {
			fprintf(stderr, "livegen: BPF_PROG_TEST_RUN: %s\n", strerror(errno));
			return 1;
		}
		sent += n;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("sent %llu %.0f %llu\n", sent, sent / (now_s() - t0),
	       (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
		       (unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull);
	return 0;
}
