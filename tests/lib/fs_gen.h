/* fs_gen.h - random flowspace matches and packets for the slicing tests
 * and benchmarks: values from small domains, so that random rules and
 * packets overlap often enough to exercise every relation. Deterministic
 * for a seed. */
#ifndef NFP_TEST_FS_GEN_H
#define NFP_TEST_FS_GEN_H

#include "openflow/of_types.h"

#include <stdint.h>

void fs_gen_seed(uint32_t seed);
uint32_t fs_gen_rand(void);
/* A packet: every OpenFlow 1.0 field present and exact. */
void fs_gen_point(struct of_match *p);
/* A region: a random packet with each field kept with chance 1 in
 * @one_in, the IPv4 addresses as /8, /16, /24 or /32 prefixes of it. */
void fs_gen_match(struct of_match *m, unsigned one_in);

#endif
