/* fakesw.h - one emulated OpenFlow 1.0 switch of ofbench.
 *
 * A fake switch owns one TCP connection to the controller under test. It does
 * the switch side of the handshake (hello, features, get/set_config, echo,
 * barrier, desc stats), announces a few destination hosts with gratuitous ARP
 * packet-ins so a learning switch knows where to send traffic, then sends
 * packet-ins with fresh source MACs and counts the replies the way cbench
 * does: every FLOW_MOD with command ADD or MODIFY_STRICT and every PACKET_OUT
 * that is not LLDP is one response. The event loop, timing and reporting live
 * in ofbench.c; this file knows only the protocol and the counters.
 */
#ifndef OFBENCH_FAKESW_H
#define OFBENCH_FAKESW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* what all switches share; filled from the command line */
struct fs_config {
	unsigned int n_ports;      /* ports in the features reply (>= 2) */
	unsigned int macs;         /* unique source MACs per switch */
	unsigned int hosts;        /* destination hosts per switch */
	bool learn;                /* announce the hosts before measuring */
	bool buffered;             /* packet-ins carry a buffer id */
	bool throughput;           /* keep the send buffer full (else one outstanding) */
	size_t window;             /* throughput mode: bytes kept queued */
	uint64_t lost_after_ns;    /* latency mode: give up on a packet-in after this */
};

enum fs_state {
	FS_CONNECTING,  /* TCP connect in progress */
	FS_HELLO,       /* hello sent, waiting for features_request */
	FS_LEARNING,    /* features answered, host announcements not yet answered */
	FS_READY,       /* handshake complete: counting */
};

/* Everything a run reports; ofbench subtracts two snapshots. */
struct fs_counts {
	uint64_t flow_mods;     /* FLOW_MOD ADD / MODIFY_STRICT received while ready */
	uint64_t packet_outs;   /* non-LLDP PACKET_OUT received while ready */
	uint64_t packet_ins;    /* packet-ins sent while ready */
	uint64_t answered;      /* latency mode: packet-ins whose reply arrived */
	uint64_t lost;          /* latency mode: packet-ins given up on */
	uint64_t rtt_ns;        /* latency mode: sum of round trips of answered ones */
	uint64_t errors_rx;     /* OFPT_ERROR messages from the controller */
	uint64_t bad_msgs;      /* malformed messages from the controller */
	uint64_t other_flow_mods; /* FLOW_MODs with other commands (not counted) */
	/* packet-ins answered: whose packet the controller sent on (buffered:
	 * a flow-mod or packet-out naming its buffer; unbuffered: a
	 * packet-out carrying it), each counted once however many replies it
	 * got, so that a controller sending two replies per packet-in is not
	 * counted twice. Replies are taken in the order packet-ins were sent
	 * (one TCP connection, a controller answering in turn). */
	uint64_t pins_answered;
};

#define RTT_BUCKETS 10001 /* 1 us each; the last one is ">= 10 ms" */
struct rtt_hist {
	uint64_t n[RTT_BUCKETS];
};

struct iobuf {
	uint8_t *data;
	size_t head, tail, cap;
};

struct fakesw {
	int fd;
	unsigned int idx;          /* 0-based; DPID is idx + 1 */
	uint64_t dpid;
	enum fs_state state;
	bool running;              /* ofbench started the measurement: send packet-ins */
	bool got_hello;
	const struct fs_config *cfg;
	struct rtt_hist *hist;     /* latency mode: where round trips go (may be NULL) */
	struct iobuf in, out;
	uint32_t next_xid;
	uint32_t next_buffer_id;
	uint32_t mac_seq;
	uint16_t config_flags, miss_send_len;
	/* host announcements */
	unsigned int learn_answers;
	uint64_t learn_sent_ns;
	/* latency mode: the one outstanding packet-in */
	bool outstanding;
	uint32_t out_buffer_id;
	uint8_t out_src[6];
	uint64_t out_sent_ns;
	/* traffic packet-ins sent while ready, numbered 0.. (their serials);
	 * the first one's buffer id and MAC sequence, from which any later
	 * one's follow; the serial of the latest one answered (-1: none) */
	uint64_t pin_sent;
	uint32_t pin_buffer0, pin_mac0;
	int64_t pin_done;
	struct fs_counts c;
	unsigned int errors_logged;
	char err[192];             /* why the last call failed */
};

/* Set up a switch (buffers, templates); fd is taken later by fs_connected. */
int fs_init(struct fakesw *fs, unsigned int idx, const struct fs_config *cfg);
void fs_free(struct fakesw *fs);
/* The TCP connection is up: queue our HELLO. */
void fs_connected(struct fakesw *fs);
/* Read what the controller sent and act on every whole message.
 * 0 ok, -1 fatal (fs->err says why: closed, desynchronised stream, ...). */
int fs_read(struct fakesw *fs, uint64_t now_ns);
/* Handle one whole message (exposed for tests). 0 ok, -1 fatal. */
int fs_handle_msg(struct fakesw *fs, const uint8_t *msg, size_t len, uint64_t now_ns);
/* Top up packet-ins as the mode says and write what is queued.
 * 1 data still queued (wait for writability), 0 all written, -1 fatal. */
int fs_pump(struct fakesw *fs, uint64_t now_ns);
/* Timers: re-announce hosts nobody answered, give up on lost packet-ins. */
void fs_tick(struct fakesw *fs, uint64_t now_ns);

const char *fs_state_name(enum fs_state s);

#endif
