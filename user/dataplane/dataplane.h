/* dataplane.h - nfpd's owner of the BPF side: the pinned maps, and the XDP
 * and TC programs attached to each interface.
 *
 * State lives in the pinned maps, not in this process: the nfp_ifaces map
 * records every attachment, so a restarted nfpd re-adopts what is attached
 * (nfp_dp_open) instead of attaching again, and counters carry on.
 */
#ifndef NFP_DATAPLANE_H
#define NFP_DATAPLANE_H

#include "nfplane/iface.h"
#include "nfplane/stats.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bpf_object;

struct nfp_dataplane;

struct nfp_dp_options {
	const char *pin_dir;  /* where maps are pinned */
	const char *bpf_dir;  /* where the *.bpf.o objects are (skeletons embed them; unused) */
};

/* Mount bpffs if needed, create/reuse the pinned maps, re-adopt interfaces
 * recorded as attached. */
int nfp_dp_open(struct nfp_dataplane **out, const struct nfp_dp_options *opts);
/* Release the process's handles; the dataplane stays as it is. */
void nfp_dp_close(struct nfp_dataplane *dp);
/* Detach every interface and remove the pins (nfpd --teardown). */
int nfp_dp_teardown(struct nfp_dataplane *dp);

struct nfp_dp_iface {
	uint32_t ifindex;
	struct nfp_iface_rec rec;
};

/* @mode: NFP_XDP_MODE_*. Fills @out on success. Errors: -ENODEV (no such
 * interface), -EALREADY, -ENOSPC (all slots used), or what the kernel said;
 * @msg gets a human explanation. Nothing stays half attached on failure. */
int nfp_dp_attach(struct nfp_dataplane *dp, const char *ifname, int mode,
		  struct nfp_dp_iface *out, char *msg, size_t msg_len);
int nfp_dp_detach(struct nfp_dataplane *dp, const char *ifname, char *msg, size_t msg_len);

/* Iterate attached interfaces: returns the count written to @out (at most @max). */
int nfp_dp_list(struct nfp_dataplane *dp, struct nfp_dp_iface *out, int max);
int nfp_dp_find(struct nfp_dataplane *dp, const char *ifname, struct nfp_dp_iface *out);
/* Counters of a slot, summed over CPUs. */
int nfp_dp_stats(struct nfp_dataplane *dp, uint32_t slot, struct nfp_if_stats *out);

/* Names for the API. */
const char *nfp_dp_mode_name(uint32_t mode);
const char *nfp_dp_attach_name(uint32_t attach);

/* A stage that keeps something per interface slot (the flowtable: its
 * configuration) hooks the slot's release (detach, or an interface found
 * gone or broken at re-adoption), so that the slot's next owner starts
 * afresh; the dataplane itself knows no stage's maps. A hook hears at once,
 * on registering, of the slots released since nfp_dp_open and not taken
 * again (re-adoption runs before any stage starts). Hooks run in
 * registration order. Registering: 0, or -ENOSPC when
 * NFP_DP_MAX_SLOT_HOOKS are registered. Cancel it before @ctx goes. */
#define NFP_DP_MAX_SLOT_HOOKS 8
typedef void nfp_dp_slot_release_fn(void *ctx, uint32_t slot);
int nfp_dp_on_slot_release(struct nfp_dataplane *dp, nfp_dp_slot_release_fn *fn, void *ctx);
void nfp_dp_cancel_slot_release(struct nfp_dataplane *dp, nfp_dp_slot_release_fn *fn,
				void *ctx);

/* fds of the pinned maps, for subsystems that read them. */
int nfp_dp_map_fd(struct nfp_dataplane *dp, const char *name);
const char *nfp_dp_pin_dir(const struct nfp_dataplane *dp);
/* The loaded object holding those maps (for their BTF). */
struct bpf_object *nfp_dp_object(struct nfp_dataplane *dp);

#endif
