/* ofbench.c - a cbench-style OpenFlow 1.0 controller benchmark: options,
 * connections, the epoll loop, timed runs and the report.
 *
 * N emulated switches (fakesw.c) connect to the controller; once every one
 * has finished its handshake, each run lasts --ms milliseconds and reports
 * the responses per second the controller produced. Throughput mode keeps
 * every switch's send buffer full; latency mode keeps exactly one packet-in
 * outstanding per switch. The median over the measured runs (warm-up runs
 * excluded) is the result.
 *
 * Counting follows cbench: every FLOW_MOD (ADD or MODIFY_STRICT) and every
 * non-LLDP PACKET_OUT is one response, so a controller answering a packet-in
 * with a flow-mod and a packet-out scores two. Both kinds are reported
 * separately so like can be compared with like.
 */
#include "fakesw.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TICK_NS 10000000ull   /* timers (re-announce, lost packet-ins) every 10 ms */
#define MAX_EVENTS 64
#define CLOSE_WAIT_NS 500000000ull /* how long to wait for the controller to close */
#define CONNECT_WINDOW 4      /* connections waiting for the controller's HELLO */

struct options {
	const char *host;
	const char *port;
	unsigned int switches;
	unsigned int ms;
	unsigned int loops;
	unsigned int warmup;
	unsigned int handshake_ms;
	struct fs_config fs;
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ofbench [OPTIONS]\n"
		"A cbench-style OpenFlow 1.0 controller benchmark: emulated switches send\n"
		"packet-ins with fresh source MACs and count the controller's FLOW_MOD and\n"
		"PACKET_OUT replies (a flow-mod and a packet-out for one packet-in count as two).\n\n"
		"  -c, --controller HOST    controller address (default 127.0.0.1)\n"
		"  -p, --port PORT          controller TCP port (default 6653)\n"
		"  -s, --switches N         emulated switches (default 16)\n"
		"  -m, --ms MS              duration of each run in ms (default 1000)\n"
		"  -l, --loops N            measured runs (default 10)\n"
		"  -w, --warmup N           warm-up runs first, not in the median (default 1)\n"
		"  -t, --throughput         throughput mode: keep every send buffer full\n"
		"      --mode MODE          latency (default: one packet-in outstanding per\n"
		"                           switch) or throughput\n"
		"  -M, --macs N             unique source MACs per switch (default 100000)\n"
		"  -H, --hosts N            destination hosts per switch, announced with\n"
		"                           gratuitous ARP before measuring (default 4, max 255)\n"
		"      --no-learn           do not announce hosts (destinations stay unknown)\n"
		"      --unbuffered         packet-ins carry no buffer id, so the controller\n"
		"                           must return the packet in a PACKET_OUT\n"
		"      --ports N            ports per switch in the features reply (default 4)\n"
		"      --window BYTES       throughput mode: bytes kept queued per switch\n"
		"                           (default 65536)\n"
		"      --handshake-timeout MS  give up if the switches are not all ready by\n"
		"                           then (default 5000)\n"
		"  -h, --help               this help\n");
}

static int parse_uint(const char *name, const char *s, unsigned long min, unsigned long max,
		      unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || *s == '-' || v < min || v > max) {
		fprintf(stderr, "ofbench: %s is '%s'; expected a whole number from %lu to %lu\n",
			name, s, min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_MODE = 256, OPT_NO_LEARN, OPT_UNBUFFERED, OPT_PORTS, OPT_WINDOW, OPT_HS };
	static const struct option longopts[] = {
		{ "controller", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'p' },
		{ "switches", required_argument, NULL, 's' },
		{ "ms", required_argument, NULL, 'm' },
		{ "loops", required_argument, NULL, 'l' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "throughput", no_argument, NULL, 't' },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "macs", required_argument, NULL, 'M' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "no-learn", no_argument, NULL, OPT_NO_LEARN },
		{ "unbuffered", no_argument, NULL, OPT_UNBUFFERED },
		{ "ports", required_argument, NULL, OPT_PORTS },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "handshake-timeout", required_argument, NULL, OPT_HS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int window = 65536, hosts = 4, port;
	int c;

	*o = (struct options){
		.host = "127.0.0.1", .port = "6653", .switches = 16, .ms = 1000, .loops = 10,
		.warmup = 1, .handshake_ms = 5000,
		.fs = { .n_ports = 4, .macs = 100000, .learn = true, .buffered = true,
			.lost_after_ns = 100000000ull },
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:p:s:m:l:w:tM:H:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->host = optarg;
			break;
		case 'p':
			if (parse_uint("--port", optarg, 1, 65535, &port) < 0)
				return -1;
			o->port = optarg;
			break;
		case 's':
			if (parse_uint("--switches", optarg, 1, 65535, &o->switches) < 0)
				return -1;
			break;
		case 'm':
			if (parse_uint("--ms", optarg, 10, 3600000, &o->ms) < 0)
				return -1;
			break;
		case 'l':
			if (parse_uint("--loops", optarg, 1, 100000, &o->loops) < 0)
				return -1;
			break;
		case 'w':
			if (parse_uint("--warmup", optarg, 0, 100000, &o->warmup) < 0)
				return -1;
			break;
		case 't':
			o->fs.throughput = true;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "throughput") == 0)
				o->fs.throughput = true;
			else if (strcmp(optarg, "latency") == 0)
				o->fs.throughput = false;
			else {
				fprintf(stderr, "ofbench: --mode is '%s'; expected latency or "
						"throughput\n", optarg);
				return -1;
			}
			break;
		case 'M':
			if (parse_uint("--macs", optarg, 1, 1u << 24, &o->fs.macs) < 0)
				return -1;
			break;
		case 'H':
			if (parse_uint("--hosts", optarg, 1, 255, &hosts) < 0)
				return -1;
			break;
		case OPT_NO_LEARN:
			o->fs.learn = false;
			break;
		case OPT_UNBUFFERED:
			o->fs.buffered = false;
			break;
		case OPT_PORTS:
			if (parse_uint("--ports", optarg, 2, 1000, &o->fs.n_ports) < 0)
				return -1;
			break;
		case OPT_WINDOW:
			if (parse_uint("--window", optarg, 128, 64u << 20, &window) < 0)
				return -1;
			break;
		case OPT_HS:
			if (parse_uint("--handshake-timeout", optarg, 1, 3600000,
				       &o->handshake_ms) < 0)
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			fprintf(stderr, "ofbench: %s needs a value\n", argv[optind - 1]);
			return -1;
		default:
			fprintf(stderr, "ofbench: unknown option '%s' (try --help)\n",
				argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ofbench: unexpected argument '%s' (try --help)\n", argv[optind]);
		return -1;
	}
	o->fs.hosts = hosts;
	o->fs.window = window;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- connections and the event loop ---- */

struct bench {
	struct options o;
	struct fakesw *sw;
	int epfd;
	struct addrinfo *ai;      /* the controller's address */
	bool *epollout;           /* per switch: is EPOLLOUT in its interest set */
	unsigned int n_started;   /* switches whose connect has begun */
	uint64_t next_tick;
};

static void die_switch(struct fakesw *fs)
{
	fprintf(stderr, "ofbench: switch %u (dpid %" PRIu64 "): %s\n", fs->idx + 1, fs->dpid,
		fs->err);
	exit(1);
}

static int resolve(struct bench *b)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	int rc = getaddrinfo(b->o.host, b->o.port, &hints, &b->ai);

	if (rc) {
		fprintf(stderr, "ofbench: controller address '%s': %s\n", b->o.host,
			gai_strerror(rc));
		return -1;
	}
	return 0;
}

static void connect_switch(struct bench *b, struct fakesw *fs)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = fs };
	int one = 1;

	fs->fd = socket(b->ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fs->fd < 0) {
		perror("ofbench: socket");
		exit(1);
	}
	/* latency mode sends one small message at a time: no Nagle delay */
	setsockopt(fs->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fs->fd, b->ai->ai_addr, b->ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
		fprintf(stderr, "ofbench: connect to %s port %s: %s\n", b->o.host, b->o.port,
			strerror(errno));
		exit(1);
	}
	if (epoll_ctl(b->epfd, EPOLL_CTL_ADD, fs->fd, &ev) < 0) {
		perror("ofbench: epoll_ctl");
		exit(1);
	}
	b->epollout[fs->idx] = true;
}

/* Connect switches a few at a time: the next one starts once an earlier one
 * has heard the controller's HELLO, i.e. the controller has accepted it. A
 * burst of connects overflows a short listen backlog (ovs-testcontroller's is
 * 10) and a dropped SYN costs a one-second retransmission. */
static void connect_more(struct bench *b)
{
	unsigned int pending = 0;

	for (unsigned int i = 0; i < b->n_started; i++)
		pending += !b->sw[i].got_hello;
	while (pending < CONNECT_WINDOW && b->n_started < b->o.switches) {
		connect_switch(b, &b->sw[b->n_started++]);
		pending++;
	}
}

/* Ask for writability only while something is queued, so an idle switch
 * does not wake the loop. */
static void want_writable(struct bench *b, struct fakesw *fs, bool want)
{
	struct epoll_event ev = { .events = EPOLLIN | (want ? EPOLLOUT : 0), .data.ptr = fs };

	if (b->epollout[fs->idx] == want)
		return;
	b->epollout[fs->idx] = want;
	epoll_ctl(b->epfd, EPOLL_CTL_MOD, fs->fd, &ev);
}

static void pump(struct bench *b, struct fakesw *fs, uint64_t now)
{
	int rc = fs_pump(fs, now);

	if (rc < 0)
		die_switch(fs);
	want_writable(b, fs, rc > 0);
}

static void on_event(struct bench *b, struct fakesw *fs, uint32_t events, uint64_t now)
{
	if (fs->state == FS_CONNECTING) {
		int err = 0;
		socklen_t len = sizeof(err);

		getsockopt(fs->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err) {
			fprintf(stderr, "ofbench: switch %u: connect to %s port %s: %s\n",
				fs->idx + 1, b->o.host, b->o.port, strerror(err));
			exit(1);
		}
		if (!(events & (EPOLLOUT | EPOLLIN)))
			return;
		fs_connected(fs);
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		if (fs_read(fs, now) < 0)
			die_switch(fs);
	pump(b, fs, now);
}

/* Run the loop until `until` (monotonic ns) or, with until 0, until every
 * switch is ready; returns the time it stopped. */
static uint64_t run_loop(struct bench *b, uint64_t until, uint64_t deadline)
{
	struct epoll_event ev[MAX_EVENTS];
	uint64_t now = now_ns();

	for (;;) {
		if (until && now >= until)
			return now;
		if (!until) {
			unsigned int ready = 0;
			connect_more(b);
			for (unsigned int i = 0; i < b->o.switches; i++)
				ready += b->sw[i].state == FS_READY;
			if (ready == b->o.switches || now >= deadline)
				return now;
		}
		uint64_t wake = b->next_tick;
		if (until && until < wake)
			wake = until;
		int timeout = wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
		int n = epoll_wait(b->epfd, ev, MAX_EVENTS, timeout);
		if (n < 0 && errno != EINTR) {
			perror("ofbench: epoll_wait");
			exit(1);
		}
		now = now_ns();
		for (int i = 0; i < n; i++)
			on_event(b, ev[i].data.ptr, ev[i].events, now);
		if (now >= b->next_tick) {
			b->next_tick = now + TICK_NS;
			for (unsigned int i = 0; i < b->o.switches; i++) {
				struct fakesw *fs = &b->sw[i];
				if (fs->state == FS_CONNECTING)
					continue;
				fs_tick(fs, now);
				pump(b, fs, now);
			}
		}
	}
}

/* Say goodbye properly: half-close every connection and read until the
 * controller closes its side (bounded), so it sees an orderly end rather
 * than a reset, and a capture of the session ends cleanly. */
static void close_all(struct bench *b)
{
	uint64_t deadline = now_ns() + CLOSE_WAIT_NS;
	unsigned int open = 0;
	static char scratch[1 << 16];
	struct epoll_event ev[MAX_EVENTS];

	for (unsigned int i = 0; i < b->n_started; i++) {
		struct fakesw *fs = &b->sw[i];
		fs->running = false;
		if (fs->fd >= 0 && shutdown(fs->fd, SHUT_WR) == 0) {
			want_writable(b, fs, false);
			open++;
		}
	}
	while (open > 0 && now_ns() < deadline) {
		int n = epoll_wait(b->epfd, ev, MAX_EVENTS, 10);
		for (int i = 0; i < n; i++) {
			struct fakesw *fs = ev[i].data.ptr;
			ssize_t r = read(fs->fd, scratch, sizeof(scratch));
			if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
				continue;
			epoll_ctl(b->epfd, EPOLL_CTL_DEL, fs->fd, NULL);
			close(fs->fd);
			fs->fd = -1;
			open--;
		}
	}
}

/* ---- reporting ---- */

static struct fs_counts sum_counts(const struct bench *b)
{
	struct fs_counts t = { 0 };

	for (unsigned int i = 0; i < b->o.switches; i++) {
		const struct fs_counts *c = &b->sw[i].c;
		t.flow_mods += c->flow_mods;
		t.packet_outs += c->packet_outs;
		t.packet_ins += c->packet_ins;
		t.answered += c->answered;
		t.lost += c->lost;
		t.rtt_ns += c->rtt_ns;
		t.errors_rx += c->errors_rx;
		t.bad_msgs += c->bad_msgs;
		t.other_flow_mods += c->other_flow_mods;
		t.pins_answered += c->pins_answered;
	}
	return t;
}

#define DIFF(f) (a->f - before->f)

static unsigned int hist_percentile(const struct rtt_hist *h, uint64_t total, double p)
{
	uint64_t want = (uint64_t)(p * (double)total), seen = 0;

	for (unsigned int i = 0; i < RTT_BUCKETS; i++) {
		seen += h->n[i];
		if (seen > want)
			return i;
	}
	return RTT_BUCKETS - 1;
}

/* One run's line; returns its resp/s, its packet-ins answered per second
 * in *@pin_rate. */
static double report_run(const struct bench *b, unsigned int run, const struct fs_counts *before,
			 const struct fs_counts *a, const uint64_t *per_switch_before,
			 uint64_t elapsed_ns, const struct rtt_hist *hist, double *pin_rate)
{
	double secs = (double)elapsed_ns / 1e9;
	uint64_t resp = DIFF(flow_mods) + DIFF(packet_outs);
	uint64_t min = UINT64_MAX, max = 0;
	unsigned int silent = 0;
	double rate = (double)resp / secs;

	for (unsigned int i = 0; i < b->o.switches; i++) {
		const struct fs_counts *c = &b->sw[i].c;
		uint64_t r = c->flow_mods + c->packet_outs - per_switch_before[i];
		if (r < min)
			min = r;
		if (r > max)
			max = r;
		silent += r == 0;
	}
	*pin_rate = (double)DIFF(pins_answered) / secs;
	printf("run %u%s: %.0f resp/s, %.0f packet-ins answered/s in %.1f ms (flow_mods %" PRIu64
	       ", packet_outs %" PRIu64 ", packet_ins %" PRIu64 ", answered %" PRIu64
	       "; per switch min %" PRIu64 " max %" PRIu64 "%s)",
	       run + 1, run < b->o.warmup ? " (warm-up)" : "", rate, *pin_rate, secs * 1e3,
	       DIFF(flow_mods), DIFF(packet_outs), DIFF(packet_ins), DIFF(pins_answered), min, max,
	       silent ? ", SOME SILENT" : "");
	if (!b->o.fs.throughput && DIFF(answered)) {
		printf(" rtt mean %.1f us p50 %u us p99 %u us, lost %" PRIu64,
		       (double)DIFF(rtt_ns) / (double)DIFF(answered) / 1e3,
		       hist_percentile(hist, DIFF(answered), 0.50),
		       hist_percentile(hist, DIFF(answered), 0.99), DIFF(lost));
	}
	printf("\n");
	fflush(stdout);
	return rate;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	struct rtt_hist *hist;
	uint64_t *per_switch, start, hs_start;
	double *rates, *pin_rates;
	unsigned int runs, ready = 0;

	if (parse_options(argc, argv, &b.o) < 0)
		return 2;
	runs = b.o.warmup + b.o.loops;
	b.sw = calloc(b.o.switches, sizeof(*b.sw));
	per_switch = calloc(b.o.switches, sizeof(*per_switch));
	rates = calloc(runs, sizeof(*rates));
	pin_rates = calloc(runs, sizeof(*pin_rates));
	hist = calloc(1, sizeof(*hist));
	b.epollout = calloc(b.o.switches, sizeof(*b.epollout));
	if (!b.sw || !per_switch || !rates || !pin_rates || !hist || !b.epollout) {
		fprintf(stderr, "ofbench: out of memory\n");
		return 1;
	}
	for (unsigned int i = 0; i < b.o.switches; i++) {
		if (fs_init(&b.sw[i], i, &b.o.fs) < 0) {
			fprintf(stderr, "ofbench: %s\n", b.sw[i].err);
			return 1;
		}
		b.sw[i].hist = hist;
	}
	b.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b.epfd < 0) {
		perror("ofbench: epoll_create1");
		return 1;
	}

	printf("ofbench: %u switches -> %s port %s, %s mode, %u runs of %u ms + %u warm-up, "
	       "%u source MACs and %u hosts per switch, packet-ins %s\n",
	       b.o.switches, b.o.host, b.o.port, b.o.fs.throughput ? "throughput" : "latency",
	       b.o.loops, b.o.ms, b.o.warmup, b.o.fs.macs, b.o.fs.hosts,
	       b.o.fs.buffered ? "buffered" : "unbuffered");
	printf("ofbench: counting as cbench does: each FLOW_MOD (ADD/MODIFY_STRICT) and each "
	       "non-LLDP PACKET_OUT is one response; a flow-mod plus a packet-out for the same "
	       "packet-in count as two\n");
	if (resolve(&b) < 0)
		return 1;

	hs_start = now_ns();
	b.next_tick = hs_start + TICK_NS;
	start = run_loop(&b, 0, hs_start + (uint64_t)b.o.handshake_ms * 1000000ull);
	for (unsigned int i = 0; i < b.o.switches; i++)
		ready += b.sw[i].state == FS_READY;
	printf("handshake: %u/%u switches ready in %.1f ms (hello, features%s)\n", ready,
	       b.o.switches, (double)(start - hs_start) / 1e6,
	       b.o.fs.learn ? ", hosts announced and answered" : "");
	if (ready < b.o.switches) {
		for (unsigned int i = 0; i < b.o.switches; i++)
			if (b.sw[i].state != FS_READY && i < b.n_started)
				fprintf(stderr, "ofbench: switch %u (dpid %" PRIu64 ") not ready after "
						"%u ms: still %s%s\n",
					i + 1, b.sw[i].dpid, b.o.handshake_ms,
					fs_state_name(b.sw[i].state),
					b.sw[i].got_hello ? "" : " (no HELLO from the controller)");
		if (b.n_started < b.o.switches)
			fprintf(stderr, "ofbench: %u switches not started: at most %u connect "
					"while the controller has not said HELLO\n",
				b.o.switches - b.n_started, CONNECT_WINDOW);
		return 1;
	}

	/* start every switch at once, then time the runs back to back */
	for (unsigned int i = 0; i < b.o.switches; i++) {
		b.sw[i].running = true;
		pump(&b, &b.sw[i], start);
	}
	struct fs_counts before = sum_counts(&b), measured = before;
	for (unsigned int r = 0; r < runs; r++) {
		if (r == b.o.warmup)
			measured = before;      /* the totals leave the warm-up out */
		for (unsigned int i = 0; i < b.o.switches; i++)
			per_switch[i] = b.sw[i].c.flow_mods + b.sw[i].c.packet_outs;
		memset(hist, 0, sizeof(*hist));
		uint64_t end = run_loop(&b, start + (uint64_t)b.o.ms * 1000000ull, 0);
		struct fs_counts after = sum_counts(&b);
		rates[r] = report_run(&b, r, &before, &after, per_switch, end - start, hist,
				      &pin_rates[r]);
		before = after;
		start = end;
	}
	struct fs_counts *a = &before, *m = &measured;
	double med = median(rates + b.o.warmup, b.o.loops);
	double med_pins = median(pin_rates + b.o.warmup, b.o.loops);
	uint64_t resp = a->flow_mods - m->flow_mods + a->packet_outs - m->packet_outs;
	uint64_t pins = a->packet_ins - m->packet_ins;
	printf("totals: flow_mods %" PRIu64 ", packet_outs %" PRIu64 ", packet_ins %" PRIu64
	       ", other flow_mods %" PRIu64 ", errors from controller %" PRIu64
	       ", malformed from controller %" PRIu64 " (measured runs; errors: whole session)\n",
	       a->flow_mods - m->flow_mods, a->packet_outs - m->packet_outs, pins,
	       a->other_flow_mods - m->other_flow_mods, a->errors_rx, a->bad_msgs);
	/* compare like with like: a controller sending a flow-mod and a
	 * packet-out per packet-in scores twice one that sends a flow-mod
	 * naming the buffer */
	printf("responses per packet-in %.2f (flow-mod %.2f, packet-out %.2f)\n",
	       pins ? (double)resp / (double)pins : 0.0,
	       pins ? (double)(a->flow_mods - m->flow_mods) / (double)pins : 0.0,
	       pins ? (double)(a->packet_outs - m->packet_outs) / (double)pins : 0.0);
	printf("packet-ins answered %" PRIu64 " of %" PRIu64 " sent (measured runs)\n",
	       a->pins_answered - m->pins_answered, pins);
	printf("median %.0f resp/s over %u runs (%s mode, %u switches; flow-mods and "
	       "packet-outs each count as one response)\n",
	       med, b.o.loops, b.o.fs.throughput ? "throughput" : "latency", b.o.switches);
	/* each packet-in once, whatever number of replies sent it on */
	printf("median_pktin %.0f pktin/s over %u runs (packet-ins whose packet the controller "
	       "sent on)\n", med_pins, b.o.loops);
	close_all(&b);
	for (unsigned int i = 0; i < b.o.switches; i++)
		fs_free(&b.sw[i]);
	close(b.epfd);
	freeaddrinfo(b.ai);
	free(b.sw);
	free(b.epollout);
	free(per_switch);
	free(rates);
	free(pin_rates);
	free(hist);
	return 0;
}
