/* netdev.h - network interfaces made and changed over rtnetlink (libmnl):
 * veth pairs, tap devices, up/down, MAC and addresses, moving into another
 * network namespace, removal. What LVNF ports and chains need, never by
 * running `ip`. Every call reports the kernel's own words on failure (its
 * extended ack when it gives one). */
#ifndef NFP_NETDEV_H
#define NFP_NETDEV_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct nfp_netdev_err {
	char msg[256];
};

/* A veth pair name <-> peer, both down, in this namespace; peer_netns_fd
 * >= 0 puts the peer in that namespace instead. */
int nfp_netdev_veth_add(const char *name, const char *peer, int peer_netns_fd,
			struct nfp_netdev_err *err);

/* A tap device (IFF_TAP | IFF_NO_PI). persist keeps it after *fd closes
 * (then *fd may be NULL: it is closed here). */
int nfp_netdev_tap_add(const char *name, bool persist, int *fd, struct nfp_netdev_err *err);

/* Removes the interface (a veth takes its peer with it). -ENODEV when
 * there is none by that name. */
int nfp_netdev_del(const char *name, struct nfp_netdev_err *err);

int nfp_netdev_set_up(unsigned ifindex, bool up, struct nfp_netdev_err *err);
int nfp_netdev_set_mac(unsigned ifindex, const uint8_t mac[6], struct nfp_netdev_err *err);
int nfp_netdev_get_mac(unsigned ifindex, uint8_t mac[6], struct nfp_netdev_err *err);
int nfp_netdev_set_netns(unsigned ifindex, int netns_fd, struct nfp_netdev_err *err);

/* addr: 4 bytes for AF_INET, 16 for AF_INET6 */
int nfp_netdev_addr_add(unsigned ifindex, int family, const void *addr, unsigned prefixlen,
			struct nfp_netdev_err *err);

#endif
