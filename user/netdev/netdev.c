/* netdev.c - rtnetlink requests with libmnl (see netdev.h).
 *
 * One socket per request: interface changes happen at spawn and teardown,
 * not per packet, and a private socket keeps each call's acknowledgement
 * from mixing with another's. */
#include "netdev/netdev.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fail(struct nfp_netdev_err *err, int e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct nfp_netdev_err *err, int e, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -e;
}

/* the kernel's extended ack text, if the error carries one */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *attr; /* the name mnl_attr_for_each_payload uses */

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (mnl_nlmsg_get_payload_len(nlh) <= off)
		return NULL;
	mnl_attr_for_each_payload((void *)((const char *)e + off), mnl_nlmsg_get_payload_len(nlh) - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

/* Sends one request and waits for its ack; a reply (for GET) is handed
 * to cb. what names the operation in the error. */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data, const char *what,
		struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned seq = (unsigned)time(NULL), portid;
	int on = 1, r;
	ssize_t n;

	if (!nl)
		return fail(err, errno, "%s: netlink socket: %s", what, strerror(errno));
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &on, sizeof(on));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = fail(err, errno, "%s: netlink bind: %s", what, strerror(errno));
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = fail(err, errno, "%s: netlink send: %s", what, strerror(errno));
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			r = fail(err, errno, "%s: netlink receive: %s", what, strerror(errno));
			goto out;
		}
		/* errors come as NLMSG_ERROR: look for one before the callback
		 * turns it into -1 without its text */
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, (int)n);
		     h = mnl_nlmsg_next(h, (int *)&n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				const char *ext = extack_msg(h);

				if (!e->error) {
					r = 0;
					goto out;
				}
				r = fail(err, -e->error, "%s: %s%s%s", what, strerror(-e->error),
					 ext ? ": " : "", ext ? ext : "");
				goto out;
			}
			if (cb && mnl_cb_run(h, h->nlmsg_len, seq, portid, cb, data) < 0) {
				r = fail(err, EPROTO, "%s: a reply that cannot be read", what);
				goto out;
			}
		}
	}
out:
	mnl_socket_close(nl);
	return r;
}

static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags, unsigned ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	return nlh;
}

static int check_name(const char *name, const char *role, struct nfp_netdev_err *err)
{
	if (!name || !*name || strlen(name) >= IFNAMSIZ || strchr(name, '/') ||
	    strcspn(name, " \t\n:") != strlen(name))
		return fail(err, EINVAL, "%s name '%s' is not an interface name (1 to %d characters, no '/', ':' or space)",
			    role, name ? name : "", IFNAMSIZ - 1);
	return 0;
}

int nfp_netdev_veth_add(const char *name, const char *peer, int peer_netns_fd,
			struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[64];
	struct nlmsghdr *nlh;
	struct nlattr *linkinfo, *data, *peer_attr;
	struct ifinfomsg *pifi;

	if (check_name(name, "veth", err) || check_name(peer, "veth peer", err))
		return -EINVAL;
	snprintf(what, sizeof(what), "veth %s/%s", name, peer);
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_attr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* the peer is an ifinfomsg followed by its own attributes */
	pifi = (struct ifinfomsg *)((char *)nlh + nlh->nlmsg_len);
	memset(pifi, 0, sizeof(*pifi));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (peer_netns_fd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, peer_attr);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return talk(nlh, NULL, NULL, what, err);
}

int nfp_netdev_tap_add(const char *name, bool persist, int *fd, struct nfp_netdev_err *err)
{
	struct ifreq ifr = { 0 };
	int tfd;

	if (check_name(name, "tap", err))
		return -EINVAL;
	tfd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (tfd < 0)
		return fail(err, errno, "tap %s: /dev/net/tun: %s", name, strerror(errno));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(tfd, TUNSETIFF, &ifr) < 0 || (persist && ioctl(tfd, TUNSETPERSIST, 1) < 0)) {
		int e = errno;

		close(tfd);
		return fail(err, e, "tap %s: %s", name, strerror(e));
	}
	if (fd)
		*fd = tfd;
	else
		close(tfd);
	return 0;
}

int nfp_netdev_del(const char *name, struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[48];
	unsigned ifindex = if_nametoindex(name ? name : "");
	struct nlmsghdr *nlh;

	snprintf(what, sizeof(what), "remove %s", name ? name : "");
	if (!ifindex)
		return fail(err, ENODEV, "%s: no such interface", what);
	nlh = link_msg(buf, RTM_DELLINK, 0, ifindex);
	return talk(nlh, NULL, NULL, what, err);
}

int nfp_netdev_set_up(unsigned ifindex, bool up, struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[48];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	snprintf(what, sizeof(what), "set ifindex %u %s", ifindex, up ? "up" : "down");
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return talk(nlh, NULL, NULL, what, err);
}

int nfp_netdev_set_mac(unsigned ifindex, const uint8_t mac[6], struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[48];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);

	snprintf(what, sizeof(what), "set the MAC of ifindex %u", ifindex);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	return talk(nlh, NULL, NULL, what, err);
}

static int mac_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_ADDRESS && mnl_attr_get_payload_len(a) == 6)
		memcpy(data, mnl_attr_get_payload(a), 6);
	return MNL_CB_OK;
}

static int mac_reply(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct ifinfomsg), mac_attr, data);
	return MNL_CB_OK;
}

int nfp_netdev_get_mac(unsigned ifindex, uint8_t mac[6], struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[48];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, ifindex);
	uint8_t got[6] = { 0 }, none[6] = { 0 };
	int r;

	snprintf(what, sizeof(what), "read the MAC of ifindex %u", ifindex);
	r = talk(nlh, mac_reply, got, what, err);
	if (r)
		return r;
	if (!memcmp(got, none, 6))
		return fail(err, ENODATA, "%s: it has none", what);
	memcpy(mac, got, 6);
	return 0;
}

int nfp_netdev_set_netns(unsigned ifindex, int netns_fd, struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[48];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);

	snprintf(what, sizeof(what), "move ifindex %u to another namespace", ifindex);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	return talk(nlh, NULL, NULL, what, err);
}

int nfp_netdev_addr_add(unsigned ifindex, int family, const void *addr, unsigned prefixlen,
			struct nfp_netdev_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[48];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	size_t len = family == AF_INET ? 4 : 16;

	snprintf(what, sizeof(what), "add an address to ifindex %u", ifindex);
	if ((family != AF_INET && family != AF_INET6) || prefixlen > len * 8)
		return fail(err, EINVAL, "%s: /%u is not a prefix of this family", what, prefixlen);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, len, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr);
	return talk(nlh, NULL, NULL, what, err);
}
