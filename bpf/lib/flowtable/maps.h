/* flowtable/maps.h - the flowtable's maps: the table templates and the outer
 * maps nfpd puts the real tables in, per-slot configuration, counters and
 * live-flow counts, flow ids, the applications' per-flow info, and the two
 * rings (ended flows, mirrored packet heads). Pinned by name, shared by every
 * interface's program instance and by nfpd (user/flowtable/).
 */
#ifndef NFP_BPF_FT_MAPS_H
#define NFP_BPF_FT_MAPS_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "nfplane/common.h"
#include "nfplane/flowtable.h"

/* Never read: it makes the compiler describe the flow structs in full in
 * BTF (the inner-map templates below name them only through pointers, which
 * leaves forward declarations), so libbpf can size the templates and nfpd
 * can give its tables BTF, for bpftool to print them with named fields. */
static const volatile struct {
	struct nfp_ft_set4 s4;
	struct nfp_ft_set6 s6;
	struct nfp_ft_end end;
	struct nfp_ft_mirror_rec mirror;
} nfp_ft_btf_types __attribute__((used));

/* Table templates: nfpd creates the real tables with the size it is told
 * (BPF_F_INNER_MAP: tables of any size fit the outer map) and puts them in
 * slot 0 of the outer maps. Mappable, so nfpd reads and sweeps them in
 * place (user/flowtable/table.c). */
struct nfp_ft_inner4 {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct nfp_ft_set4);
};

struct nfp_ft_inner6 {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct nfp_ft_set6);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nfp_ft_inner4);
} nfp_ft_tables4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nfp_ft_inner6);
} nfp_ft_tables6 SEC(".maps");

/* Live flows per interface slot (the flows it created that are still in a
 * table), kept with atomic adds by XDP and nfpd alike, so an interface's
 * max_flows share is enforced at creation. Mappable for nfpd's atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, __s64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_live SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_ft_conf);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_conf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NFP_MAX_IFACES);
	__type(key, __u32);
	__type(value, struct nfp_ft_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_stats SEC(".maps");

/* Flow ids: CPU number << 56 | this CPU's sequence. One map for every
 * interface (per-slot sequences would repeat ids), pinned so ids stay
 * unique across reloads. Only read when a flow is created. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_ids SEC(".maps");

/* The applications' 16 bytes per flow (flowtable_update): written and read
 * by nfpd only, kept apart so the context stays one cache line. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFP_FT_INFO_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct nfp_ft_info);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_info SEC(".maps");

/* Flows that XDP ends itself (restarted on their next packet after expiry).
 * Written with BPF_RB_NO_WAKEUP: nfpd drains it on its sweep timer, so a
 * record costs ~30 ns and never a wakeup (docs/flowtable.md). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_ends SEC(".maps");

/* Packet heads for the application mirror stream; bounded, drops counted. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nfp_ft_mirror SEC(".maps");

#endif
