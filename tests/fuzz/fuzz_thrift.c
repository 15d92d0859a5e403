/* fuzz_thrift.c - libFuzzer target for the PacketStreamer Thrift service's
 * reading of client frames: the framed transport and binary protocol as
 * client_main() stacks them on a socket, the generated processor and
 * structs ($(BUILD)/gen/thrift: Message, Packet, SwitchPortTuple, the four
 * calls' arguments), and nfpd's handlers behind them (user/trace/
 * thrift_server.c: getPackets, pushMessage*, terminateSession, the queue
 * each session gets), against a real trace core (trace_env.c).
 *
 * thrift_server.c is included here, for its static handler type and loop
 * side. In nfpd a client's thread posts each request to the loop thread and
 * waits on a condition variable; this target is one thread, so the waits
 * are replaced (macros below, before the include) by running the loop
 * thread's side at once, and getPackets' bounded wait for packets by an
 * immediate time-out. Everything else is nfpd's code as it runs, but for
 * the libthrift bugs kept out of the way (FuzzFramedTransport and
 * FuzzStrictProtocol below).
 *
 * Input: the bytes a client sends, written into a socketpair whose other
 * end the service reads until the client's EOF. Every
 * FUZZ_SESSION_PLACEHOLDER in it becomes the id of a live session.
 * Properties: no crash, leak or undefined behaviour; no wait that could
 * only end by another thread's doing (a deadlock in nfpd).
 */
#include "fuzz_check.h"
#include "trace_env.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_framed_transport.h>

static struct nfp_trace_thrift *service;

/* libthrift_c_glib 0.17's transports (ThriftSocket, ThriftFramedTransport)
 * and the structs the Thrift compiler generates (the calls' args and
 * results, Message, Packet, ...) do not chain their finalize up to
 * GObject's, so what g_object_unref() attaches to an object on its way out
 * is never freed: 32 + 16 bytes per object, per call and per connection,
 * in nfpd too (see the report). That is not code this target tests;
 * LeakSanitizer keeps to the rest. GLib has no frame pointers: the stacks
 * must be unwound the slow way for the suppression to see g_object_unref. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	/* and libthrift's processor loses the method name of an unknown
	 * method whose arguments it cannot skip (it frees it only after the
	 * exception reply): reported with the rest */
	return "leak:g_object_unref\nleak:thrift_binary_protocol_read_message_begin\n";
}
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

/* libthrift_c_glib 0.17's framed transport, when a read wants more than
 * the rest of the current frame, copies that rest from the GByteArray
 * header instead of its data (thrift_framed_transport_read_slow:
 * memcpy(buf, t->r_buf, t->r_buf->len)): a heap over-read whose bytes,
 * heap pointers among them, become the field being read, a pushed
 * packet's for one, which getPackets then hands out. Reported; this
 * transport reads the rest of the frame from where it is, so the target
 * can get past it. */
typedef struct {
	ThriftFramedTransport parent;
} FuzzFramedTransport;
typedef struct {
	ThriftFramedTransportClass parent;
} FuzzFramedTransportClass;
static GType fuzz_framed_transport_get_type(void);
G_DEFINE_TYPE(FuzzFramedTransport, fuzz_framed_transport, THRIFT_TYPE_FRAMED_TRANSPORT)

/* exported by the library, not declared in its headers */
gboolean thrift_framed_transport_read_frame(ThriftTransport *transport, GError **error);

static gint32 framed_read(ThriftTransport *transport, gpointer buf, guint32 len, GError **error)
{
	ThriftFramedTransport *t = THRIFT_FRAMED_TRANSPORT(transport);
	guint32 have = t->r_buf->len, give;

	if (len <= have) {
		memcpy(buf, t->r_buf->data, len);
		g_byte_array_remove_range(t->r_buf, 0, len);
		return (gint32)len;
	}
	if (have) { /* an empty GByteArray's data may be NULL */
		memcpy(buf, t->r_buf->data, have);
		g_byte_array_remove_range(t->r_buf, 0, have);
	}
	if (!thrift_framed_transport_read_frame(transport, error))
		return -1;
	give = len - have < t->r_buf->len ? len - have : t->r_buf->len;
	if (give) {
		memcpy((guchar *)buf + have, t->r_buf->data, give);
		g_byte_array_remove_range(t->r_buf, 0, give);
	}
	return (gint32)(have + give);
}

static void fuzz_framed_transport_class_init(FuzzFramedTransportClass *c)
{
	THRIFT_TRANSPORT_CLASS(c)->read = framed_read;
}

static void fuzz_framed_transport_init(FuzzFramedTransport *self)
{
	(void)self;
}

/* Two libthrift_c_glib 0.17 bugs in thrift_dispatch_processor_process()
 * that nfpd inherits (reported, with inputs; two more in the protocol's
 * string reads, below):
 *  - the binary protocol returns success from read_message_begin() on a
 *    pre-strict header (first word >= 0) without setting the name, type or
 *    sequence id, and the processor dispatches its uninitialised locals: a
 *    stale, freed method name (use after free, then a double free);
 *  - when reading the header fails without a GError (a frame of length 0
 *    does it), the processor's warning reads (*error)->message: NULL
 *    dereference, nfpd dies.
 * This protocol, the binary one with all four closed (pre-strict headers
 * refused, every failure with its error, string reads bounded and starting
 * from NULL) and one of the generated code's (below), keeps the target on
 * nfpd's code; the same subclass in thrift_server.c would close them in
 * nfpd. FUZZ_THRIFT_AS_SHIPPED=1 runs the library's transport and protocol
 * unchanged. */
typedef struct {
	ThriftBinaryProtocol parent;
} FuzzStrictProtocol;
typedef struct {
	ThriftBinaryProtocolClass parent;
} FuzzStrictProtocolClass;
static GType fuzz_strict_protocol_get_type(void);
G_DEFINE_TYPE(FuzzStrictProtocol, fuzz_strict_protocol, THRIFT_TYPE_BINARY_PROTOCOL)

static gint32 strict_read_message_begin(ThriftProtocol *p, gchar **name, ThriftMessageType *type,
					gint32 *seqid, GError **error)
{
	gint32 r;

	*name = NULL;
	r = THRIFT_PROTOCOL_CLASS(fuzz_strict_protocol_parent_class)
		    ->read_message_begin(p, name, type, seqid, error);
	if (r >= 0 && !*name) {
		g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_BAD_VERSION,
			    "pre-strict message header refused");
		return -1;
	}
	if (r < 0 && error && !*error)
		g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_UNKNOWN,
			    "cannot read a message header");
	return r;
}

/* Two more, in the binary protocol's string and binary reads:
 *  - thrift_protocol_skip() frees what read_binary() gave it even when that
 *    failed before giving anything: an uninitialised pointer (free of a
 *    stack address, found skipping an unknown string field cut short);
 *  - the length read first is allocated, zeroed, before a byte of it is
 *    read, without a bound: nine bytes from a client have nfpd allocate
 *    and clear 2 GiB.
 * These reads start from NULL, and refuse a length the whole input could
 * not hold (the read would fail for want of bytes anyway). */
static size_t input_size; /* of the current input */

static gint32 bounded_read(ThriftProtocol *p, gpointer *buf, guint32 *len, bool nul,
			   GError **error)
{
	gint32 n, r = thrift_protocol_read_i32(p, &n, error);
	ThriftTransport *t = p->transport;

	*buf = NULL;
	if (len)
		*len = 0;
	if (r < 0)
		return -1;
	if (n < 0 || (size_t)n > input_size) {
		g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_SIZE_LIMIT,
			    "length %d: more than the whole input", n);
		return -1;
	}
	*buf = g_malloc0((gsize)n + (nul ? 1 : 0));
	if (n && thrift_transport_read_all(t, *buf, (guint32)n, error) < 0) {
		g_free(*buf);
		*buf = NULL;
		return -1;
	}
	if (len)
		*len = (guint32)n;
	return r + n;
}

static gint32 strict_read_binary(ThriftProtocol *p, gpointer *buf, guint32 *len, GError **error)
{
	return bounded_read(p, buf, len, false, error);
}

static gint32 strict_read_string(ThriftProtocol *p, gchar **str, GError **error)
{
	return bounded_read(p, (gpointer *)str, NULL, true, error);
}

/* The reader the Thrift compiler (0.17, c_glib) generates for a binary
 * field frees the value a repeated field left with g_free() instead of
 * g_byte_array_unref(): a second Packet.data in one Packet frees a
 * pointer inside a GSlice block (invalid free, heap corruption; reported).
 * This protocol refuses a field id met twice in one struct, so the target
 * gets past it. */
#define FUZZ_STRUCT_DEPTH 64
static uint64_t fields_seen[FUZZ_STRUCT_DEPTH];
static int struct_depth;

static gint32 strict_read_struct_begin(ThriftProtocol *p, gchar **name, GError **error)
{
	if (struct_depth < FUZZ_STRUCT_DEPTH)
		fields_seen[struct_depth] = 0;
	struct_depth++;
	return THRIFT_PROTOCOL_CLASS(fuzz_strict_protocol_parent_class)->read_struct_begin(p, name,
											error);
}

static gint32 strict_read_struct_end(ThriftProtocol *p, GError **error)
{
	if (struct_depth > 0)
		struct_depth--;
	return THRIFT_PROTOCOL_CLASS(fuzz_strict_protocol_parent_class)->read_struct_end(p, error);
}

static gint32 strict_read_field_begin(ThriftProtocol *p, gchar **name, ThriftType *type,
				      gint16 *id, GError **error)
{
	gint32 r = THRIFT_PROTOCOL_CLASS(fuzz_strict_protocol_parent_class)
			   ->read_field_begin(p, name, type, id, error);
	int d = struct_depth - 1;

	if (r < 0 || *type == T_STOP || d < 0 || d >= FUZZ_STRUCT_DEPTH || *id < 0 || *id >= 64)
		return r;
	if (fields_seen[d] & (1ull << *id)) {
		g_set_error(error, THRIFT_PROTOCOL_ERROR, THRIFT_PROTOCOL_ERROR_INVALID_DATA,
			    "field %d repeated", *id);
		return -1;
	}
	fields_seen[d] |= 1ull << *id;
	return r;
}

static void fuzz_strict_protocol_class_init(FuzzStrictProtocolClass *c)
{
	THRIFT_PROTOCOL_CLASS(c)->read_struct_begin = strict_read_struct_begin;
	THRIFT_PROTOCOL_CLASS(c)->read_struct_end = strict_read_struct_end;
	THRIFT_PROTOCOL_CLASS(c)->read_field_begin = strict_read_field_begin;
	THRIFT_PROTOCOL_CLASS(c)->read_message_begin = strict_read_message_begin;
	THRIFT_PROTOCOL_CLASS(c)->read_binary = strict_read_binary;
	THRIFT_PROTOCOL_CLASS(c)->read_string = strict_read_string;
}

static void fuzz_strict_protocol_init(FuzzStrictProtocol *self)
{
	(void)self;
}

static void loop_side_now(void);

/* A client thread would sleep until the loop thread answers its request:
 * answer it here. Nothing queued means nothing could ever wake it. */
static int wait_for_loop(pthread_cond_t *cond, pthread_mutex_t *mu);
/* getPackets waits (bounded) for packets: those pushed are already queued */
static int wait_bounded(pthread_cond_t *cond, pthread_mutex_t *mu, const struct timespec *t)
{
	(void)cond;
	(void)mu;
	(void)t;
	return ETIMEDOUT;
}
/* A packet pushed with empty data is a GByteArray whose data is NULL;
 * sink_deliver() once copied it with memcpy(p->data, NULL, 0), undefined
 * behaviour. It no longer copies an empty packet: any such copy fails. */
static void *copy_checked(void *dst, const void *src, size_t n)
{
	if (!src && !n) {
		FUZZ_CHECK(0, "sink_deliver() copies an empty packet from NULL");
		return dst;
	}
	return memcpy(dst, src, n);
}
#define pthread_cond_wait(cond, mu) wait_for_loop(cond, mu)
#define pthread_cond_timedwait(cond, mu, t) wait_bounded(cond, mu, t)
#define memcpy(dst, src, n) copy_checked(dst, src, n)

#include "trace/thrift_server.c"

#undef pthread_cond_wait
#undef pthread_cond_timedwait
#undef memcpy

#include <sys/socket.h>
#include <thrift/c_glib/processor/thrift_processor.h>

static void loop_side_now(void)
{
	on_requests(NULL, EPOLLIN, service);
}

static int wait_for_loop(pthread_cond_t *cond, pthread_mutex_t *mu)
{
	(void)cond;
	FUZZ_CHECK(service->reqs != NULL,
		   "a Thrift thread waits with no request queued: only another client could wake it");
	pthread_mutex_unlock(mu);
	loop_side_now();
	pthread_mutex_lock(mu);
	return 0;
}

static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)msg;
	(void)data;
	if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		fprintf(stderr, "fuzz_thrift: glib: %s\n", msg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct fuzz_trace_env *env = fuzz_trace_env_get();

	(void)argc;
	(void)argv;
	/* libthrift warns on stderr about every malformed message: the
	 * normal case here, and it would bury libFuzzer's reports */
	g_log_set_default_handler(drop_log, NULL);
	/* what nfp_trace_thrift_start() sets up, without the listening socket
	 * and the acceptor thread */
	service = calloc(1, sizeof(*service));
	FUZZ_CHECK(service != NULL, "out of memory");
	service->trace = env->trace;
	service->reqs_tail = &service->reqs;
	service->listen_fd = -1;
	pthread_mutex_init(&service->mu, NULL);
	pthread_cond_init(&service->cond, NULL);
	service->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	FUZZ_CHECK(service->efd >= 0, "eventfd: %s", strerror(errno));
	service->handler = g_object_new(nfp_ps_handler_get_type(), NULL);
	((NfpPsHandler *)service->handler)->srv = service;
	return 0;
}

/* Read and drop what the service answered, so its blocking writes never
 * fill the socket. */
static void drain(int fd)
{
	char buf[65536];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

/* The session queues a client left behind (see the report on
 * ensure_queue/getPackets): freed here so iterations stay independent. */
static void free_ended_queues(void)
{
	static bool told;
	struct ps_sess *ps, *next;

	pthread_mutex_lock(&service->mu);
	for (ps = service->sessions; ps; ps = next) {
		next = ps->next;
		FUZZ_CHECK(ps->users == 0, "a session queue still in use after its call");
		FUZZ_CHECK(ps->state != PS_LIVE && ps->state != PS_ATTACHING,
			   "a queue still attached to an ended session");
		if (!told) {
			told = true;
			fprintf(stderr, "fuzz_thrift: note: a session queue outlived its session "
					"(no getPackets after it ended); freed by the harness\n");
		}
		free_sess_locked(service, ps);
	}
	pthread_mutex_unlock(&service->mu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct nfp_trace_filter live_filter = {
		.mac = { 0x02, 0, 0, 0, 0, 0x01 }, .dir = NFP_TRACE_DIR_BOTH,
		.fields = NFP_TF_MAC, .snaplen = 128,
	};
	struct fuzz_trace_env *env = fuzz_trace_env_get();
	char live[NFP_TRACE_ID_LEN + 1];
	uint8_t *bytes = malloc(size ? size : 1);
	int sv[2], big = 1 << 20;
	size_t off = 0;
	ThriftSocket *sock;
	ThriftTransport *framed;
	ThriftProtocol *proto;
	ThriftProcessor *proc;
	GError *err = NULL;

	FUZZ_CHECK(bytes != NULL, "out of memory");
	memcpy(bytes, data, size);
	input_size = size;
	struct_depth = 0;
	fuzz_trace_start(env, &live_filter, live);
	fuzz_put_session_id(bytes, size, live);

	FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair: %s",
		   strerror(errno));
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	while (off < size) {
		ssize_t n = send(sv[0], bytes + off, size - off, MSG_NOSIGNAL);

		FUZZ_CHECK(n > 0, "send: %s", strerror(errno));
		off += (size_t)n;
	}
	shutdown(sv[0], SHUT_WR);

	/* client_main()'s stack, on the socketpair */
	sock = g_object_new(THRIFT_TYPE_SOCKET, NULL);
	sock->sd = sv[1];
	framed = g_object_new(getenv("FUZZ_THRIFT_AS_SHIPPED") ? THRIFT_TYPE_FRAMED_TRANSPORT
							       : fuzz_framed_transport_get_type(),
			      "transport", sock, NULL);
	{
		static bool told;

		if (!told) {
			told = true;
			fprintf(stderr, "fuzz_thrift: frames up to %u bytes are allocated "
					"(and zeroed) before they are read\n",
				THRIFT_FRAMED_TRANSPORT(framed)->max_frame_size);
		}
	}
	/* A frame's buffer is allocated, zeroed, at the size its header says
	 * before a byte of it is read. No frame longer than the input can be
	 * complete, so a bound just above it changes no outcome (an error
	 * either way) and saves zeroing megabytes per input. */
	THRIFT_FRAMED_TRANSPORT(framed)->max_frame_size = (guint32)size + 4;
	proto = g_object_new(getenv("FUZZ_THRIFT_AS_SHIPPED") ? THRIFT_TYPE_BINARY_PROTOCOL
							       : fuzz_strict_protocol_get_type(),
			     "transport", framed, NULL);
	proc = g_object_new(NFPPS_TYPE_PACKET_STREAMER_PROCESSOR, "handler", service->handler,
			    NULL);
	while (thrift_processor_process(proc, proto, proto, &err)) {
		drain(sv[0]);
		g_clear_error(&err);
	}
	g_clear_error(&err);
	g_object_unref(proc);
	g_object_unref(proto);
	g_object_unref(framed);
	g_object_unref(sock); /* closes sv[1] */
	drain(sv[0]);
	close(sv[0]);

	fuzz_trace_stop_if_live(env, live);
	free_ended_queues();
	free(bytes);
	return 0;
}
