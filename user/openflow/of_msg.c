/* of_msg.c - framing, the header, and the small messages of both versions:
 * HELLO (with the version bitmap) and negotiation, ERROR (and the mapping of
 * enum of_err to each version's type/code), ECHO, FEATURES, GET/SET_CONFIG,
 * BARRIER. Also the output buffer all encoders append to.
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- output buffer ---- */

uint8_t *of_buf_reserve(struct of_buf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *d;

		while (cap - b->len < n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return NULL;
		b->data = d;
		b->cap = cap;
	}
	return b->data + b->len;
}

uint8_t *of_buf_put_zero(struct of_buf *b, size_t n)
{
	uint8_t *p = of_buf_reserve(b, n);

	if (!p)
		return NULL;
	memset(p, 0, n);
	b->len += n;
	return p;
}

void of_buf_free(struct of_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int of_msg_begin(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid, size_t fixed,
		 size_t *start)
{
	uint8_t *p;

	*start = b->len;
	p = of_buf_put_zero(b, fixed);
	if (!p)
		return -ENOMEM;
	p[0] = version;
	p[1] = type;
	of_put32(p + 4, xid);
	return 0;
}

int of_msg_end(struct of_buf *b, size_t start)
{
	size_t len = b->len - start;

	if (len > OFP_MAX_MSG_LEN) {
		b->len = start;
		return -EMSGSIZE;
	}
	of_put16(b->data + start + 2, (uint16_t)len);
	return 0;
}

/* ---- framing ---- */

long of_frame(const uint8_t *p, size_t avail, struct of_header *h)
{
	if (avail < OFP_HEADER_LEN)
		return 0;
	h->version = p[0];
	h->type = p[1];
	h->length = of_get16(p + 2);
	h->xid = of_get32(p + 4);
	if (h->length < OFP_HEADER_LEN)
		return -1;
	return avail >= h->length ? (long)h->length : 0;
}

bool of_version_supported(uint8_t version)
{
	return version == OF_VERSION_10 || version == OF_VERSION_13;
}

/* ---- hello ---- */

static uint8_t highest_bit(uint32_t bitmap)
{
	return bitmap ? (uint8_t)(31 - __builtin_clz(bitmap)) : 0;
}

int of_encode_hello(struct of_buf *b, uint32_t xid, uint32_t bitmap)
{
	size_t start;
	uint8_t *e;
	int r = of_msg_begin(b, highest_bit(bitmap), OFPT_HELLO, xid, OFP_HEADER_LEN, &start);

	if (r)
		return r;
	/* one element: type, length 8, one 32-bit bitmap (already 8-aligned) */
	e = of_buf_put_zero(b, 8);
	if (!e) {
		b->len = start;
		return -ENOMEM;
	}
	of_put16(e, OFPHET_VERSIONBITMAP);
	of_put16(e + 2, 8);
	of_put32(e + 4, bitmap);
	return of_msg_end(b, start);
}

enum of_err of_decode_hello(const uint8_t *msg, size_t len, uint32_t *bitmap)
{
	size_t off = OFP_HEADER_LEN;
	uint8_t v = msg[0];

	*bitmap = 0;
	/* 1.0 hellos may carry anything after the header: ignore it */
	if (v < OF_VERSION_13)
		return OF_OK;
	while (off + 4 <= len) {
		uint16_t type = of_get16(msg + off), elen = of_get16(msg + off + 2);

		if (elen < 4 || off + elen > len)
			return OF_E_BAD_LEN;
		if (type == OFPHET_VERSIONBITMAP) {
			if (elen < 8)
				return OF_E_BAD_LEN;
			*bitmap = of_get32(msg + off + 4); /* versions 0-31 */
		}
		off += (elen + 7u) & ~7u; /* elements are padded to 8 */
	}
	return OF_OK;
}

uint8_t of_negotiate(uint32_t ours, uint8_t their_version, uint32_t their_bitmap)
{
	uint8_t v;

	if (their_bitmap)
		return highest_bit(ours & their_bitmap);
	/* no bitmap: the lower of the two header versions, if we speak it */
	v = their_version < highest_bit(ours) ? their_version : highest_bit(ours);
	return v < 32 && (ours & (1u << v)) ? v : 0;
}

/* ---- errors ---- */

struct err_map {
	uint16_t t10, c10, t13, c13;
};

/* Per enum of_err: the 1.0 and the 1.3 type/code. 1.0 has no BAD_MATCH or
 * BAD_INSTRUCTION types; those map to BAD_REQUEST / BAD_ACTION codes a 1.0
 * peer understands. */
static const struct err_map err_table[OF_E__COUNT] = {
	[OF_E_HELLO_INCOMPATIBLE] = { 0, 0, 0, 0 },
	[OF_E_BAD_VERSION] = { 1, 0, 1, 0 },
	[OF_E_BAD_TYPE] = { 1, 1, 1, 1 },
	[OF_E_BAD_STAT] = { 1, 2, 1, 2 },
	[OF_E_BAD_EXPERIMENTER] = { 1, 3, 1, 3 },
	[OF_E_EPERM] = { 1, 5, 1, 5 },
	[OF_E_BAD_LEN] = { 1, 6, 1, 6 },
	[OF_E_BUFFER_UNKNOWN] = { 1, 8, 1, 8 },
	[OF_E_MULTIPART_OVERFLOW] = { 1, 6, 1, 13 },
	[OF_E_ACTION_BAD_TYPE] = { 2, 0, 2, 0 },
	[OF_E_ACTION_BAD_LEN] = { 2, 1, 2, 1 },
	[OF_E_ACTION_BAD_OUT_PORT] = { 2, 4, 2, 4 },
	[OF_E_ACTION_BAD_ARGUMENT] = { 2, 5, 2, 5 },
	[OF_E_ACTION_TOO_MANY] = { 2, 7, 2, 7 },
	[OF_E_ACTION_MATCH_INCONSISTENT] = { 2, 5, 2, 10 },
	[OF_E_ACTION_BAD_SET_TYPE] = { 2, 0, 2, 13 },
	[OF_E_INST_UNKNOWN] = { 1, 1, 3, 0 },
	[OF_E_INST_UNSUPPORTED] = { 1, 1, 3, 1 },
	[OF_E_INST_BAD_LEN] = { 1, 6, 3, 7 },
	[OF_E_MATCH_BAD_TYPE] = { 1, 6, 4, 0 },
	[OF_E_MATCH_BAD_LEN] = { 1, 6, 4, 1 },
	[OF_E_MATCH_BAD_FIELD] = { 1, 6, 4, 6 },
	[OF_E_MATCH_BAD_VALUE] = { 1, 6, 4, 7 },
	[OF_E_MATCH_BAD_MASK] = { 1, 6, 4, 8 },
	[OF_E_MATCH_BAD_PREREQ] = { 1, 6, 4, 9 },
	[OF_E_MATCH_DUP_FIELD] = { 1, 6, 4, 10 },
	[OF_E_MATCH_BAD_WILDCARDS] = { 1, 6, 4, 5 },
	[OF_E_FLOW_MOD_BAD_COMMAND] = { 3, 4, 5, 6 },
	[OF_E_FLOW_MOD_BAD_TABLE] = { 1, 6, 5, 1 },
	[OF_E_CONFIG_BAD_LEN] = { 1, 6, 10, 2 },
};

void of_error_wire(uint8_t version, enum of_err e, uint16_t *type, uint16_t *code)
{
	const struct err_map *m = &err_table[(unsigned)e < OF_E__COUNT ? e : OF_E_BAD_LEN];

	if (e == OF_OK)
		m = &err_table[OF_E_BAD_LEN];
	*type = version == OF_VERSION_10 ? m->t10 : m->t13;
	*code = version == OF_VERSION_10 ? m->c10 : m->c13;
}

static int encode_error(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
			uint16_t code, const uint8_t *data, size_t data_len)
{
	size_t start;
	uint8_t *p;
	int r = of_msg_begin(b, version, OFPT_ERROR, xid, OFP_ERROR_MSG_LEN, &start);

	if (r)
		return r;
	of_put16(b->data + start + 8, type);
	of_put16(b->data + start + 10, code);
	if (data_len) {
		p = of_buf_put_zero(b, data_len);
		if (!p) {
			b->len = start;
			return -ENOMEM;
		}
		memcpy(p, data, data_len);
	}
	return of_msg_end(b, start);
}

int of_encode_error(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
		    uint16_t code, const uint8_t *data, size_t data_len)
{
	/* the spec asks for at least 64 bytes of the failed request */
	return encode_error(b, version, xid, type, code, data, data_len > 64 ? 64 : data_len);
}

int of_encode_error_whole(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
			  uint16_t code, const uint8_t *data, size_t data_len)
{
	if (data_len > 0xffff - OFP_ERROR_MSG_LEN)
		data_len = 0xffff - OFP_ERROR_MSG_LEN;
	return encode_error(b, version, xid, type, code, data, data_len);
}

int of_encode_error_for(struct of_buf *b, uint8_t version, uint32_t xid, enum of_err e,
			const uint8_t *data, size_t data_len)
{
	uint16_t type, code;

	of_error_wire(version, e, &type, &code);
	return of_encode_error(b, version, xid, type, code, data, data_len);
}

enum of_err of_decode_error(const uint8_t *msg, size_t len, struct of_error_msg *out)
{
	if (len < OFP_ERROR_MSG_LEN)
		return OF_E_BAD_LEN;
	out->type = of_get16(msg + 8);
	out->code = of_get16(msg + 10);
	out->data = msg + OFP_ERROR_MSG_LEN;
	out->data_len = len - OFP_ERROR_MSG_LEN;
	return OF_OK;
}

/* ---- header-only messages ---- */

int of_encode_simple(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid,
		     const uint8_t *payload, size_t payload_len)
{
	size_t start;
	int r = of_msg_begin(b, version, type, xid, OFP_HEADER_LEN + payload_len, &start);

	if (r)
		return r;
	if (payload_len)
		memcpy(b->data + start + OFP_HEADER_LEN, payload, payload_len);
	return of_msg_end(b, start);
}

uint8_t of_type_barrier_request(uint8_t version)
{
	return version == OF_VERSION_10 ? OFPT10_BARRIER_REQUEST : OFPT13_BARRIER_REQUEST;
}

uint8_t of_type_barrier_reply(uint8_t version)
{
	return version == OF_VERSION_10 ? OFPT10_BARRIER_REPLY : OFPT13_BARRIER_REPLY;
}

uint8_t of_type_stats_request(uint8_t version)
{
	return version == OF_VERSION_10 ? OFPT10_STATS_REQUEST : OFPT13_MULTIPART_REQUEST;
}

uint8_t of_type_stats_reply(uint8_t version)
{
	return version == OF_VERSION_10 ? OFPT10_STATS_REPLY : OFPT13_MULTIPART_REPLY;
}

/* ---- features ---- */

int of_encode_features_reply(struct of_buf *b, uint8_t version, uint32_t xid,
			     const struct of_features *f, const struct of_port *ports,
			     size_t n_ports)
{
	size_t start;
	uint8_t *p;
	int r = of_msg_begin(b, version, OFPT_FEATURES_REPLY, xid, OFP10_FEATURES_REPLY_LEN,
			     &start);

	if (r)
		return r;
	p = b->data + start;
	of_put64(p + 8, f->dpid);
	of_put32(p + 16, f->n_buffers);
	p[20] = f->n_tables;
	if (version == OF_VERSION_13)
		p[21] = f->auxiliary_id;
	of_put32(p + 24, f->capabilities);
	if (version == OF_VERSION_10) {
		of_put32(p + 28, f->actions);
		for (size_t i = 0; i < n_ports; i++) {
			r = of_port_encode(b, version, &ports[i]);
			if (r) {
				b->len = start;
				return r;
			}
		}
	}
	return of_msg_end(b, start);
}

enum of_err of_decode_features_reply(const uint8_t *msg, size_t len, struct of_features *f)
{
	memset(f, 0, sizeof(*f));
	if (len < OFP10_FEATURES_REPLY_LEN)
		return OF_E_BAD_LEN;
	f->dpid = of_get64(msg + 8);
	f->n_buffers = of_get32(msg + 16);
	f->n_tables = msg[20];
	f->capabilities = of_get32(msg + 24);
	if (msg[0] == OF_VERSION_10) {
		f->actions = of_get32(msg + 28);
		f->ports = msg + OFP10_FEATURES_REPLY_LEN;
		f->ports_len = len - OFP10_FEATURES_REPLY_LEN;
		if (f->ports_len % OFP10_PHY_PORT_LEN)
			return OF_E_BAD_LEN;
	} else {
		f->auxiliary_id = msg[21];
		if (len != OFP13_FEATURES_REPLY_LEN)
			return OF_E_BAD_LEN;
	}
	return OF_OK;
}

/* ---- switch config ---- */

int of_encode_switch_config(struct of_buf *b, uint8_t version, uint8_t type, uint32_t xid,
			    const struct of_switch_config *c)
{
	size_t start;
	int r = of_msg_begin(b, version, type, xid, OFP_SWITCH_CONFIG_LEN, &start);

	if (r)
		return r;
	of_put16(b->data + start + 8, c->flags);
	of_put16(b->data + start + 10, c->miss_send_len);
	return of_msg_end(b, start);
}

enum of_err of_decode_switch_config(const uint8_t *msg, size_t len, struct of_switch_config *c)
{
	if (len != OFP_SWITCH_CONFIG_LEN)
		return OF_E_BAD_LEN;
	c->flags = of_get16(msg + 8);
	c->miss_send_len = of_get16(msg + 10);
	return OF_OK;
}

/* ---- the messages the taps look into ---- */

enum of_err of_decode_msg(const uint8_t *msg, size_t len, struct of_msg *m,
			  union of_msg_body *body)
{
	if (len < OFP_HEADER_LEN || !of_version_supported(msg[0]))
		return OF_E_BAD_VERSION;
	switch (msg[1]) { /* the three share their type numbers in 1.0 and 1.3 */
	case OFPT_PACKET_IN:
		*m = (struct of_msg){ .kind = OF_MSG_PACKET_IN, .packet_in = &body->packet_in };
		return of_decode_packet_in(msg, len, &body->packet_in);
	case OFPT_PACKET_OUT:
		*m = (struct of_msg){ .kind = OF_MSG_PACKET_OUT, .packet_out = &body->packet_out };
		return of_decode_packet_out(msg, len, &body->packet_out);
	case OFPT_FLOW_MOD:
		*m = (struct of_msg){ .kind = OF_MSG_FLOW_MOD, .flow_mod = &body->flow_mod };
		return of_decode_flow_mod(msg, len, &body->flow_mod);
	}
	return OF_E_BAD_TYPE;
}
