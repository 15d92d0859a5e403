/* rules.c - see rules.h. */
#include "rules.h"
#include "../../tests/lib/fs_gen.h"

#include <stdio.h>
#include <string.h>

void fsb_host_mac(uint32_t h, uint8_t mac[6])
{
	mac[0] = 2, mac[1] = 0;
	mac[2] = (uint8_t)(h >> 24), mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8), mac[5] = (uint8_t)h;
}

void fsb_make_rules(struct fs_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct of_match *m = &r[i].match;

		memset(&r[i], 0, sizeof(r[i]));
		snprintf(r[i].name, sizeof(r[i].name), "r%zu", i);
		r[i].priority = 1000 + fs_gen_rand() % 30000;
		r[i].any_dpid = fs_gen_rand() % 4 == 0;
		r[i].dpid = 1 + fs_gen_rand() % 16;
		switch (i % 4) {
		case 0: case 1: /* a host */
			m->fields = OF_F_ETH_SRC;
			fsb_host_mac((uint32_t)i, m->eth_src);
			memset(m->eth_src_mask, 0xff, 6);
			break;
		case 2: /* a site's /24 */
			m->fields = OF_F_ETH_TYPE | OF_F_IPV4_SRC;
			m->eth_type = 0x0800;
			m->ipv4_src = 0x0a000000 | (uint32_t)i << 8;
			m->ipv4_src_mask = 0xffffff00;
			break;
		case 3: /* a port */
			m->fields = OF_F_IN_PORT | OF_F_ETH_TYPE;
			m->in_port = 1 + (uint32_t)(i / 4) % 48;
			m->eth_type = fs_gen_rand() % 2 ? 0x0800 : 0x0806;
			break;
		}
		r[i].n_actions = 1;
		snprintf(r[i].actions[0].slice, FS_NAME_MAX, "s%zu", i % 8);
		r[i].actions[0].perm = FS_PERM_READ | FS_PERM_WRITE;
	}
	/* the wide ones */
	if (n > 2) {
		r[n - 1].match.fields = 0;
		r[n - 1].priority = 0;
		r[n - 1].any_dpid = true;
		r[n - 2].match = (struct of_match){ .fields = OF_F_ETH_TYPE, .eth_type = 0x0806 };
		r[n - 2].priority = 100;
	}
}

