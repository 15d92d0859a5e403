/* format.h - the byte streams a trace reader receives.
 *
 * pcapng (docs/trace.md says why not classic pcap): a section header, then
 * per reader one interface description block per interface as it first
 * appears (interface 0 is always "openflow", the controller channel), one
 * enhanced packet block per item with its direction in epb_flags and, after
 * a loss, the number of records this reader lost in epb_dropcount; at the
 * end an interface statistics block whose comment says why the session
 * ended. OpenFlow messages are raw OpenFlow bytes behind a synthetic
 * Ethernet/IPv4/TCP header (port 6653), so every block has the Ethernet link
 * type and tcpdump as well as tshark decode them.
 *
 * JSON lines: {"type":"packet"|"openflow"|"lost"|"end", ...}.
 */
#ifndef NFP_TRACE_FORMAT_H
#define NFP_TRACE_FORMAT_H

#include "trace/item.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Per-reader pcapng state: which interfaces it has described. */
#define NFP_PCAPNG_MAX_IFS 64
struct nfp_pcapng {
	uint32_t ifindex[NFP_PCAPNG_MAX_IFS]; /* id i+1 describes ifindex[i] */
	int n_ifs;
	/* sequence numbers of the synthetic OpenFlow TCP stream, switch to
	 * controller and back, so that dissectors see one coherent stream */
	uint32_t of_seq[2];
};

/* Room a caller must give the writers below for one item. */
#define NFP_PCAPNG_MAX_BLOCK (65536 + 1024)

/* Section header and the "openflow" interface: the start of every stream. */
size_t nfp_pcapng_begin(struct nfp_pcapng *st, uint8_t *buf);
/* Blocks for one item (an interface description first, if it is new).
 * @lost: records this reader lost since its last delivered one. */
size_t nfp_pcapng_item(struct nfp_pcapng *st, uint8_t *buf, const struct nfp_trace_item *it,
		       uint64_t lost);
/* The closing statistics block. */
size_t nfp_pcapng_end(struct nfp_pcapng *st, uint8_t *buf, uint64_t time_ns, uint64_t delivered,
		      uint64_t lost, const char *comment);

/* JSON records (new references). */
json_t *nfp_trace_item_json(const struct nfp_trace_item *it, const char *session);
json_t *nfp_trace_lost_json(uint64_t lost);
json_t *nfp_trace_end_json(const char *session, const char *reason, uint64_t delivered,
			   uint64_t lost);

/* OpenFlow 1.0 message type names ("packet_in"); "type_N" beyond them. */
const char *nfp_trace_of_type_name(uint8_t version, uint8_t type);

#endif
