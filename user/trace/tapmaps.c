/* tapmaps.c - see tapmaps.h. */
#include "trace/tapmaps.h"
#include "common/percpu.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int nfp_trace_tapmaps_publish(struct nfp_trace_tapmaps *m, const struct nfp_trace_filter *f,
			      unsigned int n)
{
	uint32_t gen = (m->state & NFP_TRACE_CTL_GEN) ? 0 : NFP_TRACE_CTL_GEN;
	uint32_t base = gen ? NFP_TRACE_MAX_SLOTS : 0;
	struct nfp_trace_ctl ctl = { .wakeup_bytes = m->wakeup_bytes };
	uint32_t zero = 0;

	if (n > NFP_TRACE_MAX_SLOTS)
		return -E2BIG;
	ctl.state = gen | n;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t key = base + i;

		if (bpf_map_update_elem(m->filt_fd, &key, &f[i], BPF_ANY))
			return -errno;
		if (f[i].dir & NFP_TRACE_DIR_IN)
			ctl.state |= NFP_TRACE_CTL_ANY_IN;
		if (f[i].dir & NFP_TRACE_DIR_OUT)
			ctl.state |= NFP_TRACE_CTL_ANY_OUT;
	}
	/* the taps read the filters only through this word, so writing it
	 * last makes the new set appear whole */
	if (bpf_map_update_elem(m->ctl_fd, &zero, &ctl, BPF_ANY))
		return -errno;
	m->state = ctl.state;
	return 0;
}

int nfp_trace_tapmaps_stats(const struct nfp_trace_tapmaps *m, struct nfp_trace_stats *out)
{
	uint32_t zero = 0;
	int r = nfp_percpu_sum_u64(m->stats_fd, &zero, out, sizeof(*out));

	/* the tap's own state, not a counter: a sum of it means nothing */
	out->since_wakeup = 0;
	return r;
}
