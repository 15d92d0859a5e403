/* fuzz_trace_of.c - libFuzzer target for the trace subsystem's tap on the
 * OpenFlow controller (user/trace/of_hook.c: packet-ins, packet-outs and
 * flow-mods turned into what sessions match, through nfp_trace_of_wire();
 * user/trace/of.c: the carried frame's parser and the flow-mod matcher),
 * against sessions of a real trace core (trace_env.c) whose filters name
 * each field a match can pin.
 *
 * The controller taps every packet-in a switch sends and every message it
 * sends itself, so the frame inside comes from outside. Input: one byte
 * (bit 0: direction in or out), then OpenFlow messages cut by their header
 * length, each passed in a buffer of exactly its size. Properties: no read
 * outside the message or its frame; what reaches a session's reader is the
 * whole message, as an OpenFlow record.
 */
#include "fuzz_check.h"
#include "openflow/of_codec.h"
#include "trace/of_hook.h"
#include "trace_env.h"

#include <arpa/inet.h>
#include <string.h>

static const uint8_t *current_msg;
static size_t current_len;

static int sink_deliver(void *ctx, const char *id, const struct nfp_trace_item *it, uint64_t lost)
{
	(void)ctx;
	(void)id;
	(void)lost;
	FUZZ_CHECK(it->kind == NFP_TRACE_ITEM_OPENFLOW, "record of kind %d", (int)it->kind);
	FUZZ_CHECK(it->data == current_msg && it->cap_len == current_len &&
		   it->orig_len == current_len, "record is not the whole message");
	return 0;
}

static void sink_end(void *ctx, const char *id, const char *reason)
{
	(void)ctx;
	(void)id;
	(void)reason;
}

static const struct nfp_trace_sink sink = { sink_deliver, sink_end };

static void session(struct fuzz_trace_env *env, struct nfp_trace_filter f)
{
	char id[NFP_TRACE_ID_LEN + 1];
	struct nfp_trace_reader *r;
	struct nfp_api_error err;

	if (!f.dir)
		f.dir = NFP_TRACE_DIR_BOTH;
	f.snaplen = 128;
	fuzz_trace_start(env, &f, id);
	FUZZ_CHECK(nfp_trace_add_sink(env->trace, id, &sink, NULL, &r, &err) == 0,
		   "cannot add a reader: %s", err.message);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_trace_env *env = fuzz_trace_env_get();
	struct nfp_trace_filter f;

	(void)argc;
	(void)argv;
	/* sessions that live for the whole run: the loop never runs, so none
	 * expires */
	f = (struct nfp_trace_filter){ .fields = NFP_TF_MAC, .mac = { 0x02, 0, 0, 0, 0, 1 } };
	session(env, f);
	f = (struct nfp_trace_filter){ .fields = NFP_TF_MAC, .mac = { 0x02, 0, 0, 0, 0, 2 },
				       .dir = NFP_TRACE_DIR_IN };
	session(env, f);
	f = (struct nfp_trace_filter){ .fields = NFP_TF_IP | NFP_TF_PROTO | NFP_TF_PORT,
				       .family = 4, .proto = 6, .port = 80 };
	inet_pton(AF_INET, "10.0.0.0", f.addr);
	inet_pton(AF_INET, "255.0.0.0", f.mask);
	session(env, f);
	f = (struct nfp_trace_filter){ .fields = NFP_TF_IP, .family = 6 };
	inet_pton(AF_INET6, "2001:db8::", f.addr);
	inet_pton(AF_INET6, "ffff:ffff::", f.mask);
	session(env, f);
	f = (struct nfp_trace_filter){ .fields = NFP_TF_PROTO, .proto = 17,
				       .dir = NFP_TRACE_DIR_OUT };
	session(env, f);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_trace_env *env = fuzz_trace_env_get();
	struct fuzz_input in = { data, size };
	enum of_tap_dir dir = fuzz_take_byte(&in) & 1 ? OF_TAP_OUT : OF_TAP_IN;
	struct of_header h;
	long n;

	while ((n = of_frame(in.p, in.left, &h)) > 0) {
		uint8_t *msg = malloc((size_t)n);

		FUZZ_CHECK(msg != NULL, "out of memory");
		memcpy(msg, in.p, (size_t)n);
		current_msg = msg;
		current_len = (size_t)n;
		nfp_trace_of_wire(env->trace, dir, 0x1234, msg, (size_t)n);
		free(msg);
		in.p += n;
		in.left -= (size_t)n;
	}
	return 0;
}
