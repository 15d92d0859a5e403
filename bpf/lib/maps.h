/* maps.h - the maps shared by every nfplane BPF object, defined once.
 *
 * Each map is pinned by name under the pin directory nfpd gives libbpf
 * (pin_root_path), so the XDP and TC objects of every interface, and every
 * nfpd that runs after, share the same instances.
 */
#ifndef NFP_BPF_MAPS_H
#define NFP_BPF_MAPS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/common.h"
#include "nfplane/iface.h"
#include "nfplane/stats.h"

/* ifindex -> attachment record. Written only by nfpd; the programs never
 * read it. It is the registry a restarted nfpd re-adopts interfaces from. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_iface_rec);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ifaces SEC(".maps");

/* slot -> configuration of that interface's pipeline. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_if_conf);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_if_conf SEC(".maps");

/* slot -> counters, one copy per CPU, incremented in place. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_if_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_if_stats SEC(".maps");

#endif
