/* slicer.h - FlowVisor's slicing of OpenFlow, between the controller core
 * and each slice's controller: every slice is an of_provider (of_provider.h)
 * a module runs on unchanged, and what reaches it, what it sends and what
 * it sees of a switch are cut to the slice's flowspace.
 *
 * From the switches: a packet-in goes to every slice whose rule for the
 * packet (the highest-priority one, flowspace.h) gives it READ or WRITE;
 * its buffer id is usable by the WRITE slices only; a packet in no rule is
 * dropped and counted. switch_up/down go to slices with flowspace on that
 * datapath, port status only for a port in the slice, errors to the slice
 * that sent the request.
 * From a slice: a flow-mod is intersected with the slice's WRITE flowspace
 * on that datapath and sent once per intersection (only the first keeps the
 * buffer id, flags cut to SEND_FLOW_REM), its actions approved first: an
 * output outside the slice, LOCAL or NORMAL is refused (-EPERM), FLOOD and
 * ALL become outputs to the slice's ports. No intersection: -EPERM, nothing
 * sent. A packet-out must use a buffer the slice was given and carry a
 * packet its flowspace gives WRITE; barriers and stats requests pass.
 * A slice's ports on a datapath are those its rules there name as in_port,
 * or all the switch's when a rule leaves in_port open.
 */
#ifndef NFP_SLICING_SLICER_H
#define NFP_SLICING_SLICER_H

#include "openflow/of_provider.h"
#include "slicing/flowspace.h"

#include <stdint.h>

struct fs_slicer;
struct fs_slice;

struct fs_slice_stats {
	uint64_t packet_ins;     /* delivered to the slice */
	uint64_t flow_mods_in;   /* the slice sent */
	uint64_t flow_mods_out;  /* sent to switches for it (one per intersection) */
	uint64_t packet_outs;
	uint64_t eperm;          /* messages refused (any reason below too) */
	uint64_t over_quota;     /* flow-mod ADDs refused: the slice holds its limit */
	uint64_t rate_limited;   /* messages refused: over the rate limit */
	int64_t flow_entries;    /* entries it holds by our count, all switches */
};

struct fs_slicer_stats {
	uint64_t packet_ins;          /* from the switches */
	uint64_t packet_ins_no_rule;  /* in no flowspace: dropped */
};

/* A slicer over @core (which must outlive it). Its flowspace starts empty:
 * nothing reaches any slice. */
struct fs_slicer *fs_slicer_new(struct of_provider *core);
/* Slices must be removed (their modules stopped) first. */
void fs_slicer_free(struct fs_slicer *s);

/* Use @map from now on (the slicer owns it; the old one is freed). */
void fs_slicer_set_flowspace(struct fs_slicer *s, struct fs_map *map);
const struct fs_map *fs_slicer_flowspace(const struct fs_slicer *s);

/* A new slice named @name (copied; FS_NAME_MAX), NULL if out of memory or
 * the name is taken. Its provider is fs_slice_provider(). */
struct fs_slice *fs_slicer_add_slice(struct fs_slicer *s, const char *name);
/* Stop the modules on it first (they unsubscribe). */
void fs_slicer_remove_slice(struct fs_slicer *s, struct fs_slice *slice);
struct of_provider *fs_slice_provider(struct fs_slice *slice);
const char *fs_slice_name(const struct fs_slice *slice);
void fs_slice_stats(const struct fs_slice *slice, struct fs_slice_stats *st);
void fs_slicer_stats(const struct fs_slicer *s, struct fs_slicer_stats *st);

/* The slice's limits (-1: none): flow entries it may hold over all
 * switches (an ADD sent counts one per intersection, a DELETE or a flow
 * that expired releases one), and control messages per second per switch
 * (a token bucket holding one second's worth). Over them a message is
 * refused (-EDQUOT, -EBUSY) and nothing is sent. */
void fs_slice_set_limits(struct fs_slice *slice, int64_t flow_entries, int64_t msgs_per_s);

/* LLDP: a slice's own probes (LLDP packet-outs it sent) come back to it
 * from any port; other LLDP reaches it, by its flowspace, only when @on. */
void fs_slice_set_recv_lldp(struct fs_slice *slice, bool on);

/* The flowspace rule the packet of packet-in @pi from @sw is in (NULL:
 * none), as the slicer classified it for delivery. */
const struct fs_rule *fs_slice_packet_rule(struct fs_slice *slice, struct of_switch *sw,
					   const struct of_packet_in *pi);

/* Does @slice own port @port on @dpid? */
bool fs_slice_has_port(const struct fs_slicer *s, const struct fs_slice *slice, uint64_t dpid,
		       uint32_t port);

#endif
