/* test_netdev.c - interfaces over rtnetlink (user/netdev): veth pairs,
 * taps, up, MAC, addresses, a move into another namespace, removal, and
 * the kernel's refusals reported with their reason. Runs in a network
 * namespace of its own (unshare(CLONE_NEWNET), as root): nothing it makes
 * is seen by the host, and it all goes with the process. */
#include "netdev/netdev.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

static int own_namespace(void **state)
{
	(void)state;
	return unshare(CLONE_NEWNET);
}

static unsigned flags_of(const char *name)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned flags = 0;

	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (s >= 0 && !ioctl(s, SIOCGIFFLAGS, &ifr))
		flags = (unsigned short)ifr.ifr_flags;
	if (s >= 0)
		close(s);
	return flags;
}

static int has_addr(const char *name, const char *text)
{
	struct ifaddrs *all, *a;
	char buf[INET6_ADDRSTRLEN];
	int found = 0;

	if (getifaddrs(&all))
		return 0;
	for (a = all; a; a = a->ifa_next) {
		if (!a->ifa_addr || strcmp(a->ifa_name, name) || a->ifa_addr->sa_family != AF_INET)
			continue;
		inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, buf, sizeof(buf));
		found |= !strcmp(buf, text);
	}
	freeifaddrs(all);
	return found;
}

static void a_veth_pair_up_with_mac_and_address(void **state)
{
	struct nfp_netdev_err err = { { 0 } };
	const uint8_t mac[6] = { 0x02, 0, 0, 0, 0xab, 0xcd };
	uint8_t got[6];
	struct in_addr a;
	unsigned ix;

	(void)state;
	assert_int_equal(nfp_netdev_veth_add("nt-a", "nt-b", -1, &err), 0);
	ix = if_nametoindex("nt-a");
	assert_true(ix > 0 && if_nametoindex("nt-b") > 0);
	assert_int_equal(flags_of("nt-a") & IFF_UP, 0);
	assert_int_equal(nfp_netdev_set_mac(ix, mac, &err), 0);
	assert_int_equal(nfp_netdev_get_mac(ix, got, &err), 0);
	assert_memory_equal(got, mac, 6);
	assert_int_equal(nfp_netdev_set_up(ix, true, &err), 0);
	assert_true(flags_of("nt-a") & IFF_UP);
	inet_pton(AF_INET, "10.9.8.7", &a);
	assert_int_equal(nfp_netdev_addr_add(ix, AF_INET, &a, 24, &err), 0);
	assert_true(has_addr("nt-a", "10.9.8.7"));
	/* the same again: the kernel's refusal, with its reason */
	assert_int_equal(nfp_netdev_veth_add("nt-a", "nt-c", -1, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "veth nt-a/nt-c: File exists"));
	assert_int_equal(nfp_netdev_del("nt-a", &err), 0);
	assert_int_equal(if_nametoindex("nt-b"), 0); /* the peer went with it */
	assert_int_equal(nfp_netdev_del("nt-a", &err), -ENODEV);
	assert_non_null(strstr(err.msg, "no such interface"));
}

static void bad_names_are_refused_before_the_kernel(void **state)
{
	struct nfp_netdev_err err = { { 0 } };

	(void)state;
	assert_int_equal(nfp_netdev_veth_add("a-name-of-16-chr", "p", -1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'a-name-of-16-chr' is not an interface name"));
	assert_int_equal(nfp_netdev_veth_add("ok", "bad/name", -1, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "veth peer name 'bad/name'"));
	assert_int_equal(nfp_netdev_tap_add("", false, NULL, &err), -EINVAL);
	assert_int_equal(if_nametoindex("ok"), 0);
}

static void a_peer_made_in_another_namespace_and_a_move(void **state)
{
	struct nfp_netdev_err err = { { 0 } };
	int here = open("/proc/self/ns/net", O_RDONLY), there;
	unsigned ix;

	(void)state;
	assert_true(here >= 0);
	/* a second namespace, then back: its fd stays usable */
	assert_int_equal(unshare(CLONE_NEWNET), 0);
	there = open("/proc/self/ns/net", O_RDONLY);
	assert_int_equal(setns(here, CLONE_NEWNET), 0);
	assert_int_equal(nfp_netdev_veth_add("nt-x", "nt-y", there, &err), 0);
	assert_true(if_nametoindex("nt-x") > 0);
	assert_int_equal(if_nametoindex("nt-y"), 0);
	ix = if_nametoindex("nt-x");
	assert_int_equal(nfp_netdev_set_netns(ix, there, &err), 0);
	assert_int_equal(if_nametoindex("nt-x"), 0);
	assert_int_equal(setns(there, CLONE_NEWNET), 0);
	assert_true(if_nametoindex("nt-x") > 0 && if_nametoindex("nt-y") > 0);
	assert_int_equal(setns(here, CLONE_NEWNET), 0);
	close(there);
	close(here);
}

static void a_tap_lives_with_its_fd_unless_persistent(void **state)
{
	struct nfp_netdev_err err = { { 0 } };
	int fd;

	(void)state;
	assert_int_equal(nfp_netdev_tap_add("nt-tap0", false, &fd, &err), 0);
	assert_true(if_nametoindex("nt-tap0") > 0);
	close(fd);
	assert_int_equal(if_nametoindex("nt-tap0"), 0);
	assert_int_equal(nfp_netdev_tap_add("nt-tap1", true, NULL, &err), 0);
	assert_true(if_nametoindex("nt-tap1") > 0);
	assert_int_equal(nfp_netdev_del("nt-tap1", &err), 0);
	assert_int_equal(if_nametoindex("nt-tap1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_veth_pair_up_with_mac_and_address),
		cmocka_unit_test(bad_names_are_refused_before_the_kernel),
		cmocka_unit_test(a_peer_made_in_another_namespace_and_a_move),
		cmocka_unit_test(a_tap_lives_with_its_fd_unless_persistent),
	};

	return cmocka_run_group_tests(tests, own_namespace, NULL);
}
