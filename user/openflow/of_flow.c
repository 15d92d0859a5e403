/* of_flow.c - FLOW_MOD and FLOW_REMOVED of both versions, and the 1.3
 * instruction list (nfplane's modules use one APPLY_ACTIONS instruction).
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

void of_flow_mod_init(struct of_flow_mod *fm, uint8_t command)
{
	memset(fm, 0, sizeof(*fm));
	fm->command = command;
	fm->buffer_id = OF_NO_BUFFER;
	fm->out_port = OF_PORT_ANY;
	fm->out_group = OFP13_GROUP_ANY;
	fm->table_id = (command == OF_FC_DELETE || command == OF_FC_DELETE_STRICT) ? OF_TABLE_ALL : 0;
}

/* ---- instructions ---- */

int of_instructions_encode(struct of_buf *b, const struct of_action_list *l,
			   const struct of_match *m)
{
	size_t start = b->len;
	uint8_t *p;
	int r;

	if (!l->n)
		return 0;
	if (!(p = of_buf_put_zero(b, 8)))
		return -ENOMEM;
	of_put16(p, OFPIT13_APPLY_ACTIONS);
	r = of_actions_encode(b, OF_VERSION_13, l, m);
	if (r) {
		b->len = start;
		return r;
	}
	of_put16(b->data + start + 2, (uint16_t)(b->len - start));
	return 0;
}

enum of_err of_instructions_decode(const uint8_t *p, size_t len, struct of_action_list *l,
				   bool strict)
{
	bool skipped = false, have_apply = false;
	size_t off = 0;

	l->n = 0;
	while (off < len) {
		uint16_t type, ilen;
		enum of_err e;

		if (len - off < 8)
			return OF_E_INST_BAD_LEN;
		type = of_get16(p + off);
		ilen = of_get16(p + off + 2);
		if (ilen < 8 || ilen % 8 || ilen > len - off)
			return OF_E_INST_BAD_LEN;
		if (type == OFPIT13_APPLY_ACTIONS && !have_apply) {
			e = of_actions_decode(OF_VERSION_13, p + off + 8, ilen - 8u, l);
			if (e != OF_OK)
				return e;
			have_apply = true;
		} else if (strict) {
			return type >= OFPIT13_GOTO_TABLE && type <= OFPIT13_METER
				       ? OF_E_INST_UNSUPPORTED : OF_E_INST_UNKNOWN;
		} else {
			skipped = true;
		}
		off += ilen;
	}
	return skipped ? OF_E_INST_UNSUPPORTED : OF_OK;
}

/* ---- flow-mod ---- */

int of_encode_flow_mod(struct of_buf *b, uint8_t version, uint32_t xid,
		       const struct of_flow_mod *fm)
{
	size_t start;
	uint8_t *p;
	int r;

	if (version == OF_VERSION_10) {
		r = of_msg_begin(b, version, OFPT_FLOW_MOD, xid, OFP10_FLOW_MOD_LEN, &start);
		if (r)
			return r;
		p = b->data + start;
		if ((r = of_match10_encode(p + 8, &fm->match)))
			goto fail;
		of_put64(p + 48, fm->cookie);
		of_put16(p + 56, fm->command);
		of_put16(p + 58, fm->idle_timeout);
		of_put16(p + 60, fm->hard_timeout);
		of_put16(p + 62, fm->priority);
		of_put32(p + 64, fm->buffer_id);
		of_put16(p + 68, of_port_to10(fm->out_port));
		of_put16(p + 70, fm->flags);
		r = of_actions_encode(b, version, &fm->actions, &fm->match);
	} else {
		r = of_msg_begin(b, version, OFPT_FLOW_MOD, xid, OFP13_FLOW_MOD_LEN, &start);
		if (r)
			return r;
		p = b->data + start;
		of_put64(p + 8, fm->cookie);
		of_put64(p + 16, fm->cookie_mask);
		p[24] = fm->table_id;
		p[25] = fm->command;
		of_put16(p + 26, fm->idle_timeout);
		of_put16(p + 28, fm->hard_timeout);
		of_put16(p + 30, fm->priority);
		of_put32(p + 32, fm->buffer_id);
		of_put32(p + 36, fm->out_port);
		of_put32(p + 40, fm->out_group);
		of_put16(p + 44, fm->flags);
		if (!(r = of_oxm_encode(b, &fm->match)))
			r = of_instructions_encode(b, &fm->actions, &fm->match);
	}
	if (r)
		goto fail;
	return of_msg_end(b, start);
fail:
	b->len = start;
	return r;
}

enum of_err of_decode_flow_mod(const uint8_t *msg, size_t len, struct of_flow_mod *fm)
{
	enum of_err e;

	memset(fm, 0, sizeof(*fm));
	if (msg[0] == OF_VERSION_10) {
		if (len < OFP10_FLOW_MOD_LEN)
			return OF_E_BAD_LEN;
		if ((e = of_match10_decode(msg + 8, &fm->match)) != OF_OK)
			return e;
		fm->cookie = of_get64(msg + 48);
		if (of_get16(msg + 56) > OF_FC_DELETE_STRICT)
			return OF_E_FLOW_MOD_BAD_COMMAND;
		fm->command = (uint8_t)of_get16(msg + 56);
		fm->idle_timeout = of_get16(msg + 58);
		fm->hard_timeout = of_get16(msg + 60);
		fm->priority = of_get16(msg + 62);
		fm->buffer_id = of_get32(msg + 64);
		fm->out_port = of_port_from10(of_get16(msg + 68));
		fm->flags = of_get16(msg + 70);
		fm->out_group = OFP13_GROUP_ANY;
		fm->table_id = 0;
		return of_actions_decode(msg[0], msg + OFP10_FLOW_MOD_LEN, len - OFP10_FLOW_MOD_LEN,
					 &fm->actions);
	}
	if (len < OFP13_FLOW_MOD_LEN + 8)
		return OF_E_BAD_LEN;
	fm->cookie = of_get64(msg + 8);
	fm->cookie_mask = of_get64(msg + 16);
	fm->table_id = msg[24];
	fm->command = msg[25];
	if (fm->command > OF_FC_DELETE_STRICT)
		return OF_E_FLOW_MOD_BAD_COMMAND;
	if (fm->table_id == OF_TABLE_ALL && fm->command < OF_FC_DELETE)
		return OF_E_FLOW_MOD_BAD_TABLE;
	fm->idle_timeout = of_get16(msg + 26);
	fm->hard_timeout = of_get16(msg + 28);
	fm->priority = of_get16(msg + 30);
	fm->buffer_id = of_get32(msg + 32);
	fm->out_port = of_get32(msg + 36);
	fm->out_group = of_get32(msg + 40);
	fm->flags = of_get16(msg + 44);
	{
		size_t mlen;

		e = of_oxm_decode(msg + OFP13_FLOW_MOD_LEN, len - OFP13_FLOW_MOD_LEN, &fm->match,
				  &mlen, true);
		if (e != OF_OK)
			return e;
		e = of_instructions_decode(msg + OFP13_FLOW_MOD_LEN + mlen,
					   len - OFP13_FLOW_MOD_LEN - mlen, &fm->actions, true);
		if (e != OF_OK)
			return e;
	}
	return of_actions_check(&fm->actions, &fm->match);
}

/* ---- flow-removed ---- */

int of_encode_flow_removed(struct of_buf *b, uint8_t version, uint32_t xid,
			   const struct of_flow_removed *fr)
{
	size_t start;
	uint8_t *p;
	int r;

	if (version == OF_VERSION_10) {
		r = of_msg_begin(b, version, OFPT_FLOW_REMOVED, xid, OFP10_FLOW_REMOVED_LEN, &start);
		if (r)
			return r;
		p = b->data + start;
		if ((r = of_match10_encode(p + 8, &fr->match))) {
			b->len = start;
			return r;
		}
		of_put64(p + 48, fr->cookie);
		of_put16(p + 56, fr->priority);
		p[58] = fr->reason;
		of_put32(p + 60, fr->duration_sec);
		of_put32(p + 64, fr->duration_nsec);
		of_put16(p + 68, fr->idle_timeout);
		of_put64(p + 72, fr->packet_count);
		of_put64(p + 80, fr->byte_count);
		return of_msg_end(b, start);
	}
	r = of_msg_begin(b, version, OFPT_FLOW_REMOVED, xid, OFP13_FLOW_REMOVED_LEN, &start);
	if (r)
		return r;
	p = b->data + start;
	of_put64(p + 8, fr->cookie);
	of_put16(p + 16, fr->priority);
	p[18] = fr->reason;
	p[19] = fr->table_id;
	of_put32(p + 20, fr->duration_sec);
	of_put32(p + 24, fr->duration_nsec);
	of_put16(p + 28, fr->idle_timeout);
	of_put16(p + 30, fr->hard_timeout);
	of_put64(p + 32, fr->packet_count);
	of_put64(p + 40, fr->byte_count);
	if ((r = of_oxm_encode(b, &fr->match))) {
		b->len = start;
		return r;
	}
	return of_msg_end(b, start);
}

enum of_err of_decode_flow_removed(const uint8_t *msg, size_t len, struct of_flow_removed *fr)
{
	size_t mlen;
	enum of_err e;

	memset(fr, 0, sizeof(*fr));
	if (msg[0] == OF_VERSION_10) {
		if (len != OFP10_FLOW_REMOVED_LEN)
			return OF_E_BAD_LEN;
		if ((e = of_match10_decode(msg + 8, &fr->match)) != OF_OK)
			return e;
		fr->cookie = of_get64(msg + 48);
		fr->priority = of_get16(msg + 56);
		fr->reason = msg[58];
		fr->duration_sec = of_get32(msg + 60);
		fr->duration_nsec = of_get32(msg + 64);
		fr->idle_timeout = of_get16(msg + 68);
		fr->packet_count = of_get64(msg + 72);
		fr->byte_count = of_get64(msg + 80);
		return OF_OK;
	}
	if (len < OFP13_FLOW_REMOVED_LEN + 8)
		return OF_E_BAD_LEN;
	fr->cookie = of_get64(msg + 8);
	fr->priority = of_get16(msg + 16);
	fr->reason = msg[18];
	fr->table_id = msg[19];
	fr->duration_sec = of_get32(msg + 20);
	fr->duration_nsec = of_get32(msg + 24);
	fr->idle_timeout = of_get16(msg + 28);
	fr->hard_timeout = of_get16(msg + 30);
	fr->packet_count = of_get64(msg + 32);
	fr->byte_count = of_get64(msg + 40);
	e = of_oxm_decode(msg + OFP13_FLOW_REMOVED_LEN, len - OFP13_FLOW_REMOVED_LEN, &fr->match,
			  &mlen, false);
	if (e != OF_OK)
		return e;
	return OFP13_FLOW_REMOVED_LEN + mlen == len ? OF_OK : OF_E_BAD_LEN;
}
