/* test_loop.c - the event loop: fd callbacks, one-shot and periodic timers,
 * and deleting a handle from inside a callback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "common/loop.h"

#include <sys/epoll.h>
#include <unistd.h>

static int fired;

static void on_timer(struct nfp_loop_timer *t, void *ctx)
{
	(void)t;
	(void)ctx;
	fired++;
}

static void test_timers(void **state)
{
	struct nfp_loop *loop = nfp_loop_new();
	struct nfp_loop_timer *once, *periodic;
	uint64_t deadline = nfp_now_ms() + 2000;

	(void)state;
	fired = 0;
	once = nfp_loop_add_timer(loop, 1, 0, on_timer, NULL);
	periodic = nfp_loop_add_timer(loop, 1, 1, on_timer, NULL);
	assert_non_null(once);
	assert_non_null(periodic);
	while (fired < 5 && nfp_now_ms() < deadline)
		nfp_loop_run_once(loop, 100);
	assert_true(fired >= 5);
	nfp_loop_del_timer(once);
	nfp_loop_del_timer(periodic);
	nfp_loop_free(loop);
}

struct pipe_ctx {
	int reads;
	struct nfp_loop_fd *other;
};

static void on_readable(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct pipe_ctx *pc = ctx;
	char c;

	(void)events;
	if (read(nfp_loop_fd_get(h), &c, 1) == 1)
		pc->reads++;
	/* delete both handles from inside the callback: the loop must not
	 * touch the second even though its event is in the same batch */
	nfp_loop_del_fd(h);
	if (pc->other)
		nfp_loop_del_fd(pc->other);
}

static void test_delete_inside_callback(void **state)
{
	struct nfp_loop *loop = nfp_loop_new();
	struct pipe_ctx pc = { 0 };
	int p1[2], p2[2];
	struct nfp_loop_fd *h1, *h2;

	(void)state;
	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	h1 = nfp_loop_add_fd(loop, p1[0], EPOLLIN, on_readable, &pc);
	h2 = nfp_loop_add_fd(loop, p2[0], EPOLLIN, on_readable, &pc);
	assert_non_null(h1);
	assert_non_null(h2);
	assert_int_equal(write(p1[1], "x", 1), 1);
	assert_int_equal(write(p2[1], "y", 1), 1);
	pc.other = h2; /* whichever fires first deletes the other */
	nfp_loop_run_once(loop, 1000);
	assert_int_equal(pc.reads, 1);
	nfp_loop_free(loop);
	close(p1[0]); close(p1[1]); close(p2[0]); close(p2[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_delete_inside_callback),
	};
	return cmocka_run_group_tests_name("loop", tests, NULL, NULL);
}
