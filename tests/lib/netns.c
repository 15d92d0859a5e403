/* netns.c - see netns.h. */
#include "netns.h"
#include "netdev/netdev.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int test_ns_new(int home)
{
	int fd;

	if (unshare(CLONE_NEWNET))
		return -1;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return setns(home, CLONE_NEWNET) ? -1 : fd;
}

int test_ns_addr_up(int ns, int home, const char *ifname, const char *addr)
{
	struct nfp_netdev_err err;
	struct in_addr a;
	unsigned ix;
	int r = -1;

	if (setns(ns, CLONE_NEWNET))
		return -1;
	ix = if_nametoindex(ifname);
	if (ix && inet_pton(AF_INET, addr, &a) == 1 &&
	    !nfp_netdev_addr_add(ix, AF_INET, &a, 24, &err) && !nfp_netdev_set_up(ix, true, &err))
		r = 0;
	return setns(home, CLONE_NEWNET) ? -1 : r;
}

int test_ns_ping(int ns, const char *to)
{
	int status;
	pid_t pid = fork();

	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		if (setns(ns, CLONE_NEWNET))
			_exit(126);
		execlp("ping", "ping", "-c", "3", "-i", "0.2", "-W", "2", to, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
