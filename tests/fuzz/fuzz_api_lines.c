/* fuzz_api_lines.c - libFuzzer target for the API socket's line framing
 * (user/api/server.c: reading, splitting into lines, keeping a partial
 * line across reads, replying), on a real unix socket to a real server,
 * with api_mock.c's commands behind it.
 *
 * Input: one byte choosing how the rest is cut into writes (fuzz_check.h),
 * then the bytes a client sends. The target writes them piece by piece,
 * letting the server read after each, then half-closes and reads until the
 * server closes. Property: one well-formed reply line per non-empty
 * request line the dispatcher answers, and nothing for a last line without
 * its newline.
 */
#include "api/server.h"
#include "api_mock.h"
#include "common/log.h"
#include "fuzz_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct nfp_loop *loop;
static struct nfp_api_server *server;
static struct nfp_api_dispatcher *dispatcher;
static struct sockaddr_un addr = { .sun_family = AF_UNIX };

/* what the client received */
static char *got;
static size_t got_len, got_cap;

static void remove_socket(void)
{
	nfp_api_server_close(server);
	nfp_api_dispatcher_free(dispatcher);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct nfp_api_dispatcher *d = dispatcher = nfp_api_dispatcher_new();

	(void)argc;
	(void)argv;
	nfp_log_set_level(NFP_LOG_ERROR);
	loop = nfp_loop_new();
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/tmp/nfp-fuzz-api.%d.sock", (int)getpid());
	FUZZ_CHECK(loop && d && nfp_api_register(d, fuzz_api_commands, NULL) == 0 &&
		   nfp_api_server_open(&server, loop, d, addr.sun_path) == 0,
		   "cannot start the API server on %s", addr.sun_path);
	atexit(remove_socket);
	return 0;
}

/* Read what the server sent; false once it has closed. */
static bool drain(int fd)
{
	for (;;) {
		ssize_t n;

		if (got_cap - got_len < 65536) {
			got_cap = got_cap ? got_cap * 2 : 1 << 17;
			got = realloc(got, got_cap);
			FUZZ_CHECK(got != NULL, "out of memory");
		}
		n = recv(fd, got + got_len, got_cap - got_len, MSG_DONTWAIT);
		if (n > 0) {
			got_len += (size_t)n;
			continue;
		}
		if (n == 0)
			return false;
		FUZZ_CHECK(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR,
			   "recv: %s", strerror(errno));
		return true;
	}
}

/* Let the server handle everything pending. */
static bool pump(int fd)
{
	bool open = true;
	int n;

	do {
		n = nfp_loop_run_once(loop, 0);
		FUZZ_CHECK(n >= 0, "loop failed: %s", strerror(-n));
		open = drain(fd);
	} while (n > 0 && open);
	return open;
}

/* How many replies the lines of @p should get: one per non-empty line the
 * dispatcher answers (api_mock.c's handlers keep no state, so asking it
 * directly says what the server will send). */
static size_t replies_due(const uint8_t *p, size_t len)
{
	size_t n = 0, start = 0;

	for (size_t i = 0; i < len; i++) {
		json_t *reply;

		if (p[i] != '\n')
			continue;
		if (i > start) {
			reply = nfp_api_handle_line(dispatcher, NULL, (const char *)p + start,
						    i - start);
			if (reply)
				n++;
			else
				FUZZ_CHECK(0, "a request line gets no reply: its error message "
					       "is not UTF-8");
			json_decref(reply);
		}
		start = i + 1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	size_t chunk = fuzz_chunk_size(fuzz_take_byte(&in), in.left), replies = 0, start = 0, due;
	const uint8_t *body = in.p;
	size_t body_len = in.left;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool open;

	FUZZ_CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0,
		   "connect: %s", strerror(errno));
	got_len = 0;
	open = pump(fd); /* accept */
	for (size_t piece = 0; open && in.left; piece++) {
		size_t n;
		const uint8_t *p = fuzz_take(&in, fuzz_piece(piece, chunk, in.left), &n);

		while (n && open) {
			ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w > 0) {
				p += w;
				n -= (size_t)w;
			} else {
				FUZZ_CHECK(errno == EAGAIN || errno == EWOULDBLOCK,
					   "send: %s", strerror(errno));
			}
			open = pump(fd);
		}
	}
	FUZZ_CHECK(open, "the server closed a connection it had no reason to close");
	shutdown(fd, SHUT_WR);
	for (int round = 0; open; round++) {
		FUZZ_CHECK(round < 1000, "the server does not close after the client's EOF");
		nfp_loop_run_once(loop, 10);
		open = drain(fd);
	}
	close(fd);

	for (size_t i = 0; i < got_len; i++) {
		json_error_t jerr;
		json_t *reply;

		if (got[i] != '\n')
			continue;
		reply = json_loadb(got + start, i - start, 0, &jerr);
		FUZZ_CHECK(reply != NULL, "reply line %zu is not JSON: %s", replies, jerr.text);
		fuzz_api_check_reply(reply);
		json_decref(reply);
		replies++;
		start = i + 1;
	}
	FUZZ_CHECK(start == got_len, "a reply without its newline");
	due = replies_due(body, body_len);
	FUZZ_CHECK(replies == due, "%zu replies, %zu due", replies, due);
	return 0;
}
