/* floor.bpf.c - the pieces a trace tap cannot do without, one XDP program
 * each, so that bench/trace/floor.c can time them through BPF_PROG_TEST_RUN
 * against an empty program: a timestamp, a helper call, a ring buffer
 * record, the copy of 128 bytes by helper and by direct loads, and a record
 * staged in a per-CPU buffer with one ring output per 4 KiB (what batching
 * records per CPU would cost, without the flushing it would need).
 * Not part of nfplane's dataplane; built only for the benchmark.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define CAP 128        /* bytes copied per record */
#define REC (32 + CAP) /* a record: header and bytes */
#define STAGE_FLUSH 4096

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} floor_ring SEC(".maps");

struct stage {
	__u32 len;
	__u32 pad;
	__u8 buf[2 * STAGE_FLUSH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stage);
} floor_stage SEC(".maps");

volatile __u64 floor_sink;

/* CAP bytes from the frame's start by direct loads; -1 if it is shorter */
static __always_inline int copy_direct(struct xdp_md *ctx, __u64 *dst)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u64 *src = data;

	if (data + CAP > end)
		return -1;
#pragma unroll
	for (int i = 0; i < CAP / 8; i++)
		dst[i] = src[i];
	return 0;
}

SEC("xdp") int floor_empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp") int floor_ktime(struct xdp_md *ctx)
{
	floor_sink = bpf_ktime_get_ns();
	return XDP_PASS;
}

/* the cheapest helper there is: what a call and its return cost */
SEC("xdp") int floor_helper_call(struct xdp_md *ctx)
{
	floor_sink = bpf_ktime_get_coarse_ns();
	return XDP_PASS;
}

SEC("xdp") int floor_ringbuf(struct xdp_md *ctx)
{
	__u64 *r = bpf_ringbuf_reserve(&floor_ring, REC, 0);

	if (!r)
		return XDP_PASS;
	r[0] = 1;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

SEC("xdp") int floor_ringbuf_copy_helper(struct xdp_md *ctx)
{
	__u64 *r = bpf_ringbuf_reserve(&floor_ring, REC, 0);

	if (!r)
		return XDP_PASS;
	r[0] = 1;
	if (bpf_xdp_load_bytes(ctx, 0, r + 4, CAP)) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return XDP_PASS;
	}
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

SEC("xdp") int floor_ringbuf_copy_direct(struct xdp_md *ctx)
{
	__u64 *r = bpf_ringbuf_reserve(&floor_ring, REC, 0);

	if (!r)
		return XDP_PASS;
	r[0] = 1;
	if (copy_direct(ctx, r + 4)) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return XDP_PASS;
	}
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

/* timestamp + ring record + direct copy: the least a record through the
 * ring costs */
SEC("xdp") int floor_record(struct xdp_md *ctx)
{
	__u64 *r = bpf_ringbuf_reserve(&floor_ring, REC, 0);

	if (!r)
		return XDP_PASS;
	r[0] = bpf_ktime_get_ns();
	if (copy_direct(ctx, r + 4)) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return XDP_PASS;
	}
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

/* the same record staged per CPU, the ring written once per STAGE_FLUSH */
SEC("xdp") int floor_record_staged(struct xdp_md *ctx)
{
	__u32 zero = 0, len;
	struct stage *s = bpf_map_lookup_elem(&floor_stage, &zero);

	if (!s)
		return XDP_PASS;
	len = s->len;
	if (len >= STAGE_FLUSH) {
		bpf_ringbuf_output(&floor_ring, s->buf, len & (2 * STAGE_FLUSH - 1),
				   BPF_RB_NO_WAKEUP);
		len = 0;
	}
	len &= STAGE_FLUSH - 1;
	*(__u64 *)(s->buf + len) = bpf_ktime_get_ns();
	if (copy_direct(ctx, (__u64 *)(s->buf + len + 32)))
		return XDP_PASS;
	s->len = len + REC;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
