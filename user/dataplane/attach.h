/* attach.h - putting nfplane's programs on one interface and taking them off:
 * XDP through libxdp, TC through libbpf's clsact hooks. Each call loads a
 * fresh instance of the program with the interface's slot in its read-only
 * data; the instance shares the pinned maps under @pin_dir.
 */
#ifndef NFP_ATTACH_H
#define NFP_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nfp_xdp_attached {
	uint32_t prog_id;
	uint32_t attach; /* enum nfp_xdp_attach */
};

int nfp_xdp_attach(const char *pin_dir, uint32_t ifindex, uint32_t slot, uint32_t mode,
		   struct nfp_xdp_attached *out, char *msg, size_t msg_len);
/* Detach our program (@prog_id) and nothing else: other programs on a
 * libxdp dispatcher stay. -ENOENT when it is not there. */
int nfp_xdp_detach(uint32_t ifindex, uint32_t prog_id, uint32_t mode);
/* Is @prog_id attached to @ifindex (alone or in a dispatcher)? */
bool nfp_xdp_is_attached(uint32_t ifindex, uint32_t prog_id);

struct nfp_tc_attached {
	uint32_t ingress_id;
	uint32_t egress_id;
	bool created_clsact;
};

int nfp_tc_attach(const char *pin_dir, uint32_t ifindex, uint32_t slot,
		  struct nfp_tc_attached *out, char *msg, size_t msg_len);
/* Remove our filters; remove the clsact qdisc too when we created it. */
void nfp_tc_detach(uint32_t ifindex, bool remove_clsact);
/* Program id of our filter on the ingress (or egress) hook, 0 if none. */
uint32_t nfp_tc_attached_id(uint32_t ifindex, bool ingress);

#endif
