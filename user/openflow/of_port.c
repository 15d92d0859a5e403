/* of_port.c - port descriptions (1.0 ofp_phy_port, 1.3 ofp_port) and
 * PORT_STATUS, to and from struct of_port.
 */
#include "openflow/of_codec.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>

size_t of_port_wire_len(uint8_t version)
{
	return version == OF_VERSION_10 ? OFP10_PHY_PORT_LEN : OFP13_PORT_LEN;
}

int of_port_encode(struct of_buf *b, uint8_t version, const struct of_port *pt)
{
	uint8_t *p = of_buf_put_zero(b, of_port_wire_len(version));
	size_t name_len = strnlen(pt->name, sizeof(pt->name));

	if (!p)
		return -ENOMEM;
	if (version == OF_VERSION_10) {
		of_put16(p, of_port_to10(pt->port_no));
		memcpy(p + 2, pt->hw_addr, 6);
		memcpy(p + 8, pt->name, name_len < 15 ? name_len : 15);
		p += 24;
	} else {
		of_put32(p, pt->port_no);
		memcpy(p + 8, pt->hw_addr, 6);
		memcpy(p + 16, pt->name, name_len < 15 ? name_len : 15);
		p += 32;
	}
	of_put32(p, pt->config);
	of_put32(p + 4, pt->state);
	of_put32(p + 8, pt->curr);
	of_put32(p + 12, pt->advertised);
	of_put32(p + 16, pt->supported);
	of_put32(p + 20, pt->peer);
	if (version != OF_VERSION_10) {
		of_put32(p + 24, pt->curr_speed);
		of_put32(p + 28, pt->max_speed);
	}
	return 0;
}

static void decode_port(uint8_t version, const uint8_t *p, struct of_port *pt)
{
	memset(pt, 0, sizeof(*pt));
	if (version == OF_VERSION_10) {
		pt->port_no = of_port_from10(of_get16(p));
		memcpy(pt->hw_addr, p + 2, 6);
		memcpy(pt->name, p + 8, 15); /* the wire name may lack its NUL */
		p += 24;
	} else {
		pt->port_no = of_get32(p);
		memcpy(pt->hw_addr, p + 8, 6);
		memcpy(pt->name, p + 16, 15);
		p += 32;
	}
	pt->config = of_get32(p);
	pt->state = of_get32(p + 4);
	pt->curr = of_get32(p + 8);
	pt->advertised = of_get32(p + 12);
	pt->supported = of_get32(p + 16);
	pt->peer = of_get32(p + 20);
	if (version != OF_VERSION_10) {
		pt->curr_speed = of_get32(p + 24);
		pt->max_speed = of_get32(p + 28);
	}
}

int of_port_next(uint8_t version, const uint8_t *p, size_t len, size_t *off,
		 struct of_port *port)
{
	size_t plen = of_port_wire_len(version);

	if (*off >= len)
		return 0;
	if (len - *off < plen)
		return -OF_E_BAD_LEN;
	decode_port(version, p + *off, port);
	*off += plen;
	return 1;
}

int of_encode_port_status(struct of_buf *b, uint8_t version, uint32_t xid,
			  const struct of_port_status *ps)
{
	size_t start;
	int r = of_msg_begin(b, version, OFPT_PORT_STATUS, xid, 16, &start);

	if (r)
		return r;
	b->data[start + 8] = ps->reason;
	if ((r = of_port_encode(b, version, &ps->port))) {
		b->len = start;
		return r;
	}
	return of_msg_end(b, start);
}

enum of_err of_decode_port_status(const uint8_t *msg, size_t len, struct of_port_status *ps)
{
	size_t want = msg[0] == OF_VERSION_10 ? OFP10_PORT_STATUS_LEN : OFP13_PORT_STATUS_LEN;

	if (len != want)
		return OF_E_BAD_LEN;
	ps->reason = msg[8];
	if (ps->reason > OF_PR_MODIFY)
		return OF_E_BAD_TYPE;
	decode_port(msg[0], msg + 16, &ps->port);
	return OF_OK;
}
