/* netns.h - network namespaces for the C tests that send real traffic
 * through an LVNF: a new namespace kept by its fd, an interface in one
 * given an address and brought up, a ping from one. The caller stays in
 * (or is put back into) its home namespace. */
#ifndef NFP_TEST_NETNS_H
#define NFP_TEST_NETNS_H

/* A new namespace's fd (the caller is back in home after), or -1. */
int test_ns_new(int home);
/* ifname in ns gets addr/24 and goes up: 0, or -1. */
int test_ns_addr_up(int ns, int home, const char *ifname, const char *addr);
/* ping -c 3 from ns: ping's exit status (0: replies came back). */
int test_ns_ping(int ns, const char *to);

#endif
