/* bpf_run.h - running a loaded program through BPF_PROG_TEST_RUN, for the
 * BPF tests and the benchmarks. */
#ifndef NFP_TEST_BPF_RUN_H
#define NFP_TEST_BPF_RUN_H

#include <stddef.h>
#include <stdint.h>

struct bpf_run_result {
	int err;           /* 0, or -errno from the syscall */
	uint32_t retval;   /* the program's verdict */
	uint32_t duration; /* average ns per repetition, as the kernel reports */
	size_t out_len;    /* bytes of packet out (if out was given) */
};

/* Run @prog_fd once (@repeat > 1: that many times) on @pkt. @out, if not
 * NULL, receives the packet as the program left it (@out_cap bytes). The
 * context is the kernel's default: ingress on loopback, rx queue 0. */
struct bpf_run_result bpf_run_xdp(int prog_fd, const void *pkt, size_t len, uint32_t repeat,
				  void *out, size_t out_cap);
/* Run @prog_fd on @repeat copies of @pkt in live-frame mode
 * (BPF_F_TEST_XDP_LIVE_FRAMES): XDP_PASS frames become skbs that enter the
 * stack of the loopback device of the caller's network namespace, through
 * its TC ingress hook, metadata included. Only the error is reported. */
struct bpf_run_result bpf_run_xdp_live(int prog_fd, const void *pkt, size_t len, uint32_t repeat);
struct bpf_run_result bpf_run_tc(int prog_fd, const void *pkt, size_t len, uint32_t repeat);

#endif
