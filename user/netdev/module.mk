# netdev: interfaces over rtnetlink (libmnl), for LVNF ports and chains
NETDEV_SRCS := user/netdev/netdev.c
NFPD_LDLIBS += $(shell pkg-config --libs libmnl 2>/dev/null)
