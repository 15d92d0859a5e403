/* of_multipart.c - STATS (1.0) / MULTIPART (1.3) requests and replies: desc,
 * flow, aggregate, table, port, port-desc; and the reassembly of a reply
 * split over several messages with the MORE flag.
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static size_t mp_fixed(uint8_t version)
{
	return version == OF_VERSION_10 ? OFP10_STATS_LEN : OFP13_MULTIPART_LEN;
}

static bool type_known(uint8_t version, uint16_t type)
{
	return type <= OF_ST_PORT || (type == OF_ST_PORT_DESC && version == OF_VERSION_13);
}

int of_encode_stats_request(struct of_buf *b, uint8_t version, uint32_t xid,
			    const struct of_stats_request *rq)
{
	size_t start, fixed = mp_fixed(version);
	uint8_t *p;
	int r;

	if (!type_known(version, rq->type))
		return -EINVAL;
	r = of_msg_begin(b, version, of_type_stats_request(version), xid, fixed, &start);
	if (r)
		return r;
	of_put16(b->data + start + 8, rq->type);
	switch (rq->type) {
	case OF_ST_FLOW:
	case OF_ST_AGGREGATE:
		if (version == OF_VERSION_10) {
			if (!(p = of_buf_put_zero(b, 44))) {
				r = -ENOMEM;
				break;
			}
			if ((r = of_match10_encode(p, &rq->match)))
				break;
			p[40] = rq->table_id;
			of_put16(p + 42, of_port_to10(rq->out_port));
		} else {
			if (!(p = of_buf_put_zero(b, 32))) {
				r = -ENOMEM;
				break;
			}
			p[0] = rq->table_id;
			of_put32(p + 4, rq->out_port);
			of_put32(p + 8, OFP13_GROUP_ANY);
			r = of_oxm_encode(b, &rq->match);
		}
		break;
	case OF_ST_PORT:
		if (!(p = of_buf_put_zero(b, 8))) {
			r = -ENOMEM;
			break;
		}
		if (version == OF_VERSION_10)
			of_put16(p, of_port_to10(rq->port_no));
		else
			of_put32(p, rq->port_no);
		break;
	}
	if (r) {
		b->len = start;
		return r;
	}
	return of_msg_end(b, start);
}

enum of_err of_decode_stats_request(const uint8_t *msg, size_t len, struct of_stats_request *rq)
{
	uint8_t v = msg[0];
	size_t fixed = mp_fixed(v), blen, mlen;
	const uint8_t *body = msg + fixed;

	memset(rq, 0, sizeof(*rq));
	if (len < fixed)
		return OF_E_BAD_LEN;
	rq->type = of_get16(msg + 8);
	if (!type_known(v, rq->type))
		return OF_E_BAD_STAT;
	blen = len - fixed;
	switch (rq->type) {
	case OF_ST_FLOW:
	case OF_ST_AGGREGATE:
		if (v == OF_VERSION_10) {
			if (blen != 44)
				return OF_E_BAD_LEN;
			rq->table_id = body[40];
			rq->out_port = of_port_from10(of_get16(body + 42));
			return of_match10_decode(body, &rq->match);
		}
		if (blen < 40)
			return OF_E_BAD_LEN;
		rq->table_id = body[0];
		rq->out_port = of_get32(body + 4);
		{
			enum of_err e = of_oxm_decode(body + 32, blen - 32, &rq->match, &mlen, true);

			if (e != OF_OK)
				return e;
		}
		return 32 + mlen == blen ? OF_OK : OF_E_BAD_LEN;
	case OF_ST_PORT:
		if (blen != 8)
			return OF_E_BAD_LEN;
		rq->port_no = v == OF_VERSION_10 ? of_port_from10(of_get16(body)) : of_get32(body);
		return OF_OK;
	default:
		return blen ? OF_E_BAD_LEN : OF_OK;
	}
}

int of_encode_stats_reply(struct of_buf *b, uint8_t version, uint32_t xid, uint16_t type,
			  uint16_t flags, const uint8_t *body, size_t body_len)
{
	size_t start;
	int r = of_msg_begin(b, version, of_type_stats_reply(version), xid,
			     mp_fixed(version) + body_len, &start);

	if (r)
		return r;
	of_put16(b->data + start + 8, type);
	of_put16(b->data + start + 10, flags);
	if (body_len)
		memcpy(b->data + start + mp_fixed(version), body, body_len);
	return of_msg_end(b, start);
}

enum of_err of_decode_stats_reply(const uint8_t *msg, size_t len, struct of_stats_part *part)
{
	size_t fixed = mp_fixed(msg[0]);

	if (len < fixed)
		return OF_E_BAD_LEN;
	part->type = of_get16(msg + 8);
	part->flags = of_get16(msg + 10);
	part->body = msg + fixed;
	part->body_len = len - fixed;
	return type_known(msg[0], part->type) ? OF_OK : OF_E_BAD_STAT;
}

/* ---- reassembly ---- */

enum of_err of_mp_add(struct of_mp_assembly *a, uint8_t version, const struct of_stats_part *p)
{
	uint8_t *dst;

	if (a->done)
		of_mp_reset(a);
	if (!a->started) {
		a->started = true;
		a->version = version;
		a->type = p->type;
	} else if (p->type != a->type || version != a->version) {
		return OF_E_BAD_STAT;
	}
	if (a->body.len + p->body_len > OF_MP_MAX_BODY)
		return OF_E_MULTIPART_OVERFLOW;
	if (p->body_len) {
		if (!(dst = of_buf_reserve(&a->body, p->body_len)))
			return OF_E_MULTIPART_OVERFLOW;
		memcpy(dst, p->body, p->body_len);
		a->body.len += p->body_len;
	}
	a->done = !(p->flags & OFPSF_REPLY_MORE);
	return OF_OK;
}

void of_mp_reset(struct of_mp_assembly *a)
{
	a->body.len = 0;
	a->started = a->done = false;
	a->type = 0;
}

/* ---- bodies ---- */

static void get_str(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n - 1);
	dst[n - 1] = '\0';
}

enum of_err of_decode_desc_stats(const uint8_t *body, size_t len, struct of_desc_stats *d)
{
	if (len != 1056)
		return OF_E_BAD_LEN;
	get_str(d->mfr_desc, body, 256);
	get_str(d->hw_desc, body + 256, 256);
	get_str(d->sw_desc, body + 512, 256);
	get_str(d->serial_num, body + 768, 32);
	get_str(d->dp_desc, body + 800, 256);
	return OF_OK;
}

int of_encode_desc_stats(struct of_buf *b, const struct of_desc_stats *d)
{
	uint8_t *p = of_buf_put_zero(b, 1056);

	if (!p)
		return -ENOMEM;
	memcpy(p, d->mfr_desc, strnlen(d->mfr_desc, 255));
	memcpy(p + 256, d->hw_desc, strnlen(d->hw_desc, 255));
	memcpy(p + 512, d->sw_desc, strnlen(d->sw_desc, 255));
	memcpy(p + 768, d->serial_num, strnlen(d->serial_num, 31));
	memcpy(p + 800, d->dp_desc, strnlen(d->dp_desc, 255));
	return 0;
}

enum of_err of_decode_aggregate_stats(const uint8_t *body, size_t len,
				      struct of_aggregate_stats *a)
{
	if (len != 24)
		return OF_E_BAD_LEN;
	a->packet_count = of_get64(body);
	a->byte_count = of_get64(body + 8);
	a->flow_count = of_get32(body + 16);
	return OF_OK;
}

int of_encode_aggregate_stats(struct of_buf *b, const struct of_aggregate_stats *a)
{
	uint8_t *p = of_buf_put_zero(b, 24);

	if (!p)
		return -ENOMEM;
	of_put64(p, a->packet_count);
	of_put64(p + 8, a->byte_count);
	of_put32(p + 16, a->flow_count);
	return 0;
}

int of_flow_stats_next(uint8_t version, const uint8_t *body, size_t len, size_t *off,
		       struct of_flow_stats *fs)
{
	const uint8_t *p = body + *off;
	size_t elen, fixed = version == OF_VERSION_10 ? 88 : 48, mlen;
	enum of_err e;

	if (*off >= len)
		return 0;
	if (len - *off < fixed)
		return -OF_E_BAD_LEN;
	elen = of_get16(p);
	if (elen < fixed || elen > len - *off || elen % 8)
		return -OF_E_BAD_LEN;
	memset(fs, 0, sizeof(*fs));
	fs->table_id = p[2];
	if (version == OF_VERSION_10) {
		if ((e = of_match10_decode(p + 4, &fs->match)) != OF_OK)
			return -(int)e;
		fs->duration_sec = of_get32(p + 44);
		fs->duration_nsec = of_get32(p + 48);
		fs->priority = of_get16(p + 52);
		fs->idle_timeout = of_get16(p + 54);
		fs->hard_timeout = of_get16(p + 56);
		fs->cookie = of_get64(p + 64);
		fs->packet_count = of_get64(p + 72);
		fs->byte_count = of_get64(p + 80);
		e = of_actions_decode(version, p + 88, elen - 88, &fs->actions);
	} else {
		fs->duration_sec = of_get32(p + 4);
		fs->duration_nsec = of_get32(p + 8);
		fs->priority = of_get16(p + 12);
		fs->idle_timeout = of_get16(p + 14);
		fs->hard_timeout = of_get16(p + 16);
		fs->flags = of_get16(p + 18);
		fs->cookie = of_get64(p + 24);
		fs->packet_count = of_get64(p + 32);
		fs->byte_count = of_get64(p + 40);
		e = of_oxm_decode(p + 48, elen - 48, &fs->match, &mlen, false);
		if (e != OF_OK)
			return -(int)e;
		e = of_instructions_decode(p + 48 + mlen, elen - 48 - mlen, &fs->actions, false);
	}
	/* a flow someone else installed may use actions we do not model: keep
	 * the entry and say its action list is incomplete */
	if (e != OF_OK) {
		if (e == OF_E_ACTION_BAD_LEN || e == OF_E_INST_BAD_LEN)
			return -(int)e;
		fs->actions_truncated = true;
	}
	*off += elen;
	return 1;
}

int of_encode_flow_stats(struct of_buf *b, uint8_t version, const struct of_flow_stats *fs)
{
	size_t start = b->len, fixed = version == OF_VERSION_10 ? 88 : 48;
	uint8_t *p = of_buf_put_zero(b, fixed);
	int r;

	if (!p)
		return -ENOMEM;
	p[2] = fs->table_id;
	if (version == OF_VERSION_10) {
		if ((r = of_match10_encode(p + 4, &fs->match)))
			goto fail;
		of_put32(p + 44, fs->duration_sec);
		of_put32(p + 48, fs->duration_nsec);
		of_put16(p + 52, fs->priority);
		of_put16(p + 54, fs->idle_timeout);
		of_put16(p + 56, fs->hard_timeout);
		of_put64(p + 64, fs->cookie);
		of_put64(p + 72, fs->packet_count);
		of_put64(p + 80, fs->byte_count);
		r = of_actions_encode(b, version, &fs->actions, &fs->match);
	} else {
		of_put32(p + 4, fs->duration_sec);
		of_put32(p + 8, fs->duration_nsec);
		of_put16(p + 12, fs->priority);
		of_put16(p + 14, fs->idle_timeout);
		of_put16(p + 16, fs->hard_timeout);
		of_put16(p + 18, fs->flags);
		of_put64(p + 24, fs->cookie);
		of_put64(p + 32, fs->packet_count);
		of_put64(p + 40, fs->byte_count);
		if (!(r = of_oxm_encode(b, &fs->match)))
			r = of_instructions_encode(b, &fs->actions, &fs->match);
	}
	if (r)
		goto fail;
	of_put16(b->data + start, (uint16_t)(b->len - start));
	return 0;
fail:
	b->len = start;
	return r;
}

int of_table_stats_next(uint8_t version, const uint8_t *body, size_t len, size_t *off,
			struct of_table_stats *ts)
{
	size_t elen = version == OF_VERSION_10 ? 64 : 24;
	const uint8_t *p = body + *off;

	if (*off >= len)
		return 0;
	if (len - *off < elen)
		return -OF_E_BAD_LEN;
	ts->table_id = p[0];
	if (version == OF_VERSION_10) {
		ts->active_count = of_get32(p + 44);
		ts->lookup_count = of_get64(p + 48);
		ts->matched_count = of_get64(p + 56);
	} else {
		ts->active_count = of_get32(p + 4);
		ts->lookup_count = of_get64(p + 8);
		ts->matched_count = of_get64(p + 16);
	}
	*off += elen;
	return 1;
}

int of_encode_table_stats(struct of_buf *b, uint8_t version, const struct of_table_stats *ts)
{
	uint8_t *p = of_buf_put_zero(b, version == OF_VERSION_10 ? 64 : 24);

	if (!p)
		return -ENOMEM;
	p[0] = ts->table_id;
	if (version == OF_VERSION_10) {
		snprintf((char *)p + 4, 32, "table%u", ts->table_id);
		of_put32(p + 36, OFPFW10_ALL);
		of_put32(p + 40, 1000000);
		of_put32(p + 44, ts->active_count);
		of_put64(p + 48, ts->lookup_count);
		of_put64(p + 56, ts->matched_count);
	} else {
		of_put32(p + 4, ts->active_count);
		of_put64(p + 8, ts->lookup_count);
		of_put64(p + 16, ts->matched_count);
	}
	return 0;
}

/* the twelve counters in wire order */
static void port_counters(struct of_port_stats *ps, uint64_t *c[12])
{
	uint64_t *all[12] = { &ps->rx_packets, &ps->tx_packets, &ps->rx_bytes, &ps->tx_bytes,
			      &ps->rx_dropped, &ps->tx_dropped, &ps->rx_errors, &ps->tx_errors,
			      &ps->rx_frame_err, &ps->rx_over_err, &ps->rx_crc_err,
			      &ps->collisions };

	memcpy(c, all, sizeof(all));
}

int of_port_stats_next(uint8_t version, const uint8_t *body, size_t len, size_t *off,
		       struct of_port_stats *ps)
{
	size_t elen = version == OF_VERSION_10 ? 104 : 112;
	const uint8_t *p = body + *off;
	uint64_t *c[12];

	if (*off >= len)
		return 0;
	if (len - *off < elen)
		return -OF_E_BAD_LEN;
	memset(ps, 0, sizeof(*ps));
	port_counters(ps, c);
	ps->port_no = version == OF_VERSION_10 ? of_port_from10(of_get16(p)) : of_get32(p);
	for (int i = 0; i < 12; i++)
		*c[i] = of_get64(p + 8 + 8 * i);
	if (version != OF_VERSION_10) {
		ps->duration_sec = of_get32(p + 104);
		ps->duration_nsec = of_get32(p + 108);
	}
	*off += elen;
	return 1;
}

int of_encode_port_stats(struct of_buf *b, uint8_t version, const struct of_port_stats *ps)
{
	uint8_t *p = of_buf_put_zero(b, version == OF_VERSION_10 ? 104 : 112);
	uint64_t *c[12];

	if (!p)
		return -ENOMEM;
	if (version == OF_VERSION_10)
		of_put16(p, of_port_to10(ps->port_no));
	else
		of_put32(p, ps->port_no);
	port_counters((struct of_port_stats *)ps, c);
	for (int i = 0; i < 12; i++)
		of_put64(p + 8 + 8 * i, *c[i]);
	if (version != OF_VERSION_10) {
		of_put32(p + 104, ps->duration_sec);
		of_put32(p + 108, ps->duration_nsec);
	}
	return 0;
}
