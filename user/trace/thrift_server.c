/* thrift_server.c - see thrift_server.h. Three kinds of thread meet here:
 * nfpd's loop thread (the trace core, requests, sink callbacks), the
 * acceptor, and one thread per Thrift client. Everything they share is in
 * struct nfp_trace_thrift under its one mutex; one condition variable,
 * broadcast on every change, is what any of them waits on.
 */
#include "trace/thrift_server.h"
#include "common/log.h"
#include "nfplane/trace.h"
#include "trace/endpoint.h"
#include "trace/trace.h"

#include "nfpps_packet_streamer.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thrift/c_glib/protocol/thrift_binary_protocol.h>
#include <thrift/c_glib/transport/thrift_framed_transport.h>
#include <thrift/c_glib/transport/thrift_socket.h>
#include <time.h>
#include <unistd.h>

#define FILTER_TIMEOUT "FilterTimeout"

/* A session as the Thrift side sees it: a queue of packets for getPackets. */
enum ps_state { PS_ATTACHING, PS_LIVE, PS_ENDED, PS_FAILED };

struct ps_pkt {
	struct ps_pkt *next;
	size_t len;
	uint8_t data[];
};

struct ps_sess {
	struct ps_sess *next;
	struct nfp_trace_thrift *srv;
	char id[NFP_TRACE_ID_LEN + 1];
	enum ps_state state;
	int users;                    /* getPackets calls inside */
	struct nfp_trace_reader *reader; /* loop thread only */
	struct ps_pkt *head, *tail;
	size_t bytes;
	uint64_t lost;
};

enum req_kind { REQ_ATTACH, REQ_PUSH, REQ_TERMINATE };

/* A request from a Thrift thread to the loop thread; lives on the
 * requester's stack until done. */
struct ps_req {
	struct ps_req *next;
	enum req_kind kind;
	struct ps_sess *sess;         /* REQ_ATTACH */
	char id[NFP_TRACE_ID_LEN + 1];/* REQ_TERMINATE */
	const NfppsMessage *msg;      /* REQ_PUSH */
	int result;
	bool done;
};

struct client {
	pthread_t thread;
	int fd;        /* -1 once the thread has let go of it */
	bool running;
};

struct nfp_trace_thrift {
	struct nfp_trace *trace;
	int listen_fd, efd;
	struct nfp_loop_fd *efd_h;
	pthread_t acceptor;
	bool acceptor_started;
	GObject *handler;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stopping;
	struct ps_sess *sessions;
	struct ps_req *reqs, **reqs_tail;
	struct client clients[NFP_TRACE_THRIFT_MAX_CLIENTS];
};

/* ---- the handler, a GObject subclass of the generated one ---- */

typedef struct {
	NfppsPacketStreamerHandler parent;
	struct nfp_trace_thrift *srv;
} NfpPsHandler;

typedef struct {
	NfppsPacketStreamerHandlerClass parent;
} NfpPsHandlerClass;

static GType nfp_ps_handler_get_type(void);
G_DEFINE_TYPE(NfpPsHandler, nfp_ps_handler, NFPPS_TYPE_PACKET_STREAMER_HANDLER)

static struct nfp_trace_thrift *srv_of(NfppsPacketStreamerIf *iface)
{
	return ((NfpPsHandler *)iface)->srv;
}

/* Hand @req to the loop thread and wait for its answer. */
static int post(struct nfp_trace_thrift *s, struct ps_req *req)
{
	uint64_t one = 1;
	int r;

	pthread_mutex_lock(&s->mu);
	if (s->stopping) {
		pthread_mutex_unlock(&s->mu);
		return -ESHUTDOWN;
	}
	req->next = NULL;
	*s->reqs_tail = req;
	s->reqs_tail = &req->next;
	pthread_mutex_unlock(&s->mu);
	if (write(s->efd, &one, sizeof(one)) < 0)
		log_warn("trace thrift: cannot wake the loop: %s", strerror(errno));
	pthread_mutex_lock(&s->mu);
	while (!req->done && !s->stopping)
		pthread_cond_wait(&s->cond, &s->mu);
	r = req->done ? req->result : -ESHUTDOWN;
	pthread_mutex_unlock(&s->mu);
	return r;
}

static struct ps_sess *find_sess(struct nfp_trace_thrift *s, const char *id)
{
	for (struct ps_sess *p = s->sessions; p; p = p->next)
		if (strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

static void free_sess_locked(struct nfp_trace_thrift *s, struct ps_sess *ps)
{
	for (struct ps_sess **pp = &s->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == ps) {
			*pp = ps->next;
			break;
		}
	}
	while (ps->head) {
		struct ps_pkt *p = ps->head;

		ps->head = p->next;
		free(p);
	}
	free(ps);
}

static void add_bytes(GPtrArray *list, const void *data, size_t len)
{
	GByteArray *b = g_byte_array_sized_new((guint)len);

	g_byte_array_append(b, data, (guint)len);
	g_ptr_array_add(list, b);
}

static gboolean h_get_packets(NfppsPacketStreamerIf *iface, GPtrArray **ret, const gchar *sid,
			      GError **error)
{
	struct nfp_trace_thrift *s = srv_of(iface);
	struct ps_req req = { .kind = REQ_ATTACH };
	struct timespec deadline;
	struct ps_sess *ps;

	(void)error;
	if (!sid || strlen(sid) != NFP_TRACE_ID_LEN) {
		add_bytes(*ret, FILTER_TIMEOUT, strlen(FILTER_TIMEOUT));
		return TRUE;
	}
	pthread_mutex_lock(&s->mu);
	ps = find_sess(s, sid);
	if (!ps) {
		ps = calloc(1, sizeof(*ps));
		if (!ps) {
			pthread_mutex_unlock(&s->mu);
			return TRUE;
		}
		ps->srv = s;
		memcpy(ps->id, sid, NFP_TRACE_ID_LEN);
		ps->state = PS_ATTACHING;
		ps->next = s->sessions;
		s->sessions = ps;
		ps->users++;
		pthread_mutex_unlock(&s->mu);
		req.sess = ps;
		post(s, &req); /* the loop thread sets ps->state */
		pthread_mutex_lock(&s->mu);
		if (ps->state == PS_ATTACHING)
			ps->state = PS_FAILED; /* shutting down */
	} else {
		ps->users++;
		while (ps->state == PS_ATTACHING && !s->stopping)
			pthread_cond_wait(&s->cond, &s->mu);
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += NFP_TRACE_THRIFT_WAIT_MS / 1000;
	while (!ps->head && ps->state == PS_LIVE && !s->stopping)
		if (pthread_cond_timedwait(&s->cond, &s->mu, &deadline) == ETIMEDOUT)
			break;
	while (ps->head) {
		struct ps_pkt *p = ps->head;

		ps->head = p->next;
		ps->bytes -= p->len;
		add_bytes(*ret, p->data, p->len);
		free(p);
	}
	ps->tail = NULL;
	ps->users--;
	if (ps->state != PS_LIVE && ps->state != PS_ATTACHING) {
		/* the session is over (or never was): Floodlight's clients stop
		 * at this string */
		add_bytes(*ret, FILTER_TIMEOUT, strlen(FILTER_TIMEOUT));
		if (!ps->users)
			free_sess_locked(s, ps);
	}
	pthread_mutex_unlock(&s->mu);
	return TRUE;
}

static gboolean h_push_message_sync(NfppsPacketStreamerIf *iface, gint32 *ret,
				    const NfppsMessage *msg, GError **error)
{
	struct ps_req req = { .kind = REQ_PUSH, .msg = msg };

	(void)error;
	if (!msg || !msg->packet || !msg->packet->data || !msg->sessionIDs) {
		*ret = 0;
		return TRUE;
	}
	post(srv_of(iface), &req);
	*ret = 1;
	return TRUE;
}

static gboolean h_push_message_async(NfppsPacketStreamerIf *iface, const NfppsMessage *msg,
				     GError **error)
{
	gint32 ignored;

	return h_push_message_sync(iface, &ignored, msg, error);
}

static gboolean h_terminate_session(NfppsPacketStreamerIf *iface, const gchar *sid,
				    GError **error)
{
	struct ps_req req = { .kind = REQ_TERMINATE };

	(void)error;
	if (sid && strlen(sid) == NFP_TRACE_ID_LEN) {
		memcpy(req.id, sid, NFP_TRACE_ID_LEN);
		post(srv_of(iface), &req);
	}
	return TRUE;
}

static void nfp_ps_handler_class_init(NfpPsHandlerClass *c)
{
	NfppsPacketStreamerHandlerClass *h = NFPPS_PACKET_STREAMER_HANDLER_CLASS(c);

	h->get_packets = h_get_packets;
	h->push_message_sync = h_push_message_sync;
	h->push_message_async = h_push_message_async;
	h->terminate_session = h_terminate_session;
}

static void nfp_ps_handler_init(NfpPsHandler *self)
{
	self->srv = NULL;
}

/* ---- the trace core's side: a sink per attached session ---- */

static int sink_deliver(void *ctx, const char *id, const struct nfp_trace_item *it, uint64_t lost)
{
	struct ps_sess *ps = ctx;
	struct nfp_trace_thrift *s = ps->srv;
	struct ps_pkt *p;

	(void)id;
	(void)lost;
	pthread_mutex_lock(&s->mu);
	if (ps->bytes + it->cap_len > NFP_TRACE_THRIFT_QUEUE_BYTES ||
	    !(p = malloc(sizeof(*p) + it->cap_len))) {
		ps->lost++;
		pthread_mutex_unlock(&s->mu);
		return -ENOBUFS;
	}
	p->next = NULL;
	p->len = it->cap_len;
	if (it->cap_len) /* an empty packet's data may be NULL */
		memcpy(p->data, it->data, it->cap_len);
	if (ps->tail)
		ps->tail->next = p;
	else
		ps->head = p;
	ps->tail = p;
	ps->bytes += p->len;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mu);
	return 0;
}

static void sink_end(void *ctx, const char *id, const char *reason)
{
	struct ps_sess *ps = ctx;
	struct nfp_trace_thrift *s = ps->srv;

	(void)id;
	(void)reason;
	pthread_mutex_lock(&s->mu);
	ps->state = PS_ENDED;
	ps->reader = NULL;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mu);
}

static const struct nfp_trace_sink ps_sink = { sink_deliver, sink_end };

/* Loop thread: make sure a live session @id has a Thrift queue, as
 * Floodlight's server made one on the first push, so that what is pushed
 * before the first getPackets is not lost. */
static void ensure_queue(struct nfp_trace_thrift *s, const char *id)
{
	struct nfp_trace_reader *reader = NULL;
	struct nfp_api_error err;
	struct ps_sess *ps;
	int r;

	if (strlen(id) != NFP_TRACE_ID_LEN || !nfp_trace_exists(s->trace, id))
		return;
	pthread_mutex_lock(&s->mu);
	ps = find_sess(s, id);
	if (ps || !(ps = calloc(1, sizeof(*ps)))) {
		pthread_mutex_unlock(&s->mu);
		return;
	}
	ps->srv = s;
	memcpy(ps->id, id, NFP_TRACE_ID_LEN);
	ps->state = PS_ATTACHING;
	ps->next = s->sessions;
	s->sessions = ps;
	pthread_mutex_unlock(&s->mu);
	r = nfp_trace_add_sink(s->trace, id, &ps_sink, ps, &reader, &err);
	pthread_mutex_lock(&s->mu);
	ps->reader = reader;
	ps->state = r < 0 ? PS_FAILED : PS_LIVE;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->mu);
}

static int run_push(struct nfp_trace_thrift *s, const NfppsMessage *msg)
{
	const NfppsPacket *pk = msg->packet;
	struct nfp_trace_item it = { .kind = NFP_TRACE_ITEM_OPENFLOW };
	const char *ids[NFP_TRACE_MAX_SLOTS];
	int n = 0;

	for (guint i = 0; i < msg->sessionIDs->len && n < NFP_TRACE_MAX_SLOTS; i++) {
		ids[n] = g_ptr_array_index(msg->sessionIDs, i);
		if (ids[n]) {
			ensure_queue(s, ids[n]);
			n++;
		}
	}
	it.time_ns = nfp_trace_wall_ns();
	it.of_version = 1;
	it.of_type = (uint8_t)pk->messageType;
	it.dir = pk->messageType == NFPPS_O_F_MESSAGE_TYPE_PACKET_IN ? NFP_TRACE_DIR_IN
								     : NFP_TRACE_DIR_OUT;
	if (pk->swPortTuple) {
		it.dpid = (uint64_t)pk->swPortTuple->dpid;
		it.port = (uint16_t)pk->swPortTuple->port;
	}
	it.data = pk->data->data;
	it.cap_len = it.orig_len = pk->data->len > 65535 ? 65535 : pk->data->len;
	return nfp_trace_deliver_ids(s->trace, ids, n, &it);
}

/* The loop thread: carry out what the Thrift threads asked. */
static void on_requests(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	struct nfp_trace_thrift *s = ctx;
	struct ps_req *list;
	uint64_t n;

	(void)h;
	(void)events;
	if (read(s->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&s->mu);
	list = s->reqs;
	s->reqs = NULL;
	s->reqs_tail = &s->reqs;
	pthread_mutex_unlock(&s->mu);
	while (list) {
		struct ps_req *req = list;
		struct nfp_api_error err;
		struct nfp_trace_reader *reader = NULL;
		int r = 0;

		list = req->next;
		switch (req->kind) {
		case REQ_ATTACH:
			r = nfp_trace_add_sink(s->trace, req->sess->id, &ps_sink, req->sess, &reader,
					       &err);
			break;
		case REQ_PUSH:
			r = run_push(s, req->msg);
			break;
		case REQ_TERMINATE:
			r = nfp_trace_stop(s->trace, req->id, "terminated", &err);
			break;
		}
		pthread_mutex_lock(&s->mu);
		if (req->kind == REQ_ATTACH) {
			req->sess->reader = reader;
			req->sess->state = r < 0 ? PS_FAILED : PS_LIVE;
		}
		req->result = r;
		req->done = true;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->mu);
	}
}

/* ---- threads: acceptor and clients ---- */

struct client_arg {
	struct nfp_trace_thrift *s;
	struct client *c;
};

static void *client_main(void *arg)
{
	struct client_arg *a = arg;
	struct nfp_trace_thrift *s = a->s;
	struct client *c = a->c;
	ThriftSocket *sock = g_object_new(THRIFT_TYPE_SOCKET, NULL);
	ThriftTransport *framed;
	ThriftProtocol *proto;
	ThriftProcessor *proc;
	GError *err = NULL;

	free(a);
	sock->sd = c->fd;
	framed = g_object_new(THRIFT_TYPE_FRAMED_TRANSPORT, "transport", sock, NULL);
	proto = g_object_new(THRIFT_TYPE_BINARY_PROTOCOL, "transport", framed, NULL);
	proc = g_object_new(NFPPS_TYPE_PACKET_STREAMER_PROCESSOR, "handler", s->handler, NULL);
	while (thrift_processor_process(proc, proto, proto, &err)) {
		pthread_mutex_lock(&s->mu);
		bool stop = s->stopping;

		pthread_mutex_unlock(&s->mu);
		if (stop)
			break;
	}
	g_clear_error(&err);
	pthread_mutex_lock(&s->mu);
	c->fd = -1; /* the socket object closes it */
	pthread_mutex_unlock(&s->mu);
	g_object_unref(proc);
	g_object_unref(proto);
	g_object_unref(framed);
	g_object_unref(sock);
	pthread_mutex_lock(&s->mu);
	c->running = false;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void *acceptor_main(void *arg)
{
	struct nfp_trace_thrift *s = arg;

	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		struct client *c = NULL;
		struct client_arg *a;

		pthread_mutex_lock(&s->mu);
		if (s->stopping) {
			pthread_mutex_unlock(&s->mu);
			if (fd >= 0)
				close(fd);
			return NULL;
		}
		if (fd < 0) {
			pthread_mutex_unlock(&s->mu);
			continue;
		}
		/* reap finished clients, take a free slot */
		for (int i = 0; i < NFP_TRACE_THRIFT_MAX_CLIENTS; i++) {
			struct client *k = &s->clients[i];

			if (k->thread && !k->running) {
				pthread_join(k->thread, NULL);
				k->thread = 0;
			}
			if (!k->thread && !c)
				c = k;
		}
		a = c ? malloc(sizeof(*a)) : NULL;
		if (!a) {
			pthread_mutex_unlock(&s->mu);
			log_warn("trace thrift: refusing a client: %d connected already",
				 NFP_TRACE_THRIFT_MAX_CLIENTS);
			close(fd);
			continue;
		}
		a->s = s;
		a->c = c;
		c->fd = fd;
		c->running = true;
		if (pthread_create(&c->thread, NULL, client_main, a)) {
			c->thread = 0;
			c->running = false;
			c->fd = -1;
			free(a);
			close(fd);
		}
		pthread_mutex_unlock(&s->mu);
	}
}

int nfp_trace_thrift_start(struct nfp_trace_thrift **out, struct nfp_loop *loop,
			   struct nfp_trace *t, const char *endpoint)
{
	struct nfp_trace_thrift *s;
	struct sockaddr_in sa;
	char err[160];
	int one = 1, r;

	r = nfp_trace_parse_endpoint(endpoint, &sa, err, sizeof(err));
	if (r) {
		log_error("trace thrift: %s", err);
		return r;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->trace = t;
	s->reqs_tail = &s->reqs;
	pthread_mutex_init(&s->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->efd < 0 || s->listen_fd < 0) {
		r = -errno;
		goto err;
	}
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->listen_fd, 16) < 0) {
		r = -errno;
		goto err;
	}
	s->efd_h = nfp_loop_add_fd(loop, s->efd, EPOLLIN, on_requests, s);
	if (!s->efd_h) {
		r = -ENOMEM;
		goto err;
	}
	s->handler = g_object_new(nfp_ps_handler_get_type(), NULL);
	((NfpPsHandler *)s->handler)->srv = s;
	/* signals are the loop's (signalfd): the threads, and the clients'
	 * threads they start, block them all */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&s->acceptor, NULL, acceptor_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		r = -EAGAIN;
		goto err;
	}
	s->acceptor_started = true;
	log_info("trace: PacketStreamer Thrift service on %s (framed, binary)", endpoint);
	*out = s;
	return 0;
err:
	nfp_trace_thrift_stop(s);
	return r;
}

void nfp_trace_thrift_stop(struct nfp_trace_thrift *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_broadcast(&s->cond);
	for (int i = 0; i < NFP_TRACE_THRIFT_MAX_CLIENTS; i++)
		if (s->clients[i].thread && s->clients[i].fd >= 0)
			shutdown(s->clients[i].fd, SHUT_RDWR);
	pthread_mutex_unlock(&s->mu);
	if (s->listen_fd >= 0)
		shutdown(s->listen_fd, SHUT_RDWR);
	if (s->acceptor_started)
		pthread_join(s->acceptor, NULL);
	for (int i = 0; i < NFP_TRACE_THRIFT_MAX_CLIENTS; i++)
		if (s->clients[i].thread)
			pthread_join(s->clients[i].thread, NULL);
	/* no other thread is left: detach the sinks from the core */
	while (s->sessions) {
		if (s->sessions->reader)
			nfp_trace_remove_sink(s->trace, s->sessions->reader);
		free_sess_locked(s, s->sessions);
	}
	if (s->efd_h)
		nfp_loop_del_fd(s->efd_h);
	if (s->efd >= 0)
		close(s->efd);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->handler)
		g_object_unref(s->handler);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
