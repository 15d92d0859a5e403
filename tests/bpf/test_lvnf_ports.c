/* test_lvnf_ports.c - LVNFs on the eBPF runtime on real interfaces
 * (click-bridge/runtime/ebpf_runtime.c): a 2-port LVNF spawned, its port
 * interfaces moved into two namespaces, a ping between them through the
 * graph in the kernel, its counter read from the maps; a script the
 * runtime cannot run leaves no port behind; destroy removes the ports.
 * In network namespaces of the test's own; maps unpinned. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../lib/netns.h"

#include "image/image.h"
#include "netdev/netdev.h"
#include "runtime/ebpf_runtime.h"

static int ns_main = -1, ns_h1 = -1, ns_h2 = -1;
static struct lvnf_ebpf rt;

static int setup(void **state)
{
	struct lvnf_image_error err;

	(void)state;
	if (unshare(CLONE_NEWNET))
		return -1;
	ns_main = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns_h1 = test_ns_new(ns_main);
	ns_h2 = test_ns_new(ns_main);
	if (ns_main < 0 || ns_h1 < 0 || ns_h2 < 0)
		return -1;
	if (lvnf_ebpf_open(&rt, NULL, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lvnf_ebpf_close(&rt);
	return 0;
}

static void a_ping_goes_through_an_ebpf_lvnf(void **state)
{
	struct lvnf_image img;
	struct lvnf_image_error err;
	struct nfp_netdev_err nerr;
	struct nfp_lvnf_counts c;
	struct click_graph *g;
	long counter;

	(void)state;
	assert_int_equal(lvnf_image_init(&img, "in_0 -> c :: Counter -> out_1; in_1 -> out_0", 2,
					 NULL, 0, NULL, 0, &err), 0);
	if (lvnf_ebpf_spawn(&rt, 0x55, &img, &err))
		fail_msg("spawn: %s", err.msg);
	assert_true(if_nametoindex("lv00000055p0") > 0 && if_nametoindex("lv00000055p1i") > 0);
	assert_int_equal(nfp_netdev_set_netns(if_nametoindex("lv00000055p0"), ns_h1, &nerr), 0);
	assert_int_equal(nfp_netdev_set_netns(if_nametoindex("lv00000055p1"), ns_h2, &nerr), 0);
	assert_int_equal(test_ns_addr_up(ns_h1, ns_main, "lv00000055p0", "10.55.0.1"), 0);
	assert_int_equal(test_ns_addr_up(ns_h2, ns_main, "lv00000055p1", "10.55.0.2"), 0);
	assert_int_equal(test_ns_ping(ns_h1, "10.55.0.2"), 0);
	assert_int_equal(lvnf_image_graph(&img, &g, &err), 0);
	counter = click_graph_find(g, "c");
	assert_int_equal(lvnf_ebpf_counts(&rt, 0x55, (unsigned)counter, &c), 0);
	assert_true(c.packets >= 4); /* three echo requests and ARP at least */
	assert_true(c.bytes >= c.packets * 42);
	click_graph_free(g);
	lvnf_ebpf_destroy(&rt, 0x55, 2);
	assert_int_equal(if_nametoindex("lv00000055p0i"), 0);
	assert_int_equal(setns(ns_h1, CLONE_NEWNET), 0);
	assert_int_equal(if_nametoindex("lv00000055p0"), 0); /* its pair went with it */
	assert_int_equal(setns(ns_main, CLONE_NEWNET), 0);
	assert_int_equal(lvnf_ebpf_counts(&rt, 0x55, (unsigned)counter, &c), -ENOENT);
	lvnf_image_fini(&img);
}

static void a_script_it_cannot_run_makes_no_port(void **state)
{
	struct lvnf_image img;
	struct lvnf_image_error err;

	(void)state;
	assert_int_equal(lvnf_image_init(&img, "in_0 -> f :: IPFilter(allow all) -> out_0", 1, NULL,
					 0, NULL, 0, &err), 0);
	assert_int_equal(lvnf_ebpf_spawn(&rt, 0x56, &img, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "element 'f' (IPFilter)"));
	assert_int_equal(if_nametoindex("lv00000056p0"), 0);
	lvnf_image_fini(&img);
}

static void a_port_name_taken_undoes_the_spawn(void **state)
{
	struct lvnf_image img;
	struct lvnf_image_error err;
	struct nfp_netdev_err nerr;

	(void)state;
	/* port 1's name is taken already: port 0, made first, must go again */
	assert_int_equal(nfp_netdev_veth_add("lv00000057p1", "squatter", -1, &nerr), 0);
	assert_int_equal(lvnf_image_init(&img, "in_0 -> out_1; in_1 -> out_0", 2, NULL, 0, NULL, 0,
					 &err), 0);
	assert_int_equal(lvnf_ebpf_spawn(&rt, 0x57, &img, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "port 1"));
	assert_int_equal(if_nametoindex("lv00000057p0"), 0);
	assert_int_equal(if_nametoindex("lv00000057p0i"), 0);
	assert_true(if_nametoindex("squatter") > 0); /* not ours: left alone */
	nfp_netdev_del("squatter", &nerr);
	lvnf_image_fini(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_ping_goes_through_an_ebpf_lvnf),
		cmocka_unit_test(a_script_it_cannot_run_makes_no_port),
		cmocka_unit_test(a_port_name_taken_undoes_the_spawn),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
