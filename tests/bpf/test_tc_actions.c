/* test_tc_actions.c - nfp_tc_ingress carrying out the actions of the
 * metadata record (include/nfplane/meta.h) on real skbs: mirror, VLAN pop
 * and push, redirect, in that order, each with its own argument.
 *
 * tests/bpf/meta_writer.bpf.c writes the record the test asks for; it runs
 * in live-frame mode (BPF_F_TEST_XDP_LIVE_FRAMES), which hands the passed
 * frame to the stack of loopback, where nfp_tc_ingress is attached. The
 * mirror and redirect targets are veth pairs; what arrives at their far
 * ends is read with AF_PACKET (the VLAN tag from PACKET_AUXDATA, where the
 * stack keeps it). Each case runs in a child in its own network namespace,
 * which vanishes with it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/bpf_run.h"
#include "../lib/pkt.h"
#include "../lib/xdp_load.h"
#include "nfplane/meta.h"
#include "nfp_tc.skel.h"
#include "meta_writer.skel.h"

static struct nfp_tc *tc;
static struct meta_writer *writer;

/* What one far end saw: the first frame, its VLAN tag if any. */
struct seen {
	int frames;
	int tagged;
	uint16_t tci;
	uint16_t tpid;
	uint16_t ethertype; /* of the frame as read (after the stack took the tag) */
	uint16_t inner_tci; /* the tag in the frame under the one the stack took */
};

/* What a case asks and what it found (the child writes it in a pipe). */
struct outcome {
	int step; /* 0: ran; else the step that failed */
	struct seen mirror, redirect;
	struct nfp_if_stats stats;
};

static int if_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int sock = socket(AF_INET, SOCK_DGRAM, 0), rc = -1;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (sock >= 0 && !ioctl(sock, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(sock, SIOCSIFFLAGS, &ifr);
	}
	if (sock >= 0)
		close(sock);
	return rc;
}

/* A packet socket on @ifname that reports VLAN tags in its aux data. */
static int listen_on(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int on = 1, fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read what came on @fd within a second, keeping the first UDP/IPv4 frame
 * (a fresh veth also carries the stack's own IPv6 chatter). */
static void collect(int fd, struct seen *s)
{
	uint8_t buf[2048];
	union {
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		struct cmsghdr align;
	} ctl;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
				      .msg_controllen = sizeof(ctl.b) };
		struct cmsghdr *c;
		ssize_t n;
		uint16_t type;

		if (poll(&pfd, 1, 1000) <= 0)
			return;
		n = recvmsg(fd, &msg, 0);
		if (n < 14)
			continue;
		type = (uint16_t)(buf[12] << 8 | buf[13]);
		if (type != ETH_P_IP && type != ETH_P_8021Q && type != ETH_P_8021AD)
			continue;
		if (s->frames++)
			continue;
		s->ethertype = type;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			struct tpacket_auxdata aux;

			if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
				continue;
			memcpy(&aux, CMSG_DATA(c), sizeof(aux));
			if (aux.tp_status & TP_STATUS_VLAN_VALID) {
				s->tagged = 1;
				s->tci = aux.tp_vlan_tci;
				s->tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
						  aux.tp_vlan_tpid : ETH_P_8021Q;
			}
		}
		if (s->tagged && (type == ETH_P_8021Q || type == ETH_P_8021AD))
			s->inner_tci = (uint16_t)(buf[14] << 8 | buf[15]);
		else if (type == ETH_P_8021Q || type == ETH_P_8021AD) {
			s->tagged = 1; /* left in the frame */
			s->tpid = type;
			s->tci = (uint16_t)(buf[14] << 8 | buf[15]);
		}
	}
}

/* The child: a namespace with loopback (nfp_tc_ingress on its TC ingress
 * hook), veth pairs nfpm0-nfpm1 (mirror) and nfpr0-nfpr1 (redirect), one
 * live run of @frame through the writer of @meta. */
static struct outcome run_case(const struct nfp_xdp_meta *meta, const struct pkt *frame)
{
	struct outcome o = { 0 };
	int mfd, rfd, lo;

	if (unshare(CLONE_NEWNET))
		return (struct outcome){ .step = 1 };
	if (system("ip link add nfpm0 type veth peer name nfpm1 && "
		   "ip link add nfpr0 type veth peer name nfpr1"))
		return (struct outcome){ .step = 2 };
	if (if_up("lo") || if_up("nfpm0") || if_up("nfpm1") || if_up("nfpr0") || if_up("nfpr1"))
		return (struct outcome){ .step = 3 };
	mfd = listen_on("nfpm1");
	rfd = listen_on("nfpr1");
	if (mfd < 0 || rfd < 0)
		return (struct outcome){ .step = 4 };
	lo = (int)if_nametoindex("lo");

	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = lo, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, tc_opts, .prog_fd = bpf_program__fd(tc->progs.nfp_tc_ingress));
	if (bpf_tc_hook_create(&hook) || bpf_tc_attach(&hook, &tc_opts))
		return (struct outcome){ .step = 5 };

	struct nfp_xdp_meta m = *meta;

	m.magic = NFP_META_MAGIC;
	if (m.act.flags & NFP_META_ACT_MIRROR)
		m.act.mirror_ifindex = if_nametoindex("nfpm0");
	if (m.act.flags & NFP_META_ACT_REDIRECT)
		m.act.redirect_ifindex = if_nametoindex("nfpr0");
	writer->bss->nfp_test_meta = m;
	if (stats_clear(bpf_map__fd(tc->maps.nfp_if_stats), 0))
		return (struct outcome){ .step = 6 };
	if (bpf_run_xdp_live(bpf_program__fd(writer->progs.meta_writer), frame->buf, frame->len,
			     1).err)
		return (struct outcome){ .step = 7 };
	collect(mfd, &o.mirror);
	collect(rfd, &o.redirect);
	if (stats_read(bpf_map__fd(tc->maps.nfp_if_stats), 0, &o.stats))
		return (struct outcome){ .step = 8 };
	return o;
}

/* Run a case in a child; its outcome through a pipe. */
static struct outcome run(uint32_t flags, uint16_t tci, uint16_t proto, const struct pkt *frame)
{
	struct nfp_xdp_meta meta = { .act = { .flags = flags, .vlan_tci = tci, .vlan_proto = proto } };
	struct outcome o = { .step = 100 };
	int pfd[2], status;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		o = run_case(&meta, frame);
		_exit(write(pfd[1], &o, sizeof(o)) == sizeof(o) ? 0 : 1);
	}
	close(pfd[1]);
	if (read(pfd[0], &o, sizeof(o)) != sizeof(o))
		o.step = 101;
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(o.step, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return o;
}

static void udp_frame(struct pkt *p, int vid)
{
	pkt_init(p);
	if (vid >= 0) {
		pkt_eth(p, ETH_P_8021Q);
		pkt_vlan(p, (uint16_t)vid, ETH_P_IP);
	} else {
		pkt_eth(p, ETH_P_IP);
	}
	pkt_ipv4(p, 0x0a000001, 0x0a000002, 17);
	pkt_udp(p, 1000, 2000);
	pkt_finish(p);
}

/* Mirror, push, redirect: the copy is the packet as it arrived (untagged),
 * the redirected packet carries the pushed tag. */
static void test_mirror_then_push_then_redirect(void **state)
{
	struct pkt p;
	struct outcome o;

	(void)state;
	udp_frame(&p, -1);
	o = run(NFP_META_ACT_MIRROR | NFP_META_ACT_VLAN_PUSH | NFP_META_ACT_REDIRECT,
		0x2064 /* PCP 1, VLAN 100 */, ETH_P_8021Q, &p);
	assert_int_equal(o.stats.tc_rx_meta, 1);
	assert_int_equal(o.mirror.frames, 1);
	assert_int_equal(o.mirror.tagged, 0);
	assert_int_equal(o.redirect.frames, 1);
	assert_int_equal(o.redirect.tagged, 1);
	assert_int_equal(o.redirect.tci, 0x2064);
	assert_int_equal(o.redirect.tpid, ETH_P_8021Q);
	assert_int_equal(o.stats.tc_vlan_failed, 0);
}

/* Pop then push: a tagged packet leaves with the new tag only (and an
 * 802.1ad one when asked). */
static void test_pop_then_push_retags(void **state)
{
	struct pkt p;
	struct outcome o;

	(void)state;
	udp_frame(&p, 200);
	o = run(NFP_META_ACT_VLAN_POP | NFP_META_ACT_VLAN_PUSH | NFP_META_ACT_REDIRECT, 300,
		ETH_P_8021AD, &p);
	assert_int_equal(o.redirect.frames, 1);
	assert_int_equal(o.redirect.tagged, 1);
	assert_int_equal(o.redirect.tci, 300);
	assert_int_equal(o.redirect.tpid, ETH_P_8021AD);
	assert_int_equal(o.mirror.frames, 0);

	/* pop alone: it leaves untagged, as plain IPv4 */
	o = run(NFP_META_ACT_VLAN_POP | NFP_META_ACT_REDIRECT, 0, 0, &p);
	assert_int_equal(o.redirect.frames, 1);
	assert_int_equal(o.redirect.tagged, 0);
	assert_int_equal(o.redirect.ethertype, ETH_P_IP);
}

/* A push onto a tagged packet stacks the tags: the new one outside, the
 * packet's own after it in the frame (802.1ad over 802.1Q, QinQ). */
static void test_push_onto_a_tag_stacks_them(void **state)
{
	struct pkt p;
	struct outcome o;

	(void)state;
	udp_frame(&p, 200);
	o = run(NFP_META_ACT_VLAN_PUSH | NFP_META_ACT_REDIRECT, 300, ETH_P_8021AD, &p);
	assert_int_equal(o.redirect.frames, 1);
	assert_int_equal(o.redirect.tagged, 1);
	assert_int_equal(o.redirect.tpid, ETH_P_8021AD);
	assert_int_equal(o.redirect.tci, 300);
	assert_int_equal(o.redirect.ethertype, ETH_P_8021Q);
	assert_int_equal(o.redirect.inner_tci, 200);
}

static int setup(void **state)
{
	(void)state;
	tc = tc_load_unpinned(0, NULL);
	if (!tc)
		return -1;
	if (slot_set_active(bpf_map__fd(tc->maps.nfp_if_conf), 0, true))
		return -1;
	writer = meta_writer__open_and_load();
	return writer ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	meta_writer__destroy(writer);
	nfp_tc__destroy(tc);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mirror_then_push_then_redirect),
		cmocka_unit_test(test_pop_then_push_retags),
		cmocka_unit_test(test_push_onto_a_tag_stacks_them),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
