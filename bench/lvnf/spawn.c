/* spawn.c - lvnf.spawn.*: milliseconds from a spawn request to the first
 * frame an LVNF forwards, on each runtime, and a bare `click` of the same
 * script started by hand for comparison (bench/lvnf/run.sh).
 *
 * The LVNF is "in_0 -> out_1; in_1 -> out_0" with 2 ports. A frame of a
 * local ethertype (0x88b5) is sent into port 0 every 100 us from the moment
 * the port exists, until one comes out of port 1; the clock stops there.
 * Everything runs in a network namespace of its own.
 *
 *   spawn [-r RUNS] -c CLICK */
#include "image/image.h"
#include "runtime/click_proc.h"
#include "runtime/ebpf_runtime.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ETHERTYPE 0x88b5
#define VNF "in_0 -> out_1; in_1 -> out_0"

extern char **environ;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int packet_socket(const char *ifname)
{
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_protocol = htons(ETHERTYPE) };
	int fd;

	sa.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sa.sll_ifindex)
		return -1;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETHERTYPE));
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* From now until a frame sent into in_if comes out of out_if (which
 * may not exist yet either): -1 after timeout_ms. */
static int first_frame(const char *in_if, const char *out_if, double t0, int timeout_ms)
{
	unsigned char frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
				    ETHERTYPE >> 8, ETHERTYPE & 0xff, 'n', 'f', 'p' };
	int tx = -1, rx = -1, got = 0;

	while (!got && now_ms() - t0 < timeout_ms) {
		struct pollfd p;

		if (tx < 0)
			tx = packet_socket(in_if);
		if (rx < 0)
			rx = packet_socket(out_if);
		if (tx >= 0 && rx >= 0 && send(tx, frame, sizeof(frame), 0) < 0 && errno != ENETDOWN &&
		    errno != ENXIO)
			break;
		p = (struct pollfd){ rx, POLLIN, 0 };
		if (rx >= 0 && poll(&p, 1, 0) >= 0) {
			struct timespec ts = { 0, 100000 };

			/* wait up to 100 us for it, then send again */
			if (!(p.revents & POLLIN)) {
				struct pollfd q = { rx, POLLIN, 0 };

				nanosleep(&ts, NULL);
				if (poll(&q, 1, 0) > 0)
					p.revents = q.revents;
			}
			if (p.revents & POLLIN) {
				unsigned char buf[2048];
				ssize_t n = recv(rx, buf, sizeof(buf), 0);

				got = n >= 17 && !memcmp(buf + 14, "nfp", 3);
			}
		} else {
			struct timespec ts = { 0, 100000 };

			nanosleep(&ts, NULL);
		}
	}
	if (tx >= 0)
		close(tx);
	if (rx >= 0)
		close(rx);
	return got ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

int main(int argc, char **argv)
{
	int runs = 11, opt;
	const char *click = NULL;
	char dir[] = "/tmp/nfp-bench-lvnf.XXXXXX", script[96], sock[96], log[96], bare[96];
	double ebpf[64], ecall[64], cl[64], cb[64];
	struct lvnf_image img;
	struct lvnf_image_error err;
	struct lvnf_ebpf rt;

	while ((opt = getopt(argc, argv, "r:c:")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'c')
			click = optarg;
	}
	if (runs < 10 || runs > 64 || !click) {
		fprintf(stderr, "usage: spawn [-r RUNS (10 to 64)] -c CLICK\n");
		return 2;
	}
	if (unshare(CLONE_NEWNET) || !mkdtemp(dir)) {
		perror("spawn: namespace or directory");
		return 1;
	}
	snprintf(script, sizeof(script), "%s/lvnf.click", dir);
	snprintf(sock, sizeof(sock), "%s/lvnf.sock", dir);
	snprintf(log, sizeof(log), "%s/lvnf.log", dir);
	snprintf(bare, sizeof(bare), "%s/bare.click", dir);
	if (lvnf_image_init(&img, VNF, 2, NULL, 0, NULL, 0, &err) || lvnf_ebpf_open(&rt, NULL, &err)) {
		fprintf(stderr, "spawn: %s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < runs; i++) {
		uint32_t no = 0x100 + (uint32_t)i;
		char p0[IFNAMSIZ], p1[IFNAMSIZ], *text, *cs;
		struct click_proc p;
		struct click_proc_error perr;
		double t0;
		pid_t pid;

		/* eBPF: the request is the call; the LVNF forwards when a frame is through */
		lvnf_port_ifname(no, 0, p0);
		lvnf_port_ifname(no, 1, p1);
		t0 = now_ms();
		if (lvnf_ebpf_spawn(&rt, no, &img, &err) || (ecall[i] = now_ms() - t0, 0) ||
		    first_frame(p0, p1, t0, 2000)) {
			fprintf(stderr, "spawn: eBPF run %d: %s\n", i, err.msg[0] ? err.msg : "no frame");
			return 1;
		}
		ebpf[i] = now_ms() - t0;
		lvnf_ebpf_destroy(&rt, no, 2);

		/* Click through click_proc: the script written, Click started, ready */
		no += 0x1000;
		lvnf_port_ifname(no, 0, p0);
		lvnf_port_ifname(no, 1, p1);
		t0 = now_ms();
		text = lvnf_image_click_script(&img, no, sock);
		if (!text || write_file(script, text) ||
		    click_proc_start(&p, click, script, sock, log, 5000, &perr) ||
		    first_frame(p0, p1, t0, 5000)) {
			fprintf(stderr, "spawn: Click run %d: %s\n", i, perr.msg);
			return 1;
		}
		cl[i] = now_ms() - t0;
		click_proc_stop(&p, 1000);

		/* a bare click of the same script, by hand: no ControlSocket, no wait
		 * for it; the clock stops at the first frame through */
		cs = strstr(text, "lvnf_control ::");
		if (cs)
			*cs = '\0';
		write_file(bare, text);
		free(text);
		t0 = now_ms();
		{
			char *const av[] = { (char *)click, "-f", bare, NULL };
			posix_spawn_file_actions_t fa;

			posix_spawn_file_actions_init(&fa);
			posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
			if (posix_spawn(&pid, click, &fa, NULL, av, environ) || first_frame(p0, p1, t0, 5000)) {
				fprintf(stderr, "spawn: bare Click run %d: no frame\n", i);
				return 1;
			}
			posix_spawn_file_actions_destroy(&fa);
		}
		cb[i] = now_ms() - t0;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	{
		double me = median(ebpf, runs), mc = median(cl, runs), mb = median(cb, runs);
		double mcall = median(ecall, runs);

		printf("lvnf.spawn.ebpf %.2f ms (median of %d; spawn call to the first frame through; target <= 5)\n",
		       me, runs);
		printf("lvnf.spawn.ebpf.call %.2f ms (median of %d; the spawn call alone: ports made, records written, TC attached)\n",
		       mcall, runs);
		printf("lvnf.spawn.click %.2f ms (median of %d; script written, Click started, ControlSocket ready, first frame)\n",
		       mc, runs);
		printf("lvnf.spawn.click.bare %.2f ms (median of %d; the same script by hand, first frame)\n", mb,
		       runs);
		printf("lvnf.spawn.click.ratio %.2f (click / bare; target <= 1.2)\n", mc / mb);
	}
	unlink(script);
	unlink(sock);
	unlink(log);
	unlink(bare);
	rmdir(dir);
	lvnf_ebpf_close(&rt);
	lvnf_image_fini(&img);
	return 0;
}
