/* thrift_server.h - Floodlight's PacketStreamer Thrift service (IDL in
 * user/trace/thrift/packetstreamer.thrift; framed transport, binary
 * protocol), served from Thrift's c_glib library.
 *
 * c_glib's processors block on their socket, so the service runs beside
 * nfpd's loop rather than on it: one thread accepts, one thread per client
 * connection runs the processor. Those threads never touch the trace core.
 * They post requests (attach to a session, push a message, terminate) to a
 * queue the loop thread drains when an eventfd fires, and wait for the
 * answer; packets come back the other way through a per-session queue
 * (bounded, under a mutex, with a condition variable getPackets waits on).
 */
#ifndef NFP_TRACE_THRIFT_SERVER_H
#define NFP_TRACE_THRIFT_SERVER_H

#include "common/loop.h"

struct nfp_trace;
struct nfp_trace_thrift;

/* getPackets waits at most this long for the first packet (Floodlight's
 * server waited 10 s for a session to appear). */
#define NFP_TRACE_THRIFT_WAIT_MS 10000
/* Bytes queued per session for Thrift readers before records are lost. */
#define NFP_TRACE_THRIFT_QUEUE_BYTES (4u << 20)
#define NFP_TRACE_THRIFT_MAX_CLIENTS 16

/* @endpoint: "[ADDR:]PORT", ADDR defaults to 127.0.0.1. */
int nfp_trace_thrift_start(struct nfp_trace_thrift **out, struct nfp_loop *loop,
			   struct nfp_trace *t, const char *endpoint);
/* Stops accepting, disconnects clients, joins every thread. */
void nfp_trace_thrift_stop(struct nfp_trace_thrift *s);

#endif
