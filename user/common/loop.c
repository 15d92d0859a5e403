/* loop.c - see loop.h.
 *
 * Handles deleted during a dispatch round are only marked dead and freed when
 * the round ends, because a callback may delete another handle whose event is
 * still pending in the same epoll batch.
 */
#include "common/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 64

struct nfp_loop_fd {
	struct nfp_loop *loop;
	int fd;
	nfp_fd_cb cb;
	void *ctx;
	bool dead;
	struct nfp_loop_fd *next_dead;
};

struct nfp_loop_timer {
	struct nfp_loop_fd *h;
	nfp_timer_cb cb;
	void *ctx;
};

struct nfp_loop {
	int epfd;
	bool stop;
	struct nfp_loop_fd *dead; /* freed at the end of the round */
};

uint64_t nfp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t nfp_now_ms(void)
{
	return nfp_now_ns() / 1000000ull;
}

struct nfp_loop *nfp_loop_new(void)
{
	struct nfp_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

static void reap(struct nfp_loop *loop)
{
	while (loop->dead) {
		struct nfp_loop_fd *h = loop->dead;

		loop->dead = h->next_dead;
		free(h);
	}
}

void nfp_loop_free(struct nfp_loop *loop)
{
	if (!loop)
		return;
	reap(loop);
	close(loop->epfd);
	free(loop);
}

struct nfp_loop_fd *nfp_loop_add_fd(struct nfp_loop *loop, int fd, uint32_t events,
				    nfp_fd_cb cb, void *ctx)
{
	struct nfp_loop_fd *h = calloc(1, sizeof(*h));
	struct epoll_event ev = { .events = events };

	if (!h)
		return NULL;
	h->loop = loop;
	h->fd = fd;
	h->cb = cb;
	h->ctx = ctx;
	ev.data.ptr = h;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(h);
		return NULL;
	}
	return h;
}

int nfp_loop_mod_fd(struct nfp_loop_fd *h, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = h };

	if (epoll_ctl(h->loop->epfd, EPOLL_CTL_MOD, h->fd, &ev) < 0)
		return -errno;
	return 0;
}

void nfp_loop_del_fd(struct nfp_loop_fd *h)
{
	if (!h || h->dead)
		return;
	epoll_ctl(h->loop->epfd, EPOLL_CTL_DEL, h->fd, NULL);
	h->dead = true;
	h->next_dead = h->loop->dead;
	h->loop->dead = h;
}

int nfp_loop_fd_get(const struct nfp_loop_fd *h)
{
	return h->fd;
}

int nfp_loop_run_once(struct nfp_loop *loop, int timeout_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int n = epoll_wait(loop->epfd, evs, MAX_EVENTS, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct nfp_loop_fd *h = evs[i].data.ptr;

		if (!h->dead)
			h->cb(h, evs[i].events, h->ctx);
	}
	reap(loop);
	return n;
}

int nfp_loop_run(struct nfp_loop *loop)
{
	loop->stop = false;
	while (!loop->stop) {
		int err = nfp_loop_run_once(loop, -1);

		if (err < 0)
			return err;
	}
	return 0;
}

void nfp_loop_stop(struct nfp_loop *loop)
{
	loop->stop = true;
}

static void timer_fired(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_loop_timer *t = ctx;
	uint64_t expirations;

	(void)events;
	if (read(h->fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	t->cb(t, t->ctx);
}

static void ms_to_ts(uint64_t ms, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ms / 1000);
	ts->tv_nsec = (long)(ms % 1000) * 1000000L;
}

int nfp_loop_timer_set(struct nfp_loop_timer *t, uint64_t first_ms, uint64_t interval_ms)
{
	struct itimerspec its = { 0 };

	/* a zero it_value disarms the timer, so "now" becomes 1 ns */
	ms_to_ts(first_ms, &its.it_value);
	if (first_ms == 0)
		its.it_value.tv_nsec = 1;
	ms_to_ts(interval_ms, &its.it_interval);
	if (timerfd_settime(t->h->fd, 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

struct nfp_loop_timer *nfp_loop_add_timer(struct nfp_loop *loop, uint64_t first_ms,
					  uint64_t interval_ms, nfp_timer_cb cb, void *ctx)
{
	struct nfp_loop_timer *t = calloc(1, sizeof(*t));
	int fd;

	if (!t)
		return NULL;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		goto err_free;
	t->cb = cb;
	t->ctx = ctx;
	t->h = nfp_loop_add_fd(loop, fd, EPOLLIN, timer_fired, t);
	if (!t->h)
		goto err_close;
	if (nfp_loop_timer_set(t, first_ms, interval_ms) < 0) {
		nfp_loop_del_fd(t->h);
		goto err_close;
	}
	return t;
err_close:
	close(fd);
err_free:
	free(t);
	return NULL;
}

void nfp_loop_del_timer(struct nfp_loop_timer *t)
{
	if (!t)
		return;
	int fd = t->h->fd;

	nfp_loop_del_fd(t->h);
	close(fd);
	free(t);
}
