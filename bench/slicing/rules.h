/* rules.h - the flowspace the slicing benchmarks classify against: what a
 * FlowVisor deployment holds. Per-host rules (an exact dl_src, 1 in 2), a
 * site's IPv4 /24 (1 in 4), per-port rules (in_port 1-48 and a dl_type,
 * 1 in 4), on 16 dpids or any, priorities 1000-31000; and two wide ones: an
 * ARP rule at 100 and match-all at 0. Five masks in all. Deterministic for
 * a seed of the tests' generator (tests/lib/fs_gen.h: fs_gen_seed). */
#ifndef NFP_BENCH_FS_RULES_H
#define NFP_BENCH_FS_RULES_H

#include "slicing/flowspace.h"

#include <stddef.h>
#include <stdint.h>

/* Host @h's MAC: 02:00 and @h. */
void fsb_host_mac(uint32_t h, uint8_t mac[6]);
/* @n rules (n >= 3), slices s0..s7. */
void fsb_make_rules(struct fs_rule *r, size_t n);

#endif
