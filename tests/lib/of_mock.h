/* of_mock.h - a mock OpenFlow switch on a socketpair, adopted by a
 * controller core under test: the unit tests of the core's taps and of the
 * slicer drive the real core through it and read back the exact messages
 * it sends. Each wait is bounded (2 s) and runs the test's event loop. */
#ifndef NFP_TEST_OF_MOCK_H
#define NFP_TEST_OF_MOCK_H

#include "common/loop.h"
#include "openflow/of_core.h"
#include "openflow/of_wire.h"

#include <stddef.h>
#include <stdint.h>

struct of_mock_peer {
	int fd;
	uint8_t in[1 << 16];
	size_t in_len;
	uint8_t msg[1 << 16]; /* the last message received */
	size_t msg_len;
};

/* The loop and core every peer below works with. */
void of_mock_init(struct nfp_loop *loop, struct of_core *core);
struct of_mock_peer *of_mock_peer_new(void);
/* A peer on a connected socket of the caller's (a mock controller's side
 * of a session nfpd opened); of_mock_peer_free closes it. */
struct of_mock_peer *of_mock_peer_wrap(int fd);
void of_mock_peer_free(struct of_mock_peer *p);
/* Write @b's bytes to nfpd and empty @b. */
void of_mock_send(struct of_mock_peer *p, struct of_buf *b);
/* The next message from nfpd, which must be of @type, into p->msg. */
void of_mock_expect(struct of_mock_peer *p, uint8_t type);
/* True if nfpd sends nothing within @ms. */
int of_mock_quiet(struct of_mock_peer *p, unsigned ms);
/* A switch's side of the handshake up to ready, with @ports (without the
 * 1.3 table-miss flow-mod, which the caller expects). */
void of_mock_handshake(struct of_mock_peer *p, uint8_t version, uint64_t dpid,
		       const struct of_port *ports, size_t n_ports);

#endif
