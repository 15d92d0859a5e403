/* format.c - see format.h. Block layouts follow the pcapng specification
 * (draft-ietf-opsawg-pcapng); everything is written in host byte order,
 * which the byte-order magic of the section header announces.
 */
#include "trace/format.h"
#include "common/hex.h"
#include "nfplane/trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BT_ISB 0x00000005u
#define LINKTYPE_ETHERNET 1

#define OPT_END      0
#define OPT_COMMENT  1
#define IF_NAME      2
#define IF_DESCR     3
#define IF_TSRESOL   9
#define EPB_FLAGS    2
#define EPB_DROPS    4
#define ISB_END      3
#define ISB_OSDROP   7
#define ISB_USRDELIV 8

/* A block under construction in the caller's buffer. */
struct blk {
	uint8_t *p;
	size_t len;
};

static void put(struct blk *b, const void *src, size_t n)
{
	if (!n)
		return;
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

static void put32(struct blk *b, uint32_t v)
{
	put(b, &v, 4);
}

static void pad4(struct blk *b)
{
	while (b->len % 4)
		b->p[b->len++] = 0;
}

static void opt(struct blk *b, uint16_t code, const void *val, size_t n)
{
	uint16_t h[2] = { code, (uint16_t)n };

	put(b, h, 4);
	put(b, val, n);
	pad4(b);
}

static void opt_str(struct blk *b, uint16_t code, const char *s)
{
	size_t n = strlen(s);

	opt(b, code, s, n > 1000 ? 1000 : n);
}

static void start(struct blk *b, uint8_t *buf, uint32_t type)
{
	b->p = buf;
	b->len = 0;
	put32(b, type);
	put32(b, 0); /* total length, set by finish() */
}

static size_t finish(struct blk *b)
{
	uint32_t total;

	pad4(b);
	total = (uint32_t)b->len + 4;
	memcpy(b->p + 4, &total, 4);
	put32(b, total);
	return b->len;
}

static size_t idb(uint8_t *buf, const char *name, const char *descr)
{
	struct blk b;
	uint16_t lt[2] = { LINKTYPE_ETHERNET, 0 };
	uint8_t tsresol = 9; /* timestamps in nanoseconds */

	start(&b, buf, BT_IDB);
	put(&b, lt, 4);
	put32(&b, 65535 + 54); /* snaplen: OpenFlow messages behind their headers */
	opt_str(&b, IF_NAME, name);
	if (descr)
		opt_str(&b, IF_DESCR, descr);
	opt(&b, IF_TSRESOL, &tsresol, 1);
	opt(&b, OPT_END, NULL, 0);
	return finish(&b);
}

size_t nfp_pcapng_begin(struct nfp_pcapng *st, uint8_t *buf)
{
	struct blk b;
	uint32_t magic = 0x1a2b3c4d;
	uint16_t ver[2] = { 1, 0 };
	int64_t section_len = -1;
	size_t n;

	memset(st, 0, sizeof(*st));
	start(&b, buf, BT_SHB);
	put32(&b, magic);
	put(&b, ver, 4);
	put(&b, &section_len, 8);
	opt_str(&b, 4 /* shb_userappl */, "nfplane trace");
	opt(&b, OPT_END, NULL, 0);
	n = finish(&b);
	return n + idb(buf + n, "openflow",
		       "nfplane controller channel: raw OpenFlow messages behind a synthetic "
		       "Ethernet/IPv4/TCP header, port 6653");
}

/* Interface id for @ifindex, describing it first (into buf + *n) if new.
 * Past NFP_PCAPNG_MAX_IFS interfaces a reader's packets go on interface 0. */
static int if_id(struct nfp_pcapng *st, uint8_t *buf, size_t *n, const struct nfp_trace_item *it)
{
	char name[32];

	for (int i = 0; i < st->n_ifs; i++)
		if (st->ifindex[i] == it->ifindex)
			return i + 1;
	if (st->n_ifs >= NFP_PCAPNG_MAX_IFS)
		return 0;
	if (it->ifname)
		snprintf(name, sizeof(name), "%s", it->ifname);
	else
		snprintf(name, sizeof(name), "ifindex%u", it->ifindex);
	st->ifindex[st->n_ifs++] = it->ifindex;
	*n += idb(buf + *n, name, NULL);
	return st->n_ifs;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Ethernet + IPv4 + TCP in front of an OpenFlow message: the switch
 * (127.0.0.2) talks to the controller (127.0.0.1, port 6653). */
static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void of_headers(uint8_t h[54], const struct nfp_trace_item *it, uint32_t seq[2])
{
	static const uint8_t sw_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	static const uint8_t ctl_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	bool in = it->dir == NFP_TRACE_DIR_IN;
	uint16_t tot = (uint16_t)(40 + it->cap_len);
	uint16_t sport = in ? 40000 : 6653, dport = in ? 6653 : 40000;
	uint16_t c;

	memset(h, 0, 54);
	memcpy(h, in ? ctl_mac : sw_mac, 6);
	memcpy(h + 6, in ? sw_mac : ctl_mac, 6);
	h[12] = 0x08;
	h[14] = 0x45;
	h[16] = (uint8_t)(tot >> 8);
	h[17] = (uint8_t)tot;
	h[22] = 64;
	h[23] = 6; /* TCP */
	h[26] = 127, h[29] = in ? 2 : 1;
	h[30] = 127, h[33] = in ? 1 : 2;
	c = csum(h + 14, 20);
	h[24] = (uint8_t)(c >> 8);
	h[25] = (uint8_t)c;
	h[34] = (uint8_t)(sport >> 8), h[35] = (uint8_t)sport;
	h[36] = (uint8_t)(dport >> 8), h[37] = (uint8_t)dport;
	put_be32(h + 38, seq[in ? 0 : 1]);
	put_be32(h + 42, seq[in ? 1 : 0]);
	seq[in ? 0 : 1] += it->cap_len;
	h[46] = 0x50;        /* data offset 5 */
	h[47] = 0x18;        /* PSH, ACK */
	h[48] = 0xff, h[49] = 0xff;
}

size_t nfp_pcapng_item(struct nfp_pcapng *st, uint8_t *buf, const struct nfp_trace_item *it,
		       uint64_t lost)
{
	struct blk b;
	size_t n = 0;
	int id = it->kind == NFP_TRACE_ITEM_PACKET ? if_id(st, buf, &n, it) : 0;
	uint32_t flags = it->dir == NFP_TRACE_DIR_IN ? 1 : 2; /* inbound / outbound */
	uint32_t cap = it->cap_len, orig = it->orig_len;
	char comment[160];

	start(&b, buf + n, BT_EPB);
	put32(&b, (uint32_t)id);
	put32(&b, (uint32_t)(it->time_ns >> 32));
	put32(&b, (uint32_t)it->time_ns);
	if (it->kind == NFP_TRACE_ITEM_OPENFLOW) {
		uint8_t h[54];

		if (cap > 65535)
			cap = 65535;
		of_headers(h, it, st->of_seq);
		put32(&b, cap + 54);
		put32(&b, orig + 54);
		put(&b, h, 54);
		snprintf(comment, sizeof(comment),
			 "openflow %s dpid=%016llx port=%u", nfp_trace_of_type_name(it->of_version,
									 it->of_type),
			 (unsigned long long)it->dpid, it->port);
	} else {
		put32(&b, cap);
		put32(&b, orig);
		comment[0] = '\0';
	}
	put(&b, it->data, cap);
	pad4(&b);
	opt(&b, EPB_FLAGS, &flags, 4);
	if (lost)
		opt(&b, EPB_DROPS, &lost, 8);
	if (comment[0])
		opt_str(&b, OPT_COMMENT, comment);
	opt(&b, OPT_END, NULL, 0);
	return n + finish(&b);
}

size_t nfp_pcapng_end(struct nfp_pcapng *st, uint8_t *buf, uint64_t time_ns, uint64_t delivered,
		      uint64_t lost, const char *comment)
{
	struct blk b;
	uint32_t ts[2] = { (uint32_t)(time_ns >> 32), (uint32_t)time_ns };

	(void)st;
	start(&b, buf, BT_ISB);
	put32(&b, 0); /* interface 0 */
	put(&b, ts, 8);
	opt(&b, ISB_END, ts, 8);
	opt(&b, ISB_USRDELIV, &delivered, 8);
	opt(&b, ISB_OSDROP, &lost, 8);
	opt_str(&b, OPT_COMMENT, comment);
	opt(&b, OPT_END, NULL, 0);
	return finish(&b);
}

const char *nfp_trace_of_type_name(uint8_t version, uint8_t type)
{
	static const char *const v10[] = {
		"hello", "error", "echo_request", "echo_reply", "vendor", "features_request",
		"features_reply", "get_config_request", "get_config_reply", "set_config",
		"packet_in", "flow_removed", "port_status", "packet_out", "flow_mod", "port_mod",
		"stats_request", "stats_reply", "barrier_request", "barrier_reply",
		"queue_get_config_request", "queue_get_config_reply",
	};
	static const char *const v13[] = {
		"hello", "error", "echo_request", "echo_reply", "experimenter", "features_request",
		"features_reply", "get_config_request", "get_config_reply", "set_config",
		"packet_in", "flow_removed", "port_status", "packet_out", "flow_mod", "group_mod",
		"port_mod", "table_mod", "multipart_request", "multipart_reply", "barrier_request",
		"barrier_reply", "queue_get_config_request", "queue_get_config_reply", "role_request",
		"role_reply", "get_async_request", "get_async_reply", "set_async", "meter_mod",
	};
	static char other[16];

	if (version <= 1 && type < sizeof(v10) / sizeof(v10[0]))
		return v10[type];
	if (version > 1 && type < sizeof(v13) / sizeof(v13[0]))
		return v13[type];
	snprintf(other, sizeof(other), "type_%u", type);
	return other;
}

static json_t *hex(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_t *v;

	if (!s)
		return json_null();
	nfp_hex_str(p, n, s);
	v = json_stringn(s, 2 * n);
	free(s);
	return v;
}

json_t *nfp_trace_item_json(const struct nfp_trace_item *it, const char *session)
{
	json_t *o = json_pack("{s:s, s:s, s:f, s:I, s:s, s:I, s:I}", "type",
			      it->kind == NFP_TRACE_ITEM_PACKET ? "packet" : "openflow", "session",
			      session, "time", (double)it->time_ns / 1e9, "time_ns",
			      (json_int_t)it->time_ns, "direction",
			      it->dir == NFP_TRACE_DIR_IN ? "in" : "out", "len",
			      (json_int_t)it->orig_len, "caplen", (json_int_t)it->cap_len);
	char dpid[24];

	if (it->kind == NFP_TRACE_ITEM_PACKET) {
		json_object_set_new(o, "ifindex", json_integer(it->ifindex));
		json_object_set_new(o, "iface", it->ifname ? json_string(it->ifname) : json_null());
	} else {
		snprintf(dpid, sizeof(dpid), "%016llx", (unsigned long long)it->dpid);
		json_object_set_new(o, "msg_type",
				    json_string(nfp_trace_of_type_name(it->of_version, it->of_type)));
		json_object_set_new(o, "msg_type_num", json_integer(it->of_type));
		json_object_set_new(o, "of_version", json_integer(it->of_version));
		json_object_set_new(o, "dpid", json_string(dpid));
		json_object_set_new(o, "port", json_integer(it->port));
	}
	json_object_set_new(o, "data", hex(it->data, it->cap_len));
	return o;
}

json_t *nfp_trace_lost_json(uint64_t lost)
{
	return json_pack("{s:s, s:I}", "type", "lost", "count", (json_int_t)lost);
}

json_t *nfp_trace_end_json(const char *session, const char *reason, uint64_t delivered,
			   uint64_t lost)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I}", "type", "end", "session", session, "reason",
			 reason, "delivered", (json_int_t)delivered, "lost", (json_int_t)lost);
}
