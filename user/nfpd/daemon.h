/* daemon.h - the context every nfpd subsystem is handed: the event loop, the
 * API, the event stream and the subsystems themselves. One instance, owned
 * by main.c; subsystems reach each other only through it.
 */
#ifndef NFP_DAEMON_H
#define NFP_DAEMON_H

#include "api/api.h"
#include "api/events.h"
#include "api/server.h"
#include "common/loop.h"

#include <stdbool.h>
#include <stdint.h>

struct nfp_dataplane;
struct nfp_trace;
struct nfp_trace_rest;
struct nfp_trace_thrift;
struct of_subsys;

struct nfp_daemon {
	struct nfp_loop *loop;
	struct nfp_api_dispatcher *api;
	struct nfp_api_server *server;
	struct nfp_events *events;
	struct nfp_dataplane *dp;
	struct nfp_trace *trace;           /* user/trace/trace.h */
	struct nfp_trace_rest *trace_rest; /* Floodlight REST endpoint, or NULL */
	struct nfp_trace_thrift *trace_thrift; /* PacketStreamer Thrift service, or NULL */
	struct of_subsys *openflow; /* the OpenFlow controller (user/openflow) */
	uint64_t started_ms;
	const char *socket_path;
	const char *pin_dir;
};

#endif
