/* test_flowtable.c - the flowtable stage through BPF_PROG_TEST_RUN: create,
 * hit, both directions, expiry (with its flow-end record), lifetime 0, TCP
 * state changes and lifetimes, offload actions, next step, IPv6, ICMP,
 * unhandled traffic, and recycling: the flow nearest to expiry in its set
 * goes (with lifetimes that differ, so not simply the oldest), with a
 * flow-end record, when the set is full and when a resize shrinks the
 * table. Time is moved by setting a context's last (ft_env_set_idle),
 * never by waiting. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../lib/ft_env.h"
#include "../lib/pkt.h"
#include "../lib/bpf_run.h"
#include "flowtable/table.h"
#include "nfplane/meta.h"
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

/* The IPv4 or IPv6 table, mapped (caller closes). */
static struct nfp_ft_tab tab(int v6)
{
	struct nfp_ft_tab t;

	assert_int_equal(nfp_ft_tab_open(&t, v6 ? env.outer6_fd : env.outer4_fd, v6), 0);
	return t;
}

/* 0 when found. */
static int get_flow(int v6, const void *k, struct nfp_ft_flow *f)
{
	struct nfp_ft_tab t = tab(v6);
	int64_t i = nfp_ft_tab_find(&t, k);

	if (i >= 0)
		nfp_ft_tab_view(&t, (uint64_t)i, f);
	nfp_ft_tab_close(&t);
	return i >= 0 ? 0 : -1;
}

static int get4(const struct nfp_ft_key4 *k, struct nfp_ft_flow *f)
{
	return get_flow(0, k, f);
}

static void put4(const struct nfp_ft_key4 *k, const struct nfp_ft_flow *f)
{
	struct nfp_ft_tab t = tab(0);
	int64_t i = nfp_ft_tab_find(&t, k);

	assert_true(i >= 0);
	nfp_ft_unview(nfp_ft_tab_body(&t, (uint64_t)i), nfp_ft_tab_cold(&t, (uint64_t)i), f);
	nfp_ft_tab_close(&t);
}

/* Pretend @k was last seen @secs seconds earlier. */
static void age4(const struct nfp_ft_key4 *k, uint64_t secs)
{
	struct nfp_ft_flow f;

	assert_int_equal(get4(k, &f), 0);
	f.last -= nfp_ft_lifetime_ticks((uint32_t)secs);
	put4(k, &f);
}

/* Empty both tables (and the live count that goes with them). */
static void empty_tables(void)
{
	uint32_t slot = 0;
	int64_t zero = 0;

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(env.skel->maps.nfp_ft_live), &slot, &zero,
					     BPF_ANY), 0);
	for (int v6 = 0; v6 < 2; v6++) {
		struct nfp_ft_tab t = tab(v6);

		for (uint64_t i = 0; i < t.nslots; i++)
			if (nfp_ft_tab_used(&t, i))
				nfp_ft_tab_clear(&t, i);
		nfp_ft_tab_close(&t);
	}
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
	assert_int_equal(get_flow(1, &k, &f), 0);
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

/* Run an IPv4/UDP packet; its metadata record, if XDP left one, in *meta
 * (zeroed when none). Returns the verdict. */
static uint32_t run4_meta(uint32_t s, uint32_t d, uint16_t sp, uint16_t dp,
			  struct nfp_xdp_meta *meta)
{
	static uint8_t out[256];
	struct bpf_run_result r;
	struct pkt p;

	build4(&p, s, d, 17, sp, dp, 0);
	r = bpf_run_xdp(env.prog_fd, p.buf, p.len, 1, out, sizeof(out));
	assert_int_equal(r.err, 0);
	memset(meta, 0, sizeof(*meta));
	if (r.out_len == p.len + sizeof(*meta))
		memcpy(meta, out, sizeof(*meta));
	else
		assert_int_equal(r.out_len, p.len);
	return r.retval;
}

/* A mirror to an interface with a redirect as the next step: XDP cannot
 * hand a redirected frame to TC, which makes the copy, so XDP passes the
 * packet with a record asking TC for both, each with its own ifindex. Also
 * for an offloaded flow whose action is the mirror. A redirect alone stays
 * in XDP. */
static void test_mirror_and_redirect_are_both_asked_of_tc(void **state)
{
	struct nfp_ft_conf c = { .flags = NFP_FTC_ENABLED, .max_flows = 1024, .lifetime = 60,
				 .max_lifetime = 300, .mirror = NFP_FT_MIRROR_IFACE,
				 .mirror_ifindex = 7, .next = NFP_FT_NEXT_REDIRECT,
				 .next_ifindex = 9 };
	struct nfp_ft_key4 k = key4(A, B, 17, 5100, 5101, NULL);
	struct nfp_xdp_meta m;

	(void)state;
	assert_int_equal(ft_env_conf(&env, &c), 0);
	assert_int_equal(run4_meta(A, B, 5100, 5101, &m), XDP_PASS);
	assert_int_equal(m.magic, NFP_META_MAGIC);
	assert_int_equal(m.act.flags, NFP_META_ACT_MIRROR | NFP_META_ACT_REDIRECT);
	assert_int_equal(m.act.mirror_ifindex, 7);
	assert_int_equal(m.act.redirect_ifindex, 9);
	assert_int_equal(m.slice_id, NFP_SLICE_NONE);

	/* offloaded, mirrored to 11: the flow's own action, then the next step */
	offload(&k, NFP_FT_ACT_MIRROR, 11);
	assert_int_equal(run4_meta(A, B, 5100, 5101, &m), XDP_PASS);
	assert_int_equal(m.act.flags, NFP_META_ACT_MIRROR | NFP_META_ACT_REDIRECT);
	assert_int_equal(m.act.mirror_ifindex, 11);
	assert_int_equal(m.act.redirect_ifindex, 9);

	/* no mirror: XDP redirects itself, no record */
	conf(60, 300, NFP_FT_NEXT_REDIRECT, 9);
	assert_int_equal(run4_meta(A, B, 5102, 5101, &m), XDP_REDIRECT);
	assert_int_equal(m.magic, 0);
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
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

/* Drain the flow-end ringbuf into @out (up to @max records). */
static struct nfp_ft_end *ends_buf;
static int ends_n, ends_max;
static int on_end_keep(void *ctx, void *data, size_t len)
{
	(void)ctx;
	if (len >= sizeof(*ends_buf) && ends_n < ends_max)
		memcpy(&ends_buf[ends_n++], data, sizeof(*ends_buf));
	return 0;
}

static int drain_ends_into(struct nfp_ft_end *out, int max)
{
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(env.skel->maps.nfp_ft_ends),
						  on_end_keep, NULL, NULL);

	assert_non_null(rb);
	ends_buf = out;
	ends_n = 0;
	ends_max = max;
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	return ends_n;
}

/* Flows of @proto from 12.0.0.0 + i to B:9 whose keys fall in the same set
 * as the first: the first @n such source offsets go to @out. */
static void same_set_sources(uint8_t proto, uint32_t *out, int n)
{
	struct nfp_ft_tab t = tab(0);
	uint64_t want = 0;
	int got = 0;

	for (uint32_t i = 0; got < n && i < (1u << 24); i++) {
		struct nfp_ft_key4 k = key4(0x0c000000 + i, B, proto, 9, 9, NULL);
		uint64_t set = nfp_ft_tab_set_of(&t, &k);

		if (got == 0)
			want = set;
		if (set == want)
			out[got++] = i;
	}
	nfp_ft_tab_close(&t);
	assert_int_equal(got, n);
}

static void set_idle4(const struct nfp_ft_key4 *k, uint32_t secs)
{
	assert_int_equal(ft_env_set_idle(&env, 0, k, secs), 0);
}

/* A full set: the new flow takes the place of the flow nearest to expiry,
 * which with lifetimes that differ is not the oldest: a SYN flow idle 10 s
 * of its 15 goes before established flows idle 20 s and more of their 299
 * (the rule docs/flowtable.md states). Its end is reported as recycled;
 * an expired flow goes before any live one, reported as expired. */
static void test_recycling_takes_the_nearest_to_expiry(void **state)
{
	enum { SYN_WAY = 5 };
	uint32_t src[NFP_FT_WAYS + 3];
	struct nfp_ft_end ends[4];
	struct nfp_ft_flow f, victim;
	struct nfp_ft_key4 k;
	struct nfp_ft_stats s0, s1;
	uint32_t lt;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	empty_tables();
	same_set_sources(6, src, NFP_FT_WAYS + 3);
	/* seven connections picked up mid-stream (established, 299 s) idle
	 * 20, 50, 30, 45, 25, -, 40, 35 s, and one half-open (SYN, 15 s) idle
	 * 10 s: the oldest is flow 1, the nearest to expiry flow 5 */
	for (int i = 0; i < NFP_FT_WAYS; i++) {
		static const uint32_t idle[] = { 20, 50, 30, 45, 25, 10, 40, 35 };
		uint8_t st = tcp_state_after(0x0c000000 + src[i], B, 9, 9,
					     i == SYN_WAY ? PKT_SYN : PKT_ACK, &lt);

		assert_int_equal(st, i == SYN_WAY ? NFP_TCP_SYN : NFP_TCP_ESTABLISHED);
		assert_int_equal(lt, i == SYN_WAY ? 15 : 299);
		k = key4(0x0c000000 + src[i], B, 6, 9, 9, NULL);
		set_idle4(&k, idle[i]);
	}
	k = key4(0x0c000000 + src[SYN_WAY], B, 6, 9, 9, NULL);
	assert_int_equal(get4(&k, &victim), 0);
	drain_ends();
	s0 = stats();
	run4(0x0c000000 + src[NFP_FT_WAYS], B, 6, 9, 9, PKT_ACK, NULL);
	s1 = stats();
	assert_int_equal(s1.recycled - s0.recycled, 1);
	assert_int_equal(s1.created - s0.created, 1);
	assert_int_equal(get4(&k, &f), -1); /* the SYN flow went */
	for (int i = 0; i <= NFP_FT_WAYS; i++) {
		struct nfp_ft_key4 kk = key4(0x0c000000 + src[i], B, 6, 9, 9, NULL);

		if (i != SYN_WAY)
			assert_int_equal(get4(&kk, &f), 0);
	}
	assert_int_equal(drain_ends_into(ends, 4), 1);
	assert_int_equal(ends[0].reason, NFP_FT_END_RECYCLED);
	assert_true(ends[0].flow.flow_id == victim.flow_id);
	assert_int_equal(ends[0].flow.tcp_state, NFP_TCP_SYN);
	assert_int_equal(ends[0].key.lo_addr[0], k.lo_addr);

	/* all established now: nearest to expiry is the oldest, flow 1 */
	k = key4(0x0c000000 + src[1], B, 6, 9, 9, NULL);
	assert_int_equal(get4(&k, &victim), 0);
	run4(0x0c000000 + src[NFP_FT_WAYS + 1], B, 6, 9, 9, PKT_ACK, NULL);
	assert_int_equal(get4(&k, &f), -1);
	assert_int_equal(drain_ends_into(ends, 4), 1);
	assert_int_equal(ends[0].reason, NFP_FT_END_RECYCLED);
	assert_true(ends[0].flow.flow_id == victim.flow_id);

	/* an expired flow goes first, even though others are older: flow 0
	 * gets lifetime 5 and is 20 s idle; flow 3 is 45 s idle */
	k = key4(0x0c000000 + src[0], B, 6, 9, 9, NULL);
	assert_int_equal(get4(&k, &victim), 0);
	victim.lifetime = 5;
	put4(&k, &victim);
	s0 = stats();
	run4(0x0c000000 + src[NFP_FT_WAYS + 2], B, 6, 9, 9, PKT_ACK, NULL);
	s1 = stats();
	assert_int_equal(s1.expired - s0.expired, 1);
	assert_int_equal(s1.recycled - s0.recycled, 0);
	assert_int_equal(get4(&k, &f), -1);
	assert_int_equal(drain_ends_into(ends, 4), 1);
	assert_int_equal(ends[0].reason, NFP_FT_END_EXPIRED);
	assert_true(ends[0].flow.flow_id == victim.flow_id);
}

/* The mixed lifetimes of the table-wide tests: flow i (UDP from 13.0.0.0 +
 * i) lives 15 s (as a SYN would), 60 s or 299 s (as an established
 * connection) by i % 3, and is idle from 12 s (the first) down to 0 (the
 * last), so that an older flow often has longer to live than a younger
 * one. */
static uint32_t mixed_src(int i)
{
	return 0x0d000000 + (uint32_t)i;
}

static void mixed_flow(int i, int total)
{
	static const uint32_t lifetime[] = { 15, 60, 299 };
	struct nfp_ft_key4 k = key4(mixed_src(i), B, 17, 9, 9, NULL);
	struct nfp_ft_flow f;

	run4(mixed_src(i), B, 17, 9, 9, 0, NULL);
	/* (a flow recycled by its own creation's neighbours is not there) */
	if (get4(&k, &f) == 0) {
		f.lifetime = lifetime[i % 3];
		f.last = ft_env_now() -
			 nfp_ft_lifetime_ticks((uint32_t)((uint64_t)(total - 1 - i) * 12 / (uint64_t)total));
		put4(&k, &f);
	}
}

/* Its remaining life at @now, in ticks: what recycling compares. */
static int64_t expiry_of(const struct nfp_ft_flow *f, uint32_t now)
{
	return (int64_t)(int32_t)(f->last + nfp_ft_lifetime_ticks(f->lifetime) - now);
}

/* Flow i of a key made by mixed_flow. */
static int mixed_index(const struct nfp_ft_key6 *k6)
{
	uint32_t a = ntohl(k6->lo_addr[0]) == B ? k6->hi_addr[0] : k6->lo_addr[0];

	return (int)(ntohl(a) - 0x0d000000);
}

static struct nfp_ft_key6 key6_of4(const struct nfp_ft_key4 *k)
{
	struct nfp_ft_key6 k6 = { .lo_addr = { k->lo_addr }, .hi_addr = { k->hi_addr },
				  .lo_port = k->lo_port, .hi_port = k->hi_port,
				  .proto = k->proto, .used = 1 };
	return k6;
}

static struct nfp_ft_key4 key4_of6(const struct nfp_ft_key6 *k)
{
	struct nfp_ft_key4 k4 = { .lo_addr = k->lo_addr[0], .hi_addr = k->hi_addr[0],
				  .lo_port = k->lo_port, .hi_port = k->hi_port,
				  .proto = k->proto, .used = 1 };
	return k4;
}

/* Recycled flows seen while filling, with the index of the flow whose
 * creation recycled each. */
static struct nfp_ft_end fill_ends[NFP_FT_MIN_MAX_FLOWS * 2];
static int fill_at[NFP_FT_MIN_MAX_FLOWS * 2];
static int fill_n, fill_i;
static int on_fill_end(void *ctx, void *data, size_t len)
{
	(void)ctx;
	if (len >= sizeof(fill_ends[0]) && fill_n < (int)(sizeof(fill_ends) / sizeof(fill_ends[0]))) {
		memcpy(&fill_ends[fill_n], data, sizeof(fill_ends[0]));
		fill_at[fill_n++] = fill_i;
	}
	return 0;
}

/* The whole table: fill it with flows of mixed lifetimes (mixed_flow) to
 * its configured size (half its slots), then a quarter more. Print how
 * full it was when the first flow was recycled. Every flow that went must
 * have been the nearest to expiry in its set when it went: none of the
 * flows still in its set that were there then has less time left. */
static void test_recycling_over_the_table(void **state)
{
	const int cap = NFP_FT_MIN_MAX_FLOWS, total = cap + cap / 4;
	struct nfp_ft_stats s0 = stats(), s1;
	struct ring_buffer *rb;
	struct nfp_ft_tab t;
	int first_recycle = -1, wrong = 0, older_kept = 0;
	uint32_t now;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	empty_tables();
	drain_ends();
	rb = ring_buffer__new(bpf_map__fd(env.skel->maps.nfp_ft_ends), on_fill_end, NULL, NULL);
	assert_non_null(rb);
	fill_n = 0;
	for (fill_i = 0; fill_i < total; fill_i++) {
		mixed_flow(fill_i, total);
		ring_buffer__consume(rb);
		if (first_recycle < 0 && fill_n > 0)
			first_recycle = fill_i;
	}
	ring_buffer__free(rb);
	s1 = stats();
	t = tab(0);
	printf("# recycling: %d flows into a table for %d (%llu slots): first recycle at flow "
	       "%d (%.0f%% of its configured size, %.0f%% of its slots); %llu recycled\n",
	       total, cap, (unsigned long long)t.nslots, first_recycle,
	       100.0 * first_recycle / cap, 100.0 * first_recycle / (double)t.nslots,
	       (unsigned long long)(s1.recycled - s0.recycled));
	assert_int_equal(fill_n, (int)(s1.recycled - s0.recycled));
	assert_true(fill_n > 0);
	now = ft_env_now();
	for (int e = 0; e < fill_n; e++) {
		struct nfp_ft_key4 vk = key4_of6(&fill_ends[e].key);
		uint64_t first = nfp_ft_tab_set_of(&t, &vk);
		int64_t v_left = expiry_of(&fill_ends[e].flow, now);
		int v_i = mixed_index(&fill_ends[e].key);

		assert_int_equal(fill_ends[e].reason, NFP_FT_END_RECYCLED);
		for (uint64_t i = first; i < first + NFP_FT_WAYS; i++) {
			struct nfp_ft_key6 k6;
			struct nfp_ft_flow f;
			int j;

			if (!nfp_ft_tab_used(&t, i))
				continue;
			k6 = key6_of4(nfp_ft_tab_key(&t, i));
			j = mixed_index(&k6);
			if (j >= fill_at[e])
				continue; /* made after the victim went */
			nfp_ft_tab_view(&t, i, &f);
			/* no flow got a packet after it was made: last and
			 * lifetime are what they were when the victim went */
			if (expiry_of(&f, now) < v_left)
				wrong++;
			older_kept += j < v_i;
		}
	}
	printf("# recycling: %d flows older than one recycled from their set were kept (longer "
	       "to live); %d kept with less time left than one recycled\n", older_kept, wrong);
	/* the share holds: never more live flows than it allows, with its
	 * tolerance for sets that hold none of its flows */
	{
		uint64_t used = 0;

		for (uint64_t i = 0; i < t.nslots; i++)
			used += nfp_ft_tab_used(&t, i);
		assert_true(used <= (uint64_t)(cap + cap / NFP_FT_SHARE_TOLERANCE));
		assert_true(used >= (uint64_t)cap * 9 / 10);
	}
	nfp_ft_tab_close(&t);
	assert_true(first_recycle < 0 || first_recycle >= cap / 2);
	assert_int_equal(wrong, 0);
	/* with mixed lifetimes "nearest to expiry" is not "oldest": some
	 * older flows must have stayed */
	assert_true(older_kept > 0);
}

/* Flows a shrinking resize had no room for. */
static struct nfp_ft_victim shrink_dropped[4096];
static int shrink_n;
static void on_shrink_drop(void *ctx, int v6, const struct nfp_ft_victim *v)
{
	(void)ctx;
	(void)v6;
	if (shrink_n < (int)(sizeof(shrink_dropped) / sizeof(shrink_dropped[0])))
		shrink_dropped[shrink_n++] = *v;
}

/* Shrinking below the number of flows (nfpd's resize, as `flowtable conf
 * --max-flows` runs it): a set of the new table that gets more flows than
 * its 8 ways keeps those with the most time left; whatever went had no
 * more time left than any flow kept in that set, and was reported. */
static void test_shrinking_keeps_the_flows_furthest_from_expiry(void **state)
{
	const int total = 3000;
	struct nfp_ft_conf c = { .flags = NFP_FTC_ENABLED, .max_flows = 8192, .lifetime = 60,
				 .max_lifetime = 300 };
	struct nfp_ft_tab t;
	int before = 0, kept = 0, wrong = 0;
	uint32_t now;

	(void)state;
	assert_int_equal(ft_env_resize(&env, 0, 8192, NULL, NULL), 0);
	assert_int_equal(ft_env_conf(&env, &c), 0);
	empty_tables();
	drain_ends();
	for (int i = 0; i < total; i++)
		mixed_flow(i, total);
	t = tab(0);
	for (uint64_t i = 0; i < t.nslots; i++)
		before += nfp_ft_tab_used(&t, i);
	nfp_ft_tab_close(&t);
	assert_true(before > 2 * NFP_FT_MIN_MAX_FLOWS);
	shrink_n = 0;
	assert_int_equal(ft_env_resize(&env, 0, NFP_FT_MIN_MAX_FLOWS, on_shrink_drop, NULL), 0);
	t = tab(0);
	assert_int_equal(t.nslots, 2 * NFP_FT_MIN_MAX_FLOWS);
	for (uint64_t i = 0; i < t.nslots; i++)
		kept += nfp_ft_tab_used(&t, i);
	assert_int_equal(kept + shrink_n, before);
	now = ft_env_now();
	for (int d = 0; d < shrink_n; d++) {
		struct nfp_ft_key4 vk = shrink_dropped[d].entry.k4; /* the IPv4 table's */
		uint64_t first;
		int64_t v_left;

		first = nfp_ft_tab_set_of(&t, &vk);
		v_left = expiry_of(&shrink_dropped[d].entry.flow, now);
		assert_true(shrink_dropped[d].any);
		assert_int_equal(get4(&vk, &(struct nfp_ft_flow){ 0 }), -1);
		for (uint64_t i = first; i < first + NFP_FT_WAYS; i++) {
			struct nfp_ft_flow f;

			assert_true(nfp_ft_tab_used(&t, i)); /* dropped only from a full set */
			nfp_ft_tab_view(&t, i, &f);
			wrong += expiry_of(&f, now) < v_left;
		}
	}
	printf("# shrinking: %d flows into %llu slots: %d kept, %d dropped; %d kept with less "
	       "time left than one dropped from their set\n", before,
	       (unsigned long long)t.nslots, kept, shrink_n, wrong);
	nfp_ft_tab_close(&t);
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	assert_int_equal(wrong, 0);
}

/* A set's lock: while nfpd holds it, XDP creates nothing in that set (the
 * creation counts as a failure and the packet passes); hits go on without
 * it. A lock left by an nfpd that died holding it is released by the next
 * one's start (nfp_ft_tab_release_stale). */
static void test_set_lock_and_stale_release(void **state)
{
	uint32_t src[2];
	struct nfp_ft_stats s0, s1;
	struct nfp_ft_flow f;
	struct nfp_ft_key4 k0, k1;
	struct nfp_ft_tab t;
	uint64_t first;

	(void)state;
	conf(60, 300, NFP_FT_NEXT_PASS, 0);
	empty_tables();
	same_set_sources(17, src, 2);
	k0 = key4(0x0c000000 + src[0], B, 17, 9, 9, NULL);
	k1 = key4(0x0c000000 + src[1], B, 17, 9, 9, NULL);
	run4(0x0c000000 + src[0], B, 17, 9, 9, 0, NULL);
	t = tab(0);
	first = nfp_ft_tab_set_of(&t, &k0);
	assert_true(nfp_ft_tab_lock(&t, first)); /* as a dying nfpd would leave it */
	s0 = stats();
	assert_int_equal(run4(0x0c000000 + src[1], B, 17, 9, 9, 0, NULL), XDP_PASS);
	run4(0x0c000000 + src[0], B, 17, 9, 9, 0, NULL);
	s1 = stats();
	assert_int_equal(s1.failures - s0.failures, 1);
	assert_int_equal(s1.hits - s0.hits, 1);
	assert_int_equal(get4(&k1, &f), -1);
	/* the next nfpd's start */
	assert_int_equal(nfp_ft_tab_release_stale(&t), 1);
	assert_int_equal(nfp_ft_tab_release_stale(&t), 0);
	nfp_ft_tab_close(&t);
	run4(0x0c000000 + src[1], B, 17, 9, 9, 0, NULL);
	assert_int_equal(get4(&k1, &f), 0);
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
		cmocka_unit_test(test_mirror_and_redirect_are_both_asked_of_tc),
		cmocka_unit_test(test_mirror_to_application),
		cmocka_unit_test(test_recycling_takes_the_nearest_to_expiry),
		cmocka_unit_test(test_recycling_over_the_table),
		cmocka_unit_test(test_set_lock_and_stale_release),
		cmocka_unit_test(test_shrinking_keeps_the_flows_furthest_from_expiry),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
