/* of_listen.c - the OpenFlow listening sockets: parse "ADDR:PORT", bind
 * (127.0.0.1 unless configured otherwise, see of_subsys.c), and accept
 * switches as non-blocking connections handed to of_conn.c.
 */
#include "openflow/of_core_priv.h"
#include "common/log.h"
#include "openflow/of_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static void peer_name(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(a->sin_port));
	}
}

static void on_accept(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct of_core *core = ctx;

	(void)events;
	/* take every waiting connection (a batch of switches after a restart) */
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		char peer[64];
		int one = 1;
		int fd = accept4(nfp_loop_fd_get(h), (struct sockaddr *)&ss, &sl,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("openflow: accept: %s", strerror(errno));
			return;
		}
		/* replies are written in batches already: do not delay them */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		peer_name(&ss, peer, sizeof(peer));
		log_debug("openflow: connection from %s", peer);
		if (of_core_adopt_fd(core, fd, peer)) {
			log_warn("openflow: cannot take the connection from %s: out of memory", peer);
			close(fd);
		}
	}
}

int of_core_listen(struct of_core *core, const char *addr_port, char *err, size_t err_len)
{
	struct sockaddr_storage ss;
	struct of_listen_sock *l;
	socklen_t sl;
	int fd, one = 1, r;

	if (core->n_listeners >= OF_MAX_LISTENERS) {
		snprintf(err, err_len, "at most %d OpenFlow listeners", OF_MAX_LISTENERS);
		return -E2BIG;
	}
	if (of_parse_listen_addr(addr_port, &ss, &sl)) {
		snprintf(err, err_len, "'%s' is not ADDR:PORT (e.g. 127.0.0.1:6653 or [::1]:6653)",
			 addr_port);
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		snprintf(err, err_len, "socket: %s", strerror(errno));
		return r;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 128) < 0) {
		r = -errno;
		snprintf(err, err_len, "cannot listen on %s: %s", addr_port, strerror(errno));
		close(fd);
		return r;
	}
	l = &core->listeners[core->n_listeners];
	l->fd = fd;
	snprintf(l->addr, sizeof(l->addr), "%s", addr_port);
	l->h = nfp_loop_add_fd(core->loop, fd, EPOLLIN, on_accept, core);
	if (!l->h) {
		close(fd);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	core->n_listeners++;
	log_info("openflow: listening on %s", addr_port);
	return 0;
}
