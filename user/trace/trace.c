/* trace.c - see trace.h: session table, readers and their bounded queues,
 * draining the ring, publishing filters to the taps.
 */
#include "trace/trace.h"
#include "common/hex.h"
#include "api/server.h"
#include "common/log.h"
#include "nfplane/trace_match.h"
#include "trace/filter.h"
#include "trace/format.h"
#include "trace/tapmaps.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <time.h>

struct nfp_trace_reader {
	struct nfp_trace_reader *next;
	struct nfp_trace_session *s;
	enum { READER_CONN, READER_SINK } kind;
	/* READER_CONN */
	struct nfp_api_conn *conn;
	enum nfp_trace_format format;
	struct nfp_pcapng pcap;
	/* READER_SINK */
	const struct nfp_trace_sink *sink;
	void *sink_ctx;
	uint64_t delivered;
	uint64_t lost;            /* in all */
	uint64_t lost_unreported; /* since the last record it received */
};

struct nfp_trace_session {
	char id[NFP_TRACE_ID_LEN + 1];
	int slot;
	struct nfp_trace_filter filter;
	uint64_t created_mono_ns; /* records older than this are another session's */
	uint64_t created_wall_s;
	uint64_t expires_ms;      /* nfp_now_ms() clock */
	struct nfp_api_conn *owner;
	struct nfp_trace_reader *readers;
	uint64_t matched, matched_bytes;
};

struct ifname_cache {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
};

struct nfp_trace {
	struct nfp_loop *loop;
	struct nfp_trace_config cfg;
	struct nfp_trace_tapmaps maps;
	struct ring_buffer *rb;
	struct nfp_loop_fd *rb_h;
	struct nfp_loop_timer *tick;
	struct nfp_trace_session *slots[NFP_TRACE_MAX_SLOTS];
	int n_sessions;
	int64_t mono_to_wall_ns;
	struct ifname_cache ifnames[16];
	int ifnames_next;
	uint8_t *scratch; /* one formatted record */
};

uint64_t nfp_trace_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char *ifname_of(struct nfp_trace *t, uint32_t ifindex)
{
	struct ifname_cache *c;

	for (size_t i = 0; i < sizeof(t->ifnames) / sizeof(t->ifnames[0]); i++)
		if (t->ifnames[i].ifindex == ifindex && ifindex)
			return t->ifnames[i].name;
	c = &t->ifnames[t->ifnames_next];
	if (!if_indextoname(ifindex, c->name))
		return NULL;
	c->ifindex = ifindex;
	t->ifnames_next = (t->ifnames_next + 1) % (int)(sizeof(t->ifnames) / sizeof(t->ifnames[0]));
	return c->name;
}

static struct nfp_trace_session *find(const struct nfp_trace *t, const char *id)
{
	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++)
		if (t->slots[i] && strcmp(t->slots[i]->id, id) == 0)
			return t->slots[i];
	return NULL;
}

bool nfp_trace_exists(const struct nfp_trace *t, const char *id)
{
	return find(t, id) != NULL;
}

const struct nfp_trace_config *nfp_trace_config(const struct nfp_trace *t)
{
	return &t->cfg;
}

/* ---- delivering to readers ---- */

/* Queue @len bytes to a socket reader, or count a loss if its queue is full. */
static bool conn_send(struct nfp_trace *t, struct nfp_trace_reader *r, const void *buf,
		      size_t len)
{
	size_t queued = nfp_api_conn_queued(r->conn);
	int err;

	if (queued + len > t->cfg.reader_queue_bytes)
		err = -ENOBUFS;
	else if (queued + len > t->cfg.reader_queue_bytes / 2)
		err = nfp_api_stream_send(r->conn, buf, len); /* half full: write now */
	else
		err = nfp_api_stream_queue(r->conn, buf, len); /* written after the drain */
	if (err < 0) {
		r->lost++;
		r->lost_unreported++;
		return false;
	}
	r->delivered++;
	r->lost_unreported = 0;
	return true;
}

static void deliver_one(struct nfp_trace *t, struct nfp_trace_reader *r,
			const struct nfp_trace_item *it)
{
	if (r->kind == READER_SINK) {
		if (r->sink->deliver(r->sink_ctx, r->s->id, it, r->lost_unreported) < 0) {
			r->lost++;
			r->lost_unreported++;
		} else {
			r->delivered++;
			r->lost_unreported = 0;
		}
		return;
	}
	if (r->format == NFP_TRACE_FMT_PCAPNG) {
		int n_ifs = r->pcap.n_ifs;
		size_t n = nfp_pcapng_item(&r->pcap, t->scratch, it, r->lost_unreported);

		/* a lost block must not leave an interface described that the
		 * reader never received */
		if (!conn_send(t, r, t->scratch, n))
			r->pcap.n_ifs = n_ifs;
	} else {
		json_t *rec = nfp_trace_item_json(it, r->s->id);
		char *line = json_dumps(rec, JSON_COMPACT);
		char *lost = NULL;
		size_t len;

		json_decref(rec);
		if (!line)
			return;
		if (r->lost_unreported) {
			json_t *l = nfp_trace_lost_json(r->lost_unreported);

			lost = json_dumps(l, JSON_COMPACT);
			json_decref(l);
		}
		/* the "lost" line and the record go as one piece or not at all */
		len = (lost ? strlen(lost) + 1 : 0) + strlen(line) + 1;
		if (len <= NFP_PCAPNG_MAX_BLOCK) {
			size_t off = 0;

			if (lost)
				off += (size_t)sprintf((char *)t->scratch, "%s\n", lost);
			sprintf((char *)t->scratch + off, "%s\n", line);
			conn_send(t, r, t->scratch, len);
		}
		free(lost);
		free(line);
	}
}

void nfp_trace_deliver(struct nfp_trace *t, uint64_t mask, const struct nfp_trace_item *it)
{
	for (; mask; mask &= mask - 1) {
		struct nfp_trace_session *s = t->slots[__builtin_ctzll(mask)];
		struct nfp_trace_item mine;

		if (!s)
			continue;
		mine = *it;
		s->matched++;
		s->matched_bytes += it->orig_len;
		if (it->kind == NFP_TRACE_ITEM_PACKET && mine.cap_len > s->filter.snaplen)
			mine.cap_len = s->filter.snaplen;
		for (struct nfp_trace_reader *r = s->readers; r; r = r->next)
			deliver_one(t, r, &mine);
	}
}

int nfp_trace_deliver_ids(struct nfp_trace *t, const char *const *ids, int n_ids,
			  const struct nfp_trace_item *it)
{
	uint64_t mask = 0;
	int found = 0;

	for (int i = 0; i < n_ids; i++) {
		struct nfp_trace_session *s = find(t, ids[i]);

		if (s && !(mask & (1ull << s->slot))) {
			mask |= 1ull << s->slot;
			found++;
		}
	}
	nfp_trace_deliver(t, mask, it);
	return found;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct nfp_trace *t = ctx;
	const struct nfp_trace_rec *rec = data;
	struct nfp_trace_item it = { .kind = NFP_TRACE_ITEM_PACKET };
	uint64_t mask = 0;

	if (size < sizeof(*rec) || size < sizeof(*rec) + rec->cap_len)
		return 0;
	/* a bit may name a slot reused since the record was written */
	for (uint64_t bits = rec->sessions; bits; bits &= bits - 1) {
		int i = __builtin_ctzll(bits);

		if (t->slots[i] && rec->time_ns >= t->slots[i]->created_mono_ns)
			mask |= 1ull << i;
	}
	if (!mask)
		return 0;
	it.time_ns = rec->time_ns + (uint64_t)t->mono_to_wall_ns;
	it.dir = rec->dir;
	it.orig_len = rec->orig_len;
	it.data = (const uint8_t *)(rec + 1);
	it.cap_len = rec->cap_len;
	it.ifindex = rec->ifindex;
	it.ifname = ifname_of(t, rec->ifindex);
	nfp_trace_deliver(t, mask, &it);
	return 0;
}

static void drain(struct nfp_trace *t)
{
	t->mono_to_wall_ns = (int64_t)nfp_trace_wall_ns() - (int64_t)nfp_now_ns();
	ring_buffer__consume(t->rb);
}

/* ---- readers ---- */

static void reader_end(struct nfp_trace *t, struct nfp_trace_reader *r, const char *reason)
{
	char comment[200];
	size_t n;

	if (r->kind == READER_SINK) {
		r->sink->end(r->sink_ctx, r->s->id, reason);
		return;
	}
	/* the end marker goes past the reader's own limit: it is small and
	 * the last thing the reader gets */
	if (r->format == NFP_TRACE_FMT_PCAPNG) {
		snprintf(comment, sizeof(comment),
			 "nfplane: trace session %s ended (%s); %llu records delivered, %llu lost "
			 "by this reader",
			 r->s->id, reason, (unsigned long long)r->delivered,
			 (unsigned long long)r->lost);
		n = nfp_pcapng_end(&r->pcap, t->scratch, nfp_trace_wall_ns(), r->delivered, r->lost,
				   comment);
		nfp_api_stream_send(r->conn, t->scratch, n);
	} else {
		json_t *end = nfp_trace_end_json(r->s->id, reason, r->delivered, r->lost);

		nfp_api_conn_send_json(r->conn, end);
		json_decref(end);
	}
	nfp_api_conn_close_when_drained(r->conn);
}

static void unlink_reader(struct nfp_trace_reader *r)
{
	for (struct nfp_trace_reader **pp = &r->s->readers; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

/* ---- sessions ---- */

static int publish(struct nfp_trace *t)
{
	struct nfp_trace_filter f[NFP_TRACE_MAX_SLOTS];
	unsigned int n = 0;

	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++)
		if (t->slots[i])
			f[n++] = t->slots[i]->filter;
	return nfp_trace_tapmaps_publish(&t->maps, f, n);
}

static void on_tick(struct nfp_loop_timer *tm, void *ctx);

static void update_tick(struct nfp_trace *t)
{
	if (t->n_sessions && !t->tick)
		t->tick = nfp_loop_add_timer(t->loop, t->cfg.poll_ms, t->cfg.poll_ms, on_tick, t);
	else if (!t->n_sessions && t->tick) {
		nfp_loop_del_timer(t->tick);
		t->tick = NULL;
	}
}

static void end_session(struct nfp_trace *t, struct nfp_trace_session *s, const char *reason)
{
	/* what the taps wrote before the end still belongs to the readers */
	drain(t);
	t->slots[s->slot] = NULL;
	t->n_sessions--;
	if (publish(t) < 0)
		log_warn("trace: cannot update the taps' filters: %s", strerror(errno));
	while (s->readers) {
		struct nfp_trace_reader *r = s->readers;

		s->readers = r->next;
		reader_end(t, r, reason);
		free(r);
	}
	log_info("trace: session %.8s… ended (%s) after %llu packets", s->id, reason,
		 (unsigned long long)s->matched);
	free(s);
	update_tick(t);
}

static void on_tick(struct nfp_loop_timer *tm, void *ctx)
{
	struct nfp_trace *t = ctx;
	uint64_t now = nfp_now_ms();

	(void)tm;
	drain(t);
	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++)
		if (t->slots[i] && t->slots[i]->expires_ms <= now)
			end_session(t, t->slots[i], "expired");
}

static void on_ring(struct nfp_loop_fd *h, uint32_t events, void *ctx)
{
	(void)h;
	(void)events;
	drain(ctx);
}

int nfp_trace_start(struct nfp_trace *t, const struct nfp_trace_filter *f, int64_t period_s,
		    struct nfp_api_conn *owner, char *id, struct nfp_api_error *err)
{
	struct nfp_trace_session *s;
	uint8_t rnd[NFP_TRACE_ID_LEN / 2];
	int slot = -1, r;

	if (period_s < 1 || period_s > t->cfg.max_period_s)
		return nfp_api_fail(err, ERANGE, "argument 'period' is %lld s, outside 1..%u",
				    (long long)period_s, t->cfg.max_period_s);
	if (t->n_sessions >= (int)t->cfg.max_sessions)
		return nfp_api_fail(err, ENOSPC, "all %u trace sessions are in use (nfpd "
				    "--trace-max-sessions)", t->cfg.max_sessions);
	for (int i = 0; i < NFP_TRACE_MAX_SLOTS && slot < 0; i++)
		if (!t->slots[i])
			slot = i;
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return nfp_api_fail(err, EAGAIN, "no randomness for a session id: %s",
				    strerror(errno));
	s = calloc(1, sizeof(*s));
	if (!s)
		return nfp_api_fail(err, ENOMEM, "out of memory");
	nfp_hex_str(rnd, sizeof(rnd), s->id);
	s->slot = slot;
	s->filter = *f;
	s->filter.session_bit = 1ull << slot;
	s->created_mono_ns = nfp_now_ns();
	s->created_wall_s = nfp_trace_wall_ns() / 1000000000ull;
	s->expires_ms = nfp_now_ms() + (uint64_t)period_s * 1000;
	s->owner = owner;
	t->slots[slot] = s;
	t->n_sessions++;
	r = publish(t);
	if (r < 0) {
		t->slots[slot] = NULL;
		t->n_sessions--;
		free(s);
		publish(t);
		return nfp_api_fail(err, -r, "cannot give the filter to the taps: %s", strerror(-r));
	}
	update_tick(t);
	memcpy(id, s->id, sizeof(s->id));
	log_info("trace: session %.8s… started for %llds", s->id, (long long)period_s);
	return 0;
}

int nfp_trace_extend(struct nfp_trace *t, const char *id, int64_t period_s,
		     struct nfp_api_error *err)
{
	struct nfp_trace_session *s = find(t, id);
	uint64_t now = nfp_now_ms(), limit;

	if (!s)
		return nfp_api_fail(err, ENOENT, "no trace session '%s'", id);
	if (period_s <= 0) {
		end_session(t, s, "stopped");
		return 0;
	}
	limit = now + (uint64_t)t->cfg.max_period_s * 1000;
	s->expires_ms += (uint64_t)(period_s > t->cfg.max_period_s ? t->cfg.max_period_s : period_s) *
			 1000;
	if (s->expires_ms > limit)
		s->expires_ms = limit;
	return 0;
}

int nfp_trace_stop(struct nfp_trace *t, const char *id, const char *reason,
		   struct nfp_api_error *err)
{
	struct nfp_trace_session *s = find(t, id);

	if (!s)
		return nfp_api_fail(err, ENOENT, "no trace session '%s'", id);
	end_session(t, s, reason);
	return 0;
}

/* A stream connection went away: forget its reader, and end the session it
 * owned (a one-shot trace). */
static void conn_gone(struct nfp_api_conn *conn, void *ctx)
{
	struct nfp_trace *t = ctx;

	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++) {
		struct nfp_trace_session *s = t->slots[i];

		if (!s)
			continue;
		for (struct nfp_trace_reader *r = s->readers; r; r = r->next) {
			if (r->kind == READER_CONN && r->conn == conn) {
				unlink_reader(r);
				free(r);
				break;
			}
		}
		if (s->owner == conn) {
			s->owner = NULL;
			end_session(t, s, "reader gone");
		}
	}
}

static struct nfp_trace_reader *new_reader(struct nfp_trace *t, const char *id,
					   struct nfp_api_error *err)
{
	struct nfp_trace_session *s = find(t, id);
	struct nfp_trace_reader *r;

	if (!s) {
		nfp_api_fail(err, ENOENT, "no trace session '%s'", id);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		nfp_api_fail(err, ENOMEM, "out of memory");
		return NULL;
	}
	r->s = s;
	r->next = s->readers;
	s->readers = r;
	return r;
}

int nfp_trace_add_conn_reader(struct nfp_trace *t, const char *id, struct nfp_api_conn *conn,
			      enum nfp_trace_format format, struct nfp_api_error *err)
{
	struct nfp_trace_reader *r = new_reader(t, id, err);

	if (!r)
		return -err->code;
	r->kind = READER_CONN;
	r->conn = conn;
	r->format = format;
	nfp_api_conn_make_stream(conn, conn_gone, t);
	if (format == NFP_TRACE_FMT_PCAPNG) {
		size_t n = nfp_pcapng_begin(&r->pcap, t->scratch);

		nfp_api_stream_send(conn, t->scratch, n);
	}
	return 0;
}

int nfp_trace_add_sink(struct nfp_trace *t, const char *id, const struct nfp_trace_sink *sink,
		       void *ctx, struct nfp_trace_reader **out, struct nfp_api_error *err)
{
	struct nfp_trace_reader *r = new_reader(t, id, err);

	if (!r)
		return -err->code;
	r->kind = READER_SINK;
	r->sink = sink;
	r->sink_ctx = ctx;
	*out = r;
	return 0;
}

void nfp_trace_remove_sink(struct nfp_trace *t, struct nfp_trace_reader *r)
{
	(void)t;
	unlink_reader(r);
	free(r);
}

uint64_t nfp_trace_match(const struct nfp_trace *t, const struct nfp_pkt *p, const uint8_t *eth,
			 uint32_t ifindex, int dir)
{
	uint64_t mask = 0;

	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++)
		if (t->slots[i] &&
		    nfp_trace_filter_match(&t->slots[i]->filter, p, eth, ifindex, (uint32_t)dir))
			mask |= 1ull << i;
	return mask;
}

int nfp_trace_filters(const struct nfp_trace *t, struct nfp_trace_filter *out, int max)
{
	int n = 0;

	for (int i = 0; i < NFP_TRACE_MAX_SLOTS && n < max; i++)
		if (t->slots[i])
			out[n++] = t->slots[i]->filter;
	return n;
}

json_t *nfp_trace_list_json(struct nfp_trace *t)
{
	json_t *sessions = json_array();
	struct nfp_trace_stats st;
	uint64_t now = nfp_now_ms();

	drain(t); /* counts up to date with what the taps wrote */

	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++) {
		struct nfp_trace_session *s = t->slots[i];
		json_t *readers = json_array();

		if (!s) {
			json_decref(readers);
			continue;
		}
		for (struct nfp_trace_reader *r = s->readers; r; r = r->next)
			json_array_append_new(
				readers,
				json_pack("{s:s, s:I, s:I}", "format",
					  r->kind == READER_SINK ? "thrift" :
					  r->format == NFP_TRACE_FMT_PCAPNG ? "pcapng" : "json",
					  "delivered", (json_int_t)r->delivered, "lost",
					  (json_int_t)r->lost));
		json_array_append_new(
			sessions,
			json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:b, s:o}", "id", s->id, "filter",
				  nfp_trace_filter_json(&s->filter), "remaining_s",
				  (json_int_t)(s->expires_ms > now ? (s->expires_ms - now + 999) / 1000 : 0),
				  "created", (json_int_t)s->created_wall_s, "packets",
				  (json_int_t)s->matched, "bytes", (json_int_t)s->matched_bytes,
				  "oneshot", s->owner != NULL, "readers", readers));
	}
	if (nfp_trace_tapmaps_stats(&t->maps, &st) < 0)
		memset(&st, 0, sizeof(st));
	return json_pack("{s:o, s:{s:I, s:I, s:I, s:I}, s:{s:i, s:i}}", "sessions", sessions,
			 "taps", "records", (json_int_t)st.records, "bytes", (json_int_t)st.bytes,
			 "ring_full", (json_int_t)st.ring_full, "wakeups", (json_int_t)st.wakeups,
			 "limits", "max_sessions", t->cfg.max_sessions, "max_period_s",
			 t->cfg.max_period_s);
}

/* A forced wakeup is an interrupt to the reader's CPU (an IPI; in a VM an
 * exit, measured ~12 us here), so the taps force one rarely: after an
 * eighth of the ring per CPU, which leaves most of the ring free when every
 * CPU is about to wake nfpd at once. Between wakeups the tick drains. */
static uint32_t default_wakeup_bytes(void)
{
	int ncpus = libbpf_num_possible_cpus();
	uint32_t b = NFP_TRACE_RING_BYTES / 8 / (uint32_t)(ncpus > 0 ? ncpus : 1);

	return b < (16u << 10) ? 16u << 10 : b > (1u << 20) ? 1u << 20 : b;
}

int nfp_trace_new(struct nfp_trace **out, struct nfp_loop *loop, const struct nfp_trace_maps *m,
		  const struct nfp_trace_config *cfg)
{
	struct nfp_trace *t = calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -ENOMEM;
	t->loop = loop;
	t->cfg = *cfg;
	if (t->cfg.max_sessions > NFP_TRACE_MAX_SLOTS)
		t->cfg.max_sessions = NFP_TRACE_MAX_SLOTS;
	t->maps.ctl_fd = m->ctl_fd;
	t->maps.filt_fd = m->filt_fd;
	t->maps.stats_fd = m->stats_fd;
	t->maps.wakeup_bytes = cfg->wakeup_bytes ? cfg->wakeup_bytes : default_wakeup_bytes();
	t->scratch = malloc(2 * NFP_PCAPNG_MAX_BLOCK);
	t->rb = ring_buffer__new(m->ring_fd, on_record, t, NULL);
	if (!t->scratch || !t->rb) {
		r = t->rb ? -ENOMEM : -errno;
		goto err;
	}
	t->rb_h = nfp_loop_add_fd(loop, ring_buffer__epoll_fd(t->rb), EPOLLIN, on_ring, t);
	if (!t->rb_h) {
		r = -ENOMEM;
		goto err;
	}
	/* sessions live in this process: a restarted nfpd starts with none,
	 * and must not leave the taps matching an old set */
	r = nfp_trace_tapmaps_publish(&t->maps, NULL, 0);
	if (r < 0)
		goto err;
	drain(t);
	*out = t;
	return 0;
err:
	if (t->rb_h)
		nfp_loop_del_fd(t->rb_h);
	ring_buffer__free(t->rb);
	free(t->scratch);
	free(t);
	return r;
}

void nfp_trace_free(struct nfp_trace *t)
{
	if (!t)
		return;
	for (int i = 0; i < NFP_TRACE_MAX_SLOTS; i++)
		if (t->slots[i])
			end_session(t, t->slots[i], "nfpd stopping");
	nfp_trace_tapmaps_publish(&t->maps, NULL, 0);
	if (t->tick)
		nfp_loop_del_timer(t->tick);
	nfp_loop_del_fd(t->rb_h);
	ring_buffer__free(t->rb);
	free(t->scratch);
	free(t);
}
