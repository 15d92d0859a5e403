/* test_events.c - the event stream over the real API server: a subscriber
 * gets the events it asked for; one that does not read loses events
 * without stalling the publisher, and is told how many, in band, before
 * the next event that reaches it (whatever its filter).
 */
#include "api/events.h"
#include "api/server.h"
#include "common/loop.h"
#include "core/daemon.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

struct fixture {
	struct nfp_daemon d;
	char path[108];
	int client;
	char buf[1 << 16];
	size_t len;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	assert_non_null(fx);
	snprintf(fx->path, sizeof(fx->path), "/tmp/nfptest-events-%d.sock", getpid());
	fx->d.loop = nfp_loop_new();
	fx->d.events = nfp_events_new();
	fx->d.api = nfp_api_dispatcher_new();
	assert_int_equal(nfp_api_register(fx->d.api, nfp_events_commands(), fx->d.events), 0);
	assert_int_equal(nfp_api_server_open(&fx->d.server, fx->d.loop, fx->d.api, fx->path), 0);
	fx->client = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(a.sun_path, fx->path);
	assert_int_equal(connect(fx->client, (struct sockaddr *)&a, sizeof(a)), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	close(fx->client);
	nfp_api_server_close(fx->d.server);
	nfp_api_dispatcher_free(fx->d.api);
	nfp_events_free(fx->d.events);
	nfp_loop_free(fx->d.loop);
	free(fx);
	return 0;
}

/* The next line from nfpd as JSON, running nfpd's loop meanwhile; NULL
 * when nothing comes within a second. */
static json_t *next_line(struct fixture *fx)
{
	for (int rounds = 0; rounds < 1000; rounds++) {
		char *nl = memchr(fx->buf, '\n', fx->len);

		if (nl) {
			json_t *v;

			*nl = '\0';
			v = json_loads(fx->buf, 0, NULL);
			assert_non_null(v);
			fx->len -= (size_t)(nl + 1 - fx->buf);
			memmove(fx->buf, nl + 1, fx->len);
			return v;
		}
		nfp_loop_run_once(fx->d.loop, 0);
		struct pollfd p = { .fd = fx->client, .events = POLLIN };
		if (poll(&p, 1, 1) == 1) {
			ssize_t n = recv(fx->client, fx->buf + fx->len, sizeof(fx->buf) - fx->len, 0);

			assert_true(n > 0);
			fx->len += (size_t)n;
		}
	}
	return NULL;
}

static void subscribe(struct fixture *fx, const char *types)
{
	char req[256];
	json_t *reply;

	snprintf(req, sizeof(req),
		 "{\"id\":1,\"cmd\":\"subscribe\",\"args\":{\"stream\":\"events\"%s%s}}\n",
		 types ? ",\"types\":" : "", types ? types : "");
	assert_int_equal(send(fx->client, req, strlen(req), 0), (ssize_t)strlen(req));
	reply = next_line(fx);
	assert_non_null(reply);
	assert_true(json_is_true(json_object_get(reply, "ok")));
	json_decref(reply);
}

static const char *event_of(json_t *v)
{
	return json_string_value(json_object_get(v, "event"));
}

static void subscriber_gets_what_it_asked_for(void **state)
{
	struct fixture *fx = *state;
	json_t *v;

	subscribe(fx, "[\"b\"]");
	nfp_events_publish(fx->d.events, "a", NULL);
	nfp_events_publish(fx->d.events, "b", json_pack("{s:i}", "n", 7));
	v = next_line(fx);
	assert_non_null(v);
	assert_string_equal(event_of(v), "b");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 7);
	json_decref(v);
}

/* Events padded so that the queue (4 MiB) and the socket buffers fill. */
static void publish_padded(struct fixture *fx, const char *type, int n)
{
	static char pad[1024];

	memset(pad, 'x', sizeof(pad) - 1);
	for (int i = 0; i < n; i++)
		nfp_events_publish(fx->d.events, type, json_pack("{s:i, s:s}", "seq", i, "pad", pad));
}

static void a_slow_subscriber_is_told_what_it_lost(void **state)
{
	struct fixture *fx = *state;
	const int published = 20000; /* ~20 MiB: far past what can wait for it */
	int received = 0, last_seq = -1;
	json_t *v;

	subscribe(fx, "[\"big\", \"tail\"]");
	/* nfpd publishes without the subscriber reading: it must not block */
	publish_padded(fx, "big", published);
	/* the subscriber catches up: every event it gets is in order */
	while ((v = next_line(fx))) {
		assert_string_equal(event_of(v), "big");
		int seq = (int)json_integer_value(json_object_get(v, "seq"));
		assert_true(seq > last_seq);
		last_seq = seq;
		received++;
		json_decref(v);
		if (fx->len == 0 && received > 0) {
			struct pollfd p = { .fd = fx->client, .events = POLLIN };

			nfp_loop_run_once(fx->d.loop, 0);
			if (poll(&p, 1, 50) == 0)
				break;
		}
	}
	assert_true(received > 0);
	assert_true(received < published);
	/* the next event it receives comes after the count of what it lost */
	nfp_events_publish(fx->d.events, "tail", NULL);
	v = next_line(fx);
	assert_non_null(v);
	assert_string_equal(event_of(v), NFP_EVENTS_LOST);
	assert_int_equal(json_integer_value(json_object_get(v, "count")), published - received);
	json_decref(v);
	v = next_line(fx);
	assert_non_null(v);
	assert_string_equal(event_of(v), "tail");
	json_decref(v);
	/* told once: the next event comes alone */
	nfp_events_publish(fx->d.events, "tail", NULL);
	v = next_line(fx);
	assert_string_equal(event_of(v), "tail");
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(subscriber_gets_what_it_asked_for, setup, teardown),
		cmocka_unit_test_setup_teardown(a_slow_subscriber_is_told_what_it_lost, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
