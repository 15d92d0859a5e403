/* trace.h - the trace taps: XDP ingress taps the "in" direction
 * (nfp_trace_tap_xdp), TC egress the "out" direction (nfp_trace_tap_tc).
 *
 * Idle cost: one read of the control word in nfp_trace_ctl (an array lookup
 * the verifier inlines) and a branch. Only when a session wants this
 * direction does the tap call its out-of-line slow path, which matches the
 * packet against the published filters (include/nfplane/trace_match.h) and
 * copies the header and up to the largest matching snaplen into the ring
 * buffer, without waking the reader: nfpd polls the ring on a timer, and the
 * tap forces a wakeup only every wakeup_bytes of records per CPU (a wakeup
 * is an interrupt to another CPU, microseconds in a VM). A full ring counts
 * ring_full and the packet goes on untouched.
 */
#ifndef NFP_BPF_TRACE_H
#define NFP_BPF_TRACE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/parse.h"
#include "nfplane/trace.h"
#include "nfplane/trace_match.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nfp_trace_ctl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_trace_ctl SEC(".maps");

/* Two generations of NFP_TRACE_MAX_SLOTS filters (see nfplane/trace.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * NFP_TRACE_MAX_SLOTS);
	__type(key, __u32);
	__type(value, struct nfp_trace_filter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_trace_filt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, NFP_TRACE_RING_BYTES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_trace_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nfp_trace_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_trace_stats SEC(".maps");

/* Captures up to this long, in the frame's linear part, are copied with
 * direct loads rather than bpf_xdp_load_bytes/bpf_skb_load_bytes: a helper
 * call is costly where every kernel return goes through a mitigation thunk
 * (this VM: SRSO "safe RET"; bench/trace measured the helper at ~45 ns for
 * 128 bytes, the loads at a few). Longer ones take the helper, which also
 * handles multi-buffer frames. */
#define NFP_TRACE_DIRECT_MAX 256

/* Copy @caplen (8..@room, <= NFP_TRACE_DIRECT_MAX) bytes from the linear
 * packet data to @dst: whole words, then the last word again, ending at
 * caplen. Returns -1 if the bytes are not all in [data, data_end). */
static __always_inline int nfp_trace_copy_direct(void *data, void *data_end, __u8 *dst,
						 __u64 caplen, const __u64 room)
{
	__u64 last;
	void *tail;

#pragma unroll
	for (int i = 0; i < (int)(room < NFP_TRACE_DIRECT_MAX ? room : NFP_TRACE_DIRECT_MAX) / 8;
	     i++) {
		if ((__u64)(i + 1) * 8 > caplen)
			break;
		if (data + (i + 1) * 8 > data_end)
			return -1;
		*(__u64 *)(dst + i * 8) = *(__u64 *)(data + i * 8);
	}
	/* caplen is in 8..room: the verifier sees it through this bound */
	asm volatile("" : "+r"(caplen));
	if (caplen < 8 || caplen > room)
		return -1;
	/* opaque, or the compiler checks data + caplen and reads at -8 from
	 * it, which the verifier refuses */
	last = caplen - 8;
	asm volatile("" : "+r"(last));
	tail = data + last;
	if (tail + 8 > data_end)
		return -1;
	*(__u64 *)(dst + last) = *(__u64 *)tail;
	return 0;
}

/* Copy @caplen (1..@room) packet bytes into a record of @room data bytes.
 * The ring only takes constant-size reservations, so the caller picks the
 * smallest of a few size classes that holds the capture. */
static __always_inline int nfp_trace_emit(void *ctx, int xdp, void *data, void *data_end,
					  const __u64 room, __u64 caplen,
					  struct nfp_trace_rec *hdr, struct nfp_trace_stats *st,
					  __u32 wakeup_bytes)
{
	__u64 flags = BPF_RB_NO_WAKEUP;
	struct nfp_trace_rec *rec;
	int err;

	rec = bpf_ringbuf_reserve(&nfp_trace_ring, sizeof(*rec) + room, 0);
	if (!rec) {
		st->ring_full++;
		return -1;
	}
	/* re-bound for the verifier, in a 64-bit register it can follow: the
	 * compiler would otherwise drop these as implied by the caller's */
	asm volatile("" : "+r"(caplen));
	if (caplen > room || caplen < 1) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		return -1;
	}
	if (room <= NFP_TRACE_DIRECT_MAX && caplen >= 8 && data + caplen <= data_end)
		err = nfp_trace_copy_direct(data, data_end, (__u8 *)(rec + 1), caplen, room);
	else if (xdp)
		err = bpf_xdp_load_bytes(ctx, 0, rec + 1, caplen);
	else
		err = bpf_skb_load_bytes(ctx, 0, rec + 1, caplen);
	if (err) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		return -1;
	}
	*rec = *hdr;
	rec->cap_len = caplen;
	st->since_wakeup += sizeof(*rec) + room;
	if (wakeup_bytes && st->since_wakeup >= wakeup_bytes) {
		st->since_wakeup = 0;
		st->wakeups++;
		flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(rec, flags);
	st->records++;
	st->bytes += caplen;
	return 0;
}

/* State of one walk over the published filters (bpf_loop's context). The
 * MACs are copied out of the packet so the callback holds no packet
 * pointer, and the verifier checks the callback once rather than once per
 * filter. */
struct nfp_trace_walk {
	const struct nfp_pkt *pkt;
	__u8 eth[12];
	__u8 has_eth;
	__u8 dir;
	__u32 ifindex;
	__u32 base;
	__u32 snap;
	__u64 sessions;
};

static long nfp_trace_walk_one(__u64 i, void *arg)
{
	struct nfp_trace_walk *w = arg;
	struct nfp_trace_filter *f;
	__u32 key = w->base + (__u32)i;

	f = bpf_map_lookup_elem(&nfp_trace_filt, &key);
	if (!f)
		return 1;
	if (nfp_trace_filter_match(f, w->pkt, w->has_eth ? w->eth : NULL, w->ifindex, w->dir)) {
		w->sessions |= f->session_bit;
		if (f->snaplen > w->snap)
			w->snap = f->snaplen;
	}
	return 0;
}

/* The slow path shared by both taps; @xdp is a constant after inlining, so
 * each program keeps only its own helpers. */
static __always_inline int nfp_trace_match_emit(void *ctx, int xdp, const struct nfp_pkt *pkt,
						__u32 state, __u32 wakeup_bytes, __u32 ifindex,
						__u32 dir)
{
	struct nfp_trace_walk w = { .pkt = pkt, .dir = dir, .ifindex = ifindex };
	struct nfp_trace_rec hdr = {};
	struct nfp_trace_stats *st;
	__u32 zero = 0, n = state & NFP_TRACE_CTL_COUNT_MASK;
	__u64 sessions;
	__u32 snap, caplen;
	void *data, *data_end;

	if (xdp) {
		data = (void *)(long)((struct xdp_md *)ctx)->data;
		data_end = (void *)(long)((struct xdp_md *)ctx)->data_end;
	} else {
		data = (void *)(long)((struct __sk_buff *)ctx)->data;
		data_end = (void *)(long)((struct __sk_buff *)ctx)->data_end;
	}
	if (data + 12 <= data_end) {
		__builtin_memcpy(w.eth, data, 12);
		w.has_eth = 1;
	}
	w.base = (state & NFP_TRACE_CTL_GEN) ? NFP_TRACE_MAX_SLOTS : 0;
	if (n > NFP_TRACE_MAX_SLOTS)
		n = NFP_TRACE_MAX_SLOTS;
	bpf_loop(n, nfp_trace_walk_one, &w, 0);
	sessions = w.sessions;
	snap = w.snap;
	if (!sessions)
		return 0;
	st = bpf_map_lookup_elem(&nfp_trace_stats, &zero);
	if (!st)
		return 0;

	hdr.time_ns = bpf_ktime_get_ns();
	hdr.sessions = sessions;
	hdr.ifindex = ifindex;
	hdr.orig_len = pkt->pkt_len;
	hdr.dir = dir;
	hdr.kind = NFP_TRACE_KIND_PACKET;
	caplen = pkt->pkt_len < snap ? pkt->pkt_len : snap;
	if (caplen <= 64)
		return nfp_trace_emit(ctx, xdp, data, data_end, 64, caplen, &hdr, st, wakeup_bytes);
	if (caplen <= 128)
		return nfp_trace_emit(ctx, xdp, data, data_end, 128, caplen, &hdr, st, wakeup_bytes);
	if (caplen <= 256)
		return nfp_trace_emit(ctx, xdp, data, data_end, 256, caplen, &hdr, st, wakeup_bytes);
	if (caplen <= 512)
		return nfp_trace_emit(ctx, xdp, data, data_end, 512, caplen, &hdr, st, wakeup_bytes);
	if (caplen <= 1024)
		return nfp_trace_emit(ctx, xdp, data, data_end, 1024, caplen, &hdr, st, wakeup_bytes);
	if (caplen <= 2048)
		return nfp_trace_emit(ctx, xdp, data, data_end, 2048, caplen, &hdr, st, wakeup_bytes);
	if (caplen <= 4096)
		return nfp_trace_emit(ctx, xdp, data, data_end, 4096, caplen, &hdr, st, wakeup_bytes);
	return nfp_trace_emit(ctx, xdp, data, data_end, NFP_TRACE_SNAPLEN_MAX, caplen, &hdr, st, wakeup_bytes);
}

/* Out of line so that the idle path stays a load and a branch. */
static __noinline __attribute__((unused)) int nfp_trace_slow_xdp(struct xdp_md *ctx,
								  const struct nfp_pkt *pkt,
								  __u32 state, __u32 wakeup_bytes)
{
	return nfp_trace_match_emit(ctx, 1, pkt, state, wakeup_bytes, ctx->ingress_ifindex,
				    NFP_TRACE_DIR_IN);
}

static __noinline __attribute__((unused)) int nfp_trace_slow_tc(struct __sk_buff *skb,
								 const struct nfp_pkt *pkt,
								 __u32 state, __u32 wakeup_bytes)
{
	return nfp_trace_match_emit(skb, 0, pkt, state, wakeup_bytes, skb->ifindex,
				    NFP_TRACE_DIR_OUT);
}

/* The idle path: one read of the control word and a branch. */
static __always_inline void nfp_trace_tap_xdp(struct xdp_md *ctx, const struct nfp_pkt *pkt)
{
	__u32 zero = 0, state;
	struct nfp_trace_ctl *ctl = bpf_map_lookup_elem(&nfp_trace_ctl, &zero);

	if (!ctl)
		return;
	state = *(volatile __u32 *)&ctl->state;
	if (state & NFP_TRACE_CTL_ANY_IN)
		nfp_trace_slow_xdp(ctx, pkt, state, ctl->wakeup_bytes);
}

static __always_inline void nfp_trace_tap_tc(struct __sk_buff *skb, const struct nfp_pkt *pkt)
{
	__u32 zero = 0, state;
	struct nfp_trace_ctl *ctl = bpf_map_lookup_elem(&nfp_trace_ctl, &zero);

	if (!ctl)
		return;
	state = *(volatile __u32 *)&ctl->state;
	if (state & NFP_TRACE_CTL_ANY_OUT)
		nfp_trace_slow_tc(skb, pkt, state, ctl->wakeup_bytes);
}

#endif
