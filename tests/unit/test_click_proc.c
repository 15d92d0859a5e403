/* test_click_proc.c - an LVNF on the real Click driver (click-bridge:
 * the image's Click expansion, click_proc, the ControlSocket, netdev): a
 * 2-port LVNF started, its KernelTap ports moved into two namespaces, a
 * ping between them through it, its counter read over the ControlSocket;
 * Click's refusal of a script reported with its words; an exit seen; the
 * ports gone after a stop. All in network namespaces of the test's own. */
#include "image/image.h"
#include "netdev/netdev.h"
#include "runtime/click_proc.h"
#include "runtime/controlsocket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../lib/netns.h"

#include "../lib/click_path.h"

static const char *click;
static int ns_main = -1, ns_h1 = -1, ns_h2 = -1;
static char dir[64];

static int setup(void **state)
{
	(void)state;
	click = test_click_path();
	if (unshare(CLONE_NEWNET))
		return -1;
	ns_main = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns_h1 = test_ns_new(ns_main);
	ns_h2 = test_ns_new(ns_main);
	snprintf(dir, sizeof(dir), "/tmp/nfp-lvnf.XXXXXX");
	return ns_main < 0 || ns_h1 < 0 || ns_h2 < 0 || !mkdtemp(dir) ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/lvnf.click", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/lvnf.log", dir);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s/lvnf.sock", dir);
	unlink(cmd);
	rmdir(dir);
	return 0;
}

#define NEED_CLICK()                                                                       \
	do {                                                                               \
		if (!click) {                                                              \
			skip(); /* run-all.sh counts this as a failure under CI */         \
			return;                                                            \
		}                                                                          \
	} while (0)

static void path(char *out, size_t cap, const char *leaf)
{
	snprintf(out, cap, "%s/%s", dir, leaf);
}

static int start(struct click_proc *p, const char *vnf, unsigned ports, uint32_t no,
		 struct click_proc_error *err)
{
	struct lvnf_image img;
	struct lvnf_image_error ierr;
	char script[128], sock[128], log[128], *text;
	FILE *f;

	path(script, sizeof(script), "lvnf.click");
	path(sock, sizeof(sock), "lvnf.sock");
	path(log, sizeof(log), "lvnf.log");
	assert_int_equal(lvnf_image_init(&img, vnf, ports, NULL, 0, NULL, 0, &ierr), 0);
	text = lvnf_image_click_script(&img, no, sock);
	assert_non_null(text);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(text);
	lvnf_image_fini(&img);
	return click_proc_start(p, click, script, sock, log, 5000, err);
}

static void a_ping_goes_through_a_click_lvnf(void **state)
{
	struct click_proc p;
	struct click_proc_error err;
	struct nfp_netdev_err nerr;
	struct click_cs cs;
	struct click_cs_error cerr;
	char sock[128], *data;
	size_t len;

	(void)state;
	NEED_CLICK();
	if (start(&p, "in_0 -> c :: Counter -> out_1; in_1 -> out_0", 2, 0x77, &err))
		fail_msg("Click did not start: %s", err.msg);
	assert_true(if_nametoindex("lv00000077p0") > 0 && if_nametoindex("lv00000077p1") > 0);
	assert_int_equal(nfp_netdev_set_netns(if_nametoindex("lv00000077p0"), ns_h1, &nerr), 0);
	assert_int_equal(nfp_netdev_set_netns(if_nametoindex("lv00000077p1"), ns_h2, &nerr), 0);
	assert_int_equal(test_ns_addr_up(ns_h1, ns_main, "lv00000077p0", "10.77.0.1"), 0);
	assert_int_equal(test_ns_addr_up(ns_h2, ns_main, "lv00000077p1", "10.77.0.2"), 0);
	assert_int_equal(test_ns_ping(ns_h1, "10.77.0.2"), 0);
	path(sock, sizeof(sock), "lvnf.sock");
	assert_int_equal(click_cs_connect(&cs, sock, 2000, &cerr), 0);
	assert_int_equal(click_cs_read(&cs, "c.count", &data, &len, &cerr), 0);
	/* three echo requests at least, and ARP */
	assert_true(atoi(data) >= 4);
	free(data);
	click_cs_close(&cs);
	click_proc_stop(&p, 2000);
	assert_int_equal(p.pid, -1);
	/* the ports went with Click, wherever they were */
	assert_int_equal(setns(ns_h1, CLONE_NEWNET), 0);
	assert_int_equal(if_nametoindex("lv00000077p0"), 0);
	assert_int_equal(setns(ns_main, CLONE_NEWNET), 0);
}

static void clicks_refusal_comes_with_its_words(void **state)
{
	struct click_proc p;
	struct click_proc_error err;

	(void)state;
	NEED_CLICK();
	assert_int_equal(start(&p, "in_0 -> NoSuchElement -> out_0", 1, 0x78, &err), -ECHILD);
	assert_non_null(strstr(err.msg, "Click exited (status 1) before it was ready"));
	assert_non_null(strstr(err.msg, "NoSuchElement"));
	assert_int_equal(if_nametoindex("lv00000078p0"), 0);
}

static void an_exit_is_seen(void **state)
{
	struct click_proc p;
	struct click_proc_error err;
	int status;
	pid_t pid;

	(void)state;
	NEED_CLICK();
	if (start(&p, "in_0 -> out_0", 1, 0x79, &err))
		fail_msg("Click did not start: %s", err.msg);
	assert_int_equal(click_proc_exited(&p, &status), 0);
	pid = p.pid;
	kill(pid, SIGKILL);
	/* the pidfd turns readable when it is gone */
	{
		struct pollfd pf = { p.pidfd, POLLIN, 0 };

		assert_int_equal(poll(&pf, 1, 5000), 1);
	}
	assert_int_equal(click_proc_exited(&p, &status), 1);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_equal(p.pid, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_ping_goes_through_a_click_lvnf),
		cmocka_unit_test(clicks_refusal_comes_with_its_words),
		cmocka_unit_test(an_exit_is_seen),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
