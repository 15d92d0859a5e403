/* commands.h - the trace subsystem in nfpd: its state (the session table
 * and the Floodlight endpoints), its command-line options, its API commands
 * (whose context is the state) and its descriptor. */
#ifndef NFP_TRACE_COMMANDS_H
#define NFP_TRACE_COMMANDS_H

#include "api/api.h"
#include "core/subsystem.h"

struct nfp_trace;
struct nfp_trace_rest;
struct nfp_trace_thrift;
struct of_core;

struct nfp_trace_service {
	struct nfp_trace *trace;
	struct nfp_trace_rest *rest;     /* Floodlight's REST endpoint, or NULL */
	struct nfp_trace_thrift *thrift; /* the PacketStreamer Thrift service, or NULL */
	struct of_core *of_core;         /* the OpenFlow controller traces tap, or NULL */
};

/* --trace-* (0 / NULL: the subsystem's defaults) */
struct nfp_trace_options {
	unsigned int max_sessions;
	unsigned int max_period;
	unsigned int reader_queue_kb;
	const char *rest;   /* [ADDR:]PORT of Floodlight's REST endpoint, or NULL */
	const char *thrift; /* [ADDR:]PORT of the PacketStreamer Thrift service, or NULL */
};

extern const struct nfp_api_command nfp_trace_commands[];
extern const struct nfp_subsystem nfp_trace_subsystem;

#endif
