/* bpf_run.c - see bpf_run.h. */
#include "bpf_run.h"

#include <bpf/bpf.h>
#include <errno.h>

struct bpf_run_result bpf_run_xdp(int prog_fd, const void *pkt, size_t len, uint32_t repeat,
				  void *out, size_t out_cap)
{
	struct bpf_run_result res = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .data_out = out, .data_size_out = (uint32_t)out_cap,
		    .repeat = repeat ? repeat : 1);

	res.err = bpf_prog_test_run_opts(prog_fd, &opts) ? -errno : 0;
	res.retval = opts.retval;
	res.duration = opts.duration;
	res.out_len = opts.data_size_out;
	return res;
}

struct bpf_run_result bpf_run_xdp_live(int prog_fd, const void *pkt, size_t len, uint32_t repeat)
{
	struct bpf_run_result res = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .repeat = repeat ? repeat : 1, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

	res.err = bpf_prog_test_run_opts(prog_fd, &opts) ? -errno : 0;
	return res;
}

struct bpf_run_result bpf_run_tc(int prog_fd, const void *pkt, size_t len, uint32_t repeat)
{
	struct bpf_run_result res = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .repeat = repeat ? repeat : 1);

	res.err = bpf_prog_test_run_opts(prog_fd, &opts) ? -errno : 0;
	res.retval = opts.retval;
	res.duration = opts.duration;
	return res;
}
