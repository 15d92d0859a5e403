/* trace.h - nfpd's trace subsystem (PacketStreamer): sessions, their
 * readers, and the ring buffer the taps fill.
 *
 * A session is a compiled filter (user/trace/filter.h) in one of 64 slots,
 * an unguessable id, and an end time. Creating, extending or ending one
 * republishes the taps' filters (tapmaps.h). nfpd drains the ring on the
 * loop (on the taps' batched wakeups and on a tick while any session
 * lives) and hands every record to every reader of every session it
 * matched. A reader is a socket stream (pcapng or JSON lines, format.h) or
 * a sink another module provides (the Thrift server). Each reader has a
 * bounded queue: when it is full that reader loses the record, counts it,
 * and is told at its next delivery; nobody else is slowed.
 *
 * Everything here runs on nfpd's loop thread.
 */
#ifndef NFP_TRACE_H
#define NFP_TRACE_H

#include "api/api.h"
#include "common/loop.h"
#include "nfplane/parse.h"
#include "nfplane/trace.h"
#include "trace/item.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nfp_trace;
struct nfp_trace_reader;

#define NFP_TRACE_ID_LEN 32 /* hex characters of a session id (128 random bits) */

struct nfp_trace_config {
	unsigned int max_sessions;  /* 1..NFP_TRACE_MAX_SLOTS */
	unsigned int max_period_s;  /* longest period a session may ask for */
	size_t reader_queue_bytes;  /* per reader, before it loses records */
	unsigned int wakeup_bytes;  /* taps force a wakeup every N ring bytes per CPU;
	                             * 0: an eighth of the ring over the CPUs */
	unsigned int poll_ms;       /* ring drain and expiry tick while sessions live */
};
#define NFP_TRACE_DEFAULT_CONFIG                                                          \
	{ .max_sessions = 64, .max_period_s = 86400, .reader_queue_bytes = 2u << 20,       \
	  .wakeup_bytes = 0, .poll_ms = 10 }

struct nfp_trace_maps {
	int ctl_fd, filt_fd, ring_fd, stats_fd;
};

int nfp_trace_new(struct nfp_trace **out, struct nfp_loop *loop, const struct nfp_trace_maps *m,
		  const struct nfp_trace_config *cfg);
/* Ends every session (readers get their end marker) and turns the taps off. */
void nfp_trace_free(struct nfp_trace *t);
const struct nfp_trace_config *nfp_trace_config(const struct nfp_trace *t);

/* ---- sessions ---- */

/* @period_s: 1..max_period_s. @owner: a connection whose going away ends
 * the session (one-shot traces), or NULL. Fills @id (NFP_TRACE_ID_LEN + 1). */
int nfp_trace_start(struct nfp_trace *t, const struct nfp_trace_filter *f, int64_t period_s,
		    struct nfp_api_conn *owner, char *id, struct nfp_api_error *err);
/* period_s > 0: add it to the session's remaining time (up to max_period_s);
 * <= 0: end the session. */
int nfp_trace_extend(struct nfp_trace *t, const char *id, int64_t period_s,
		     struct nfp_api_error *err);
/* End a session; its readers get @reason ("stopped", "expired", ...). */
int nfp_trace_stop(struct nfp_trace *t, const char *id, const char *reason,
		   struct nfp_api_error *err);
bool nfp_trace_exists(const struct nfp_trace *t, const char *id);
/* Sessions, their readers, and the taps' counters. */
json_t *nfp_trace_list_json(struct nfp_trace *t);

/* ---- readers ---- */

enum nfp_trace_format { NFP_TRACE_FMT_PCAPNG, NFP_TRACE_FMT_JSON };
/* Stream @id to @conn (which must already be a stream) in @format. */
int nfp_trace_add_conn_reader(struct nfp_trace *t, const char *id, struct nfp_api_conn *conn,
			      enum nfp_trace_format format, struct nfp_api_error *err);

/* A reader another module implements. deliver returns 0, or -ENOBUFS when
 * its own bounded queue is full (the record is counted lost). end is called
 * once; the reader is gone after it. */
struct nfp_trace_sink {
	int (*deliver)(void *ctx, const char *id, const struct nfp_trace_item *it, uint64_t lost);
	void (*end)(void *ctx, const char *id, const char *reason);
};
int nfp_trace_add_sink(struct nfp_trace *t, const char *id, const struct nfp_trace_sink *sink,
		       void *ctx, struct nfp_trace_reader **out, struct nfp_api_error *err);
/* Detach a sink before its end (its end callback is not called). */
void nfp_trace_remove_sink(struct nfp_trace *t, struct nfp_trace_reader *r);

/* ---- for the OpenFlow entry point (of.c) ---- */

/* Sessions (as a slot mask) whose filter takes this parsed frame; @eth: the
 * frame's first 12 bytes or NULL. */
uint64_t nfp_trace_match(const struct nfp_trace *t, const struct nfp_pkt *p, const uint8_t *eth,
			 uint32_t ifindex, int dir);
/* Deliver @it to every reader of the sessions in @mask. */
void nfp_trace_deliver(struct nfp_trace *t, uint64_t mask, const struct nfp_trace_item *it);
/* The filter of every live session, for matchers that are not frames
 * (flow-mods); returns how many were written to @out. */
int nfp_trace_filters(const struct nfp_trace *t, struct nfp_trace_filter *out, int max);
/* Deliver to the sessions named by id (Thrift pushMessage). Returns how
 * many of @ids named a live session. */
int nfp_trace_deliver_ids(struct nfp_trace *t, const char *const *ids, int n_ids,
			  const struct nfp_trace_item *it);
/* Wall clock now, ns since the epoch. */
uint64_t nfp_trace_wall_ns(void);

#endif
