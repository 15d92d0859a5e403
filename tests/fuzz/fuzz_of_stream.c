/* fuzz_of_stream.c - libFuzzer target for what a switch sends an OpenFlow
 * connection (user/openflow/of_conn.c: reading and framing the byte
 * stream, keeping a partial message across reads, the 1.0 and 1.3
 * handshakes, version negotiation, echo, xid-matched replies with
 * multipart reassembly, errors for malformed messages; of_core.c: the
 * broker; mod_learning_switch.c: packet-ins).
 *
 * The connection is real: nfpd's core and its learning-switch module on
 * one end of a socketpair, the fuzzer's bytes written into the other. Once
 * a switch is up, a subscriber asks it for a barrier and every kind of
 * stats (as nfpctl's "of" commands do), so replies can be answered: the
 * xids are predictable (1 features, then 1.0: 2 set-config, 3 barrier, 4
 * desc, 5 flow, 6 aggregate, 7 table, 8 port; 1.3: 2 port-desc, 3
 * set-config, 4 table-miss flow-mod, then 5..11 the same and port-desc).
 *
 * Input: one byte choosing how the rest is cut into writes (fuzz_check.h),
 * then the switch's bytes. After the last write the switch end is closed
 * and the core must let the connection go. Properties: nothing the core
 * sends back is malformed (whole messages, a version it speaks, flow-mods
 * and packet-outs its own strict decoders accept); every event published
 * carries its data; reply bodies iterate within their bounds.
 */
#include "common/log.h"
#include "fuzz_check.h"
#include "openflow/of_core.h"
#include "openflow/of_wire.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct nfp_loop *loop;
static struct of_core *core;
static int switches_up, switches_down;

/* ---- what the core publishes (nfpd: the API's event stream) ---- */

static void on_event(void *ctx, const char *type, json_t *body)
{
	char *text;

	(void)ctx;
	if (!body) {
		/* an event always has its data: a port name that is not UTF-8
		 * (any bytes a switch sends, a name cut at 15 bytes) once emptied
		 * it; of_core.c now makes the name UTF-8 */
		FUZZ_CHECK(0, "event '%s' lost its data (json_pack failed)",
			       type);
		return;
	}
	text = json_dumps(body, JSON_COMPACT);
	FUZZ_CHECK(text != NULL, "event '%s' cannot be serialised", type);
	free(text);
	json_decref(body);
}

/* ---- a subscriber that asks what the API asks ---- */

static void on_reply(struct of_switch *sw, const struct of_reply *r, void *ctx)
{
	char match[512], actions[512];
	size_t off = 0;
	int n = 0;

	(void)sw;
	(void)ctx;
	if (r->status)
		return;
	FUZZ_CHECK(r->body_len == 0 || r->body != NULL, "a body of %zu bytes at NULL", r->body_len);
	switch (r->stats_type) {
	case OF_ST_FLOW: {
		struct of_flow_stats fs;

		while ((n = of_flow_stats_next(r->version, r->body, r->body_len, &off, &fs)) == 1) {
			of_match_format(&fs.match, match, sizeof(match));
			of_actions_format(&fs.actions, actions, sizeof(actions));
		}
		break;
	}
	case OF_ST_TABLE: {
		struct of_table_stats ts;

		while ((n = of_table_stats_next(r->version, r->body, r->body_len, &off, &ts)) == 1)
			;
		break;
	}
	case OF_ST_PORT: {
		struct of_port_stats ps;

		while ((n = of_port_stats_next(r->version, r->body, r->body_len, &off, &ps)) == 1)
			;
		break;
	}
	case OF_ST_PORT_DESC: {
		struct of_port p;

		while ((n = of_port_next(r->version, r->body, r->body_len, &off, &p)) == 1)
			;
		break;
	}
	case OF_ST_DESC: {
		struct of_desc_stats d;

		of_decode_desc_stats(r->body, r->body_len, &d);
		break;
	}
	case OF_ST_AGGREGATE: {
		struct of_aggregate_stats a;

		of_decode_aggregate_stats(r->body, r->body_len, &a);
		break;
	}
	}
	FUZZ_CHECK(off <= r->body_len, "iterated to %zu of a %zu-byte body", off, r->body_len);
	(void)n;
}

static void ask_everything(void *ctx, struct of_switch *sw)
{
	static const uint16_t types[] = { OF_ST_DESC, OF_ST_FLOW, OF_ST_AGGREGATE, OF_ST_TABLE,
					  OF_ST_PORT, OF_ST_PORT_DESC };
	struct of_provider *p = of_core_provider(core);

	(void)ctx;
	switches_up++;
	of_send_barrier(p, sw, on_reply, NULL);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct of_stats_request rq = { .type = types[i], .table_id = OF_TABLE_ALL,
					       .out_port = OF_PORT_ANY, .port_no = OF_PORT_ANY };

		if (types[i] == OF_ST_PORT_DESC && of_switch_version(sw) != OF_VERSION_13)
			continue;
		of_send_stats_request(p, sw, &rq, on_reply, NULL);
	}
}

static void count_down(void *ctx, struct of_switch *sw)
{
	(void)ctx;
	(void)sw;
	switches_down++;
}

static void on_port_status(void *ctx, struct of_switch *sw, const struct of_port_status *ps)
{
	(void)ctx;
	(void)sw;
	FUZZ_CHECK(ps->port.name[sizeof(ps->port.name) - 1] == '\0', "port name not terminated");
}

static void on_flow_removed(void *ctx, struct of_switch *sw, const struct of_flow_removed *fr)
{
	char match[512];

	(void)ctx;
	(void)sw;
	of_match_format(&fr->match, match, sizeof(match));
}

static void on_error(void *ctx, struct of_switch *sw, uint32_t xid, const struct of_error_msg *e)
{
	char name[96];

	(void)ctx;
	(void)xid;
	of_error_name(of_switch_version(sw), e->type, e->code, name, sizeof(name));
}

static const struct of_listener asker = {
	.switch_up = ask_everything,
	.switch_down = count_down,
	.port_status = on_port_status,
	.flow_removed = on_flow_removed,
	.error = on_error,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct of_core_config cfg;
	const struct of_module *ls = of_module_find("learning-switch");
	void *ls_state;

	(void)argc;
	(void)argv;
	nfp_log_set_level(NFP_LOG_ERROR);
	of_core_default_config(&cfg);
	/* no timer may fire during an input: what happens must depend on the
	 * bytes alone */
	cfg.tick_ms = cfg.echo_interval_ms = cfg.echo_timeout_ms = 1u << 30;
	cfg.handshake_timeout_ms = cfg.request_timeout_ms = 1u << 30;
	loop = nfp_loop_new();
	core = loop ? of_core_new(loop, on_event, NULL, &cfg) : NULL;
	FUZZ_CHECK(core && ls && ls->start(of_core_provider(core), &ls_state) == 0 &&
		   of_subscribe(of_core_provider(core), &asker, NULL) >= 0,
		   "cannot set up the OpenFlow core");
	return 0;
}

/* ---- the switch's end ---- */

struct peer {
	int fd;
	uint8_t in[1 << 17];
	size_t in_len;
	bool closed; /* the core closed its end */
};

/* Check and drop the whole messages the core sent. */
static void check_output(struct peer *p)
{
	size_t off = 0;
	struct of_header h;
	long n;

	while ((n = of_frame(p->in + off, p->in_len - off, &h)) > 0) {
		const uint8_t *m = p->in + off;

		FUZZ_CHECK(h.version == OF_VERSION_10 || h.version == OF_VERSION_13,
			   "the core sent version 0x%x", h.version);
		if (h.type == OFPT_FLOW_MOD) {
			struct of_flow_mod fm;
			enum of_err e = of_decode_flow_mod(m, (size_t)n, &fm);

			if (e == OF_E_ACTION_BAD_OUT_PORT)
				/* the learning switch once learnt hosts behind a
				 * reserved in_port (ANY, CONTROLLER, ...) and
				 * sent traffic for them there */
				FUZZ_CHECK(0, "the core sent a flow-mod to a reserved port");
			else
				FUZZ_CHECK(e == OF_OK, "the core sent a flow-mod it would refuse: %s",
					   of_err_str(e));
		} else if (h.type == OFPT_PACKET_OUT) {
			struct of_packet_out po;
			enum of_err e = of_decode_packet_out(m, (size_t)n, &po);

			if (e == OF_E_ACTION_BAD_OUT_PORT)
				FUZZ_CHECK(0, "the core sent a packet-out to a reserved port");
			else
				FUZZ_CHECK(e == OF_OK,
					   "the core sent a packet-out it would refuse: %s",
					   of_err_str(e));
		}
		off += (size_t)n;
	}
	FUZZ_CHECK(n == 0, "the core sent a message shorter than its header");
	memmove(p->in, p->in + off, p->in_len - off);
	p->in_len -= off;
}

static void drain(struct peer *p)
{
	while (!p->closed) {
		ssize_t n = recv(p->fd, p->in + p->in_len, sizeof(p->in) - p->in_len, MSG_DONTWAIT);

		if (n > 0) {
			p->in_len += (size_t)n;
			check_output(p);
			FUZZ_CHECK(p->in_len < sizeof(p->in), "one message over 64 KiB");
		} else if (n == 0) {
			p->closed = true;
		} else {
			FUZZ_CHECK(errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
				   errno == ECONNRESET, "recv: %s", strerror(errno));
			if (errno == ECONNRESET)
				p->closed = true;
			return;
		}
	}
}

static void pump(struct peer *p)
{
	int n;

	do {
		n = nfp_loop_run_once(loop, 0);
		FUZZ_CHECK(n >= 0, "loop failed: %s", strerror(-n));
		drain(p);
	} while (n > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct peer p;
	struct fuzz_input in = { data, size };
	size_t chunk = fuzz_chunk_size(fuzz_take_byte(&in), in.left);
	int sv[2];

	FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) == 0,
		   "socketpair: %s", strerror(errno));
	p.fd = sv[0];
	p.in_len = 0;
	p.closed = false;
	switches_up = switches_down = 0;
	FUZZ_CHECK(of_core_adopt_fd(core, sv[1], "fuzz") == 0, "cannot adopt the connection");
	pump(&p); /* our HELLO */
	for (size_t piece = 0; in.left && !p.closed; piece++) {
		size_t n;
		const uint8_t *b = fuzz_take(&in, fuzz_piece(piece, chunk, in.left), &n);

		while (n && !p.closed) {
			ssize_t w = send(p.fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w > 0) {
				b += w;
				n -= (size_t)w;
			} else if (errno == EPIPE || errno == ECONNRESET) {
				p.closed = true; /* the core gave up on this switch */
			} else {
				FUZZ_CHECK(errno == EAGAIN || errno == EWOULDBLOCK,
					   "send: %s", strerror(errno));
			}
			pump(&p);
		}
	}
	/* the switch goes away: the core must notice and free the connection */
	close(p.fd);
	for (int round = 0; of_core_pending_count(core) || switches_up > switches_down; round++) {
		FUZZ_CHECK(round < 1000, "the core keeps a connection whose switch has gone");
		nfp_loop_run_once(loop, 1);
	}
	return 0;
}
