/* fs_gen.c - see fs_gen.h. */
#include "fs_gen.h"
#include "slicing/fs_match.h"

#include <string.h>

static uint32_t state = 12345;

void fs_gen_seed(uint32_t seed)
{
	state = seed ? seed : 1;
}

uint32_t fs_gen_rand(void)
{
	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return state;
}

void fs_gen_point(struct of_match *p)
{
	static const uint8_t macs[3][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 },
					    { 2, 0, 0, 0, 0, 3 } };

	memset(p, 0, sizeof(*p));
	p->fields = FS_MATCH_FIELDS;
	p->in_port = 1 + fs_gen_rand() % 3;
	memcpy(p->eth_src, macs[fs_gen_rand() % 3], 6);
	memcpy(p->eth_dst, macs[fs_gen_rand() % 3], 6);
	memset(p->eth_src_mask, 0xff, 6);
	memset(p->eth_dst_mask, 0xff, 6);
	p->eth_type = fs_gen_rand() % 2 ? 0x0800 : 0x0806;
	p->vlan_vid = fs_gen_rand() % 3 ? (uint16_t)(fs_gen_rand() % 2 + 1) : OF_VLAN_NONE;
	p->vlan_pcp = fs_gen_rand() % 2;
	p->ip_dscp = fs_gen_rand() % 2;
	p->ip_proto = fs_gen_rand() % 2 ? 6 : 17;
	p->ipv4_src = 0x0a000000 | (fs_gen_rand() % 4) << 16 | (fs_gen_rand() % 4) << 8 |
		      (fs_gen_rand() % 4);
	p->ipv4_dst = 0x0a000000 | (fs_gen_rand() % 4) << 16 | (fs_gen_rand() % 4) << 8 |
		      (fs_gen_rand() % 4);
	p->ipv4_src_mask = p->ipv4_dst_mask = 0xffffffffu;
	p->tp_src = fs_gen_rand() % 2 ? 80 : 443;
	p->tp_dst = fs_gen_rand() % 2 ? 80 : 443;
}

static uint32_t prefix_mask(void)
{
	uint32_t len = 8 * (1 + fs_gen_rand() % 4);

	return len == 32 ? 0xffffffffu : 0xffffffffu << (32 - len);
}

void fs_gen_match(struct of_match *m, unsigned one_in)
{
	struct of_match p;

	fs_gen_point(&p);
	*m = p;
	m->fields = 0;
	for (int b = 0; b < 12; b++) {
		uint32_t bit = 1u << b;

		if ((FS_MATCH_FIELDS & bit) && fs_gen_rand() % one_in == 0)
			m->fields |= bit;
	}
	m->ipv4_src_mask = prefix_mask();
	m->ipv4_dst_mask = prefix_mask();
	m->ipv4_src &= m->ipv4_src_mask;
	m->ipv4_dst &= m->ipv4_dst_mask;
}
