/* common.h - constants shared by the BPF programs and userspace: default paths,
 * capacity limits and the names under which maps are pinned.
 *
 * A map's pin name is its C name in bpf/lib/maps.h; userspace opens pins by the
 * names below, so keep the two in step (tests/bpf checks every pin exists).
 */
#ifndef NFPLANE_COMMON_H
#define NFPLANE_COMMON_H

#include "types.h"

#define NFP_VERSION "0.1.0"

#define NFP_PIN_DIR_DEFAULT   "/sys/fs/bpf/nfplane"
#define NFP_RUN_DIR_DEFAULT   "/run/nfplane"
#define NFP_SOCK_PATH_DEFAULT "/run/nfplane/nfpd.sock"

/* Interfaces nfpd can attach to at once. Each attached interface owns one
 * slot: the index of its entries in the per-slot array maps. The slot is
 * baked into that interface's program instance as read-only data, so the
 * per-packet path finds its configuration and counters without a hash lookup. */
#define NFP_MAX_IFACES 64

/* Pinned map names (see bpf/lib/maps.h for their definitions). */
#define NFP_MAP_IFACES   "nfp_ifaces"   /* ifindex -> struct nfp_iface_rec   */
#define NFP_MAP_IF_CONF  "nfp_if_conf"  /* slot -> struct nfp_if_conf        */
#define NFP_MAP_IF_STATS "nfp_if_stats" /* slot -> struct nfp_if_stats (per-CPU) */

/* Program names, as libxdp and bpftool show them (at most 15 characters). */
#define NFP_XDP_PROG_NAME       "nfp_xdp_ingress"
#define NFP_TC_INGRESS_PROG_NAME "nfp_tc_ingress"
#define NFP_TC_EGRESS_PROG_NAME  "nfp_tc_egress"

/* Our TC filters are found again (after a restart, for detach) by this
 * handle and priority on the clsact hooks. */
#define NFP_TC_HANDLE   0x4e46 /* "NF" */
#define NFP_TC_PRIORITY 0x4e46

#endif
