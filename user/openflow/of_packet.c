/* of_packet.c - PACKET_IN and PACKET_OUT of both versions. These two are on
 * the controller's hot path (one of each per new flow): they build straight
 * into the output buffer and decode without copying the packet.
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

int of_encode_packet_in(struct of_buf *b, uint8_t version, uint32_t xid,
			const struct of_packet_in *pi)
{
	size_t start;
	uint8_t *p;
	int r;

	if (version == OF_VERSION_10) {
		r = of_msg_begin(b, version, OFPT_PACKET_IN, xid, OFP10_PACKET_IN_LEN, &start);
		if (r)
			return r;
		p = b->data + start;
		of_put32(p + 8, pi->buffer_id);
		of_put16(p + 12, pi->total_len);
		of_put16(p + 14, of_port_to10(pi->in_port));
		p[16] = pi->reason;
	} else {
		struct of_match m = pi->match;

		r = of_msg_begin(b, version, OFPT_PACKET_IN, xid, OFP13_PACKET_IN_LEN, &start);
		if (r)
			return r;
		p = b->data + start;
		of_put32(p + 8, pi->buffer_id);
		of_put16(p + 12, pi->total_len);
		p[14] = pi->reason;
		p[15] = pi->table_id;
		of_put64(p + 16, pi->cookie);
		m.fields |= OF_F_IN_PORT;
		m.in_port = pi->in_port;
		if ((r = of_oxm_encode(b, &m)) || !of_buf_put_zero(b, 2)) {
			b->len = start;
			return r ? r : -ENOMEM;
		}
	}
	if (pi->data_len) {
		if (!(p = of_buf_put_zero(b, pi->data_len))) {
			b->len = start;
			return -ENOMEM;
		}
		memcpy(p, pi->data, pi->data_len);
	}
	return of_msg_end(b, start);
}

enum of_err of_decode_packet_in(const uint8_t *msg, size_t len, struct of_packet_in *pi)
{
	if (msg[0] == OF_VERSION_10) {
		if (len < OFP10_PACKET_IN_LEN)
			return OF_E_BAD_LEN;
		pi->buffer_id = of_get32(msg + 8);
		pi->total_len = of_get16(msg + 12);
		pi->in_port = of_port_from10(of_get16(msg + 14));
		pi->reason = msg[16];
		pi->table_id = 0;
		pi->cookie = 0;
		pi->match.fields = OF_F_IN_PORT;
		pi->match.in_port = pi->in_port;
		pi->data = msg + OFP10_PACKET_IN_LEN;
		pi->data_len = len - OFP10_PACKET_IN_LEN;
	} else {
		size_t mlen;
		enum of_err e;

		if (len < OFP13_PACKET_IN_LEN + 8)
			return OF_E_BAD_LEN;
		pi->buffer_id = of_get32(msg + 8);
		pi->total_len = of_get16(msg + 12);
		pi->reason = msg[14];
		pi->table_id = msg[15];
		pi->cookie = of_get64(msg + 16);
		e = of_oxm_decode(msg + OFP13_PACKET_IN_LEN, len - OFP13_PACKET_IN_LEN, &pi->match,
				  &mlen, false);
		if (e != OF_OK)
			return e;
		if (OFP13_PACKET_IN_LEN + mlen + 2 > len)
			return OF_E_BAD_LEN;
		pi->in_port = (pi->match.fields & OF_F_IN_PORT) ? pi->match.in_port : OF_PORT_ANY;
		pi->data = msg + OFP13_PACKET_IN_LEN + mlen + 2;
		pi->data_len = len - (OFP13_PACKET_IN_LEN + mlen + 2);
	}
	return OF_OK;
}

int of_encode_packet_out(struct of_buf *b, uint8_t version, uint32_t xid,
			 const struct of_packet_out *po)
{
	size_t fixed = version == OF_VERSION_10 ? OFP10_PACKET_OUT_LEN : OFP13_PACKET_OUT_LEN;
	size_t start, alen;
	uint8_t *p;
	int r = of_msg_begin(b, version, OFPT_PACKET_OUT, xid, fixed, &start);

	if (r)
		return r;
	of_put32(b->data + start + 8, po->buffer_id);
	if (version == OF_VERSION_10)
		of_put16(b->data + start + 12, of_port_to10(po->in_port));
	else
		of_put32(b->data + start + 12, po->in_port);
	r = of_actions_encode(b, version, &po->actions, NULL);
	if (r) {
		b->len = start;
		return r;
	}
	alen = b->len - start - fixed;
	of_put16(b->data + start + (version == OF_VERSION_10 ? 14 : 16), (uint16_t)alen);
	if (po->buffer_id == OF_NO_BUFFER && po->data_len) {
		if (!(p = of_buf_put_zero(b, po->data_len))) {
			b->len = start;
			return -ENOMEM;
		}
		memcpy(p, po->data, po->data_len);
	}
	return of_msg_end(b, start);
}

enum of_err of_decode_packet_out(const uint8_t *msg, size_t len, struct of_packet_out *po)
{
	bool v10 = msg[0] == OF_VERSION_10;
	size_t fixed = v10 ? OFP10_PACKET_OUT_LEN : OFP13_PACKET_OUT_LEN;
	size_t alen;
	enum of_err e;

	if (len < fixed)
		return OF_E_BAD_LEN;
	po->buffer_id = of_get32(msg + 8);
	po->in_port = v10 ? of_port_from10(of_get16(msg + 12)) : of_get32(msg + 12);
	alen = of_get16(msg + (v10 ? 14 : 16));
	if (alen > len - fixed)
		return OF_E_BAD_LEN;
	e = of_actions_decode(msg[0], msg + fixed, alen, &po->actions);
	if (e != OF_OK)
		return e;
	po->data = msg + fixed + alen;
	po->data_len = len - fixed - alen;
	return OF_OK;
}
