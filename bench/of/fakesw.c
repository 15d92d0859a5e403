/* fakesw.c - one emulated OpenFlow 1.0 switch: handshake, replies to the
 * controller's requests, packet-in generation and cbench-style counting.
 * See fakesw.h for the contract; the OpenFlow layout is in of10.h.
 */
#include "fakesw.h"
#include "of10.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define IN_CAP (1u << 20)      /* a read never needs more than this */
#define READ_MIN_ROOM (64u << 10)
#define OUT_CAP (256u << 10)   /* grows if control replies ever need it */
#define OUT_CAP_MAX (64u << 20)
#define FRAME_LEN 60           /* Ethernet frame in every packet-in (no FCS) */
#define PI_LEN (OF10_PI_DATA + FRAME_LEN)
#define DATA_IN_PORT 1         /* where fresh sources arrive */
#define HOST_IN_PORT 2         /* where the announced hosts live */
#define RELEARN_NS 200000000ull /* re-announce hosts unanswered for 200 ms */
#define MAX_LOGGED_ERRORS 5
#define WRITES_PER_PUMP 8      /* bound one switch's turn, for fairness */
#define READS_PER_CALL 4

static const char *const state_names[] = {
	[FS_CONNECTING] = "connecting",
	[FS_HELLO] = "waiting for features_request",
	[FS_LEARNING] = "announcing hosts",
	[FS_READY] = "ready",
};

const char *fs_state_name(enum fs_state s)
{
	return s <= FS_READY ? state_names[s] : "?";
}

/* ---- buffers ---- */

static int buf_alloc(struct iobuf *b, size_t cap)
{
	b->data = malloc(cap);
	b->head = b->tail = 0;
	b->cap = cap;
	return b->data ? 0 : -1;
}

static void buf_compact(struct iobuf *b)
{
	if (b->head == 0)
		return;
	memmove(b->data, b->data + b->head, b->tail - b->head);
	b->tail -= b->head;
	b->head = 0;
}

/* Room for n more bytes at the tail; NULL only when memory runs out or the
 * controller has stopped reading for so long that OUT_CAP_MAX is queued. */
static uint8_t *buf_reserve(struct iobuf *b, size_t n)
{
	if (b->tail + n <= b->cap)
		return b->data + b->tail;
	buf_compact(b);
	if (b->tail + n > b->cap) {
		size_t cap = b->cap;
		uint8_t *d;

		while (cap < b->tail + n)
			cap *= 2;
		if (cap > OUT_CAP_MAX || !(d = realloc(b->data, cap)))
			return NULL;
		b->data = d;
		b->cap = cap;
	}
	return b->data + b->tail;
}

static size_t buf_len(const struct iobuf *b)
{
	return b->tail - b->head;
}

static int fail(struct fakesw *fs, const char *fmt, const char *detail)
{
	snprintf(fs->err, sizeof(fs->err), fmt, detail);
	return -1;
}

/* ---- addresses: all locally administered unicast, unique per switch ---- */

/* source n of switch idx: 02:ii:ii:nn:nn:nn */
static void source_mac(uint8_t *mac, unsigned int idx, uint32_t n)
{
	mac[0] = 0x02;
	mac[1] = (idx >> 8) & 0xff;
	mac[2] = idx & 0xff;
	mac[3] = (n >> 16) & 0xff;
	mac[4] = (n >> 8) & 0xff;
	mac[5] = n & 0xff;
}

/* destination host h of switch idx: 0a:00:ii:ii:00:hh */
static void host_mac(uint8_t *mac, unsigned int idx, unsigned int h)
{
	mac[0] = 0x0a;
	mac[1] = 0;
	mac[2] = (idx >> 8) & 0xff;
	mac[3] = idx & 0xff;
	mac[4] = 0;
	mac[5] = h & 0xff;
}

static uint32_t host_ip(unsigned int idx, unsigned int h)
{
	return 10u << 24 | 2u << 16 | (idx & 0xff) << 8 | ((h + 1) & 0xff);
}

static uint32_t source_ip(unsigned int idx)
{
	return 10u << 24 | 1u << 16 | (idx & 0xffff);
}

static uint16_t ip_checksum(const uint8_t *hdr)
{
	uint32_t sum = 0;

	for (int i = 0; i < 20; i += 2)
		sum += get16(hdr + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---- messages we send ---- */

static uint8_t *queue_msg(struct fakesw *fs, uint8_t type, uint16_t len, uint32_t xid)
{
	uint8_t *p = buf_reserve(&fs->out, len);

	if (!p)
		return NULL;
	memset(p, 0, len);
	of10_header(p, type, len, xid);
	fs->out.tail += len;
	return p;
}

/* A packet-in header; the frame follows at OF10_PI_DATA. */
static uint8_t *queue_packet_in(struct fakesw *fs, uint32_t buffer_id, uint16_t in_port)
{
	uint8_t *p = queue_msg(fs, OF10_PACKET_IN, PI_LEN, fs->next_xid++);

	if (!p)
		return NULL;
	put32(p + OF10_PI_OFF_BUFFER_ID, buffer_id);
	put16(p + OF10_PI_OFF_TOTAL_LEN, FRAME_LEN);
	put16(p + OF10_PI_OFF_IN_PORT, in_port);
	p[OF10_PI_OFF_REASON] = OF10_R_NO_MATCH;
	return p;
}

/* Gratuitous ARP request from host h, broadcast, arriving on HOST_IN_PORT:
 * a learning controller learns where h lives and floods the announcement. */
static int queue_host_announcement(struct fakesw *fs, unsigned int h)
{
	uint8_t *p = queue_packet_in(fs, OF10_NO_BUFFER, HOST_IN_PORT);
	uint8_t *f, mac[6];

	if (!p)
		return -1;
	f = p + OF10_PI_DATA;
	host_mac(mac, fs->idx, h);
	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	put16(f + 12, ETHTYPE_ARP);
	f += ETH_LEN;
	put16(f, 1);                /* htype Ethernet */
	put16(f + 2, ETHTYPE_IPV4); /* ptype */
	f[4] = 6;
	f[5] = 4;
	put16(f + 6, 1);            /* request */
	memcpy(f + 8, mac, 6);      /* sender = target: gratuitous */
	put32(f + 14, host_ip(fs->idx, h));
	put32(f + 24, host_ip(fs->idx, h));
	return 0;
}

static int announce_hosts(struct fakesw *fs, uint64_t now_ns)
{
	for (unsigned int h = 0; h < fs->cfg->hosts; h++)
		if (queue_host_announcement(fs, h) < 0)
			return fail(fs, "%s", "out of memory queueing host announcements");
	fs->learn_answers = 0;
	fs->learn_sent_ns = now_ns;
	return 0;
}

/* One measured packet-in: a UDP frame from a fresh source MAC (cycling
 * through this switch's range) to one of the announced hosts. */
static int queue_traffic_packet_in(struct fakesw *fs, uint64_t now_ns)
{
	uint32_t seq = fs->mac_seq;
	unsigned int h = fs->cfg->hosts ? seq % fs->cfg->hosts : 0;
	uint32_t buffer_id = OF10_NO_BUFFER;
	uint8_t *p, *f, *ip, *udp;

	if (fs->cfg->buffered) {
		buffer_id = fs->next_buffer_id++;
		if (fs->next_buffer_id >= 0x7fffffffu)
			fs->next_buffer_id = 1;
	}
	p = queue_packet_in(fs, buffer_id, DATA_IN_PORT);
	if (!p)
		return fail(fs, "%s", "out of memory queueing a packet-in");
	fs->mac_seq = seq + 1 >= fs->cfg->macs ? 0 : seq + 1;
	f = p + OF10_PI_DATA;
	host_mac(f, fs->idx, h);
	source_mac(f + 6, fs->idx, seq);
	put16(f + 12, ETHTYPE_IPV4);
	ip = f + ETH_LEN;
	ip[0] = 0x45;
	put16(ip + 2, FRAME_LEN - ETH_LEN);
	ip[8] = 64;                 /* ttl */
	ip[9] = 17;                 /* UDP */
	put32(ip + 12, source_ip(fs->idx));
	put32(ip + 16, host_ip(fs->idx, h));
	put16(ip + 10, ip_checksum(ip));
	udp = ip + 20;
	/* fixed ports (discard, from an ephemeral one): a varying port would
	 * sooner or later hit one that a capture tool decodes as something else */
	put16(udp, 50000);
	put16(udp + 2, 9);
	put16(udp + 4, FRAME_LEN - ETH_LEN - 20);
	fs->c.packet_ins++;
	if (fs->pin_sent++ == 0) {
		fs->pin_buffer0 = buffer_id;
		fs->pin_mac0 = seq;
	}
	if (!fs->cfg->throughput) {
		fs->outstanding = true;
		fs->out_buffer_id = buffer_id;
		memcpy(fs->out_src, f + 6, 6);
		fs->out_sent_ns = now_ns;
	}
	return 0;
}

static void queue_error(struct fakesw *fs, uint16_t type, uint16_t code, const uint8_t *msg,
			size_t len)
{
	size_t data = len < OF10_ERROR_DATA_MAX ? len : OF10_ERROR_DATA_MAX;
	uint8_t *p = queue_msg(fs, OF10_ERROR, OF10_ERROR_LEN + data, get32(msg + OF10_OFF_XID));

	if (!p)
		return;
	put16(p + 8, type);
	put16(p + 10, code);
	memcpy(p + OF10_ERROR_LEN, msg, data);
}

static void queue_features_reply(struct fakesw *fs, uint32_t xid)
{
	unsigned int n = fs->cfg->n_ports;
	uint8_t *p = queue_msg(fs, OF10_FEATURES_REPLY, OF10_FEATURES_LEN + n * OF10_PHY_PORT_LEN,
			       xid);

	if (!p)
		return;
	put64(p + 8, fs->dpid);
	put32(p + 16, 256);         /* n_buffers */
	p[20] = 1;                  /* n_tables */
	put32(p + 24, OF10_CAP_FLOW_STATS | OF10_CAP_TABLE_STATS | OF10_CAP_PORT_STATS);
	put32(p + 28, 0x00000fffu); /* actions: OUTPUT .. ENQUEUE */
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *port = p + OF10_FEATURES_LEN + i * OF10_PHY_PORT_LEN;

		put16(port, (uint16_t)(i + 1));
		port[2] = 0x06;     /* hw_addr 06:00:ii:ii:pp:pp */
		port[4] = (fs->idx >> 8) & 0xff;
		port[5] = fs->idx & 0xff;
		put16(port + 6, (uint16_t)(i + 1));
		char name[32];
		snprintf(name, sizeof(name), "s%u-eth%u", fs->idx + 1, i + 1);
		memcpy(port + 8, name, strnlen(name, OF10_PORT_NAME_LEN - 1));
		/* config 0, state 0 (link up), then curr: 10 Gb/s copper */
		put32(port + 32, OF10_PF_10GB_FD | OF10_PF_COPPER);
	}
}

static void queue_stats_reply(struct fakesw *fs, const uint8_t *msg, size_t len)
{
	uint16_t type = get16(msg + 8);
	uint32_t xid = get32(msg + OF10_OFF_XID);
	size_t body;
	uint8_t *p;

	switch (type) {
	case OF10_ST_DESC:
		body = OF10_DESC_STATS_LEN;
		break;
	case OF10_ST_AGGREGATE:
		body = OF10_AGGREGATE_STATS_LEN; /* all zero: no flows here */
		break;
	case OF10_ST_FLOW:
	case OF10_ST_TABLE:
	case OF10_ST_PORT:
	case OF10_ST_QUEUE:
		body = 0;                        /* an empty list */
		break;
	default:
		queue_error(fs, OF10_ET_BAD_REQUEST, OF10_BRC_BAD_STAT, msg, len);
		return;
	}
	p = queue_msg(fs, OF10_STATS_REPLY, OF10_STATS_LEN + body, xid);
	if (!p)
		return;
	put16(p + 8, type);
	if (type == OF10_ST_DESC) {
		uint8_t *d = p + OF10_STATS_LEN;

		snprintf((char *)d, 256, "nfplane ofbench");
		snprintf((char *)d + 256, 256, "emulated OpenFlow 1.0 switch");
		snprintf((char *)d + 512, 256, "ofbench");
		snprintf((char *)d + 768, 32, "%u", fs->idx + 1);
		snprintf((char *)d + 800, 256, "ofbench switch %u", fs->idx + 1);
	}
}

/* ---- counting replies ---- */

/* Does a reply identified by buffer id and/or source MAC answer the one
 * outstanding packet-in? A reply that carries neither cannot be matched, so
 * it is taken as the answer. */
static bool answers_outstanding(const struct fakesw *fs, uint32_t buffer_id, const uint8_t *src)
{
	if (!fs->outstanding)
		return false;
	if (buffer_id != OF10_NO_BUFFER)
		return buffer_id == fs->out_buffer_id;
	if (src)
		return memcmp(src, fs->out_src, 6) == 0;
	return true;
}

static void count_response(struct fakesw *fs, uint32_t buffer_id, const uint8_t *src,
			   uint64_t now_ns)
{
	if (fs->state == FS_LEARNING) {
		if (++fs->learn_answers >= fs->cfg->hosts)
			fs->state = FS_READY;
		return;
	}
	if (fs->state != FS_READY || fs->cfg->throughput ||
	    !answers_outstanding(fs, buffer_id, src))
		return;
	fs->outstanding = false;
	fs->c.answered++;
	uint64_t rtt = now_ns - fs->out_sent_ns;
	fs->c.rtt_ns += rtt;
	if (fs->hist) {
		uint64_t us = rtt / 1000;
		fs->hist->n[us < RTT_BUCKETS - 1 ? us : RTT_BUCKETS - 1]++;
	}
}

/* Buffer ids run 1..BUFFER_PERIOD, then start again at 1. */
#define BUFFER_PERIOD 0x7ffffffeu

/* A reply sent the packet of traffic packet-in @id on (its buffer id, or
 * with @by_mac the MAC sequence number of the frame it carried): count
 * that packet-in answered unless it was already. Packet-ins are answered
 * in the order they were sent, so the reply's packet-in is the first one
 * after the latest answered whose id matches; one that would lie beyond
 * the packet-ins sent is a second reply to one already counted (or not a
 * reply to ours). MAC numbers repeat every --macs packet-ins, so the
 * unbuffered count assumes fewer than that in flight. */
static void count_answered(struct fakesw *fs, uint32_t id, bool by_mac)
{
	uint64_t next = (uint64_t)(fs->pin_done + 1), period, expect, s;

	if (fs->state != FS_READY || fs->pin_sent == 0)
		return;
	if (by_mac) {
		period = fs->cfg->macs;
		if (id >= period)
			return;
		expect = (fs->pin_mac0 + next) % period;
	} else {
		period = BUFFER_PERIOD;
		if (id < 1 || id > period)
			return;
		expect = (fs->pin_buffer0 - 1 + next) % period + 1;
	}
	s = next + ((uint64_t)id + period - expect) % period;
	if (s >= fs->pin_sent)
		return;
	fs->c.pins_answered++;
	fs->pin_done = (int64_t)s;
}

/* The MAC sequence number of one of this switch's traffic source MACs
 * (source_mac), or -1. */
static int64_t own_source_seq(const struct fakesw *fs, const uint8_t *mac)
{
	if (mac[0] != 0x02 || mac[1] != ((fs->idx >> 8) & 0xff) || mac[2] != (fs->idx & 0xff))
		return -1;
	return (int64_t)mac[3] << 16 | mac[4] << 8 | mac[5];
}

static bool frame_is_lldp(const uint8_t *f, size_t len)
{
	if (len < ETH_LEN)
		return false;
	uint16_t type = get16(f + 12);
	if (type == ETHTYPE_VLAN && len >= ETH_LEN + 4)
		type = get16(f + 16);
	return type == ETHTYPE_LLDP;
}

static void on_packet_out(struct fakesw *fs, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	if (len < OF10_PO_MIN_LEN) {
		fs->c.bad_msgs++;
		return;
	}
	uint32_t buffer_id = get32(msg + OF10_PO_OFF_BUFFER_ID);
	size_t data = OF10_PO_MIN_LEN + get16(msg + OF10_PO_OFF_ACTIONS_LEN);
	const uint8_t *frame = data < len ? msg + data : NULL;
	size_t frame_len = data < len ? len - data : 0;

	if (data > len) {
		fs->c.bad_msgs++;   /* actions_len runs past the message */
		return;
	}
	if (frame_is_lldp(frame, frame_len))
		return;
	if (fs->state == FS_READY)
		fs->c.packet_outs++;
	if (buffer_id != OF10_NO_BUFFER) {
		count_answered(fs, buffer_id, false);
	} else if (frame_len >= ETH_LEN) {
		int64_t seq = own_source_seq(fs, frame + 6);

		if (seq >= 0)
			count_answered(fs, (uint32_t)seq, true);
	}
	count_response(fs, buffer_id, frame_len >= ETH_LEN ? frame + 6 : NULL, now_ns);
}

static void on_flow_mod(struct fakesw *fs, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	if (len < OF10_FM_MIN_LEN) {
		fs->c.bad_msgs++;
		return;
	}
	uint16_t cmd = get16(msg + OF10_FM_OFF_COMMAND);
	const uint8_t *match = msg + OF10_FM_OFF_MATCH;
	bool src_exact = !(get32(match) & OF10_FW_DL_SRC);

	if (cmd != OF10_FC_ADD && cmd != OF10_FC_MODIFY_STRICT) {
		fs->c.other_flow_mods++;
		return;
	}
	if (fs->state == FS_READY)
		fs->c.flow_mods++;
	/* a flow-mod naming the buffer sends the packet on; one without a
	 * buffer does not (the packet-out that follows it does) */
	if (get32(msg + OF10_FM_OFF_BUFFER_ID) != OF10_NO_BUFFER)
		count_answered(fs, get32(msg + OF10_FM_OFF_BUFFER_ID), false);
	count_response(fs, get32(msg + OF10_FM_OFF_BUFFER_ID),
		       src_exact ? match + OF10_MATCH_OFF_DL_SRC : NULL, now_ns);
}

static void on_error(struct fakesw *fs, const uint8_t *msg, size_t len)
{
	fs->c.errors_rx++;
	if (fs->errors_logged++ >= MAX_LOGGED_ERRORS)
		return;
	fprintf(stderr, "ofbench: switch %u: controller sent ERROR type %u code %u (xid %u)%s\n",
		fs->idx + 1, len >= 12 ? get16(msg + 8) : 0, len >= 12 ? get16(msg + 10) : 0,
		get32(msg + OF10_OFF_XID),
		fs->errors_logged == MAX_LOGGED_ERRORS ? "; not logging more" : "");
}

int fs_handle_msg(struct fakesw *fs, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	uint8_t version = msg[OF10_OFF_VERSION], type = msg[OF10_OFF_TYPE];
	uint32_t xid = get32(msg + OF10_OFF_XID);

	if (type == OF10_HELLO) {
		/* the controller may offer a later version: 1.0 is then common,
		 * which is what our own 1.0 HELLO asks for */
		if (version < OF10_VERSION) {
			char v[8];
			snprintf(v, sizeof(v), "%u", version);
			return fail(fs, "controller's HELLO has version %s; we speak only 1.0", v);
		}
		fs->got_hello = true;
		return 0;
	}
	if (version != OF10_VERSION) {
		fs->c.bad_msgs++;
		queue_error(fs, OF10_ET_BAD_REQUEST, OF10_BRC_BAD_VERSION, msg, len);
		return 0;
	}
	switch (type) {
	case OF10_ERROR:
		on_error(fs, msg, len);
		if (!fs->got_hello && len >= 12 && get16(msg + 8) == OF10_ET_HELLO_FAILED)
			return fail(fs, "%s", "controller refused OpenFlow 1.0 (HELLO_FAILED)");
		break;
	case OF10_ECHO_REQUEST: {
		uint8_t *p = queue_msg(fs, OF10_ECHO_REPLY, len, xid);
		if (p)
			memcpy(p + OF10_HEADER_LEN, msg + OF10_HEADER_LEN, len - OF10_HEADER_LEN);
		break;
	}
	case OF10_ECHO_REPLY:
		break;
	case OF10_VENDOR:
		queue_error(fs, OF10_ET_BAD_REQUEST, OF10_BRC_BAD_VENDOR, msg, len);
		break;
	case OF10_FEATURES_REQUEST:
		queue_features_reply(fs, xid);
		if (fs->state == FS_HELLO) {
			if (fs->cfg->learn && fs->cfg->hosts > 0) {
				fs->state = FS_LEARNING;
				if (announce_hosts(fs, now_ns) < 0)
					return -1;
			} else {
				fs->state = FS_READY;
			}
		}
		break;
	case OF10_GET_CONFIG_REQUEST: {
		uint8_t *p = queue_msg(fs, OF10_GET_CONFIG_REPLY, OF10_SWITCH_CONFIG_LEN, xid);
		if (p) {
			put16(p + 8, fs->config_flags);
			put16(p + 10, fs->miss_send_len);
		}
		break;
	}
	case OF10_SET_CONFIG:
		if (len < OF10_SWITCH_CONFIG_LEN) {
			fs->c.bad_msgs++;
			queue_error(fs, OF10_ET_BAD_REQUEST, OF10_BRC_BAD_LEN, msg, len);
			break;
		}
		fs->config_flags = get16(msg + 8);
		fs->miss_send_len = get16(msg + 10);
		break;
	case OF10_PACKET_OUT:
		on_packet_out(fs, msg, len, now_ns);
		break;
	case OF10_FLOW_MOD:
		on_flow_mod(fs, msg, len, now_ns);
		break;
	case OF10_PORT_MOD:
		break;                  /* accepted; 1.0 sends nothing on success */
	case OF10_STATS_REQUEST:
		if (len < OF10_STATS_LEN) {
			fs->c.bad_msgs++;
			queue_error(fs, OF10_ET_BAD_REQUEST, OF10_BRC_BAD_LEN, msg, len);
			break;
		}
		queue_stats_reply(fs, msg, len);
		break;
	case OF10_BARRIER_REQUEST:
		/* every earlier message is already handled: answer at once */
		queue_msg(fs, OF10_BARRIER_REPLY, OF10_HEADER_LEN, xid);
		break;
	default:
		queue_error(fs, OF10_ET_BAD_REQUEST, OF10_BRC_BAD_TYPE, msg, len);
		break;
	}
	return 0;
}

/* ---- I/O ---- */

static int parse_input(struct fakesw *fs, uint64_t now_ns)
{
	struct iobuf *b = &fs->in;

	while (buf_len(b) >= OF10_HEADER_LEN) {
		const uint8_t *msg = b->data + b->head;
		uint16_t len = get16(msg + OF10_OFF_LENGTH);

		if (len < OF10_HEADER_LEN) {
			char d[64];
			snprintf(d, sizeof(d), "%u (type %u)", len, msg[OF10_OFF_TYPE]);
			return fail(fs, "controller sent a message of length %s, shorter than "
					"the 8-byte header: stream out of sync", d);
		}
		if (buf_len(b) < len)
			break;
		if (fs_handle_msg(fs, msg, len, now_ns) < 0)
			return -1;
		b->head += len;
	}
	if (b->head == b->tail)
		b->head = b->tail = 0;
	return 0;
}

int fs_read(struct fakesw *fs, uint64_t now_ns)
{
	struct iobuf *b = &fs->in;

	for (int i = 0; i < READS_PER_CALL; i++) {
		if (b->cap - b->tail < READ_MIN_ROOM)
			buf_compact(b);
		size_t room = b->cap - b->tail;
		ssize_t n = read(fs->fd, b->data + b->tail, room);

		if (n == 0)
			return fail(fs, "%s", "controller closed the connection");
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return fail(fs, "read from controller: %s", strerror(errno));
		}
		b->tail += (size_t)n;
		if (parse_input(fs, now_ns) < 0)
			return -1;
		if ((size_t)n < room)
			return 0;   /* the socket is drained */
	}
	return 0;
}

static int fill(struct fakesw *fs, uint64_t now_ns)
{
	if (fs->state != FS_READY || !fs->running)
		return 0;
	if (fs->cfg->throughput) {
		while (buf_len(&fs->out) < fs->cfg->window)
			if (queue_traffic_packet_in(fs, now_ns) < 0)
				return -1;
	} else if (!fs->outstanding) {
		return queue_traffic_packet_in(fs, now_ns);
	}
	return 0;
}

int fs_pump(struct fakesw *fs, uint64_t now_ns)
{
	struct iobuf *b = &fs->out;

	if (fs->state == FS_CONNECTING)
		return 1;           /* writability will tell us the connect finished */
	for (int i = 0; i < WRITES_PER_PUMP; i++) {
		if (fill(fs, now_ns) < 0)
			return -1;
		size_t pending = buf_len(b);
		if (!pending)
			return 0;
		/* MSG_NOSIGNAL: a controller that hangs up is an error to report,
		 * not a SIGPIPE that kills the benchmark without a word */
		ssize_t n = send(fs->fd, b->data + b->head, pending, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 1;
			return fail(fs, "write to controller: %s", strerror(errno));
		}
		b->head += (size_t)n;
		if (b->head == b->tail)
			b->head = b->tail = 0;
		if ((size_t)n < pending)
			return 1;   /* the socket buffer is full */
	}
	return buf_len(b) > 0;
}

void fs_tick(struct fakesw *fs, uint64_t now_ns)
{
	if (fs->state == FS_LEARNING && now_ns - fs->learn_sent_ns > RELEARN_NS)
		announce_hosts(fs, now_ns);
	if (fs->state == FS_READY && fs->outstanding &&
	    now_ns - fs->out_sent_ns > fs->cfg->lost_after_ns) {
		fs->outstanding = false;
		fs->c.lost++;
	}
}

void fs_connected(struct fakesw *fs)
{
	fs->state = FS_HELLO;
	queue_msg(fs, OF10_HELLO, OF10_HEADER_LEN, fs->next_xid++);
}

int fs_init(struct fakesw *fs, unsigned int idx, const struct fs_config *cfg)
{
	memset(fs, 0, sizeof(*fs));
	fs->fd = -1;
	fs->idx = idx;
	fs->dpid = (uint64_t)idx + 1;
	fs->cfg = cfg;
	fs->state = FS_CONNECTING;
	fs->next_xid = 1;
	fs->next_buffer_id = 1;
	fs->pin_done = -1;
	fs->miss_send_len = OF10_DEFAULT_MISS_SEND_LEN;
	if (buf_alloc(&fs->in, IN_CAP) < 0 || buf_alloc(&fs->out, OUT_CAP + cfg->window) < 0) {
		fs_free(fs);
		return fail(fs, "%s", "out of memory for connection buffers");
	}
	return 0;
}

void fs_free(struct fakesw *fs)
{
	free(fs->in.data);
	free(fs->out.data);
	fs->in.data = fs->out.data = NULL;
	if (fs->fd >= 0)
		close(fs->fd);
	fs->fd = -1;
}
