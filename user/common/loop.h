/* loop.h - nfpd's single-threaded event loop: file descriptors (epoll) and
 * timers (timerfd), each with a callback. Every subsystem of the daemon (the
 * API server, OpenFlow connections, the trace ringbuf, sweepers) registers
 * here instead of owning a thread, so no state needs a lock.
 */
#ifndef NFP_LOOP_H
#define NFP_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct nfp_loop;
struct nfp_loop_fd;
struct nfp_loop_timer;

/* @events: EPOLLIN/EPOLLOUT/... that fired. */
typedef void (*nfp_fd_cb)(struct nfp_loop_fd *h, uint32_t events, void *ctx);
typedef void (*nfp_timer_cb)(struct nfp_loop_timer *t, void *ctx);

struct nfp_loop *nfp_loop_new(void);
void nfp_loop_free(struct nfp_loop *loop);

/* Run until nfp_loop_stop(). Returns 0, or -errno if epoll failed. */
int nfp_loop_run(struct nfp_loop *loop);
void nfp_loop_stop(struct nfp_loop *loop);
/* One round: wait at most @timeout_ms for events and dispatch them. */
int nfp_loop_run_once(struct nfp_loop *loop, int timeout_ms);

struct nfp_loop_fd *nfp_loop_add_fd(struct nfp_loop *loop, int fd, uint32_t events,
				    nfp_fd_cb cb, void *ctx);
int nfp_loop_mod_fd(struct nfp_loop_fd *h, uint32_t events);
/* Stops watching; the fd itself stays open (the owner closes it). Safe to
 * call from inside the fd's own callback. */
void nfp_loop_del_fd(struct nfp_loop_fd *h);
int nfp_loop_fd_get(const struct nfp_loop_fd *h);

/* A timer first fires after @first_ms, then every @interval_ms (0: once). */
struct nfp_loop_timer *nfp_loop_add_timer(struct nfp_loop *loop, uint64_t first_ms,
					  uint64_t interval_ms, nfp_timer_cb cb, void *ctx);
int nfp_loop_timer_set(struct nfp_loop_timer *t, uint64_t first_ms, uint64_t interval_ms);
void nfp_loop_del_timer(struct nfp_loop_timer *t);

/* Monotonic clock in milliseconds and nanoseconds. */
uint64_t nfp_now_ms(void);
uint64_t nfp_now_ns(void);

#endif
