/* tapmaps.h - nfpd's side of the protocol with the trace taps: publish a set
 * of compiled filters (include/nfplane/trace.h explains the two generations
 * and the control word) and read the taps' counters. Knows nothing of
 * sessions; user/trace/session.c decides what to publish.
 */
#ifndef NFP_TRACE_TAPMAPS_H
#define NFP_TRACE_TAPMAPS_H

#include "nfplane/trace.h"

#include <stdint.h>

struct nfp_trace_tapmaps {
	int ctl_fd, filt_fd, stats_fd;
	uint32_t state;        /* last published control word */
	uint32_t wakeup_bytes; /* struct nfp_trace_ctl's */
};

/* Publish @n (<= NFP_TRACE_MAX_SLOTS) filters: write them into the half the
 * taps are not reading, then switch the control word to it. n == 0 turns
 * the taps off (one read per packet from then on). Returns 0 or -errno; on
 * failure the taps keep the previous set. */
int nfp_trace_tapmaps_publish(struct nfp_trace_tapmaps *m, const struct nfp_trace_filter *f,
			      unsigned int n);
/* Counters summed over CPUs. */
int nfp_trace_tapmaps_stats(const struct nfp_trace_tapmaps *m, struct nfp_trace_stats *out);

#endif
