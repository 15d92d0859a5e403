/* test_flowtable.c - the flowtable stage through BPF_PROG_TEST_RUN: create,
 * hit, both directions, expiry (with its flow-end record), lifetime 0, TCP
 * state changes and lifetimes, offload actions, next step, IPv6, ICMP,
 * unhandled traffic, and how close LRU recycling comes to "nearest to
 * expiry". Time is moved by editing a context's last, never by waiting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../lib/ft_env.h"
#include "../lib/pkt.h"
#include "../lib/bpf_run.h"
#include "nfp_xdp.skel.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define A 0x0a000001 /* 10.0.0.1 */
#define B 0x0a000002 /* 10.0.0.2 */
#define NS 1000000000ULL

static struct ft_env env;

static int setup(void **state)
{
	(void)state;
	return ft_env_open(&env, NFP_FT_MIN_MAX_FLOWS, NFP_FT_MIN_MAX_FLOWS, 0);
}

static int teardown(void **state)
{
	(void)state;
	ft_env_close(&env);
	return 0;
}

static void conf(uint32_t lifetime, uint32_t max_lifetime, uint32_t next, uint32_t next_if)
{
	struct nfp_ft_conf c = { .flags = NFP_FTC_ENABLED, .max_flows = 1024,
				 .lifetime = lifetime, .max_lifetime = max_lifetime,
				 .next = next, .next_ifindex = next_if };

	assert_int_equal(ft_env_conf(&env, &c), 0);
}

static void build4(struct pkt *p, uint32_t s, uint32_t d, uint8_t proto, uint16_t sp,
		   uint16_t dp, uint8_t tcp_flags)
{
	pkt_init(p);
	pkt_eth(p, 0x0800);
	pkt_ipv4(p, s, d, proto);
	if (proto == 6)
		pkt_tcp(p, sp, dp, tcp_flags);
	else if (proto == 17)
		pkt_udp(p, sp, dp);
	else if (proto == 1)
		pkt_icmp(p, (uint8_t)(dp >> 8), (uint8_t)dp, sp);
	pkt_zeros(p, 22);
	pkt_finish(p);
}

static uint32_t run4(uint32_t s, uint32_t d, uint8_t proto, uint16_t sp, uint16_t dp,
		     uint8_t tcp_flags, size_t *len)
{
	struct pkt p;
	struct bpf_run_result r;

	build4(&p, s, d, proto, sp, dp, tcp_flags);
	r = bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0);
	assert_int_equal(r.err, 0);
	if (len)
		*len = p.len;
	return r.retval;
}

static struct nfp_ft_key4 key4(uint32_t s, uint32_t d, uint8_t proto, uint16_t sp, uint16_t dp,
			       uint32_t *dir)
{
	struct nfp_ft_key4 k;
	uint32_t dd = nfp_ft_key4_make(&k, htonl(s), htonl(d), sp, dp, proto);

	if (dir)
		*dir = dd;
	return k;
}

/* 0 when found. */
static int get4(const struct nfp_ft_key4 *k, struct nfp_ft_flow *f)
{
	int fd = ft_env_table(&env, 0), r;

	assert_true(fd >= 0);
	r = bpf_map_lookup_elem(fd, k, f);
	close(fd);
	return r;
}

static void put4(const struct nfp_ft_key4 *k, const struct nfp_ft_flow *f)
{
	int fd = ft_env_table(&env, 0);

	assert_int_equal(bpf_map_update_elem(fd, k, f, BPF_EXIST), 0);
	close(fd);
}

/* Pretend @k was last seen @secs seconds earlier. */
static void age4(const struct nfp_ft_key4 *k, uint64_t secs)
{
	struct nfp_ft_flow f;

	assert_int_equal(get4(k, &f), 0);
	f.last -= nfp_ft_lifetime_ticks((uint32_t)secs);
	put4(k, &f);
}

static struct nfp_ft_stats stats(void)
{
	struct nfp_ft_stats s;

	assert_int_equal(ft_env_stats(&env, &s), 0);
	return s;
}

static void test_create_and_hit_both_directions(void **state)
{
	struct nfp_ft_stats s0 = stats(), s1;
	struct nfp_ft_key4 k;
	struct nfp_ft_flow f;
	uint32_t dir;
	size_t len;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	k = key4(A, B, 17, 1111, 53, &dir);
	assert_int_equal(run4(A, B, 17, 1111, 53, 0, &len), XDP_PASS);
	assert_int_equal(get4(&k, &f), 0);
	assert_int_equal(f.packets[dir], 1);
	assert_int_equal(f.packets[!dir], 0);
	assert_int_equal(f.bytes[dir], len);
	assert_int_equal(f.lifetime, 60);
	assert_int_equal(f.tcp_state, NFP_TCP_NONE);
	assert_true(f.flow_id != 0);
	assert_true(f.created > 0 && f.last == f.created);

	/* two more forward, two replies: one context, counted per direction */
	run4(A, B, 17, 1111, 53, 0, NULL);
	run4(A, B, 17, 1111, 53, 0, NULL);
	run4(B, A, 17, 53, 1111, 0, NULL);
	run4(B, A, 17, 53, 1111, 0, NULL);
	struct nfp_ft_flow g;
	assert_int_equal(get4(&k, &g), 0);
	assert_int_equal(g.packets[dir], 3);
	assert_int_equal(g.packets[!dir], 2);
	assert_int_equal(g.bytes[!dir], 2 * len);
	assert_true(g.flow_id == f.flow_id);
	s1 = stats();
	assert_int_equal(s1.created - s0.created, 1);
	assert_int_equal(s1.misses - s0.misses, 1);
	assert_int_equal(s1.hits - s0.hits, 4);
	/* another port is another flow */
	run4(A, B, 17, 1112, 53, 0, NULL);
	assert_int_equal(stats().created - s0.created, 2);
}

/* Drain the flow-end ringbuf, keeping the last record. */
static struct nfp_ft_end last_end;
static int ends_seen;
static int on_end(void *ctx, void *data, size_t len)
{
	(void)ctx;
	if (len >= sizeof(last_end)) {
		memcpy(&last_end, data, sizeof(last_end));
		ends_seen++;
	}
	return 0;
}

static int drain_ends(void)
{
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(env.skel->maps.nfp_ft_ends), on_end,
						  NULL, NULL);

	assert_non_null(rb);
	ends_seen = 0;
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return ends_seen;
}

static void test_expiry_restarts_flow(void **state)
{
	struct nfp_ft_stats s0, s1;
	struct nfp_ft_key4 k;
	struct nfp_ft_flow f, g;
	uint32_t dir;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	k = key4(A, B, 17, 2000, 53, &dir);
	run4(A, B, 17, 2000, 53, 0, NULL);
	run4(A, B, 17, 2000, 53, 0, NULL);
	drain_ends();
	/* 59 s idle: still alive */
	age4(&k, 59);
	s0 = stats();
	run4(B, A, 17, 53, 2000, 0, NULL);
	assert_int_equal(get4(&k, &f), 0);
	assert_int_equal(f.packets[dir] + f.packets[!dir], 3);
	assert_int_equal(stats().expired, s0.expired);
	/* 61 s idle: the next packet starts a new flow */
	age4(&k, 61);
	s0 = stats();
	run4(A, B, 17, 2000, 53, 0, NULL);
	s1 = stats();
	assert_int_equal(s1.expired - s0.expired, 1);
	assert_int_equal(s1.created - s0.created, 1);
	assert_int_equal(get4(&k, &g), 0);
	assert_int_equal(g.packets[dir], 1);
	assert_int_equal(g.packets[!dir], 0);
	assert_true(g.flow_id != f.flow_id);
	/* and the old one was reported, with its counters */
	assert_int_equal(drain_ends(), 1);
	assert_int_equal(last_end.reason, NFP_FT_END_EXPIRED);
	assert_true(last_end.flow.flow_id == f.flow_id);
	assert_int_equal(last_end.flow.packets[dir] + last_end.flow.packets[!dir], 3);
	assert_int_equal(last_end.key.lo_addr[0], k.lo_addr);
	assert_int_equal(last_end.key.proto, 17);
}

static void test_lifetime_zero(void **state)
{
	struct nfp_ft_stats s0, s1;
	struct nfp_ft_key4 k = key4(A, B, 17, 3000, 53, NULL);
	struct nfp_ft_flow f;

	(void)state;
	conf(0, 300, NFP_FT_NEXT_PASS, 0);
	s0 = stats();
	for (int i = 0; i < 5; i++)
		run4(A, B, 17, 3000, 53, 0, NULL);
	s1 = stats();
	/* every packet after the first finds its flow ended */
	assert_int_equal(s1.created - s0.created, 5);
	assert_int_equal(s1.expired - s0.expired, 4);
	assert_int_equal(s1.hits - s0.hits, 0);
	assert_int_equal(get4(&k, &f), 0);
	assert_int_equal(f.packets[0] + f.packets[1], 1);
	assert_int_equal(drain_ends() >= 4, 1);
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
}

static uint8_t tcp_state_after(uint32_t s, uint32_t d, uint16_t sp, uint16_t dp, uint8_t fl,
			       uint32_t *lifetime)
{
	struct nfp_ft_key4 k = key4(s, d, 6, sp, dp, NULL);
	struct nfp_ft_flow f;

	run4(s, d, 6, sp, dp, fl, NULL);
	assert_int_equal(get4(&k, &f), 0);
	*lifetime = f.lifetime;
	return f.tcp_state;
}

static void test_tcp_states(void **state)
{
	uint32_t lt;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	/* the handshake and an orderly close, VPP's lifetimes */
	assert_int_equal(tcp_state_after(A, B, 40000, 80, PKT_SYN, &lt), NFP_TCP_SYN);
	assert_int_equal(lt, 15);
	assert_int_equal(tcp_state_after(B, A, 80, 40000, PKT_SYN | PKT_ACK, &lt), NFP_TCP_SYNACK);
	assert_int_equal(lt, 60);
	assert_int_equal(tcp_state_after(A, B, 40000, 80, PKT_ACK, &lt), NFP_TCP_ESTABLISHED);
	assert_int_equal(lt, 299);
	assert_int_equal(tcp_state_after(B, A, 80, 40000, PKT_ACK | PKT_PSH, &lt),
			 NFP_TCP_ESTABLISHED);
	assert_int_equal(tcp_state_after(A, B, 40000, 80, PKT_FIN | PKT_ACK, &lt), NFP_TCP_FIN);
	assert_int_equal(lt, 15);
	/* a second FIN the same way is not the other side's */
	assert_int_equal(tcp_state_after(A, B, 40000, 80, PKT_FIN | PKT_ACK, &lt), NFP_TCP_FIN);
	assert_int_equal(tcp_state_after(B, A, 80, 40000, PKT_FIN | PKT_ACK, &lt), NFP_TCP_FINACK);
	assert_int_equal(lt, 3);
	/* reset */
	assert_int_equal(tcp_state_after(A, B, 40001, 80, PKT_SYN, &lt), NFP_TCP_SYN);
	assert_int_equal(tcp_state_after(B, A, 80, 40001, PKT_RST, &lt), NFP_TCP_RST);
	assert_int_equal(lt, 6);
	/* picked up mid-stream: established */
	assert_int_equal(tcp_state_after(A, B, 40002, 80, PKT_ACK, &lt), NFP_TCP_ESTABLISHED);
	/* lifetimes are capped by the configured maximum */
	conf(60, 100, NFP_FT_NEXT_PASS, 0);
	assert_int_equal(tcp_state_after(A, B, 40003, 80, PKT_ACK, &lt), NFP_TCP_ESTABLISHED);
	assert_int_equal(lt, 100);
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
}

static void test_tcp_close_reason(void **state)
{
	struct nfp_ft_key4 k = key4(A, B, 6, 40100, 80, NULL);
	uint32_t lt;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	tcp_state_after(A, B, 40100, 80, PKT_ACK, &lt);
	tcp_state_after(A, B, 40100, 80, PKT_RST, &lt);
	drain_ends();
	age4(&k, 7);
	run4(A, B, 6, 40100, 80, PKT_SYN, NULL);
	assert_int_equal(drain_ends(), 1);
	assert_int_equal(last_end.reason, NFP_FT_END_TCP_CLOSE);
	assert_int_equal(last_end.flow.tcp_state, NFP_TCP_RST);
}

static void offload(const struct nfp_ft_key4 *k, uint8_t action, uint32_t arg)
{
	struct nfp_ft_flow f;

	assert_int_equal(get4(k, &f), 0);
	f.flags |= NFP_FTF_OFFLOADED;
	f.action = action;
	f.action_arg = arg;
	put4(k, &f);
}

static void test_offload_actions(void **state)
{
	struct nfp_ft_key4 k = key4(A, B, 17, 4000, 4001, NULL);
	struct nfp_ft_stats s0;
	struct nfp_ft_flow f;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_PASS);
	s0 = stats();
	offload(&k, NFP_FT_ACT_DROP, 0);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_DROP);
	assert_int_equal(run4(B, A, 17, 4001, 4000, 0, NULL), XDP_DROP);
	offload(&k, NFP_FT_ACT_REDIRECT, 1);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_REDIRECT);
	offload(&k, NFP_FT_ACT_PASS, 0);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_PASS);
	offload(&k, NFP_FT_ACT_MIRROR, 1);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_PASS);
	assert_int_equal(stats().offloaded - s0.offloaded, 5);
	assert_int_equal(stats().mirrored - s0.mirrored, 1);
	/* offloaded packets are still counted in the context */
	assert_int_equal(get4(&k, &f), 0);
	assert_int_equal(f.packets[0] + f.packets[1], 6);
	/* "pass" means through, by the interface's next step; the other
	 * actions ignore the next step; a fresh flow takes it */
	conf(60, 300, NFP_FT_NEXT_DROP, 0);
	offload(&k, NFP_FT_ACT_PASS, 0);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_DROP);
	offload(&k, NFP_FT_ACT_REDIRECT, 1);
	assert_int_equal(run4(A, B, 17, 4000, 4001, 0, NULL), XDP_REDIRECT);
	assert_int_equal(run4(A, B, 17, 4002, 4001, 0, NULL), XDP_DROP);
	conf(60, 300, NFP_FT_NEXT_REDIRECT, 1);
	assert_int_equal(run4(A, B, 17, 4003, 4001, 0, NULL), XDP_REDIRECT);
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
}

static void test_ipv6_both_directions(void **state)
{
	struct pkt p, q;
	struct nfp_ft_key6 k;
	struct nfp_ft_flow f;
	struct in6_addr a, b;
	uint32_t dir;
	int fd;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	pkt_init(&p);
	pkt_eth(&p, 0x86dd);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 6);
	pkt_tcp(&p, 5555, 443, PKT_SYN);
	pkt_finish(&p);
	pkt_init(&q);
	pkt_eth(&q, 0x86dd);
	pkt_ipv6(&q, "2001:db8::2", "2001:db8::1", 6);
	pkt_tcp(&q, 443, 5555, PKT_SYN | PKT_ACK);
	pkt_finish(&q);
	assert_int_equal(bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0).err, 0);
	assert_int_equal(bpf_run_xdp(env.prog_fd, q.buf, q.len, 1, NULL, 0).err, 0);
	assert_int_equal(bpf_run_xdp(env.prog_fd, q.buf, q.len, 1, NULL, 0).err, 0);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	inet_pton(AF_INET6, "2001:db8::2", &b);
	dir = nfp_ft_key6_make(&k, (uint32_t *)&a, (uint32_t *)&b, 5555, 443, 6);
	fd = ft_env_table(&env, 1);
	assert_int_equal(bpf_map_lookup_elem(fd, &k, &f), 0);
	close(fd);
	assert_int_equal(f.packets[dir], 1);
	assert_int_equal(f.packets[!dir], 2);
	assert_int_equal(f.tcp_state, NFP_TCP_SYNACK);
	assert_true(f.flags & NFP_FTF_V6);
}

static void test_icmp_and_unhandled(void **state)
{
	struct nfp_ft_stats s0 = stats(), s1;
	struct nfp_ft_key4 k;
	struct nfp_ft_flow f;
	struct pkt p;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	/* echo request id 77 and its reply: identifier and type/code stand in
	 * for ports, and the pair shares one context */
	uint32_t dir;
	run4(B, A, 1, 77, 8 << 8, 0, NULL);
	run4(A, B, 1, 77, 0 << 8, 0, NULL);
	run4(A, B, 1, 77, 0 << 8, 0, NULL);
	k = key4(B, A, 1, 77, 8 << 8, &dir);
	assert_int_equal(get4(&k, &f), 0);
	assert_int_equal(f.packets[dir], 1);
	assert_int_equal(f.packets[!dir], 2);
	/* another identifier is another flow */
	run4(B, A, 1, 78, 8 << 8, 0, NULL);
	/* ARP and a later fragment: counted, no context, passed */
	pkt_init(&p);
	pkt_eth(&p, 0x0806);
	pkt_zeros(&p, 46);
	assert_int_equal(bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0).retval, XDP_PASS);
	pkt_init(&p);
	pkt_eth(&p, 0x0800);
	pkt_ipv4_ex(&p, &(struct pkt_ipv4){ .src = A, .dst = B, .proto = 17, .frag_off = 100 });
	pkt_zeros(&p, 30);
	pkt_finish(&p);
	assert_int_equal(bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0).retval, XDP_PASS);
	s1 = stats();
	assert_int_equal(s1.unhandled - s0.unhandled, 2);
	assert_int_equal(s1.created - s0.created, 2);
}

static struct nfp_ft_mirror_rec last_copy;
static int copies_seen;
static int on_copy(void *ctx, void *data, size_t len)
{
	(void)ctx;
	if (len >= sizeof(last_copy)) {
		memcpy(&last_copy, data, sizeof(last_copy));
		copies_seen++;
	}
	return 0;
}

/* Interface traffic mirrored to the application stream: the head of each
 * packet, whole for a small one, with its flow id; offloaded flows skip it. */
static void test_mirror_to_application(void **state)
{
	struct nfp_ft_conf c = { .flags = NFP_FTC_ENABLED, .max_flows = 1024, .lifetime = 60,
				 .max_lifetime = 300, .mirror = NFP_FT_MIRROR_APP };
	struct nfp_ft_key4 k = key4(A, B, 17, 5000, 5001, NULL);
	struct ring_buffer *rb;
	struct nfp_ft_flow f;
	struct pkt p;

	(void)state;
	assert_int_equal(ft_env_conf(&env, &c), 0);
	rb = ring_buffer__new(bpf_map__fd(env.skel->maps.nfp_ft_mirror), on_copy, NULL, NULL);
	assert_non_null(rb);
	ring_buffer__consume(rb);
	copies_seen = 0;
	build4(&p, A, B, 17, 5000, 5001, 0);
	assert_int_equal(bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0).retval, XDP_PASS);
	ring_buffer__consume(rb);
	assert_int_equal(copies_seen, 1);
	assert_int_equal(last_copy.len, p.len);
	assert_int_equal(last_copy.cap_len, p.len);
	assert_memory_equal(last_copy.data, p.buf, p.len);
	assert_int_equal(get4(&k, &f), 0);
	assert_true(last_copy.flow_id == f.flow_id);
	/* a big packet: only the first NFP_FT_MIRROR_SNAP bytes */
	pkt_init(&p);
	pkt_eth(&p, 0x0800);
	pkt_ipv4(&p, A, B, 17);
	pkt_udp(&p, 5000, 5001);
	pkt_zeros(&p, 600);
	pkt_finish(&p);
	bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0);
	ring_buffer__consume(rb);
	assert_int_equal(copies_seen, 2);
	assert_int_equal(last_copy.cap_len, NFP_FT_MIRROR_SNAP);
	assert_int_equal(last_copy.len, p.len);
	/* decided flows are no longer copied */
	offload(&k, NFP_FT_ACT_PASS, 0);
	bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, NULL, 0);
	ring_buffer__consume(rb);
	assert_int_equal(copies_seen, 2);
	ring_buffer__free(rb);
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
}

/* Fill a 1024-flow table with flows of known age (oldest first), add a
 * quarter more, and see which go. With one lifetime for all, "nearest to
 * expiry" is "least recently seen": the kernel's LRU approximates it. */
static void test_recycling_takes_the_oldest(void **state)
{
	const int cap = NFP_FT_MIN_MAX_FLOWS, extra = cap / 4;
	int gone = 0, gone_old = 0, gone_oldest = 0, fd;
	struct nfp_ft_flow f;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	/* start from an empty table */
	fd = ft_env_table(&env, 0);
	{
		struct nfp_ft_key4 kk, nk;
		while (bpf_map_get_next_key(fd, NULL, &nk) == 0) {
			kk = nk;
			bpf_map_delete_elem(fd, &kk);
		}
	}
	for (int i = 0; i < cap; i++)
		run4(0x0c000000 + (uint32_t)i, B, 17, 9, 9, 0, NULL);
	for (int i = 0; i < extra; i++)
		run4(0x0d000000 + (uint32_t)i, B, 17, 9, 9, 0, NULL);
	for (int i = 0; i < cap; i++) {
		struct nfp_ft_key4 k = key4(0x0c000000 + (uint32_t)i, B, 17, 9, 9, NULL);

		if (bpf_map_lookup_elem(fd, &k, &f)) {
			gone++;
			if (i < cap / 2)
				gone_old++;
			if (i < extra)
				gone_oldest++;
		}
	}
	close(fd);
	printf("# recycling: %d of %d old flows recycled for %d new; %d of them from the "
	       "older half (%.0f%%), %d of the %d oldest\n", gone, cap, extra, gone_old,
	       gone ? 100.0 * gone_old / gone : 0.0, gone_oldest, extra);
	assert_true(gone >= extra);
	/* the LRU is approximate (per-CPU free lists, batch eviction), not exact */
	assert_true(gone_old * 10 >= gone * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_hit_both_directions),
		cmocka_unit_test(test_expiry_restarts_flow),
		cmocka_unit_test(test_lifetime_zero),
		cmocka_unit_test(test_tcp_states),
		cmocka_unit_test(test_tcp_close_reason),
		cmocka_unit_test(test_offload_actions),
		cmocka_unit_test(test_ipv6_both_directions),
		cmocka_unit_test(test_icmp_and_unhandled),
		cmocka_unit_test(test_mirror_to_application),
		cmocka_unit_test(test_recycling_takes_the_oldest),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
