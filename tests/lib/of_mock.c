/* of_mock.c - see of_mock.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "of_mock.h"
#include "openflow/of_codec.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct nfp_loop *mock_loop;
static struct of_core *mock_core;

void of_mock_init(struct nfp_loop *loop, struct of_core *core)
{
	mock_loop = loop;
	mock_core = core;
}

struct of_mock_peer *of_mock_peer_new(void)
{
	struct of_mock_peer *p = calloc(1, sizeof(*p));
	int sv[2];

	assert_non_null(p);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	p->fd = sv[0];
	assert_int_equal(of_core_adopt_fd(mock_core, sv[1], "mock"), 0);
	return p;
}

struct of_mock_peer *of_mock_peer_wrap(int fd)
{
	struct of_mock_peer *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->fd = fd;
	return p;
}

void of_mock_peer_free(struct of_mock_peer *p)
{
	close(p->fd);
	free(p);
	nfp_loop_run_once(mock_loop, 10); /* nfpd notices the close */
}

void of_mock_send(struct of_mock_peer *p, struct of_buf *b)
{
	assert_int_equal(write(p->fd, b->data, b->len), (ssize_t)b->len);
	b->len = 0;
}

/* 1: a message is in p->msg; 0: none before @deadline. */
static int next(struct of_mock_peer *p, uint64_t deadline)
{
	while (nfp_now_ms() < deadline) {
		struct of_header h;
		long n = of_frame(p->in, p->in_len, &h);
		ssize_t r;

		if (n > 0) {
			memcpy(p->msg, p->in, (size_t)n);
			p->msg_len = (size_t)n;
			memmove(p->in, p->in + n, p->in_len - (size_t)n);
			p->in_len -= (size_t)n;
			return 1;
		}
		r = read(p->fd, p->in + p->in_len, sizeof(p->in) - p->in_len);
		if (r > 0) {
			p->in_len += (size_t)r;
			continue;
		}
		assert_true(r != 0);
		nfp_loop_run_once(mock_loop, 10);
	}
	return 0;
}

void of_mock_expect(struct of_mock_peer *p, uint8_t type)
{
	if (!next(p, nfp_now_ms() + 2000))
		fail_msg("nothing from nfpd within 2 s (wanted %s)", of_type_name(1, type));
	if (p->msg[1] != type)
		fail_msg("got %s, want %s", of_type_name(p->msg[0], p->msg[1]),
			 of_type_name(p->msg[0], type));
}

int of_mock_quiet(struct of_mock_peer *p, unsigned ms)
{
	return !next(p, nfp_now_ms() + ms);
}

void of_mock_handshake(struct of_mock_peer *p, uint8_t version, uint64_t dpid,
		       const struct of_port *ports, size_t n_ports)
{
	struct of_features f = { .dpid = dpid, .n_buffers = 0, .n_tables = 254 };
	struct of_buf b = { 0 };

	of_mock_expect(p, OFPT_HELLO);
	of_encode_hello(&b, 1, 1u << version);
	of_mock_send(p, &b);
	of_mock_expect(p, OFPT_FEATURES_REQUEST);
	of_encode_features_reply(&b, version, of_get32(p->msg + 4), &f, ports, n_ports);
	of_mock_send(p, &b);
	if (version == OF_VERSION_13) {
		struct of_buf body = { 0 };

		of_mock_expect(p, OFPT13_MULTIPART_REQUEST);
		for (size_t i = 0; i < n_ports; i++)
			of_port_encode(&body, version, &ports[i]);
		of_encode_stats_reply(&b, version, of_get32(p->msg + 4), OF_ST_PORT_DESC, 0,
				      body.data, body.len);
		of_mock_send(p, &b);
		of_buf_free(&body);
	}
	of_mock_expect(p, OFPT_SET_CONFIG);
	of_buf_free(&b);
}
