/* xdp_load.h - loading nfplane's XDP and TC skeletons for BPF_PROG_TEST_RUN
 * (tests and benchmarks): never pinned, so a test never touches the pin
 * directory of a running nfpd, and reading/clearing a slot's per-CPU
 * counters as one summed struct nfp_if_stats. */
#ifndef NFP_TEST_XDP_LOAD_H
#define NFP_TEST_XDP_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "nfplane/stats.h"

struct nfp_xdp;
struct nfp_tc;

/* Open the XDP object with its maps unpinned, not loaded yet: the caller
 * sets read-only data (benchmark knobs) and calls nfp_xdp__load. NULL (and
 * prints why) on failure. */
struct nfp_xdp *xdp_open_unpinned(void);

/* Open and load the XDP program for @slot with its maps unpinned;
 * @record_parse turns on the nfp_parse_log store; @frags loads it
 * multi-buffer capable (as nfpd does for jumbo-MTU interfaces). The slot is
 * left inactive. Returns NULL (and prints why) on failure. */
struct nfp_xdp *xdp_load_unpinned(uint32_t slot, bool record_parse, bool frags);

/* Open and load the TC programs for @slot, unpinned. If @share is not NULL,
 * the TC object uses @share's nfp_if_conf and nfp_if_stats maps, as the
 * pinned objects share them in production. */
struct nfp_tc *tc_load_unpinned(uint32_t slot, struct nfp_xdp *share);

/* Set or clear NFP_IFC_ACTIVE for @slot in the nfp_if_conf map @conf_fd. */
int slot_set_active(int conf_fd, uint32_t slot, bool active);

/* Sum every CPU's copy of @slot's counters in the per-CPU map @stats_fd. */
int stats_read(int stats_fd, uint32_t slot, struct nfp_if_stats *sum);
/* Zero every CPU's copy of @slot's counters. */
int stats_clear(int stats_fd, uint32_t slot);

#endif
